"""``coop.till.row_writer``: rows written through the driver are stored exactly as SQLAlchemy's
own insert stores them (each column type's bind processor applied, on both databases)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Boolean, Column, Engine, Integer, MetaData, String, Table, insert, select

from coop.db import UTCDateTime
from coop.till.row_writer import RowWriter


def _table(metadata: MetaData, name: str) -> Table:
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("label", String(40)),
        Column("weighed", Boolean),
        Column("at", UTCDateTime()),
        Column("note", String(40), nullable=True),
    )


ROWS = [
    {
        "id": 1,
        "label": "Pommes",
        "weighed": True,
        "at": datetime(2026, 12, 6, 9, 30, tzinfo=UTC),
        "note": None,
    },
    {
        "id": 2,
        "label": "Café",
        "weighed": False,
        "at": datetime(2026, 12, 6, 10, 0, tzinfo=UTC),
        "note": "x",
    },
]


def test_rows_stored_as_sqlalchemy_stores_them(engine: Engine) -> None:
    metadata = MetaData()
    mine, theirs = _table(metadata, "rw_mine"), _table(metadata, "rw_theirs")
    metadata.create_all(engine)
    writer = RowWriter(mine)
    with engine.begin() as connection:
        writer.write(connection, ROWS)
        writer.write(connection, [])  # nothing to write: no statement
        connection.execute(insert(theirs), ROWS)
    with engine.connect() as connection:
        raw_mine = connection.exec_driver_sql("SELECT * FROM rw_mine ORDER BY id").fetchall()
        raw_theirs = connection.exec_driver_sql("SELECT * FROM rw_theirs ORDER BY id").fetchall()
        read = connection.execute(select(mine).order_by(mine.c.id)).mappings().all()
    assert raw_mine == raw_theirs
    assert [dict(row) for row in read] == ROWS
    metadata.drop_all(engine)


def test_a_row_missing_a_column_is_refused(engine: Engine) -> None:
    metadata = MetaData()
    table = _table(metadata, "rw_short")
    metadata.create_all(engine)
    with engine.begin() as connection, pytest.raises(KeyError):
        RowWriter(table).write(connection, [{"id": 1, "label": "Pommes"}])
    metadata.drop_all(engine)
