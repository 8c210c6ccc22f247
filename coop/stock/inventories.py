"""Inventories: one open at a time, counts recorded product by product (a recount replaces the
previous one), and the closing that moves every counted product's stock to what was counted
(an ``inventory`` move valued at the catalogue cost), with its report of differences.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.catalog.models import Product
from coop.errors import CoopError, InvalidInput, Problem
from coop.i18n import _
from coop.stock.inventory_models import Inventory, InventoryCount
from coop.stock.models import StockLevel
from coop.stock.moves import apply_moves, move
from coop.stock.rules import value_cents
from coop.stock.service import format_quantity, parse_quantity, products_by_codes, unit_word
from coop.text import sort_key


def open_inventory(session: Session) -> Inventory | None:
    return session.scalar(select(Inventory).where(Inventory.closed_at.is_(None)))


def start_inventory(session: Session, *, label: str, actor: Actor, now: datetime) -> Inventory:
    """Start counting (one inventory at a time)."""
    if open_inventory(session) is not None:
        raise CoopError(_("An inventory is already under way: close it first."))
    inventory = Inventory(
        label=label.strip() or _("Inventory"), started_at=now, started_by=actor.recorded
    )
    session.add(inventory)
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="stock.inventory_start",
        entity="inventory",
        entity_id=inventory.id,
        after={"label": inventory.label},
    )
    return inventory


def _current_inventory(session: Session) -> Inventory:
    inventory = open_inventory(session)
    if inventory is None:
        raise CoopError(
            _("No inventory is under way: start one with `coop stock inventory start`.")
        )
    return inventory


def record_counts(
    session: Session,
    counts: Mapping[str, str],
    *,
    actor: Actor,
    now: datetime,
) -> list[InventoryCount]:
    """Counted quantities {product code: quantity as typed}; a product counted again is
    replaced (the theoretical stock is taken anew). The counted quantity is recorded, never a
    difference: the books' figure is kept beside it."""
    inventory = _current_inventory(session)
    found = products_by_codes(session, counts)
    problems = []
    parsed: dict[int, tuple[Product, int]] = {}
    for code, text in counts.items():
        product = found.get(code.strip().upper())
        if product is None:
            problems.append(
                Problem(
                    _("no product has the barcode or internal code {code}").format(code=code),
                    column=code,
                )
            )
            continue
        try:
            counted = 0 if text.strip() in ("0", "0,0", "0.0") else parse_quantity(product, text)
        except ValueError as error:
            problems.append(Problem(str(error), column=code))
            continue
        parsed[product.id] = (product, counted)
    if problems:
        raise InvalidInput(problems)
    stock = dict(
        session.execute(
            select(StockLevel.product_id, StockLevel.quantity).where(
                StockLevel.product_id.in_(parsed)
            )
        ).all()
    )
    existing = {
        row.product_id: row
        for row in session.scalars(
            select(InventoryCount).where(
                InventoryCount.inventory_id == inventory.id,
                InventoryCount.product_id.in_(parsed),
            )
        )
    }
    rows = []
    for product_id, (product, counted) in parsed.items():
        row = existing.get(product_id)
        if row is None:
            row = InventoryCount(inventory_id=inventory.id, product_id=product_id)
            session.add(row)
        row.counted = counted
        row.expected = stock.get(product_id, 0)
        row.unit_cost_cents = product.cost_cents
        row.counted_at = now
        row.counted_by = actor.recorded
        rows.append(row)
    session.flush()
    return rows


@dataclass(frozen=True)
class CountLine:
    product: Product
    counted: int
    expected: int
    unit_cost_cents: int | None

    @property
    def difference(self) -> int:
        return self.counted - self.expected

    @property
    def value_cents(self) -> int | None:
        return value_cents(self.difference, self.unit_cost_cents, self.product.by_weight)

    def as_dict(self) -> dict[str, Any]:
        return {
            "product": self.product.code,
            "name": self.product.name,
            "unit": unit_word(self.product),
            "counted": self.counted,
            "expected": self.expected,
            "difference": self.difference,
            "counted_text": format_quantity(self.product, self.counted),
            "expected_text": format_quantity(self.product, self.expected),
            "difference_text": ("+" if self.difference > 0 else "")
            + format_quantity(self.product, self.difference),
            "unit_cost_cents": self.unit_cost_cents,
            "value_cents": self.value_cents,
        }


@dataclass(frozen=True)
class InventoryReport:
    inventory: Inventory
    lines: tuple[CountLine, ...]

    @property
    def gain_cents(self) -> int:
        return sum(v for line in self.lines if (v := line.value_cents) and v > 0)

    @property
    def loss_cents(self) -> int:
        return sum(v for line in self.lines if (v := line.value_cents) and v < 0)

    @property
    def net_cents(self) -> int:
        return self.gain_cents + self.loss_cents

    def as_dict(self) -> dict[str, Any]:
        inventory = self.inventory
        return {
            "id": inventory.id,
            "label": inventory.label,
            "started_at": inventory.started_at.isoformat(),
            "closed_at": inventory.closed_at.isoformat() if inventory.closed_at else None,
            "lines": [line.as_dict() for line in self.lines],
            "counted": len(self.lines),
            "differences": sum(1 for line in self.lines if line.difference),
            "gain_cents": self.gain_cents,
            "loss_cents": self.loss_cents,
            "net_cents": self.net_cents,
        }


def inventory_report(session: Session, inventory: Inventory | None = None) -> InventoryReport:
    inventory = inventory or _current_inventory(session)
    rows = session.execute(
        select(InventoryCount, Product)
        .join(Product, Product.id == InventoryCount.product_id)
        .where(InventoryCount.inventory_id == inventory.id)
    )
    lines = [
        CountLine(product, count.counted, count.expected, count.unit_cost_cents)
        for count, product in rows
    ]
    lines.sort(key=lambda line: (sort_key(line.product.name), line.product.id))
    return InventoryReport(inventory, tuple(lines))


def close_inventory(session: Session, *, actor: Actor, now: datetime) -> InventoryReport:
    """Book every counted difference as an ``inventory`` move valued at the cost when counted."""
    inventory = _current_inventory(session)
    report = inventory_report(session, inventory)
    moves = [
        move(
            line.product,
            "inventory",
            line.difference,
            at=now,
            actor=actor,
            unit_cost_cents=line.unit_cost_cents,
            inventory_id=inventory.id,
        )
        for line in report.lines
        if line.difference
    ]
    apply_moves(session, moves, now=now)
    inventory.closed_at = now
    inventory.closed_by = actor.recorded
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="stock.inventory_close",
        entity="inventory",
        entity_id=inventory.id,
        after={
            "counted": len(report.lines),
            "differences": len(moves),
            "net_cents": report.net_cents,
        },
    )
    return report
