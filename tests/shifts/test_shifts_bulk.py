"""``coop.shifts.bulk``: rows written as driver tuples and read raw come back as SQLAlchemy
writes and reads them (dates, booleans, moments in UTC, NULLs), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import bindparam, insert, select

from coop.db import driver_rows
from coop.shifts.bulk import bind_row, codecs, execute_many, read_row
from coop.shifts.models import ShiftLedgerEntry, ShiftMemberState, ShiftStateLog, core_table

NAMES = (
    "member_id",
    "day",
    "counter",
    "delta",
    "kind",
    "ref",
    "detail",
    "note",
    "created_at",
    "actor",
)


def test_rows_written_raw_read_back_through_the_orm(coop) -> None:
    one, two = coop.member(1), coop.member(2)
    session = coop.session
    table = core_table(ShiftLedgerEntry)
    codec = codecs(session, table, NAMES)
    at = datetime(2026, 12, 14, 5, 30, tzinfo=UTC)
    rows = [
        bind_row(
            codec,
            (one.id, date(2026, 12, 14), "ftop", -1, "cycle", "c:1", "deficit", "", at, "test"),
        ),
        bind_row(
            codec, (two.id, date(2026, 12, 15), "standard", 2, "manual", None, "", "x", at, "test")
        ),
    ]
    execute_many(session, insert(table), NAMES, rows)
    written = session.scalars(select(ShiftLedgerEntry).order_by(ShiftLedgerEntry.id)).all()
    assert [(e.member_id, e.day, e.counter, e.delta, e.ref, e.note) for e in written] == [
        (one.id, date(2026, 12, 14), "ftop", -1, "c:1", ""),
        (two.id, date(2026, 12, 15), "standard", 2, None, "x"),
    ]
    assert {e.created_at for e in written} == {at}


def test_update_in_another_order_than_the_table_and_raw_read(coop) -> None:
    member = coop.member(1)
    coop.run(date(2025, 1, 6))  # the member's state row
    session = coop.session
    table = core_table(ShiftMemberState)
    names = ("leave_end", "extension_grace", "status", "member_id")
    codec = codecs(session, table, names)
    statement = (
        table.update()
        .where(table.c.member_id == bindparam("_member_id"))
        .values({n: bindparam(f"_{n}") for n in names[:-1]})
    )
    row = bind_row(codec, (date(2026, 1, 31), True, "on_leave", member.id))
    execute_many(session, statement, [f"_{n}" for n in names], [row])
    raw = list(driver_rows(session, select(*(table.c[n] for n in names))))
    assert [read_row(names, codec, values) for values in raw] == [
        {
            "leave_end": date(2026, 1, 31),
            "extension_grace": True,
            "status": "on_leave",
            "member_id": member.id,
        }
    ]


def test_no_rows_no_statement(coop) -> None:
    coop.member(1)
    session = coop.session
    before = session.scalar(select(ShiftStateLog.id).limit(1))
    execute_many(session, insert(core_table(ShiftStateLog)), ("member_id", "day"), [])
    assert session.scalar(select(ShiftStateLog.id).limit(1)) == before
