"""Between the till's pure values and its rows: a sale's lines, payments and VAT as table rows,
and back; the plain data the journal sealed, rebuilt from the rows.

``sale_data`` is the twin of ``CommittedSale.to_data`` (``coop.till.sales``) seen through
``journal.plain``: given the rows a commit wrote, it returns exactly the plain values that were
hashed (the tests check the two agree on generated sales). Verification compares it with the
journal's stored data, so a changed row is found even when the journal itself is intact.
It builds lists and dicts directly from the row values (no dataclasses, no Decimal
arithmetic): it runs once per sale when a million sales are verified.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from coop.clock import SHOP_TIMEZONE
from coop.money import bp_to_rate, rate_to_bp
from coop.till.journal import plain
from coop.till.payments import Means, Payment, Settlement
from coop.till.pricing import Discount, DiscountReason, LineKind, LineRef, PricedSale, SaleLine
from coop.till.sales import CommittedSale, membership_data

DISCOUNT_COLUMNS = ("reason", "percent", "amount_cents", "note", "rounding")


def shop_time(moment: datetime | None) -> str | None:
    """A moment as the shop's local time in ISO 8601 (what JSON outputs show)."""
    return None if moment is None else moment.astimezone(SHOP_TIMEZONE).isoformat()


def decimal_text(value: Decimal) -> str:
    """The canonical text of a Decimal ("10", "12.5"), as the journal writes it."""
    text: str = plain(value)
    return text


DISCOUNT_COLUMN_NAMES = tuple(f"discount_{name}" for name in DISCOUNT_COLUMNS)
_NO_DISCOUNT: tuple[Any, ...] = (None, None, None, None, None)


def discount_values(discount: Discount | None) -> tuple[Any, ...]:
    """A discount's terms as the values of the ``discount_*`` columns, in their order."""
    if discount is None:
        return _NO_DISCOUNT
    return (
        discount.reason.value,
        None if discount.percent is None else decimal_text(discount.percent),
        discount.amount_cents,
        discount.note,
        discount.rounding,
    )


def discount_columns(discount: Discount | None) -> dict[str, Any]:
    """A discount's terms as the ``discount_*`` columns of sales and sale_lines."""
    return dict(zip(DISCOUNT_COLUMN_NAMES, discount_values(discount), strict=True))


def discount_of(row: Mapping[str, Any]) -> Discount | None:
    if row["discount_reason"] is None:
        return None
    percent = row["discount_percent"]
    return Discount(
        reason=DiscountReason(row["discount_reason"]),
        percent=None if percent is None else Decimal(percent),
        amount_cents=row["discount_amount_cents"],
        note=row["discount_note"] or "",
        rounding=row["discount_rounding"],
    )


def line_values(sale_id: int, no: int, line: SaleLine) -> dict[str, Any]:
    """A priced line as a ``sale_lines`` row."""
    return dict(zip(_LINE_ROW_COLUMNS, (sale_id, *line_tuple(no, line)), strict=True))


def line_tuple(no: int, line: SaleLine) -> tuple[Any, ...]:
    """A priced line as the values of its ``sale_lines`` row in ``LINE_READ_COLUMNS`` order
    (what a commit writes and seals: ``line_data`` reads the same tuple back)."""
    ref = line.refund_of
    return (
        no,
        line.kind.value,
        line.product_id,
        line.label,
        rate_to_bp(line.vat_rate),
        line.quantity,
        line.weighed,
        line.list_price_cents,
        line.unit_price_cents,
        line.rule_code,
        line.gross_cents,
        line.line_discount_cents,
        *discount_values(line.line_discount),
        line.sale_discount_cents,
        line.amount_cents,
        ref.till_id if ref else None,
        ref.sale_number if ref else None,
        ref.line_no if ref else None,
    )


