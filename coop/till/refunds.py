"""Refunds of lines of earlier sales: the originals found and locked (two tills cannot both
refund the same line), never more than was sold and not yet refunded, and the stock put back.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from coop.catalog.models import Product
from coop.clock import SHOP_TIMEZONE
from coop.i18n import _
from coop.till import records
from coop.till.basket_lines import Move, refused, stock_quantity
from coop.till.pricing import LineKind, LineRef, SaleLine, refund_line
from coop.till.refusals import Refusal, Refused, SaleRefused, TillRefusal
from coop.till.registry import get_till, normalise_code
from coop.till.requests import SaleRequest
from coop.till.till_models import Till

if TYPE_CHECKING:  # a sale without refunds maps no sale class
    from coop.till.models import SaleLineRow

_NOTHING_LEFT = (Refusal.REFUND_EXCEEDS_SOLD, Refusal.QUANTITY_NOT_POSITIVE)
"""Refusals of a refund that, once the whole line is refunded, mean "already refunded"."""


def refund_lines(
    session: Session, request: SaleRequest, till: Till, *, lock: bool = True
) -> tuple[list[SaleLine], list[Move]]:
    """The refund lines of ``request`` and the stock they put back; the original sales are
    locked (``lock``; a price preview only reads them)."""
    if not request.refunds:
        return [], []
    from coop.till.models import Sale, SaleLineRow  # a plain sale maps none

    till_ids: dict[str, int] = {till.code: till.id}
    for ref in request.refunds:
        code = normalise_code(ref.till) if ref.till else till.code
        if code not in till_ids:
            till_ids[code] = get_till(session, code).id
    keys = {
        (till_ids[normalise_code(ref.till) if ref.till else till.code], ref.sale_number)
        for ref in request.refunds
    }
    # lock the original sales: two tills refunding the same line wait for each other
    query = select(Sale).where(tuple_(Sale.till_id, Sale.number).in_(keys))
    originals = {
        (row.till_id, row.number): row
        for row in session.scalars(query.with_for_update() if lock else query)
    }
    missing = sorted(keys - set(originals))
    if missing:
        till_id, number = missing[0]
        code = next(code for code, tid in till_ids.items() if tid == till_id)
        raise SaleRefused(
            TillRefusal.UNKNOWN_SALE,
            _("Till {code} has no sale number {number}.").format(code=code, number=number),
        )
    sale_ids = {row.id: key for key, row in originals.items()}
    line_rows = {
        (sale_ids[row.sale_id], row.line_no): row
        for row in session.scalars(select(SaleLineRow).where(SaleLineRow.sale_id.in_(sale_ids)))
    }
    done = defaultdict(
        int,
        {
            (tid, number, no): int(total)
            for tid, number, no, total in session.execute(
                select(
                    SaleLineRow.refund_till_id,
                    SaleLineRow.refund_sale_number,
                    SaleLineRow.refund_line_no,
                    func.sum(SaleLineRow.quantity),
                )
                .where(tuple_(SaleLineRow.refund_till_id, SaleLineRow.refund_sale_number).in_(keys))
                .group_by(
                    SaleLineRow.refund_till_id,
                    SaleLineRow.refund_sale_number,
                    SaleLineRow.refund_line_no,
                )
            )
        },
    )
    product_ids = {row.product_id for row in line_rows.values()}
    products = {
        p.id: p for p in session.scalars(select(Product).where(Product.id.in_(product_ids)))
    }
    lines: list[SaleLine] = []
    moves: list[Move] = []
    for index, ref in enumerate(request.refunds):
        where = _("refund {n}").format(n=index + 1)
        till_id = till_ids[normalise_code(ref.till) if ref.till else till.code]
        row = line_rows.get(((till_id, ref.sale_number), ref.line_no))
        sold = originals.get((till_id, ref.sale_number))
        if row is None and sold is not None and (sold.share_cents or sold.fee_cents):
            raise SaleRefused(
                TillRefusal.MEMBERSHIP_REFUSED,
                _(
                    "{where}: capital shares and the fee of sale {number} are not refunded at"
                    " the till: the treasurer records the request, then pays it back."
                ).format(where=where, number=ref.sale_number),
            )
        if row is None:
            raise SaleRefused(
                TillRefusal.UNKNOWN_LINE,
                _("{where}: sale {number} has no line {line}.").format(
                    where=where, number=ref.sale_number, line=ref.line_no
                ),
            )
        original = records.line_of(_row_mapping(row))
        key = (till_id, ref.sale_number, ref.line_no)
        quantity = ref.quantity if ref.quantity is not None else original.quantity - done[key]
        if done[key] and original.quantity - done[key] <= 0:
            raise _already_refunded(session, key, where, original.label)
        try:
            line = refund_line(
                original,
                LineRef(till_id, ref.sale_number, ref.line_no),
                quantity,
                already_refunded=done[key],
            )
        except Refused as error:
            if error.code in _NOTHING_LEFT and done[key] >= original.quantity > 0:
                # the whole line went back already: say by which sale (another till, just now?)
                raise _already_refunded(session, key, where, original.label) from error
            raise refused(error, where) from error
        done[key] += line.quantity
        lines.append(line)
        product = products[row.product_id]
        if ref.restock and original.kind is LineKind.PRODUCT:
            if original.weighed or not product.by_weight:
                amount = line.quantity
            else:  # a price label on a weighed product: its estimated grams
                amount = stock_quantity(product, original)
            moves.append((product, "refund", amount))
    return lines, moves


def _already_refunded(
    session: Session, key: tuple[int, int, int], where: str, label: str
) -> SaleRefused:
    """The whole line was refunded already (a second try, or the loser of two tills refunding
    it at once): the article, and which sale of which till refunded it, and when."""
    from coop.till.models import Sale, SaleLineRow  # a plain sale maps none

    till_id, number, line_no = key
    row = session.execute(
        select(Till.code, Sale.number, Sale.at)
        .join(SaleLineRow, SaleLineRow.sale_id == Sale.id)
        .join(Till, Till.id == Sale.till_id)
        .where(
            SaleLineRow.refund_till_id == till_id,
            SaleLineRow.refund_sale_number == number,
            SaleLineRow.refund_line_no == line_no,
        )
        .order_by(Sale.at.desc())
        .limit(1)
    ).first()
    assert row is not None  # something was refunded
    code, by, at = row
    return SaleRefused(
        TillRefusal.ALREADY_REFUNDED,
        _(
            "{where}: line {line} of sale {number} ({label}) is already refunded, by sale {by} of"
            " till {till} at {time}."
        ).format(
            where=where,
            line=line_no,
            number=number,
            label=label,
            by=by,
            till=code,
            time=at.astimezone(SHOP_TIMEZONE).strftime("%H:%M"),
        ),
    )


def _row_mapping(row: SaleLineRow) -> dict[str, Any]:
    from coop.till.models import SaleLineRow  # a plain sale maps none

    return {column.key: getattr(row, column.key) for column in SaleLineRow.__table__.columns}


def origins(session: Session, request: SaleRequest, till: Till) -> tuple[set[int | None], set[str]]:
    """Who bought and how they paid, over the sales ``request`` refunds lines of: the members
    (None for a non-member) and the payment means."""
    from coop.till.models import Sale, SalePayment  # a plain sale maps none

    keys = set()
    for ref in request.refunds:
        code = normalise_code(ref.till) if ref.till else till.code
        till_id = till.id if code == till.code else get_till(session, code).id
        keys.add((till_id, ref.sale_number))
    rows = session.execute(
        select(Sale.member_id, SalePayment.means)
        .outerjoin(SalePayment, SalePayment.sale_id == Sale.id)
        .where(tuple_(Sale.till_id, Sale.number).in_(keys))
    ).all()
    return {member for member, _means in rows}, {means for _member, means in rows if means}
