"""`coop till verify`: recompute every till's chain and check the rows against the journal.

For each till, in journal order, by chunks of records (memory stays flat over millions):

1. the chain (``coop.till.chain.verify_chain``): each record's SHA-256 is recomputed from its
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

A long journal is verified in parts, one process per processor core: parts start right after a
daily closure, each is checked from the state its previous part should have ended in (the hash
and numbers of the record before it, the closures' running totals, read from the database),
and the parts are then chained: the whole holds only if every part holds *and* each part
starts exactly where the previous one ended (``chain.ChainStart``). The verdict is the same
as checking everything in one pass, in about 1/cores of the time.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop.i18n import _
from coop.till import records, registry, verify_signatures
from coop.till import verify_fast as fast
from coop.till import verify_reads as reads
from coop.till.chain import ChainStart, verify_chain
from coop.till.closure_models import TillClosure
from coop.till.journal import (
    GENESIS_HASH,
    JournalRecord,
    RecordKind,
    plain_canonical_bytes,
)
from coop.till.models import JournalEntry, Sale, Till
from coop.till.words import (
    CLOSURE_MISMATCH,
    ROWS_MISMATCH,
    UNJOURNALED,
    kind_name,
    reason_text,
)

CHUNK = 20_000


@dataclass(frozen=True)
class TillVerdict:
    till: str
    checked: int
    last_hash: str
    broken: dict[str, Any] | None = None
    public_key: str | None = None
    """The Ed25519 public key the closures are checked against (``coop.signing``)."""

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
            "public_key": self.public_key,
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


# --- the state between parts ------------------------------------------------------------------


@dataclass
class State:
    """Where a part of a journal starts (or ended): the chain's head and the closures' running
    totals. Plain values, so it crosses process boundaries."""

    seq: int = 0
    hash: str = GENESIS_HASH
    numbers: dict[str, int] = field(default_factory=dict)
    since_day: list[list[int]] = field(default_factory=list)  # [number, goods] since the last Z
    means: dict[str, int] = field(default_factory=dict)  # paid by means since the last Z
    vat: dict[str, list[int]] = field(default_factory=dict)  # rate → [excl. VAT, VAT] since
    days_since_month: list[fast.Pending] = field(default_factory=list)  # Zs no month holds yet
    months_since_year: list[fast.Pending] = field(default_factory=list)

    @property
    def last_sale(self) -> int:
        return self.numbers.get(RecordKind.SALE.value, 0)

    def chain_start(self) -> ChainStart:
        return ChainStart(
            self.seq, self.hash, {RecordKind(kind): n for kind, n in self.numbers.items()}
        )


@dataclass
class Part:
    """What checking one part found: where it ended, how many records held, the first break."""

    end: State
    checked: int
    broken: dict[str, Any] | None = None


def _break(entry: Any, reason: str, expected: Any = None, found: Any = None) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "kind": entry.kind,
        "number": entry.number,
        "reason": reason,
        "expected": expected,
        "found": found,
    }


class _Rows:
    """Checks a part's rows against its records, and its closures against its sales."""

    def __init__(self, start: State) -> None:
        self.failure: dict[str, Any] | None = None
        self.state = State(
            since_day=[list(item) for item in start.since_day],
            means=dict(start.means),
            vat={rate: list(split) for rate, split in start.vat.items()},
            days_since_month=list(start.days_since_month),
            months_since_year=list(start.months_since_year),
            numbers=dict(start.numbers),
        )
        self.last_sale = start.last_sale

    def sale(self, entry: Any, stored: Any, rebuilt: Any) -> None:
        """A sale whose rows do not rebuild its sealed data."""
        self.failure = _break(entry, ROWS_MISMATCH, stored, rebuilt)

    def sold(self, number: int, goods: int, payments: Any, splits: Any) -> None:
        """A sale that holds: its turnover (its goods), its payments by means and its VAT
        by rate count toward the next Z."""
        state = self.state
        state.since_day.append([number, goods])
        self.last_sale = number
        means = state.means
        for name, amount, _reference in payments:
            means[name] = means.get(name, 0) + amount
        for bp, excl, tax in splits:
            rate = records.rate_text(bp)
            split = state.vat.get(rate)
            if split is None:
                state.vat[rate] = [excl, tax]
            else:
                split[0] += excl
                split[1] += tax

    def closure(self, entry: Any, stored: dict[str, Any], row: Any) -> bool:
        if row is None or not fast.row_agrees(row, entry, stored):
            self.failure = _break(entry, ROWS_MISMATCH)
            return False
        state = self.state
        if entry.kind == RecordKind.DAY_CLOSURE.value:
            expected = {
                "sale_count": len(state.since_day),
                "first_sale": state.since_day[0][0] if state.since_day else None,
                "last_sale": self.last_sale,
                "total": sum(goods for _number, goods in state.since_day),
                "payments": state.means,
                "vat": state.vat,
            }
            stored = {
                **stored,
                "payments": {item["means"]: item["amount"] for item in stored["payments"]},
                "vat": {item["rate"]: [item["excl_vat"], item["vat"]] for item in stored["vat"]},
            }
            state.since_day, state.means, state.vat = [], {}, {}
            state.days_since_month.append((str(stored["start"]), stored["total"]))
        elif entry.kind == RecordKind.MONTH_CLOSURE.value:
            total, state.days_since_month = fast.fold(state.days_since_month, stored)
            expected = {"total": total}
            state.months_since_year.append((str(stored["start"]), stored["total"]))
        else:
            total, state.months_since_year = fast.fold(state.months_since_year, stored)
            expected = {"total": total}
        found = {key: stored[key] for key in expected}
        if found != expected:
            self.failure = _break(entry, CLOSURE_MISMATCH, expected, found)
            return False
        return True


