"""The counter's capital shares and yearly fee (Ctrl+T): a small dialog showing what the basket's
member still owes (the desk check's figures), the amounts prefilled; Enter puts them in the
basket (``coop.till.basket_membership``), outside VAT. An amount may be changed (an instalment),
``3p`` means three shares, an empty field pays nothing of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from sqlalchemy.orm import Session
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from coop.i18n import _
from coop.money import format_money
from coop.till.membership_sale import MembershipDue
from coop.till.membership_words import ask_from_words
from coop.till.requests import MembershipAsk
from tui.messages import WorkFailed, WorkResult
from tui.screens.base import ComptoirModal
from tui.work import run_work


class DueLoaded(WorkResult[MembershipDue | None]):
    """What the member owes (None: no member on the basket)."""


def _amount(cents: int) -> str:
    return format_money(cents).replace("\u00a0€", "").replace("€", "").strip()


def owed_words(due: MembershipDue) -> tuple[str, str]:
    """What the member owes in words: the shares, then the fee."""
    shares = (
        _("Capital shares not paid: {due} still due (shares of {value}).").format(
            due=format_money(due.share_cents), value=format_money(due.share_value_cents)
        )
        if due.share_cents
        else _("Capital shares: nothing owed.")
    )
    fee = (
        _("Fee {year}: {due} due.").format(year=due.year, due=format_money(due.fee_cents))
        if due.fee_cents
        else _("Fee {year}: nothing due.").format(year=due.year)
    )
    return shares, fee


class MembershipDialog(ComptoirModal):
    """Dismisses with the ``MembershipAsk`` typed (an empty one takes them out) or None."""

    CSS_PATH: ClassVar = ["dialogs.tcss"]

    def __init__(self, load: Callable[[Session], MembershipDue | None]) -> None:
        super().__init__(classes="dialog", id="membership-dialog")
        self.load = load

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(_("Capital shares and yearly fee (outside VAT)"), classes="dialog-title")
            yield Static(_("Reading what the member owes…"), id="membership-shares-owed")
            yield Label(_("Shares: amount, or 3p for three shares (empty: none)"))
            yield Input(id="membership-shares", max_length=12)
            yield Static("", id="membership-fee-owed")
            yield Label(_("Fee: amount (empty: none)"))
            yield Input(id="membership-fee", max_length=12)
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(_("Enter: add to the basket · Escape: back"), classes="dialog-help")

    def on_mount(self) -> None:
        run_work(self, self.load, done=DueLoaded, failed=WorkFailed, read_only=True)

    @on(DueLoaded)
    def loaded(self, message: DueLoaded) -> None:
        due = message.result
        if due is None:
            self.query_one("#membership-shares-owed", Static).update(
                _("Give the member's card first: shares and the fee are paid by a member.")
            )
            return
        shares, fee = owed_words(due)
        self.query_one("#membership-shares-owed", Static).update(shares)
        self.query_one("#membership-fee-owed", Static).update(fee)
        self.query_one("#membership-shares", Input).value = (
            _amount(due.share_cents) if due.share_cents else ""
        )
        self.query_one("#membership-fee", Input).value = (
            _amount(due.fee_cents) if due.fee_cents else ""
        )
        for field in self.query(Input):
            field.cursor_position = len(field.value)  # typing goes after the amount shown
        self.query_one("#membership-shares", Input).focus()

    @on(WorkFailed)
    def failed(self, message: WorkFailed) -> None:
        message.prevent_default()
        self.query_one("#dialog-error", Static).update(message.text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        shares = self.query_one("#membership-shares", Input).value.strip()
        fee = self.query_one("#membership-fee", Input).value.strip()
        ask, problems = ask_from_words(
            shares or None,
            fee or None,
            shares_column=_("Shares"),
            fee_column=_("Fee"),
        )
        if problems:
            self.app.bell()
            self.query_one("#dialog-error", Static).update(problems[0].message)
            return
        self.dismiss(ask)


def ask_membership(screen: Any) -> None:
    """Ctrl+T at the counter: the dialog, then the basket with the shares and fee (a change
    the core checks: a member, not left, never more than owed)."""
    from coop.till import basket_membership
    from tui import counter_work as work
    from tui.screens.counter_keys import enqueue_change

    shop = screen.shop()

    def load(session: Session) -> MembershipDue | None:
        return basket_membership.owed(session, screen.basket, settings=shop.settings, now=shop.now)

    def answered(ask: MembershipAsk | None) -> None:
        if ask is None:
            return

        def job(session: Session, now_shop: work.Shop) -> work.Changed:
            changed = basket_membership.set_membership(
                session, screen.basket, ask, settings=now_shop.settings, now=now_shop.now
            )
            said = (
                _("Shares and fee added (outside VAT).")
                if changed.outside_goods_cents
                else _("No shares nor fee in the basket.")
            )
            return work.Changed(changed, said)

        enqueue_change(screen, job)

    screen.app.push_screen(MembershipDialog(load), answered)
