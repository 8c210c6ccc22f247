"""A cycle's articles: from a supplier's CSV price list, or from the catalogue's products.

The supplier CSV (French Excel or plain, ``;`` or ``,``; see the README) has the columns
``reference``, ``name``, ``unit`` (piece, kg or l), ``case_size`` (pieces per case, or the
case's weight for kg / l: ``5`` or ``5 kg`` is 5000 g; empty: no case), ``price`` (excl. VAT,
per piece or per kg / litre), ``vat_rate``, ``minimum`` (minimum order quantity, a whole number
of cases; optional) and ``product`` (optional: the catalogue product's barcode or internal code,
whose surplus then goes to shop stock). Without ``product``, a catalogue product of the same
supplier whose ``supplier_ref`` is the reference is linked. The file is checked as a whole:
every problem is listed with its file, line and column, and nothing is imported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.catalog import service as catalog
from coop.catalog.models import Producer, Product
from coop.csvio import Column, RowReader, read_table
from coop.db import table_of
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.money import MoneyError, parse_amount, parse_rate, rate_to_bp, split_vat
from coop.orders.models import OrderArticle, OrderCycle, OrderCycleSupplier
from coop.orders.rules import CycleState
from coop.orders.service import OrderRefused, get_cycle
from coop.units import GRAMS_PER_KG

ARTICLE_COLUMNS = (
    Column(
        "reference",
        required=True,
        aliases=("ref", "référence", "reference_fournisseur", "code_article", "article"),
    ),
    Column("name", required=True, aliases=("nom", "désignation", "designation", "libellé")),
    Column("unit", required=True, aliases=("unité", "unite")),
    Column("case_size", aliases=("colisage", "carton", "colis", "conditionnement")),
    Column("price", required=True, aliases=("prix_ht", "prix", "price_excl_vat", "pu_ht")),
    Column("vat_rate", required=True, aliases=("tva", "taux_tva")),
    Column("minimum", aliases=("minimum_commande", "qte_min", "quantité_minimum", "min")),
    Column("product", aliases=("produit", "code_barre", "barcode", "ean", "code")),
)
UNITS = {"piece": "piece", "pièce": "piece", "pc": "piece", "kg": "kg", "l": "l", "litre": "l"}


@dataclass(frozen=True)
class ImportReport:
    articles: int
    linked: int
    """Articles linked to a catalogue product (their surplus goes to stock)."""


def _importable(session: Session, code: str, supplier_code: str) -> tuple[OrderCycle, Producer]:
    cycle = get_cycle(session, code, lock=True)
    if CycleState(cycle.state) not in (CycleState.DRAFT, CycleState.OPEN):
        raise OrderRefused(
            _("The order cycle {code} is closed: articles can no longer be added.").format(
                code=cycle.code
            )
        )
    producer = catalog.get_producer(session, supplier_code)
    in_cycle = session.scalar(
        select(OrderCycleSupplier.producer_id).where(
            OrderCycleSupplier.cycle_id == cycle.id, OrderCycleSupplier.producer_id == producer.id
        )
    )
    if in_cycle is None:
        raise InvalidInput(
            [
                Problem(
                    _("{supplier} is not a supplier of the order cycle {code}").format(
                        supplier=producer.code, code=cycle.code
                    ),
                    column="--supplier",
                )
            ]
        )
    return cycle, producer


def _existing(session: Session, cycle: OrderCycle) -> set[str]:
    return set(
        session.scalars(select(OrderArticle.reference).where(OrderArticle.cycle_id == cycle.id))
    )


def _amount(text: str, weighed: bool) -> int:
    """A case size or minimum: pieces, or kg (``5``, ``2,5 kg``) / grams (``500 g``)."""
    cleaned = text.strip().lower().replace(" ", "").replace("\xa0", "").replace("\u202f", "")
    for suffix, factor in (("kg", GRAMS_PER_KG), ("ml", 1), ("g", 1), ("l", GRAMS_PER_KG)):
        if cleaned.endswith(suffix):
            number, scale = cleaned[: -len(suffix)], factor
            break
    else:
        number, scale = cleaned, GRAMS_PER_KG if weighed else 1
    try:
        value = Decimal(number.replace(",", ".")) * scale
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite() or value != value.to_integral_value() or value < 1:
        raise ValueError(
            _("“{text}” is not a weight (expected 5 or 5 kg or 500 g)").format(text=text)
            if weighed
            else _("“{text}” is not a whole number of pieces").format(text=text)
        )
    if scale != 1 and not weighed:
        raise ValueError(_("“{text}” is not a whole number of pieces").format(text=text))
    return int(value)


def _price(text: str) -> int:
    try:
        cents = parse_amount(text)
    except MoneyError as error:
        raise ValueError(str(error)) from error
    if cents < 0:
        raise ValueError(_("a price cannot be negative"))
    return cents


def _rate(text: str) -> Decimal:
    try:
        return parse_rate(text)
    except MoneyError as error:
        raise ValueError(str(error)) from error


def _products(session: Session, codes: Iterable[str]) -> dict[str, Product]:
    wanted = {code.strip().upper() for code in codes if code.strip()}
    found = dict(catalog.products_by_barcodes(session, [c for c in wanted if c.isdigit()]))
    rest = [code for code in wanted if code not in found]
    if rest:
        for product in session.scalars(select(Product).where(Product.internal_code.in_(rest))):
            found[product.internal_code or ""] = product
    return found


def import_articles(
    session: Session,
    *,
    code: str,
    supplier_code: str,
    path: Path | str,
    actor: Actor,
    now: datetime,
) -> ImportReport:
    """Add a supplier's price list to a cycle (draft or open), all or nothing."""
    cycle, producer = _importable(session, code, supplier_code)
    table = read_table(path, ARTICLE_COLUMNS)
    problems: list[Problem] = []
    existing = _existing(session, cycle)
    products = _products(session, (row.values.get("product", "") for row in table.rows))
    by_ref = {
        product.supplier_ref: product
        for product in session.scalars(
            select(Product).where(
                Product.producer_id == producer.id, Product.supplier_ref.is_not(None)
            )
        )
    }
    seen: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    for row in table.rows:
        reader = RowReader(table, row, problems)
        reference = reader.text("reference", required=True, max_length=64)
        name = reader.text("name", required=True)
        unit = reader.custom("unit", _unit, required=True)
        weighed = unit in ("kg", "l")
        case_size = reader.custom("case_size", partial(_amount, weighed=weighed)) or 1
        price = reader.custom("price", _price, required=True)
        rate = reader.custom("vat_rate", _rate, required=True)
        minimum = reader.custom("minimum", partial(_amount, weighed=weighed))
        product_code = reader.raw("product")
        product = None
        if product_code:
            product = products.get(product_code.strip().upper())
            if product is None:
                reader.fail(
                    "product",
                    _("no product has the barcode or internal code {code}").format(
                        code=product_code
                    ),
                )
        elif reference:
            product = by_ref.get(reference)
        if product is not None and unit is not None and product.by_weight != weighed:
            reader.fail(
                "unit",
                _("{name} is sold by weight in the shop: use kg or l").format(name=product.name)
                if product.by_weight
                else _("{name} is sold by the piece in the shop: use piece").format(
                    name=product.name
                ),
            )
        if reference is not None:
            if reference in existing:
                reader.fail(
                    "reference",
                    _("the order cycle {code} already has an article {reference}").format(
                        code=cycle.code, reference=reference
                    ),
                )
            elif reference in seen:
                reader.fail(
                    "reference",
                    _("reference given twice (first on line {line})").format(line=seen[reference]),
                )
            seen.setdefault(reference, row.line)
        if minimum is not None and case_size and minimum % case_size:
            reader.fail(
                "minimum",
                _("the minimum must be a whole number of cases of {size}").format(size=case_size),
            )
        if None in (reference, name, unit, price, rate):
            continue
        rows.append(
            {
                "cycle_id": cycle.id,
                "producer_id": producer.id,
                "product_id": product.id if product is not None else None,
                "reference": reference,
                "name": name,
                "unit": unit,
                "by_weight": weighed,
                "case_size": case_size,
                "price_cents": price,
                "vat_rate_bp": rate_to_bp(rate),
                "minimum": minimum,
            }
        )
    if problems:
        raise InvalidInput(problems)
    if not rows:
        raise InvalidInput([Problem(_("the file has no articles"), source=table.source)])
    session.execute(insert(table_of(OrderArticle)), rows)
    report = ImportReport(len(rows), sum(1 for row in rows if row["product_id"] is not None))
    _audit(session, cycle, producer, report, str(path), actor=actor, now=now)
    return report


