"""The coordinator's membership panel: joining, leaving, capital shares and fees, the same use
cases as `coop members add|leave|rejoin|shares pay|fee pay|figures`.

- Ctrl+N: a new member (names, e-mail, phone, category, the household's main member); the card
  is printed at once (a PDF in the data folder's ``prints/``, as the Print window writes it).
- Ctrl+B: the member shown (F2) leaves on a date with a reason (card ended, fixed shift slot and
  AMAP subscriptions released, share-refund clock started); Ctrl+R: they rejoin (same number).
- Ctrl+S: a share payment of the member shown (amount, means); Ctrl+Y: their fee of a year.
- Ctrl+G: the general assembly's figures on a day.

Every change runs in one worker transaction with the screen's actor; a refusal is said on the
status line and nothing is written.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from coop.audit import Actor
from coop.config import Settings
from coop.dates import format_date
from coop.i18n import N_, _
from coop.money import MoneyError, format_money, parse_amount
from tui.messages import WorkResult
from tui.screens.coordinator.forms import Field, FormDialog
from tui.screens.coordinator.panel import begin, hub, parse_day

MEANS = ("cash", "card", "cheque", "transfer", "local_currency", "other")

MEMBERSHIP_BINDINGS: list[BindingType] = [
    Binding("ctrl+n", "membership('add')", N_("New member"), id="coord-add", key_display="Ctrl+N"),
    Binding("ctrl+b", "membership('leave')", N_("Leaves"), id="coord-leave", key_display="Ctrl+B"),
    Binding(
        "ctrl+r", "membership('rejoin')", N_("Rejoins"), id="coord-rejoin", key_display="Ctrl+R"
    ),
    Binding(
        "ctrl+s", "membership('shares')", N_("Shares"), id="coord-shares", key_display="Ctrl+S"
    ),
    Binding("ctrl+y", "membership('fee')", N_("Fee"), id="coord-fee", key_display="Ctrl+Y"),
    Binding(
        "ctrl+g", "membership('figures')", N_("Figures"), id="coord-figures", key_display="Ctrl+G"
    ),
]
"""The coordinator screen's keys for this panel (``hub.CoordinatorScreen.action_membership``)."""


class MembershipDone(WorkResult[tuple[int | None, str]]):
    """(the member concerned or None, the text to show in the panel)."""


def standing_text(session: Session, number: int, settings: Settings, today: date) -> str:
    """A member's shares and fee in words, with their share movements."""
    from coop.members import register, service, shares

    member = service.get_by_number(session, number)
    dues = shares.dues(session, member, settings.membership, today)
    lines = [f"{member.number}  {member.full_name}", *shares.standing_lines(member, dues)]
    if member.left_on:
        lines.append(_("Left on {date}").format(date=format_date(member.left_on)))
    lines += ["", _("Movements")]
    for move in shares.movements(session, member):
        amount = f"  {format_money(move.amount_cents)}" if move.amount_cents else ""
        lines.append(f"  {format_date(move.on)}  {register.movement_word(move.kind)}{amount}")
    return "\n".join(lines)


def add_member(
    session: Session, values: dict[str, str], *, settings: Settings, actor: Actor, now: datetime
) -> tuple[int, str]:
    """Register the member, then write their card's PDF (the Print window's ``cards``)."""
    from coop.members import joining
    from tui.printing import print_cards

    details = {k: values[k] for k in ("email", "phone") if values.get(k)}
    member = joining.add(
        session,
        actor=actor,
        now=now,
        settings=settings.members,
        first_name=values["first_name"],
        last_name=values["last_name"],
        category=values.get("category") or None,
        main_member_number=int(values["household"]) if values.get("household") else None,
        **details,
    )
    path: Path = print_cards(session, members=[member.number], settings=settings, now=now)
    text = _("Member {number} {name} registered; card {card}.").format(
        number=member.number,
        name=member.full_name,
        card=_card(session, member.number),
    )
    return member.number, text + "\n" + _("Card written to {path}.").format(path=path)


def _card(session: Session, number: int) -> str:
    from coop.members import service

    card = service.active_card(session, service.get_by_number(session, number))
    return card.barcode if card else "—"


def figures_text(session: Session, at: date, settings: Settings) -> str:
    from coop.members import register

    return register.figures_text(register.figures(session, at=at, membership=settings.membership))


def _amount(text: str) -> int:
    try:
        return parse_amount(text)
    except MoneyError as error:
        raise ValueError(_("{label}: {value}").format(label=_("Amount"), value=error)) from error


def _means(text: str) -> str:
    value = text.strip() or "cash"
    if value not in MEANS:
        raise ValueError(
            _("“{value}” is not one of: {options}").format(value=value, options=", ".join(MEANS))
        )
    return value


