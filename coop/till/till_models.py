"""The till's mapped classes a sale loads: the tills (with the head of their journal), the
cashiers' sessions and the member categories' price rules.

Apart from ``coop.till.models`` (which re-exports them, and maps the sales and the journal onto
``coop.till.tables``) so that ``coop till sell`` maps these three classes and no other till
class (issue 18, target 5). See ``coop.till.models`` for how the till's tables fit together.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from coop.db import Base, UTCDateTime, partial_unique_index


class Till(Base):
    """A cash register, with the head of its journal."""

    __tablename__ = "tills"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    last_sale_number: Mapped[int] = mapped_column(Integer, default=0)
    last_day_closure: Mapped[int] = mapped_column(Integer, default=0)
    last_month_closure: Mapped[int] = mapped_column(Integer, default=0)
    last_year_closure: Mapped[int] = mapped_column(Integer, default=0)
    closed_until: Mapped[date | None] = mapped_column(Date)
    """The last day with a daily closure (Z): no more sales on or before it."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (CheckConstraint("last_seq >= 0", name="last_seq_not_negative"),)


class TillSession(Base):
    """From opening (counted float) to closing (counted cash, difference) of one till."""

    __tablename__ = "till_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    till_id: Mapped[int] = mapped_column(ForeignKey("tills.id", ondelete="RESTRICT"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opened_by: Mapped[str] = mapped_column(String(120))
    opening_cents: Mapped[int] = mapped_column(Integer)
    opening_pieces: Mapped[list[Any] | None] = mapped_column(JSON)
    """[[denomination in cents, count], ...] when counted coin by coin; None: a declared total."""
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(120))
    counted_cents: Mapped[int | None] = mapped_column(Integer)
    closing_pieces: Mapped[list[Any] | None] = mapped_column(JSON)
    expected_cents: Mapped[int | None] = mapped_column(Integer)
    difference_cents: Mapped[int | None] = mapped_column(Integer)
    """Counted − expected: positive is a surplus, negative a shortfall."""
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        partial_unique_index("uq_till_sessions_one_open", "till_id", where="closed_at IS NULL"),
        Index("ix_till_sessions_till_id_opened_at", "till_id", "opened_at"),
        CheckConstraint("opening_cents >= 0", name="opening_not_negative"),
        CheckConstraint(
            "(closed_at IS NULL) = (counted_cents IS NULL)", name="counted_when_closed"
        ),
    )


class CategoryPriceRule(Base):
    """A member category's price rule (``coop.till.pricing.PriceRule``): e.g. solidarity −10 %."""

    __tablename__ = "category_price_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("member_categories.id", ondelete="RESTRICT"), unique=True
    )
    code: Mapped[str] = mapped_column(String(32), unique=True)
    percent_off: Mapped[str] = mapped_column(String(12))
    """Exact decimal text: "10" is 10 % off, "-20" a 20 % surcharge."""
    rounding: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