def _unit(text: str) -> str:
    unit = UNITS.get(text.strip().lower())
    if unit is None:
        raise ValueError(
            _("“{value}” is not one of: {options}").format(value=text, options="piece, kg, l")
        )
    return unit


def add_catalogue_articles(
    session: Session, *, code: str, supplier_code: str, actor: Actor, now: datetime
) -> ImportReport:
    """Every active catalogue product of the supplier becomes an article without a case, at its
    cost excl. VAT (or its shop price without VAT when no cost is known), frozen now."""
    cycle, producer = _importable(session, code, supplier_code)
    existing = _existing(session, cycle)
    rows = []
    for product in session.scalars(
        select(Product)
        .where(Product.producer_id == producer.id, Product.active.is_(True))
        .order_by(Product.name, Product.id)
    ):
        reference = product.supplier_ref or product.code
        if reference in existing or product.category == "Consigne":
            continue
        existing.add(reference)
        price = product.cost_cents
        if price is None:
            price = split_vat(product.price_cents, product.vat_rate).excl_vat
        rows.append(
            {
                "cycle_id": cycle.id,
                "producer_id": producer.id,
                "product_id": product.id,
                "reference": reference,
                "name": product.name,
                "unit": product.unit,
                "by_weight": product.by_weight,
                "case_size": 1,
                "price_cents": price,
                "vat_rate_bp": product.vat_rate_bp,
                "minimum": None,
            }
        )
    if not rows:
        raise InvalidInput(
            [
                Problem(
                    _("{supplier} has no active products to add").format(supplier=producer.code),
                    column="--supplier",
                )
            ]
        )
    session.execute(insert(table_of(OrderArticle)), rows)
    report = ImportReport(len(rows), len(rows))
    _audit(session, cycle, producer, report, "catalogue", actor=actor, now=now)
    return report


def _audit(
    session: Session,
    cycle: OrderCycle,
    producer: Producer,
    report: ImportReport,
    source: str,
    *,
    actor: Actor,
    now: datetime,
) -> None:
    audit.record(
        session,
        actor=actor,
        at=now,
        action="orders.import_articles",
        entity="order_cycle",
        entity_id=cycle.code,
        after={
            "supplier": producer.code,
            "source": source,
            "articles": report.articles,
            "linked": report.linked,
        },
    )
