"""The welcome desk (accueil): scan a card or find a name, read in one large panel whether the
person may shop.

The panel is the core's desk check (``coop.shifts.desk.check``) in words: may shop or not (green,
orange with warnings, red), the status, the reasons, what to do and by when, the household (who
shops on the main member's status) and the next shift booked. Where the policy allows it, F6
gives a suspended member a logged grace delay (``coop.shifts.desk.grant_grace``) after asking
for the reason; Escape backs out of the question and nothing is recorded. F8 lets the member
set or change their own PIN (``tui.screens.pin_dialog``).

What the scan field reads: a card (13 digits, its check digit checked first) or a member number
(AZERTY-shifted digits are mapped back by the core); letters open the search by name with what
was typed; anything else says why and rings. The scan field keeps the focus after every dialog.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from sqlalchemy.orm import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from coop.dates import format_date
from coop.i18n import N_, _
from coop.rights import Actor, NotAllowed
from tui.messages import WorkFailed, WorkResult
from tui.screens.base import ComptoirScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.member_banner import banner_level
from tui.widgets.scan_field import ScanField
from tui.work import run_work

if TYPE_CHECKING:
    from coop.amap.rota import DutySummary
    from coop.shifts.desk import DeskCheck


def read_member_scan(text: str) -> tuple[str, str]:
    """What the desk's scan field got: ("member", digits), ("name", text) or ("error", why).

    Uses the core's reading of scans (AZERTY digits, length limit) and of cards (check digit)."""
    from coop.members.rules import check_card
    from coop.scanning import ScanError, normalise_scan

    try:
        digits = normalise_scan(text)
    except ScanError:
        return "error", _("That is far too long for a card or a name: scan again.")
    if digits.isdigit():
        if len(digits) == 13:
            try:
                check_card(digits)
            except ValueError as error:
                return "error", str(error)
        return "member", digits
    if any(char.isalpha() for char in digits):
        return "name", text.strip()
    return "error", _("“{text}” is not a member card, a number or a name.").format(
        text=text.strip()[:40]
    )


def panel_text(check: DeskCheck) -> Text:
    """The desk check as the panel shows it (see the module docstring)."""
    member, shopper = check.member, check.shopper
    text = Text()
    verdict = _("MAY SHOP") if check.can_shop else _("MAY NOT SHOP")
    text.append(verdict + "\n", style="bold reverse")
    text.append(
        _("Member {number} {name}").format(number=member.number, name=member.name),
        style="bold",
    )
    if shopper.main is False:
        text.append(
            "\n"
            + _("{name} shops on the status of member {number}.").format(
                name=shopper.name, number=member.number
            )
        )
    if check.left_on is not None:
        text.append("\n" + check.status_text, style="bold")
        return text
    text.append("\n" + _("Status: {status}").format(status=check.status_text))
    for reason in check.reasons:
        text.append("\n✗ " + reason.text, style="bold")
    for warning in check.warnings:
        text.append("\n! " + warning.text)
    text.append("\n\n" + _("What to do"), style="underline")
    # One sentence, one date (the last day to act): issue 16 §10.
    text.append("\n" + (check.to_do_text or _("No shift owed.")))
    if check.next_shift:
        text.append("\n" + _("Next shift: {shift}").format(shift=check.next_shift.text))
    else:
        text.append("\n" + _("No shift booked."))
    others = [m for m in check.household if m.number != member.number]
    text.append("\n\n" + _("Household"), style="underline")
    if others:
        for person in others:
            text.append(f"\n  {person.number:>6}  {person.name}")
    else:
        text.append("\n  " + _("nobody else"))
    if check.grace_possible:
        text.append("\n\n" + _("F6: give a grace delay (with a reason)."), style="bold")
    return text


class Checked(WorkResult["DeskCheck"]):
    """The desk check of the person scanned."""


class CheckFailed(WorkFailed):
    """The desk check could not be done (unknown card, a name typed…)."""


class AmapDuties(WorkResult[tuple[int, "DutySummary | None"]]):
    """The member's AMAP distribution duties (None: in no AMAP contract)."""


def amap_duties(session: Session, number: int, today: date) -> tuple[int, DutySummary | None]:
    """(member number, ``coop.amap.rota.duty_summary``) for the panel's AMAP line."""
    from sqlalchemy import select

    from coop.amap import rota
    from coop.members.models import Member

    member_id = session.scalar(select(Member.id).where(Member.number == number))
    return number, None if member_id is None else rota.duty_summary(session, member_id, today)


