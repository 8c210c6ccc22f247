"""Database work off the UI thread, one transaction per user action, results as messages.

How a screen runs database work (the pattern every screen follows)::

    from tui.work import run_db

    def action_pay(self) -> None:
        request = self.request
        run_db(self, "commit", lambda session: selling.commit_sale(session, request, ...))

    def when_commit(self, receipt) -> None:       # WorkDone("commit", receipt), UI thread
        ...

    def failed_commit(self, message: WorkFailed) -> None:   # optional; the base screen
        ...                                                  # notifies the error anyway

``job`` runs in a Textual thread worker with a Session of its own opened from
``self.app.session_factory`` inside ``coop.db.transaction`` (commit on success, roll back on
any error: nothing half-saved). The job must not touch widgets; it returns plain values (ORM
objects loaded in it stay readable afterwards: the factory does not expire on commit). Pass
``read_only=True`` to roll back instead of committing (a preview, a search). ``exclusive=True``
cancels the previous worker of the same group (as-you-type searches).

Errors become ``WorkFailed`` with one sentence: a ``CoopError``'s own message; a busy SQLite
file ("database is locked", another till writing) or an unreachable server through
``coop.db.unavailable``; anything else is logged with its traceback and shown as a short
"unexpected error" sentence. The UI never crashes on a worker's error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from textual.dom import DOMNode
from textual.worker import Worker

from coop.errors import CoopError
from coop.i18n import _, set_language
from tui.messages import WorkDone, WorkFailed

log = logging.getLogger("comptoir.tui")

_BUSY_STATES = {"55P03", "40P01", "40001"}  # PostgreSQL: lock not available, deadlock, conflict


def describe_error(error: BaseException, engine: Any = None) -> tuple[str, str | None]:
    """(sentence for the cashier, refusal code or None) for an exception from database work."""
    if isinstance(error, CoopError):
        return str(error), getattr(error, "code", None)
    if isinstance(error, OperationalError | DBAPIError):
        from coop.db import describe, unavailable

        if engine is None:
            return _("The database is busy or out of reach; try again."), "database_unavailable"
        driver = getattr(error, "orig", None)
        busy = "locked" in str(driver) or getattr(driver, "sqlstate", None) in _BUSY_STATES
        if busy:
            text = _("The database {where} is busy (another till is writing); try again.")
            return text.format(where=describe(str(engine.url))), "database_unavailable"
        return str(unavailable(engine, error)), "database_unavailable"
    log.exception("unexpected error in database work", exc_info=error)
    return (
        _("Unexpected error ({kind}); nothing was saved. The log has the details.").format(
            kind=type(error).__name__
        ),
        None,
    )


def run_db(
    node: DOMNode,
    tag: str,
    job: Callable[[Session], Any],
    *,
    read_only: bool = False,
    exclusive: bool = False,
    group: str | None = None,
) -> Worker[None]:
    """Run ``job(session)`` in a thread worker; post ``WorkDone``/``WorkFailed`` to ``node``."""
    app = node.app
    factory = app.session_factory  # type: ignore[attr-defined]
    language = app.settings.language  # type: ignore[attr-defined]

    def work() -> None:
        set_language(language)  # a worker thread does not inherit the UI's context
        try:
            with factory() as session:
                if read_only:
                    try:
                        result = job(session)
                    finally:
                        session.rollback()
                else:
                    with session.begin():
                        result = job(session)
        except Exception as error:  # every failure becomes a message, never a traceback
            engine = factory.kw.get("bind")
            text, code = describe_error(error, engine)
            node.post_message(WorkFailed(tag, text, code, error))
            return
        node.post_message(WorkDone(tag, result))

    return node.run_worker(
        work,
        name=tag,
        group=group or tag,
        description=tag,
        exit_on_error=False,
        exclusive=exclusive,
        thread=True,
    )
