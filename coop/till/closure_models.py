"""Tables of the till that a sale never writes nor reads: the closures (daily Z, month, year),
their Ed25519 signatures and the cash movements of a session (safe drop, change brought in).

Apart from ``coop.till.models`` so that a sale declares none of them (issue 18, target 5);
``coop.models`` imports both for the metadata. Closures and cash movements are inalterable
like the sales (``coop.till.models.INALTERABLE_TABLES``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from coop.db import Base, UTCDateTime
from coop.till.tables import CENTS_64, PERIODS, sql_values


class CashMovementRow(Base):
    """Cash put into or taken out of a drawer without a sale (safe drop, change brought in)."""

    __tablename__ = "till_cash_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("till_sessions.id", ondelete="RESTRICT"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    amount_cents: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(120))

    __table_args__ = (CheckConstraint("amount_cents <> 0", name="amount_not_zero"),)


class TillClosure(Base):
    """A daily (Z), monthly or yearly closure; its full content is in its journal entry."""

    __tablename__ = "till_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    till_id: Mapped[int] = mapped_column(ForeignKey("tills.id", ondelete="RESTRICT"))
    period: Mapped[str] = mapped_column(String(8))
    number: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    sale_count: Mapped[int] = mapped_column(Integer)
    first_sale_number: Mapped[int | None] = mapped_column(Integer)
    last_sale_number: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(CENTS_64)
    perpetual_cents: Mapped[int] = mapped_column(CENTS_64)
    """Since the till's first sale: past 21 million euros it no longer fits 32 bits."""
    created_by: Mapped[str] = mapped_column(String(120))

    __table_args__ = (
        UniqueConstraint("till_id", "period", "number"),
        UniqueConstraint("till_id", "period", "starts_on"),
        UniqueConstraint("till_id", "seq"),
        CheckConstraint(f"period IN ({sql_values(PERIODS)})", name="period_known"),
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
    )


class ClosureSignature(Base):
    """The Ed25519 signature of a closure record's hash (``coop.signing``), by the key kept in
    a file outside the database; ``public_key`` says which key signed."""

    __tablename__ = "till_signatures"

    till_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))

    __table_args__ = (
        ForeignKeyConstraint(
            ["till_id", "seq"], ["till_journal.till_id", "till_journal.seq"], ondelete="RESTRICT"
        ),
    )
