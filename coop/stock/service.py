"""Use cases of the stock: moves (set-based), receipts, losses, levels, low stock, reorders.

Every change of stock is a ``StockMove``; ``apply_moves`` (``coop.stock.moves``, re-exported
here) writes any number of them with one INSERT and moves the cached ``StockLevel`` of each
product with one upsert batch, in the caller's transaction (products in ascending id order, so
two tills never deadlock). The till calls it for the lines of a sale, the receipts and
inventories here for theirs.

Quantities are pieces, or grams (millilitres) for products sold by weight; people type weighed
quantities in kg (``2,5`` or ``2,5 kg``) or grams (``2500 g``): ``parse_quantity`` reads both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.catalog import service as catalog
from coop.catalog.models import Producer, Product
from coop.clock import SHOP_TIMEZONE
from coop.config import StockSettings
from coop.errors import InvalidInput, NotFound, Problem
from coop.i18n import _
from coop.stock import rules
from coop.stock.moves import apply_moves as apply_moves  # re-exported: the till imports
from coop.stock.moves import move as move  # them from coop.stock.moves itself
from coop.stock.rules import suggest, value_cents
from coop.stock.tables import LOSS_REASONS
from coop.text import sort_key
from coop.units import format_quantity as units_quantity
from coop.upsert import insert_missing

if TYPE_CHECKING:
    from coop.stock.models import StockLevel, StockMove

# --- quantities -------------------------------------------------------------------------------


def unit_word(product: Product) -> str:
    """What a product's stock is counted in: "g", "ml" or "pc"."""
    return rules.unit_word(product.by_weight, product.unit)


def parse_quantity(product: Product, text: str, *, allow_negative: bool = False) -> int:
    """A quantity people typed, in the product's stock unit (``rules.parse_quantity``)."""
    return rules.parse_quantity(
        text, by_weight=product.by_weight, name=product.name, allow_negative=allow_negative
    )


def format_quantity(
    product: Product | None, quantity: int, *, by_weight: bool | None = None
) -> str:
    """2500 → "2,500 kg" (French) for a weighed product, "3" for pieces (``coop.units``)."""
    weighed = product.by_weight if product is not None else bool(by_weight)
    return units_quantity(quantity, weighed, product.unit if product is not None else "kg")


# --- receipts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptLine:
    product: Product
    quantity: int
    unit_cost_cents: int | None = None


@dataclass
class ReceiptReport:
    lines: int = 0
    products: int = 0
    value_cents: int = 0
    unknown_cost: int = 0
    moves: list[dict[str, Any]] = field(default_factory=list)


def receive(
    session: Session,
    lines: Sequence[ReceiptLine],
    *,
    actor: Actor,
    now: datetime,
    producer_code: str | None = None,
    reference: str | None = None,
    update_cost: bool = False,
) -> ReceiptReport:
    """Goods received: one move per line. ``update_cost`` also makes each line's cost the
    product's catalogue cost (what later moves are valued at)."""
    if not lines:
        raise InvalidInput([Problem(_("nothing to receive"))])
    producer = catalog.get_producer(session, producer_code) if producer_code else None
    report = ReceiptReport()
    for line in lines:
        if line.quantity <= 0:
            raise InvalidInput([Problem(_("the quantity must be more than zero"))])
        row = move(
            line.product,
            "receipt",
            line.quantity,
            at=now,
            actor=actor,
            unit_cost_cents=line.unit_cost_cents,
            reference=reference,
            producer_id=producer.id if producer is not None else line.product.producer_id,
        )
        report.moves.append(row)
        value = value_cents(line.quantity, row["unit_cost_cents"], line.product.by_weight)
        if value is None:
            report.unknown_cost += 1
        else:
            report.value_cents += value
        if update_cost and line.unit_cost_cents is not None:
            line.product.cost_cents = line.unit_cost_cents
            line.product.updated_at = now
    report.lines = len(lines)
    report.products = len({line.product.id for line in lines})
    apply_moves(session, report.moves, now=now)
    audit.record(
        session,
        actor=actor,
        at=now,
        action="stock.receive",
        entity="stock_receipt",
        entity_id=reference or now.isoformat(),
        after={
            "lines": report.lines,
            "value_cents": report.value_cents,
            "producer": producer.code if producer is not None else None,
        },
    )
    return report


def products_by_codes(session: Session, codes: Iterable[str]) -> dict[str, Product]:
    """Barcodes and internal codes in two queries: upper-cased code → product."""
    wanted = {code.strip().upper() for code in codes if code.strip()}
    digits = [code for code in wanted if code.isdigit()]
    found: dict[str, Product] = {}
    for code, product in catalog.products_by_barcodes(session, digits).items():
        found[code] = product
    rest = [code for code in wanted if code not in found]
    if rest:
        for product in session.scalars(select(Product).where(Product.internal_code.in_(rest))):
            found[product.internal_code or ""] = product
    return found


