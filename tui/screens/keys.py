"""F1 on any screen: every key of the screen below with its name (what the key bar says, hidden
keys included), in French, the keys named the French way ("Échap", "Page préc.", "Début").
Escape (or F1 again) closes it."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from coop.i18n import N_, _
from tui.screens.base import ComptoirModal
from tui.widgets.key_bar import Key, screen_keys


def keys_table(keys: list[Key]) -> str:
    width = max((len(key.name) for key in keys), default=0)
    return "\n".join(f"{key.name:<{width}}  {key.description}" for key in keys)


class KeysDialog(ComptoirModal):
    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "cancel", N_("Back"), show=False),
    ]

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__(classes="dialog", id="keys-dialog")
        self.keys = screen_keys(screen, every=True)
        self.title_text = screen.sub_title or screen.title or ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(
                _("Keys of this screen: {screen}").format(screen=self.title_text),
                classes="dialog-title",
            )
            with VerticalScroll(id="keys-list"):
                yield Static(keys_table(self.keys), id="keys-text")
            yield Static(_("Escape: back"), classes="dialog-help")
