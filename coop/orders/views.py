"""What people and printed sheets read of a cycle: plain, frozen dataclasses, amounts rounded.

``cycle_view(session, code)`` returns a ``CycleView`` built with one query per kind of row
(articles with their suppliers, the ledger, allocations, deliveries, households, invoices), so
it costs the same for 5 or 500 households. Everything is already computed: the coordinator's
figures per article (Q, T, case size, cases, missing units, surplus or shortfall, what arrived
and where the surplus went), each household's lines and amounts (priced exactly as its invoice
is: ``coop.accounts.rules.price_invoice`` with prices excluding VAT), and the reconciliation of
the suppliers' total with the sum of the households' charges. ``as_dict`` gives the JSON of
``coop orders show --json``. Printed order sheets and packing lists are built from these values.

Quantities are in the article's step: pieces, or grams / millilitres when ``by_weight``.
Money is integer cents; VAT rates are basis points (550 is 5.5 %).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop.accounts.rules import InvoiceTotals
from coop.catalog.models import Producer, Product
from coop.members.models import Member
from coop.money import rate_to_bp
from coop.orders import allocation, rules
from coop.orders.models import (
    OrderAllocation,
    OrderArticle,
    OrderCharge,
    OrderCycle,
    OrderDelivery,
)
from coop.orders.pricing import (
    EMPTY,
    PricedArticle,
    Reconciliation,
    line_amount_cents,
    reconcile,
    vat_parts,
)
from coop.orders.rules import CycleState, Rounding
from coop.orders.service import get_cycle, suppliers_of

__all__ = [
    "ArticleView",
    "CycleSummary",
    "CycleView",
    "MemberLineView",
    "MemberView",
    "Reconciliation",
    "SupplierView",
    "as_dict",
    "cycle_view",
    "line_amount_cents",
    "list_view",
]


@dataclass(frozen=True)
class SupplierView:
    code: str
    name: str
    rounding: str
    contact_name: str | None
    email: str | None
    phone: str | None
    street: str | None
    postcode: str | None
    city: str | None
    excl_vat_cents: int
    """What the cycle orders from this supplier (units ordered, or received once received)."""
    vat_cents: int
    incl_vat_cents: int
    vat: tuple[tuple[int, int, int], ...] = ()
    """Per VAT rate: (rate in basis points, excl. VAT, VAT), VAT once per rate: the supplier's
    bill once the cycle is received (what arrived), the order's figures before."""


@dataclass(frozen=True)
class ArticleView:
    """One article as the coordinator sees it (reference §2.11) and the order sheet needs it."""

    reference: str
    name: str
    supplier_code: str
    product_code: str | None
    unit: str
    by_weight: bool
    case_size: int
    price_cents: int
    """Excl. VAT, per piece or per kg / litre (frozen)."""
    vat_rate_bp: int
    minimum: int | None
    rounding: str
    quantity: int
    """Q: firm quantities of all households."""
    tolerance: int
    """T: their tolerances."""
    households: int
    cases: int
    """Ordered cases (stored at close; before it, what closing now would order)."""
    units_ordered: int
    missing_units: int
    surplus: int
    """Units ordered beyond firm demand (served from tolerance, then to stock)."""
    shortfall: int
    """Firm units that will not be served."""
    tolerance_used: int
    needs_decision: bool
    received: int | None
    allocated: int
    """Units given to households (0 before closing)."""
    to_stock: int
    left_over: int
    line_excl_vat_cents: int
    """Supplier line: price × units received (or ordered before receipt)."""


@dataclass(frozen=True)
class MemberLineView:
    reference: str
    name: str
    supplier_code: str
    by_weight: bool
    unit: str
    quantity: int
    tolerance: int
    allocated: int | None
    """None before closing."""
    computed: int | None
    pinned: bool
    note: str | None
    price_cents: int
    vat_rate_bp: int
    excl_vat_cents: int
    """Of the allocated quantity (0 before closing)."""


@dataclass(frozen=True)
class MemberView:
    number: int
    name: str
    lines: tuple[MemberLineView, ...]
    excl_vat_cents: int
    vat_cents: int
    incl_vat_cents: int
    vat: tuple[tuple[int, int, int], ...]
    """Per VAT rate: (rate in basis points, excl. VAT, VAT), as the invoice prints it."""
    invoice: str | None
    """The invoice code once the cycle is settled."""
    sort_name: str = ""
    """ "Last First": how printed lists order households."""


