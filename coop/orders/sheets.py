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

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from coop.documents import Letterhead, VatRow, by_name, letterhead
from coop.errors import CoopError
from coop.i18n import _, babel_locale, ngettext


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
    cases: int | None
    """None for an article sold without cases (per piece, per kg)."""
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
    household_key: tuple[tuple[str, int, str], ...] = ()
    """When anonymised: (label, member number, name) of each "Household N", for the coordinator
    only (a CSV of its own, never on the sheet sent to the supplier)."""

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
        return sum(line.cases or 0 for line in self.lines)


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
    """(reference, article, supplier, quantity text, amount excl. VAT in cents)."""
    excl_vat_cents: int
    incl_vat_cents: int
    """As the household's invoice computes it (VAT once per rate)."""


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


def household_key_file(sheet_file: str) -> str:
    """The key's file name beside an anonymised sheet ``DISTRI-2-FERME.pdf``:
    ``DISTRI-2-FERME-cle-foyers.csv`` in French (the coordinator keeps it; never sent)."""
    stem = sheet_file.rsplit(".", 1)[0]
    return _("{name}-household-key.csv").format(name=stem)


def household_key_csv_rows(sheet: OrderSheet) -> list[Sequence[str]]:
    """The coordinator's key of an anonymised sheet: which household each "Household N" is."""
    rows: list[Sequence[str]] = [[_("Label on the sheet"), _("Member no."), _("Household")]]
    rows.extend([label, str(number), name] for label, number, name in sheet.household_key)
    return rows


def order_sheet_csv_rows(sheet: OrderSheet) -> list[Sequence[str]]:
    """The order sheet as spreadsheet rows (header first), numbers in the sheet's language."""
    from babel.numbers import format_decimal

    from coop.money import cents_to_decimal

    def number(cents: int) -> str:
        return format_decimal(cents_to_decimal(cents), format="0.00", locale=babel_locale())

    def rate(value: Decimal) -> str:
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
                "" if line.cases is None else str(line.cases),
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


# -- building the sheets from the cycle's view ---------------------------------------------------


def unit_word(unit: str) -> str:
    return {"piece": _("piece"), "kg": _("kg"), "l": _("l")}.get(unit, unit)


def amount_text(quantity: int, by_weight: bool, unit: str) -> str:
    """A quantity in words: "3" pieces, or "1,500 kg" for grams (millilitres: "l")."""
    if not by_weight:
        return str(quantity)
    from babel.numbers import format_decimal

    value = format_decimal(Decimal(quantity) / 1000, format="0.000", locale=babel_locale())
    return f"{value}\u00a0{unit_word(unit)}"


def supplier_quantity(quantity: int, by_weight: bool, unit: str) -> str:
    """ "12 pieces" or "7,500 kg": what the supplier delivers."""
    if by_weight:
        return amount_text(quantity, by_weight, unit)
    return ngettext("{count} piece", "{count} pieces", quantity).format(count=quantity)


def packaging_text(case_size: int, by_weight: bool, unit: str) -> str:
    if case_size <= 1:
        return _("per {unit}").format(unit=unit_word(unit))
    return _("case of {quantity}").format(quantity=supplier_quantity(case_size, by_weight, unit))


def _closed_view(session: Session, code: str) -> Any:
    """The cycle's view, refused while members may still change their orders."""
    from coop.orders.rules import CycleState
    from coop.orders.views import cycle_view

    view = cycle_view(session, code)
    if CycleState(view.state) in (CycleState.DRAFT, CycleState.OPEN):
        raise CoopError(
            _(
                "The order cycle {code} is not closed yet: quantities may still change. Close it "
                "first (`coop orders close {code}`), then print."
            ).format(code=view.code)
        )
    return view


def _vat_rows(excl_by_rate: dict[int, int]) -> tuple[VatRow, ...]:
    from coop.money import add_vat, bp_to_rate

    return tuple(
        VatRow(bp_to_rate(bp), excl, add_vat(excl, bp_to_rate(bp)) - excl)
        for bp, excl in sorted(excl_by_rate.items())
    )


