"""A committed sale as the journal and the closures see it, and its canonical data.

``CommittedSale.to_data`` is the one place that says what of a sale is sealed in the journal:
the service calls it when it commits (to hash) and again when it verifies (rebuilt from its rows),
so a changed row gives different data and a different hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from coop.till.journal import JournalRecord, RecordKind, seal
from coop.till.payments import Settlement
from coop.till.pricing import Discount, LineKind, PricedSale, SaleLine


@dataclass(frozen=True)
class CommittedSale:
    """A sale with its gapless ``number`` on its till, its time and how it was paid."""

    till_id: int
    number: int
    at: datetime
    sale: PricedSale
    settlement: Settlement
    member_id: int | None = None

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("naive datetime: times are timezone-aware in Comptoir")
        if self.settlement.total_cents != self.sale.total_cents:
            raise ValueError(
                f"settled {self.settlement.total_cents} for a total of {self.sale.total_cents}"
            )

    @property
    def lines(self) -> tuple[SaleLine, ...]:
        return self.sale.lines

    @property
    def has_refund(self) -> bool:
        return any(line.kind is LineKind.REFUND for line in self.sale.lines)

    def to_data(self) -> dict[str, Any]:
        """Plain values for the journal (the till, number and time are the record's own).

        Lines, payments and VAT splits are arrays whose columns are ``LINE_FIELDS``,
        ``PAYMENT_FIELDS`` and ``VAT_FIELDS``: half the bytes of objects, so verifying a
        million sales stays fast.
        """
        sale = self.sale
        return {
            "member": self.member_id,
            "lines": [_line_row(line, no) for no, line in enumerate(sale.lines, start=1)],
            "discount": _discount_data(sale.discount),
            **membership_data(sale.share_cents, sale.fee_cents, sale.fee_year),
            "top_up": sale.top_up_cents,
            "total": sale.total_cents,
            "vat": [[split.rate, split.excl_vat, split.vat] for split in sale.vat],
            "payments": [[p.means, p.amount_cents, p.reference] for p in self.settlement.payments],
            "cash_tendered": self.settlement.cash_tendered_cents,
            "change": self.settlement.change_cents,
        }


def membership_data(share_cents: int, fee_cents: int, fee_year: int | None) -> dict[str, Any]:
    """The shares and fee a sale took, sealed under ``membership`` only when there are some (a
    sale without them seals exactly what it sealed before they existed)."""
    if not share_cents and not fee_cents:
        return {}
    return {"membership": {"fee": fee_cents, "fee_year": fee_year, "shares": share_cents}}


LINE_FIELDS = (
    "no",  # 1-based position, what a refund refers to
    "kind",  # LineKind value
    "product",  # product id
    "label",  # the product's name when sold
    "vat_rate",  # percent, as a Decimal string
    "quantity",  # pieces, or grams / millilitres when weighed
    "weighed",
    "list_price",  # catalogue price incl. VAT, per piece or per kg / litre
    "unit_price",  # after the member category's price rule
    "rule",  # the price rule's code, or null
    "gross",  # unit price × quantity, signed
    "line_discount",
    "line_discount_terms",  # null or {reason, percent, amount, note, rounding}
    "sale_discount",  # this line's share of the sale discount
    "amount",  # gross − line discount − sale discount
    "refund_of",  # null or [till, sale number, line no]
)
"""The columns of a sale's ``lines`` rows in the journal."""
PAYMENT_FIELDS = ("means", "amount", "reference")
VAT_FIELDS = ("rate", "excl_vat", "vat")


def _discount_data(discount: Discount | None) -> dict[str, Any] | None:
    if discount is None:
        return None
    return {
        "reason": discount.reason,
        "percent": discount.percent,
        "amount": discount.amount_cents,
        "note": discount.note,
        "rounding": discount.rounding,
    }


def _line_row(line: SaleLine, no: int) -> list[Any]:
    ref = line.refund_of
    return [
        no,
        line.kind,
        line.product_id,
        line.label,
        line.vat_rate,
        line.quantity,
        line.weighed,
        line.list_price_cents,
        line.unit_price_cents,
        line.rule_code,
        line.gross_cents,
        line.line_discount_cents,
        _discount_data(line.line_discount),
        line.sale_discount_cents,
        line.amount_cents,
        None if ref is None else [ref.till_id, ref.sale_number, ref.line_no],
    ]


def seal_sale(sale: CommittedSale, previous: JournalRecord | None) -> JournalRecord:
    """The journal record of a committed sale, chained after ``previous``."""
    return seal(sale.till_id, RecordKind.SALE, sale.number, sale.at, sale.to_data(), previous)
