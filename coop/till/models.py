"""Tables of the till: tills, sessions, sales with their lines and payments, the journal,
and the member categories' price rules (closures, their signatures and cash movements:
``coop.till.closure_models``, which a sale does not import).

How they fit:

- A ``Till`` carries the head of its journal (last seq, last hash, last numbers): a commit locks
  the till row (``FOR UPDATE`` on PostgreSQL; SQLite has one writer at a time), reads the head,
  writes the new record and moves the head, so numbers stay gapless with several tills.
- A ``TillSession`` is a cashier's shift on a till: the counted float at opening, the counted
  cash at closing and the difference. At most one session per till is open (a partial unique
  index); a closed session can no longer change (a trigger refuses it).
- A committed ``Sale`` has its ``SaleLineRow``\\s, ``SalePayment``\\s and ``SaleVat`` rows
  (the VAT printed on the receipt), and one ``JournalEntry`` holding the canonical data that was
  hashed (``coop.till.journal``), chained to the previous entry of its till. A ``TillClosure``
  (daily Z, month, year) has a journal entry too.
- Sales, their lines, payments and VAT, journal entries, closures and cash movements are
  **inalterable**: the migration installs triggers that refuse UPDATE and DELETE on both
  SQLite and PostgreSQL. A correction is a new record (a refund, a later closure).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from coop.db import Base, UTCDateTime, partial_unique_index

LINE_KINDS = ("product", "deposit_charge", "deposit_return", "refund")
RECORD_KINDS = ("sale", "day_closure", "month_closure", "year_closure")
PERIODS = ("day", "month", "year")
MEANS = ("cash", "card", "cheque", "local_currency", "account")

CENTS_64 = BigInteger().with_variant(Integer(), "sqlite")
"""Large sums in cents: BIGINT on PostgreSQL; SQLite's INTEGER already holds 64 bits."""

INALTERABLE_TABLES = (
    "sales",
    "sale_lines",
    "sale_payments",
    "sale_vat",
    "till_journal",
    "till_closures",
    "till_cash_movements",
    "account_movements",
    "invoices",
    "invoice_lines",
    "invoice_vat",
    "stock_moves",
)
"""Tables whose rows are never updated nor deleted (database triggers, see migration 0004)."""


def sql_values(values: tuple[str, ...]) -> str:
    """``'a', 'b'``: the values of a CHECK ... IN (...) constraint."""
    return ", ".join(f"'{value}'" for value in values)


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


class Sale(Base):
    """A committed sale (or refund), numbered without gaps on its till."""

    __tablename__ = "sales"

    id: Mapped[int] = mapped_column(primary_key=True)
    till_id: Mapped[int] = mapped_column(ForeignKey("tills.id", ondelete="RESTRICT"))
    number: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    """Its position in the till's journal (sales and closures together)."""
    session_id: Mapped[int] = mapped_column(
        ForeignKey("till_sessions.id", ondelete="RESTRICT"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    """The household's main member; None for a non-member."""
    shopper_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"))
    """The person whose card was scanned (an associated person shops on the main member)."""
    cashier: Mapped[str] = mapped_column(String(120))
    goods_cents: Mapped[int] = mapped_column(Integer)
    top_up_cents: Mapped[int] = mapped_column(Integer)
    share_cents: Mapped[int] = mapped_column(Integer, server_default="0")
    """Capital shares paid at the till (outside VAT, outside turnover)."""
    fee_cents: Mapped[int] = mapped_column(Integer, server_default="0")
    """The association's yearly fee paid at the till (outside VAT, outside turnover)."""
    fee_year: Mapped[int | None] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)
    cash_tendered_cents: Mapped[int] = mapped_column(Integer)
    change_cents: Mapped[int] = mapped_column(Integer)
    discount_reason: Mapped[str | None] = mapped_column(String(20))
    discount_percent: Mapped[str | None] = mapped_column(String(12))
    """The sale discount's percent as exact decimal text ("10", "12.5")."""
    discount_amount_cents: Mapped[int | None] = mapped_column(Integer)
    discount_note: Mapped[str | None] = mapped_column(Text)
    discount_rounding: Mapped[str | None] = mapped_column(String(20))
    authorised_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT")
    )
    """Who authorised a discount beyond the cashier's limit."""
    override_reason: Mapped[str | None] = mapped_column(Text)
    """Why a member the desk check refused was let through."""
    token: Mapped[str | None] = mapped_column(String(64))
    """The till's key for this basket: the same basket committed twice is refused."""

    __table_args__ = (
        UniqueConstraint("till_id", "number"),
        UniqueConstraint("till_id", "seq"),
        UniqueConstraint("till_id", "token"),
        Index("ix_sales_at", "at"),
        CheckConstraint("number > 0", name="positive_number"),
        CheckConstraint(
            "goods_cents + top_up_cents + share_cents + fee_cents = total_cents",
            name="total_adds_up",
        ),
        CheckConstraint("share_cents >= 0 AND fee_cents >= 0", name="membership_not_negative"),
        CheckConstraint("top_up_cents >= 0", name="top_up_not_negative"),
        CheckConstraint("change_cents >= 0", name="change_not_negative"),
    )


