"""The Core tables of the catalogue (producers, products, barcode rules), declared apart from
their mapped classes.

Declaring a column as a ``Column`` of a ``Table`` costs less than declaring it as a
``mapped_column`` that declarative turns into one: ``coop.catalog.models`` maps ``Producer``,
``Product`` and ``BarcodeRule`` onto these tables (``__table__``), so every ``coop till sell``
(which reads products with the ORM) declares three tables and maps three classes onto them
instead of building both from annotations (issue 18, target 5). The ORM, the metadata and the
migrations see the same tables as before. Money is integer cents, VAT rates integer basis points.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Integer, String, Table, Text

from coop.db import Base, UTCDateTime


class Unit(StrEnum):
    """The unit a price is for: a piece, a kilogram or a litre."""

    PIECE = "piece"
    KG = "kg"
    LITRE = "l"


WEIGHED_UNITS = (Unit.KG, Unit.LITRE)


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


PRODUCERS = Table(
    "producers",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    # Short upper-case slug ("FERME-DU-MOULIN") by which files refer to the producer.
    Column("code", String(32), unique=True, nullable=False),
    Column("name", String(200), nullable=False),
    Column("contact_name", String(200)),
    Column("email", String(200)),
    Column("phone", String(40)),
    Column("street", String(200)),
    Column("postcode", String(20)),
    Column("city", String(100)),
    # French establishment number, 14 digits without spaces, check digit validated.
    Column("siret", String(14)),
    Column("notes", Text),
    Column("active", Boolean, default=True, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), index=True, nullable=False),
    CheckConstraint("code <> ''", name="code_not_empty"),
    CheckConstraint("siret IS NULL OR length(siret) = 14", name="siret_length"),
)

PRODUCTS = Table(
    "products",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    # EAN-13 or EAN-8 digits; a 12-digit UPC-A is stored as its EAN-13 (leading 0).
    Column("barcode", String(13), unique=True),
    # The shop's own code (upper case) for products without a barcode: bulk bins, bread...
    Column("internal_code", String(32), unique=True),
    Column("name", String(200), nullable=False),
    Column("producer_id", Integer, ForeignKey("producers.id", ondelete="RESTRICT"), index=True),
    # A Unit value: what ``price_cents`` is for.
    Column("unit", String(8), default=Unit.PIECE.value, nullable=False),
    # Weighed at the till (bulk): the price is per kg or per litre, quantities in g or ml.
    Column("by_weight", Boolean, default=False, nullable=False),
    # Selling price including VAT, per unit.
    Column("price_cents", Integer, nullable=False),
    # VAT rate in basis points: 550 is 5.5 %.
    Column("vat_rate_bp", Integer, nullable=False),
    # Purchase cost excluding VAT, per unit (for margins); unknown when empty.
    Column("cost_cents", Integer),
    Column("category", String(80), index=True),
    # The producer's or wholesaler's own reference, printed on order sheets.
    Column("supplier_ref", String(64)),
    # The deposit (consigne) charged with each unit, itself a product.
    Column(
        "deposit_product_id", Integer, ForeignKey("products.id", ondelete="RESTRICT"), index=True
    ),
    Column("active", Boolean, default=True, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), index=True, nullable=False),
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

BARCODE_RULES = Table(
    "barcode_rules",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), unique=True, nullable=False),
    # A ScanKind value: member_card, weight, price, product, internal, discount.
    Column("kind", String(16), nullable=False),
    Column("priority", Integer, nullable=False),
    Column("pattern", String(64), nullable=False),
    Column("encoding", String(8), default="ean13", nullable=False),
    Column("lookup", String(16), default="recompute", nullable=False),
    Column("verify_check_digit", Boolean, default=True, nullable=False),
    Column("length", Integer),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    CheckConstraint("name <> ''", name="name_not_empty"),
)
