"""Pure pricing of a cycle: each household's charge and the reconciliation with the suppliers.

No Session, no I/O. A household's charge is priced exactly as its invoice will be
(``coop.accounts.rules.price_invoice`` with prices excluding VAT: each line rounded once, VAT
once per rate on the invoice). The suppliers' total prices each article's units once (received,
or ordered before receipt) with VAT once per rate on the whole order. What households do not
take (stock, leftovers; negative if they keep more than arrived) is valued once per article.
The three sides differ only by rounding, which the reconciliation shows, bounded by half a cent
per rounded amount.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from coop.accounts.rules import InvoiceLineIn, InvoiceTotals, price_invoice, price_invoices
from coop.money import add_vat, bp_to_rate, price_for_quantity
from coop.units import GRAMS_PER_KG


def line_amount_cents(price_cents: int, quantity: int, by_weight: bool) -> int:
    """Price excl. VAT of a quantity (grams priced per kg), rounded once (signed)."""
    amount = Decimal(quantity) / GRAMS_PER_KG if by_weight else Decimal(quantity)
    return price_for_quantity(price_cents, amount)


VatPart = tuple[int, int, int]
"""One VAT rate of a bill: (rate in basis points, excl. VAT, VAT), in cents."""


def vat_parts(by_rate: Mapping[int, int]) -> tuple[VatPart, ...]:
    """Amounts excl. VAT per rate (basis points) → (rate, excl. VAT, VAT) per rate, VAT rounded
    once per rate, by rate; rates with nothing are left out. A supplier's bill for a cycle."""
    return tuple(
        (bp, total, add_vat(total, bp_to_rate(bp)) - total)
        for bp, total in sorted(by_rate.items())
        if total
    )


def vat_on(by_rate: Mapping[int, int]) -> tuple[int, int]:
    """(excl. VAT, VAT) of amounts excl. VAT per rate (basis points), VAT once per rate."""
    parts = vat_parts(by_rate)
    return sum(excl for _bp, excl, _vat in parts), sum(vat for _bp, _excl, vat in parts)


@dataclass(frozen=True)
class PricedArticle:
    article_id: int
    label: str
    price_cents: int
    """Excl. VAT, per piece or per kg / litre."""
    vat_rate_bp: int
    by_weight: bool
    units: int
    """What the supplier bills: units received, or ordered before receipt."""
    product_id: int | None = None


@dataclass(frozen=True)
class Reconciliation:
    """The suppliers' total against the households' charges, excl. and incl. VAT.

    ``surplus_*`` is the value of what did not go to households (stock, leftovers; negative when
    households keep more than arrived); ``rounding_*`` is what is left: the cents lost or gained by
    rounding each household's lines and VAT apart instead of the supplier's lines once.
    """

    supplier_excl_vat_cents: int
    supplier_vat_cents: int
    supplier_incl_vat_cents: int
    members_excl_vat_cents: int
    members_vat_cents: int
    members_incl_vat_cents: int
    surplus_excl_vat_cents: int
    surplus_incl_vat_cents: int
    rounding_excl_vat_cents: int
    rounding_incl_vat_cents: int


EMPTY = Reconciliation(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)


def _line(article: PricedArticle, quantity: int) -> InvoiceLineIn:
    return InvoiceLineIn(
        article.label,
        quantity,
        article.price_cents,
        bp_to_rate(article.vat_rate_bp),
        article.by_weight,
        article.product_id,
    )


def member_invoice(lines: Sequence[tuple[PricedArticle, int]]) -> InvoiceTotals | None:
    """What a household is charged for its allocated lines (None if nothing)."""
    invoice_lines = [_line(article, quantity) for article, quantity in lines if quantity > 0]
    if not invoice_lines:
        return None
    return price_invoice(invoice_lines, prices_include_vat=False)


def reconcile(
    articles: Sequence[PricedArticle], allocations: Mapping[int, Mapping[int, int]]
) -> tuple[dict[int, InvoiceTotals], Reconciliation]:
    """Each household's charge {member id: totals} and the reconciliation of the cycle.

    ``allocations`` is {article id: {member id: quantity}}.
    """
    per_member: dict[int, list[InvoiceLineIn]] = {}
    made: dict[tuple[int, int], InvoiceLineIn] = {}  # (article, quantity): a frozen line
    for article in articles:
        for member_id, quantity in allocations.get(article.article_id, {}).items():
            lines = per_member.setdefault(member_id, [])
            if quantity > 0:
                line = made.get((article.article_id, quantity))
                if line is None:
                    line = made[(article.article_id, quantity)] = _line(article, quantity)
                lines.append(line)
    charged = [member_id for member_id in sorted(per_member) if per_member[member_id]]
    priced = price_invoices([per_member[m] for m in charged], prices_include_vat=False)
    charges = dict(zip(charged, priced, strict=True))
    given = {article_id: sum(by_member.values()) for article_id, by_member in allocations.items()}
    return charges, reconciliation(
        articles,
        given,
        members_excl_vat_cents=sum(totals.excl_vat_cents for totals in charges.values()),
        members_vat_cents=sum(totals.vat_cents for totals in charges.values()),
    )


def reconciliation(
    articles: Sequence[PricedArticle],
    given: Mapping[int, int],
    *,
    members_excl_vat_cents: int,
    members_vat_cents: int,
) -> Reconciliation:
    """The reconciliation of a cycle whose households are charged the given totals (the sums
    of their invoices); ``given`` is {article id: units given to households}."""
    supplier: dict[int, int] = defaultdict(int)
    surplus: dict[int, int] = defaultdict(int)
    for article in articles:
        supplier[article.vat_rate_bp] += line_amount_cents(
            article.price_cents, article.units, article.by_weight
        )
        surplus[article.vat_rate_bp] += line_amount_cents(
            article.price_cents, article.units - given.get(article.article_id, 0), article.by_weight
        )
    supplier_excl, supplier_vat = vat_on(supplier)
    surplus_excl, surplus_vat = vat_on(surplus)
    members_excl, members_vat = members_excl_vat_cents, members_vat_cents
    return Reconciliation(
        supplier_excl_vat_cents=supplier_excl,
        supplier_vat_cents=supplier_vat,
        supplier_incl_vat_cents=supplier_excl + supplier_vat,
        members_excl_vat_cents=members_excl,
        members_vat_cents=members_vat,
        members_incl_vat_cents=members_excl + members_vat,
        surplus_excl_vat_cents=surplus_excl,
        surplus_incl_vat_cents=surplus_excl + surplus_vat,
        rounding_excl_vat_cents=supplier_excl - members_excl - surplus_excl,
        rounding_incl_vat_cents=(supplier_excl + supplier_vat)
        - (members_excl + members_vat)
        - (surplus_excl + surplus_vat),
    )
