"""Booking from the desks (issue 16 §8): a member's shifts to come, and from there book a free
place of the coming weeks, cancel a booking, swap with another member (as in Obeesdoo) or give
the booking — a fixed-slot shift too — to a stand-in. Keyboard only; every shift is named by
its day and time in words.

``MemberShiftsDialog(number, name)`` is opened by the welcome desk (F7, on the member shown)
and the shift desk (F9, on the person chosen, else after a search). Keys: ↑↓ choose a booking,
F4 book (the free places the member may take in the next four weeks, ``coop.shifts.places``;
↑↓ and Enter), F5 cancel the booking (the coop's notice rules apply), F6 swap (find the other
member, choose their booking, O to confirm: ``coop.shifts.swaps.swap``), F7 stand-in (find
them, O to confirm: ``coop.shifts.swaps.hand_over``), Escape back. A refusal is a sentence
on the dialog's info line, with the bell; nothing is saved half-way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from sqlalchemy.orm import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static

from coop.i18n import N_, _
from coop.shifts.places import Booked, FreePlace
from tui.messages import WorkFailed, WorkResult
from tui.screens.base import ComptoirModal
from tui.screens.shift_desk import KINDS
from tui.work import run_work

WEEKS = 4


LIST_CSS = """
.dialog-box OptionList {
    height: auto;
    max-height: 50vh;
}
"""


class ChoiceDialog(ComptoirModal):
    """A list to choose from: ↑↓ and Enter dismiss with the index, Escape with None."""

    CSS_PATH = "dialogs.tcss"
    DEFAULT_CSS = LIST_CSS

    def __init__(self, title: str, options: list[str], empty: str) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.options = options
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.title_text, classes="dialog-title")
            if self.options:
                yield OptionList(*self.options, id="choices")
            else:
                yield Static(self.empty, id="choices-empty")
            yield Static(_("↑↓: choose · Enter: this one · Escape: back"), classes="dialog-help")

    def on_mount(self) -> None:
        if self.options:
            choices = self.query_one("#choices", OptionList)
            choices.highlighted = 0
            choices.focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_index)


class BookingsRead(WorkResult[tuple[str, list[Booked]]]):
    """The member's name and bookings to come."""


class PlacesRead(WorkResult[list[FreePlace]]):
    """The free places the member may take."""


class OtherBookingsRead(WorkResult[tuple[int, list[Booked]]]):
    """The bookings of the member to swap with: (their number, bookings)."""


class BookingChanged(WorkResult[str]):
    """A booking was made, cancelled, swapped or handed over: the sentence to show."""


class BookingRefused(WorkFailed):
    """The core refused: its sentence is shown on the dialog."""


def member_bookings(session: Session, number: int, now: Any) -> tuple[str, list[Booked]]:
    """(the member's name, their bookings to come)."""
    from coop.shifts import places, service

    member = service.worker(session, number)
    return member.full_name, places.bookings_of(session, member.id, now=now)