@dataclass(frozen=True)
class CycleView:
    code: str
    name: str
    state: str
    phase: str
    strategy: str
    use_tolerance: bool
    opens_at: datetime
    closes_at: datetime
    boxfill_at: datetime | None
    delivery_on: date
    delivery_place: str | None
    suppliers: tuple[SupplierView, ...]
    articles: tuple[ArticleView, ...]
    """Sorted by supplier, then reference."""
    members: tuple[MemberView, ...]
    """Households with an order, sorted by number."""
    reconciliation: Reconciliation


class Given(NamedTuple):
    """One stored allocation row, as the view reads it."""

    quantity: int
    computed: int
    pinned: bool
    note: str | None


def cycle_view(
    session: Session,
    code: str,
    *,
    now: datetime | None = None,
    member_number: int | None = None,
    households: bool = True,
    demand: dict[int, allocation.ArticleDemand] | None = None,
) -> CycleView:
    """Everything about a cycle, computed; ``member_number`` keeps only that household;
    ``households=False`` leaves out the households and the reconciliation (the articles'
    figures only: what ``coop orders close`` prints, without reading every allocation);
    ``demand`` is the ledger as the caller just read it (``service.close_with_result``)."""
    cycle = get_cycle(session, code)
    if member_number is not None:  # an associated person sees their household's order
        from coop.accounts.service import holder
        from coop.members.service import get_by_number

        member_number = holder(get_by_number(session, member_number)).number
    state = CycleState(cycle.state)
    closed = state not in (CycleState.DRAFT, CycleState.OPEN)
    received_state = state in (CycleState.RECEIVED, CycleState.SETTLED)
    suppliers = suppliers_of(session, cycle)
    modes = {producer.id: Rounding(mode) for producer, mode in suppliers}
    codes = {producer.id: producer.code for producer, _mode in suppliers}
    rows = session.execute(
        select(OrderArticle, Product.barcode, Product.internal_code)
        .outerjoin(Product, Product.id == OrderArticle.product_id)
        .where(OrderArticle.cycle_id == cycle.id)
    ).all()
    articles = {article.id: (article, barcode or internal) for article, barcode, internal in rows}
    if demand is None:
        demand = allocation.load_demand(session, cycle, with_pins=False)
    allocations: dict[int, dict[int, Given]] = defaultdict(dict)
    if households:  # plain rows: no ORM object per allocation
        for article_id, stored in allocation.stored_allocations(session, cycle, None).items():
            for member_id, quantity, computed, pinned, note in stored:
                allocations[article_id][member_id] = Given(quantity, computed, pinned, note)
        given_by = {
            article_id: sum(row.quantity for row in rows.values())
            for article_id, rows in allocations.items()
        }
    else:
        given_by = {
            article_id: int(total)
            for article_id, total in session.execute(
                select(OrderAllocation.article_id, func.sum(OrderAllocation.quantity))
                .where(OrderAllocation.cycle_id == cycle.id)
                .group_by(OrderAllocation.article_id)
            )
        }
    deliveries = {
        row.article_id: row
        for row in session.scalars(
            select(OrderDelivery)
            .join(OrderArticle, OrderArticle.id == OrderDelivery.article_id)
            .where(OrderArticle.cycle_id == cycle.id)
        )
    }

    article_views: list[ArticleView] = []
    supplier_excl: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    priced: list[PricedArticle] = []
    for article, product_code in articles.values():
        entry = demand.get(article.id, allocation.ArticleDemand([], {}))
        mode = modes.get(article.producer_id, Rounding.FOODSOFT)
        summary = allocation.summarize_article(article, mode, entry.quantity, entry.tolerance)
        cases = article.cases if closed and article.cases is not None else summary.cases
        ordered = (
            article.ordered if closed and article.ordered is not None else summary.units_ordered
        )
        delivery = deliveries.get(article.id)
        received = delivery.received if delivery is not None else None
        given = given_by.get(article.id, 0)
        units = received if received_state and received is not None else ordered
        line_excl = line_amount_cents(article.price_cents, units, article.by_weight)
        supplier_excl[article.producer_id][article.vat_rate_bp] += line_excl
        priced.append(
            PricedArticle(
                article.id,
                article.name,
                article.price_cents,
                article.vat_rate_bp,
                article.by_weight,
                units,
                article.product_id,
            )
        )
        article_views.append(
            ArticleView(
                reference=article.reference,
                name=article.name,
                supplier_code=codes.get(article.producer_id, ""),
                product_code=product_code,
                unit=article.unit,
                by_weight=article.by_weight,
                case_size=article.case_size,
                price_cents=article.price_cents,
                vat_rate_bp=article.vat_rate_bp,
                minimum=article.minimum,
                rounding=mode.value,
                quantity=summary.quantity,
                tolerance=summary.tolerance,
                households=sum(1 for line in entry.lines if line.quantity or line.tolerance),
                cases=cases,
                units_ordered=ordered,
                missing_units=summary.missing_units,
                surplus=max(0, ordered - summary.quantity),
                shortfall=max(0, summary.quantity - ordered),
                tolerance_used=min(summary.tolerance, max(0, ordered - summary.quantity)),
                needs_decision=summary.needs_decision and not closed,
                received=received,
                allocated=given,
                to_stock=delivery.to_stock if delivery is not None else 0,
                left_over=delivery.left_over if delivery is not None else 0,
                line_excl_vat_cents=line_excl,
            )
        )
    article_views.sort(key=lambda view: (view.supplier_code, view.reference))

    supplier_views = []
    for producer, rounding in suppliers:
        parts = vat_parts(supplier_excl.get(producer.id, {}))
        supplier_views.append(_supplier_view(producer, rounding, parts))

    given_by_article = {
        article_id: {member_id: row.quantity for member_id, row in rows.items()}
        for article_id, rows in allocations.items()
    }
    member_views: list[MemberView] = []
    reconciliation = EMPTY
    if households:
        charges, reconciliation = reconcile(priced, given_by_article)
        if member_number is not None or not closed:
            # one household, or nothing allocated yet: nothing to reconcile
            reconciliation = EMPTY
        member_views = _members(
            session, cycle, articles, demand, allocations, codes, member_number, charges
        )
    return CycleView(
        code=cycle.code,
        name=cycle.name,
        state=cycle.state,
        phase=rules.phase(
            cycle.state,
            now or cycle.updated_at,
            opens_at=cycle.opens_at,
            closes_at=cycle.closes_at,
            boxfill_at=cycle.boxfill_at,
        ),
        strategy=cycle.strategy,
        use_tolerance=cycle.use_tolerance,
        opens_at=cycle.opens_at,
        closes_at=cycle.closes_at,
        boxfill_at=cycle.boxfill_at,
        delivery_on=cycle.delivery_on,
        delivery_place=cycle.delivery_place,
        suppliers=tuple(supplier_views),
        articles=tuple(article_views),
        members=tuple(member_views),
        reconciliation=reconciliation,
    )


