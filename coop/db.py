"""Engine and sessions, built by functions (never at import time), for SQLite and PostgreSQL.

SQLite is the embedded default: WAL journal, ``synchronous=FULL`` (a commit is on disk before
the receipt prints), foreign keys on, a busy timeout, and real transactions (the pysqlite
driver's own BEGIN handling is switched off so that SAVEPOINTs and rollbacks behave as on
PostgreSQL); transactions begin IMMEDIATE (as writers, so two tills queue instead of one being
refused "busy"), except those marked ``READ_ONLY``. PostgreSQL goes through psycopg 3 with the
same code; each transaction sets a lock timeout and a statement timeout, and running into one
is said in words (``unavailable``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, Index, MetaData, Table, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.schema import CreateIndex
from sqlalchemy.sql import Executable
from sqlalchemy.types import TypeDecorator

from coop.errors import DatabaseUnavailable
from coop.i18n import _

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLITE_BUSY_TIMEOUT_MS = 5000
SQLITE_SYNCHRONOUS = "FULL"
"""FULL: a committed sale (its receipt printed) survives a power cut (the benchmark compares
with NORMAL)."""
POSTGRES_LOCK_TIMEOUT_MS = 5000
"""How long a PostgreSQL transaction waits for a row or table another one holds (a till's head,
an account) before giving up with a sentence saying so, instead of freezing every till."""
POSTGRES_STATEMENT_TIMEOUT_MS = 300_000
"""The longest one statement may run (verifying a million sales reads in chunks well under it)."""
READ_ONLY = "coop_read_only"
"""Execution option: this transaction only reads (SQLite then begins it DEFERRED, as a reader
that never blocks the tills; every other transaction begins IMMEDIATE, as a writer that queues
behind the current writer for up to the busy timeout instead of failing at once)."""


class Base(DeclarativeBase):
    """Base of every table; constraint names follow one convention (Alembic needs it)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Base]) -> Table:
    """The Core table a model maps (each maps one plain table), for bulk insert and update.

    SQLAlchemy types ``Model.__table__`` as any FROM clause; every Comptoir model is a table.
    """
    table = model.__table__
    assert isinstance(table, Table), model
    return table


PARTIAL_WHERE = "coop_partial_where"
"""Key in an index's ``info``: the SQL condition of a partial index (``partial_unique_index``)."""


def partial_unique_index(name: str, *columns: str, where: str) -> Index:
    """A unique index over the rows matching ``where`` (SQL), partial on SQLite and PostgreSQL.

    Written ``Index(..., postgresql_where=...)``, the index would make SQLAlchemy import the
    whole PostgreSQL dialect (≈ 50 ms) to validate that keyword, in every process, SQLite
    ones too. The condition is kept in ``info`` instead and handed to PostgreSQL's
    ``CREATE INDEX`` when one is compiled (``_create_partial_index``), by which time that
    dialect is loaded anyway. The migrations spell both keywords out, as before.
    """
    return Index(name, *columns, unique=True, sqlite_where=text(where), info={PARTIAL_WHERE: where})


@compiles(CreateIndex, "postgresql")
def _create_partial_index(create: CreateIndex, compiler: Any, **kw: Any) -> str:
    index = create.element
    where = index.info.get(PARTIAL_WHERE)
    if where is not None and index.dialect_options["postgresql"]["where"] is None:
        index.dialect_options["postgresql"]["where"] = text(where)
    return str(compiler.visit_create_index(create, **kw))


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware moment stored in UTC (SQLite has no time zones; PostgreSQL timestamptz)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: times are timezone-aware in Comptoir")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def normalise_url(url: str) -> str:
    """Accept the spellings people paste (postgres://, postgresql://) and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_path(url: str) -> Path | None:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def make_engine(url: str, *, create_folder: bool = False, echo: bool = False) -> Engine:
    """Build an engine; ``create_folder`` makes the SQLite file's folder (default location only)."""
    url = normalise_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise DatabaseUnavailable(
            _(
                "“{url}” is not a database address (expected sqlite:///FILE or postgresql://...)."
            ).format(url=url)
        ) from error
    if parsed.get_backend_name() == "sqlite":
        return _make_sqlite_engine(url, create_folder=create_folder, echo=echo)
    if parsed.get_backend_name() != "postgresql":
        raise DatabaseUnavailable(
            _("Unsupported database “{backend}”: use SQLite or PostgreSQL.").format(
                backend=parsed.get_backend_name()
            )
        )
    try:
        engine = create_engine(url, echo=echo, pool_pre_ping=True)
    except ModuleNotFoundError as error:
        raise DatabaseUnavailable(
            _("PostgreSQL support is not installed: pip install 'comptoir[postgres]'.")
        ) from error

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # per transaction: a lock held elsewhere (a till's head) is waited for a bounded time
        connection.exec_driver_sql(
            f"SET LOCAL lock_timeout = {POSTGRES_LOCK_TIMEOUT_MS};"
            f" SET LOCAL statement_timeout = {POSTGRES_STATEMENT_TIMEOUT_MS}"
        )

    return engine


