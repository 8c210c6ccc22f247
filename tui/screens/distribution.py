"""The AMAP distribution desk (table de distribution): who collects what today, ticked off.

The screen opens on today's distribution, else the next one (PgUp/PgDn: the previous/next
distribution; F3: the next place that day). A card scan, a member number or a few letters of a
name (accents ignored; AZERTY-shifted digits read as digits) shows what the household collects,
per contract, with its notes: absent, given, kept by someone, the other holder's turn, a
cheque overdue.

- ↑/↓ choose a household in the list; F4 ticks the chosen household's baskets collected; F5
  takes it back (undo). After a failed scan nothing is chosen: F4 does nothing.
- F6 shows the households that did not come (the end of the day); on one of them F7 gives its
  baskets to the solidarity partner, F8 then a scan of the volunteer's card: kept by them;
  the household leaves the list, the panel shows the next one and a notification says what
  was done with the baskets of the one that left.
- The line under the title counts baskets collected / expected per contract and size.

Every change is one transaction in a worker (``tui.work.run_work``, one message class per
kind of result; the use cases are ``coop.amap.desk``); the day is read once and then
updated in memory (``desk.recorded``), so the screen never waits on the whole distribution.
Ctrl+O prints the day's sheets (émargement, depot list…) from the Print window.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Static

from coop.amap.distributions import Day, Household
from coop.dates import format_date
from coop.i18n import N_, _
from tui.messages import WorkResult
from tui.screens.base import ComptoirScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.scan_field import ScanField
from tui.work import run_work

HORIZON = 400
"""How many days ahead (and back) the screen looks for a distribution."""


def load(session: Any, on: date, place: str | None, step: int) -> Day | None:
    """The distribution of ``on`` at ``place`` (its first place when None); with ``step`` ±1 the
    previous/next distribution from ``on``; with 0 and nothing that day, the next one."""
    from coop.amap import desk, distributions

    if step == 0:
        places = distributions.places_on(session, on)
        if places:
            return desk.load(session, on, place if place in places else places[0])
        step = 1
    first, last = (
        (on + timedelta(days=1), on + timedelta(days=HORIZON))
        if step > 0
        else (on - timedelta(days=HORIZON), on - timedelta(days=1))
    )
    found = distributions.dates_between(session, first, last)
    if not found:
        return None
    day, where = found[0] if step > 0 else found[-1]
    if step < 0:
        where = next(p for d, p in found if d == day)
    return desk.load(session, day, where)


def share_line(share: Any) -> Text:
    from coop.amap import words

    line = Text(f"  {share.contract:<14} ")
    if share.status == "absent":
        line.append(_("ABSENT"), style="bold yellow")
    elif share.status == "donated":
        line.append(_("given ({items})").format(items=share.items), style="yellow")
    else:
        line.append(share.items, style="bold")
        if share.factor != 100:
            line.append(f" (×{share.factor / 100:g})", style="bold magenta")
    if share.keeper:
        line.append("  " + _("collected by {keeper}").format(keeper=share.keeper), style="cyan")
    if share.outcome:
        style = "green" if share.outcome == "collected" else "yellow"
        line.append(f"  ✓ {words.pickup(share.outcome)}", style=style)
    return line


def household_text(household: Household) -> Text:
    text = Text()
    text.append(f"{household.member}  {household.names}\n", style="bold")
    for share in household.shares:
        text.append_text(share_line(share))
        text.append("\n")
    if household.overdue:
        text.append(
            _("Payment overdue: a cheque is still expected for {codes}.").format(
                codes=", ".join(household.overdue)
            )
            + "\n",
            style="bold red",
        )
    if household.other_turn:
        text.append(
            _("Shared basket: it is the other holder's turn for {codes}.").format(
                codes=", ".join(household.other_turn)
            ),
            style="yellow",
        )
    return text


def counts_text(day: Day) -> str:
    from coop.amap import desk

    return "  ".join(f"{c.contract} {c.size} {c.collected}/{c.expected}" for c in desk.counts(day))


class DayLoaded(WorkResult["Day | None"]):
    """A distribution was read (None: nothing in the calendar that way)."""


class HouseholdsFound(WorkResult[Any]):
    """A scan or a name was looked up (``coop.amap.desk.Found``)."""


class Recorded(WorkResult[tuple[int, "str | None"]]):
    """A tick, an undo or what happened to a no-show's baskets was committed: (member, outcome)."""


