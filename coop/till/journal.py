"""The inalterable journal: every committed sale and closure of a till, hash-chained.

French till rules (CGI art. 286 I 3° bis; reference/orders.md §6, point 6) want committed
records that cannot be changed unseen. Each record carries the SHA-256 of its canonical form,
and that form includes the previous record's hash, so changing, removing or reordering anything
breaks the chain from that point on. ``coop.till.chain.verify_chain`` recomputes everything and
names the first record that does not hold (checking lives there: a sale only seals).

Canonical serialisation (``canonical_bytes``) — the exact bytes that are hashed
------------------------------------------------------------------------------
JSON (RFC 8259) with these extra rules, so that the same values always give the same bytes:

- objects: keys are strings, sorted by code point, no duplicates; arrays keep their order;
- no whitespace at all: separators are ``,`` and ``:``;
- ASCII only: every non-ASCII character is escaped as ``\\uXXXX`` (lower-case hex, surrogate
  pairs above U+FFFF), so the bytes do not depend on any encoding or normalisation on the way;
- integers in plain decimal (money is always integer cents); ``true``/``false``/``null``;
- ``Decimal`` (VAT rates, percentages) as a JSON *string* in plain notation without exponent
  nor trailing zeros: ``"5.5"``, ``"20"``, ``"0"``; must be finite;
- ``date`` as ``"YYYY-MM-DD"``; ``datetime`` must be timezone-aware and is written in UTC with
  microseconds: ``"2026-04-11T07:15:00.000000Z"``;
- enums as their value; tuples and lists as arrays; frozen sets are refused (no order);
- floats, NaN, naive datetimes and any other type are refused (``TypeError``/``ValueError``):
  a float in a money record is a bug, never something to round quietly.

The hashed document of a record is the object
``{"at", "data", "kind", "number", "previous", "seq", "till"}`` (see ``record_document``) and
its hash is the lower-case hex SHA-256 of its canonical bytes. The first record of a till links
to ``GENESIS_HASH`` (64 zeros) and has ``seq`` 1.

Numbering: ``seq`` is the record's gapless position in its till's journal (sales and closures
together, 1, 2, 3...); ``number`` is gapless within its kind (sale 1, 2...; daily closure 1,
2...), which is what receipts and Z reports print.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any

GENESIS_HASH = "0" * 64
"""What the first record of every till links to."""
_HEX = re.compile(r"[0-9a-f]{64}")


class RecordKind(StrEnum):
    SALE = "sale"
    DAY_CLOSURE = "day_closure"
    MONTH_CLOSURE = "month_closure"
    YEAR_CLOSURE = "year_closure"


# --- canonical serialisation ---------------------------------------------------------------------


def _decimal_text(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"not a finite Decimal: {value!r}")
    if value.is_zero():
        return "0"
    return format(value.normalize(), "f")


def _datetime_text(value: datetime) -> str:
    offset = value.utcoffset()
    if offset is None:
        raise ValueError(f"naive datetime in a journal record: {value!r}")
    utc = value - offset if offset else value
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:"
        f"{utc.second:02d}.{utc.microsecond:06d}Z"
    )


def plain(value: object) -> Any:
    """The JSON-native value that stands for ``value`` in a canonical document (see module doc)."""
    if isinstance(value, Enum):
        return plain(value.value)
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, datetime):
        return _datetime_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        result = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"object keys must be strings, got {key!r}")
            result[str(key)] = plain(item)
        return result
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    raise TypeError(f"{type(value).__name__} is not allowed in a journal record: {value!r}")


_SCALARS = frozenset({str, int, bool, type(None)})
_STR = frozenset({str})


def _check(value: object) -> None:
    """Refuse what ``json`` would write but the canonical form forbids (floats, non-string keys,
    naive times...) without copying anything: verification must stay fast over a million records,
    so containers of plain scalars are checked in one C-level pass (``issuperset(map(type...))``).
    """
    kind = type(value)
    items: Iterable[object]
    if kind is dict:
        if not _STR.issuperset(map(type, value)):  # type: ignore[call-overload]
            for key in value:  # type: ignore[attr-defined]
                if not isinstance(key, str):
                    raise TypeError(f"object keys must be strings, got {key!r}")
        items = value.values()  # type: ignore[attr-defined]
    elif kind is list or kind is tuple:
        items = value  # type: ignore[assignment]
    elif kind in _SCALARS or kind is date:
        return
    elif kind is Decimal:
        _decimal_text(value)  # type: ignore[arg-type]
        return
    elif kind is datetime:
        if value.utcoffset() is None:  # type: ignore[attr-defined]
            raise ValueError(f"naive datetime in a journal record: {value!r}")
        return
    else:
        plain(value)  # the slow, general path: enums, other mappings, subclasses
        return
    if not _SCALARS.issuperset(map(type, items)):
        for item in items:
            if type(item) not in _SCALARS:
                _check(item)


def _default(value: object) -> Any:
    """What ``json`` calls for the types it does not know; everything was checked before."""
    if isinstance(value, Decimal | datetime | date | Enum | Mapping):
        return plain(value)
    raise TypeError(f"{type(value).__name__} is not allowed in a journal record: {value!r}")


_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False, default=_default
)


def plain_canonical_bytes(value: object) -> bytes:
    """``canonical_bytes`` of a value already made only of JSON's own types (dict with string
    keys, list, str, int, bool, None), without the type check: for values the caller built
    from plain database columns (``records.sale_data``). A float still cannot pass silently:
    it is written as a float, so it never equals canonical integer data."""
    return _ENCODER.encode(value).encode("ascii")


def canonical_bytes(value: object) -> bytes:
    """The canonical bytes of a document (see the module docstring for the exact rules)."""
    _check(value)
    return _ENCODER.encode(value).encode("ascii")


# --- records -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class JournalRecord:
    """One committed record as stored: what it says (``data``) and where it sits in the chain.

    ``data`` holds plain values only (see ``plain``); the service rebuilds it from its rows with
    the same function that built it at commit time (``CommittedSale.to_data``,
    ``Closure.to_data``), so that verification sees what the database really holds.
    """

    till_id: int
    seq: int
    kind: RecordKind
    number: int
    at: datetime
    data: Mapping[str, Any]
    previous_hash: str
    hash: str
    data_bytes: bytes | None = None
    """The canonical bytes of ``data`` as stored, when the record comes from a database: its
    hash is then recomputed from these very bytes (``document_bytes``), without re-encoding."""


def record_document(
    till_id: int,
    seq: int,
    kind: RecordKind,
    number: int,
    at: datetime,
    data: Mapping[str, Any],
    previous_hash: str,
) -> dict[str, Any]:
    """The object whose canonical bytes are hashed."""
    return {
        "at": _datetime_text(at),
        "data": data,
        "kind": RecordKind(kind),
        "number": number,
        "previous": previous_hash,
        "seq": seq,
        "till": till_id,
    }


def record_hash(
    till_id: int,
    seq: int,
    kind: RecordKind,
    number: int,
    at: datetime,
    data: Mapping[str, Any],
    previous_hash: str,
) -> str:
    """Lower-case hex SHA-256 of the record's canonical document."""
    document = record_document(till_id, seq, kind, number, at, data, previous_hash)
    return hashlib.sha256(canonical_bytes(document)).hexdigest()


