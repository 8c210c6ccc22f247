"""``rules.price_invoices`` (many invoices priced at once, alike lines priced once) gives, for
each invoice, exactly what ``rules.price_invoice`` gives it alone (issue 18, target 2)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from coop.accounts.rules import InvoiceLineIn, InvoiceRuleError, price_invoice, price_invoices

FIVE = Decimal("5.5")
TWENTY = Decimal(20)


def line(label: str, quantity: int, price: int, rate: Decimal, weighed: bool = False):
    return InvoiceLineIn(label, quantity, price, rate, weighed, None)


# Households buying the same articles in the same and in other quantities; the same price,
# quantity and rate once weighed (grams) and once in pieces; a rate written two ways.
ORDERS = [
    [line("Savon", 3, 250, TWENTY), line("Spaghetti", 8, 160, FIVE)],
    [line("Spaghetti", 8, 160, FIVE), line("Carottes", 2500, 213, FIVE, weighed=True)],
    [line("Carottes", 2500, 213, FIVE, weighed=True), line("Savon", 3, 250, TWENTY)],
    [line("Vis", 2500, 213, FIVE), line("Riz", 7, 333, Decimal("5.50"))],
    [line("Riz", 7, 333, FIVE), line("Savon", 1, 250, TWENTY), line("Sel", 1, 99, Decimal(0))],
]


@pytest.mark.parametrize("include", [False, True])
def test_each_invoice_is_priced_as_alone(include):
    together = price_invoices(ORDERS, prices_include_vat=include)
    alone = [price_invoice(lines, prices_include_vat=include) for lines in ORDERS]
    assert together == alone
    # and each priced line carries its own line (label), not the first one alike
    assert [p.line.label for p in together[3].lines] == ["Vis", "Riz"]
    # weighed 2,5 kg at 2,13 = 5,325 → 5,33; 2,500 pieces at 2,13 = 5,325,00
    assert together[1].lines[1].excl_vat_cents != together[3].lines[0].excl_vat_cents


def test_an_invoice_without_lines_is_refused():
    with pytest.raises(InvoiceRuleError) as refused:
        price_invoices([ORDERS[0], []])
    assert refused.value.code == "no_lines"
