"""The application: ``make_app(settings, session_factory, clock, mode)`` builds it for
``coop tui``, ``coop demo`` and the tests alike.

Layout (after harlequin and braindrop): ``tui.app`` is the composition root; ``tui.screens``
holds one module and one ``.tcss`` per screen; ``tui.widgets`` the reusable widgets (scan field,
member banner, receipt); ``tui.messages`` the messages workers post back; ``tui.work`` runs
database work in thread workers; ``tui.commands`` the command-palette providers; ``tui.i18n``
translates Textual's own strings. The core (``coop``) never imports any of it.

Modes: ``counter`` (the till), ``desk`` (welcome desk), ``shifts`` (shift desk), ``distribution``
(AMAP, later) and ``coordinator``, each with its own screen stack (``App.MODES``); the command
palette (Ctrl+P) switches between them; a mode not built yet shows ``screens.placeholder``.
Ctrl+O (or "Print a document…" in the palette) opens the "Print" window of the current mode
(``tui.screens.print_menu``).
A screen reads ``self.comptoir.settings``, ``.session_factory``, ``.clock`` and
``.actor``, typed by ``tui.services.AppServices`` (see ``tui.screens.base``).

French by default (``settings.language``; ``COOP_LANG=en`` for English): our bindings, the
palette's placeholder and system commands, and Textual's input-key descriptions go through the
catalogue. Quitting (Ctrl+Q, or the palette) asks first: a cashier's stray key never closes the
till's screen.

``COOP_TUI_READY_FILE``: when set, the time (``time.time()``) at which the counter's scan field is
ready is written there and the app exits (the start-up benchmark, ``bench/bench_tui.py``).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable
from typing import Any, ClassVar

from sqlalchemy.orm import Session, sessionmaker
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import Screen

from coop.audit import Actor
from coop.clock import Clock
from coop.config import Settings
from coop.i18n import N_, _, set_language
from tui.commands import CoordinatorProvider, PrintProvider, ScreensProvider, mode_titles
from tui.i18n import translate_bindings
from tui.palette import Palette
from tui.screens.login import hand_over, locked_actor

MODES_NAMES = ("counter", "desk", "shifts", "distribution", "coordinator")


def _counter() -> Screen[Any]:
    from tui.screens.counter import CounterScreen

    return CounterScreen()


def _desk() -> Screen[Any]:
    from tui.screens.desk import DeskScreen

    return DeskScreen()


def _shift_desk() -> Screen[Any]:
    from tui.screens.shift_desk import ShiftDeskScreen

    return ShiftDeskScreen()


def _coordinator() -> Screen[Any]:
    from tui.screens.coordinator.hub import CoordinatorScreen

    return CoordinatorScreen()


def _distribution() -> Screen[Any]:
    from tui.screens.distribution import DistributionScreen

    return DistributionScreen()


def _placeholder(mode: str) -> Screen[Any]:
    from tui.screens.placeholder import PlaceholderScreen

    return PlaceholderScreen(mode, mode_titles()[mode][0])


class ComptoirApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "Comptoir"
    COMMANDS = App.COMMANDS | {ScreensProvider, CoordinatorProvider, PrintProvider}
    MODES: ClassVar[dict[str, Any]] = {
        "counter": _counter,
        "desk": _desk,
        "shifts": _shift_desk,
        "distribution": _distribution,
        "coordinator": _coordinator,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+q",
            "quit",
            N_("Quit"),
            tooltip=N_("Quit the app and return to the command prompt."),
            show=False,
            priority=True,
            id="quit",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            N_("Commands"),
            tooltip=N_("Open the command palette"),
            show=False,
            priority=True,
            id="command-palette",
        ),
        Binding("ctrl+c", "help_quit", show=False, system=True),
        Binding("ctrl+o", "print_menu", N_("Print"), key_display="Ctrl+O", id="print-menu"),
        Binding(
            "ctrl+l",
            "hand_over",
            N_("Lock / change person"),
            key_display="Ctrl+L",
            priority=True,
            id="hand-over",
        ),
    ]

    def __init__(
        self,
        settings: Settings,
        session_factory: sessionmaker[Session],
        clock: Clock,
        mode: str = "counter",
        actor: Actor | None = None,
    ) -> None:
        if mode not in MODES_NAMES:
            from coop.errors import CoopError

            raise CoopError(
                _("Unknown screen “{mode}”: choose one of {modes}.").format(
                    mode=mode, modes=", ".join(MODES_NAMES)
                )
            )
        set_language(settings.language)
        # Database work runs in threads: hand the interpreter lock over within 1 ms (default
        # 5 ms) so a worker's result reaches the screen without waiting for the UI's time slice.
        sys.setswitchinterval(0.001)
        super().__init__()
        translate_bindings(self)
        self.settings = settings
        self.session_factory = session_factory
        self.clock = clock
        self.start_mode = mode
        self.title = settings.coop_name
        self.logged_in = actor is not None
        """False: nobody gave a card and PIN yet; the log-in is asked when the app opens."""
        self.actor = actor if actor is not None else locked_actor()
        self.ready_file = os.environ.get("COOP_TUI_READY_FILE")

    def on_mount(self) -> None:
        self.switch_mode(self.start_mode)
        if self.logged_in:
            self.sub_title = self.actor.label
        elif not self.ready_file:
            hand_over(self)

    def action_hand_over(self) -> None:
        """Ctrl+L: lock the terminal and hand it to the next person (``tui.screens.login``)."""
        from tui.screens.login import LoginDialog

        if isinstance(self.screen, LoginDialog):
            return
        hand_over(self)

    # --- readiness (tests and the start-up benchmark) -------------------------------------------

    def screen_ready(self) -> None:
        """Called by a mode's screen when it can take input (the counter: scan field focused)."""
        if self.ready_file:
            with open(self.ready_file, "w", encoding="utf-8") as out:
                out.write(repr(time.time()))
            self.exit(0)

    def action_print_menu(self) -> None:
        """Ctrl+O: the "Print" window of the current mode (``tui.screens.print_menu``)."""
        from tui.screens.print_menu import open_print_menu

        open_print_menu(self)

    # --- quitting ----------------------------------------------------------------------------

    async def action_quit(self) -> None:
        from tui.screens.dialogs import ConfirmDialog

        if isinstance(self.screen, ConfirmDialog) and self.screen.id == "confirm-quit":
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit(0)

        dialog = ConfirmDialog(_("Quit Comptoir?"), yes=_("quit"), no=_("stay"))
        dialog.id = "confirm-quit"
        self.push_screen(dialog, answered)

    def action_help_quit(self) -> None:
        self.notify(_("Press Ctrl+Q to quit."), title=_("Do you want to quit?"))

    # --- the command palette, in our language ---------------------------------------------------

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(Palette(placeholder=_("Search for commands…"), id="--command-palette"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield SystemCommand(_("Theme"), _("Change the current theme"), self.action_change_theme)
        yield SystemCommand(_("Quit"), _("Quit the application"), self.action_quit)
        if screen.query("HelpPanel"):
            yield SystemCommand(_("Keys"), _("Hide the keys panel"), self.action_hide_help_panel)
        else:
            yield SystemCommand(
                _("Keys"), _("Show the keys of this screen"), self.action_show_help_panel
            )


def make_app(
    settings: Settings,
    session_factory: sessionmaker[Session],
    clock: Clock,
    mode: str = "counter",
    actor: Actor | None = None,
) -> ComptoirApp:
    """The app on this database, with this clock, opening on ``mode``; without ``actor`` it
    asks who is at the terminal (card and PIN) first."""
    return ComptoirApp(settings, session_factory, clock, mode, actor)


__all__ = ["ComptoirApp", "make_app"]