def line_of(row: Mapping[str, Any]) -> SaleLine:
    """A ``sale_lines`` row as the priced line it was."""
    ref = None
    if row["refund_line_no"] is not None:
        ref = LineRef(row["refund_till_id"], row["refund_sale_number"], row["refund_line_no"])
    return SaleLine(
        kind=LineKind(row["kind"]),
        product_id=row["product_id"],
        label=row["label"],
        vat_rate=bp_to_rate(row["vat_rate_bp"]),
        quantity=row["quantity"],
        weighed=row["weighed"],
        list_price_cents=row["list_price_cents"],
        unit_price_cents=row["unit_price_cents"],
        gross_cents=row["gross_cents"],
        line_discount_cents=row["line_discount_cents"],
        line_discount=discount_of(row),
        sale_discount_cents=row["sale_discount_cents"],
        rule_code=row["rule_code"],
        refund_of=ref,
    )


_KINDS = {kind.value: kind for kind in LineKind}
_RATES: dict[int, Decimal] = {}


def _rate(bp: int) -> Decimal:
    rate = _RATES.get(bp)
    if rate is None:
        rate = _RATES[bp] = bp_to_rate(bp)
    return rate


def line_of_values(row: Sequence[Any]) -> SaleLine:
    """``line_of`` for a row tuple in ``LINE_READ_COLUMNS`` order (a day's Z reads 15,000)."""
    reason = row[12]
    discount = None
    if reason is not None:
        percent = row[13]
        discount = Discount(
            reason=DiscountReason(reason),
            percent=None if percent is None else Decimal(percent),
            amount_cents=row[14],
            note=row[15] or "",
            rounding=row[16],
        )
    return SaleLine(
        kind=_KINDS[row[1]],
        product_id=row[2],
        label=row[3],
        vat_rate=_rate(row[4]),
        quantity=row[5],
        weighed=bool(row[6]),
        list_price_cents=row[7],
        unit_price_cents=row[8],
        gross_cents=row[10],
        line_discount_cents=row[11],
        line_discount=discount,
        sale_discount_cents=row[17],
        rule_code=row[9],
        refund_of=None if row[21] is None else LineRef(row[19], row[20], row[21]),
    )


def committed_of(
    sale: Mapping[str, Any],
    lines: Sequence[Mapping[str, Any]] | Sequence[SaleLine],
    payments: Sequence[Mapping[str, Any]],
) -> CommittedSale:
    """A ``sales`` row with its lines (rows, or lines already rebuilt) and payments (in order)
    as the committed sale it was."""
    priced = PricedSale(
        lines=tuple(row if isinstance(row, SaleLine) else line_of(row) for row in lines),
        discount=discount_of(sale),
        top_up_cents=sale["top_up_cents"],
        share_cents=sale.get("share_cents", 0),
        fee_cents=sale.get("fee_cents", 0),
        fee_year=sale.get("fee_year"),
    )
    settlement = Settlement(
        total_cents=sale["total_cents"],
        payments=tuple(
            Payment(Means(row["means"]), row["amount_cents"], row["reference"]) for row in payments
        ),
        cash_tendered_cents=sale["cash_tendered_cents"],
        change_cents=sale["change_cents"],
    )
    at: datetime = sale["at"]
    return CommittedSale(
        till_id=sale["till_id"],
        number=sale["number"],
        at=at,
        sale=priced,
        settlement=settlement,
        member_id=sale["member_id"],
    )


_RATE_TEXT: dict[int, str] = {}


def rate_text(bp: int) -> str:
    """Basis points as the journal's decimal text (550 → "5.5"), memoised."""
    text = _RATE_TEXT.get(bp)
    if text is None:
        text = _RATE_TEXT[bp] = decimal_text(bp_to_rate(bp))
    return text


def _terms(row: Sequence[Any], start: int) -> dict[str, Any] | None:
    reason = row[start]
    if reason is None:
        return None
    return {
        "reason": reason,
        "percent": row[start + 1],
        "amount": row[start + 2],
        "note": row[start + 3] or "",
        "rounding": row[start + 4],
    }


