"""From scans to sale lines: the scans resolved in bulk, goods priced with the member's rule
(scale, price and discount labels), their automatic deposits, containers brought back, and the
stock each line moves. Reads only; every bad scan is reported with its place in the basket.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.catalog import scan as scanning
from coop.catalog.models import Product
from coop.catalog.scan import Found, Scanned
from coop.catalog.service import deposit_product_ids
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.money import HUNDRED
from coop.nomenclature import NomenclatureRule
from coop.till.pricing import (
    Discount,
    DiscountReason,
    Item,
    PriceRule,
    SaleLine,
    deposit_line,
    labelled_line,
    product_line,
)
from coop.till.refusals import Refusal, Refused, SaleRefused
from coop.till.requests import SaleRequest
from coop.till.words import refusal

Move = tuple[Product, str, int]
"""(product, kind, signed quantity) for a stock move."""


def refused(error: Refused, where: str | None = None) -> SaleRefused:
    message = refusal(error)
    if where:
        message = _("{where}: {message}").format(where=where, message=message)
    return SaleRefused(error.code, message)


def item_of(product: Product) -> Item:
    return Item(
        product_id=product.id,
        label=product.name,
        price_cents=product.price_cents,
        vat_rate=product.vat_rate,
        by_weight=product.by_weight,
    )


def resolve_scans(
    session: Session, request: SaleRequest, rules: Sequence[NomenclatureRule]
) -> tuple[list[Scanned], list[Scanned]]:
    codes = [item.code for item in request.items] + [ret.code for ret in request.returns]
    resolved = scanning.resolve_many(session, codes, rules)
    return resolved[: len(request.items)], resolved[len(request.items) :]


def goods_lines(
    session: Session,
    request: SaleRequest,
    scanned: Sequence[Scanned],
    rule: PriceRule | None,
) -> tuple[list[SaleLine], list[Move], set[int]]:
    """Lines of goods (with their automatic deposit lines), stock moves, and the indexes of
    lines whose discount came from a printed label (no authorisation needed)."""
    problems: list[Problem] = []
    # a discount label applies to the item before it
    label_discounts: dict[int, Discount] = {}
    goods: list[int] = []
    for index, read in enumerate(scanned):
        where = _("item {n}").format(n=index + 1)
        if read.found is Found.DISCOUNT:
            if not goods or goods[-1] in label_discounts or request.items[goods[-1]].discount:
                problems.append(
                    Problem(_("a discount label must follow the item it is stuck on"), source=where)
                )
                continue
            percent = Decimal(read.discount_bp or 0) / HUNDRED
            label_discounts[goods[-1]] = Discount(
                DiscountReason.SHORT_DATE, percent=percent, note=_("discount label")
            )
        elif read.found is Found.MEMBER:
            problems.append(
                Problem(_("a member card is not an item: scan it as the customer"), source=where)
            )
        elif read.found is Found.ERROR:
            problems.append(Problem(read.message(), source=where))
        else:
            goods.append(index)
    if problems:
        raise InvalidInput(problems)
    deposit_ids = {
        product.deposit_product_id
        for index in goods
        if (product := scanned[index].product) is not None and product.deposit_product_id
    }
    deposits = (
        {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(deposit_ids)))}
        if deposit_ids
        else {}
    )
    lines: list[SaleLine] = []
    moves: list[Move] = []
    from_labels: set[int] = set()
    for index in goods:
        item, read = request.items[index], scanned[index]
        product = read.product
        assert product is not None
        discount = item.discount or label_discounts.get(index)
        where = _("item {n} ({name})").format(n=index + 1, name=product.name)
        try:
            # a label with 0 embedded is the product's own code typed by hand: no label
            if read.grams:
                if item.quantity not in (None, 1) or item.grams is not None:
                    raise Refused(Refusal.QUANTITY_AND_WEIGHT, "grams", item.grams)
                line = product_line(
                    item_of(product), grams=read.grams, rule=rule, discount=discount
                )
            elif read.price_cents:
                if item.quantity not in (None, 1) or item.grams is not None:
                    raise Refused(Refusal.QUANTITY_AND_WEIGHT, "quantity", item.quantity)
                line = labelled_line(
                    item_of(product), read.price_cents, rule=rule, discount=discount
                )
            else:
                line = product_line(
                    item_of(product),
                    quantity=item.quantity,
                    grams=item.grams,
                    rule=rule,
                    discount=discount,
                )
        except Refused as error:
            raise refused(error, where) from error
        if index in label_discounts and item.discount is None:
            from_labels.add(len(lines))
        lines.append(line)
        moves.append((product, "sale", -stock_quantity(product, line)))
        deposit = deposits.get(product.deposit_product_id or 0)
        if deposit is not None and not product.by_weight:
            lines.append(deposit_line(item_of(deposit), line.quantity))
    return lines, moves, from_labels


def stock_quantity(product: Product, line: SaleLine) -> int:
    """Pieces, or grams for weighed goods (a price label on a weighed product: the grams its
    price stands for at the list price, rounded)."""
    if line.weighed or not product.by_weight:
        return line.quantity
    if product.price_cents <= 0:
        return 0
    grams = (Decimal(line.list_price_cents) * 1000 / product.price_cents).to_integral_value()
    return int(grams)


def return_lines(
    session: Session, request: SaleRequest, scanned: Sequence[Scanned]
) -> list[SaleLine]:
    if not request.returns:
        return []
    deposits = deposit_product_ids(session)
    problems: list[Problem] = []
    lines = []
    for index, (ret, read) in enumerate(zip(request.returns, scanned, strict=True)):
        where = _("return {n}").format(n=index + 1)
        if read.found is not Found.PRODUCT or read.product is None:
            problems.append(Problem(read.message() or _("not a deposit"), source=where))
            continue
        if read.product.id not in deposits:
            problems.append(
                Problem(
                    _("{name} is not a deposit (consigne)").format(name=read.product.name),
                    source=where,
                )
            )
            continue
        try:
            lines.append(deposit_line(item_of(read.product), ret.count, returned=True))
        except Refused as error:
            problems.append(Problem(refusal(error), source=where))
    if problems:
        raise InvalidInput(problems)
    return lines
