"""The payment dialog: the total, one or several means, change for cash.

Built for the common case: it opens on cash with the exact amount left to pay already typed,
so Enter alone settles a sale paid exactly in cash. F1…F5 choose the means (cash, card, cheque,
the local currency when the coop names one, the member's prepaid account with its balance);
typing an amount and Enter records a tender; the dialog closes with the tenders once they cover
the total (cash may exceed it: the core gives the change). The tenders are checked with the
core's ``coop.till.payments.settle`` before closing (only cash gives change, an account never
goes below its overdraft...); a refusal is shown here, in words, and the last tender dropped.
A sale that pays out (refunds, returned containers) shows what to give back; a sale of 0 needs
only Enter. Escape backs out with nothing recorded. Something that looks like a scan is refused.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from coop.i18n import N_, _
from coop.money import MoneyError, format_money, parse_amount
from coop.till.payments import Means, PaymentPolicy, Tender, settle
from coop.till.refusals import Refused
from coop.till.words import means_name, refusal
from tui.screens.base import ComptoirModal
from tui.widgets.scan_field import looks_like_scan

MEANS_KEYS = {
    Means.CASH: "f1",
    Means.CARD: "f2",
    Means.CHEQUE: "f3",
    Means.LOCAL_CURRENCY: "f4",
    Means.ACCOUNT: "f5",
}


def amount_text(cents: int) -> str:
    """What the amount field shows: "12,35" (no currency sign, as a cashier types it)."""
    return f"{cents // 100},{cents % 100:02d}"


class PaymentDialog(ComptoirModal):
    CSS_PATH: ClassVar = ["dialogs.tcss", "payment.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "means('cash')", N_("Cash"), id="pay-cash", key_display="F1"),
        Binding("f2", "means('card')", N_("Card"), id="pay-card", key_display="F2"),
        Binding("f3", "means('cheque')", N_("Cheque"), id="pay-cheque", key_display="F3"),
        Binding(
            "f4",
            "means('local_currency')",
            N_("Local currency"),
            id="pay-local",
            key_display="F4",
        ),
        Binding("f5", "means('account')", N_("Account"), id="pay-account", key_display="F5"),
    ]

    def __init__(
        self,
        total_cents: int,
        *,
        policy: PaymentPolicy,
        balance_cents: int | None = None,
        member: bool = False,
    ) -> None:
        super().__init__(classes="dialog", id="payment")
        self.total_cents = total_cents
        self.policy = policy
        self.balance_cents = balance_cents
        self.member = member
        self.sign = -1 if total_cents < 0 else 1
        self.tenders: list[Tender] = []
        self.means = Means.CASH if policy.accepts(Means.CASH) else self.usable()[0]

    def usable(self) -> list[Means]:
        return [
            means
            for means in Means
            if self.policy.accepts(means) and (means is not Means.ACCOUNT or self.member)
        ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "means":
            return Means(str(parameters[0])) in self.usable()
        return True

    @property
    def remaining(self) -> int:
        """What is left to pay (or to pay out), as a positive number of cents."""
        return self.sign * self.total_cents - sum(self.sign * t.amount_cents for t in self.tenders)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="payment-box"):
            title = _("Payment") if self.sign > 0 else _("Paying back")
            yield Static(title, classes="dialog-title")
            yield Static(id="payment-total")
            yield Static(id="payment-tenders")
            yield Static(id="payment-means-keys", classes="dialog-help")
            yield Label(id="payment-means")
            yield Input(id="payment-amount", max_length=12)
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(
                _("Enter: record this amount · F1…F5: means · Escape: back"), classes="dialog-help"
            )

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one("#payment-amount", Input).focus()

    def means_label(self, means: Means) -> str:
        name = means_name(means, self.policy.local_currency_name)
        if means is Means.ACCOUNT and self.balance_cents is not None:
            name = _("{name} (balance {amount})").format(
                name=name, amount=format_money(self.balance_cents)
            )
        return name

    def refresh_view(self) -> None:
        total = format_money(abs(self.total_cents))
        if self.sign > 0:
            head = _("Total to pay: {total}").format(total=total)
        else:
            head = _("To give back to the customer: {total}").format(total=total)
        self.query_one("#payment-total", Static).update(head)
        taken = [
            "  "
            + _("{means}: {amount}").format(
                means=self.means_label(t.means), amount=format_money(abs(t.amount_cents))
            )
            for t in self.tenders
        ]
        if taken:
            taken.append(_("Left: {amount}").format(amount=format_money(self.remaining)))
        self.query_one("#payment-tenders", Static).update("\n".join(taken))
        keys = [
            f"{MEANS_KEYS[means].upper()} {means_name(means, self.policy.local_currency_name)}"
            for means in self.usable()
        ]
        self.query_one("#payment-means-keys", Static).update("   ".join(keys))
        self.query_one("#payment-means", Label).update(
            _("Means: {means}").format(means=self.means_label(self.means))
        )
        field = self.query_one("#payment-amount", Input)
        field.value = amount_text(max(self.remaining, 0))
        field.cursor_position = len(field.value)
        field.select_all()

    def action_means(self, means: str) -> None:
        self.means = Means(means)
        self.query_one("#dialog-error", Static).update("")
        self.refresh_view()

    def refuse(self, text: str) -> None:
        self.app.bell()
        self.query_one("#dialog-error", Static).update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if self.total_cents == 0:
            self.dismiss(())
            return
        if looks_like_scan(text):
            self.refresh_view()
            self.refuse(_("That looks like a scan: finish the payment first (Escape: back)."))
            return
        try:
            cents = parse_amount(text or "0")
        except MoneyError as error:
            self.refuse(str(error))
            return
        if cents <= 0:
            self.refuse(_("Type an amount above zero."))
            return
        self.tenders.append(Tender(self.means, self.sign * cents))
        if self.remaining > 0:
            if self.policy.accepts(Means.CASH):
                self.means = Means.CASH  # the rest, most often, in cash
            self.query_one("#dialog-error", Static).update("")
            self.refresh_view()
            return
        try:
            settle(
                self.total_cents,
                self.tenders,
                self.policy,
                account_balance_cents=self.balance_cents,
            )
        except Refused as error:
            self.tenders.pop()
            self.refresh_view()
            self.refuse(refusal(error))
            return
        self.dismiss(tuple(self.tenders))
