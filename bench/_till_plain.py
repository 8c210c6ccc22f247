"""The floor of ``bench_till``'s sale commit: the rows a commit wrote, inserted again with plain
``sqlite3`` (one transaction per sale, same database, same tables and indexes)."""

from __future__ import annotations

import sqlite3
import statistics
import time
from datetime import datetime
from typing import Any

from _till_bulk import ACTOR
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from coop.clock import SHOP_TIMEZONE
from coop.till import registry
from coop.till.models import JournalEntry, Sale, SaleLineRow, SalePayment, SaleVat


def plain_inserts(engine: Engine, count: int) -> tuple[float, float]:
    """The rows the last commit wrote, inserted again with Python's sqlite3 module (one
    transaction per sale, same database, same tables and indexes): the floor for the writes,
    as (wall, CPU) medians in milliseconds."""
    path = engine.url.database
    assert path
    with Session(engine) as session:
        sale = (
            session.execute(select(Sale.__table__).order_by(Sale.id.desc()).limit(1))
            .mappings()
            .one()
        )
        lines = (
            session.execute(select(SaleLineRow.__table__).where(SaleLineRow.sale_id == sale["id"]))
            .mappings()
            .all()
        )
        payments = (
            session.execute(select(SalePayment.__table__).where(SalePayment.sale_id == sale["id"]))
            .mappings()
            .all()
        )
        vat = (
            session.execute(select(SaleVat.__table__).where(SaleVat.sale_id == sale["id"]))
            .mappings()
            .all()
        )
        journal = (
            session.execute(
                select(JournalEntry.__table__).where(JournalEntry.sale_id == sale["id"])
            )
            .mappings()
            .one()
        )
        moves = (
            session.execute(text("SELECT * FROM stock_moves WHERE sale_id = :s"), {"s": sale["id"]})
            .mappings()
            .all()
        )
    with Session(engine) as session, session.begin():
        till = registry.create_till(session, "PLAIN", actor=ACTOR, now=datetime.now(SHOP_TIMEZONE))
        till_id = till.id
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA synchronous = NORMAL")

    def columns(row: Any, skip: tuple[str, ...] = ()) -> list[str]:
        return [key for key in row if key not in skip]

    sale_columns = columns(sale, ("id",))
    line_columns = columns(lines[0])
    payment_columns = columns(payments[0])
    vat_columns = columns(vat[0])
    journal_columns = columns(journal)
    move_columns = columns(moves[0], ("id",))

    def sql(table: str, names: list[str]) -> str:
        return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"

    def value(v: Any) -> Any:
        if isinstance(v, datetime):
            return v.replace(tzinfo=None).isoformat(sep=" ")
        return v

    samples = []
    cpu_samples = []
    for index in range(1, count + 1):
        started, cpu = time.perf_counter(), time.process_time()
        cursor = connection.cursor()
        cursor.execute("BEGIN")
        values = {**sale, "till_id": till_id, "number": index, "seq": index, "token": None}
        cursor.execute(sql("sales", sale_columns), [value(values[c]) for c in sale_columns])
        sale_id = cursor.lastrowid
        cursor.executemany(
            sql("sale_lines", line_columns),
            [[sale_id if c == "sale_id" else value(row[c]) for c in line_columns] for row in lines],
        )
        cursor.executemany(
            sql("sale_payments", payment_columns),
            [
                [sale_id if c == "sale_id" else value(row[c]) for c in payment_columns]
                for row in payments
            ],
        )
        cursor.executemany(
            sql("sale_vat", vat_columns),
            [[sale_id if c == "sale_id" else value(row[c]) for c in vat_columns] for row in vat],
        )
        entry = {**journal, "till_id": till_id, "seq": index, "number": index, "sale_id": sale_id}
        cursor.execute(
            sql("till_journal", journal_columns), [value(entry[c]) for c in journal_columns]
        )
        cursor.executemany(
            sql("stock_moves", move_columns),
            [[sale_id if c == "sale_id" else value(row[c]) for c in move_columns] for row in moves],
        )
        cursor.executemany(
            "UPDATE stock_levels SET quantity = quantity + ? WHERE product_id = ?",
            [(row["quantity"], row["product_id"]) for row in moves],
        )
        cursor.execute(
            "UPDATE tills SET last_seq = ?, last_sale_number = ? WHERE id = ?",
            (index, index, till_id),
        )
        cursor.execute("COMMIT")
        samples.append((time.perf_counter() - started) * 1000)
        cpu_samples.append((time.process_time() - cpu) * 1000)
    connection.close()
    return statistics.median(samples), statistics.median(cpu_samples)
