"""Tables of the accounts context: prepaid accounts, their movements, invoices and numbering.

- ``MemberAccount`` is one per household (held by the main member) with the balance cached;
  ``AccountMovement`` rows are the ledger: append-only (the database refuses UPDATE and DELETE),
  each with the balance after it, so the cached balance is always the last movement's.
  Positive amounts credit the member (top-up, refund, credit note), negative ones debit them
  (a sale paid from the account, an order charge, an invoice). The movements of an account
  are hash-chained (``coop.accounts.journal``; checked by ``coop.accounts.verify``), the
  account row keeping the chain's head.
- ``Invoice`` (with ``InvoiceLine`` and ``InvoiceVat``) is an invoice or a credit note, numbered
  gaplessly per series by ``NumberSeries`` (one row per series, incremented under a row lock).
  Invoices are inalterable too: a correction is a credit note.

Money is integer cents; VAT rates are basis points (550 is 5.5 %), as in the catalogue.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from coop.db import Base, UTCDateTime

MOVEMENT_KINDS = (
    "top_up",  # money put on the account (at the till or by transfer)
    "sale_payment",  # a till sale paid from the account
    "refund",  # a till refund credited to the account
    "adjustment",  # a correction by the treasurer, with a reason
    "order_charge",  # a grouped order charged without an invoice
    "invoice",  # an invoice charged to the account
    "credit_note",  # a credit note credited to the account
    "withdrawal",  # money given back to the member
)
INVOICE_KINDS = ("invoice", "credit_note")


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


class MemberAccount(Base):
    """A household's prepaid account, held by its main member."""

    __tablename__ = "member_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), unique=True
    )
    balance_cents: Mapped[int] = mapped_column(Integer, default=0)
    """Cached: the ``balance_after_cents`` of the last movement (0 before any)."""
    overdraft_cents: Mapped[int | None] = mapped_column(Integer)
    """How far below zero this account may go; None: the coop's setting."""
    last_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """The head of the account's chained journal: the last movement's ``seq`` (0 before any)."""
    last_hash: Mapped[str | None] = mapped_column(String(64))
    """...and its hash (``coop.accounts.journal``); None before any movement."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        CheckConstraint(
            "overdraft_cents IS NULL OR overdraft_cents >= 0", name="overdraft_not_negative"
        ),
    )


class AccountMovement(Base):
    """One line of an account's ledger (append-only)."""

    __tablename__ = "account_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("member_accounts.id", ondelete="RESTRICT"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int] = mapped_column(Integer)
    """Positive: credited to the member; negative: debited."""
    balance_after_cents: Mapped[int] = mapped_column(Integer)
    means: Mapped[str | None] = mapped_column(String(20))
    """How a top-up or withdrawal outside the till was paid (transfer, cheque, cash...)."""
    sale_id: Mapped[int | None] = mapped_column(
        ForeignKey("sales.id", ondelete="RESTRICT"), index=True
    )
    invoice_id: Mapped[int | None] = mapped_column(
        ForeignKey("invoices.id", ondelete="RESTRICT"), index=True
    )
    reference: Mapped[str | None] = mapped_column(String(120))
    reason: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(120))
    seq: Mapped[int | None] = mapped_column(Integer)
    """Gapless position in its account's chained journal (1, 2, 3...)."""
    hash: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 of the movement's canonical document, which holds the previous movement's hash
    (``coop.accounts.journal``). Nullable only because the column came after the table; every
    movement is written with one, and ``verify`` names any without."""

    __table_args__ = (
        CheckConstraint("amount_cents <> 0", name="amount_not_zero"),
        CheckConstraint(f"kind IN ({_in(MOVEMENT_KINDS)})", name="kind_known"),
        Index("ix_account_movements_account_id_id", "account_id", "id"),
        Index("ux_account_movements_account_id_seq", "account_id", "seq", unique=True),
    )


class NumberSeries(Base):
    """The last number given in a gapless series (invoices FA, credit notes AV...)."""

    __tablename__ = "number_series"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (CheckConstraint("last_number >= 0", name="last_number_not_negative"),)


class Invoice(Base):
    """An invoice or a credit note to a member, numbered ``series``-``number`` without gaps."""

    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    series: Mapped[str] = mapped_column(String(16))
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    issued_on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    reference: Mapped[str | None] = mapped_column(String(200))
    """What it is for (an order cycle, a contract...), printed on it."""
    credits_invoice_id: Mapped[int | None] = mapped_column(
        ForeignKey("invoices.id", ondelete="RESTRICT"), index=True
    )
    """For a credit note: the invoice it (partly) cancels."""
    prices_include_vat: Mapped[bool] = mapped_column(Boolean)
    excl_vat_cents: Mapped[int] = mapped_column(Integer)
    vat_cents: Mapped[int] = mapped_column(Integer)
    incl_vat_cents: Mapped[int] = mapped_column(Integer)
    charged: Mapped[bool] = mapped_column(Boolean)
    """Charged to (or, for a credit note, credited on) the member's prepaid account."""
    reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))

    __table_args__ = (
        UniqueConstraint("series", "number"),
        CheckConstraint(f"kind IN ({_in(INVOICE_KINDS)})", name="kind_known"),
        CheckConstraint("number > 0", name="positive_number"),
        CheckConstraint("excl_vat_cents + vat_cents = incl_vat_cents", name="totals_add_up"),
        CheckConstraint(
            "(kind = 'credit_note') = (credits_invoice_id IS NOT NULL)", name="credit_note_link"
        ),
    )

    @property
    def code(self) -> str:
        """What is printed: ``FA-000042``."""
        return f"{self.series}-{self.number:06d}"


class InvoiceLine(Base):
    """One line of an invoice; amounts are positive on invoices and on credit notes alike."""

    __tablename__ = "invoice_lines"

    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoices.id", ondelete="RESTRICT"), primary_key=True
    )
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), index=True
    )
    quantity: Mapped[int] = mapped_column(Integer)
    """Pieces, or grams / millilitres when ``weighed``."""
    weighed: Mapped[bool] = mapped_column(Boolean)
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    """Per piece or per kg / litre, incl. or excl. VAT as the invoice says."""
    vat_rate_bp: Mapped[int] = mapped_column(Integer)
    excl_vat_cents: Mapped[int] = mapped_column(Integer)
    vat_cents: Mapped[int] = mapped_column(Integer)
    incl_vat_cents: Mapped[int] = mapped_column(Integer)
    credited_line_no: Mapped[int | None] = mapped_column(Integer)
    """For a credit note: the line of the credited invoice."""

    __table_args__ = (
        CheckConstraint("quantity > 0", name="positive_quantity"),
        CheckConstraint("excl_vat_cents + vat_cents = incl_vat_cents", name="amounts_add_up"),
    )


class InvoiceVat(Base):
    """An invoice's VAT summary: one row per rate, as printed."""

    __tablename__ = "invoice_vat"

    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoices.id", ondelete="RESTRICT"), primary_key=True
    )
    vat_rate_bp: Mapped[int] = mapped_column(Integer, primary_key=True)
    excl_vat_cents: Mapped[int] = mapped_column(Integer)
    vat_cents: Mapped[int] = mapped_column(Integer)

    @property
    def incl_vat_cents(self) -> int:
        return self.excl_vat_cents + self.vat_cents
