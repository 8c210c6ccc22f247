"""The journal's chain checked: recompute a till's records in order and stop at the first
that does not hold (``verify_chain``), with the reasons (``Break``) and the verdict.

Sealing (``coop.till.journal``) is what every sale runs; checking is what `coop till verify`,
an archive's check and the exact replay run, so a sale does not declare these classes
(issue 18, target 5).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from coop.till.journal import GENESIS_HASH, JournalRecord, RecordKind, recompute_hash

__all__ = ["Anchor", "Break", "ChainBreak", "ChainStart", "ChainVerdict", "verify_chain"]


class Break(StrEnum):
    """Why a record breaks the chain (checked in this order for each record)."""

    WRONG_TILL = "wrong_till"  # a record of another till in this till's journal
    UNREADABLE = "unreadable"  # its content cannot be serialised canonically (float, naive time)
    HASH_MISMATCH = "hash_mismatch"  # its content does not give its stored hash: it was changed
    GAP = "gap"  # its seq is not the previous seq + 1: a record is missing (or out of order)
    BROKEN_LINK = "broken_link"  # its previous hash is not the hash of the record before it
    NUMBER_GAP = "number_gap"  # its number is not the previous number of its kind + 1
    ANCHOR_MISMATCH = "anchor_mismatch"  # the anchored record's hash is not the one noted
    TRUNCATED = "truncated"  # the journal ends before the anchored record


@dataclass(frozen=True)
class Anchor:
    """A (seq, hash) noted outside the database (a printed Z, an archive manifest): it lets
    ``verify_chain`` notice that the end of the journal was cut off, which no chain can show."""

    seq: int
    hash: str


@dataclass(frozen=True)
class ChainBreak:
    """The first record that does not hold. ``position`` is its index in what was given (the
    count of records read before it); ``expected``/``found`` are the values compared."""

    position: int
    seq: int | None
    kind: RecordKind | None
    number: int | None
    reason: Break
    expected: object = None
    found: object = None


@dataclass(frozen=True)
class ChainVerdict:
    till_id: int | None
    checked: int  # records that held (before the break, if there is one)
    last_hash: str
    broken: ChainBreak | None = None
    last_seq: int = 0  # the seq of the last record that held (the start's seq if none did)
    numbers: Mapping[RecordKind, int] = field(default_factory=dict)
    """The number of the last record of each kind that held (what the next one must follow)."""

    @property
    def ok(self) -> bool:
        return self.broken is None


@dataclass(frozen=True)
class ChainStart:
    """Where a part of a journal starts: after record ``seq`` whose hash is ``hash``, with the
    last number of each kind so far. Verifying a long journal in parts (in parallel) checks each
    part from the state the previous part ended in; the whole holds when every part holds and
    each part starts where the previous one ended."""

    seq: int = 0
    hash: str = GENESIS_HASH
    numbers: Mapping[RecordKind, int] = field(default_factory=dict)


def verify_chain(
    records: Iterable[JournalRecord],
    *,
    till_id: int | None = None,
    anchor: Anchor | None = None,
    start: ChainStart | None = None,
) -> ChainVerdict:
    """Recompute one till's journal, given in stored order (by ``seq``), and stop at the first
    record that breaks it. Streams: records are read once and not kept (a million is fine).
    ``start`` verifies a part of a journal from the state its previous part ended in (default:
    the beginning, seq 0 and ``GENESIS_HASH``).

    ``till_id`` defaults to the first record's till. What an edit looks like:

    - a record's content changed, hash left alone → HASH_MISMATCH on that record;
    - content changed and its hash recomputed → BROKEN_LINK on the record after it;
    - a record deleted → GAP on the record after it (on the first one if it was the first);
    - records swapped with their seq and hashes redone → BROKEN_LINK where the order changed;
    - the tail cut off → TRUNCATED, only with an ``anchor`` noted elsewhere.
    """
    start = start or ChainStart()
    previous_hash = start.hash
    last_number: dict[RecordKind, int] = dict(start.numbers)
    checked = 0
    anchor_seen = False
    for record in records:
        if till_id is None:
            till_id = record.till_id
        expected_seq = start.seq + checked + 1
        problem = _problem(record, till_id, expected_seq, previous_hash, last_number, anchor)
        if problem is not None:
            reason, expected, found = problem
            where = ChainBreak(
                checked, record.seq, record.kind, record.number, reason, expected, found
            )
            return ChainVerdict(
                till_id, checked, previous_hash, where, expected_seq - 1, last_number
            )
        anchor_seen = anchor_seen or (anchor is not None and record.seq == anchor.seq)
        last_number[record.kind] = record.number
        previous_hash = record.hash
        checked += 1
    last_seq = start.seq + checked
    if anchor is not None and not anchor_seen:
        where = ChainBreak(checked, None, None, None, Break.TRUNCATED, anchor.seq, last_seq)
        return ChainVerdict(till_id, checked, previous_hash, where, last_seq, last_number)
    return ChainVerdict(till_id, checked, previous_hash, None, last_seq, last_number)


def _problem(
    record: JournalRecord,
    till_id: int,
    expected_seq: int,
    previous_hash: str,
    last_number: Mapping[RecordKind, int],
    anchor: Anchor | None,
) -> tuple[Break, object, object] | None:
    """The first thing wrong with one record, in the order ``Break`` lists them."""
    if record.till_id != till_id:
        return Break.WRONG_TILL, till_id, record.till_id
    try:
        computed = recompute_hash(record)
    except (TypeError, ValueError) as error:
        return Break.UNREADABLE, None, str(error)
    if computed != record.hash:
        return Break.HASH_MISMATCH, computed, record.hash
    if record.seq != expected_seq:
        return Break.GAP, expected_seq, record.seq
    if record.previous_hash != previous_hash:
        return Break.BROKEN_LINK, previous_hash, record.previous_hash
    expected_number = last_number.get(record.kind, 0) + 1
    if record.number != expected_number:
        return Break.NUMBER_GAP, expected_number, record.number
    if anchor is not None and record.seq == anchor.seq and record.hash != anchor.hash:
        return Break.ANCHOR_MISMATCH, anchor.hash, record.hash
    return None
