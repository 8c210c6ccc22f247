"""The fast, set-based pass of `coop till verify`: finds the first *suspect* record, or none.

The database rebuilds every sale's sealed data from its rows itself (``verify_sql.sale_sql``:
the canonical JSON written by SQL, lines, payments and VAT aggregated in order) and
compares it with the stored bytes; only the sales whose text differs come back to Python. The
daily closures' sums by means of payment and by VAT rate are ``GROUP BY`` queries, one row per
closure. Python then streams the journal once, in seq order: each record's document is
assembled from the stored bytes and hashed, its seq, link and number checked, the closures
compared with their rows and with the sums of their day.

Everything here only *accepts* what the exact path (``coop.till.verify.check_part``) accepts:
a record it cannot vouch for is a suspect, and the caller replays the exact path over the day
that holds it (from the record after the previous daily closure), which names the first broken
record with its precise reason; a suspect the exact path clears (a label the database escapes
differently, say) costs one day replayed, then the fast pass goes on.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.till import records, verify_sql
from coop.till import verify_reads as reads
from coop.till.closure_models import TillClosure
from coop.till.journal import GENESIS_HASH, RecordKind

FETCH = 20_000


# --- JSON's ASCII escapes, which the database does not write -------------------------------------


def _json_escape(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeEncodeError)
    out = []
    for char in error.object[error.start : error.end]:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            out.append(f"\\u{0xD800 | (code >> 10):04x}\\u{0xDC00 | (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out), error.end


codecs.register_error("coop-json-ascii", _json_escape)


def _same(built: str, stored: str) -> bool:
    """Whether the database's text is the stored canonical text once non-ASCII characters are
    escaped as ``json`` escapes them (``ensure_ascii``)."""
    if not stored.isascii():  # canonical data is ASCII: the exact path says what is wrong
        return False
    return built.encode("ascii", "coop-json-ascii") == stored.encode("ascii")


# --- the pass -------------------------------------------------------------------------------------


Pending = tuple[str, int]
"""A closure not yet added into a longer one: its first day (ISO text) and its total."""


def fold(parts: list[Pending], stored: Any) -> tuple[int, list[Pending]]:
    """What a monthly (yearly) closure must total: the daily (monthly) closures that fall in
    its period, whatever came before it in the chain; and the parts left for a later period.

    A month may be closed after later days already have their Z (a month without sales closed
    by hand, say), so the parts are chosen by date, not by their place in the journal."""
    start, end = str(stored["start"]), str(stored["end"])
    inside = sum(total for day, total in parts if start <= day <= end)
    return inside, [(day, total) for day, total in parts if not start <= day <= end]


@dataclass
class Resume:
    """Where the exact path starts when a suspect is found: right after the last daily closure
    before it, with the chain's state and the closures' running totals there."""

    seq: int = 1
    hash: str = GENESIS_HASH
    numbers: dict[str, int] = field(default_factory=dict)
    days_since_month: list[Pending] = field(default_factory=list)
    months_since_year: list[Pending] = field(default_factory=list)
    checked: int = 0


@dataclass(frozen=True)
class Pass:
    """What the fast pass found over first..last: ``suspect`` is the seq of the first record it
    cannot vouch for (None: everything holds, ``end`` is the state after ``last``)."""

    suspect: int | None
    resume: Resume
    end: Resume
    orphan: bool = False
    """The suspect is a sale row no record points to (found after the pass)."""


def _at_text(value: Any) -> str:
    moment = reads.moment(value)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _day_sums(
    session: Session, till_id: int, first: int, last: int
) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, list[int]]]]:
    """Per daily closure in first..last (by its seq): the payments by means and the VAT by rate
    of the sales journalled since the previous daily closure (or since ``first``)."""
    days = (
        "WITH z AS (SELECT seq AS hi, COALESCE(LAG(seq) OVER (ORDER BY seq), ?) AS lo"
        " FROM till_closures WHERE till_id = ? AND period = 'day' AND seq >= ? AND seq <= ?)"
        " SELECT z.hi, {columns} FROM z JOIN sales s ON s.till_id = ?"
        " AND s.seq > z.lo AND s.seq < z.hi"
        " JOIN {table} x ON x.sale_id = s.id GROUP BY z.hi, {key}"
    )
    params = (first - 1, till_id, first, last, till_id)
    connection = session.connection()
    means: dict[int, dict[str, int]] = {}
    for hi, name, amount in connection.exec_driver_sql(
        reads.sql(
            session,
            days.format(
                columns="x.means, sum(x.amount_cents)", table="sale_payments", key="x.means"
            ),
        ),
        params,
    ):
        means.setdefault(hi, {})[name] = int(amount)
    vat: dict[int, dict[str, list[int]]] = {}
    for hi, bp, excl, tax in connection.exec_driver_sql(
        reads.sql(
            session,
            days.format(
                columns="x.vat_rate_bp, sum(x.excl_vat_cents), sum(x.vat_cents)",
                table="sale_vat",
                key="x.vat_rate_bp",
            ),
        ),
        params,
    ):
        vat.setdefault(hi, {})[records.rate_text(bp)] = [int(excl), int(tax)]
    return means, vat


def _closure_holds(
    kind: str, number: int, stored: Any, row: Any, day: dict[str, Any], totals: Resume
) -> bool:
    """The checks of ``verify._Rows.closure``, on the day's figures computed by the database."""
    if not isinstance(stored, dict) or row is None:
        return False
    try:
        if not row_agrees(row, _Number(number), stored):
            return False
        assert totals.days_since_month is not None and totals.months_since_year is not None
        if kind == RecordKind.DAY_CLOSURE.value:
            expected = {**day}
            found = {
                "sale_count": stored["sale_count"],
                "first_sale": stored["first_sale"],
                "last_sale": stored["last_sale"],
                "total": stored["total"],
                "payments": {item["means"]: item["amount"] for item in stored["payments"]},
                "vat": {item["rate"]: [item["excl_vat"], item["vat"]] for item in stored["vat"]},
            }
            totals.days_since_month.append((str(stored["start"]), stored["total"]))
        elif kind == RecordKind.MONTH_CLOSURE.value:
            total, totals.days_since_month = fold(totals.days_since_month, stored)
            expected = {"total": total}
            found = {"total": stored["total"]}
            totals.months_since_year.append((str(stored["start"]), stored["total"]))
        else:
            total, totals.months_since_year = fold(totals.months_since_year, stored)
            expected = {"total": total}
            found = {"total": stored["total"]}
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    return found == expected