def _supplier_view(
    producer: Producer, mode: str, parts: tuple[tuple[int, int, int], ...]
) -> SupplierView:
    excl = sum(part[1] for part in parts)
    vat = sum(part[2] for part in parts)
    return SupplierView(
        code=producer.code,
        name=producer.name,
        rounding=mode,
        contact_name=producer.contact_name,
        email=producer.email,
        phone=producer.phone,
        street=producer.street,
        postcode=producer.postcode,
        city=producer.city,
        excl_vat_cents=excl,
        vat_cents=vat,
        incl_vat_cents=excl + vat,
        vat=parts,
    )


def _members(
    session: Session,
    cycle: OrderCycle,
    articles: dict[int, tuple[OrderArticle, str | None]],
    demand: dict[int, allocation.ArticleDemand],
    allocations: dict[int, dict[int, Given]],
    codes: dict[int, str],
    member_number: int | None,
    charges: dict[int, InvoiceTotals],
) -> list[MemberView]:
    from coop.accounts.models import Invoice  # the households' part only (`--json`, `show`)

    closed = CycleState(cycle.state) not in (CycleState.DRAFT, CycleState.OPEN)
    per_member: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    for article_id, entry in demand.items():
        for line in entry.lines:
            per_member[line.member_id][article_id] = (line.quantity, line.tolerance)
    for article_id, rows in allocations.items():
        for member_id in rows:
            per_member[member_id].setdefault(article_id, (0, 0))
    people = {
        member.id: member
        for member in session.scalars(select(Member).where(Member.id.in_(list(per_member))))
    }
    invoices = dict(
        session.execute(
            select(OrderCharge.member_id, Invoice)
            .join(Invoice, Invoice.id == OrderCharge.invoice_id)
            .where(OrderCharge.cycle_id == cycle.id)
        ).all()
    )
    views = []
    for member_id, wanted in per_member.items():
        member = people[member_id]
        if member_number is not None and member.number != member_number:
            continue
        lines = []
        for article_id, (quantity, tolerance) in wanted.items():
            article, _code = articles[article_id]
            row = allocations.get(article_id, {}).get(member_id)
            allocated = row.quantity if row is not None else (0 if closed else None)
            excl = (
                line_amount_cents(article.price_cents, allocated, article.by_weight)
                if allocated
                else 0
            )
            lines.append(
                MemberLineView(
                    reference=article.reference,
                    name=article.name,
                    supplier_code=codes.get(article.producer_id, ""),
                    by_weight=article.by_weight,
                    unit=article.unit,
                    quantity=quantity,
                    tolerance=tolerance,
                    allocated=allocated,
                    computed=row.computed if row is not None else None,
                    pinned=row.pinned if row is not None else False,
                    note=row.note if row is not None else None,
                    price_cents=article.price_cents,
                    vat_rate_bp=article.vat_rate_bp,
                    excl_vat_cents=excl,
                )
            )
        lines.sort(key=lambda line: (line.supplier_code, line.reference))
        vat: tuple[tuple[int, int, int], ...] = ()
        excl_total = vat_total = 0
        totals = charges.get(member_id)
        if totals is not None:
            vat = tuple((rate_to_bp(split.rate), split.excl_vat, split.vat) for split in totals.vat)
            excl_total, vat_total = totals.excl_vat_cents, totals.vat_cents
        invoice = invoices.get(member_id)
        views.append(
            MemberView(
                number=member.number,
                name=member.full_name,
                lines=tuple(lines),
                excl_vat_cents=excl_total,
                vat_cents=vat_total,
                incl_vat_cents=excl_total + vat_total,
                vat=vat,
                invoice=invoice.code if invoice is not None else None,
                sort_name=f"{member.last_name} {member.first_name}",
            )
        )
    views.sort(key=lambda view: view.number)
    return views


