"""What comes back from the till: a ``Receipt`` (priced, and sealed once committed), and its
plain form for JSON outputs and the printed documents (``as_dict``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from coop.members.models import Member
from coop.till.payments import Settlement
from coop.till.pricing import PricedSale
from coop.till.records import shop_time
from coop.till.words import means_name


@dataclass
class Receipt:
    till: str
    number: int
    at: datetime
    sale: PricedSale
    settlement: Settlement
    member: Member | None
    shopper: Member | None
    hash: str | None
    seq: int | None
    account_balance_cents: int | None = None
    warnings: list[str] = field(default_factory=list)
    local_currency: str | None = None
    till_id: int | None = None
    """The till's id: with the number, the barcode printed on the receipt (refunds scan it)."""
    share_value_cents: int | None = None
    """The nominal value of a capital share, to print "Parts sociales : 3 × 10,00 €"."""

    @property
    def committed(self) -> bool:
        return self.hash is not None

    def as_dict(self) -> dict[str, Any]:
        sale = self.sale
        return {
            "till": self.till,
            "till_id": self.till_id,
            "number": self.number,
            "committed": self.committed,
            "at": shop_time(self.at),
            "member": None
            if self.member is None
            else {"number": self.member.number, "name": self.member.full_name},
            "lines": [
                {
                    "line_no": no,
                    "kind": line.kind.value,
                    "product_id": line.product_id,
                    "label": line.label,
                    "quantity": line.quantity,
                    "weighed": line.weighed,
                    "unit_price_cents": line.unit_price_cents,
                    "rule": line.rule_code,
                    "discount_cents": line.discount_cents,
                    "amount_cents": line.amount_cents,
                    "vat_rate": str(line.vat_rate),
                    "refund_of": None
                    if line.refund_of is None
                    else {
                        "till_id": line.refund_of.till_id,
                        "sale_number": line.refund_of.sale_number,
                        "line_no": line.refund_of.line_no,
                    },
                }
                for no, line in enumerate(sale.lines, start=1)
            ],
            "goods_cents": sale.goods_cents,
            "discount_cents": sale.discount_cents,
            "top_up_cents": sale.top_up_cents,
            "share_cents": sale.share_cents,
            "fee_cents": sale.fee_cents,
            "fee_year": sale.fee_year,
            "share_value_cents": self.share_value_cents,
            "total_cents": sale.total_cents,
            "vat": [
                {
                    "rate": str(split.rate),
                    "excl_vat_cents": split.excl_vat,
                    "vat_cents": split.vat,
                    "incl_vat_cents": split.incl_vat,
                }
                for split in sale.vat
            ],
            "payments": [
                {
                    "means": payment.means.value,
                    "name": means_name(payment.means, self.local_currency),
                    "amount_cents": payment.amount_cents,
                    "reference": payment.reference,
                }
                for payment in self.settlement.payments
            ],
            "cash_tendered_cents": self.settlement.cash_tendered_cents,
            "change_cents": self.settlement.change_cents,
            "account_balance_cents": self.account_balance_cents,
            "hash": self.hash,
            "seq": self.seq,
            "warnings": self.warnings,
        }