@dataclass(frozen=True)
class _Number:
    number: int


_KINDS = frozenset(kind.value for kind in RecordKind)
_SALE = RecordKind.SALE.value
_DAY = RecordKind.DAY_CLOSURE.value


def row_agrees(row: Any, entry: Any, stored: dict[str, Any]) -> bool:
    """Whether a closure's summary row says what its record sealed."""
    agrees: bool = (
        row.period == stored["period"]
        and row.number == entry.number
        and row.starts_on == date.fromisoformat(stored["start"])
        and row.ends_on == date.fromisoformat(stored["end"])
        and row.sale_count == stored["sale_count"]
        and row.first_sale_number == stored["first_sale"]
        and row.last_sale_number == stored["last_sale"]
        and row.total_cents == stored["total"]
        and row.perpetual_cents == stored["perpetual"]
    )
    return agrees


class _Walk:
    """The journal's records in seq order, each checked as it comes (chain, hash, closures)."""

    def __init__(
        self,
        till_id: int,
        start: Resume,
        means_by_day: dict[int, dict[str, int]],
        vat_by_day: dict[int, dict[str, list[int]]],
        closures: dict[int, Any],
    ) -> None:
        self.till_id = till_id
        self.numbers = dict(start.numbers)
        self.totals = Resume(
            days_since_month=list(start.days_since_month),
            months_since_year=list(start.months_since_year),
        )
        self.resume = Resume(
            start.seq,
            start.hash,
            dict(self.numbers),
            list(self.totals.days_since_month),
            list(self.totals.months_since_year),
            0,
        )
        self.previous_hash = start.hash
        self.expected_seq = start.seq - 1
        self.checked = 0
        self.matched = 0
        self.day_count = 0
        self.day_first: int | None = None
        self.day_goods = 0
        self.means_by_day = means_by_day
        self.vat_by_day = vat_by_day
        self.closures = closures

    def rows(self, rows: Sequence[Any]) -> int | None:
        """Check rows in order; the seq of the first suspect one, or None."""
        numbers, till_id = self.numbers, self.till_id
        sha256: Callable[[bytes], Any] = hashlib.sha256
        for seq, kind, number, at, data, previous, digest, goods, odd in rows:
            if odd is not None and (odd == "!" or not _same(odd, data)):
                return int(seq)
            self.expected_seq += 1
            if seq != self.expected_seq or previous != self.previous_hash:
                return int(seq)
            if kind not in _KINDS or number != numbers.get(kind, 0) + 1:
                return int(seq)
            if type(at) is str and len(at) == 26 and at[10] == " ":
                at = f"{at[:10]}T{at[11:]}Z"  # SQLite's naive UTC text, microseconds
            else:
                at = _at_text(at)
            document = (
                f'{{"at":"{at}","data":{data},"kind":"{kind}","number":{number},'
                f'"previous":"{previous}","seq":{seq},"till":{till_id}}}'
            )
            if not document.isascii() or sha256(document.encode("ascii")).hexdigest() != digest:
                return int(seq)
            if kind == _SALE:
                self.matched += 1
                self.day_count += 1
                if self.day_first is None:
                    self.day_first = number
                self.day_goods += goods
            elif not self.closure(seq, kind, number, data):
                return int(seq)
            numbers[kind] = number
            self.previous_hash = digest
            self.checked += 1
            if kind == _DAY:
                self.resume = Resume(
                    seq + 1,
                    digest,
                    dict(numbers),
                    list(self.totals.days_since_month),
                    list(self.totals.months_since_year),
                    self.checked,
                )
        return None

    def closure(self, seq: int, kind: str, number: int, data: str) -> bool:
        day = {
            "sale_count": self.day_count,
            "first_sale": self.day_first,
            "last_sale": self.numbers.get(_SALE, 0),
            "total": self.day_goods,
            "payments": self.means_by_day.get(seq, {}),
            "vat": self.vat_by_day.get(seq, {}),
        }
        stored, row = reads.parsed(data), self.closures.get(seq)
        if not _closure_holds(kind, number, stored, row, day, self.totals):
            return False
        if kind == _DAY:
            self.day_count, self.day_first, self.day_goods = 0, None, 0
        return True


