"""Tables of the catalogue: producers (and suppliers) and the products the shop sells.

Money is integer cents. A VAT rate is an integer in basis points (hundredths of a percent:
550 is 5.5 %), exact and identical on SQLite and PostgreSQL; ``Product.vat_rate`` gives it as a
Decimal in percent. A product sold by weight (bulk, "vrac") is priced per kilogram or per litre.
A deposit (consigne) is itself a product, usually at VAT 0, that other products point at.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.db import Base, UTCDateTime
from coop.money import bp_to_rate


class Unit(StrEnum):
    """The unit a price is for: a piece, a kilogram or a litre."""

    PIECE = "piece"
    KG = "kg"
    LITRE = "l"


WEIGHED_UNITS = (Unit.KG, Unit.LITRE)


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


class Producer(Base):
    """A producer or supplier (farmer, wholesaler...) whose products the shop sells."""

    __tablename__ = "producers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    """Short upper-case slug ("FERME-DU-MOULIN") by which files refer to the producer."""
    name: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    street: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(100))
    siret: Mapped[str | None] = mapped_column(String(14))
    """French establishment number, 14 digits without spaces, check digit validated."""
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    __table_args__ = (
        CheckConstraint("code <> ''", name="code_not_empty"),
        CheckConstraint("siret IS NULL OR length(siret) = 14", name="siret_length"),
    )


class Product(Base):
    """Something the till sells, found by its barcode or by an internal code (bulk, no EAN)."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    barcode: Mapped[str | None] = mapped_column(String(13), unique=True)
    """EAN-13 or EAN-8 digits; a 12-digit UPC-A is stored as its EAN-13 (leading 0)."""
    internal_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    """The shop's own code (upper case) for products without a barcode: bulk bins, bread..."""
    name: Mapped[str] = mapped_column(String(200))
    producer_id: Mapped[int | None] = mapped_column(
        ForeignKey("producers.id", ondelete="RESTRICT"), index=True
    )
    unit: Mapped[str] = mapped_column(String(8), default=Unit.PIECE.value)
    """A Unit value: what ``price_cents`` is for."""
    by_weight: Mapped[bool] = mapped_column(Boolean, default=False)
    """Weighed at the till (bulk): the price is per kg or per litre, quantities in g or ml."""
    price_cents: Mapped[int] = mapped_column(Integer)
    """Selling price including VAT, per unit."""
    vat_rate_bp: Mapped[int] = mapped_column(Integer)
    """VAT rate in basis points: 550 is 5.5 %."""
    cost_cents: Mapped[int | None] = mapped_column(Integer)
    """Purchase cost excluding VAT, per unit (for margins); unknown when empty."""
    category: Mapped[str | None] = mapped_column(String(80), index=True)
    supplier_ref: Mapped[str | None] = mapped_column(String(64))
    """The producer's or wholesaler's own reference, printed on order sheets."""
    deposit_product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), index=True
    )
    """The deposit (consigne) charged with each unit, itself a product."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    producer: Mapped[Producer | None] = relationship(lazy="joined")
    deposit: Mapped[Product | None] = relationship(remote_side=[id])

    __table_args__ = (
        CheckConstraint(
            "barcode IS NOT NULL OR internal_code IS NOT NULL", name="barcode_or_internal_code"
        ),
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
        CheckConstraint("cost_cents IS NULL OR cost_cents >= 0", name="cost_not_negative"),
        CheckConstraint("vat_rate_bp >= 0 AND vat_rate_bp < 10000", name="vat_rate_range"),
        CheckConstraint(f"unit IN ({_in(tuple(Unit))})", name="unit_known"),
        CheckConstraint(f"NOT by_weight OR unit IN ({_in(WEIGHED_UNITS)})", name="by_weight_unit"),
        CheckConstraint(
            "deposit_product_id IS NULL OR deposit_product_id <> id", name="not_own_deposit"
        ),
        CheckConstraint("barcode IS NULL OR length(barcode) IN (8, 13)", name="barcode_length"),
    )

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

    __tablename__ = "barcode_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    """A ScanKind value: member_card, weight, price, product, internal, discount."""
    priority: Mapped[int] = mapped_column(Integer)
    pattern: Mapped[str] = mapped_column(String(64))
    encoding: Mapped[str] = mapped_column(String(8), default="ean13")
    lookup: Mapped[str] = mapped_column(String(16), default="recompute")
    verify_check_digit: Mapped[bool] = mapped_column(Boolean, default=True)
    length: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (CheckConstraint("name <> ''", name="name_not_empty"),)
