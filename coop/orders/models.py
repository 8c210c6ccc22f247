"""Tables of grouped orders: cycles, their suppliers and articles, the demand ledger, allocations,
deliveries and the charges to members.

- ``OrderCycle``: one ordering window for one or several suppliers, with its delivery date and
  place, its allocation strategy and its state (draft → open → closed → sent → received →
  settled). The box-fill phase is not stored: a cycle is in it while open after ``boxfill_at``.
- ``OrderCycleSupplier``: a supplier (a catalogue ``Producer``) of the cycle and its case
  rounding mode (foodsoft, up, down, manual).
- ``OrderArticle``: what members can order, with the price frozen on the line (excl. VAT, per
  piece or per kg / litre) and the case size and minimum in member steps (pieces, or grams /
  millilitres for articles sold by weight). ``cases``/``ordered`` are set at close.
- ``OrderIncrement``: the append-only demand ledger (Δquantity, Δtolerance, time) of a household
  for an article (reference/orders.md §2.2); a member's demand is the fold of their rows.
- ``OrderAllocation``: what a household gets of an article (close, then delivery), what the
  strategy computed, and whether a coordinator pinned it by hand (kept across re-runs).
- ``OrderDelivery``: what arrived of an article, and where the surplus went (stock or leftover).
- ``OrderCharge``: the invoice that charged a household for the cycle.

Quantities are integers in the article's smallest step; money is integer cents; VAT rates in
basis points (550 is 5.5 %), as in the catalogue.
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

CYCLE_STATES = ("draft", "open", "closed", "sent", "received", "settled")
ROUNDING_MODES = ("foodsoft", "up", "down", "manual")
STRATEGIES = ("fifo", "proportional", "round_robin", "none")
ARTICLE_UNITS = ("piece", "kg", "l")


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


class OrderCycle(Base):
    """An order cycle: a window in which households order, then close, send, receive, settle."""

    __tablename__ = "order_cycles"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    """Short upper-case name people type ("2026-S48", "VRAC-DEC")."""
    name: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(12), default="draft")
    strategy: Mapped[str] = mapped_column(String(16), default="fifo")
    """How a shortage is shared (``coop.orders.rules.Strategy``)."""
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    boxfill_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """After this moment (and until closing) members may only help fill cases; None: no phase."""
    delivery_on: Mapped[date] = mapped_column(Date)
    delivery_place: Mapped[str | None] = mapped_column(String(200))
    use_tolerance: Mapped[bool] = mapped_column(Boolean, default=True)
    """At delivery, a surplus first fills members' tolerance (Foodsoft's tolerance policy)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(120))

    __table_args__ = (
        CheckConstraint("code <> ''", name="code_not_empty"),
        CheckConstraint(f"state IN ({_in(CYCLE_STATES)})", name="state_known"),
        CheckConstraint(f"strategy IN ({_in(STRATEGIES)})", name="strategy_known"),
        CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
        CheckConstraint(
            "boxfill_at IS NULL OR (boxfill_at >= opens_at AND boxfill_at <= closes_at)",
            name="boxfill_in_window",
        ),
    )


