"""The coordinator's week panel: a week of the shift calendar with the places taken and the fill
rate of each shift (F3, PgUp/PgDn), and the shifts of a period generated (F4) or a closure of
the shop applied (F5) through the core."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from coop.dates import format_date
from coop.i18n import _, ngettext
from tui.messages import WorkResult
from tui.screens.coordinator import jobs
from tui.screens.coordinator.forms import Field, FormDialog
from tui.screens.coordinator.panel import begin, hub, parse_day


def fill_bar(taken: int, seats: int, width: int = 10) -> str:
    if not seats:
        return ""
    full = round(width * taken / seats)
    return "█" * full + "░" * (width - full) + f" {round(100 * taken / seats):>3} %"


class WeekLoaded(WorkResult[jobs.Week]):
    """A week of shifts with their places (``jobs.week``)."""


class ShiftsGenerated(WorkResult[str]):
    """What the generation did, in words."""


class ShopClosed(WorkResult[str]):
    """What the closure did, in words."""


class WeekPanel(Vertical):
    """A week of the calendar, and the keys that make or cancel shifts."""

    def __init__(self) -> None:
        super().__init__(id="coord-week-view")
        self.monday: date | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="week-title")
        yield DataTable(id="week-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#week-table", DataTable)
        table.can_focus = False
        table.add_column(_("Day"), key="day", width=11)
        table.add_column(_("Time"), key="time", width=13)
        table.add_column(_("Shift"), key="name", width=26)
        table.add_column(_("Places"), key="places", width=7)
        table.add_column(_("Filled"), key="fill", width=16)
        table.add_column(_("Note"), key="note", width=30)

    def move(self, step: int) -> None:
        if not hub(self).allowed():
            return
        if step == 0 or self.monday is None:
            today = hub(self).today()
            self.show_week(today - timedelta(days=today.weekday(), weeks=-step))
        else:
            self.show_week(self.monday + timedelta(weeks=step))

    def show_week(self, monday: date) -> None:
        self.monday = monday
        begin(self, done=WeekLoaded, job=lambda session: jobs.week(session, monday), read_only=True)

    @on(WeekLoaded)
    def week_done(self, message: WeekLoaded) -> None:
        data = message.result
        table = self.query_one("#week-table", DataTable)
        table.clear()
        rows = data.rows
        seats = taken = 0
        letters = sorted({row.week for row in rows if row.week})
        for row in rows:
            shift = row.shift
            times = f"{shift.starts_at:%H:%M}–{shift.ends_at:%H:%M}"
            if row.cancelled:
                note = Text(
                    _("cancelled: {reason}").format(reason=row.cancel_reason or "—"),
                    style="dim",
                )
                fill = ""
            else:
                seats += row.seats
                taken += row.taken
                fill = fill_bar(row.taken, row.seats)
                free = row.free
                note = (
                    Text(
                        "⚠ "
                        + ngettext(
                            "{free} free place of {seats}", "{free} free places of {seats}", free
                        ).format(free=free, seats=row.seats),
                        style="bold yellow",
                    )
                    if free
                    else Text("")
                )
            table.add_row(
                format_date(shift.day, "EEE dd/MM"),
                times,
                shift.name,
                f"{row.taken}/{row.seats}",
                fill,
                note,
                key=str(shift.id),
            )
        monday = data.monday
        summary = _("Week of {date}").format(date=format_date(monday, "long"))
        if letters:
            summary += " — " + _("week {letter}").format(letter="/".join(letters))
        if rows:
            summary += " — " + _("{count} shifts, {taken}/{seats} places taken ({rate} %)").format(
                count=len(rows),
                taken=taken,
                seats=seats,
                rate=round(100 * taken / seats) if seats else 0,
            )
        else:
            summary += " — " + _("no shift (F4 generates them)")
        self.query_one("#week-title", Static).update(summary)
        hub(self).show_view("coord-week-view")

    def generate(self) -> None:
        if not hub(self).allowed():
            return
        first = hub(self).today() + timedelta(days=1)
        last = first + timedelta(days=27)
        settings = hub(self).settings

        def validate(values: dict[str, str]) -> tuple[date, date]:
            start = parse_day(values["first"], _("From"))
            end = parse_day(values["last"], _("To"))
            if end < start:
                raise ValueError(_("the end date is before the start date"))
            return start, end

        def done(period: tuple[date, date] | None) -> None:
            if period is None:
                return
            context = hub(self).context()
            self.monday = period[0] - timedelta(days=period[0].weekday())
            begin(
                self,
                done=ShiftsGenerated,
                job=lambda session: jobs.generate(
                    session, period[0], period[1], settings=settings, **context
                ),
            )

        self.app.push_screen(
            FormDialog(
                _("Generate the shifts of a period"),
                [
                    Field("first", _("From (dd/mm/yyyy)"), format_date(first)),
                    Field("last", _("To (dd/mm/yyyy)"), format_date(last)),
                ],
                validate,
            ),
            done,
        )

    @on(ShiftsGenerated)
    def generated_done(self, message: ShiftsGenerated) -> None:
        text = message.result
        hub(self).show_result(text)

    def closure(self) -> None:
        from tui.screens.dialogs import ConfirmDialog

        if not hub(self).allowed():
            return
        settings = hub(self).settings

        def validate(values: dict[str, str]) -> tuple[date, date, str]:
            start = parse_day(values["first"], _("From"))
            end = parse_day(values["last"] or values["first"], _("To"))
            if end < start:
                raise ValueError(_("the closure ends before it starts"))
            if not values["label"]:
                raise ValueError(_("Give the reason of the closure."))
            return start, end, values["label"]

        def confirmed(closure: tuple[date, date, str], yes: bool | None) -> None:
            if not yes:
                hub(self).say(_("Nothing was changed."))
                return
            context = hub(self).context()
            self.monday = closure[0] - timedelta(days=closure[0].weekday())
            begin(
                self,
                done=ShopClosed,
                job=lambda session: jobs.closure(session, *closure, settings=settings, **context),
            )

        def done(closure: tuple[date, date, str] | None) -> None:
            if closure is None:
                return
            self.app.push_screen(
                ConfirmDialog(
                    _(
                        "Close the shop from {first} to {last} ({label})? The shifts inside are"
                        " cancelled and their bookings handled by the rules."
                    ).format(
                        first=format_date(closure[0]),
                        last=format_date(closure[1]),
                        label=closure[2],
                    ),
                    yes=_("close"),
                    no=_("back"),
                ),
                lambda yes: confirmed(closure, yes),
            )

        self.app.push_screen(
            FormDialog(
                _("Close the shop (closure)"),
                [
                    Field("first", _("From (dd/mm/yyyy)")),
                    Field("last", _("To (dd/mm/yyyy; empty: one day)")),
                    Field("label", _("Reason (shown to the members)")),
                ],
                validate,
            ),
            done,
        )

    @on(ShopClosed)
    def closed_done(self, message: ShopClosed) -> None:
        text = message.result
        hub(self).show_result(text)
