"""The app skeleton: modes, French by default, Textual's own strings translated, no
accidental quit, database errors as notifications (driven with Textual's Pilot)."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError
from textual.command import CommandPalette
from textual.widgets import Input

from tests.tui.conftest import press, settle
from tui.messages import WorkFailed, WorkResult
from tui.screens.counter import CounterScreen
from tui.screens.desk import DeskScreen
from tui.screens.dialogs import ConfirmDialog
from tui.widgets.scan_field import ScanField
from tui.work import run_work


def footer_text(app) -> str:
    """The keys shown at the bottom of the screen (``tui.widgets.key_bar.KeyBar``)."""
    from tui.widgets.key_bar import KeyBar

    return app.screen.query_one(KeyBar).plain()


async def test_counter_opens_in_french_with_the_scan_field_focused(counter_app):
    app = counter_app(language="fr")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CounterScreen)
        assert isinstance(app.focused, ScanField)
        footer = footer_text(app)
        assert "F9 Payer" in footer
        assert "F8 Ticket" in footer and "F11 Ouvrir F12 Clôturer" in footer
        assert "^p" not in footer  # the palette (Ctrl+P) leaves the room to the F-keys
        assert "Quit " not in footer and "palette" not in footer
        status = str(app.screen.query_one("#till-status").render())
        assert status == "Caisse CAISSE-1 fermée — F11 pour l’ouvrir"


async def test_the_palette_and_system_commands_speak_french(counter_app):
    app = counter_app(language="fr")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(Input).placeholder == "Chercher une commande…"
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles[:3] == ["Thème", "Quitter", "Touches"]
        await press(pilot, "escape")
        assert isinstance(app.screen, CounterScreen)


async def test_english_with_coop_lang(counter_app):
    app = counter_app(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "F9 Pay" in footer_text(app)
        assert app.focused.placeholder.startswith("Scan a member card")


async def test_quitting_asks_first_and_enter_does_not_confirm(counter_app):
    app = counter_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+q")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "enter")  # a scanner's Enter: still asking
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "escape")
        assert isinstance(app.screen, CounterScreen)
        assert isinstance(app.focused, ScanField)  # the focus came back after the dialog
        await press(pilot, "ctrl+q")
        await press(pilot, "o")
    assert app.return_code == 0


async def test_the_other_modes_open_from_the_palette(counter_app):
    app = counter_app(mode="desk")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        assert app.current_mode == "desk"
        await press(pilot, "ctrl+p")
        await pilot.press(*"Counter")
        await settle(pilot)
        await press(pilot, "enter")
        assert app.current_mode == "counter"
        assert isinstance(app.screen, CounterScreen)


async def test_a_locked_database_is_a_notification_not_a_crash(counter_app):
    app = counter_app()
    failures: list[WorkFailed] = []
    async with app.run_test(size=(120, 40), message_hook=_keep(failures)) as pilot:
        await settle(pilot)

        def job(session):
            raise OperationalError("INSERT", {}, Exception("database is locked"))

        run_work(app.screen, job, done=Nothing)
        await settle(pilot)
        assert [f.code for f in failures] == ["database_unavailable"]
        assert "busy (another till is writing)" in failures[0].text
        notes = [n.message for n in app._notifications]
        assert any("busy (another till is writing)" in note for note in notes)

        def broken(session):
            raise ZeroDivisionError

        run_work(app.screen, broken, done=Nothing)
        await settle(pilot)
        assert "Unexpected error (ZeroDivisionError)" in failures[-1].text
        assert isinstance(app.screen, CounterScreen)


class Nothing(WorkResult[None]):
    """The test's work finished (it never does: it raises)."""


def _keep(into: list):
    def hook(message):
        if isinstance(message, WorkFailed):
            into.append(message)

    return hook
