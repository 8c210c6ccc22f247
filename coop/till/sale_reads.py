"""The sale read model: committed sales rebuilt from their rows, as closing, verify, the printed
documents and selling read them, and what a member's sales say about them (their personal data).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.errors import NotFound
from coop.i18n import _
from coop.members.models import Member
from coop.till import records
from coop.till.models import Sale, SaleLineRow, SalePayment
from coop.till.pricing import SaleLine
from coop.till.registry import get_till
from coop.till.sales import CommittedSale
from coop.till.till_models import Till


def load_sales(session: Session, sale_ids: Sequence[int]) -> list[CommittedSale]:
    """Committed sales rebuilt from their rows (three queries), in the order given."""
    if not sale_ids:
        return []
    connection = session.connection()
    sales = {
        row.id: cast(Mapping[str, Any], row._mapping)
        for row in connection.execute(select(Sale.__table__).where(Sale.id.in_(sale_ids)))
    }
    table = SaleLineRow.__table__
    lines: dict[int, list[SaleLine]] = defaultdict(list)
    for row in connection.execute(
        select(table.c.sale_id, *(table.c[c] for c in records.LINE_READ_COLUMNS))
        .where(table.c.sale_id.in_(sale_ids))
        .order_by(table.c.sale_id, table.c.line_no)
    ):
        lines[row[0]].append(records.line_of_values(row[1:]))
    payments: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for row in connection.execute(
        select(SalePayment.__table__)
        .where(SalePayment.sale_id.in_(sale_ids))
        .order_by(SalePayment.sale_id, SalePayment.position)
    ):
        payments[row.sale_id].append(cast(Mapping[str, Any], row._mapping))
    return [
        records.committed_of(sales[sale_id], lines[sale_id], payments[sale_id])
        for sale_id in sale_ids
    ]


def get_sale(session: Session, till_code: str, number: int) -> tuple[Sale, CommittedSale]:
    till = get_till(session, till_code)
    sale = session.scalar(select(Sale).where(Sale.till_id == till.id, Sale.number == number))
    if sale is None:
        raise NotFound(
            _("Till {code} has no sale number {number}.").format(code=till.code, number=number)
        )
    return sale, load_sales(session, [sale.id])[0]


def personal_data(session: Session, member: Member) -> list[dict[str, Any]]:
    """The sales a person made or that were made on their household's account of them
    (``coop members export-data``): till, number, time, total, lines."""
    rows = session.execute(
        select(Sale, Till.code)
        .join(Till, Till.id == Sale.till_id)
        .where((Sale.member_id == member.id) | (Sale.shopper_id == member.id))
        .order_by(Sale.at, Sale.id)
    ).all()
    committed = load_sales(session, [sale.id for sale, _code in rows])
    return [
        {
            "till": code,
            "number": sale.number,
            "at": records.shop_time(sale.at),
            "total_cents": sale.total_cents,
            "lines": [
                {"label": line.label, "quantity": line.quantity, "amount_cents": line.amount_cents}
                for line in detail.lines
            ],
        }
        for (sale, code), detail in zip(rows, committed, strict=True)
    ]