def product_for(session: Session, code: str) -> Product:
    product = products_by_codes(session, [code]).get(code.strip().upper())
    if product is None:
        raise NotFound(_("No product has the barcode or internal code {code}.").format(code=code))
    return product


# --- losses and corrections ---------------------------------------------------------------------


def record_loss(
    session: Session,
    *,
    product_code: str,
    quantity: str,
    reason: str,
    actor: Actor,
    now: datetime,
    note: str | None = None,
) -> dict[str, Any]:
    """Goods thrown away, broken, stolen...: out of the stock, valued at the current cost."""
    if reason not in LOSS_REASONS:
        raise InvalidInput(
            [
                Problem(
                    _("“{value}” is not one of: {options}").format(
                        value=reason, options=", ".join(LOSS_REASONS)
                    ),
                    column="--reason",
                )
            ]
        )
    product = product_for(session, product_code)
    amount = _quantity(product, quantity)
    row = move(product, "loss", -amount, at=now, actor=actor, reason=reason, note=note)
    apply_moves(session, [row], now=now)
    audit.record(
        session,
        actor=actor,
        at=now,
        action="stock.loss",
        entity="product",
        entity_id=product.id,
        after={"quantity": -amount, "reason": reason},
        reason=note,
    )
    return row


def correct(
    session: Session,
    *,
    product_code: str,
    quantity: str,
    note: str,
    actor: Actor,
    now: datetime,
) -> dict[str, Any]:
    """A signed manual correction (``-3``, ``+0,250 kg``) with a note saying why."""
    if not note or not note.strip():
        raise InvalidInput([Problem(_("give the reason"), column="--note")])
    product = product_for(session, product_code)
    amount = _quantity(product, quantity.lstrip("+"), allow_negative=True)
    row = move(product, "correction", amount, at=now, actor=actor, note=note.strip())
    apply_moves(session, [row], now=now)
    audit.record(
        session,
        actor=actor,
        at=now,
        action="stock.correction",
        entity="product",
        entity_id=product.id,
        after={"quantity": amount},
        reason=note.strip(),
    )
    return row


def _quantity(product: Product, text: str, *, allow_negative: bool = False) -> int:
    try:
        return parse_quantity(product, text, allow_negative=allow_negative)
    except ValueError as error:
        raise InvalidInput([Problem(str(error), column="quantity")]) from error


def set_reorder(
    session: Session,
    *,
    product_code: str,
    minimum: str | None,
    lead_time_days: int | None,
    actor: Actor,
    now: datetime,
) -> StockLevel:
    """A product's low-stock threshold (a quantity, or "off") and its own supplier delay."""
    from coop.stock.models import StockLevel  # a sale maps neither class

    product = product_for(session, product_code)
    insert_missing(
        session,
        StockLevel,
        {"product_id": product.id, "quantity": 0, "updated_at": now},
        keys=["product_id"],
    )
    level = session.get(StockLevel, product.id, populate_existing=True)
    assert level is not None
    before = {"minimum": level.minimum, "lead_time_days": level.lead_time_days}
    if minimum is not None:
        level.minimum = None if minimum == "off" else _quantity(product, minimum)
    if lead_time_days is not None:
        if lead_time_days < 0:
            raise InvalidInput([Problem(_("expected a whole number"), column="--lead-time")])
        level.lead_time_days = lead_time_days
    level.updated_at = now
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="stock.reorder",
        entity="product",
        entity_id=product.id,
        before=before,
        after={"minimum": level.minimum, "lead_time_days": level.lead_time_days},
    )
    return level


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelRow:
    product: Product
    quantity: int
    minimum: int | None
    lead_time_days: int | None

    @property
    def value_cents(self) -> int | None:
        if self.quantity <= 0:
            return 0
        return value_cents(self.quantity, self.product.cost_cents, self.product.by_weight)

    def as_dict(self) -> dict[str, Any]:
        return {
            "product": self.product.code,
            "name": self.product.name,
            "unit": unit_word(self.product),
            "quantity": self.quantity,
            "quantity_text": format_quantity(self.product, self.quantity),
            "minimum": self.minimum,
            "lead_time_days": self.lead_time_days,
            "unit_cost_cents": self.product.cost_cents,
            "value_cents": self.value_cents,
        }