LINE_READ_COLUMNS = (
    "line_no",
    "kind",
    "product_id",
    "label",
    "vat_rate_bp",
    "quantity",
    "weighed",
    "list_price_cents",
    "unit_price_cents",
    "rule_code",
    "gross_cents",
    "line_discount_cents",
    "discount_reason",
    "discount_percent",
    "discount_amount_cents",
    "discount_note",
    "discount_rounding",
    "sale_discount_cents",
    "amount_cents",
    "refund_till_id",
    "refund_sale_number",
    "refund_line_no",
)
"""The ``sale_lines`` columns ``line_data`` reads, in this order (a row tuple)."""
_LINE_ROW_COLUMNS = ("sale_id", *LINE_READ_COLUMNS)
"""Every ``sale_lines`` column: ``line_values``'s keys, in order."""

SALE_READ_COLUMNS = (
    "member_id",
    "discount_reason",
    "discount_percent",
    "discount_amount_cents",
    "discount_note",
    "discount_rounding",
    "top_up_cents",
    "total_cents",
    "cash_tendered_cents",
    "change_cents",
    "cashier",
    "session_id",
    "shopper_id",
    "authorised_by_id",
    "override_reason",
    "goods_cents",
    "share_cents",
    "fee_cents",
    "fee_year",
)
"""The ``sales`` columns ``sale_data`` reads, in this order."""


def context_data(
    sale: Sequence[Any], stock: Sequence[int] = (0, 0), account: Sequence[int] = (0, 0)
) -> dict[str, Any]:
    """What a receipt, a Z or an account shows of a sale beyond its goods and payments, sealed
    with them: who sold (cashier, session), for whom (shopper), who authorised a discount or an
    override and why, the goods total, and the totals of its stock and account movements
    ([count, signed sum]). ``sale`` in ``SALE_READ_COLUMNS`` order."""
    return {
        "cashier": sale[10],
        "session": sale[11],
        "shopper": sale[12],
        "authorised_by": sale[13],
        "override": sale[14],
        "goods": sale[15],
        "stock": [stock[0], stock[1]],
        "account": [account[0], account[1]],
    }


def line_data(row: Sequence[Any]) -> list[Any]:
    """One line's array in the journal's data (``coop.till.sales.LINE_FIELDS``), from a row
    tuple in ``LINE_READ_COLUMNS`` order."""
    refund = None if row[21] is None else [row[19], row[20], row[21]]
    return [
        row[0],
        row[1],
        row[2],
        row[3],
        rate_text(row[4]),
        row[5],
        bool(row[6]),
        row[7],
        row[8],
        row[9],
        row[10],
        row[11],
        _terms(row, 12),
        row[17],
        row[18],
        refund,
    ]


def sale_data(
    sale: Sequence[Any],
    lines: Sequence[Sequence[Any]],
    payments: Sequence[Sequence[Any]],
    vat: Sequence[Sequence[Any]],
    stock: Sequence[int] = (0, 0),
    account: Sequence[int] = (0, 0),
) -> dict[str, Any]:
    """The plain data a sale's journal record sealed, from its rows: ``sale`` in
    ``SALE_READ_COLUMNS`` order, ``lines`` in ``LINE_READ_COLUMNS`` order (by line_no),
    ``payments`` as (means, amount, reference) by position, ``vat`` as (rate bp, excl, vat)
    by rate; ``stock`` and ``account`` the [count, signed sum] of its movements."""
    return {
        "member": sale[0],
        "lines": [line_data(row) for row in lines],
        "discount": _terms(sale, 1),
        **membership_data(*sale[16:19]),
        "top_up": sale[6],
        "total": sale[7],
        "vat": [[rate_text(row[0]), row[1], row[2]] for row in vat],
        "payments": [[row[0], row[1], row[2]] for row in payments],
        "cash_tendered": sale[8],
        "change": sale[9],
        **context_data(sale, stock, account),
    }