def order_sheets(
    session: Session,
    code: str,
    *,
    settings: Any,
    printed_at: datetime,
    producer: str | None = None,
    per_member: bool = False,
    anonymised: bool = False,
) -> list[OrderSheet]:
    """The order sheet of each supplier of a closed cycle (or of ``producer`` only), lines by
    supplier reference; suppliers with nothing ordered get no sheet."""
    from coop.money import bp_to_rate
    from coop.orders.service import get_cycle
    from coop.orders.views import line_amount_cents

    view = _closed_view(session, code)
    cycle = get_cycle(session, code)
    suppliers = list(view.suppliers)
    if producer is not None:
        wanted = producer.strip().upper()
        suppliers = [s for s in suppliers if s.code.upper() == wanted]
        if not suppliers:
            raise CoopError(
                _("The supplier {producer} is not part of the order cycle {code}.").format(
                    producer=producer, code=view.code
                )
            )
    head = letterhead(settings)
    sheets = []
    for supplier in suppliers:
        articles = sorted(
            (a for a in view.articles if a.supplier_code == supplier.code and a.units_ordered),
            key=lambda a: a.reference,
        )
        if not articles:
            if producer is not None:
                raise CoopError(
                    _("Nothing was ordered from {producer} in the order cycle {code}.").format(
                        producer=supplier.name, code=view.code
                    )
                )
            continue
        excl_by_rate: dict[int, int] = defaultdict(int)
        lines = []
        for article in articles:
            excl = line_amount_cents(article.price_cents, article.units_ordered, article.by_weight)
            excl_by_rate[article.vat_rate_bp] += excl
            lines.append(
                OrderSheetLine(
                    reference=article.reference,
                    name=article.name,
                    packaging=packaging_text(article.case_size, article.by_weight, article.unit),
                    cases=article.cases if article.case_size > 1 else None,
                    quantity_text=supplier_quantity(
                        article.units_ordered, article.by_weight, article.unit
                    ),
                    unit_price_cents=article.price_cents,
                    unit=unit_word(article.unit),
                    vat_rate=bp_to_rate(article.vat_rate_bp),
                    excl_vat_cents=excl,
                )
            )
        picks: list[MemberPick] = []
        key: list[tuple[str, int, str]] = []
        if per_member:
            references = {a.reference for a in articles}
            households = (
                sorted(view.members, key=lambda m: m.number)
                if anonymised
                else by_name(view.members, lambda m: m.sort_name or m.name)
            )
            for member in households:
                got = tuple(
                    (
                        line.reference,
                        line.name,
                        amount_text(line.allocated, line.by_weight, line.unit),
                    )
                    for line in member.lines
                    if line.reference in references and line.allocated
                )
                if got:
                    label = (
                        _("Household {index}").format(index=len(picks) + 1)
                        if anonymised
                        else f"{member.name} ({member.number})"
                    )
                    picks.append(MemberPick(label, got))
                    if anonymised:
                        key.append((label, member.number, member.name))
        address = tuple(
            part
            for part in (
                supplier.street,
                " ".join(p for p in (supplier.postcode, supplier.city) if p),
            )
            if part
        )
        contact = " · ".join(
            part for part in (supplier.contact_name, supplier.phone, supplier.email) if part
        )
        sheets.append(
            OrderSheet(
                letterhead=head,
                supplier=Party(supplier.code, supplier.name, address, contact),
                cycle_code=view.code,
                cycle_name=view.name,
                reference=f"{view.code}-{supplier.code}",
                sent_on=cycle.sent_at.date() if cycle.sent_at else None,
                delivery_on=view.delivery_on,
                delivery_place=view.delivery_place or "",
                lines=tuple(lines),
                vat=_vat_rows(excl_by_rate),
                per_member=tuple(picks),
                anonymised=anonymised,
                printed_at=printed_at,
                household_key=tuple(key),
            )
        )
    if not sheets:
        raise CoopError(
            _("Nothing was ordered in the order cycle {code}: no sheet to print.").format(
                code=view.code
            )
        )
    return sheets


