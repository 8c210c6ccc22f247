"""The member banner: who is shopping and whether they may, in green, orange or red.

Fed with the result of the desk check (``coop.shifts.desk.DeskCheck``): green when
the member may shop and nothing needs saying, orange when they may shop with warnings (alert,
delay, a card that no longer works), red when the check refuses them (the reasons follow).
The counters in words and the next shift come on the second line; the prepaid-account balance
when there is one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from coop.i18n import _
from coop.money import format_money

if TYPE_CHECKING:
    from coop.shifts.desk import DeskCheck


def banner_level(check: DeskCheck) -> str:
    """'ok', 'warn' or 'refused' for a desk check."""
    if not check.can_shop:
        return "refused"
    return "warn" if check.warnings else "ok"


class MemberBanner(Static):
    DEFAULT_CSS = """
    MemberBanner {
        height: auto;
        min-height: 3;
        padding: 0 1;
        background: $panel;
        color: $text;
    }
    MemberBanner.-ok { background: $success 60%; }
    MemberBanner.-warn { background: $warning 70%; color: $text; }
    MemberBanner.-refused { background: $error 70%; }
    """

    def __init__(self, *, id: str = "member-banner") -> None:
        super().__init__(_("No member yet: scan the member card (F2: search by name)."), id=id)
        self.check: DeskCheck | None = None
        self.level = "none"

    def show_check(
        self,
        check: DeskCheck | None,
        *,
        balance_cents: int | None = None,
        override_reason: str | None = None,
    ) -> None:
        self.check = check
        self.remove_class("-ok", "-warn", "-refused")
        if check is None:
            self.level = "none"
            self.update(_("No member yet: scan the member card (F2: search by name)."))
            return
        self.level = banner_level(check)
        self.add_class(f"-{self.level}")
        self.update(self.render_check(check, balance_cents, override_reason))

    @staticmethod
    def render_check(
        check: DeskCheck, balance_cents: int | None, override_reason: str | None
    ) -> Text:
        member, shopper = check.member, check.shopper
        text = Text()
        verdict = _("MAY SHOP") if check.can_shop else _("MAY NOT SHOP")
        text.append(f"{verdict} — ", style="bold")
        text.append(
            _("Member {number} {name}").format(number=member.number, name=member.name),
            style="bold",
        )
        if shopper.main is False:
            text.append(" " + _("(shopping: {name})").format(name=shopper.name))
        text.append(f" · {check.status_text}")
        if balance_cents is not None:
            text.append(
                " · " + _("prepaid account {amount}").format(amount=format_money(balance_cents))
            )
        for reason in check.reasons:
            text.append("\n✗ " + reason.text)
        for warning in check.warnings:
            text.append("\n! " + warning.text)
        if check.counters_text:
            text.append("\n" + check.counters_text)
        if check.next_shift:
            text.append("\n" + _("Next shift: {shift}").format(shift=check.next_shift.text))
        if override_reason:
            text.append(
                "\n" + _("Let through by the cashier: {reason}").format(reason=override_reason),
                style="bold",
            )
        return text
