"""The journal's head: ``append`` seals one record after the till's last one and moves the head.

The till is locked by the caller (``coop.till.registry.lock_till``); the record is sealed by
``coop.till.journal`` (canonical data, chained SHA-256) and written with its data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from coop.till.journal import RecordKind, canonical_bytes, document_bytes, hash_bytes
from coop.till.models import JournalEntry, Till


@dataclass(frozen=True)
class Sealed:
    seq: int
    hash: str
    previous_hash: str


_JOURNAL_INSERT = insert(cast(Table, JournalEntry.__table__))
_TILL_TABLE = cast(Table, Till.__table__)


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
    seq = till.last_seq + 1
    data_bytes = canonical_bytes(data)
    previous = till.last_hash
    digest = hash_bytes(document_bytes(till.id, seq, kind, number, at, data_bytes, previous))
    connection = session.connection()  # Core on the session's connection: no ORM layer
    connection.execute(
        _JOURNAL_INSERT,
        {
            "till_id": till.id,
            "seq": seq,
            "kind": RecordKind(kind).value,
            "number": number,
            "at": at,
            "data": data_bytes.decode("ascii"),
            "previous_hash": previous,
            "hash": digest,
            "sale_id": sale_id,
            "closure_id": closure_id,
        },
    )
    head: dict[str, Any] = {"last_seq": seq, "last_hash": digest}
    counter = {
        RecordKind.SALE: "last_sale_number",
        RecordKind.DAY_CLOSURE: "last_day_closure",
        RecordKind.MONTH_CLOSURE: "last_month_closure",
        RecordKind.YEAR_CLOSURE: "last_year_closure",
    }[RecordKind(kind)]
    head[counter] = number
    connection.execute(_TILL_TABLE.update().where(_TILL_TABLE.c.id == till.id).values(**head))
    for key, value in head.items():  # the row is written: keep the object in step, not dirty
        set_committed_value(till, key, value)
    return Sealed(seq, digest, previous)