class OrderCycleSupplier(Base):
    """A supplier of a cycle and how its articles are rounded to cases."""

    __tablename__ = "order_cycle_suppliers"

    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("order_cycles.id", ondelete="RESTRICT"), primary_key=True
    )
    producer_id: Mapped[int] = mapped_column(
        ForeignKey("producers.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    rounding: Mapped[str] = mapped_column(String(12), default="foodsoft")

    __table_args__ = (
        CheckConstraint(f"rounding IN ({_in(ROUNDING_MODES)})", name="rounding_known"),
    )


class OrderArticle(Base):
    """An article of a cycle, its price frozen when it was added."""

    __tablename__ = "order_articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("order_cycles.id", ondelete="RESTRICT"))
    producer_id: Mapped[int] = mapped_column(
        ForeignKey("producers.id", ondelete="RESTRICT"), index=True
    )
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), index=True
    )
    """The catalogue product it is (its surplus then goes to shop stock), if any."""
    reference: Mapped[str] = mapped_column(String(64))
    """The supplier's reference, unique in the cycle: what people and files name it by."""
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(8))
    """piece, kg or l: what the price is for."""
    by_weight: Mapped[bool] = mapped_column(Boolean)
    """Ordered in grams (millilitres): no tolerance."""
    case_size: Mapped[int] = mapped_column(Integer)
    """Member steps per supplier case (pieces, or grams / ml); 1: no case."""
    price_cents: Mapped[int] = mapped_column(Integer)
    """Supplier price excl. VAT per piece, or per kg / litre, frozen on the line."""
    vat_rate_bp: Mapped[int] = mapped_column(Integer)
    minimum: Mapped[int | None] = mapped_column(Integer)
    """Minimum order quantity in member steps (a whole number of cases), None: none."""
    manual_cases: Mapped[int | None] = mapped_column(Integer)
    """Cases decided by the coordinator (rounding mode manual)."""
    cases: Mapped[int | None] = mapped_column(Integer)
    """Set at close: cases ordered from the supplier."""
    ordered: Mapped[int | None] = mapped_column(Integer)
    """Set at close: member steps ordered (cases × case size)."""

    __table_args__ = (
        UniqueConstraint("cycle_id", "reference"),
        CheckConstraint("reference <> ''", name="reference_not_empty"),
        CheckConstraint(f"unit IN ({_in(ARTICLE_UNITS)})", name="unit_known"),
        CheckConstraint("NOT by_weight OR unit IN ('kg', 'l')", name="by_weight_unit"),
        CheckConstraint("case_size >= 1", name="case_size_positive"),
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
        CheckConstraint("vat_rate_bp >= 0 AND vat_rate_bp < 10000", name="vat_rate_range"),
        CheckConstraint("minimum IS NULL OR minimum > 0", name="minimum_positive"),
        CheckConstraint("manual_cases IS NULL OR manual_cases >= 0", name="manual_not_negative"),
        CheckConstraint("ordered IS NULL OR ordered >= 0", name="ordered_not_negative"),
    )


class OrderIncrement(Base):
    """One row of the demand ledger: a household's change to an article (append-only)."""

    __tablename__ = "order_increments"

    id: Mapped[int] = mapped_column(primary_key=True)
    """Also the ledger's sequence: it orders rows of equal time."""
    article_id: Mapped[int] = mapped_column(ForeignKey("order_articles.id", ondelete="RESTRICT"))
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    """The household (its main member)."""
    quantity: Mapped[int] = mapped_column(Integer)
    """Δ firm quantity (< 0: a reduction, taken from the newest rows first)."""
    tolerance: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(120))

    __table_args__ = (
        Index("ix_order_increments_article_id_at", "article_id", "at"),
        CheckConstraint("quantity <> 0 OR tolerance <> 0", name="not_empty"),
    )


class OrderAllocation(Base):
    """What a household gets of an article; rewritten by each run of the allocation."""

    __tablename__ = "order_allocations"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("order_articles.id", ondelete="RESTRICT"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("order_cycles.id", ondelete="RESTRICT"), index=True
    )
    quantity: Mapped[int] = mapped_column(Integer)
    """What the household gets (and is charged for)."""
    computed: Mapped[int] = mapped_column(Integer)
    """What the strategy alone gives, shown next to a manual correction."""
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    """Corrected by hand: every later run keeps ``quantity``."""
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("computed >= 0", name="computed_not_negative"),
    )


class OrderDelivery(Base):
    """What arrived of an article and where its surplus went."""

    __tablename__ = "order_deliveries"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("order_articles.id", ondelete="RESTRICT"), primary_key=True
    )
    received: Mapped[int] = mapped_column(Integer)
    to_stock: Mapped[int] = mapped_column(Integer, default=0)
    """Booked into shop stock (catalogue products)."""
    left_over: Mapped[int] = mapped_column(Integer, default=0)
    """Surplus of an article that is no catalogue product: the leftover list."""
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(120))

    __table_args__ = (
        CheckConstraint("received >= 0", name="received_not_negative"),
        CheckConstraint("to_stock >= 0 AND left_over >= 0", name="surplus_not_negative"),
    )


class OrderCharge(Base):
    """The invoice charging a household for a settled cycle."""

    __tablename__ = "order_charges"

    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("order_cycles.id", ondelete="RESTRICT"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoices.id", ondelete="RESTRICT"), unique=True
    )
