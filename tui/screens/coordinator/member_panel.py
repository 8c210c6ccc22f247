"""The coordinator's member panel: a member found by scan, number or name (details, household,
cards, status, the shift ledger in words), and the changes F6 (details), F7 (household) and F8
(card lost) make through the core."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from coop.i18n import N_, _, ngettext
from tui.messages import WorkResult
from tui.screens.coordinator import jobs
from tui.screens.coordinator.forms import Field, FormDialog
from tui.screens.coordinator.panel import begin, hub

CARD_ENDS = {
    "lost": N_("lost"),
    "replaced": N_("replaced"),
    "left": N_("member left"),
    "erased": N_("data erased"),
}
"""Why a card ended (``coop.members.rules.CardEndReason``), in words."""


class NumberFound(WorkResult[int]):
    """The member number a scan or a typed number stands for."""


class MemberLoaded(WorkResult[jobs.MemberView]):
    """A member's details, household, cards, status and ledger (``jobs.member_view``)."""


class MemberEdited(WorkResult[tuple[int, int]]):
    """(member number, details changed)."""


class HouseholdSet(WorkResult[tuple[int, int | None]]):
    """(member number, their main member or None)."""


class CardReplaced(WorkResult[tuple[int, str]]):
    """(member number, the new card)."""


class MemberPanel(VerticalScroll):
    """The member shown, and the keys that change them."""

    def __init__(self) -> None:
        super().__init__(id="coord-member-view")
        self.member: jobs.MemberView | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="member-view", classes="coord-text")

    def find(self, value: str) -> None:
        """A number or a card typed or scanned: the member it stands for."""
        begin(
            self,
            done=NumberFound,
            job=lambda session: jobs.find_number(session, value),
            read_only=True,
        )

    @on(NumberFound)
    def number_done(self, message: NumberFound) -> None:
        number = message.result
        self.load(number)

    def action_member_search(self) -> None:
        if hub(self).allowed():
            self.search("")

    def search(self, query: str) -> None:
        from tui.screens.member_search import MemberSearchDialog

        def chosen(number: int | None) -> None:
            if number is not None:
                self.load(number)

        self.app.push_screen(MemberSearchDialog(query), chosen)

    def load(self, number: int) -> None:
        settings, at = hub(self).settings, hub(self).comptoir.clock()
        begin(
            self,
            done=MemberLoaded,
            job=lambda session: jobs.member_view(session, number, settings=settings, at=at),
            read_only=True,
        )

    @on(MemberLoaded)
    def member_done(self, message: MemberLoaded) -> None:
        member = message.result
        self.member = member
        self.query_one("#member-view", Static).update(self.member_text(member))
        hub(self).show_view("coord-member-view")
        self.scroll_home(animate=False)

    @staticmethod
    def member_text(member: jobs.MemberView) -> Text:
        from coop.dates import format_date as day

        text = Text()
        text.append(f"{member.number}  {member.name}\n", style="bold")
        fields = member.fields
        labels = {
            "email": _("Email"),
            "phone": _("Phone"),
            "street": _("Street"),
            "postcode": _("Postcode"),
            "city": _("City"),
        }
        for key, label in labels.items():
            text.append(_("{label}: {value}").format(label=label, value=fields[key] or "—") + "\n")
        text.append(_("Joined on {date}").format(date=day(member.joined_on)) + "\n")
        if member.left_on:
            text.append(_("Left on {date}").format(date=day(member.left_on)) + "\n")
        text.append("\n" + _("Household") + "\n", style="underline")
        for person in member.household:
            role = _("main member") if person.main else _("associated person")
            text.append(f"  {person.number:>6}  {person.name} ({role})\n")
        text.append("\n" + _("Cards") + "\n", style="underline")
        for card in member.cards:
            if card.ended_on:
                reason = card.reason
                state = _("ended on {date} ({reason})").format(
                    date=day(card.ended_on),
                    reason=_(CARD_ENDS[reason]) if reason in CARD_ENDS else reason,
                )
            else:
                state = _("in use since {date}").format(date=day(card.issued_on))
            text.append(f"  {card.barcode}  {state}\n")
        check = member.check
        text.append("\n" + _("Shifts") + "\n", style="underline")
        text.append(_("Status: {status}").format(status=check.status_text) + "\n")
        text.append(check.counters_text + "\n")
        if check.next_shift:
            text.append(_("Next shift: {shift}").format(shift=check.next_shift.text) + "\n")
        text.append("\n" + _("Shift ledger, in words") + "\n", style="underline")
        if not member.ledger:
            text.append("  " + _("No entry yet.") + "\n")
        for entry in member.ledger:
            line = f"  {day(entry.day)}  {entry.delta:+d}  " + _("{label}: {value}").format(
                label=entry.counter, value=entry.text
            )
            if entry.note:
                line += f" — {entry.note}"
            text.append(line + "\n")
        return text

    def need_member(self) -> jobs.MemberView | None:
        if not hub(self).allowed():
            return None
        if self.member is None:
            hub(self).say(_("Find a member first (F2 or scan their card)."), "error")
            return None
        return self.member

    def edit(self) -> None:
        member = self.need_member()
        if member is None:
            return
        values = member.fields
        labels = [
            ("first_name", _("First name")),
            ("last_name", _("Last name")),
            ("email", _("Email")),
            ("phone", _("Phone")),
            ("street", _("Street")),
            ("postcode", _("Postcode")),
            ("city", _("City")),
        ]
        fields = [
            Field(key, label, values[key], scans=key in ("phone", "postcode"))
            for key, label in labels
        ]
        number = member.number

        def done(changes: dict[str, str] | None) -> None:
            if changes is None:
                return
            context = hub(self).context()
            begin(
                self,
                done=MemberEdited,
                job=lambda session: (number, jobs.edit_member(session, number, changes, **context)),
            )

        self.app.push_screen(
            FormDialog(_("Member {number} {name}").format(number=number, name=member.name), fields),
            done,
        )

    @on(MemberEdited)
    def edited_done(self, message: MemberEdited) -> None:
        result = message.result
        hub(self).busy = False
        number, changed = result
        hub(self).say(
            ngettext(
                "Member {number}: {count} detail changed.",
                "Member {number}: {count} details changed.",
                changed,
            ).format(number=number, count=changed)
            if changed
            else _("Nothing changed."),
            "ok",
        )
        self.load(number)

    def set_household(self) -> None:
        from tui.screens.dialogs import TextDialog

        member = self.need_member()
        if member is None:
            return
        number, settings = member.number, hub(self).settings

        def done(main: str | None) -> None:
            if main is None:
                return
            context = hub(self).context()
            begin(
                self,
                done=HouseholdSet,
                job=lambda session: (
                    number,
                    jobs.set_household(session, number, main, settings=settings, **context),
                ),
            )

        self.app.push_screen(
            TextDialog(
                _("Household of member {number} {name}").format(number=number, name=member.name),
                _(
                    "Number or card of the main member they shop with (empty: they leave"
                    " the household)"
                ),
                required=False,
                accept_scans=True,
            ),
            done,
        )

    @on(HouseholdSet)
    def household_done(self, message: HouseholdSet) -> None:
        result = message.result
        hub(self).busy = False
        number, main = result
        hub(self).say(
            _("Member {number} is now in the household of member {main}.").format(
                number=number, main=main
            )
            if main
            else _("Member {number} has no household any more.").format(number=number),
            "ok",
        )
        self.load(number)

    def card_lost(self) -> None:
        from tui.screens.dialogs import ConfirmDialog

        member = self.need_member()
        if member is None:
            return
        number, settings = member.number, hub(self).settings
        in_use = [card.barcode for card in member.cards if not card.ended_on]

        def done(yes: bool | None) -> None:
            if yes:
                context = hub(self).context()
                begin(
                    self,
                    done=CardReplaced,
                    job=lambda session: (
                        number,
                        jobs.card_lost(session, number, settings=settings, **context),
                    ),
                )

        self.app.push_screen(
            ConfirmDialog(
                _("Card {card} of member {number} is lost: block it and issue a new card?").format(
                    card=in_use[0] if in_use else "—", number=number
                ),
                yes=_("block and issue"),
                no=_("back"),
            ),
            done,
        )

    @on(CardReplaced)
    def card_done(self, message: CardReplaced) -> None:
        result = message.result
        hub(self).busy = False
        number, barcode = result
        hub(self).say(
            _("The lost card is blocked; new card for member {number}: {card}").format(
                number=number, card=barcode
            ),
            "ok",
        )
        self.load(number)
