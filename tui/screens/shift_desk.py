"""The shift desk (accueil des créneaux): today's shifts, who is booked, who came.

The day shown is the app clock's day at first; PgUp/PgDn show the previous/next day (to mark
yesterday's shift after the fact) and Home comes back to today; the line above the list names
the day shown. Each shift is a header line (times, name, places taken, and a
warning when it is under-staffed or a required role is missing, from
``coop.shifts.planning.understaffed``), followed by the people booked on it with their kind of
booking and their attendance state.

- Scanning a card (or typing a number; letters open the search by name) marks that person
  attended on the shift of the day shown they are booked on: the one running now, else the next
  one, else the last one. Someone not booked that day is told to come as a walk-in (F7).
- ↑/↓ choose a person; F4 attended, F5 missed, F6 excused, F8 back to booked
  (``coop.shifts.attendance.mark``: the ledger effect is replaced, never doubled; the core
  refuses to mark attended or missed a shift that has not started).
- F7 adds a walk-in doing a make-up on the chosen shift: the member search, then the core
  records them as attended (a free place if there is one).

Every change is one transaction run in a worker; the list is read again afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Static

from coop.dates import format_date
from coop.errors import CoopError
from coop.i18n import N_, _, ngettext
from coop.shifts import words as shift_words
from tui.messages import WorkFailed, WorkResult
from tui.screens.base import ComptoirScreen
from tui.screens.desk import read_member_scan
from tui.widgets.key_bar import KeyBar
from tui.widgets.scan_field import ScanField
from tui.work import run_work

if TYPE_CHECKING:
    from coop.shifts.planning import ShiftRow, Staffing

COLUMNS = (
    ("time", N_("Time")),
    ("who", N_("Shift / member")),
    ("kind", N_("Booking")),
    ("state", N_("State")),
)


def column_widths(width: int) -> tuple[int, int, int, int]:
    """Time, shift or member, booking, state: the name takes what 80 columns leave once the
    others, the cells' padding (2 each) and the scroll bar (2) are counted, so the state
    ("⚠ 4/5 places taken", "came") is never cut."""
    if width >= 120:
        return (13, 44, 12, 30)
    time_, kind, state = 11, 12, 20
    return (time_, max(20, width - time_ - kind - state - 2 * 4 - 2), kind, state)


KINDS = {
    "regular": N_("fixed slot"),
    "flying": N_("flying"),
    "makeup": N_("make-up"),
    "walk_in": N_("walk-in"),
}
STATE_STYLES = {
    "attended": "bold green",
    "missed": "bold red",
    "excused": "yellow",
    "cancelled": "dim",
}


@dataclass(frozen=True)
class Marked:
    """An attendance changed: who, on which shift, from which state to which."""

    number: int
    name: str
    shift: str
    before: str | None
    state: str


def day_bounds(day: Any) -> tuple[datetime, datetime]:
    from coop.clock import SHOP_TIMEZONE

    start = datetime.combine(day, time(0), tzinfo=SHOP_TIMEZONE)
    return start, start + timedelta(days=1)


@dataclass(frozen=True)
class DayOfShifts:
    """A day's shifts with their people, and the under-staffed ones by shift id."""

    day: date
    rows: list[ShiftRow]
    short: dict[int, Staffing]


def load_day(session: Any, day: date) -> DayOfShifts:
    """The day's shifts with their people (``coop.shifts.planning.shift_rows``, the list the CLI
    prints) and the under-staffed ones (``coop.shifts.planning.understaffed``)."""
    from coop.shifts.planning import shift_rows, understaffed

    start, _end = day_bounds(day)
    short = understaffed(session, now=start, days=1)
    return DayOfShifts(day, shift_rows(session, day, day), {item.shift_id: item for item in short})


def shift_to_mark(session: Any, member_id: int, now: datetime, day: date | None = None) -> Any:
    """The shift of ``day`` (today by default) a member is booked on that a scan means: running,
    next, or last."""
    from sqlalchemy import select

    from coop.clock import local_date
    from coop.shifts.models import Shift, ShiftAttendance

    shifts = session.scalars(
        select(Shift)
        .join(ShiftAttendance, ShiftAttendance.shift_id == Shift.id)
        .where(
            ShiftAttendance.member_id == member_id,
            ShiftAttendance.state != "cancelled",
            Shift.day == (day or local_date(now)),
            Shift.cancelled_at.is_(None),
        )
        .order_by(Shift.starts_at)
    ).all()
    if not shifts:
        return None
    for shift in shifts:
        if shift.starts_at <= now < shift.ends_at:
            return shift
    later = [shift for shift in shifts if shift.starts_at > now]
    return later[0] if later else shifts[-1]


