"""What every Comptoir screen shares: database work results, translated bindings, focus.

A screen reaches the app's composition root, typed, through ``self.comptoir``
(``tui.services.AppServices``):

- ``self.comptoir.settings`` (``coop.config.Settings``: ``settings.till``, ``settings.shifts``...);
- ``self.comptoir.session_factory`` (a ``sessionmaker``; never open a session on the UI thread
  for anything but a trivial read: use ``tui.work.run_work``);
- ``self.comptoir.clock()`` (the current time, timezone-aware; the tests freeze it);
- ``self.comptoir.actor`` (``coop.audit.Actor`` recorded in the audit trail).

Database work: ``run_work(self, job, done=SomethingDone)`` (see ``tui.work``); the screen
handles its own message class with ``@on(SomethingDone)``. A ``WorkFailed`` that no handler
``prevent_default``-ed is shown here as an error notification with the bell. Bindings are
declared with ``N_`` descriptions and translated at ``__init__`` (``tui.i18n.translate_bindings``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from coop.i18n import N_
from tui.i18n import translate_bindings
from tui.messages import WorkFailed
from tui.services import AppServices, services


class WorkResults:
    """Mixin: the typed services and the failures nobody handled, notified."""

    @property
    def comptoir(self) -> AppServices:
        """The app's settings, session factory, clock and actor, typed."""
        assert isinstance(self, DOMNode)
        return services(self)

    def notify_failure(self, message: WorkFailed) -> None:
        """A failure nobody handled (``prevent_default``-ed): a notification with the bell."""
        assert isinstance(self, DOMNode)
        message.stop()
        self.app.bell()
        self.app.notify(message.text, severity="error", timeout=8)


class ComptoirScreen(WorkResults, Screen[Any]):
    """A full screen of the app (a mode's base screen).

    Every screen shows all its keys at any width (``tui.widgets.key_bar.KeyBar`` at the bottom,
    wrapping onto a second line at 80 columns) and F1 lists every key with its name
    (``tui.screens.keys``)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "keys", N_("Keys"), id="keys", priority=True),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self.notify_failure(message)

    def action_keys(self) -> None:
        """F1: every key of this screen with its name."""
        from tui.screens.keys import KeysDialog

        self.app.push_screen(KeysDialog(self))


class ComptoirModal(WorkResults, ModalScreen[Any]):
    """A dialog: Escape dismisses it with None; the screen below gets the focus back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Back"), id="dialog-back"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self.notify_failure(message)

    def action_cancel(self) -> None:
        self.dismiss(None)