def duties_text(summary: DutySummary) -> str:
    return _("AMAP: {done} distribution duties in the last 12 months, {upcoming} to come.").format(
        done=summary.done, upcoming=summary.upcoming
    )


class GraceGiven(WorkResult[tuple[int, str]]):
    """A grace was given: (member number, last day as ISO date)."""


class GraceFailed(WorkFailed):
    """The grace was refused."""


class DeskScreen(ComptoirScreen):
    CSS_PATH = "desk.tcss"
    AUTO_FOCUS = "#scan"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "member_search", N_("Find a member"), id="desk-search", key_display="F2"),
        Binding("f5", "recheck", N_("Check again"), id="desk-recheck", key_display="F5"),
        Binding("f6", "grace", N_("Grace"), id="desk-grace", key_display="F6"),
        Binding("f7", "shifts", N_("Shifts"), id="desk-shifts", key_display="F7"),
        Binding("f8", "own_pin", N_("My PIN"), id="desk-pin", key_display="F8"),
        Binding("escape", "clear", N_("Clear"), id="desk-clear"),
    ]

    def __init__(self) -> None:
        super().__init__(id="desk")
        self.check: DeskCheck | None = None
        self.busy = False
        # the grace being given: (member number, reason, authorised on the spot already)
        self.grace_asked: tuple[int, str, bool] | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll(id="desk-scroll"):
            yield Static(self.idle_text(), id="desk-panel")
        yield Static(id="desk-info")
        yield ScanField(_("Scan a member card, or type a number or a name, then Enter"))
        yield KeyBar()  # every key, on two lines if need be (F1: the list)

    @staticmethod
    def idle_text() -> str:
        return _("Scan a member card (or type a member number or a name) to see if they may shop.")

    def on_mount(self) -> None:
        self.sub_title = _("Welcome desk")
        self.call_after_refresh(self.comptoir.screen_ready)

    def on_screen_resume(self) -> None:
        self.query_one(ScanField).focus()

    # --- what the desk reads ------------------------------------------------------------------

    def say(self, text: str, level: str = "info") -> None:
        info = self.query_one("#desk-info", Static)
        info.remove_class("-info", "-error", "-ok")
        info.add_class(f"-{level}")
        info.update(text)
        if level == "error":
            self.app.bell()

    def show(self, check: DeskCheck | None) -> None:
        self.check = check
        panel = self.query_one("#desk-panel", Static)
        panel.remove_class("-ok", "-warn", "-refused")
        if check is None:
            panel.update(self.idle_text())
            return
        panel.add_class(f"-{banner_level(check)}")
        panel.update(panel_text(check))

    # --- scans and searches -------------------------------------------------------------------

    def on_scan_field_scanned(self, event: ScanField.Scanned) -> None:
        event.stop()
        kind, value = read_member_scan(event.text)
        if kind == "error":
            self.say(value, "error")
            return
        if kind == "name":
            self.open_search(value)
            return
        self.look_up(value)

    def look_up(self, query: str) -> None:
        from coop.shifts import desk

        settings = self.comptoir.settings.shifts
        membership = self.comptoir.settings.membership
        at = self.comptoir.clock()

        def job(session: Session) -> DeskCheck:
            return desk.check(session, query, at=at, settings=settings, membership=membership)

        run_work(
            self,
            job,
            done=Checked,
            failed=CheckFailed,
            read_only=True,
            exclusive=True,
            group="desk-check",
        )

    @on(Checked)
    def checked(self, message: Checked) -> None:
        check = message.result
        self.show(check)
        member = check.member
        number, today = member.number, self.comptoir.clock().date()
        run_work(
            self,
            lambda session: amap_duties(session, number, today),
            done=AmapDuties,
            read_only=True,
            exclusive=True,
            group="desk-amap",
        )
        if check.can_shop:
            self.say(
                _("Member {number} {name}: may shop.").format(
                    number=member.number, name=member.name
                ),
                "ok",
            )
        else:
            self.say(
                _("Member {number} {name}: may not shop.").format(
                    number=member.number, name=member.name
                ),
                "error",
            )

    @on(AmapDuties)
    def amap_shown(self, message: AmapDuties) -> None:
        number, summary = message.result
        check = self.check
        if summary is None or check is None or check.member.number != number:
            return
        text = panel_text(check)
        text.append("\n\n" + duties_text(summary))
        self.query_one("#desk-panel", Static).update(text)

    @on(CheckFailed)
    def check_failed(self, message: CheckFailed) -> None:
        message.prevent_default()
        self.show(None)
        self.say(message.text, "error")

    def action_member_search(self) -> None:
        self.open_search("")

    def open_search(self, query: str) -> None:
        from tui.screens.member_search import MemberSearchDialog

        def chosen(number: int | None) -> None:
            if number is not None:
                self.look_up(str(number))

        self.app.push_screen(MemberSearchDialog(query), chosen)

    def action_recheck(self) -> None:
        if self.check is None:
            self.say(_("Scan a member card first."), "error")
            return
        self.look_up(str(self.check.shopper.number))

    def action_clear(self) -> None:
        self.show(None)
        self.say("")

    # --- booking (tui.screens.booking_dialogs) ------------------------------------------------

    def action_shifts(self) -> None:
        """F7: the member's shifts to come: book, cancel, swap, give to a stand-in."""
        from tui.screens.booking_dialogs import MemberShiftsDialog

        check = self.check
        if check is None:
            self.say(_("Scan a member card first."), "error")
            return
        number = check.member.number
        self.app.push_screen(
            MemberShiftsDialog(number, check.member.name), lambda _done: self.look_up(str(number))
        )

    def action_own_pin(self) -> None:
        """F8: the member sets or changes their own PIN (``tui.screens.pin_dialog``)."""
        from tui.screens.pin_dialog import OwnPinDialog

        card = str(self.check.shopper.number) if self.check is not None else ""

        def done(text: str | None) -> None:
            if text:
                self.say(text, "ok")

        self.app.push_screen(OwnPinDialog(card), done)

    # --- grace ------------------------------------------------------------------------------

    def action_grace(self) -> None:
        from tui.screens.dialogs import TextDialog

        check = self.check
        if check is None:
            self.say(_("Scan a member card first."), "error")
            return
        if self.busy:
            return
        member = check.member
        if not check.grace_possible:
            self.say(
                _("The rules do not allow a grace delay for member {number} now.").format(
                    number=member.number
                ),
                "error",
            )
            return
        number = member.number

        def answered(reason: str | None) -> None:
            if reason:
                self.grant(number, reason)

        self.app.push_screen(
            TextDialog(
                _("Grace delay for member {number} {name}").format(number=number, name=member.name),
                _("Why? (kept in the log with your name)"),
            ),
            answered,
        )

    def grant(self, number: int, reason: str, second: Actor | None = None) -> None:
        """Give the grace as the person at the desk; ``second``: who authorised it on the spot
        when that person lacks the right (both names are recorded)."""
        from coop.shifts import desk

        app = self.comptoir
        settings, now = app.settings.shifts, app.clock()
        actor = app.actor if second is None else app.actor.with_second(second)
        self.busy = True
        self.grace_asked = (number, reason, second is not None)

        def job(session: Session) -> tuple[int, str]:
            extension = desk.grant_grace(
                session,
                member_number=number,
                reason=reason,
                settings=settings,
                actor=actor,
                now=now,
            )
            return number, extension.ends_on.isoformat()

        run_work(self, job, done=GraceGiven, failed=GraceFailed)

    @on(GraceGiven)
    def grace_given(self, message: GraceGiven) -> None:
        self.busy = False
        number, until = message.result
        self.look_up(str(number))
        self.app.notify(
            _("Grace given to member {number} until {date}: they may shop meanwhile.").format(
                number=number, date=format_date(date.fromisoformat(until))
            )
        )

    @on(GraceFailed)
    def grace_failed(self, message: GraceFailed) -> None:
        message.prevent_default()
        self.busy = False
        asked, self.grace_asked = self.grace_asked, None
        if isinstance(message.error, NotAllowed) and asked is not None and not asked[2]:
            # the person at the desk lacks the right: someone who holds it gives card and PIN
            from tui.screens.login import ask_second

            number, reason, _second = asked
            refusal = message.error

            def authorised(second: Actor | None) -> None:
                if second is None:
                    self.say(str(refusal), "error")
                else:
                    self.grant(number, reason, second)

            ask_second(self.app, refusal, authorised)
            return
        self.say(message.text, "error")
