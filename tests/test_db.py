"""Engines and migrations on both databases; clear sentences when a database cannot be used."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta, timezone

import alembic.config  # noqa: F401  (imported at collection, before any capsys: see the last test)
import pytest
from sqlalchemy import select, text

from coop import migrate
from coop.audit import Actor, AuditEntry, record
from coop.db import make_engine
from coop.errors import DatabaseUnavailable


def test_models_and_migrations_agree(engine):
    """`alembic check`: autogenerate finds nothing to add on a freshly migrated database."""
    migrate.check(engine)
    assert migrate.is_up_to_date(engine)


def test_upgrade_twice_is_harmless(engine):
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_head_read_from_file_names_is_alembics_head():
    """The schema check reads the head from the file names; a misnamed new file fails here."""
    assert migrate.head_revision() == migrate.alembic_head_revision()
    for path in (migrate.MIGRATIONS / "versions").glob("*.py"):
        number = path.name.split("_", 1)[0]
        assert f"revision: str = '{number}'" in path.read_text(encoding="utf-8"), path.name


def test_a_database_one_revision_behind_is_not_up_to_date(database_url):
    engine = make_engine(database_url)
    previous = f"{int(migrate.head_revision()) - 1:04d}"
    try:
        assert migrate.stored_revisions(engine) == [migrate.head_revision()]
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": previous})
        assert migrate.current_revision(engine) == previous
        assert not migrate.is_up_to_date(engine)
    finally:
        engine.dispose()


def test_an_empty_database_has_no_revision(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert migrate.stored_revisions(engine) == []
    assert migrate.current_revision(engine) is None
    assert not migrate.is_up_to_date(engine)


def test_sqlite_pragmas(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_sqlite_rollback_really_rolls_back(engine, now):
    """The driver's own transaction handling is off: a rollback undoes every statement."""
    with engine.connect() as connection:
        with connection.begin() as transaction:
            connection.execute(
                text("INSERT INTO member_categories (code, label) VALUES ('x', 'X')")
            )
            transaction.rollback()
        count = connection.execute(text("SELECT count(*) FROM member_categories")).scalar()
    assert count == 2


def test_times_are_stored_in_utc_and_come_back_aware(session):
    paris = datetime(2026, 7, 14, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    record(session, actor=Actor("t"), at=paris, action="x", entity="y", entity_id=1)
    session.commit()
    session.expunge_all()
    stored = session.scalar(select(AuditEntry.at))
    assert stored == paris and stored.tzinfo is not None
    assert stored.astimezone(UTC).hour == 10


def test_naive_datetimes_are_refused(session):
    with pytest.raises(Exception, match="naive"):
        record(
            session, actor=Actor("t"), at=datetime(2026, 1, 1), action="x", entity="y", entity_id=1
        )
        session.flush()


def test_missing_folder_is_one_sentence(tmp_path):
    with pytest.raises(DatabaseUnavailable, match="does not exist"):
        make_engine(f"sqlite:///{tmp_path / 'nowhere' / 'db.sqlite3'}")


def test_not_a_database_address():
    with pytest.raises(DatabaseUnavailable, match="not a database address"):
        make_engine("comptoir.sqlite3")


def test_postgresql_down_is_one_sentence():
    from coop.db import check_connection

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    engine = make_engine(f"postgresql://nobody@127.0.0.1:{port}/nothing")
    with pytest.raises(DatabaseUnavailable, match="Cannot reach the PostgreSQL server"):
        check_connection(engine)


def test_alembic_without_a_database_says_how_to_give_one():
    """The developers' `alembic` command with neither ``-x url=`` nor ``sqlalchemy.url`` stops
    with a sentence (mypy found ``make_engine(None)``, which failed on ``None.startswith``)."""
    from alembic import command

    config = migrate.alembic_config()  # no sqlalchemy.url, no connection handed over
    with pytest.raises(SystemExit, match="-x url="):
        command.current(config)


def test_partial_unique_indexes_stay_partial_on_postgresql_and_sqlite():
    # their PostgreSQL condition is not an Index keyword (which would import the PostgreSQL
    # dialect in every process) but is handed to CREATE INDEX when compiled for PostgreSQL
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateIndex

    import coop.models  # noqa: F401 -- every table
    from coop.db import Base

    wanted = {
        "uq_member_cards_one_active": "WHERE ended_on IS NULL",
        "uq_shift_attendances_one_live_per_member": "WHERE state <> 'cancelled'",
        "uq_till_sessions_one_open": "WHERE closed_at IS NULL",
    }
    indexes = {ix.name: ix for table in Base.metadata.tables.values() for ix in table.indexes}
    for name, where in wanted.items():
        for dialect in (postgresql.dialect(), sqlite.dialect()):
            ddl = str(CreateIndex(indexes[name]).compile(dialect=dialect))
            assert ddl.startswith("CREATE UNIQUE INDEX") and ddl.endswith(where), ddl


def test_alembic_writes_to_the_output_of_the_moment(capsys):
    """Alembic's ``Config`` takes by default the ``sys.stdout`` of its first import (here the
    test module's, at collection): ours passes the current one, so a stream a test captured and
    closed is never written to later (``alembic check`` failed so, depending on test order)."""
    migrate.alembic_config().print_stdout("the current stream")
    assert "the current stream" in capsys.readouterr().out
