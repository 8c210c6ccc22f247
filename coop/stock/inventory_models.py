"""Tables of the stock's inventories: an inventory session and what was counted for each product.

Apart from ``coop.stock.models`` so that a sale, which writes stock moves, declares neither
(issue 18, target 5); ``coop.models`` imports both for the metadata.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from coop.db import Base, UTCDateTime


class Inventory(Base):
    """An inventory session: counts are recorded, then closing books the differences."""

    __tablename__ = "inventories"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_by: Mapped[str] = mapped_column(String(120))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(120))


class InventoryCount(Base):
    """What was counted for one product, and the stock the books showed at that moment."""

    __tablename__ = "inventory_counts"

    inventory_id: Mapped[int] = mapped_column(
        ForeignKey("inventories.id", ondelete="RESTRICT"), primary_key=True
    )
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), primary_key=True
    )
    counted: Mapped[int] = mapped_column(Integer)
    expected: Mapped[int] = mapped_column(Integer)
    """The cached stock when the count was recorded (sales during the count stay counted)."""
    unit_cost_cents: Mapped[int | None] = mapped_column(Integer)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    counted_by: Mapped[str] = mapped_column(String(120))

    __table_args__ = (CheckConstraint("counted >= 0", name="counted_not_negative"),)