def levels(
    session: Session, *, only_low: bool = False, category: str | None = None
) -> list[LevelRow]:
    """Every product with a stock row (or, with ``only_low``, those at or below their minimum,
    and any negative stock, which shows a missed receipt), sorted by name."""
    from coop.stock.models import StockLevel  # a sale maps neither class

    query = select(Product, StockLevel).join(StockLevel, StockLevel.product_id == Product.id)
    if category is not None:
        query = query.where(Product.category == category)
    if only_low:
        query = query.where(
            (StockLevel.quantity < 0)
            | (StockLevel.minimum.is_not(None) & (StockLevel.quantity <= StockLevel.minimum))
        )
    rows = [
        LevelRow(product, level.quantity, level.minimum, level.lead_time_days)
        for product, level in session.execute(query)
    ]
    return sorted(rows, key=lambda row: (sort_key(row.product.name), row.product.id))


def level_of(session: Session, product: Product) -> int:
    from coop.stock.models import StockLevel  # a sale maps neither class

    return (
        session.scalar(select(StockLevel.quantity).where(StockLevel.product_id == product.id)) or 0
    )


def stock_value(session: Session) -> tuple[int, int]:
    """(value of the positive stock at current costs, products without a cost)."""
    total = unknown = 0
    for row in levels(session):
        value = row.value_cents
        if value is None:
            unknown += 1
        else:
            total += value
    return total, unknown


def history(session: Session, product: Product, *, limit: int = 50) -> list[StockMove]:
    from coop.stock.models import StockMove  # a sale maps neither class

    return list(
        session.scalars(
            select(StockMove)
            .where(StockMove.product_id == product.id)
            .order_by(StockMove.at.desc(), StockMove.id.desc())
            .limit(limit)
        )
    )


def cache_mismatches(session: Session) -> list[int]:
    """Products whose cached level is not the sum of their moves (should be none)."""
    from coop.stock.models import StockLevel, StockMove  # a sale maps neither class

    sums = (
        select(StockMove.product_id, func.sum(StockMove.quantity).label("total"))
        .group_by(StockMove.product_id)
        .subquery()
    )
    query = (
        select(StockLevel.product_id)
        .outerjoin(sums, sums.c.product_id == StockLevel.product_id)
        .where(StockLevel.quantity != func.coalesce(sums.c.total, 0))
    )
    return list(session.scalars(query))


# --- reorder suggestions ----------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    product: Product
    producer: Producer | None
    quantity: int  # in stock now
    sold: int  # over the window (net of refunds)
    daily: Decimal  # average sold per day
    lead_time_days: int
    minimum: int | None
    suggested: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "product": self.product.code,
            "name": self.product.name,
            "producer": self.producer.code if self.producer else None,
            "unit": unit_word(self.product),
            "quantity": self.quantity,
            "sold": self.sold,
            "daily": str(self.daily.quantize(Decimal("0.01"))),
            "lead_time_days": self.lead_time_days,
            "minimum": self.minimum,
            "suggested": self.suggested,
            "suggested_text": format_quantity(self.product, self.suggested),
        }


def reorder_suggestions(
    session: Session, *, today: date, settings: StockSettings, producer_code: str | None = None
) -> list[Suggestion]:
    """Products to reorder, from their sales over the last ``sales_window_days`` days (one
    grouped query), their stock and their supplier's delay; by producer, then name."""
    from coop.stock.models import StockLevel, StockMove  # a sale maps neither class

    window = settings.sales_window_days
    since = datetime.combine(today - timedelta(days=window), time(0), tzinfo=SHOP_TIMEZONE)
    until = datetime.combine(today, time(0), tzinfo=SHOP_TIMEZONE)
    sold_query = (
        select(StockMove.product_id, func.sum(StockMove.quantity))
        .where(
            StockMove.kind.in_(("sale", "refund")),
            StockMove.at >= since,
            StockMove.at < until,
        )
        .group_by(StockMove.product_id)
    )
    sold = {pid: -int(total) for pid, total in session.execute(sold_query)}
    query = (
        select(Product, StockLevel)
        .outerjoin(StockLevel, StockLevel.product_id == Product.id)
        .where(Product.active.is_(True))
    )
    if producer_code is not None:
        producer = catalog.get_producer(session, producer_code)
        query = query.where(Product.producer_id == producer.id)
    suggestions = []
    for product, level in session.execute(query):
        quantity = level.quantity if level is not None else 0
        minimum = level.minimum if level is not None else None
        sold_here = max(sold.get(product.id, 0), 0)
        if not sold_here and minimum is None:
            continue
        lead = (
            level.lead_time_days
            if level is not None and level.lead_time_days is not None
            else settings.lead_time_days
        )
        daily = Decimal(sold_here) / window if window else Decimal(0)
        wanted = suggest(daily, lead, settings.cover_days, minimum, quantity)
        if wanted > 0:
            suggestions.append(
                Suggestion(
                    product, product.producer, quantity, sold_here, daily, lead, minimum, wanted
                )
            )
    return sorted(
        suggestions,
        key=lambda s: (
            sort_key(s.producer.name) if s.producer else ("", ""),
            sort_key(s.product.name),
        ),
    )
