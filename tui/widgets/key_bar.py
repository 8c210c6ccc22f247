"""The keys of a screen, all of them, at any width: the key bar at the bottom of every screen
and the F1 key list (``tui.screens.keys``) read them here.

Textual's ``Footer`` lays its keys on one line and hides what does not fit (at 80 columns the
counter lost F10–F12, the coordinator F11, F12 and Ctrl+O). ``KeyBar`` writes the same keys as
text packed onto a second (third…) line instead, a key never split from its label. Key names
are French through the catalogue ("Échap", "Page préc.", "Début"), never Textual's "esc",
"pgup" or "home".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget

from coop.i18n import N_, _

KEY_NAMES = {
    "escape": N_("Escape"),
    "pageup": N_("Page Up"),
    "pagedown": N_("Page Down"),
    "home": N_("Home"),
    "end": N_("End"),
    "enter": N_("Enter"),
    "delete": N_("Delete"),
    "backspace": N_("Backspace"),
    "tab": N_("Tab"),
    "space": N_("Space"),
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}


def key_name(key: str) -> str:
    """A key as a French person reads it: "F4", "Ctrl+O", "Échap", "Page préc."."""
    parts = key.split("+")
    names = []
    for part in parts[:-1]:
        names.append({"ctrl": "Ctrl", "shift": "Maj", "alt": "Alt"}.get(part, part.title()))
    last = parts[-1]
    if last in KEY_NAMES:
        names.append(_(KEY_NAMES[last]) if last.isalpha() else KEY_NAMES[last])
    elif len(last) > 1 and last[0] == "f" and last[1:].isdigit():
        names.append(last.upper())
    else:
        names.append(last.upper() if len(last) == 1 else last)
    return "+".join(names)


@dataclass(frozen=True)
class Key:
    """One key of a screen: its name, what it does, whether it can be used now."""

    name: str
    description: str
    enabled: bool = True


def _declared(node: Any) -> set[tuple[str, str]]:
    """(key, action) of the bindings Comptoir's own classes declare on ``node`` (screens,
    panels, the app), not those inherited from Textual (an input's cursor moves, Tab)."""
    found: set[tuple[str, str]] = set()
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("tui."):
            continue
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding):
                found.update((key.strip(), binding.action) for key in binding.key.split(","))
    return found


def screen_keys(screen: Screen[Any], *, every: bool = False) -> list[Key]:
    """The keys of ``screen``, one per action: the screen's own first (in their declared
    order), then those of the panel that has the focus, then the app's; ``every`` adds the keys
    the bar does not show (↑/↓, the palette, quitting) for the F1 list. A key a focused widget
    shadows (the scan field's own Page keys) is still the screen's when it declares it."""
    active = screen.active_bindings
    candidates: list[tuple[Any, str, Binding]] = [
        (screen, key, binding)
        for key, group in screen._bindings.key_to_bindings.items()
        for binding in group
    ]
    candidates += [
        (node, key, binding)
        for key, (node, binding, _enabled, _tip) in active.items()
        if node is not screen and node is not screen.app
    ]
    candidates += [
        (screen.app, key, binding)
        for key, group in screen.app._bindings.key_to_bindings.items()
        for binding in group
    ]
    names: dict[str, list[str]] = {}
    found: dict[str, Key] = {}
    declared: dict[int, set[tuple[str, str]]] = {}
    for node, key, binding in candidates:
        ours = declared.setdefault(id(node), _declared(node))
        if not binding.description or (key, binding.action) not in ours:
            continue
        if not binding.show and not every:
            continue
        action = binding.action.removeprefix("app.")
        keys = names.setdefault(action, [])
        if key_name(key) not in keys:
            keys.append(key_name(key))
        if action not in found:
            current = active.get(key)
            enabled = (
                current.enabled if current and current.binding.action == binding.action else True
            )
            found[action] = Key("", binding.description, enabled)
    return [
        Key(" / ".join(names[action]), key.description, key.enabled)
        for action, key in found.items()
    ]


def key_lines(keys: list[Key], width: int) -> list[list[Key]]:
    """The keys packed into lines of ``width`` columns, a key never split from its label."""
    lines: list[list[Key]] = [[]]
    used = 0
    for key in keys:
        size = len(key.name) + 1 + len(key.description)
        if lines[-1] and used + 1 + size > width:
            lines.append([])
            used = 0
        used += size + (1 if lines[-1] else 0)
        lines[-1].append(key)
    return lines


def keys_text(keys: list[Key], width: int = 10_000) -> Text:
    """The keys as lines of at most ``width`` columns (one line when no width is given)."""
    text = Text()
    for number, line in enumerate(key_lines(keys, width)):
        if number:
            text.append("\n")
        for index, key in enumerate(line):
            if index:
                text.append(" ")
            style = "" if key.enabled else "dim"
            text.append(key.name, style=f"bold reverse {style}".strip())
            text.append(" " + key.description, style=style)
    return text


class KeyBar(Widget):
    """Every key the screen shows, wrapped over as many lines as the width needs."""

    DEFAULT_CSS = """
    KeyBar {
        height: auto;
        background: $panel;
        padding: 0 1;
        dock: bottom;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)
        self.call_after_refresh(self._changed, self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _changed(self, screen: Screen[Any]) -> None:
        if self.is_attached:
            self.refresh(layout=True)

    def keys(self) -> list[Key]:
        return screen_keys(self.screen) if self.is_attached else []

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(key_lines(self.keys(), max(width, 1)))

    def render(self) -> Text:
        return keys_text(self.keys(), max(self.content_size.width, 1))

    def plain(self) -> str:
        """The bar's text on one line (tests, tmux captures)."""
        return keys_text(self.keys()).plain
