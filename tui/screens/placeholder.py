"""A mode whose screens are not built yet: says so, keeps the footer and the palette.

The welcome desk (``desk``), the shift desk (``shifts``) and the coordinator (``coordinator``)
replace their entry in ``tui.app.ComptoirApp.MODES`` with their own screen module.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Header, Static

from coop.i18n import _
from tui.screens.base import ComptoirScreen
from tui.widgets.key_bar import KeyBar


class PlaceholderScreen(ComptoirScreen):
    CSS_PATH = "placeholder.tcss"

    def __init__(self, mode: str, title: str) -> None:
        super().__init__(id=f"{mode}-placeholder")
        self.mode_name = mode
        self.heading = title

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="placeholder"):
            yield Static(self.heading, id="placeholder-title")
            yield Static(
                _(
                    "This screen is not built yet. Ctrl+P opens the command palette to go to"
                    " another screen."
                ),
                id="placeholder-note",
            )
        yield KeyBar()  # every key, on two lines if need be (F1: the list)

    def on_mount(self) -> None:
        self.sub_title = self.heading
