"""The reads of `coop till verify`: every row needed to check a range of a till's journal,
in a handful of set-based queries on the driver's own cursor (tuples, no ORM objects), and the
helpers that walk them in journal order."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.till import records
from coop.till.closure_models import TillClosure

_LINE_SQL = ", ".join(f"l.{column}" for column in records.LINE_READ_COLUMNS)
_SALE_SQL = ", ".join(records.SALE_READ_COLUMNS)


def sql(session: Session, statement: str) -> str:
    """The driver's placeholders: ``?`` for sqlite3, ``%s`` for psycopg."""
    if session.get_bind().dialect.name == "postgresql":
        return statement.replace("?", "%s")
    return statement


def moment(value: Any) -> datetime:
    """A timestamp as the driver gives it (SQLite: naive UTC text; PostgreSQL: aware)."""
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    moment: datetime = value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def chunk(session: Session, till_id: int, first: int, last: int) -> dict[str, Any]:
    """Every row needed to check the records first..last of a till: six plain SQL queries on
    the driver's own cursor, read as tuples (no ORM objects, no result wrapping: a million
    sales are read in seconds)."""
    cursor = session.connection().connection.cursor()
    params = (till_id, first, last)

    def rows(statement: str) -> list[Any]:
        cursor.execute(sql(session, statement), params)
        return cast(list[Any], cursor.fetchall())

    journal = rows(
        "SELECT seq, kind, number, at, data, previous_hash, hash, sale_id, closure_id"
        " FROM till_journal WHERE till_id = ? AND seq >= ? AND seq <= ? ORDER BY seq"
    )
    sales = {
        row[0]: row[1:]
        for row in rows(
            f"SELECT id, number, at, {_SALE_SQL} FROM sales"
            " WHERE till_id = ? AND seq >= ? AND seq <= ?"
        )
    }
    in_range = "s.till_id = ? AND s.seq >= ? AND s.seq <= ?"
    lines = Children(
        rows(
            f"SELECT l.sale_id, {_LINE_SQL} FROM sale_lines l JOIN sales s ON s.id = l.sale_id"
            f" WHERE {in_range} ORDER BY s.seq, l.line_no"
        )
    )
    payments = Children(
        rows(
            "SELECT p.sale_id, p.means, p.amount_cents, p.reference FROM sale_payments p"
            f" JOIN sales s ON s.id = p.sale_id WHERE {in_range} ORDER BY s.seq, p.position"
        )
    )
    vat = Children(
        rows(
            "SELECT v.sale_id, v.vat_rate_bp, v.excl_vat_cents, v.vat_cents FROM sale_vat v"
            f" JOIN sales s ON s.id = v.sale_id WHERE {in_range} ORDER BY s.seq,"
            " v.vat_rate_bp"
        )
    )
    moved = {
        table: {
            row[0]: (row[1], row[2])
            for row in rows(
                f"SELECT m.sale_id, count(*), sum(m.{column}) FROM {table} m"
                f" JOIN sales s ON s.id = m.sale_id WHERE {in_range} GROUP BY m.sale_id"
            )
        }
        for table, column in (("stock_moves", "quantity"), ("account_movements", "amount_cents"))
    }
    cursor.close()
    closures = {
        row.id: row
        for row in session.scalars(
            select(TillClosure).where(
                TillClosure.till_id == till_id, TillClosure.seq >= first, TillClosure.seq <= last
            )
        )
    }
    return {
        "journal": journal,
        "sales": sales,
        "lines": lines,
        "payments": payments,
        "vat": vat,
        "stock": moved["stock_moves"],
        "account": moved["account_movements"],
        "closures": closures,
    }


NONE = (0, 0)


class Children:
    """A sale's child rows (lines, payments or VAT) from rows sorted by sale id, without
    building a dict of lists: sales are asked for in journal order, and within a till a later
    sale has a larger id (ids are given under the till's lock), so a cursor walks forward.
    If the ids ever go backwards, it falls back to grouping everything once."""

    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows
        self.position = 0
        self.grouped: dict[int, list[Any]] | None = None
        self.last = -1

    def get(self, sale_id: int, default: Any = ()) -> Any:
        if self.grouped is None and sale_id < self.last:
            grouped: dict[int, list[Any]] = defaultdict(list)
            for row in self.rows:
                grouped[row[0]].append(row[1:])
            self.grouped = grouped
        if self.grouped is not None:
            return self.grouped.get(sale_id, default)
        self.last = sale_id
        rows, position, size = self.rows, self.position, len(self.rows)
        while position < size and rows[position][0] < sale_id:
            position += 1
        start = position
        while position < size and rows[position][0] == sale_id:
            position += 1
        self.position = position
        return [row[1:] for row in rows[start:position]] if position > start else default


def parsed(data: str) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return None
