"""The app's event vocabulary: what comes back from database work and what widgets announce.

Workers (``tui.work.run_work``) never touch widgets: they post a message to the node that
asked (a screen, usually), on which the handler runs on the UI thread. Each kind of worker
result has its own ``Message`` class (harlequin's practice), declared next to the screen that
runs the work as a subclass of ``WorkResult[T]`` and handled with ``@on(ThatClass)``: the
handler gets ``message.result`` typed. A failure is a ``WorkFailed`` (or a subclass the screen
declares to react to a refusal code); ``ComptoirScreen`` shows any failure not handled (and
``prevent_default``-ed) as an error notification with the bell.

``WorkDone`` (a tag and an untyped result, dispatched to ``when_<tag>``) remains only for the
Print window until it moves to typed messages too.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from textual.message import Message

T = TypeVar("T")


class WorkResult(Message, Generic[T]):
    """Database work finished (and committed unless read-only); ``result`` is what it returned.
    Subclass it once per kind of result."""

    def __init__(self, result: T) -> None:
        super().__init__()
        self.result = result


class WorkFailed(Message):
    """Database work failed and was rolled back; ``text`` is the sentence to show (already
    translated), ``code`` a refusal code when the core gave one (``SaleRefused.code``),
    ``error`` the exception (for tests and logs, never shown as a traceback). ``tag`` names
    the work (the legacy ``failed_<tag>`` dispatch of the Print window)."""

    def __init__(self, text: str, code: str | None, error: BaseException, tag: str = "") -> None:
        super().__init__()
        self.tag = tag
        self.text = text
        self.code = code
        self.error = error


class WorkDone(Message):
    """Legacy: database work tagged ``tag`` finished; ``result`` is what it returned."""

    def __init__(self, tag: str, result: Any) -> None:
        super().__init__()
        self.tag = tag
        self.result = result
