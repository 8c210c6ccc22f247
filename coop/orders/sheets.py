"""Printed sheets of a grouped-order cycle, as plain data: the producer order sheet (and its CSV
twin for a spreadsheet) and the packing lists (by article, by household, and the matrix for
sorting crates). Built from ``coop.orders.views.cycle_view``; ``invoices`` lays them out.

- The producer order sheet shows supplier prices excluding VAT (never the members' prices), by
  supplier reference, with case counts and quantities in the supplier's units, totals per VAT
  rate; optionally what each household ordered, named or anonymised ("Household 1, 2...").
- Packing lists show what each household receives (after allocation, or after delivery once
  the cycle is received); people are sorted by name with accents ignored.

A sheet is refused for an unknown cycle or one that is not closed yet (quantities would still
change).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from coop.documents import Letterhead, VatRow


@dataclass(frozen=True)
class Party:
    """A supplier as printed on the sheet sent to it."""

    code: str
    name: str
    address: tuple[str, ...] = ()
    contact: str = ""


@dataclass(frozen=True)
class OrderSheetLine:
    reference: str
    name: str
    packaging: str
    """ "case of 6 pieces", "case of 5 kg", "per kg"."""
    cases: int
    quantity_text: str
    """What is ordered in the supplier's units ("12 pieces", "5 kg")."""
    unit_price_cents: int
    """Supplier price excl. VAT per piece or per kg / litre."""
    unit: str
    """ "piece", "kg" or "l" (in words)."""
    vat_rate: Decimal
    excl_vat_cents: int


@dataclass(frozen=True)
class MemberPick:
    """What one household ordered from this supplier (the optional per-member page)."""

    label: str
    """The household's name, or "Household 3" when anonymised."""
    lines: tuple[tuple[str, str, str], ...]
    """(reference, article, quantity text)."""


@dataclass(frozen=True)
class OrderSheet:
    letterhead: Letterhead
    supplier: Party
    cycle_code: str
    cycle_name: str
    reference: str
    """The order's reference for the supplier: cycle code and supplier code."""
    sent_on: date | None
    delivery_on: date
    delivery_place: str
    lines: tuple[OrderSheetLine, ...]
    vat: tuple[VatRow, ...]
    per_member: tuple[MemberPick, ...]
    anonymised: bool
    printed_at: datetime

    @property
    def excl_vat_cents(self) -> int:
        return sum(row.excl_vat_cents for row in self.vat)

    @property
    def vat_cents(self) -> int:
        return sum(row.vat_cents for row in self.vat)

    @property
    def incl_vat_cents(self) -> int:
        return self.excl_vat_cents + self.vat_cents

    @property
    def cases(self) -> int:
        return sum(line.cases for line in self.lines)


@dataclass(frozen=True)
class PackingArticle:
    reference: str
    name: str
    supplier: str
    packaging: str
    total_text: str
    """Everything to share out, in words ("24 pieces", "7.500 kg")."""
    rows: tuple[tuple[int, str, str], ...]
    """(household number, household name, quantity text), sorted by name."""


@dataclass(frozen=True)
class PackingHousehold:
    number: int
    name: str
    rows: tuple[tuple[str, str, str, str, int], ...]
    """(reference, article, supplier, quantity text, amount incl. VAT in cents)."""
    total_cents: int


@dataclass(frozen=True)
class PackingMatrix:
    articles: tuple[tuple[str, str, str], ...]
    """(reference, short name, unit) of each column."""
    households: tuple[tuple[int, str], ...]
    """(number, name) of each row, sorted by name."""
    cells: tuple[tuple[str, ...], ...]
    """cells[household][article]: the quantity in words, "" for nothing."""
    totals: tuple[str, ...]
    """Per article: everything to share out."""


PACKING_KINDS = ("article", "household", "matrix")


@dataclass(frozen=True)
class PackingList:
    letterhead: Letterhead
    kind: str
    """ "article", "household" or "matrix"."""
    cycle_code: str
    cycle_name: str
    delivery_on: date
    delivery_place: str
    received: bool
    """Quantities are what arrived (True) or what was allocated at close (False)."""
    printed_at: datetime
    articles: tuple[PackingArticle, ...] = ()
    households: tuple[PackingHousehold, ...] = ()
    matrix: PackingMatrix | None = None


def order_sheet_csv_rows(sheet: OrderSheet) -> list[Sequence[str]]:
    """The order sheet as spreadsheet rows (header first), numbers in the sheet's language."""
    from coop.i18n import _
    from coop.money import cents_to_decimal

    def number(cents: int) -> str:
        from babel.numbers import format_decimal

        from coop.i18n import babel_locale

        return format_decimal(cents_to_decimal(cents), format="0.00", locale=babel_locale())

    def rate(value: Decimal) -> str:
        from babel.numbers import format_decimal

        from coop.i18n import babel_locale

        return format_decimal(value, locale=babel_locale())

    rows: list[Sequence[str]] = [
        [
            _("Reference"),
            _("Article"),
            _("Packaging"),
            _("Cases"),
            _("Quantity"),
            _("Unit"),
            _("Unit price excl. VAT"),
            _("VAT %"),
            _("Total excl. VAT"),
        ]
    ]
    for line in sheet.lines:
        rows.append(
            [
                line.reference,
                line.name,
                line.packaging,
                str(line.cases),
                line.quantity_text,
                line.unit,
                number(line.unit_price_cents),
                rate(line.vat_rate),
                number(line.excl_vat_cents),
            ]
        )
    rows.append(
        [
            "",
            _("Total excl. VAT"),
            "",
            str(sheet.cases),
            "",
            "",
            "",
            "",
            number(sheet.excl_vat_cents),
        ]
    )
    rows.append(["", _("VAT"), "", "", "", "", "", "", number(sheet.vat_cents)])
    rows.append(["", _("Total incl. VAT"), "", "", "", "", "", "", number(sheet.incl_vat_cents)])
    return rows