class MembershipPanel(VerticalScroll):
    """What the last membership action did, or the general assembly's figures."""

    def __init__(self) -> None:
        super().__init__(id="coord-membership")

    def compose(self) -> ComposeResult:
        yield Static(id="membership-view", classes="coord-text")

    def show(self, text: str) -> None:
        self.query_one("#membership-view", Static).update(text)
        hub(self).show_view("coord-membership")
        self.scroll_home(animate=False)

    def shown_number(self) -> int | None:
        """The member of the F2 view, or None (said on the status line)."""
        from tui.screens.coordinator.member_panel import MemberPanel

        screen = hub(self)
        if not screen.allowed():
            return None
        member = screen.query_one(MemberPanel).member
        if member is None:
            screen.say(_("Find a member first (F2 or scan their card)."), "error")
            return None
        return member.number

    def add(self) -> None:
        if not hub(self).allowed():
            return
        fields = [
            Field("first_name", _("First name")),
            Field("last_name", _("Last name")),
            Field("email", _("Email")),
            Field("phone", _("Phone"), scans=True),
            Field("category", _("Category"), placeholder="standard"),
            Field("household", _("Household of member no."), scans=True),
        ]

        def validate(values: dict[str, str]) -> dict[str, str]:
            for key, label in (("first_name", _("First name")), ("last_name", _("Last name"))):
                if not values[key]:
                    raise ValueError(
                        _("{label}: {value}").format(label=label, value=_("this field is required"))
                    )
            if values["household"] and not values["household"].isdigit():
                raise ValueError(_("Household of member no.") + ": " + values["household"])
            return values

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            settings, context = hub(self).settings, hub(self).context()
            begin(
                self,
                done=MembershipDone,
                job=lambda session: add_member(session, values, settings=settings, **context),
            )

        self.app.push_screen(FormDialog(_("New member"), fields, validate), done)

    def leave(self) -> None:
        number = self.shown_number()
        if number is None:
            return
        today = hub(self).today()
        fields = [Field("on", _("Leaving date"), format_date(today)), Field("reason", _("Reason"))]

        def validate(values: dict[str, str]) -> tuple[date, str]:
            if not values["reason"]:
                raise ValueError(
                    _("{label}: {value}").format(label=_("Reason"), value=_("give the reason"))
                )
            return parse_day(values["on"], _("Leaving date")), values["reason"]

        def done(answer: tuple[date, str] | None) -> None:
            if answer is None:
                return
            on, reason = answer
            settings, context = hub(self).settings, hub(self).context()

            def job(session: Session) -> tuple[int, str]:
                from coop import membership
                from coop.members import service

                member = service.get_by_number(session, number)
                gone = membership.leave(
                    session, member, on=on, reason=reason, settings=settings, **context
                )
                lines = [
                    _("Member {number} leaves on {date}; card ended.").format(
                        number=number, date=format_date(on)
                    ),
                    _(
                        "Fixed shift slots released: {slots}; AMAP subscriptions ended: {subs}."
                    ).format(slots=gone.slots_released, subs=gone.subscriptions_ended),
                    _("Shares refundable from {date}.").format(date=format_date(gone.refund_from)),
                ]
                return number, "\n".join(lines)

            begin(self, done=MembershipDone, job=job)

        self.app.push_screen(
            FormDialog(_("Member {number} leaves").format(number=number), fields, validate), done
        )

    def rejoin(self) -> None:
        number = self.shown_number()
        if number is None:
            return
        fields = [Field("on", _("Day"), format_date(hub(self).today()))]

        def done(on: date | None) -> None:
            if on is None:
                return
            settings, context = hub(self).settings, hub(self).context()

            def job(session: Session) -> tuple[int, str]:
                from coop.members import joining, service

                member = service.get_by_number(session, number)
                joining.rejoin(session, member, on=on, settings=settings.members, **context)
                return number, _("Member {number} is back from {date}; card {card}.").format(
                    number=number, date=format_date(on), card=_card(session, number)
                )

            begin(self, done=MembershipDone, job=job)

        self.app.push_screen(
            FormDialog(
                _("Member {number} rejoins").format(number=number),
                fields,
                lambda values: parse_day(values["on"], _("Day")),
            ),
            done,
        )

    def pay_shares(self) -> None:
        number = self.shown_number()
        if number is None:
            return
        fields = [
            Field("amount", _("Amount")),
            Field("means", _("Means"), "cheque", placeholder=", ".join(MEANS)),
        ]

        def done(answer: tuple[int, str] | None) -> None:
            if answer is None:
                return
            amount, means = answer
            settings, context = hub(self).settings, hub(self).context()
            today = hub(self).today()

            def job(session: Session) -> tuple[int, str]:
                from coop.members import service, shares

                member = service.get_by_number(session, number)
                shares.pay_shares(
                    session, member, amount, means=means, settings=settings.membership, **context
                )
                return number, standing_text(session, number, settings, today)

            begin(self, done=MembershipDone, job=job)

        self.app.push_screen(
            FormDialog(
                _("Share payment of member {number}").format(number=number),
                fields,
                lambda values: (_amount(values["amount"]), _means(values["means"])),
            ),
            done,
        )

    def pay_fee(self) -> None:
        number = self.shown_number()
        if number is None:
            return
        today = hub(self).today()
        fields = [
            Field("year", _("Year"), str(today.year)),
            Field("means", _("Means"), "cheque", placeholder=", ".join(MEANS)),
        ]

        def validate(values: dict[str, str]) -> tuple[int, str]:
            if not values["year"].isdigit():
                raise ValueError(_("“{value}” is not a year").format(value=values["year"]))
            return int(values["year"]), _means(values["means"])

        def done(answer: tuple[int, str] | None) -> None:
            if answer is None:
                return
            year, means = answer
            settings, context = hub(self).settings, hub(self).context()

            def job(session: Session) -> tuple[int, str]:
                from coop.members import service, shares

                member = service.get_by_number(session, number)
                shares.pay_fee(
                    session, member, year=year, means=means, settings=settings.membership, **context
                )
                return number, standing_text(session, number, settings, today)

            begin(self, done=MembershipDone, job=job)

        self.app.push_screen(
            FormDialog(_("Fee of member {number}").format(number=number), fields, validate), done
        )

    def figures(self) -> None:
        if not hub(self).allowed():
            return
        settings, today = hub(self).settings, hub(self).today()
        begin(
            self,
            done=MembershipDone,
            job=lambda session: (None, figures_text(session, today, settings)),
            read_only=True,
        )

    @on(MembershipDone)
    def done(self, message: MembershipDone) -> None:
        hub(self).busy = False
        text = message.result[1]
        self.show(text)
        hub(self).say(_("Done."), "ok")
