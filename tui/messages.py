"""The app's event vocabulary: what comes back from database work and what widgets announce.

Workers (``tui.work.run_db``) never touch widgets: they post ``WorkDone`` or ``WorkFailed`` to
the node that asked (a screen, usually), on which the handler runs on the UI thread. A screen
deriving from ``tui.screens.base.ComptoirScreen`` receives ``WorkDone`` as a call of its method
``when_<tag>(result)`` and ``WorkFailed`` as a notification (plus ``failed_<tag>(message)`` when
the screen defines one, e.g. to open an override dialog on a refusal code).
"""

from __future__ import annotations

from typing import Any

from textual.message import Message


class WorkDone(Message):
    """Database work tagged ``tag`` finished and committed; ``result`` is what it returned."""

    def __init__(self, tag: str, result: Any) -> None:
        super().__init__()
        self.tag = tag
        self.result = result


class WorkFailed(Message):
    """Database work tagged ``tag`` failed and was rolled back; ``text`` is the sentence to show
    (already translated), ``code`` a refusal code when the core gave one (``SaleRefused.code``),
    ``error`` the exception (for tests and logs, never shown as a traceback)."""

    def __init__(self, tag: str, text: str, code: str | None, error: BaseException) -> None:
        super().__init__()
        self.tag = tag
        self.text = text
        self.code = code
        self.error = error