def as_dict(view: Any) -> dict[str, Any]:
    """The view as JSON-ready values (times and dates in ISO 8601), the same values as
    ``dataclasses.asdict`` with tuples as lists, read field by field without its deep copies
    (a cycle of 500 households has 30,000 lines)."""
    converted: dict[str, Any] = _plain(view)
    return converted


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float):  # bool is an int
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    names = _FIELDS.get(type(value))
    if names is None:
        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            return value
        names = _FIELDS[type(value)] = tuple(f.name for f in dataclasses.fields(value))
    return {name: _plain(getattr(value, name)) for name in names}


_FIELDS: dict[type, tuple[str, ...]] = {}
"""Each dataclass's field names, read once."""


@dataclass(frozen=True)
class CycleSummary:
    code: str
    name: str
    state: str
    phase: str
    suppliers: tuple[str, ...]
    opens_at: datetime
    closes_at: datetime
    delivery_on: date
    articles: int


def list_view(session: Session, *, now: datetime) -> list[CycleSummary]:
    """Every cycle, oldest window first, in two queries."""
    from sqlalchemy import func

    from coop.orders.models import OrderCycleSupplier

    counts = dict(
        session.execute(
            select(OrderArticle.cycle_id, func.count(OrderArticle.id)).group_by(
                OrderArticle.cycle_id
            )
        ).all()
    )
    suppliers: dict[int, list[str]] = defaultdict(list)
    for cycle_id, code in session.execute(
        select(OrderCycleSupplier.cycle_id, Producer.code)
        .join(Producer, Producer.id == OrderCycleSupplier.producer_id)
        .order_by(Producer.code)
    ):
        suppliers[cycle_id].append(code)
    return [
        CycleSummary(
            code=cycle.code,
            name=cycle.name,
            state=cycle.state,
            phase=rules.phase(
                cycle.state,
                now,
                opens_at=cycle.opens_at,
                closes_at=cycle.closes_at,
                boxfill_at=cycle.boxfill_at,
            ),
            suppliers=tuple(suppliers.get(cycle.id, [])),
            opens_at=cycle.opens_at,
            closes_at=cycle.closes_at,
            delivery_on=cycle.delivery_on,
            articles=counts.get(cycle.id, 0),
        )
        for cycle in session.scalars(
            select(OrderCycle).order_by(OrderCycle.opens_at, OrderCycle.id)
        )
    ]