# --- reading a chunk ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    seq: int
    kind: str
    number: int


def _records(
    session: Session, till_id: int, first: int, last: int, checks: _Rows, chunk: int
) -> Iterator[JournalRecord]:
    """The records first..last in seq order, each yielded only once its rows have been checked;
    stops before the first record whose rows fail (``checks.failure`` says why).

    A sale's rows must rebuild the very values its stored canonical data holds (the stored
    bytes are what the hash is computed from, so they are checked too).
    """
    low = first
    while low <= last:
        high = min(low + chunk - 1, last)
        rows = reads.chunk(session, till_id, low, high)
        sales, lines, payments, vat = rows["sales"], rows["lines"], rows["payments"], rows["vat"]
        stock, account = rows["stock"], rows["account"]
        seen: set[int] = set()
        for seq, kind, number, at, data, previous, digest, sale_id, closure_id in rows["journal"]:
            data_bytes = data.encode("ascii") if isinstance(data, str) else bytes(data)
            if kind == "sale":
                seen.add(sale_id)
                sale = sales.get(sale_id)
                sold = payments.get(sale_id, ())
                splits = vat.get(sale_id, ())
                rebuilt = (
                    None
                    if sale is None
                    else records.sale_data(
                        sale[2:],
                        lines.get(sale_id, ()),
                        sold,
                        splits,
                        stock.get(sale_id, reads.NONE),
                        account.get(sale_id, reads.NONE),
                    )
                )
                # the row's number and time are the record's own: compared, not sealed twice
                if (
                    rebuilt is None
                    or sale[0] != number
                    or sale[1] != at
                    or plain_canonical_bytes(rebuilt) != data_bytes
                ):
                    checks.sale(_Entry(seq, kind, number), reads.parsed(data), rebuilt)
                    return
                # its rows are its sealed data: its turnover is the row's goods (total minus
                # top-up, shares and fee); sale[2:] is records.SALE_READ_COLUMNS
                checks.sold(number, sale[17], sold, splits)
            else:
                entry = _Entry(seq, kind, number)
                if not checks.closure(entry, reads.parsed(data), rows["closures"].get(closure_id)):
                    return
            yield JournalRecord(
                till_id,
                seq,
                RecordKind(kind),
                number,
                reads.moment(at),
                {},
                previous,
                digest,
                data_bytes,
            )
        orphans = sorted(set(sales) - seen)
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
        low = high + 1


def check_part(
    session: Session, till_id: int, first: int, last: int, start: State, chunk: int = CHUNK
) -> Part:
    """Check the records first..last of a till from ``start`` (see the module docstring)."""
    checks = _Rows(start)
    verdict = verify_chain(
        _records(session, till_id, first, last, checks, chunk),
        till_id=till_id,
        start=start.chain_start(),
    )
    end = checks.state
    end.seq = verdict.last_seq
    end.hash = verdict.last_hash
    end.numbers = {kind.value: number for kind, number in verdict.numbers.items()}
    broken = None
    if verdict.broken is not None:
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
    return Part(end, verdict.checked, broken)


