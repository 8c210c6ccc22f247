"""`coop till verify`: recompute every till's chain and check the rows against the journal.

For each till, in journal order, by chunks of records (memory stays flat over millions):

1. the chain (``coop.till.journal.verify_chain``): each record's SHA-256 is recomputed from its
   stored canonical data and must be its stored hash; seqs and numbers follow without a gap;
   each record links to the previous one's hash; the till's head (last seq and hash, moved by
   every commit) must be the last record, so a cut-off end is found too;
2. the rows: a sale's rows (the sale, its lines, payments and VAT) must rebuild exactly the data
   its record sealed (``coop.till.records.sale_data``), and a closure's summary row must say what
   its record says; a sale row without a journal record is reported too;
3. the closures: a daily Z must cover exactly the sales sealed since the previous Z (count,
   numbers, turnover), a monthly closure the Zs since the previous month, a yearly closure the
   monthly closures since the previous year.

The first record that fails any check is named (till, seq, kind, number, why); nothing after it
is trusted. Verification only reads.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop.i18n import _
from coop.till import ledger, records
from coop.till.journal import Anchor, JournalRecord, RecordKind, verify_chain
from coop.till.models import (
    JournalEntry,
    Sale,
    SaleLineRow,
    SalePayment,
    SaleVat,
    Till,
    TillClosure,
)

CHUNK = 20_000

ROWS_MISMATCH = "rows_mismatch"  # the sale's or closure's rows differ from the sealed data
CLOSURE_MISMATCH = "closure_mismatch"  # a closure's totals differ from what it covers
UNJOURNALED = "unjournaled_sale"  # a sale row without its journal record


@dataclass(frozen=True)
class TillVerdict:
    till: str
    checked: int
    last_hash: str
    broken: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "till": self.till,
            "ok": self.ok,
            "checked": self.checked,
            "last_hash": self.last_hash,
            "broken": self.broken,
        }

    def message(self) -> str:
        if self.broken is None:
            return _("Till {till}: {count} records checked, the chain holds.").format(
                till=self.till, count=self.checked
            )
        broken = self.broken
        return _(
            "Till {till}: record {seq} ({kind} {number}) is the first broken one: {why}"
        ).format(
            till=self.till,
            seq=broken["seq"] if broken["seq"] is not None else "—",
            kind=kind_name(broken["kind"]),
            number=broken["number"] if broken["number"] is not None else "—",
            why=reason_text(broken["reason"]),
        )


def kind_name(kind: str | None) -> str:
    return {
        "sale": _("sale"),
        "day_closure": _("daily closure"),
        "month_closure": _("monthly closure"),
        "year_closure": _("yearly closure"),
        None: _("record"),
    }.get(kind, str(kind))


def reason_text(reason: str) -> str:
    return {
        "wrong_till": _("it belongs to another till."),
        "unreadable": _("its data cannot be read."),
        "hash_mismatch": _("its content does not give its hash: it was changed after sealing."),
        "gap": _("records are missing before it."),
        "broken_link": _("it does not link to the record before it (changed or reordered)."),
        "number_gap": _("its number does not follow the previous one of its kind."),
        "anchor_mismatch": _("it is not the record the till's head points to."),
        "truncated": _("the journal ends before the till's last record: records were removed."),
        ROWS_MISMATCH: _("its rows in the database differ from what was sealed."),
        CLOSURE_MISMATCH: _("its totals differ from the records it closes."),
        UNJOURNALED: _("a sale row exists without its journal record."),
    }.get(reason, reason)


class _Rows:
    """Checks a chunk's rows against the records, and the closures against the sales."""

    def __init__(self) -> None:
        self.failure: dict[str, Any] | None = None
        self.since_day: list[tuple[int, int]] = []  # (number, goods) of sales since the last Z
        self.last_sale = 0
        self.days_since_month: list[int] = []
        self.months_since_year: list[int] = []

    def fail(self, entry: Any, reason: str, expected: Any = None, found: Any = None) -> None:
        self.failure = {
            "seq": entry.seq,
            "kind": entry.kind,
            "number": entry.number,
            "reason": reason,
            "expected": expected,
            "found": found,
        }

    def sale(self, entry: Any, stored: dict[str, Any], rebuilt: dict[str, Any] | None) -> bool:
        if rebuilt != stored:
            self.fail(entry, ROWS_MISMATCH, stored, rebuilt)
            return False
        self.since_day.append((entry.number, stored["total"] - stored["top_up"]))
        self.last_sale = entry.number
        return True

    def closure(self, entry: Any, stored: dict[str, Any], row: Any) -> bool:
        if row is None or not _row_agrees(row, entry, stored):
            self.fail(entry, ROWS_MISMATCH)
            return False
        kind = entry.kind
        if kind == RecordKind.DAY_CLOSURE.value:
            numbers = [number for number, _goods in self.since_day]
            expected = {
                "sale_count": len(numbers),
                "first_sale": numbers[0] if numbers else None,
                "last_sale": self.last_sale,
                "total": sum(goods for _number, goods in self.since_day),
            }
            self.since_day = []
            self.days_since_month.append(stored["total"])
        elif kind == RecordKind.MONTH_CLOSURE.value:
            expected = {"total": sum(self.days_since_month)}
            self.days_since_month = []
            self.months_since_year.append(stored["total"])
        else:
            expected = {"total": sum(self.months_since_year)}
            self.months_since_year = []
        found = {key: stored[key] for key in expected}
        if found != expected:
            self.fail(entry, CLOSURE_MISMATCH, expected, found)
            return False
        return True


