"""What every Comptoir screen shares: database work results, translated bindings, focus.

A screen reaches the app's composition root through ``self.app``:

- ``self.app.settings`` (``coop.config.Settings``: ``settings.till``, ``settings.shifts``...);
- ``self.app.session_factory`` (a ``sessionmaker``; never open a session on the UI thread for
  anything but a trivial read: use ``tui.work.run_db``);
- ``self.app.clock()`` (the current time, timezone-aware; the tests freeze it);
- ``self.app.actor`` (``coop.audit.Actor`` recorded in the audit trail).

Database work: ``run_db(self, "tag", job)`` (see ``tui.work``); the result arrives here as
``WorkDone`` and is handed to ``self.when_tag(result)``; a failure as ``WorkFailed``: the screen's
``failed_tag(message)`` is called when it exists and returns True when it handled it, otherwise
the sentence is shown as an error notification with the bell. Bindings are declared with
``N_`` descriptions and translated at ``__init__`` (``tui.i18n.translate_bindings``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen

from coop.i18n import N_
from tui.i18n import translate_bindings
from tui.messages import WorkDone, WorkFailed


class WorkResults:
    """Mixin: dispatch ``WorkDone``/``WorkFailed`` to ``when_<tag>``/``failed_<tag>``."""

    def on_work_done(self, message: WorkDone) -> None:
        message.stop()
        handler = getattr(self, f"when_{message.tag}", None)
        if handler is not None:
            handler(message.result)

    def on_work_failed(self, message: WorkFailed) -> None:
        message.stop()
        handler = getattr(self, f"failed_{message.tag}", None)
        if handler is not None and handler(message):
            return
        self.app.bell()  # type: ignore[attr-defined]
        self.app.notify(message.text, severity="error", timeout=8)  # type: ignore[attr-defined]


class ComptoirScreen(WorkResults, Screen[Any]):
    """A full screen of the app (a mode's base screen)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)


class ComptoirModal(WorkResults, ModalScreen[Any]):
    """A dialog: Escape dismisses it with None; the screen below gets the focus back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Back"), id="dialog-back"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    def action_cancel(self) -> None:
        self.dismiss(None)