def _part_in_a_process(
    url: str, till_id: int, first: int, last: int, start: dict[str, Any], chunk: int
) -> dict[str, Any]:
    from coop.db import READ_ONLY, make_engine

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            session.connection(execution_options={READ_ONLY: True})  # a reader: never waits
            part = check_part(session, till_id, first, last, State(**start), chunk)
    finally:
        engine.dispose()
    return {"end": asdict(part.end), "checked": part.checked, "broken": part.broken}


def _state_before(session: Session, till_id: int, seq: int) -> State:
    """What the database says the chain's state is just before ``seq`` (checked afterwards
    against what the previous part really ended in)."""
    connection = session.connection()
    head = connection.exec_driver_sql(
        reads.sql(session, "SELECT hash FROM till_journal WHERE till_id = ? AND seq = ?"),
        (till_id, seq - 1),
    ).first()
    numbers: dict[str, int] = dict(
        connection.exec_driver_sql(
            reads.sql(
                session,
                "SELECT kind, max(number) FROM till_journal WHERE till_id = ? AND seq < ?"
                " GROUP BY kind",
            ),
            (till_id, seq),
        ).all()
    )
    closures = session.execute(
        select(
            TillClosure.period, TillClosure.starts_on, TillClosure.ends_on, TillClosure.total_cents
        )
        .where(TillClosure.till_id == till_id, TillClosure.seq < seq)
        .order_by(TillClosure.seq)
    ).all()
    days: list[fast.Pending] = []
    months: list[fast.Pending] = []
    for period, starts_on, ends_on, total in closures:
        bounds = {"start": starts_on.isoformat(), "end": ends_on.isoformat()}
        if period == "day":
            days.append((bounds["start"], total))
        elif period == "month":
            days = fast.fold(days, bounds)[1]
            months.append((bounds["start"], total))
        else:
            months = fast.fold(months, bounds)[1]
    return State(
        seq=seq - 1,
        hash=head[0] if head is not None else "",
        numbers={kind: int(number) for kind, number in numbers.items()},
        days_since_month=days,
        months_since_year=months,
    )


def _boundaries(session: Session, till_id: int, last: int, parts: int) -> list[int]:
    """First seqs of the parts: right after daily closures, about evenly spread."""
    closures = list(
        session.scalars(
            select(TillClosure.seq)
            .where(TillClosure.till_id == till_id, TillClosure.period == "day")
            .order_by(TillClosure.seq)
        )
    )
    starts = [1]
    for index in range(1, parts):
        wanted = last * index // parts
        after = [seq + 1 for seq in closures if seq + 1 > starts[-1] and seq >= wanted]
        if after and after[0] <= last:
            starts.append(after[0])
    return starts


def verify_till(
    session: Session,
    till: Till,
    *,
    chunk: int = CHUNK,
    workers: int | None = None,
    anchor: tuple[int, str] | None = None,
) -> TillVerdict:
    """Verify one till; ``workers`` processes (default: one). ``anchor`` is a (seq, short
    hash) read on paper (a receipt or a Z prints the chain's head): the record ``seq`` must
    have that hash, which a chain recomputed after a change no longer has."""
    verdict = _verify_till(session, till, chunk=chunk, workers=workers)
    if verdict.ok:
        broken, public = verify_signatures.first_unsigned(session, till.id)
        verdict = TillVerdict(till.code, verdict.checked, verdict.last_hash, broken, public)
    if anchor is None or not verdict.ok:
        return verdict
    seq, short = anchor
    entry = session.get(JournalEntry, (till.id, seq))
    if entry is None or not short or not entry.hash.startswith(short.lower()):
        broken = {
            "seq": seq,
            "kind": entry.kind if entry else None,
            "number": entry.number if entry else None,
            "reason": "anchor_mismatch",
            "expected": short,
            "found": entry.hash[: len(short)] if entry else None,
        }
        return TillVerdict(till.code, verdict.checked, verdict.last_hash, broken)
    return verdict


def _state_at(resume: fast.Resume) -> State:
    return State(
        seq=resume.seq - 1,
        hash=resume.hash,
        numbers=dict(resume.numbers),
        days_since_month=list(resume.days_since_month),
        months_since_year=list(resume.months_since_year),
    )


