"""The automatic rotating backup after a Z, shared by the command line and the counter screen.

``after_commit(session, folder=..., keep=..., now=...)`` is called by whoever takes a Z, inside
its transaction; once that transaction commits, a backup of the database is written into
``folder`` (``coop.backup.automatic_backup``: SQLite's online backup API or ``pg_dump``) and the
oldest automatic backups beyond ``keep`` are removed (``[till] backups_kept``; 0: none). If the
transaction rolls back, nothing is written. The Z stands even if the backup cannot be written:
the returned ``ZBackup`` then holds the sentence to tell the person (never an exception).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from coop import backup
from coop.i18n import _

log = logging.getLogger("comptoir.backup")


@dataclass
class ZBackup:
    """What became of the backup after a Z: filled in once the transaction commits."""

    path: Path | None = None
    problem: str | None = None
    done: bool = False

    def warning(self) -> str | None:
        """The sentence for the person when the backup could not be written (None: it was)."""
        if self.problem is None:
            return None
        return _("The Z is saved, but the automatic backup was not: {why}").format(why=self.problem)


def after_commit(session: Session, *, folder: Path, keep: int, now: datetime) -> ZBackup:
    """Write the rotating backup once ``session``'s transaction has committed (see above)."""
    outcome = ZBackup()
    if keep <= 0:
        outcome.done = True
        return outcome
    url = session.get_bind().engine.url.render_as_string(hide_password=False)

    def write(_session: Session) -> None:
        if outcome.done:  # rolled back first: a later commit of the session is not this Z's
            return
        outcome.done = True
        try:
            outcome.path = backup.automatic_backup(url, folder, keep, now)
        except (backup.BackupError, OSError) as error:
            log.warning("automatic backup after a Z not written: %s", error)
            outcome.problem = str(error)

    event.listen(session, "after_commit", write, once=True)
    event.listen(session, "after_rollback", lambda _s: _rolled_back(outcome), once=True)
    return outcome


def _rolled_back(outcome: ZBackup) -> None:
    outcome.done = True  # the Z was not saved: no backup for it
