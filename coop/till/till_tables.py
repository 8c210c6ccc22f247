"""The Core tables of the tills (with the head of their journal), the cashiers' sessions and the
member categories' price rules, declared apart from their mapped classes.

``coop.till.till_models`` maps ``Till``, ``TillSession`` and ``CategoryPriceRule`` onto these
tables (``__table__``): a sale loads those three with the ORM, and a column declared in a
``Table`` costs less at every start than one declared through an annotated ``mapped_column``
(issue 18, target 5). The ORM, the metadata and the migrations see the same tables as before.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from coop.db import Base, UTCDateTime, partial_unique_index

TILLS = Table(
    "tills",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(16), unique=True, nullable=False),
    Column("name", String(80), nullable=False),
    Column("last_seq", Integer, default=0, nullable=False),
    Column("last_hash", String(64), nullable=False),
    Column("last_sale_number", Integer, default=0, nullable=False),
    Column("last_day_closure", Integer, default=0, nullable=False),
    Column("last_month_closure", Integer, default=0, nullable=False),
    Column("last_year_closure", Integer, default=0, nullable=False),
    # The last day with a daily closure (Z): no more sales on or before it.
    Column("closed_until", Date),
    Column("created_at", UTCDateTime(), nullable=False),
    CheckConstraint("last_seq >= 0", name="last_seq_not_negative"),
)

TILL_SESSIONS = Table(
    "till_sessions",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("till_id", Integer, ForeignKey("tills.id", ondelete="RESTRICT"), nullable=False),
    Column("opened_at", UTCDateTime(), nullable=False),
    Column("opened_by", String(120), nullable=False),
    Column("opening_cents", Integer, nullable=False),
    # [[denomination in cents, count], ...] when counted coin by coin; None: a declared total.
    Column("opening_pieces", JSON),
    Column("closed_at", UTCDateTime()),
    Column("closed_by", String(120)),
    Column("counted_cents", Integer),
    Column("closing_pieces", JSON),
    Column("expected_cents", Integer),
    # Counted − expected: positive is a surplus, negative a shortfall.
    Column("difference_cents", Integer),
    Column("note", Text),
    partial_unique_index("uq_till_sessions_one_open", "till_id", where="closed_at IS NULL"),
    Index("ix_till_sessions_till_id_opened_at", "till_id", "opened_at"),
    CheckConstraint("opening_cents >= 0", name="opening_not_negative"),
    CheckConstraint("(closed_at IS NULL) = (counted_cents IS NULL)", name="counted_when_closed"),
)

CATEGORY_PRICE_RULES = Table(
    "category_price_rules",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "category_id",
        Integer,
        ForeignKey("member_categories.id", ondelete="RESTRICT"),
        unique=True,
        nullable=False,
    ),
    Column("code", String(32), unique=True, nullable=False),
    # Exact decimal text: "10" is 10 % off, "-20" a 20 % surcharge.
    Column("percent_off", String(12), nullable=False),
    Column("rounding", String(20), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)