class SaleLineRow(Base):
    """One line of a committed sale, as ``coop.till.pricing.SaleLine`` priced it."""

    __tablename__ = "sale_lines"

    sale_id: Mapped[int] = mapped_column(
        ForeignKey("sales.id", ondelete="RESTRICT"), primary_key=True
    )
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), index=True
    )
    label: Mapped[str] = mapped_column(String(200))
    vat_rate_bp: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    weighed: Mapped[bool] = mapped_column(Boolean)
    list_price_cents: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    rule_code: Mapped[str | None] = mapped_column(String(32))
    gross_cents: Mapped[int] = mapped_column(Integer)
    line_discount_cents: Mapped[int] = mapped_column(Integer)
    discount_reason: Mapped[str | None] = mapped_column(String(20))
    discount_percent: Mapped[str | None] = mapped_column(String(12))
    discount_amount_cents: Mapped[int | None] = mapped_column(Integer)
    discount_note: Mapped[str | None] = mapped_column(Text)
    discount_rounding: Mapped[str | None] = mapped_column(String(20))
    sale_discount_cents: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(Integer)
    refund_till_id: Mapped[int | None] = mapped_column(Integer)
    refund_sale_number: Mapped[int | None] = mapped_column(Integer)
    refund_line_no: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        ForeignKeyConstraint(
            ["refund_till_id", "refund_sale_number"],
            ["sales.till_id", "sales.number"],
            ondelete="RESTRICT",
        ),
        Index(
            "ix_sale_lines_refund",
            "refund_till_id",
            "refund_sale_number",
            "refund_line_no",
        ),
        CheckConstraint(f"kind IN ({sql_values(LINE_KINDS)})", name="kind_known"),
        CheckConstraint("quantity > 0", name="positive_quantity"),
        CheckConstraint(
            "gross_cents - line_discount_cents - sale_discount_cents = amount_cents",
            name="amount_adds_up",
        ),
        CheckConstraint(
            "(kind = 'refund') = (refund_line_no IS NOT NULL)", name="refund_has_origin"
        ),
    )


class SalePayment(Base):
    """How a sale was settled: one row per means (cash net of change)."""

    __tablename__ = "sale_payments"

    sale_id: Mapped[int] = mapped_column(
        ForeignKey("sales.id", ondelete="RESTRICT"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    means: Mapped[str] = mapped_column(String(16))
    amount_cents: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(120), default="")

    __table_args__ = (CheckConstraint(f"means IN ({sql_values(MEANS)})", name="means_known"),)


class SaleVat(Base):
    """The VAT of a sale per rate, as its receipt printed it (what the Z adds up)."""

    __tablename__ = "sale_vat"

    sale_id: Mapped[int] = mapped_column(
        ForeignKey("sales.id", ondelete="RESTRICT"), primary_key=True
    )
    vat_rate_bp: Mapped[int] = mapped_column(Integer, primary_key=True)
    excl_vat_cents: Mapped[int] = mapped_column(Integer)
    vat_cents: Mapped[int] = mapped_column(Integer)


class JournalEntry(Base):
    """One record of a till's inalterable journal: the canonical data and the chained hash."""

    __tablename__ = "till_journal"

    till_id: Mapped[int] = mapped_column(
        ForeignKey("tills.id", ondelete="RESTRICT"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    data: Mapped[str] = mapped_column(Text)
    """The canonical JSON (``coop.till.journal.canonical_bytes``) of the record's data."""
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    sale_id: Mapped[int | None] = mapped_column(
        ForeignKey("sales.id", ondelete="RESTRICT"), unique=True
    )
    closure_id: Mapped[int | None] = mapped_column(
        ForeignKey("till_closures.id", ondelete="RESTRICT"), unique=True
    )

    __table_args__ = (
        UniqueConstraint("till_id", "kind", "number"),
        Index("ix_till_journal_at", "at"),
        CheckConstraint(f"kind IN ({sql_values(RECORD_KINDS)})", name="kind_known"),
        CheckConstraint("seq > 0", name="positive_seq"),
        CheckConstraint(
            "(kind = 'sale') = (sale_id IS NOT NULL) AND (kind = 'sale') = (closure_id IS NULL)",
            name="one_link",
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
