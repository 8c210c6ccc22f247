"""Writing stock moves: ``move`` gives one move's column values, ``apply_moves`` writes any
number of them with one INSERT and moves the cached level of each product with one upsert
batch, in the caller's transaction (products in ascending id order, so two tills never
deadlock).

The till writes a sale's moves through here alone, so a sale does not import the stock's use
cases (``coop.stock.service``: receipts, losses, levels, reorders, which re-exports these two).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from coop.audit import Actor
from coop.row_writer import RowWriter
from coop.stock.tables import STOCK_LEVELS, STOCK_MOVES
from coop.upsert import dialect_insert

if TYPE_CHECKING:
    from coop.catalog.models import Product

__all__ = ["apply_moves", "move"]


_MOVES = RowWriter(STOCK_MOVES, [column.key for column in STOCK_MOVES.c if column.key != "id"])


def _level_upsert(dialect: Dialect) -> Any:
    """The levels' ``INSERT … ON CONFLICT``: a new row, or the cached quantity moved by the
    delta (the writer below compiles it once per dialect)."""
    statement = dialect_insert(dialect.name, STOCK_LEVELS)
    return statement.on_conflict_do_update(
        index_elements=["product_id"],
        set_={
            "quantity": STOCK_LEVELS.c.quantity + statement.excluded.quantity,
            "updated_at": statement.excluded.updated_at,
        },
    )


_LEVEL_UPSERT = RowWriter(
    STOCK_LEVELS, ("product_id", "quantity", "updated_at"), build=_level_upsert
)


def apply_moves(session: Session, moves: Sequence[Mapping[str, Any]], *, now: datetime) -> None:
    """Write ``moves`` (dicts of StockMove columns) and move the cached levels, set-based: the
    moves in one executemany, the levels in one upsert executemany (statements compiled once,
    rows as plain tuples, ``coop.row_writer``)."""
    if not moves:
        return
    if session.autoflush:  # what the session's own insert did first (pending rows it refers to)
        session.flush()
    connection = session.connection()
    _MOVES.write(connection, moves)
    deltas: dict[int, int] = defaultdict(int)
    for row in moves:
        deltas[row["product_id"]] += row["quantity"]
    # one row per product, in ascending product order (two tills never deadlock)
    _LEVEL_UPSERT.write_tuples(connection, [(pid, deltas[pid], now) for pid in sorted(deltas)])


def move(
    product: Product,
    kind: str,
    quantity: int,
    *,
    at: datetime,
    actor: Actor,
    unit_cost_cents: int | None = None,
    reason: str | None = None,
    note: str | None = None,
    reference: str | None = None,
    producer_id: int | None = None,
    sale_id: int | None = None,
    inventory_id: int | None = None,
) -> dict[str, Any]:
    """The column values of one move (the product's current cost unless one is given)."""
    return {
        "product_id": product.id,
        "at": at,
        "kind": kind,
        "quantity": quantity,
        "unit_cost_cents": product.cost_cents if unit_cost_cents is None else unit_cost_cents,
        "reason": reason,
        "note": note,
        "reference": reference,
        "producer_id": producer_id,
        "sale_id": sale_id,
        "inventory_id": inventory_id,
        "actor": actor.recorded,
    }