def run(session: Session, till_id: int, first: int, last: int, start: Resume) -> Pass:
    """The fast pass over the records first..last of a till, from ``start`` (right after a
    daily closure, or the beginning)."""
    dialect = session.get_bind().dialect.name
    means_by_day, vat_by_day = _day_sums(session, till_id, first, last)
    closures = {
        row.seq: row
        for row in session.scalars(
            select(TillClosure).where(
                TillClosure.till_id == till_id, TillClosure.seq >= first, TillClosure.seq <= last
            )
        )
    }
    sales_in_range = (
        session.connection()
        .exec_driver_sql(
            reads.sql(
                session, "SELECT count(*) FROM sales WHERE till_id = ? AND seq >= ? AND seq <= ?"
            ),
            (till_id, first, last),
        )
        .scalar_one()
    )
    statement = (
        "SELECT j.seq, j.kind, j.number, j.at, j.data, j.previous_hash, j.hash,"
        " s.goods_cents,"  # turnover: total − top-up − shares − fee
        " CASE WHEN j.kind <> 'sale' THEN NULL"
        " WHEN s.id IS NULL OR s.till_id <> j.till_id OR s.seq <> j.seq THEN '!'"
        " WHEN s.number <> j.number OR s.at <> j.at THEN '!'"
        f" ELSE NULLIF({verify_sql.sale_sql(dialect)}, j.data) END"
        " FROM till_journal j LEFT JOIN sales s ON s.id = j.sale_id"
        " WHERE j.till_id = ? AND j.seq >= ? AND j.seq <= ? ORDER BY j.seq"
    )
    cursor = session.connection().connection.cursor()
    if dialect != "postgresql":
        verify_sql.fill_labels(cursor)
    cursor.execute(reads.sql(session, statement), (till_id, first, last))
    walk = _Walk(till_id, start, means_by_day, vat_by_day, closures)
    try:
        suspect: int | None = None
        while suspect is None and (rows := cursor.fetchmany(FETCH)):
            suspect = walk.rows(rows)
    finally:
        cursor.close()
    orphan = False
    if suspect is None and walk.matched != sales_in_range:
        suspect, orphan = _first_orphan(session, till_id, first, last), True
    end = Resume(
        walk.expected_seq + 1,
        walk.previous_hash,
        walk.numbers,
        walk.totals.days_since_month,
        walk.totals.months_since_year,
        walk.checked,
    )
    return Pass(suspect, walk.resume, end, orphan)


def _first_orphan(session: Session, till_id: int, first: int, last: int) -> int:
    """The first sale row in first..last that no journal record in first..last points to."""
    row = (
        session.connection()
        .exec_driver_sql(
            reads.sql(
                session,
                "SELECT min(s.seq) FROM sales s WHERE s.till_id = ? AND s.seq >= ? AND s.seq <= ?"
                " AND NOT EXISTS (SELECT 1 FROM till_journal j WHERE j.sale_id = s.id"
                " AND j.till_id = ? AND j.seq >= ? AND j.seq <= ?)",
            ),
            (till_id, first, last, till_id, first, last),
        )
        .scalar_one()
    )
    return int(row) if row is not None else first
