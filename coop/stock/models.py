"""Tables of the stock: the ledger of moves, cached levels with reorder settings (the
inventories and their counts: ``coop.stock.inventory_models``, which a sale does not import).

Quantities are integers: pieces for products sold by the piece, grams (or millilitres) for
products sold by weight (``Product.by_weight``). A move's ``unit_cost_cents`` is the cost
excluding VAT per piece or per kg / litre when it was made, so its value never changes later.
``StockMove`` rows are append-only (the database refuses UPDATE and DELETE); ``StockLevel``
caches the sum of a product's moves and is updated in the same transaction as each move.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coop.db import Base, UTCDateTime

MOVE_KINDS = (
    "receipt",  # goods received from a supplier
    "sale",  # sold at the till
    "refund",  # brought back at the till and put back on the shelf
    "loss",  # broken, out of date, stolen...: with a reason
    "inventory",  # the difference found by an inventory count
    "distribution",  # handed out by a grouped order or an AMAP distribution
    "correction",  # a manual correction with a reason
)
LOSS_REASONS = ("damaged", "expired", "theft", "tasting", "other")


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


class StockMove(Base):
    """One change of a product's stock (append-only)."""

    __tablename__ = "stock_moves"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column(Integer)
    """Signed: positive into the shop, negative out; pieces, or grams / millilitres."""
    unit_cost_cents: Mapped[int | None] = mapped_column(Integer)
    """Cost excl. VAT per piece or per kg / litre at the time; None when unknown."""
    reason: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(80))
    """A delivery note, an order cycle... whatever the receipt or distribution refers to."""
    producer_id: Mapped[int | None] = mapped_column(ForeignKey("producers.id", ondelete="RESTRICT"))
    sale_id: Mapped[int | None] = mapped_column(
        ForeignKey("sales.id", ondelete="RESTRICT"), index=True
    )
    inventory_id: Mapped[int | None] = mapped_column(
        ForeignKey("inventories.id", ondelete="RESTRICT"), index=True
    )
    actor: Mapped[str] = mapped_column(String(120))

    __table_args__ = (
        Index("ix_stock_moves_product_id_at", "product_id", "at"),
        Index("ix_stock_moves_kind_at", "kind", "at"),
        CheckConstraint("quantity <> 0", name="quantity_not_zero"),
        CheckConstraint(f"kind IN ({_in(MOVE_KINDS)})", name="kind_known"),
        CheckConstraint(
            "unit_cost_cents IS NULL OR unit_cost_cents >= 0", name="cost_not_negative"
        ),
        CheckConstraint("kind <> 'loss' OR reason IS NOT NULL", name="loss_has_reason"),
    )


class StockLevel(Base):
    """A product's current stock (the sum of its moves) and its reorder settings."""

    __tablename__ = "stock_levels"

    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), primary_key=True
    )
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    minimum: Mapped[int | None] = mapped_column(Integer)
    """Low-stock threshold (same unit as the quantity); None: not watched."""
    lead_time_days: Mapped[int | None] = mapped_column(Integer)
    """This product's supplier delay; None: the coop's ``[stock] lead_time_days``."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        CheckConstraint("minimum IS NULL OR minimum >= 0", name="minimum_not_negative"),
        CheckConstraint(
            "lead_time_days IS NULL OR lead_time_days >= 0", name="lead_time_not_negative"
        ),
    )
