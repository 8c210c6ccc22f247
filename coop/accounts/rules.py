"""Pure rules of the accounts context: pricing an invoice and a credit note, account limits.

An invoice's lines carry a quantity (pieces, or grams / millilitres when ``weighed``), a unit
price (per piece, or per kg / litre) and a VAT rate. Prices are either all *including* VAT
(the shop's prices, ``prices_include_vat=True``) or all *excluding* it (a wholesaler's):

- including VAT: each line's amount incl. VAT is ``unit price × quantity`` rounded once; the
  VAT summary adds the amounts per rate and splits each rate's total once (``money.vat_summary``),
  which is what French receipts and invoices print; each line also shows its own split;
- excluding VAT: each line's amount excl. VAT is rounded once; per rate the VAT is computed once
  on the sum excl. VAT (``money.add_vat``), and each line shows its own VAT for information.

The summary is authoritative: the invoice's totals are the sums of the summary, never of the
rounded line VATs. A credit note gives back some or all of an invoice's lines: a part of a line
is worth its share of the line's amount, computed cumulatively, so crediting a line in several
goes gives back exactly the line, never a cent more (the same rule as till refunds).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from coop.money import (
    HUNDRED,
    ROUNDING,
    VatSplit,
    add_vat,
    price_for_quantity,
    split_vat,
    vat_summary,
)
from coop.units import GRAMS_PER_KG


class InvoiceRuleError(ValueError):
    """A line or a credit note that cannot be priced; ``field`` names the input at fault."""

    def __init__(self, code: str, field: str, value: object = None) -> None:
        self.code = code
        self.field = field
        self.value = value
        super().__init__(f"{code}: {field}={value!r}")


@dataclass(frozen=True)
class InvoiceLineIn:
    """A line to invoice. ``quantity`` is pieces, or grams (ml) with ``weighed``."""

    label: str
    quantity: int
    unit_price_cents: int
    vat_rate: Decimal
    weighed: bool = False
    product_id: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.label, str) or not self.label.strip():
            raise InvoiceRuleError("empty_label", "label", self.label)
        for name in ("quantity", "unit_price_cents"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise InvoiceRuleError("not_an_integer", name, value)
        if self.quantity <= 0:
            raise InvoiceRuleError("quantity_not_positive", "quantity", self.quantity)
        if self.unit_price_cents < 0:
            raise InvoiceRuleError("negative_price", "unit_price_cents", self.unit_price_cents)
        rate = self.vat_rate
        if not isinstance(rate, Decimal) or not rate.is_finite() or not 0 <= rate < HUNDRED:
            raise InvoiceRuleError("bad_vat_rate", "vat_rate", rate)


@dataclass(frozen=True)
class PricedLine:
    line: InvoiceLineIn
    excl_vat_cents: int
    vat_cents: int
    credited_line_no: int | None = None

    @property
    def incl_vat_cents(self) -> int:
        return self.excl_vat_cents + self.vat_cents


@dataclass(frozen=True)
class InvoiceTotals:
    lines: tuple[PricedLine, ...]
    vat: tuple[VatSplit, ...]
    prices_include_vat: bool

    @property
    def excl_vat_cents(self) -> int:
        return sum(split.excl_vat for split in self.vat)

    @property
    def vat_cents(self) -> int:
        return sum(split.vat for split in self.vat)

    @property
    def incl_vat_cents(self) -> int:
        return sum(split.incl_vat for split in self.vat)


def line_amount(line: InvoiceLineIn) -> int:
    """Unit price × quantity, rounded once (incl. or excl. VAT as the prices are)."""
    quantity = Decimal(line.quantity) / GRAMS_PER_KG if line.weighed else Decimal(line.quantity)
    return price_for_quantity(line.unit_price_cents, quantity)


def _vat_on(excl_cents: int, rate: Decimal) -> int:
    return add_vat(excl_cents, rate) - excl_cents


def _priced(line: InvoiceLineIn, amount: int, include: bool, credited: int | None) -> PricedLine:
    if include:
        split = split_vat(amount, line.vat_rate)
        return PricedLine(line, split.excl_vat, split.vat, credited)
    return PricedLine(line, amount, _vat_on(amount, line.vat_rate), credited)


def _summary(lines: Sequence[PricedLine], include: bool) -> tuple[VatSplit, ...]:
    if include:
        return tuple(vat_summary((p.incl_vat_cents, p.line.vat_rate) for p in lines))
    excl: dict[Decimal, int] = {}
    for priced in lines:
        excl[priced.line.vat_rate] = excl.get(priced.line.vat_rate, 0) + priced.excl_vat_cents
    return tuple(
        VatSplit(rate=rate, excl_vat=total, vat=_vat_on(total, rate))
        for rate, total in sorted(excl.items())
    )


def price_invoice(
    lines: Sequence[InvoiceLineIn], *, prices_include_vat: bool = True
) -> InvoiceTotals:
    """Amounts of every line and the VAT summary (see the module docstring)."""
    if not lines:
        raise InvoiceRuleError("no_lines", "lines")
    priced = tuple(_priced(line, line_amount(line), prices_include_vat, None) for line in lines)
    return InvoiceTotals(priced, _summary(priced, prices_include_vat), prices_include_vat)


def price_invoices(
    orders: Sequence[Sequence[InvoiceLineIn]], *, prices_include_vat: bool = True
) -> list[InvoiceTotals]:
    """``price_invoice`` of each order, in order, with the same results; lines alike (same
    price, quantity, weighing and rate: a grouped order's households buy the same articles) are
    priced once."""
    amounts: dict[tuple[int, int, bool, Decimal], tuple[int, int]] = {}
    out = []
    for lines in orders:
        if not lines:
            raise InvoiceRuleError("no_lines", "lines")
        priced = []
        for line in lines:
            key = (line.unit_price_cents, line.quantity, line.weighed, line.vat_rate)
            known = amounts.get(key)
            if known is None:
                first = _priced(line, line_amount(line), prices_include_vat, None)
                known = amounts[key] = (first.excl_vat_cents, first.vat_cents)
            priced.append(PricedLine(line, known[0], known[1]))
        done = tuple(priced)
        out.append(InvoiceTotals(done, _summary(done, prices_include_vat), prices_include_vat))
    return out


def _part(amount: int, part: int, whole: int) -> int:
    """amount × part / whole in whole cents, rounded once with ``money.ROUNDING``."""
    with localcontext() as context:
        context.prec = 60
        return int((Decimal(amount) * part / whole).quantize(Decimal(1), rounding=ROUNDING))


def _cumulative(amount: int, done: int, more: int, whole: int) -> int:
    """The part of ``amount`` that ``more`` of ``whole`` stands for, after ``done`` already."""
    return _part(amount, done + more, whole) - _part(amount, done, whole)


def price_credit_note(
    original: InvoiceTotals,
    quantities: Mapping[int, int] | None,
    already: Mapping[int, int] | None = None,
) -> InvoiceTotals:
    """The credit note for ``quantities`` {line_no (1-based): quantity} of ``original``'s lines
    (None: everything not yet credited), given what earlier credit notes ``already`` credited.

    Refused beyond what is left of a line (``value``: the line, what is left of it and whether
    it is weighed) or for an unknown line.
    """
    already = already or {}
    wanted: dict[int, int] = {}
    if quantities is None:
        for no, priced in enumerate(original.lines, start=1):
            left = priced.line.quantity - already.get(no, 0)
            if left > 0:
                wanted[no] = left
        if not wanted:
            raise InvoiceRuleError("nothing_left", "lines")
    else:
        wanted = dict(quantities)
    credited: list[PricedLine] = []
    for no in sorted(wanted):
        quantity = wanted[no]
        if not 1 <= no <= len(original.lines):
            raise InvoiceRuleError("unknown_line", "line_no", no)
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
            raise InvoiceRuleError("quantity_not_positive", "quantity", quantity)
        source = original.lines[no - 1]
        done = already.get(no, 0)
        left = source.line.quantity - done
        if quantity > left:
            raise InvoiceRuleError(
                "exceeds_invoiced", "quantity", (no, max(left, 0), source.line.weighed)
            )
        whole = source.line.quantity
        base = source.incl_vat_cents if original.prices_include_vat else source.excl_vat_cents
        amount = _cumulative(base, done, quantity, whole)
        line = InvoiceLineIn(
            label=source.line.label,
            quantity=quantity,
            unit_price_cents=source.line.unit_price_cents,
            vat_rate=source.line.vat_rate,
            weighed=source.line.weighed,
            product_id=source.line.product_id,
        )
        credited.append(_priced(line, amount, original.prices_include_vat, no))
    return InvoiceTotals(
        tuple(credited),
        _summary(credited, original.prices_include_vat),
        original.prices_include_vat,
    )


def available_credit(balance_cents: int, overdraft_cents: int) -> int:
    """What an account may still pay: its balance plus the overdraft allowed, never below 0."""
    return max(balance_cents + overdraft_cents, 0)