class MemberShiftsDialog(ComptoirModal):
    CSS_PATH = "dialogs.tcss"
    DEFAULT_CSS = LIST_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f4", "book", N_("Book a place"), id="bookings-book"),
        Binding("f5", "unbook", N_("Cancel the booking"), id="bookings-unbook"),
        Binding("f6", "swap", N_("Swap"), id="bookings-swap"),
        Binding("f7", "stand_in", N_("Stand-in"), id="bookings-stand-in"),
    ]

    def __init__(self, number: int, name: str = "") -> None:
        super().__init__(classes="dialog", id="member-shifts")
        self.number = number
        self.member_name = name
        self.bookings: list[Booked] = []
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.title_words(), classes="dialog-title", id="bookings-title")
            yield OptionList(id="bookings")
            yield Static("", id="bookings-info", classes="dialog-error")
            yield Static(
                _(
                    "↑↓: choose · F4: book a place · F5: cancel the booking · F6: swap with"
                    " another member · F7: give it to a stand-in · Escape: back"
                ),
                classes="dialog-help",
            )

    def title_words(self) -> str:
        return _("Shifts to come of member {number} {name}").format(
            number=self.number, name=self.member_name
        )

    def on_mount(self) -> None:
        self.query_one("#bookings", OptionList).focus()
        self.load()

    # --- reading ----------------------------------------------------------------------------

    def load(self) -> None:
        number, now = self.number, self.comptoir.clock()
        run_work(
            self,
            lambda session: member_bookings(session, number, now),
            done=BookingsRead,
            failed=BookingRefused,
            read_only=True,
        )

    @on(BookingsRead)
    def bookings_read(self, message: BookingsRead) -> None:
        self.member_name, self.bookings = message.result
        self.query_one("#bookings-title", Static).update(self.title_words())
        options = self.query_one("#bookings", OptionList)
        keep = options.highlighted
        options.clear_options()
        if not self.bookings:
            options.add_option(_("No shift booked."))
            return
        for booked in self.bookings:
            line = f"{booked.text} — {_(KINDS.get(booked.kind, booked.kind))}"
            if booked.stand_in_sought:
                line += " — " + _("looking for a stand-in")
            options.add_option(line)
        options.highlighted = min(keep or 0, len(self.bookings) - 1)

    def say(self, text: str, error: bool = False) -> None:
        info = self.query_one("#bookings-info", Static)
        info.set_class(error, "dialog-error")
        info.update(text)
        if error:
            self.app.bell()

    def chosen(self) -> Booked | None:
        index = self.query_one("#bookings", OptionList).highlighted
        if not self.bookings or index is None or index >= len(self.bookings):
            self.say(_("Choose a booking with ↑/↓ first (F4 books a new one)."), error=True)
            return None
        return self.bookings[index]

    # --- changing -----------------------------------------------------------------------------

    def change(self, job: Callable[[Session], str]) -> None:
        if self.busy:
            return
        self.busy = True
        run_work(self, job, done=BookingChanged, failed=BookingRefused)

    @on(BookingChanged)
    def changed(self, message: BookingChanged) -> None:
        self.busy = False
        self.say(message.result)
        self.load()

    @on(BookingRefused)
    def refused(self, message: BookingRefused) -> None:
        message.prevent_default()
        self.busy = False
        self.say(message.text, error=True)

    def action_book(self) -> None:
        from coop.shifts import places, service

        number, now = self.number, self.comptoir.clock()

        def job(session: Session) -> list[FreePlace]:
            member = service.worker(session, number)
            return places.free_places(session, now=now, weeks=WEEKS, member_id=member.id)

        run_work(self, job, done=PlacesRead, failed=BookingRefused, read_only=True)

    @on(PlacesRead)
    def places_read(self, message: PlacesRead) -> None:
        found = message.result

        def picked(index: int | None) -> None:
            if index is not None:
                self.book(found[index])

        self.app.push_screen(
            ChoiceDialog(
                _("Free places of the next {weeks} weeks for member {number}").format(
                    weeks=WEEKS, number=self.number
                ),
                [f"{place.text} — {self.free_words(place)}" for place in found],
                _("No free place this member may take in the coming weeks."),
            ),
            picked,
        )

    @staticmethod
    def free_words(place: FreePlace) -> str:
        from coop.i18n import ngettext

        return ngettext("{free} free place", "{free} free places", place.free).format(
            free=place.free
        )

    def book(self, place: FreePlace) -> None:
        from coop.shifts import booking

        app = self.comptoir
        number, settings, actor, now = self.number, app.settings.shifts, app.actor, app.clock()

        def job(session: Session) -> str:
            booking.book(
                session,
                member_number=number,
                shift_id=place.shift_id,
                settings=settings,
                actor=actor,
                now=now,
            )
            return _("Member {number} is booked on {shift}.").format(
                number=number, shift=place.text
            )

        self.change(job)

    def action_unbook(self) -> None:
        from coop.shifts import booking

        chosen = self.chosen()
        if chosen is None:
            return
        app = self.comptoir
        number, settings, actor, now = self.number, app.settings.shifts, app.actor, app.clock()

        def job(session: Session) -> str:
            booking.unbook(
                session,
                member_number=number,
                shift_id=chosen.shift_id,
                settings=settings,
                actor=actor,
                now=now,
            )
            return _("Booking cancelled: {shift}.").format(shift=chosen.text)

        self.change(job)

    def find_member(self, then: Callable[[int], None]) -> None:
        from tui.screens.member_search import MemberSearchDialog

        def found(number: int | None) -> None:
            if number is not None:
                then(number)

        self.app.push_screen(MemberSearchDialog(""), found)

    def action_swap(self) -> None:
        chosen = self.chosen()
        if chosen is None:
            return
        now = self.comptoir.clock()

        def other(number: int) -> None:
            run_work(
                self,
                lambda session: (number, member_bookings(session, number, now)[1]),
                done=OtherBookingsRead,
                failed=BookingRefused,
                read_only=True,
            )

        self.find_member(other)

    @on(OtherBookingsRead)
    def other_read(self, message: OtherBookingsRead) -> None:
        from tui.screens.dialogs import ConfirmDialog

        other, theirs = message.result
        mine = self.chosen()
        if mine is None:
            return

        def picked(index: int | None) -> None:
            if index is None:
                return
            their = theirs[index]
            question = _(
                "Swap? Member {first} will work on {their_shift}, member {second} on {my_shift}."
            ).format(first=self.number, their_shift=their.text, second=other, my_shift=mine.text)
            self.app.push_screen(
                ConfirmDialog(question, yes=_("swap"), no=_("back")),
                lambda yes: self.swap(mine, other, their) if yes else None,
            )

        self.app.push_screen(
            ChoiceDialog(
                _("Which shift of member {number} to take?").format(number=other),
                [booked.text for booked in theirs],
                _("Member {number} has no shift booked to come.").format(number=other),
            ),
            picked,
        )

    def swap(self, mine: Booked, other: int, their: Booked) -> None:
        from coop.shifts import swaps

        app = self.comptoir
        number, settings, actor, now = self.number, app.settings.shifts, app.actor, app.clock()

        def job(session: Session) -> str:
            done = swaps.swap(
                session,
                first_member=number,
                first_shift=mine.shift_id,
                second_member=other,
                second_shift=their.shift_id,
                settings=settings,
                actor=actor,
                now=now,
            )
            return done.sentence()

        self.change(job)

    def action_stand_in(self) -> None:
        from tui.screens.dialogs import ConfirmDialog

        chosen = self.chosen()
        if chosen is None:
            return

        def found(stand_in: int) -> None:
            question = _("Give the shift of {shift} to member {stand_in}?").format(
                shift=chosen.text, stand_in=stand_in
            )
            self.app.push_screen(
                ConfirmDialog(question, yes=_("give it"), no=_("back")),
                lambda yes: self.hand_over(chosen, stand_in) if yes else None,
            )

        self.find_member(found)

    def hand_over(self, chosen: Booked, stand_in: int) -> None:
        from coop.shifts import swaps

        app = self.comptoir
        number, settings, actor, now = self.number, app.settings.shifts, app.actor, app.clock()

        def job(session: Session) -> str:
            done = swaps.hand_over(
                session,
                member_number=number,
                shift_id=chosen.shift_id,
                stand_in_number=stand_in,
                settings=settings,
                actor=actor,
                now=now,
            )
            return done.sentence()

        self.change(job)
