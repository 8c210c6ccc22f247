"""Two daily runs at once: the second is told the truth (issue 17 §6).

``claim(session, today)`` is called first by the daily run, in its transaction:

- on PostgreSQL it takes a transaction-level advisory lock without waiting; if another
  transaction holds it, the run is refused with "the daily run is already in progress"
  (``DailyRunBusy``) instead of queueing behind the row locks or failing on a duplicate;
- on SQLite every write transaction starts as a writer (``BEGIN IMMEDIATE``), so a second run
  waits for the first to commit;
- then, on both, it reads whether a run for ``today`` has already been committed (its audit
  entry ``shifts.run``): the run still goes through (it is idempotent: nothing more changes)
  and its report says when and by whom the day was already run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from coop.audit import AuditEntry
from coop.db import table_of
from coop.errors import CoopError
from coop.i18n import _

RUN_ACTION = "shifts.run"
_LOCK_KEY = 0x636F6F70_72756E  # "coop" "run": the advisory lock's key on PostgreSQL


class DailyRunBusy(CoopError):
    """Another daily run is in progress right now; this one did nothing."""


@dataclass(frozen=True)
class EarlierRun:
    """A daily run for the same day already committed."""

    at: datetime
    actor: str


def claim(session: Session, today: date) -> EarlierRun | None:
    """Refuse a run while another is in progress; say whether ``today`` was already run."""
    if session.get_bind().dialect.name == "postgresql":
        held = session.execute(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _LOCK_KEY}
        ).scalar()
        if not held:
            raise DailyRunBusy(
                _(
                    "The daily run is already in progress (started elsewhere); nothing was done."
                    " Its report will say what it changed."
                )
            )
    # the Core table, not the mapped class: an ORM query would configure every mapper first
    # (15 ms of the run's start; nothing else on the daily run's path needs them)
    audit = table_of(AuditEntry)
    row = session.execute(
        select(audit.c.at, audit.c.actor)
        .where(
            audit.c.action == RUN_ACTION,
            audit.c.entity == "shifts",
            audit.c.entity_id == today.isoformat(),
        )
        .order_by(audit.c.id.desc())
        .limit(1)
    ).first()
    return EarlierRun(row[0], row[1]) if row is not None else None
