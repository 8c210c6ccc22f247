"""The Core tables of the stock (moves and cached levels), declared apart from their mapped
classes.

A cash sale writes its stock moves and moves the cached levels with Core statements only
(``coop.stock.moves.apply_moves``): importing these tables costs two ``Table`` objects, not
two mapped classes to declare and configure (issue 18, target 5). ``coop.stock.models`` maps
``StockMove`` and ``StockLevel`` onto them (``__table__``), so the ORM, the metadata and the
migrations see the same tables as before.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, Text

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


STOCK_MOVES = Table(
    "stock_moves",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("product_id", Integer, ForeignKey("products.id", ondelete="RESTRICT"), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("kind", String(16), nullable=False),
    # signed: positive into the shop, negative out; pieces, or grams / millilitres
    Column("quantity", Integer, nullable=False),
    # cost excl. VAT per piece or per kg / litre at the time; None when unknown
    Column("unit_cost_cents", Integer),
    Column("reason", String(20)),
    Column("note", Text),
    # a delivery note, an order cycle... whatever the receipt or distribution refers to
    Column("reference", String(80)),
    Column("producer_id", Integer, ForeignKey("producers.id", ondelete="RESTRICT")),
    Column("sale_id", Integer, ForeignKey("sales.id", ondelete="RESTRICT"), index=True),
    Column("inventory_id", Integer, ForeignKey("inventories.id", ondelete="RESTRICT"), index=True),
    Column("actor", String(120), nullable=False),
    Index("ix_stock_moves_product_id_at", "product_id", "at"),
    Index("ix_stock_moves_kind_at", "kind", "at"),
    CheckConstraint("quantity <> 0", name="quantity_not_zero"),
    CheckConstraint(f"kind IN ({_in(MOVE_KINDS)})", name="kind_known"),
    CheckConstraint("unit_cost_cents IS NULL OR unit_cost_cents >= 0", name="cost_not_negative"),
    CheckConstraint("kind <> 'loss' OR reason IS NOT NULL", name="loss_has_reason"),
)

STOCK_LEVELS = Table(
    "stock_levels",
    Base.metadata,
    Column("product_id", Integer, ForeignKey("products.id", ondelete="RESTRICT"), primary_key=True),
    Column("quantity", Integer, default=0, nullable=False),
    # low-stock threshold (same unit as the quantity); None: not watched
    Column("minimum", Integer),
    # this product's supplier delay; None: the coop's ``[stock] lead_time_days``
    Column("lead_time_days", Integer),
    Column("updated_at", UTCDateTime(), nullable=False),
    CheckConstraint("minimum IS NULL OR minimum >= 0", name="minimum_not_negative"),
    CheckConstraint("lead_time_days IS NULL OR lead_time_days >= 0", name="lead_time_not_negative"),
)
