"""Find a member by name: fuzzy and accent-insensitive ("helene dupond" finds Hélène Dupont).

As the name is typed, ``coop.members.service.search_by_name`` runs in an exclusive worker (a
newer keystroke cancels the older search); up/down move in the list, Enter picks the member and
dismisses with their number; Escape backs out with None. A number or a card typed here is
accepted too (``coop.members.service.find``).
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy.orm import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from coop.errors import NotFound
from coop.i18n import N_, _
from tui.messages import WorkResult
from tui.screens.base import ComptoirModal
from tui.work import run_work


class MembersFound(WorkResult[list[tuple[int, str]]]):
    """(number, name) of the members matching what was typed."""


class MemberSearchDialog(ComptoirModal):
    CSS_PATH = "member_search.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", N_("Next"), show=False),
        Binding("up", "move(-1)", N_("Previous"), show=False),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__(classes="dialog")
        self.initial = query
        self.hits: list[tuple[int, str]] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="member-search"):
            yield Static(_("Find a member"), classes="dialog-title")
            yield Input(
                value=self.initial,
                placeholder=_("Name (accents and typos do not matter), number or card"),
                id="member-query",
            )
            yield OptionList(id="member-hits")
            yield Static(_("↑↓: choose · Enter: this member · Escape: back"), classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one("#member-hits", OptionList).can_focus = False
        self.query_one("#member-query", Input).focus()
        if self.initial:
            self.search(self.initial)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.search(event.value)

    def search(self, text: str) -> None:
        from coop.members import service as members

        text = text.strip()
        if len(text) < 2:
            self.show_hits([])
            return

        def job(session: Session) -> list[tuple[int, str]]:
            try:
                found = members.find(session, text)
            except NotFound:
                return []
            return [(member.number, member.full_name) for member in found.members]

        run_work(
            self, done=MembersFound, job=job, read_only=True, exclusive=True, group="member-search"
        )

    @on(MembersFound)
    def search_done(self, message: MembersFound) -> None:
        self.show_hits(message.result)

    def show_hits(self, hits: list[tuple[int, str]]) -> None:
        self.hits = hits
        options = self.query_one("#member-hits", OptionList)
        options.clear_options()
        if not hits:
            options.add_option(Option(_("No member found"), disabled=True))
            return
        options.add_options(
            [Option(f"{number:>6}  {name}", id=str(number)) for number, name in hits]
        )
        options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one("#member-hits", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#member-hits", OptionList)
        if not self.hits or options.highlighted is None:
            self.app.bell()
            return
        option = options.get_option_at_index(options.highlighted)
        if option.id is None:
            self.app.bell()
            return
        self.dismiss(int(option.id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(int(event.option.id))
