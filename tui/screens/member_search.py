"""Find a member by name: fuzzy and accent-insensitive ("helene dupond" finds Hélène Dupont).

As the name is typed, ``coop.members.service.search_by_name`` runs in an exclusive worker (a
newer keystroke cancels the older search); up/down move in the list, Enter picks the member and
dismisses with their number; Escape backs out with None. A number or a card typed here is
accepted too (``coop.members.service.find``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from sqlalchemy.orm import Session
from textual import on

from coop.errors import NotFound
from coop.i18n import _
from tui.messages import WorkResult
from tui.screens.search_dialog import SearchDialog


class MembersFound(WorkResult[list[tuple[int, str]]]):
    """(number, name) of the members matching what was typed."""


class MemberSearchDialog(SearchDialog[tuple[int, str]]):
    """Dismisses with the member's number (``tui.screens.search_dialog``: the window)."""

    CSS_PATH: ClassVar = ["dialogs.tcss", "member_search.tcss"]
    KIND = "member"

    def words(self) -> tuple[str, str, str, str]:
        return (
            _("Find a member"),
            _("Name (accents and typos do not matter), number or card"),
            _("↑↓: choose · Enter: this member · Escape: back"),
            _("No member found"),
        )

    def job(self, text: str) -> Callable[[Session], list[tuple[int, str]]]:
        from coop.members import service as members

        def job(session: Session) -> list[tuple[int, str]]:
            try:
                found = members.find(session, text)
            except NotFound:
                return []
            return [(member.number, member.full_name) for member in found.members]

        return job

    def found(self) -> type[MembersFound]:
        return MembersFound

    @on(MembersFound)
    def search_done(self, message: MembersFound) -> None:
        self.show_hits(message.result)

    def hit_text(self, hit: tuple[int, str]) -> str:
        return f"{hit[0]:>6}  {hit[1]}"

    def chosen(self, hit: tuple[int, str]) -> int:
        return hit[0]
