"""Where a refund starts: the original sale, found by its number (``127``, ``CAISSE-2/127``)
or by the barcode printed on its receipt (``receipt_code.sale_barcode``), with its member and
each line by name with what is still refundable (sold minus already refunded). Reads only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.members.models import Member
from coop.scanning import check_digit, normalise_scan
from coop.till.pricing import REFUNDABLE
from coop.till.receipt_code import BARCODE_PREFIX
from coop.till.registry import get_till, normalise_code
from coop.till.till_models import Till


@dataclass(frozen=True)
class RefundableLine:
    line_no: int
    label: str
    quantity: int
    weighed: bool
    amount_cents: int
    refunded: int
    refundable: bool
    """A product or a deposit charged (a refund line or a container return is not)."""

    @property
    def left(self) -> int:
        return self.quantity - self.refunded if self.refundable else 0


@dataclass(frozen=True)
class RefundableSale:
    till: str
    number: int
    at: datetime
    member_number: int | None
    member_name: str | None
    lines: tuple[RefundableLine, ...]


def _where(session: Session, text: str, till_code: str) -> tuple[str, int]:
    """(till code, sale number) from what the cashier typed or scanned."""
    cleaned = normalise_scan(text).strip()
    if (
        len(cleaned) == 13
        and cleaned.isdigit()
        and cleaned.startswith(BARCODE_PREFIX)
        and check_digit(cleaned[:12]) == cleaned[12]
    ):
        found = session.get(Till, int(cleaned[2:5]))
        if found is not None:
            return found.code, int(cleaned[5:12])
    till, _slash, typed = text.strip().rpartition("/")
    number = normalise_scan(typed).strip()  # the till's code keeps its dashes
    if not number.isdigit() or len(number) > 9:
        raise InvalidInput(
            [
                Problem(
                    _("“{text}” is not a sale number nor a receipt's barcode").format(text=text),
                    column=_("sale"),
                )
            ]
        )
    return normalise_code(till.strip() or till_code), int(number)


def refundable_sale(session: Session, text: str, till_code: str) -> RefundableSale:
    """The sale ``text`` names (number, TILL/NUMBER or receipt barcode) and its lines."""
    from coop.till import sale_reads  # with the sales' mapped classes: a sale prints no refund
    from coop.till.models import SaleLineRow

    code, number = _where(session, text, till_code)
    row, committed = sale_reads.get_sale(session, code, number)
    till = get_till(session, code)
    done: dict[int, int] = defaultdict(int)
    for line_no, total in session.execute(
        select(SaleLineRow.refund_line_no, func.sum(SaleLineRow.quantity))
        .where(SaleLineRow.refund_till_id == till.id, SaleLineRow.refund_sale_number == number)
        .group_by(SaleLineRow.refund_line_no)
    ):
        if line_no is not None:
            done[int(line_no)] = int(total)
    member = session.get(Member, row.member_id) if row.member_id is not None else None
    lines = tuple(
        RefundableLine(
            line_no=no,
            label=line.label,
            quantity=line.quantity,
            weighed=line.weighed,
            amount_cents=line.amount_cents,
            refunded=done[no],
            refundable=line.kind in REFUNDABLE,
        )
        for no, line in enumerate(committed.sale.lines, start=1)
    )
    return RefundableSale(
        till=till.code,
        number=number,
        at=row.at,
        member_number=member.number if member is not None else None,
        member_name=member.full_name if member is not None else None,
        lines=lines,
    )
