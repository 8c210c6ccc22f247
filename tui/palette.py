"""The command palette in our language: Textual's own palette says "No matches found" in
English, from a private countdown with no hook; this subclass says it through gettext."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from coop.i18n import _


def no_matches_text() -> str:
    return _("No matches found")


class Palette(CommandPalette):
    """Textual's ``CommandPalette`` with the "no matches" line translated (the same timing and
    the same option id as Textual's, so the rest of the palette treats it alike)."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(no_matches_text(), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
