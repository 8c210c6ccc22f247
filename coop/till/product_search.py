"""Products by name at the counter: accent-insensitive, best match first, with the members
search's machinery (``coop.members.search.NameIndex`` over folded names, rebuilt only when the
catalogue changed), and the quick keys of unlabelled products (``[till] quick_keys``).

A hit carries the code the counter scans for it (the barcode, else the internal code), so a
product chosen by name goes through the same scan as one read by the scanner.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.orm import Session

from coop.catalog import scan as scanning
from coop.catalog.models import Product
from coop.members.search import NameIndex
from coop.text import fold

QUICK_KEYS = "123456789abcdefghijklmnopqrstuvwxyz"
"""The keys of the quick-key grid, in the order of ``[till] quick_keys``."""


@dataclass(frozen=True)
class ProductHit:
    code: str
    """What the counter scans for it: the barcode, else the internal code."""
    name: str
    price_cents: int
    by_weight: bool


@dataclass(frozen=True)
class QuickKey:
    key: str
    hit: ProductHit | None
    code: str
    """As configured (``hit`` is None when no active product has it)."""


def _hit(product: Product) -> ProductHit:
    return ProductHit(
        product.barcode or product.internal_code or "",
        product.name,
        product.price_cents,
        product.by_weight,
    )


_cache: weakref.WeakKeyDictionary[Engine, tuple[tuple[Any, ...], NameIndex]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def _index(session: Session) -> NameIndex:
    """Folded names of the products on sale, rebuilt when the catalogue changed."""
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    signature = tuple(
        session.execute(
            select(func.count(Product.id), func.max(Product.updated_at), func.max(Product.id))
        ).one()
    )
    with _lock:
        cached = _cache.get(engine)
        if cached and cached[0] == signature:
            return cached[1]
    rows = session.execute(
        select(Product.id, Product.name)
        .where(Product.active.is_(True))
        .where((Product.barcode.is_not(None)) | (Product.internal_code.is_not(None)))
        .order_by(Product.id)
    ).all()
    index = NameIndex([(row.id, row.id, fold(row.name)) for row in rows])
    with _lock:
        _cache[engine] = (signature, index)
    return index


def _has_words(name: str, words: list[str]) -> bool:
    """Every typed word starts a word of the folded name ("pain camp" in "pain de campagne")."""
    own = name.replace("'", " ").split()
    return all(any(word.startswith(typed) for word in own) for typed in words)


def search_products(session: Session, query: str, limit: int = 10) -> list[ProductHit]:
    """Products whose name looks like ``query``, best first ("pain cpmagne" finds "Pain de
    campagne 1 kg"; accents and case do not matter)."""
    hits = _index(session).search(query, limit=limit * 3)
    if not hits:
        return []
    # names holding every word typed (as the start of one of theirs) come first
    words = fold(query).split()
    ranked = sorted(hits, key=lambda hit: not _has_words(hit.name, words))[:limit]
    ids = [hit.member_id for hit in ranked]
    products = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))}
    return [_hit(products[i]) for i in ids if i in products]


def quick_keys(session: Session, codes: Sequence[str]) -> list[QuickKey]:
    """The grid: each configured code with its key (1–9, then a–z) and its product; without
    configured codes, the products on sale with an internal code and no barcode, by name."""
    if not codes:
        unlabelled = session.scalars(
            select(Product)
            .where(Product.active.is_(True), Product.barcode.is_(None))
            .where(Product.internal_code.is_not(None))
            .order_by(Product.name)
            .limit(len(QUICK_KEYS))
        ).all()
        return [
            QuickKey(key, _hit(product), product.internal_code or "")
            for key, product in zip(QUICK_KEYS, unlabelled, strict=False)
        ]
    codes = list(codes)[: len(QUICK_KEYS)]
    reads = scanning.resolve_many(session, codes, scanning.load_rules(session))
    return [
        QuickKey(key, _hit(read.product) if read.product is not None and read.ok else None, code)
        for key, code, read in zip(QUICK_KEYS, codes, reads, strict=False)
    ]