class DayLoaded(WorkResult[DayOfShifts]):
    """The shifts of the day shown, with the people booked."""


class AttendanceMarked(WorkResult[Marked]):
    """An attendance marked (or a walk-in added)."""


class ShiftFound(WorkResult[tuple[int, int]]):
    """(shift id, member number) of the shift someone who came is marked on."""


class MarkFailed(WorkFailed):
    """The attendance was not marked."""


class ShiftNotFound(WorkFailed):
    """No shift to mark for the person who came."""


class ShiftDeskScreen(ComptoirScreen):
    CSS_PATH = "shift_desk.tcss"
    AUTO_FOCUS = "#scan"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "member_search", N_("Find a member"), id="shifts-search", key_display="F2"),
        Binding("f3", "reload", N_("Refresh"), id="shifts-reload", key_display="F3"),
        Binding("f4", "mark('attended')", N_("Came"), id="shifts-attended", key_display="F4"),
        Binding("f5", "mark('missed')", N_("Missed"), id="shifts-missed", key_display="F5"),
        Binding("f6", "mark('excused')", N_("Excused"), id="shifts-excused", key_display="F6"),
        Binding("f7", "walk_in", N_("Walk-in"), id="shifts-walk-in", key_display="F7"),
        Binding("f8", "mark('pending')", N_("Booked"), id="shifts-pending", key_display="F8"),
        Binding("f9", "bookings", N_("Bookings"), id="shifts-bookings", key_display="F9"),
        # priority: the scan field (focused) has page and Home keys of its own
        Binding(
            "pageup",
            "day(-1)",
            N_("Previous day"),
            id="shifts-prev-day",
            priority=True,
        ),
        Binding(
            "pagedown",
            "day(1)",
            N_("Next day"),
            id="shifts-next-day",
            priority=True,
        ),
        Binding("home", "day(0)", N_("Today"), id="shifts-today", priority=True),
        Binding("up", "cursor(-1)", N_("Previous line"), show=False),
        Binding("down", "cursor(1)", N_("Next line"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="shift-desk")
        self.keys: list[str] = []
        self.shift_of: dict[str, int] = {}
        self.person_of: dict[str, tuple[int, str]] = {}
        self.busy = False
        self.day_offset = 0
        """Days between today and the day shown."""

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(id="shifts-day")  # wraps at 80 columns rather than losing its end
        yield Static(id="shifts-warnings")
        yield DataTable(id="shift-people", cursor_type="row", zebra_stripes=False)
        yield Static(id="shifts-info")
        yield ScanField(_("Scan the card of someone who came (or type a number or a name)"))
        yield KeyBar()  # every key, on two lines if need be (F1: the list)

    def on_mount(self) -> None:
        self.sub_title = _("Shift desk")
        table = self.query_one("#shift-people", DataTable)
        table.can_focus = False
        self.set_columns()
        self.reload()
        self.call_after_refresh(self.comptoir.screen_ready)

    def set_columns(self) -> None:
        table = self.query_one("#shift-people", DataTable)
        table.clear(columns=True)
        widths = column_widths(self.app.size.width)
        for (key, title), width in zip(COLUMNS, widths, strict=True):
            table.add_column(_(title), key=key, width=width)

    def on_resize(self) -> None:
        table = self.query_one("#shift-people", DataTable)
        shown = tuple(column.width for column in table.columns.values())
        if shown != column_widths(self.app.size.width):
            self.set_columns()
            self.reload()

    def on_screen_resume(self) -> None:
        self.query_one(ScanField).focus()

    # --- helpers ------------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.comptoir.clock()

    def today(self) -> date:
        from coop.clock import local_date

        return local_date(self.now())

    def shown_day(self) -> date:
        return self.today() + timedelta(days=self.day_offset)

    def say(self, text: str, level: str = "info") -> None:
        info = self.query_one("#shifts-info", Static)
        info.remove_class("-info", "-error", "-ok")
        info.add_class(f"-{level}")
        info.update(text)
        if level == "error":
            self.app.bell()

    def selected(self) -> str | None:
        table = self.query_one("#shift-people", DataTable)
        if not self.keys or table.cursor_row is None or table.cursor_row >= len(self.keys):
            return None
        return self.keys[table.cursor_row]

    def action_cursor(self, step: int) -> None:
        table = self.query_one("#shift-people", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    # --- the day's list -------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.reload()

    def action_day(self, step: int) -> None:
        self.day_offset = self.day_offset + step if step else 0
        self.say("")
        self.reload()

    def reload(self) -> None:
        day = self.shown_day()
        run_work(
            self,
            done=DayLoaded,
            job=lambda session: load_day(session, day),
            read_only=True,
            exclusive=True,
        )

    @on(DayLoaded)
    def day_done(self, message: DayLoaded) -> None:
        data = message.result
        day = data.day
        if day != self.shown_day():
            return  # another day was asked for meanwhile
        title = _("Shifts of {day}").format(day=format_date(day, "full"))
        if day != self.today():
            title += " — " + (
                _("yesterday") if day == self.today() - timedelta(days=1) else _("not today")
            )
            title += " · " + _("Home: back to today")
        self.query_one("#shifts-day", Static).update(title)
        table = self.query_one("#shift-people", DataTable)
        keep = self.selected()
        table.clear()
        self.keys, self.shift_of, self.person_of = [], {}, {}
        warnings: list[str] = []
        wide = self.app.size.width >= 120  # at 80 columns the names keep more of their room
        indent, digits = ("  ", 6) if wide else (" ", 5)
        for row in data.rows:
            shift = row.shift
            times = f"{shift.starts_at:%H:%M}–{shift.ends_at:%H:%M}"
            short = data.short.get(shift.id)
            if row.cancelled:
                places = _("cancelled: {reason}").format(reason=row.cancel_reason or "—")
            else:
                places = _("{taken}/{seats} places taken").format(taken=row.taken, seats=row.seats)
            style = "bold"
            if short and not row.cancelled:
                warning = ngettext(
                    "{free} free place of {seats}", "{free} free places of {seats}", short.free
                ).format(free=short.free, seats=short.seats)
                if short.missing_roles:
                    warning += " — " + _("missing: {roles}").format(
                        roles=shift_words.roles(short.missing_roles)
                    )
                warnings.append(
                    "⚠ "
                    + _("{time} {shift}: {warning}").format(
                        time=times, shift=shift.name, warning=warning
                    )
                )
                places = f"⚠ {places}"
                style = "bold yellow"
            key = f"s:{shift.id}"
            table.add_row(
                Text(times, style=style),
                Text(shift.name, style=style),
                "",
                Text(places, style=style),
                key=key,
            )
            self.keys.append(key)
            self.shift_of[key] = shift.id
            for person in row.people:
                key = f"a:{shift.id}:{person.number}"
                state = person.state
                table.add_row(
                    "",
                    f"{indent}{person.number:>{digits}}  {person.name}",
                    _(KINDS.get(person.kind, person.kind)),
                    Text(attendance_word(state), style=STATE_STYLES.get(state, "")),
                    key=key,
                )
                self.keys.append(key)
                self.shift_of[key] = shift.id
                self.person_of[key] = (person.number, person.name)
        if not data.rows:
            table.add_row(
                "",
                _("No shift today.") if day == self.today() else _("No shift on that day."),
                "",
                "",
                key="none",
            )
        box = self.query_one("#shifts-warnings", Static)
        box.update("\n".join(warnings))
        box.set_class(bool(warnings), "-warn")
        if keep in self.keys:
            table.move_cursor(row=self.keys.index(keep))
        elif self.keys:
            table.move_cursor(row=self.first_person_row())

    def first_person_row(self) -> int:
        for index, key in enumerate(self.keys):
            if key.startswith("a:"):
                return index
        return 0

    # --- marking -------------------------------------------------------------------------------

    def action_mark(self, state: str) -> None:
        key = self.selected()
        if key is None or key not in self.person_of:
            self.say(_("Choose a person with ↑/↓ first."), "error")
            return
        number, _name = self.person_of[key]
        self.mark(self.shift_of[key], number, state)

    def mark(self, shift_id: int, number: int, state: str, *, walk_in: bool = False) -> None:
        if self.busy:
            return
        from coop.shifts import attendance, booking, service
        from coop.shifts.desk import shift_text

        app = self.comptoir
        settings, actor, now = app.settings.shifts, app.actor, app.clock()
        self.busy = True

        def job(session: Any) -> Marked:
            member = service.worker(session, number)
            shift = service.get_shift(session, shift_id)
            existing = booking.live_attendance(session, shift_id, member.id)
            before = existing.state if existing is not None else None
            done = attendance.mark(
                session,
                shift_id=shift_id,
                member_number=number,
                state=state,
                walk_in=walk_in,
                settings=settings,
                actor=actor,
                now=now,
            )
            return Marked(number, member.full_name, shift_text(shift).text, before, done.state)

        run_work(self, done=AttendanceMarked, failed=MarkFailed, job=job)

    @on(AttendanceMarked)
    def mark_done(self, message: AttendanceMarked) -> None:
        marked = message.result
        self.busy = False
        if marked.before == marked.state:
            text = _("Member {number} {name} was already marked: {state}.")
        elif marked.before is None:
            text = _("Member {number} {name} added as a walk-in: {state}.")
        else:
            text = _("Member {number} {name}: {state}.")
        self.say(
            text.format(number=marked.number, name=marked.name, state=attendance_word(marked.state))
            + " — "
            + marked.shift,
            "ok",
        )
        self.reload()

    @on(MarkFailed)
    def mark_failed(self, message: MarkFailed) -> None:
        message.prevent_default()
        self.busy = False
        self.say(message.text, "error")
        self.reload()

    # --- scans ----------------------------------------------------------------------------------

    def on_scan_field_scanned(self, event: ScanField.Scanned) -> None:
        event.stop()
        kind, value = read_member_scan(event.text)
        if kind == "error":
            self.say(value, "error")
        elif kind == "name":
            self.open_search(value, self.came)
        else:
            self.came(value)

    def action_member_search(self) -> None:
        self.open_search("", self.came)

    def open_search(self, query: str, then: Any) -> None:
        from tui.screens.member_search import MemberSearchDialog

        def chosen(number: int | None) -> None:
            if number is not None:
                then(str(number))

        self.app.push_screen(MemberSearchDialog(query), chosen)

    def came(self, query: str) -> None:
        """Someone scanned their card: attended on their shift of the day shown."""
        from coop.members import service as members

        now, day = self.now(), self.shown_day()
        today = day == self.today()

        def job(session: Any) -> tuple[int, int]:
            found = members.find(session, query)
            if found.by is members.FoundBy.NAME or not found.members:
                raise CoopError(_("Scan a member card or type a member number."))
            member = found.members[0]
            shift = shift_to_mark(session, member.id, now, day)
            if shift is None and today:
                raise CoopError(
                    _(
                        "Member {number} {name} is not booked on a shift today: F7 adds them"
                        " to the chosen shift as a walk-in."
                    ).format(number=member.number, name=member.full_name)
                )
            if shift is None:
                raise CoopError(
                    _(
                        "Member {number} {name} is not booked on a shift on {day}: F7 adds them"
                        " to the chosen shift as a walk-in."
                    ).format(number=member.number, name=member.full_name, day=format_date(day))
                )
            return shift.id, member.number

        run_work(self, done=ShiftFound, failed=ShiftNotFound, job=job, read_only=True)

    @on(ShiftFound)
    def found_done(self, message: ShiftFound) -> None:
        result = message.result
        shift_id, number = result
        self.mark(shift_id, number, "attended")

    @on(ShiftNotFound)
    def found_failed(self, message: ShiftNotFound) -> None:
        message.prevent_default()
        self.say(message.text, "error")

    # --- booking (tui.screens.booking_dialogs) ------------------------------------------------

    def action_bookings(self) -> None:
        """F9: the chosen person's shifts to come (else find a member first): book, cancel,
        swap, give to a stand-in."""
        from tui.screens.booking_dialogs import MemberShiftsDialog

        key = self.selected()
        if key is not None and key in self.person_of:
            number, name = self.person_of[key]
            self.app.push_screen(MemberShiftsDialog(number, name), lambda _done: self.reload())
            return
        self.open_search("", lambda number: self.open_bookings(int(number)))

    def open_bookings(self, number: int) -> None:
        from tui.screens.booking_dialogs import MemberShiftsDialog

        self.app.push_screen(MemberShiftsDialog(number), lambda _done: self.reload())

    # --- walk-ins -------------------------------------------------------------------------------

    def action_walk_in(self) -> None:
        key = self.selected()
        if key is None or key not in self.shift_of:
            self.say(_("Choose a shift with ↑/↓ first."), "error")
            return
        shift_id = self.shift_of[key]
        self.open_search(
            "", lambda number: self.mark(shift_id, int(number), "attended", walk_in=True)
        )


def attendance_word(state: str) -> str:
    from coop.shifts import words

    return words.attendance(state)