def document_bytes(
    till_id: int,
    seq: int,
    kind: RecordKind,
    number: int,
    at: datetime,
    data_bytes: bytes,
    previous_hash: str,
) -> bytes:
    """The canonical bytes of a record's document from the canonical bytes of its data.

    The same bytes as ``canonical_bytes(record_document(...))`` when ``data_bytes`` is
    ``canonical_bytes(data)`` (keys in code-point order: at, data, kind, number, previous, seq,
    till), assembled without encoding the data again: verifying a million records reads the
    stored data once and hashes it.
    """
    if not _HEX.fullmatch(previous_hash):  # not a hash: the general (and slower) path
        document = canonical_bytes(
            record_document(till_id, seq, kind, number, at, {}, previous_hash)
        )
        head, tail = document.split(b',"data":{},', 1)
        return head + b',"data":' + data_bytes + b"," + tail
    # every value here is plain ASCII without characters JSON escapes (a timestamp, a kind
    # name, hex digits, integers): written directly, they are their canonical JSON form.
    head = f'{{"at":"{_datetime_text(at)}"'.encode("ascii")
    tail = (
        f'"kind":"{RecordKind(kind).value}","number":{int(number)},'
        f'"previous":"{previous_hash}","seq":{int(seq)},"till":{int(till_id)}}}'
    ).encode("ascii")
    return head + b',"data":' + data_bytes + b"," + tail


def hash_bytes(document: bytes) -> str:
    """Lower-case hex SHA-256."""
    return hashlib.sha256(document).hexdigest()


def recompute_hash(record: JournalRecord) -> str:
    if record.data_bytes is not None:
        return hash_bytes(
            document_bytes(
                record.till_id,
                record.seq,
                record.kind,
                record.number,
                record.at,
                record.data_bytes,
                record.previous_hash,
            )
        )
    return record_hash(
        record.till_id,
        record.seq,
        record.kind,
        record.number,
        record.at,
        record.data,
        record.previous_hash,
    )


def seal(
    till_id: int,
    kind: RecordKind,
    number: int,
    at: datetime,
    data: Mapping[str, Any],
    previous: JournalRecord | None,
) -> JournalRecord:
    """The next record of a till's journal, after ``previous`` (None for the first one).

    ``data`` is frozen as plain values at once, so the record hashes what it holds.
    """
    if previous is not None and previous.till_id != till_id:
        raise ValueError(f"previous record is from till {previous.till_id}, not {till_id}")
    seq = previous.seq + 1 if previous is not None else 1
    previous_hash = previous.hash if previous is not None else GENESIS_HASH
    kind = RecordKind(kind)
    frozen = plain(data)
    return JournalRecord(
        till_id=till_id,
        seq=seq,
        kind=kind,
        number=number,
        at=at,
        data=frozen,
        previous_hash=previous_hash,
        hash=record_hash(till_id, seq, kind, number, at, frozen, previous_hash),
    )
