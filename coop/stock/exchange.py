"""The stock's files: a receipt CSV read and checked as a whole (every problem with its line).

Columns: ``product`` (barcode or internal code), ``quantity`` (pieces; for weighed goods kg such
as ``12,5`` or grams such as ``750 g``), ``unit_cost`` (optional, euros excl. VAT per piece or
per kg), ``note``.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from sqlalchemy.orm import Session

from coop.csvio import Column, RowReader, read_table
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.money import MoneyError, parse_amount
from coop.stock.service import ReceiptLine, parse_quantity, products_by_codes

RECEIPT_COLUMNS = (
    Column(
        "product",
        required=True,
        aliases=("produit", "code", "barcode", "code_barre", "ean", "internal_code"),
    ),
    Column("quantity", required=True, aliases=("quantite", "quantité", "qte", "qté")),
    Column("unit_cost", aliases=("cout", "coût", "cout_ht", "coût_ht", "prix_achat", "cost")),
    Column("note", aliases=("remarque", "commentaire")),
)


def read_receipt(session: Session, path: Path | str) -> list[ReceiptLine]:
    """A receipt CSV checked as a whole (every problem listed with its line), or InvalidInput.

    Columns: ``product`` (barcode or internal code), ``quantity`` (pieces; for weighed goods kg
    such as ``12,5`` or grams such as ``750 g``), ``unit_cost`` (optional, euros excl. VAT per
    piece or per kg), ``note``.
    """
    table = read_table(path, RECEIPT_COLUMNS)
    problems: list[Problem] = []
    codes = [row.values.get("product", "").strip() for row in table.rows]
    found = products_by_codes(session, codes)
    lines: list[ReceiptLine] = []
    for row, code in zip(table.rows, codes, strict=True):
        reader = RowReader(table, row, problems)
        product = found.get(code.upper()) if code else None
        if code and product is None:
            reader.fail(
                "product",
                _("no product has the barcode or internal code {code}").format(code=code),
            )
        elif not code:
            reader.fail("product", _("a value is required"))
        quantity = None
        if product is not None:
            quantity = reader.custom("quantity", partial(parse_quantity, product), required=True)
        cost = reader.custom("unit_cost", _cost)
        if product is not None and quantity is not None:
            lines.append(ReceiptLine(product, quantity, cost))
    if problems:
        raise InvalidInput(problems)
    if not lines:
        raise InvalidInput([Problem(_("nothing to receive"), source=table.source)])
    return lines


def _cost(text: str) -> int:
    try:
        cents = parse_amount(text)
    except MoneyError as error:
        raise ValueError(str(error)) from error
    if cents < 0:
        raise ValueError(_("a price cannot be negative"))
    return cents
