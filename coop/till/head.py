"""The journal's head: ``append`` seals one record after the till's last one and moves the head.

The till is locked by the caller (``coop.till.registry.lock_till``); the record is sealed by
``coop.till.journal`` (canonical data, chained SHA-256) and written with its data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql import ClauseElement

from coop.row_writer import RowWriter
from coop.till.journal import RecordKind, canonical_bytes, document_bytes, hash_bytes
from coop.till.tables import JOURNAL
from coop.till.till_models import Till
from coop.till.till_tables import TILLS


@dataclass(frozen=True)
class Sealed:
    seq: int
    hash: str
    previous_hash: str


_JOURNAL = RowWriter(
    JOURNAL,  # the table, not its mapped class: a sale maps no journal entry
    (
        "till_id",
        "seq",
        "kind",
        "number",
        "at",
        "data",
        "previous_hash",
        "hash",
        "sale_id",
        "closure_id",
    ),
)
_TILL_TABLE = TILLS
_COUNTERS = {
    RecordKind.SALE: "last_sale_number",
    RecordKind.DAY_CLOSURE: "last_day_closure",
    RecordKind.MONTH_CLOSURE: "last_month_closure",
    RecordKind.YEAR_CLOSURE: "last_year_closure",
}


def _head_update(counter: str) -> RowWriter:
    """``UPDATE tills SET last_seq, last_hash, <counter> WHERE id``, compiled once per dialect."""

    def build(_dialect: Dialect) -> ClauseElement:
        return (
            _TILL_TABLE.update()
            .where(_TILL_TABLE.c.id == bindparam("till_id"))
            .values(
                {
                    "last_seq": bindparam("seq"),
                    "last_hash": bindparam("hash"),
                    counter: bindparam("number"),
                }
            )
        )

    return RowWriter(_TILL_TABLE, ("seq", "hash", "number", "till_id"), build=build)


_HEAD_UPDATES = {kind: _head_update(counter) for kind, counter in _COUNTERS.items()}


def append(
    session: Session,
    till: Till,
    *,
    kind: RecordKind,
    number: int,
    at: datetime,
    data: Mapping[str, Any],
    sale_id: int | None = None,
    closure_id: int | None = None,
) -> Sealed:
    """Seal ``data`` as the next record of ``till`` (locked by ``lock_till``) and move the head.

    ``number`` must be the next of its kind; the caller has checked it (and the database's
    unique constraints would refuse a duplicate).
    """
    return append_bytes(
        session,
        till,
        kind=kind,
        number=number,
        at=at,
        data_bytes=canonical_bytes(data),
        sale_id=sale_id,
        closure_id=closure_id,
    )


def append_bytes(
    session: Session,
    till: Till,
    *,
    kind: RecordKind,
    number: int,
    at: datetime,
    data_bytes: bytes,
    sale_id: int | None = None,
    closure_id: int | None = None,
) -> Sealed:
    """``append`` for data already in its canonical bytes (``journal.canonical_bytes``)."""
    kind = RecordKind(kind)
    seq = till.last_seq + 1
    previous = till.last_hash
    digest = hash_bytes(document_bytes(till.id, seq, kind, number, at, data_bytes, previous))
    connection = session.connection()  # on the session's connection: no ORM layer
    _JOURNAL.write_tuples(
        connection,
        [
            (
                till.id,
                seq,
                kind.value,
                number,
                at,
                data_bytes.decode("ascii"),
                previous,
                digest,
                sale_id,
                closure_id,
            )
        ],
    )
    _HEAD_UPDATES[kind].write_tuples(connection, [(seq, digest, number, till.id)])
    # the row is written: keep the object in step, not dirty
    set_committed_value(till, "last_seq", seq)
    set_committed_value(till, "last_hash", digest)
    set_committed_value(till, _COUNTERS[kind], number)
    return Sealed(seq, digest, previous)