def _one_pass(session: Session, till_id: int, high: int, chunk: int) -> Part:
    """Verify a whole till in this process: the fast set-based pass (``verify_fast``) up to its
    first suspect, then the exact path over the day holding the suspect, which names the first
    broken record with its precise reason (or clears the suspect, and the fast pass goes on
    after that day)."""
    start = fast.Resume()
    checked = 0
    while True:
        found = fast.run(session, till_id, start.seq, high, start)
        if found.suspect is None:
            return Part(_state_at(found.end), checked + found.end.checked)
        if found.orphan:  # a sale row without its record (rare): the exact path, whole
            return check_part(session, till_id, 1, high, State(), chunk)
        checked += found.resume.checked
        stop = session.scalar(
            select(func.min(TillClosure.seq)).where(
                TillClosure.till_id == till_id,
                TillClosure.period == "day",
                TillClosure.seq >= found.suspect,
            )
        )
        stop = high if stop is None or stop > high else stop
        seq = found.resume.seq
        exact = check_part(session, till_id, seq, stop, _state_at(found.resume), chunk)
        checked += exact.checked
        if exact.broken is not None or stop >= high:
            return Part(exact.end, checked, exact.broken)
        end = exact.end
        start = fast.Resume(
            stop + 1, end.hash, dict(end.numbers), end.days_since_month, end.months_since_year
        )


def _verify_till(
    session: Session, till: Till, *, chunk: int = CHUNK, workers: int | None = None
) -> TillVerdict:
    till_id = till.id
    high = max(
        till.last_seq,
        session.scalar(select(func.max(JournalEntry.seq)).where(JournalEntry.till_id == till_id))
        or 0,
        session.scalar(select(func.max(Sale.seq)).where(Sale.till_id == till_id)) or 0,
    )
    if workers is None:
        workers = 1  # one process meets the target; more only when asked (``--workers``)
    starts = _boundaries(session, till_id, high, workers) if workers > 1 and high else [1]
    ranges = [
        (first, (starts[i + 1] - 1) if i + 1 < len(starts) else high)
        for i, first in enumerate(starts)
    ]
    if len(ranges) == 1:
        parts = [_one_pass(session, till_id, high, chunk)]
        assumed = [State()]
    else:
        assumed = [State()] + [_state_before(session, till_id, first) for first, _ in ranges[1:]]
        url = session.get_bind().engine.url.render_as_string(hide_password=False)
        with ProcessPoolExecutor(len(ranges), mp_context=get_context("spawn")) as pool:
            futures = [
                pool.submit(_part_in_a_process, url, till_id, first, last, asdict(state), chunk)
                for (first, last), state in zip(ranges, assumed, strict=True)
            ]
            parts = []
            for future in futures:
                result = future.result()
                parts.append(Part(State(**result["end"]), result["checked"], result["broken"]))
    checked = 0
    previous: State | None = None
    for (first, _last), start, part in zip(ranges, assumed, parts, strict=True):
        if previous is not None and start != previous:
            entry = session.get(JournalEntry, (till_id, first))
            broken = {
                "seq": first,
                "kind": entry.kind if entry else None,
                "number": entry.number if entry else None,
                "reason": "broken_link" if start.hash != previous.hash else ROWS_MISMATCH,
                "expected": previous.hash,
                "found": start.hash,
            }
            return TillVerdict(till.code, checked, previous.hash, broken)
        checked += part.checked
        if part.broken is not None:
            return TillVerdict(till.code, checked, part.end.hash, part.broken)
        previous = part.end
    end = parts[-1].end
    if till.last_seq and (end.seq, end.hash) != (till.last_seq, till.last_hash):
        reason = "truncated" if end.seq < till.last_seq else "anchor_mismatch"
        broken = {
            "seq": till.last_seq if reason == "truncated" else till.last_seq + 1,
            "kind": None,
            "number": None,
            "reason": reason,
            "expected": till.last_hash,
            "found": end.hash,
        }
        if reason == "anchor_mismatch" and end.seq == till.last_seq:
            broken["seq"] = end.seq
        return TillVerdict(till.code, checked, end.hash, broken)
    return TillVerdict(till.code, checked, end.hash)


def verify(
    session: Session,
    *,
    till_code: str | None = None,
    chunk: int = CHUNK,
    workers: int | None = None,
    anchors: Mapping[str, tuple[int, str]] | None = None,
) -> list[TillVerdict]:
    """Verify one till or every till (see the module docstring); ``anchors``: till code →
    (seq, short hash) read on a receipt or a Z."""
    chosen = [registry.get_till(session, till_code)] if till_code else registry.tills(session)
    anchors = anchors or {}
    return [
        verify_till(session, till, chunk=chunk, workers=workers, anchor=anchors.get(till.code))
        for till in chosen
    ]
