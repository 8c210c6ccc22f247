"""Tables of the till: tills, sessions, sales with their lines and payments, the journal,
and the member categories' price rules (closures, their signatures and cash movements:
``coop.till.closure_models``, which a sale does not import). The tills, sessions and price
rules are declared in ``coop.till.till_models``, the sales' and journal's tables in
``coop.till.tables`` (a sale maps only the former, and writes the latter with Core);
this module maps the sales and the journal onto their tables and re-exports the rest.

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

from datetime import datetime

from sqlalchemy.orm import Mapped

from coop.db import Base
from coop.till import tables
from coop.till.tables import (
    CENTS_64,
    INALTERABLE_TABLES,
    LINE_KINDS,
    MEANS,
    PERIODS,
    RECORD_KINDS,
    sql_values,
)
from coop.till.till_models import CategoryPriceRule, Till, TillSession

__all__ = [
    "CENTS_64",
    "INALTERABLE_TABLES",
    "LINE_KINDS",
    "MEANS",
    "PERIODS",
    "RECORD_KINDS",
    "CategoryPriceRule",
    "JournalEntry",
    "Sale",
    "SaleLineRow",
    "SalePayment",
    "SaleVat",
    "Till",
    "TillSession",
    "sql_values",
]


class Sale(Base):
    """A committed sale (or refund), numbered without gaps on its till."""

    __table__ = tables.SALES

    id: Mapped[int]
    till_id: Mapped[int]
    number: Mapped[int]
    seq: Mapped[int]
    session_id: Mapped[int]
    at: Mapped[datetime]
    member_id: Mapped[int | None]
    shopper_id: Mapped[int | None]
    cashier: Mapped[str]
    goods_cents: Mapped[int]
    top_up_cents: Mapped[int]
    share_cents: Mapped[int]
    fee_cents: Mapped[int]
    fee_year: Mapped[int | None]
    total_cents: Mapped[int]
    cash_tendered_cents: Mapped[int]
    change_cents: Mapped[int]
    discount_reason: Mapped[str | None]
    discount_percent: Mapped[str | None]
    discount_amount_cents: Mapped[int | None]
    discount_note: Mapped[str | None]
    discount_rounding: Mapped[str | None]
    authorised_by_id: Mapped[int | None]
    override_reason: Mapped[str | None]
    token: Mapped[str | None]


class SaleLineRow(Base):
    """One line of a committed sale, as ``coop.till.pricing.SaleLine`` priced it."""

    __table__ = tables.SALE_LINES

    sale_id: Mapped[int]
    line_no: Mapped[int]
    kind: Mapped[str]
    product_id: Mapped[int]
    label: Mapped[str]
    vat_rate_bp: Mapped[int]
    quantity: Mapped[int]
    weighed: Mapped[bool]
    list_price_cents: Mapped[int]
    unit_price_cents: Mapped[int]
    rule_code: Mapped[str | None]
    gross_cents: Mapped[int]
    line_discount_cents: Mapped[int]
    discount_reason: Mapped[str | None]
    discount_percent: Mapped[str | None]
    discount_amount_cents: Mapped[int | None]
    discount_note: Mapped[str | None]
    discount_rounding: Mapped[str | None]
    sale_discount_cents: Mapped[int]
    amount_cents: Mapped[int]
    refund_till_id: Mapped[int | None]
    refund_sale_number: Mapped[int | None]
    refund_line_no: Mapped[int | None]


class SalePayment(Base):
    """How a sale was settled: one row per means (cash net of change)."""

    __table__ = tables.SALE_PAYMENTS

    sale_id: Mapped[int]
    position: Mapped[int]
    means: Mapped[str]
    amount_cents: Mapped[int]
    reference: Mapped[str]


class SaleVat(Base):
    """The VAT of a sale per rate, as its receipt printed it (what the Z adds up)."""

    __table__ = tables.SALE_VAT

    sale_id: Mapped[int]
    vat_rate_bp: Mapped[int]
    excl_vat_cents: Mapped[int]
    vat_cents: Mapped[int]


class JournalEntry(Base):
    """One record of a till's inalterable journal: the canonical data and the chained hash."""

    __table__ = tables.JOURNAL

    till_id: Mapped[int]
    seq: Mapped[int]
    kind: Mapped[str]
    number: Mapped[int]
    at: Mapped[datetime]
    data: Mapped[str]
    previous_hash: Mapped[str]
    hash: Mapped[str]
    sale_id: Mapped[int | None]
    closure_id: Mapped[int | None]
