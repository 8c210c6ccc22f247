"""Database work off the UI thread, one transaction per user action, results as messages.

How a screen runs database work (the pattern every screen follows)::

    from tui.work import run_work

    class SaleCommitted(WorkResult[Receipt]):      # one message class per kind of result
        # the sale was recorded

    def action_pay(self) -> None:
        request = self.request
        run_work(self, lambda session: selling.commit_sale(session, request, ...),
                 done=SaleCommitted)

    @on(SaleCommitted)
    def committed(self, message: SaleCommitted) -> None:   # UI thread, message.result typed
        ...

A failure posts ``failed`` (``WorkFailed`` or a subclass the screen handles to react to a
refusal code; it calls ``message.prevent_default()`` when it dealt with it, otherwise the base
screen notifies the sentence).

``job`` runs in a Textual thread worker with a Session of its own opened from
``self.app.session_factory`` inside ``coop.db.transaction`` (commit on success, roll back on
any error: nothing half-saved). The job must not touch widgets; it returns plain values (ORM
objects loaded in it stay readable afterwards: the factory does not expire on commit). Pass
``read_only=True`` to roll back instead of committing (a preview, a search). ``exclusive=True``
cancels the previous worker of the same group (as-you-type searches).

Errors become ``WorkFailed`` with one sentence: a ``CoopError``'s own message (an
``InvalidInput`` about what was typed on a screen without the command line's "column “member”:"
prefix, which names a command's argument, not anything on the screen); a busy SQLite
file ("database is locked", another till writing) or an unreachable server through
``coop.db.unavailable``; anything else is logged with its traceback and shown as a short
"unexpected error" sentence. The UI never crashes on a worker's error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker

from coop.errors import CoopError, InvalidInput
from coop.i18n import _, set_language
from coop.text import sentence
from tui.messages import WorkFailed, WorkResult
from tui.services import services

log = logging.getLogger("comptoir.tui")

T = TypeVar("T")

_BUSY_STATES = {"55P03", "40P01", "40001"}  # PostgreSQL: lock not available, deadlock, conflict


def describe_error(error: BaseException, engine: Any = None) -> tuple[str, str | None]:
    """(sentence for the cashier, refusal code or None) for an exception from database work."""
    if isinstance(error, InvalidInput) and all(
        problem.source is None and problem.line is None for problem in error.problems
    ):
        sentences = (sentence(problem.message) for problem in error.problems)
        return "\n".join(sentences), getattr(error, "code", None)
    if isinstance(error, CoopError):
        return str(error), getattr(error, "code", None)
    from coop.db import out_of_range

    refused = out_of_range(error)
    if refused is not None:  # a value the database cannot hold: bad input, nothing saved
        return refused, None
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


def _work(
    node: DOMNode,
    name: str,
    job: Callable[[Session], T],
    done: Callable[[T], Message],
    failed: Callable[[str, str | None, BaseException], Message],
    *,
    read_only: bool,
    exclusive: bool,
    group: str | None,
) -> Worker[None]:
    app = services(node)
    factory = app.session_factory
    language = app.settings.language

    def work() -> None:
        set_language(language)  # a worker thread does not inherit the UI's context
        try:
            with factory() as session:
                if read_only:
                    from coop.db import READ_ONLY

                    # a reader on SQLite: not queued behind the tills' writes (BEGIN IMMEDIATE)
                    session.connection(execution_options={READ_ONLY: True})
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
            node.post_message(failed(text, code, error))
            return
        node.post_message(done(result))

    return node.run_worker(
        work,
        name=name,
        group=group or name,
        description=name,
        exit_on_error=False,
        exclusive=exclusive,
        thread=True,
    )


def run_work(
    node: DOMNode,
    job: Callable[[Session], T],
    *,
    done: Callable[[T], WorkResult[T]],
    failed: type[WorkFailed] = WorkFailed,
    read_only: bool = False,
    exclusive: bool = False,
    group: str | None = None,
) -> Worker[None]:
    """Run ``job(session)`` in a thread worker; post ``done(result)`` or ``failed(...)`` to
    ``node``. ``read_only`` rolls back instead of committing; ``exclusive`` cancels the
    previous worker of the same group (as-you-type searches)."""
    name = getattr(done, "__name__", "work")
    return _work(
        node, name, job, done, failed, read_only=read_only, exclusive=exclusive, group=group
    )
