"""The Core tables of committed sales, their lines, payments and VAT, and the till's journal,
declared apart from their mapped classes.

A sale writes and reads these five tables with Core statements only (``sale_store``, ``head``):
importing them costs five ``Table`` objects, not five mapped classes to configure in every
``coop till sell`` (issue 18, target 5). ``coop.till.models`` maps ``Sale``, ``SaleLineRow``,
``SalePayment``, ``SaleVat`` and ``JournalEntry`` onto them (``__table__``), so the ORM, the
metadata and the migrations see the same tables as before. These rows are inalterable
(``INALTERABLE_TABLES``: database triggers refuse UPDATE and DELETE).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from coop.db import Base, UTCDateTime

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


SALES = Table(
    "sales",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("till_id", Integer, ForeignKey("tills.id", ondelete="RESTRICT"), nullable=False),
    Column("number", Integer, nullable=False),
    # Its position in the till's journal (sales and closures together).
    Column("seq", Integer, nullable=False),
    Column(
        "session_id",
        Integer,
        ForeignKey("till_sessions.id", ondelete="RESTRICT"),
        index=True,
        nullable=False,
    ),
    Column("at", UTCDateTime(), nullable=False),
    # The household's main member; None for a non-member.
    Column("member_id", Integer, ForeignKey("members.id", ondelete="RESTRICT"), index=True),
    # The person whose card was scanned (an associated person shops on the main member).
    Column("shopper_id", Integer, ForeignKey("members.id", ondelete="RESTRICT")),
    Column("cashier", String(120), nullable=False),
    Column("goods_cents", Integer, nullable=False),
    Column("top_up_cents", Integer, nullable=False),
    # Capital shares paid at the till (outside VAT, outside turnover).
    Column("share_cents", Integer, server_default="0", nullable=False),
    # The association's yearly fee paid at the till (outside VAT, outside turnover).
    Column("fee_cents", Integer, server_default="0", nullable=False),
    Column("fee_year", Integer),
    Column("total_cents", Integer, nullable=False),
    Column("cash_tendered_cents", Integer, nullable=False),
    Column("change_cents", Integer, nullable=False),
    Column("discount_reason", String(20)),
    # The sale discount's percent as exact decimal text ("10", "12.5").
    Column("discount_percent", String(12)),
    Column("discount_amount_cents", Integer),
    Column("discount_note", Text),
    Column("discount_rounding", String(20)),
    # Who authorised a discount beyond the cashier's limit.
    Column("authorised_by_id", Integer, ForeignKey("members.id", ondelete="RESTRICT")),
    # Why a member the desk check refused was let through.
    Column("override_reason", Text),
    # The till's key for this basket: the same basket committed twice is refused.
    Column("token", String(64)),
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


SALE_LINES = Table(
    "sale_lines",
    Base.metadata,
    Column("sale_id", Integer, ForeignKey("sales.id", ondelete="RESTRICT"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column(
        "product_id",
        Integer,
        ForeignKey("products.id", ondelete="RESTRICT"),
        index=True,
        nullable=False,
    ),
    Column("label", String(200), nullable=False),
    Column("vat_rate_bp", Integer, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("weighed", Boolean, nullable=False),
    Column("list_price_cents", Integer, nullable=False),
    Column("unit_price_cents", Integer, nullable=False),
    Column("rule_code", String(32)),
    Column("gross_cents", Integer, nullable=False),
    Column("line_discount_cents", Integer, nullable=False),
    Column("discount_reason", String(20)),
    Column("discount_percent", String(12)),
    Column("discount_amount_cents", Integer),
    Column("discount_note", Text),
    Column("discount_rounding", String(20)),
    Column("sale_discount_cents", Integer, nullable=False),
    Column("amount_cents", Integer, nullable=False),
    Column("refund_till_id", Integer),
    Column("refund_sale_number", Integer),
    Column("refund_line_no", Integer),
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
    CheckConstraint("(kind = 'refund') = (refund_line_no IS NOT NULL)", name="refund_has_origin"),
)


SALE_PAYMENTS = Table(
    "sale_payments",
    Base.metadata,
    Column("sale_id", Integer, ForeignKey("sales.id", ondelete="RESTRICT"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("means", String(16), nullable=False),
    Column("amount_cents", Integer, nullable=False),
    Column("reference", String(120), default="", nullable=False),
    CheckConstraint(f"means IN ({sql_values(MEANS)})", name="means_known"),
)


SALE_VAT = Table(
    "sale_vat",
    Base.metadata,
    Column("sale_id", Integer, ForeignKey("sales.id", ondelete="RESTRICT"), primary_key=True),
    Column("vat_rate_bp", Integer, primary_key=True),
    Column("excl_vat_cents", Integer, nullable=False),
    Column("vat_cents", Integer, nullable=False),
)


JOURNAL = Table(
    "till_journal",
    Base.metadata,
    Column("till_id", Integer, ForeignKey("tills.id", ondelete="RESTRICT"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("number", Integer, nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    # The canonical JSON (``coop.till.journal.canonical_bytes``) of the record's data.
    Column("data", Text, nullable=False),
    Column("previous_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("sale_id", Integer, ForeignKey("sales.id", ondelete="RESTRICT"), unique=True),
    Column("closure_id", Integer, ForeignKey("till_closures.id", ondelete="RESTRICT"), unique=True),
    UniqueConstraint("till_id", "kind", "number"),
    Index("ix_till_journal_at", "at"),
    CheckConstraint(f"kind IN ({sql_values(RECORD_KINDS)})", name="kind_known"),
    CheckConstraint("seq > 0", name="positive_seq"),
    CheckConstraint(
        "(kind = 'sale') = (sale_id IS NOT NULL) AND (kind = 'sale') = (closure_id IS NULL)",
        name="one_link",
    ),
)
