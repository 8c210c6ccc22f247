"""Our entries as Odoo's ``account.move`` values, and Odoo's figures as ours (pure).

- A journal entry (the Z, a settlement, a top-up) is ``move_type="entry"`` with explicit lines
  (account, debit, credit, partner) and **no taxes on its lines**: with a tax on an entry line
  Odoo adds its own VAT line, and with a price-included tax it even adds an "automatic
  balancing line" silently (reference odoo.md §2.6). Our VAT lines carry the Z's figures.
- A member invoice or credit note is a real ``out_invoice``/``out_refund`` (a supplier's bill an
  ``in_invoice``), one line per VAT rate with that rate's tax: prices incl. VAT use the
  tax-included variant, so Odoo splits the per-rate total exactly as our invoice did.
- ``ref`` carries our reference and the external id (``FA-000001 [coopsync.invoice_FA-000001]``):
  the lookup by reference finds a move whose external id was never written (a crash between the
  two calls).

Amounts cross to Odoo as JSON numbers written from exact ``Decimal`` euros (two decimals, from
integer cents; ``coop.sync.odoo`` writes the request body with ``simplejson``'s
``use_decimal``), and come back rounded to cents with ``Decimal``: no float carries our money.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from coop.sync.check import Setup
from coop.sync.rules import Chart, Entry, Totals, rate_label

CENT = Decimal("0.01")


def euros(cents: int) -> Decimal:
    """Cents → the exact euros Odoo's JSON-RPC takes as a number for an amount (``12.30``).
    What Odoo stored is read back through ``cents`` and compared with ours before a move is
    posted."""
    return Decimal(cents).scaleb(-2)


def cents(amount: float | int) -> int:
    """Odoo's float amount → integer cents, half up."""
    return int((Decimal(str(amount)) / CENT).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def move_values(
    entry: Entry, setup: Setup, chart: Chart, partners: dict[str, int]
) -> dict[str, Any]:
    """The ``create`` values of one entry (ids resolved by the check and the partner upsert)."""
    values: dict[str, Any] = {
        "move_type": entry.move_type,
        "journal_id": setup.journals[entry.journal],
        "date": entry.on.isoformat(),
        "ref": entry.odoo_ref,
    }
    if entry.move_type == "entry":
        values["line_ids"] = [
            (
                0,
                0,
                {
                    "account_id": setup.accounts[line.account],
                    "name": line.label,
                    "debit": euros(line.debit),
                    "credit": euros(line.credit),
                    **({"partner_id": partners[line.partner.key]} if line.partner else {}),
                },
            )
            for line in entry.lines
        ]
        return values
    assert entry.partner is not None
    purchase = entry.move_type.startswith("in_")
    use = "purchase" if purchase else "sale"
    account = chart.purchases if purchase else chart.sales
    values |= {
        "partner_id": partners[entry.partner.key],
        "invoice_date": entry.on.isoformat(),
        "payment_reference": entry.reference,
        "invoice_line_ids": [
            (
                0,
                0,
                {
                    "name": f"{'Achats' if purchase else 'Ventes'} TVA {rate_label(part.rate_bp)}",
                    "quantity": 1,
                    "price_unit": euros(
                        part.excl_vat + part.vat if entry.prices_include_vat else part.excl_vat
                    ),
                    "account_id": setup.accounts[account],
                    "tax_ids": [(6, 0, [setup.taxes[tax_key(use, part.rate_bp, entry)]])],
                },
            )
            for part in entry.vat
        ],
    }
    return values


def tax_key(use: str, rate_bp: int, entry: Entry) -> tuple[str, int, bool]:
    return (use, rate_bp, entry.prices_include_vat and rate_bp != 0)


def taxes_of(entry: Entry) -> set[tuple[str, int, bool]]:
    use = "purchase" if entry.move_type.startswith("in_") else "sale"
    if entry.move_type == "entry":
        return set()
    return {tax_key(use, part.rate_bp, entry) for part in entry.vat}


def odoo_totals(
    move: dict[str, Any], lines: list[dict[str, Any]], account_codes: dict[int, str]
) -> Totals:
    """Odoo's figures for a move in our shape (see ``rules.expected_totals``)."""
    if move["move_type"] == "entry":
        got = tuple(
            sorted(
                (
                    account_codes.get(line["account_id"][0], str(line["account_id"][1])),
                    cents(line["debit"]),
                    cents(line["credit"]),
                )
                for line in lines
            )
        )
        return Totals(0, 0, sum(d for _, d, _ in got), got)
    return Totals(
        cents(move["amount_untaxed"]), cents(move["amount_tax"]), cents(move["amount_total"])
    )
