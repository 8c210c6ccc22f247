"""Tables of the stock: the ledger of moves, cached levels with reorder settings (the
inventories and their counts: ``coop.stock.inventory_models``, which a sale does not import).

Quantities are integers: pieces for products sold by the piece, grams (or millilitres) for
products sold by weight (``Product.by_weight``). A move's ``unit_cost_cents`` is the cost
excluding VAT per piece or per kg / litre when it was made, so its value never changes later.
``StockMove`` rows are append-only (the database refuses UPDATE and DELETE); ``StockLevel``
caches the sum of a product's moves and is updated in the same transaction as each move.
The tables themselves are declared in ``coop.stock.tables`` (a sale writes through them and
maps neither class).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped

from coop.db import Base
from coop.stock import tables
from coop.stock.tables import LOSS_REASONS, MOVE_KINDS

__all__ = ["LOSS_REASONS", "MOVE_KINDS", "StockLevel", "StockMove"]


class StockMove(Base):
    """One change of a product's stock (append-only)."""

    __table__ = tables.STOCK_MOVES

    id: Mapped[int]
    product_id: Mapped[int]
    at: Mapped[datetime]
    kind: Mapped[str]
    quantity: Mapped[int]
    """Signed: positive into the shop, negative out; pieces, or grams / millilitres."""
    unit_cost_cents: Mapped[int | None]
    """Cost excl. VAT per piece or per kg / litre at the time; None when unknown."""
    reason: Mapped[str | None]
    note: Mapped[str | None]
    reference: Mapped[str | None]
    """A delivery note, an order cycle... whatever the receipt or distribution refers to."""
    producer_id: Mapped[int | None]
    sale_id: Mapped[int | None]
    inventory_id: Mapped[int | None]
    actor: Mapped[str]


class StockLevel(Base):
    """A product's current stock (the sum of its moves) and its reorder settings."""

    __table__ = tables.STOCK_LEVELS

    product_id: Mapped[int]
    quantity: Mapped[int]
    minimum: Mapped[int | None]
    """Low-stock threshold (same unit as the quantity); None: not watched."""
    lead_time_days: Mapped[int | None]
    """This product's supplier delay; None: the coop's ``[stock] lead_time_days``."""
    updated_at: Mapped[datetime]
