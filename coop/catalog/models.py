"""Mapped classes of the catalogue: producers (and suppliers) and the products the shop sells.

Money is integer cents. A VAT rate is an integer in basis points (hundredths of a percent:
550 is 5.5 %), exact and identical on SQLite and PostgreSQL; ``Product.vat_rate`` gives it as a
Decimal in percent. A product sold by weight (bulk, "vrac") is priced per kilogram or per litre.
A deposit (consigne) is itself a product, usually at VAT 0, that other products point at.
The tables themselves are declared in ``coop.catalog.tables`` (Core ``Table`` objects, cheaper
to declare at every start than annotated columns); the classes are mapped onto them, their
column attributes typed for mypy only (declarative reads the columns from the table).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy.orm import Mapped, relationship

from coop.catalog import tables
from coop.catalog.tables import WEIGHED_UNITS, Unit
from coop.db import Base
from coop.money import bp_to_rate

__all__ = ["WEIGHED_UNITS", "BarcodeRule", "Producer", "Product", "Unit"]


class Producer(Base):
    """A producer or supplier (farmer, wholesaler...) whose products the shop sells."""

    __table__ = tables.PRODUCERS

    if TYPE_CHECKING:
        id: Mapped[int]
        code: Mapped[str]
        """Short upper-case slug ("FERME-DU-MOULIN") by which files refer to the producer."""
        name: Mapped[str]
        contact_name: Mapped[str | None]
        email: Mapped[str | None]
        phone: Mapped[str | None]
        street: Mapped[str | None]
        postcode: Mapped[str | None]
        city: Mapped[str | None]
        siret: Mapped[str | None]
        """French establishment number, 14 digits without spaces, check digit validated."""
        notes: Mapped[str | None]
        active: Mapped[bool]
        created_at: Mapped[datetime]
        updated_at: Mapped[datetime]


class Product(Base):
    """Something the till sells, found by its barcode or by an internal code (bulk, no EAN)."""

    __table__ = tables.PRODUCTS

    if TYPE_CHECKING:
        id: Mapped[int]
        barcode: Mapped[str | None]
        """EAN-13 or EAN-8 digits; a 12-digit UPC-A is stored as its EAN-13 (leading 0)."""
        internal_code: Mapped[str | None]
        """The shop's own code (upper case) for products without a barcode: bulk bins, bread..."""
        name: Mapped[str]
        producer_id: Mapped[int | None]
        unit: Mapped[str]
        """A Unit value: what ``price_cents`` is for."""
        by_weight: Mapped[bool]
        """Weighed at the till (bulk): the price is per kg or per litre, quantities in g or ml."""
        price_cents: Mapped[int]
        """Selling price including VAT, per unit."""
        vat_rate_bp: Mapped[int]
        """VAT rate in basis points: 550 is 5.5 %."""
        cost_cents: Mapped[int | None]
        """Purchase cost excluding VAT, per unit (for margins); unknown when empty."""
        category: Mapped[str | None]
        supplier_ref: Mapped[str | None]
        """The producer's or wholesaler's own reference, printed on order sheets."""
        deposit_product_id: Mapped[int | None]
        """The deposit (consigne) charged with each unit, itself a product."""
        active: Mapped[bool]
        created_at: Mapped[datetime]
        updated_at: Mapped[datetime]

    producer: Mapped[Producer | None] = relationship(lazy="joined")
    deposit: Mapped[Product | None] = relationship(remote_side=[tables.PRODUCTS.c.id])

    @property
    def vat_rate(self) -> Decimal:
        """The VAT rate in percent, exact: Decimal('5.5')."""
        return bp_to_rate(self.vat_rate_bp)

    @property
    def code(self) -> str:
        """What identifies the product to a person: its barcode, else its internal code."""
        return self.barcode or self.internal_code or ""


class BarcodeRule(Base):
    """One line of the coop's barcode nomenclature (``coop.scanning.NomenclatureRule``).

    Seeded with ``barcodes.DEFAULT_RULES`` by the migration; the coop edits them (each scale
    brand prints its own layout). Rules are tried by ascending ``priority``.
    """

    __table__ = tables.BARCODE_RULES

    if TYPE_CHECKING:
        id: Mapped[int]
        name: Mapped[str]
        kind: Mapped[str]
        """A ScanKind value: member_card, weight, price, product, internal, discount."""
        priority: Mapped[int]
        pattern: Mapped[str]
        encoding: Mapped[str]
        lookup: Mapped[str]
        verify_check_digit: Mapped[bool]
        length: Mapped[int | None]
        created_at: Mapped[datetime]
        updated_at: Mapped[datetime]
