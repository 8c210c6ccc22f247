"""``coop.row_writer``: rows given as tuples, other statements than a plain insert (an
``UPDATE``, an ``INSERT … ON CONFLICT``) and values repeated down the rows are stored exactly as
SQLAlchemy's own statements store them, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    insert,
    select,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement

from coop.db import UTCDateTime
from coop.row_writer import RowWriter
from coop.upsert import dialect_insert

NINE = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def _table(metadata: MetaData, name: str) -> Table:
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("label", String(40)),
        Column("weighed", Boolean),
        Column("at", UTCDateTime()),
        Column("count", Integer),
    )


def _raw(engine: Engine, name: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(f"SELECT * FROM {name} ORDER BY id").fetchall()
    return [tuple(row) for row in rows]


def test_tuples_in_another_order_than_the_tables_are_stored_as_sqlalchemy_stores_them(
    engine: Engine,
) -> None:
    metadata = MetaData()
    mine, theirs = _table(metadata, "rwt_mine"), _table(metadata, "rwt_theirs")
    metadata.create_all(engine)
    later = NINE + timedelta(minutes=5)
    # the same datetime object on two rows, then another moment: each row keeps its own
    rows = [
        {"id": 1, "label": "Pommes", "weighed": True, "at": NINE, "count": 3},
        {"id": 2, "label": "Café", "weighed": False, "at": NINE, "count": 1},
        {"id": 3, "label": "Thé", "weighed": True, "at": later, "count": 2},
        {"id": 4, "label": "Riz", "weighed": False, "at": NINE, "count": 0},
    ]
    names = ("count", "at", "label", "id", "weighed")  # not the table's order
    writer = RowWriter(mine, names)
    assert writer.names == names
    with engine.begin() as connection:
        writer.write_tuples(connection, [tuple(row[name] for name in names) for row in rows])
        assert writer.write_tuples(connection, []) is None  # nothing to write: no statement
        connection.execute(insert(theirs), rows)
    assert _raw(engine, "rwt_mine") == _raw(engine, "rwt_theirs")
    with engine.connect() as connection:
        read = connection.execute(select(mine).order_by(mine.c.id)).mappings().all()
    assert [dict(row) for row in read] == rows
    metadata.drop_all(engine)


def test_an_upsert_and_an_update_built_per_dialect(engine: Engine) -> None:
    metadata = MetaData()
    table = _table(metadata, "rwt_levels")
    metadata.create_all(engine)

    def upsert(dialect: Dialect) -> ClauseElement:
        statement = dialect_insert(dialect.name, table)
        return statement.on_conflict_do_update(
            index_elements=["id"],
            set_={"count": table.c.count + statement.excluded.count, "at": statement.excluded.at},
        )

    def update(_dialect: Dialect) -> ClauseElement:
        return (
            table.update()
            .where(table.c.id == bindparam("key"))
            .values({"label": bindparam("new_label"), "weighed": bindparam("flag")})
        )

    levels = RowWriter(table, ("id", "count", "at"), build=upsert)
    relabel = RowWriter(table, ("new_label", "flag", "key"), build=update)
    later = NINE + timedelta(hours=1)
    with engine.begin() as connection:
        connection.execute(
            insert(table), [{"id": 1, "label": "Pommes", "weighed": False, "at": NINE, "count": 5}]
        )
        levels.write_tuples(connection, [(1, -2, later), (2, 7, later)])
        relabel.write_tuples(connection, [("Poires", True, 1)])
    with engine.connect() as connection:
        read = connection.execute(select(table).order_by(table.c.id)).mappings().all()
    assert [dict(row) for row in read] == [
        {"id": 1, "label": "Poires", "weighed": True, "at": later, "count": 3},
        {"id": 2, "label": None, "weighed": None, "at": later, "count": 7},
    ]
    metadata.drop_all(engine)


def test_a_returning_insert_gives_its_result(engine: Engine) -> None:
    metadata = MetaData()
    table = Table(
        "rwt_serial",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("label", String(40)),
    )
    metadata.create_all(engine)
    writer = RowWriter(
        table, ("label",), build=lambda _dialect: insert(table).returning(table.c.id)
    )
    with engine.begin() as connection:
        first = writer.write(connection, [{"label": "a"}])
        second = writer.write(connection, [{"label": "b"}])
        assert first is not None and second is not None
        ids = [first.scalar_one(), second.scalar_one()]
    assert _raw(engine, "rwt_serial") == [(ids[0], "a"), (ids[1], "b")]
    assert ids[1] > ids[0]
    metadata.drop_all(engine)
