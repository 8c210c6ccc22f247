"""Looking things up in the catalogue: the till's scan lookups, lists and counts for screens.

Lookups return None when nothing matches (an unknown scan is an everyday event at a till);
``get_product`` and ``get_producer`` raise NotFound with a sentence for the command line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from coop.catalog.models import Producer, Product
from coop.errors import NotFound
from coop.i18n import _
from coop.text import sort_key


def barcode_candidates(code: str) -> tuple[str, ...]:
    """The stored forms a scanned barcode may have: a UPC-A (12 digits) is stored as its EAN-13."""
    digits = re.sub(r"\s", "", code)
    if len(digits) == 12 and digits.isdigit():
        return ("0" + digits,)
    return (digits,)


def product_by_barcode(session: Session, code: str) -> Product | None:
    """The product with this EAN-13/EAN-8/UPC-A, or None (the scan is not cleaned here:
    pass what ``coop.scanning`` read, e.g. a ScanResult's ``lookup_code``)."""
    return products_by_barcodes(session, [code]).get(code)


def products_by_barcodes(session: Session, codes: Iterable[str]) -> dict[str, Product]:
    """Many barcodes in one query (a ScanResult's ``lookup_codes``, a stock count): code → product.

    Each code is a key of the result as it was given, when a product has it.
    """
    wanted: dict[str, str] = {}
    for code in codes:
        for candidate in barcode_candidates(code):
            wanted.setdefault(candidate, code)
    if not wanted:
        return {}
    found = session.scalars(select(Product).where(Product.barcode.in_(wanted)))
    return {wanted[product.barcode]: product for product in found if product.barcode}


def product_by_internal_code(session: Session, code: str) -> Product | None:
    """The product with this internal code (case does not matter), or None."""
    return session.scalar(select(Product).where(Product.internal_code == code.strip().upper()))


def find_product(session: Session, code: str) -> Product | None:
    """What a cashier typed or scanned: a barcode first, then an internal code."""
    code = code.strip()
    if not code:
        return None
    if code.isdigit():
        product = product_by_barcode(session, code)
        if product is not None:
            return product
    return product_by_internal_code(session, code)


def get_product(session: Session, code: str) -> Product:
    product = find_product(session, code)
    if product is None:
        raise NotFound(_("No product has the barcode or internal code {code}.").format(code=code))
    return product


def producer_by_code(session: Session, code: str) -> Producer | None:
    """The producer with this code (case does not matter), or None."""
    return session.scalar(select(Producer).where(Producer.code == code.strip().upper()))


def get_producer(session: Session, code: str) -> Producer:
    producer = producer_by_code(session, code)
    if producer is None:
        raise NotFound(_("No producer has the code {code}.").format(code=code))
    return producer


def _product_filters(
    query: Select[Any],
    *,
    active: bool | None,
    producer_code: str | None,
    category: str | None,
    search: str | None,
) -> Select[Any]:
    if active is not None:
        query = query.where(Product.active.is_(active))
    if producer_code is not None:
        query = query.join(Producer, Product.producer_id == Producer.id).where(
            Producer.code == producer_code.strip().upper()
        )
    if category is not None:
        query = query.where(Product.category == category)
    if search and search.strip():
        words = search.strip()
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", words) + "%"
        query = query.where(
            or_(
                Product.name.ilike(pattern, escape="\\"),
                Product.barcode.startswith(words, autoescape=True),
                Product.internal_code.startswith(words.upper(), autoescape=True),
            )
        )
    return query


def list_products(
    session: Session,
    *,
    active: bool | None = None,
    producer_code: str | None = None,
    category: str | None = None,
    search: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Product]:
    """Products by name (accents and case ignored, the same on SQLite and PostgreSQL),
    optionally only active ones, of one producer or category, or whose name contains
    ``search`` (case-insensitive) or whose barcode or internal code starts with it."""
    query = _product_filters(
        cast("Select[Any]", select(Product.id, Product.name)),
        active=active,
        producer_code=producer_code,
        category=category,
        search=search,
    )
    ordered = sorted(session.execute(query), key=lambda row: (sort_key(row.name), row.id))
    page = [row.id for row in ordered[offset : None if limit is None else offset + limit]]
    if not page:
        return []
    found = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(page)))}
    return [found[product_id] for product_id in page]


def count_products(
    session: Session,
    *,
    active: bool | None = None,
    producer_code: str | None = None,
    category: str | None = None,
    search: str | None = None,
) -> int:
    query = _product_filters(
        select(func.count(Product.id)),
        active=active,
        producer_code=producer_code,
        category=category,
        search=search,
    )
    return session.scalar(query) or 0


def list_producers(session: Session, *, active: bool | None = None) -> list[Producer]:
    """Producers by name (accents and case ignored)."""
    query = select(Producer)
    if active is not None:
        query = query.where(Producer.active.is_(active))
    return sorted(session.scalars(query), key=lambda p: (sort_key(p.name), p.id))


def count_producers(session: Session, *, active: bool | None = None) -> int:
    query = select(func.count(Producer.id))
    if active is not None:
        query = query.where(Producer.active.is_(active))
    return session.scalar(query) or 0


def categories(session: Session) -> list[str]:
    """The categories in use, sorted."""
    query = select(Product.category).where(Product.category.is_not(None)).distinct()
    return sorted(category for category in session.scalars(query) if category)


def deposit_product_ids(session: Session) -> set[int]:
    """The products that other products carry as their deposit (what the till refunds)."""
    query = select(Product.deposit_product_id).where(Product.deposit_product_id.is_not(None))
    return {product_id for product_id in session.scalars(query.distinct()) if product_id}