def _make_sqlite_engine(url: str, *, create_folder: bool, echo: bool) -> Engine:
    path = _sqlite_path(url)
    if path is not None:
        if create_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.parent.is_dir():
            raise DatabaseUnavailable(
                _("The folder of the database file {path} does not exist.").format(path=path)
            )
    engine = create_engine(url, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, emit BEGIN: savepoints and rollbacks then work.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if path is not None:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute(f"PRAGMA synchronous = {SQLITE_SYNCHRONOUS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (screens show them after saving)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def describe(url: str) -> str:
    """The address without its password, for messages and `coop locate`."""
    return make_url(normalise_url(url)).render_as_string(hide_password=True)


def check_connection(engine: Engine) -> None:
    """Open a connection once, turning driver errors into one clear sentence."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            if engine.dialect.name == "sqlite":  # opening is lazy: read the header now
                connection.execute(text("SELECT count(*) FROM sqlite_master"))
    except DatabaseError as error:
        raise unavailable(engine, error) from error


def out_of_range(error: BaseException) -> str | None:
    """The sentence for a value the database refused as out of range or malformed (a number
    too large for its column...), which the use case's own checks should have caught first:
    bad input, not a bug. None for any other error."""
    from sqlalchemy.exc import DataError

    if not isinstance(error, DataError):
        return None
    detail = str(getattr(error, "orig", error)).strip().splitlines()[0]
    return _(
        "A value is outside what the database can store ({detail}); nothing was changed."
    ).format(detail=detail)


def unavailable(engine: Engine, error: BaseException) -> DatabaseUnavailable:
    """The sentence a person reads when the database cannot be used."""
    where = describe(str(engine.url))
    if engine.dialect.name == "sqlite":
        reason = str(getattr(error, "orig", error))
        if "locked" in reason:
            return DatabaseUnavailable(
                _("The database {where} is busy (another till is writing); try again.").format(
                    where=where
                )
            )
        return DatabaseUnavailable(
            _("Cannot open the database {where}: {reason}.").format(where=where, reason=reason)
        )
    code = getattr(getattr(error, "orig", None), "sqlstate", None)
    if code == "55P03":  # lock_not_available: lock_timeout reached
        return DatabaseUnavailable(
            _(
                "Another till or command is changing the same data (a till's sale numbers, an"
                " account, a stock level) and did not finish within {seconds} s; nothing was"
                " changed, try again."
            ).format(seconds=POSTGRES_LOCK_TIMEOUT_MS // 1000)
        )
    if code == "57014":  # query_canceled: statement_timeout reached
        return DatabaseUnavailable(
            _(
                "The database {where} took more than {seconds} s to answer; nothing was changed."
            ).format(where=where, seconds=POSTGRES_STATEMENT_TIMEOUT_MS // 1000)
        )
    return DatabaseUnavailable(
        _("Cannot reach the PostgreSQL server for {where}: is it running?").format(where=where)
    )


def refresh_statistics(session: Session, *tables: str) -> None:
    """Let PostgreSQL's planner see rows just bulk-inserted in this transaction.

    Until autovacuum analyses them, PostgreSQL plans a big table filled a moment ago as if it
    were empty (nested loops over sequential scans); ANALYZE inside the transaction samples
    the new rows (its own uncommitted rows count as live). SQLite needs nothing.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"ANALYZE {', '.join(tables)}"))


@contextlib.contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One user action = one transaction: commit on success, roll everything back otherwise."""
    with factory() as session, session.begin():
        yield session


def driver_rows(session: Session, statement: Executable, batch: int = 20_000) -> Iterator[Any]:
    """The statement's rows as the database driver returns them (plain tuples, no type
    processing: dates stay ISO text on SQLite), fetched in batches, in the session's
    transaction. For whole-table reads (every member's name, a million ledger rows), where
    building SQLAlchemy rows and parsing every value costs more than the query; the caller
    reads only columns whose raw values it understands on every database."""
    result = session.connection().execute(statement)
    try:
        cursor = result.cursor
        while rows := cursor.fetchmany(batch):
            yield from rows
    finally:
        result.close()
