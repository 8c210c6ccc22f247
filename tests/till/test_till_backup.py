"""`coop backup` taken while a till sells restores with every sale committed before it;
`coop restore` refuses a file that is not sound or does not verify, and keeps the current
database aside (issue 17 §2)."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from coop import backup
from coop.audit import Actor
from coop.cli.main import main
from coop.cli.system import _verifier
from coop.config import Settings, TillSettings
from coop.db import READ_ONLY, make_engine
from coop.rights import Role
from coop.till.models import Sale

from .conftest import JAM, SATURDAY, Shop, drop_triggers
from .test_till_two_tills import _sell

NOW = datetime(2026, 12, 6, 12, 0)


def _sales(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        session.connection(execution_options={READ_ONLY: True})  # a reader: never queues
        count = session.scalar(select(func.count()).select_from(Sale)) or 0
    engine.dispose()
    return count


def _open_till(url: str) -> None:
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        Shop(
            session, Actor("test:cashier", roles=frozenset({Role.CASHIER})), SATURDAY, Settings()
        ).open()
        session.commit()
    engine.dispose()


def test_a_backup_taken_while_selling_restores_every_committed_sale(database_url, tmp_path):
    _open_till(database_url)
    engine = make_engine(database_url)
    settings = Settings(till=TillSettings(till="CAISSE-1"))
    for index in range(20):  # committed, still in the -wal file on SQLite
        _sell(engine, settings, "CAISSE-1", {JAM: 1}, f"before-{index}")
    holder = engine.connect().execution_options(coop_read_only=True)  # a screen reading
    holder.execute(text("SELECT count(*) FROM sales")).scalar()
    stop = threading.Event()
    errors: list[BaseException] = []

    def selling() -> None:
        index = 0
        try:
            while not stop.is_set():
                _sell(engine, settings, "CAISSE-1", {JAM: 1}, f"during-{index}")
                index += 1
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=selling)
    thread.start()
    committed_before = _sales(database_url)
    out = tmp_path / ("copy.sqlite3" if database_url.startswith("sqlite") else "copy.dump")
    assert main(["--database", database_url, "backup", "--out", str(out)]) == 0
    committed_after = _sales(database_url)
    stop.set()
    thread.join(timeout=60)
    holder.close()
    engine.dispose()
    assert not errors, errors
    assert committed_before >= 20
    if database_url.startswith("sqlite"):
        assert not (tmp_path / f"{out.name}-wal").exists()
        restored = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        assert main(["--database", restored, "restore", str(out)]) == 0
    else:
        restored = database_url
        assert main(["--database", restored, "restore", str(out)]) == 0
    assert committed_before <= _sales(restored) <= committed_after
    assert _verifier(restored) == []


def test_restore_refuses_a_broken_file_and_keeps_the_database_aside(tmp_path, sqlite_template):
    import shutil

    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    shutil.copy(sqlite_template, tmp_path / "live.sqlite3")
    _open_till(url)
    engine = make_engine(url)
    settings = Settings(till=TillSettings(till="CAISSE-1"))
    _sell(engine, settings, "CAISSE-1", {JAM: 2}, "one")
    engine.dispose()
    good = backup.backup(url, tmp_path / "good.sqlite3")
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(backup.BackupError, match="not a sound database"):
        backup.restore(url, garbage, NOW, _verifier)
    forged = backup.backup(url, tmp_path / "forged.sqlite3")
    forged_engine = make_engine(f"sqlite:///{forged}")
    with Session(forged_engine) as session:
        drop_triggers(session)
        session.execute(text("UPDATE sale_lines SET label = 'Autre chose'"))
        session.commit()
    forged_engine.dispose()
    with pytest.raises(backup.BackupError, match="fails `coop till verify`"):
        backup.restore(url, forged, NOW, _verifier)
    assert _sales(url) == 1
    aside = backup.restore(url, good, NOW, _verifier)
    assert aside is not None and aside.exists() and _sales(f"sqlite:///{aside}") == 1
    assert _sales(url) == 1


def test_automatic_backups_rotate(tmp_path, sqlite_template):
    url = f"sqlite:///{sqlite_template}"
    folder = tmp_path / "backups"
    for minute in range(5):
        backup.automatic_backup(url, folder, 3, NOW.replace(minute=minute))
    kept = sorted(path.name for path in folder.iterdir())
    assert kept == [f"auto-comptoir-20261206-12{m:02d}00.sqlite3" for m in (2, 3, 4)]
    assert backup.automatic_backup(url, folder, 0, NOW) is None
