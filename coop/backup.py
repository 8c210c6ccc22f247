"""Backups that lose nothing, and restores that refuse a bad file.

- SQLite: SQLite's online backup API (``sqlite3.Connection.backup``) copies a consistent
  snapshot of the database *including* the committed sales still in the ``-wal`` file, while
  tills keep selling (copying the ``.sqlite3`` file alone loses them). The copy is written
  beside its target and renamed once complete (its full ``PRAGMA integrity_check`` is run by
  ``restore``, before it may replace a database).
- PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot), restored with
  ``pg_restore``.
- ``restore`` refuses a file that fails ``PRAGMA integrity_check`` or ``coop till verify``, and
  keeps the current database aside (``<file>.before-restore-<time>``) before putting the
  backup in its place.
- ``rotate``: the automatic backups made at each Z, the oldest removed beyond ``keep``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from coop.errors import CoopError
from coop.i18n import _

POSTGRES_TOOLS = ("/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin")
AUTOMATIC_PREFIX = "auto-"


class BackupError(CoopError):
    """A backup or a restore that could not be done (the sentence says why)."""


def _stamp(now: datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S")


def default_name(url: str, now: datetime) -> str:
    suffix = ".sqlite3" if make_url(url).get_backend_name() == "sqlite" else ".dump"
    return f"comptoir-{_stamp(now)}{suffix}"


def sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def integrity_problem(path: Path) -> str | None:
    """What ``PRAGMA integrity_check`` says is wrong with a SQLite file (None: it is sound)."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return str(error)
    verdict = "; ".join(str(row[0]) for row in rows)
    return None if verdict == "ok" else verdict


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for folder in POSTGRES_TOOLS:
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
    raise BackupError(
        _("{tool} is not installed: install the PostgreSQL client (postgresql-client).").format(
            tool=name
        )
    )


def _libpq(url: str) -> str:
    """The address as libpq reads it (no "+psycopg")."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def backup(url: str, out: Path) -> Path:
    """Write a consistent backup of the database at ``url`` to ``out`` (a new file)."""
    out = Path(out)
    if out.exists():
        raise BackupError(_("{path} already exists: choose a new file.").format(path=out))
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        source = sqlite_file(url)
        if source is not None:
            _sqlite_backup(source, partial)
        else:
            _pg_dump(url, partial)
        partial.replace(out)
    except OSError as error:
        raise BackupError(
            _("Cannot write the backup {path}: {reason}.").format(
                path=out, reason=error.strerror or error
            )
        ) from error
    finally:
        partial.unlink(missing_ok=True)
    return out


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.exists():
        raise BackupError(_("There is no database file at {path}.").format(path=source))
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(target)
    try:
        origin.backup(copy)  # one step: a snapshot, WAL included, writers never blocked
        copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    finally:
        copy.close()
        origin.close()
    problem = integrity_problem(target)
    if problem is not None:
        raise BackupError(
            _("The backup failed its integrity check: {problem}.").format(problem=problem)
        )


def _pg_dump(url: str, target: Path) -> None:
    result = subprocess.run(
        [_tool("pg_dump"), "--format=custom", "--file", str(target), _libpq(url)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(
            _("pg_dump failed: {reason}").format(reason=result.stderr.strip() or result.returncode)
        )


Verifier = Callable[[str], list[str]]
"""Given a database address, the sentences of every till journal that does not verify (the
CLI passes ``coop till verify``; the kernel does not import the till)."""


def check_sqlite_backup(path: Path, verifier: Verifier) -> None:
    """Refuse a SQLite backup that is not sound or whose tills' journals do not verify."""
    if not path.is_file():
        raise BackupError(_("There is no file {path}.").format(path=path))
    problem = integrity_problem(path)
    if problem is not None:
        raise BackupError(
            _("{path} is not a sound database ({problem}); nothing was restored.").format(
                path=path, problem=problem
            )
        )
    try:
        broken = verifier(f"sqlite:///{path}")
    except CoopError:
        raise
    except Exception as error:  # not a Comptoir database, or one too old
        raise BackupError(
            _("{path} is not a Comptoir database this version can read ({reason}).").format(
                path=path, reason=type(error).__name__
            )
        ) from error
    if broken:
        raise BackupError(
            _("{path} fails `coop till verify`; nothing was restored. {why}").format(
                path=path, why=" ".join(broken)
            )
        )


def restore(url: str, backup_file: Path, now: datetime, verifier: Verifier) -> Path | None:
    """Put ``backup_file`` in the place of the database at ``url``, the current one kept
    aside; returns where it was kept (None when there was no current database)."""
    backup_file = Path(backup_file)
    target = sqlite_file(url)
    if target is None:
        return _pg_restore(url, backup_file, now)
    check_sqlite_backup(backup_file, verifier)
    aside: Path | None = None
    if target.exists():
        aside = target.with_name(f"{target.name}.before-restore-{_stamp(now)}")
        backup(url, aside)  # consistent, WAL included, even if a till is open
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        shutil.copyfile(backup_file, partial)
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return aside


def _pg_restore(url: str, backup_file: Path, now: datetime) -> Path:
    if not backup_file.is_file():
        raise BackupError(_("There is no file {path}.").format(path=backup_file))
    listed = subprocess.run(
        [_tool("pg_restore"), "--list", str(backup_file)], capture_output=True, text=True
    )
    if listed.returncode != 0 or "till_journal" not in listed.stdout:
        raise BackupError(
            _("{path} is not a Comptoir pg_dump backup; nothing was restored.").format(
                path=backup_file
            )
        )
    aside = backup(url, backup_file.with_name(f"before-restore-{_stamp(now)}.dump"))
    result = subprocess.run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--no-owner",
            "--dbname",
            _libpq(url),
            str(backup_file),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(
            _("pg_restore failed (the database is as it was): {reason}").format(
                reason=result.stderr.strip()
            )
        )
    return aside


def rotate(folder: Path, keep: int) -> list[Path]:
    """Remove the oldest automatic backups in ``folder`` beyond ``keep``; returns the removed."""
    if keep <= 0 or not folder.is_dir():
        return []
    automatic = sorted(path for path in folder.glob(f"{AUTOMATIC_PREFIX}*") if path.is_file())
    removed = automatic[: max(0, len(automatic) - keep)]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def automatic_backup(url: str, folder: Path, keep: int, now: datetime) -> Path | None:
    """The backup made after each Z (``[till] backups_kept``; 0: none)."""
    if keep <= 0:
        return None
    out = folder / f"{AUTOMATIC_PREFIX}{default_name(url, now)}"
    if out.exists():
        return out
    made = backup(url, out)
    rotate(folder, keep)
    return made