def _row_agrees(row: Any, entry: Any, stored: dict[str, Any]) -> bool:
    return (
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


def _chunk(session: Session, till: Till, first: int, last: int) -> dict[str, Any]:
    """Every row needed to check the records first..last of a till (six queries)."""
    in_range = (Sale.till_id == till.id, Sale.seq >= first, Sale.seq <= last)
    journal = session.execute(
        select(
            JournalEntry.seq,
            JournalEntry.kind,
            JournalEntry.number,
            JournalEntry.at,
            JournalEntry.data,
            JournalEntry.previous_hash,
            JournalEntry.hash,
            JournalEntry.sale_id,
            JournalEntry.closure_id,
        )
        .where(JournalEntry.till_id == till.id, JournalEntry.seq >= first, JournalEntry.seq <= last)
        .order_by(JournalEntry.seq)
    ).all()
    sales = {
        row[0]: row[1:]
        for row in session.execute(
            select(Sale.id, *(getattr(Sale, c) for c in records.SALE_READ_COLUMNS)).where(*in_range)
        )
    }
    lines: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(
        select(SaleLineRow.sale_id, *(getattr(SaleLineRow, c) for c in records.LINE_READ_COLUMNS))
        .join(Sale, Sale.id == SaleLineRow.sale_id)
        .where(*in_range)
        .order_by(SaleLineRow.sale_id, SaleLineRow.line_no)
    ):
        lines[row[0]].append(row[1:])
    payments: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(
        select(
            SalePayment.sale_id, SalePayment.means, SalePayment.amount_cents, SalePayment.reference
        )
        .join(Sale, Sale.id == SalePayment.sale_id)
        .where(*in_range)
        .order_by(SalePayment.sale_id, SalePayment.position)
    ):
        payments[row[0]].append(row[1:])
    vat: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(
        select(SaleVat.sale_id, SaleVat.vat_rate_bp, SaleVat.excl_vat_cents, SaleVat.vat_cents)
        .join(Sale, Sale.id == SaleVat.sale_id)
        .where(*in_range)
        .order_by(SaleVat.sale_id, SaleVat.vat_rate_bp)
    ):
        vat[row[0]].append(row[1:])
    closures = {
        row.id: row
        for row in session.scalars(
            select(TillClosure).where(
                TillClosure.till_id == till.id, TillClosure.seq >= first, TillClosure.seq <= last
            )
        )
    }
    return {
        "journal": journal,
        "sales": sales,
        "lines": lines,
        "payments": payments,
        "vat": vat,
        "closures": closures,
    }


def _records(session: Session, till: Till, checks: _Rows, chunk: int) -> Iterator[JournalRecord]:
    """The till's records in seq order, each yielded only once its rows have been checked;
    stops before the first record whose rows fail (``checks.failure`` says why)."""
    high = max(
        till.last_seq,
        session.scalar(select(func.max(JournalEntry.seq)).where(JournalEntry.till_id == till.id))
        or 0,
        session.scalar(select(func.max(Sale.seq)).where(Sale.till_id == till.id)) or 0,
    )
    first = 1
    while first <= high:
        last = first + chunk - 1
        rows = _chunk(session, till, first, last)
        seen: set[int] = set()
        for entry in rows["journal"]:
            stored = json.loads(entry.data)
            if entry.kind == RecordKind.SALE.value:
                sale_id = entry.sale_id
                seen.add(sale_id)
                sale = rows["sales"].get(sale_id)
                rebuilt = (
                    None
                    if sale is None
                    else records.sale_data(
                        sale,
                        rows["lines"].get(sale_id, ()),
                        rows["payments"].get(sale_id, ()),
                        rows["vat"].get(sale_id, ()),
                    )
                )
                if not checks.sale(entry, stored, rebuilt):
                    return
            elif not checks.closure(entry, stored, rows["closures"].get(entry.closure_id)):
                return
            yield JournalRecord(
                till_id=till.id,
                seq=entry.seq,
                kind=RecordKind(entry.kind),
                number=entry.number,
                at=entry.at,
                data=stored,
                previous_hash=entry.previous_hash,
                hash=entry.hash,
                data_bytes=entry.data.encode("ascii"),
            )
        orphans = sorted(set(rows["sales"]) - seen)
        if orphans:
            sale = session.get(Sale, orphans[0])
            assert sale is not None
            checks.failure = {
                "seq": sale.seq,
                "kind": RecordKind.SALE.value,
                "number": sale.number,
                "reason": UNJOURNALED,
                "expected": None,
                "found": None,
            }
            return
        first = last + 1


def verify_till(session: Session, till: Till, *, chunk: int = CHUNK) -> TillVerdict:
    checks = _Rows()
    anchor = Anchor(till.last_seq, till.last_hash) if till.last_seq else None
    verdict = verify_chain(_records(session, till, checks, chunk), till_id=till.id, anchor=anchor)
    broken: dict[str, Any] | None = None
    if verdict.broken is not None and (
        checks.failure is None or verdict.broken.reason.value != "truncated"
    ):
        where = verdict.broken
        broken = {
            "seq": where.seq,
            "kind": where.kind.value if where.kind else None,
            "number": where.number,
            "reason": where.reason.value,
            "expected": where.expected,
            "found": where.found,
        }
    elif checks.failure is not None:
        broken = checks.failure
    return TillVerdict(till.code, verdict.checked, verdict.last_hash, broken)


def verify(
    session: Session, *, till_code: str | None = None, chunk: int = CHUNK
) -> list[TillVerdict]:
    """Verify one till or every till (see the module docstring)."""
    chosen = [ledger.get_till(session, till_code)] if till_code else ledger.tills(session)
    return [verify_till(session, till, chunk=chunk) for till in chosen]