class DistributionScreen(ComptoirScreen):
    CSS_PATH = "distribution.tcss"
    AUTO_FOCUS = "#scan"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f4", "tick", N_("Collected"), id="amap-tick"),
        Binding("f5", "undo", N_("Undo"), id="amap-undo"),
        Binding("f6", "no_shows", N_("Not come"), id="amap-left"),
        Binding("f7", "partner", N_("To the partner"), id="amap-partner"),
        Binding("f8", "volunteer", N_("Kept by a volunteer"), id="amap-volunteer"),
        Binding("f3", "next_place", N_("Place"), id="amap-place"),
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "previous_day", N_("Previous"), show=False),
        Binding("pagedown", "next_day", N_("Next"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="distribution")
        self.day: Day | None = None
        self.shown: list[Household] = []
        self.only_left = False
        self.keeper_for: int | None = None
        self.armed = False
        """A household was found or chosen on purpose: F4–F8 act on it (never after a failed
        scan, which leaves the cursor where it was)."""

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static("", id="amap-title")
        yield Static("", id="amap-counts")
        yield ScanField(_("Scan a card, or type a number or a few letters of a name, then Enter"))
        yield Static("", id="amap-panel")
        yield DataTable(id="amap-list", cursor_type="row", zebra_stripes=True)
        yield KeyBar()  # every key, on two lines if need be (F1: the list)

    def on_mount(self) -> None:
        self.sub_title = _("Distribution")
        table = self.query_one("#amap-list", DataTable)
        table.add_columns(_("No."), _("Household"), _("Today"))
        self.read(self.comptoir.clock().date(), None, 0)
        self.call_after_refresh(self.comptoir.screen_ready)

    def on_screen_resume(self) -> None:
        self.query_one(ScanField).focus()

    # -- reading -----------------------------------------------------------------------------

    def read(self, on: date, place: str | None, step: int) -> None:
        run_work(
            self,
            lambda s: load(s, on, place, step),
            done=DayLoaded,
            read_only=True,
            exclusive=True,
            group="amap-load",
        )

    @on(DayLoaded)
    def loaded(self, message: DayLoaded) -> None:
        day = message.result
        if day is None:
            self.say(_("No distribution in the calendar."), "warning")
            return
        self.day = day
        self.only_left = False
        self.armed = False
        self.show(list(day.households))
        self.query_one("#amap-panel", Static).update("")

    def refresh_head(self) -> None:
        day = self.day
        if day is None:
            return
        left = " — " + _("households that did not come") if self.only_left else ""
        self.query_one("#amap-title", Static).update(
            f"{format_date(day.on, 'full')} — {day.place_name} ({day.place})"
            + (f", {day.hours}" if day.hours else "")
            + left
        )
        self.query_one("#amap-counts", Static).update(counts_text(day))

    def show(self, households: list[Household]) -> None:
        self.shown = households
        table = self.query_one("#amap-list", DataTable)
        table.clear()
        for household in households:
            state = Text("✓", style="green") if household.collected else Text("")
            if household.absent:
                state = Text(_("absent"), style="yellow")
            table.add_row(
                str(household.member),
                household.names,
                Text.assemble(state, " ", " ".join(s.contract for s in household.due)),
                key=str(household.member),
            )
        self.refresh_head()

    def say(self, text: str, severity: str = "information") -> None:
        if severity == "error":
            self.armed = False
            self.app.bell()
        self.query_one("#amap-panel", Static).update(
            Text(text, style="bold red" if severity == "error" else "yellow")
        )

    def chosen(self) -> Household | None:
        table = self.query_one("#amap-list", DataTable)
        if (
            not self.armed
            or not self.shown
            or table.cursor_row < 0
            or table.cursor_row >= len(self.shown)
        ):
            return None
        return self.shown[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        household = self.chosen()
        if household is not None:
            self.query_one("#amap-panel", Static).update(household_text(household))

    # -- scans -------------------------------------------------------------------------------

    def on_scan_field_scanned(self, event: ScanField.Scanned) -> None:
        event.stop()
        if self.day is None:
            return
        day, text = self.day, event.text
        if self.keeper_for is not None:
            member, self.keeper_for = self.keeper_for, None
            self.change("settle", member, outcome="volunteer", keeper_scan=text)
            return
        from coop.amap import desk

        run_work(
            self,
            lambda s: desk.find(s, day, text),
            done=HouseholdsFound,
            read_only=True,
            exclusive=True,
            group="amap-find",
        )

    @on(HouseholdsFound)
    def found(self, message: HouseholdsFound) -> None:
        found = message.result
        if found.message and not found.households:
            self.say(found.message, "error")
            return
        self.only_left = False
        self.armed = True
        self.show(list(found.households))
        table = self.query_one("#amap-list", DataTable)
        table.move_cursor(row=0)
        panel = household_text(found.households[0])
        if found.message:
            panel.append("\n" + found.message, style="yellow")
        self.query_one("#amap-panel", Static).update(panel)

    # -- changes -----------------------------------------------------------------------------

    def change(
        self, kind: str, member: int, *, outcome: str | None = None, keeper_scan: str = ""
    ) -> None:
        from coop.amap import desk

        day = self.day
        if day is None:
            return
        actor, now = self.comptoir.actor, self.comptoir.clock()

        def job(session: Any) -> tuple[int, str | None]:
            if kind == "tick":
                desk.tick(session, day, member, actor=actor, now=now)
                return member, "collected"
            if kind == "undo":
                desk.undo(session, day, member, actor=actor, now=now)
                return member, None
            keeper = None
            if keeper_scan:
                found = desk.keeper(session, keeper_scan)
                keeper = found
            desk.settle(session, day, member, outcome or "", keeper=keeper, actor=actor, now=now)
            return member, outcome

        run_work(self, job, done=Recorded, group="amap-change")

    @on(Recorded)
    def recorded(self, message: Recorded) -> None:
        from coop.amap import desk

        member, outcome = message.result
        if self.day is None:
            return
        self.day = desk.recorded(self.day, member, outcome)
        households = {h.member: h for h in self.day.households}
        if self.only_left:
            self.show(desk.no_shows(self.day))
        else:
            self.show([households.get(h.member, h) for h in self.shown])
        if member in households:
            self.query_one("#amap-panel", Static).update(household_text(households[member]))
        gone = member in households and all(h.member != member for h in self.shown)
        if gone and outcome:  # left the no-shows list: the panel moves on to the next one
            from coop.amap import words

            household = households[member]
            self.app.notify(
                _("{label}: {value}").format(
                    label=f"{household.member}  {household.names}",
                    value=words.pickup(outcome),
                )
            )

    def action_tick(self) -> None:
        household = self.chosen()
        if household is None:
            self.say(_("Scan a card or find a household first."), "error")
            return
        self.change("tick", household.member)

    def action_undo(self) -> None:
        household = self.chosen()
        if household is not None:
            self.change("undo", household.member)

    def action_no_shows(self) -> None:
        from coop.amap import desk

        if self.day is None:
            return
        self.only_left = True
        self.armed = True
        left = desk.no_shows(self.day)
        self.show(left)
        if not left:
            self.say(_("Every household came."))

    def action_move(self, step: int) -> None:
        """↑/↓ choose a household in the list (the focus stays in the scan field)."""
        table = self.query_one("#amap-list", DataTable)
        if not self.shown:
            return
        if self.armed:
            table.move_cursor(row=max(0, min(table.cursor_row + step, len(self.shown) - 1)))
        self.armed = True
        household = self.chosen()
        if household is not None:
            self.query_one("#amap-panel", Static).update(household_text(household))

    def action_partner(self) -> None:
        household = self.chosen()
        if household is not None:
            self.change("settle", household.member, outcome="partner")

    def action_volunteer(self) -> None:
        household = self.chosen()
        if household is None:
            return
        self.keeper_for = household.member
        self.say(_("Scan the card of the volunteer who keeps the baskets (or type the number)."))
        self.query_one(ScanField).focus()

    def action_next_place(self) -> None:
        from coop.amap import distributions

        day = self.day
        if day is None:
            return

        def job(session: Any) -> Day | None:
            places = distributions.places_on(session, day.on)
            after = places[(places.index(day.place) + 1) % len(places)]
            return load(session, day.on, after, 0)

        run_work(self, job, done=DayLoaded, read_only=True, exclusive=True, group="amap-load")

    def action_previous_day(self) -> None:
        if self.day is not None:
            self.read(self.day.on, None, -1)

    def action_next_day(self) -> None:
        if self.day is not None:
            self.read(self.day.on, None, 1)
