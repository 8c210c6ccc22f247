"""The accounting outbox: one row per accounting event, written in the event's own transaction.

Why a kernel module: the till (a day's closure) and the accounts (invoices, credit notes,
top-ups and withdrawals of prepaid accounts) must write the row in the same transaction as the
event, yet ``coop.sync`` sits above them (it maps and pushes) and they may not import it. So the
table and the one call they need, ``record``, live here in the kernel, below every context; the
till and the accounts call ``record(session, kind, key, snapshot, ...)`` with plain values (what
the Z or the invoice printed), and ``coop.sync`` turns those snapshots into accounting entries
(``coop.sync.rules``), pushes them to Odoo and exports them as a FEC. Arrows point down only.

A row is never committed without its event (same session, same flush) and never twice: the
pair (kind, key) is unique, so a second ``record`` of the same event fails the transaction.
The snapshot is frozen; only the delivery columns (state, attempts, last error, Odoo id and
number) change afterwards, and only through ``coop.sync``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from coop.db import Base, UTCDateTime


class OutboxKind(StrEnum):
    """What happened (the snapshot's shape depends on it)."""

    TILL_DAY = "till_day"  # a till's daily closure (Z): coop.till.closures.Closure.to_data()
    INVOICE = "invoice"  # a member invoice
    CREDIT_NOTE = "credit_note"  # a member credit note
    TOP_UP = "top_up"  # money put on a prepaid account outside the till
    WITHDRAWAL = "withdrawal"  # money given back from a prepaid account
    SUPPLIER_BILL = "supplier_bill"  # a supplier's bill for a grouped order (vendor bill)
    AMAP = "amap"  # AMAP money through the coop's accounts (hook: see coop.sync.rules)
    MEMBERSHIP = "membership"  # capital shares paid or refunded, yearly fees (coop.members.shares)


class OutboxState(StrEnum):
    PENDING = "pending"  # not yet in Odoo (or not known to be)
    SENT = "sent"  # created in Odoo as a draft, not yet posted
    POSTED = "posted"  # posted in Odoo: done
    ATTENTION = "attention"  # Odoo refused it for a business reason: a person must look


class OutboxRow(Base):
    """One accounting event waiting for (or done with) the push to Odoo."""

    __tablename__ = "sync_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(120))
    """Stable and unique per kind: the external id in Odoo is built from (kind, key)."""
    event_date: Mapped[date] = mapped_column(Date, index=True)
    """The accounting date (the Z's day, the invoice's date...)."""
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(12), default=OutboxState.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    odoo_id: Mapped[int | None] = mapped_column(Integer)
    odoo_number: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by: Mapped[str | None] = mapped_column(String(120))

    __table_args__ = (
        UniqueConstraint("kind", "key", name="uq_sync_outbox_kind_key"),
        CheckConstraint("state IN ('pending', 'sent', 'posted', 'attention')", name="state_known"),
        Index("ix_sync_outbox_state_id", "state", "id"),
    )


def plain(value: Any) -> Any:
    """Dates as ISO text, Decimals as text, enums as their value, recursively: JSON-ready."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, StrEnum):
        return value.value
    return value


def record(
    session: Session,
    kind: OutboxKind,
    key: str,
    snapshot: Mapping[str, Any],
    *,
    on: date,
    now: datetime,
) -> None:
    """Queue one accounting event in the caller's transaction (a second one of the same
    (kind, key) fails that transaction)."""
    session.add(
        OutboxRow(
            kind=kind.value,
            key=key,
            event_date=on,
            snapshot=plain(snapshot),
            created_at=now,
            state=OutboxState.PENDING.value,
            attempts=0,
        )
    )


def record_many(
    session: Session,
    events: Iterable[tuple[OutboxKind, str, Mapping[str, Any]]],
    *,
    on: date,
    now: datetime,
) -> None:
    """``record`` for many (kind, key, snapshot) events of the same day, in one INSERT."""
    rows = [
        {
            "kind": kind.value,
            "key": key,
            "event_date": on,
            "snapshot": plain(snapshot),
            "created_at": now,
            "state": OutboxState.PENDING.value,
            "attempts": 0,
        }
        for kind, key, snapshot in events
    ]
    if rows:
        session.flush()  # events recorded before, by ``record``, keep their place
        session.execute(insert(cast(Table, OutboxRow.__table__)), rows)