def _part_of(member: Any, kept: Any) -> tuple[int, int]:
    """A household's amount excl. and incl. VAT for one supplier's lines (VAT once per rate,
    as its invoice computes it)."""
    by_rate: dict[int, int] = defaultdict(int)
    for line in member.lines:
        if line.allocated and kept(line.supplier_code):
            by_rate[line.vat_rate_bp] += line.excl_vat_cents
    rows = _vat_rows(by_rate)
    excl = sum(row.excl_vat_cents for row in rows)
    return excl, excl + sum(row.vat_cents for row in rows)


def packing_list(
    session: Session,
    code: str,
    kind: str,
    *,
    settings: Any,
    printed_at: datetime,
    producer: str | None = None,
) -> PackingList:
    """What each household receives of a closed cycle (or of one supplier's delivery), by
    article, by household or as the sorting grid; households sorted by name (accents ignored),
    articles by supplier then reference."""
    from coop.orders.rules import CycleState

    if kind not in PACKING_KINDS:
        raise CoopError(
            _("“{kind}” is not a packing list (expected article, household or matrix).").format(
                kind=kind
            )
        )
    view = _closed_view(session, code)
    names = {s.code: s.name for s in view.suppliers}
    supplier = None
    if producer is not None:
        supplier = producer.strip().upper()
        if supplier not in {known.upper() for known in names}:
            raise CoopError(
                _("The supplier {producer} is not part of the order cycle {code}.").format(
                    producer=producer, code=view.code
                )
            )

    def kept(supplier_code: str) -> bool:
        return supplier is None or supplier_code.upper() == supplier

    articles = [a for a in view.articles if a.allocated and kept(a.supplier_code)]
    households = by_name(
        (
            m
            for m in view.members
            if any(line.allocated and kept(line.supplier_code) for line in m.lines)
        ),
        lambda m: m.sort_name or m.name,
    )
    common = dict(
        letterhead=letterhead(settings),
        kind=kind,
        cycle_code=view.code,
        cycle_name=view.name,
        delivery_on=view.delivery_on,
        delivery_place=view.delivery_place or "",
        received=CycleState(view.state) in (CycleState.RECEIVED, CycleState.SETTLED),
        printed_at=printed_at,
    )
    if kind == "article":
        given: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for member in households:
            for line in member.lines:
                if line.allocated:
                    given[line.reference].append(
                        (
                            member.number,
                            member.name,
                            amount_text(line.allocated, line.by_weight, line.unit),
                        )
                    )
        return PackingList(
            **common,
            articles=tuple(
                PackingArticle(
                    reference=a.reference,
                    name=a.name,
                    supplier=names.get(a.supplier_code, a.supplier_code),
                    packaging=packaging_text(a.case_size, a.by_weight, a.unit),
                    total_text=supplier_quantity(a.allocated, a.by_weight, a.unit),
                    rows=tuple(given[a.reference]),
                )
                for a in articles
            ),
        )
    if kind == "household":
        return PackingList(
            **common,
            households=tuple(
                PackingHousehold(
                    number=member.number,
                    name=member.name,
                    rows=tuple(
                        (
                            line.reference,
                            line.name,
                            names.get(line.supplier_code, ""),
                            amount_text(line.allocated, line.by_weight, line.unit),
                            line.excl_vat_cents,
                        )
                        for line in member.lines
                        if line.allocated and kept(line.supplier_code)
                    ),
                    excl_vat_cents=member.excl_vat_cents
                    if supplier is None
                    else _part_of(member, kept)[0],
                    incl_vat_cents=member.incl_vat_cents
                    if supplier is None
                    else _part_of(member, kept)[1],
                )
                for member in households
            ),
        )
    column = {a.reference: index for index, a in enumerate(articles)}
    cells = []
    for member in households:
        row = [""] * len(articles)
        for line in member.lines:
            if line.allocated and line.reference in column:
                row[column[line.reference]] = amount_text(line.allocated, line.by_weight, line.unit)
        cells.append(tuple(row))
    return PackingList(
        **common,
        matrix=PackingMatrix(
            articles=tuple((a.reference, a.name, unit_word(a.unit)) for a in articles),
            households=tuple((m.number, m.name) for m in households),
            cells=tuple(cells),
            totals=tuple(amount_text(a.allocated, a.by_weight, a.unit) for a in articles),
        ),
    )
