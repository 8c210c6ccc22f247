"""The sale store: a checked sale written in the caller's transaction, with raw inserts (the
sale with its gapless number, its lines, payments and VAT), its journal record sealed after the
till's head, its stock moves, its prepaid-account movements and the audit of an override or an
authorised discount.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.config import Settings
from coop.members.models import Member
from coop.money import rate_to_bp
from coop.row_writer import RowWriter
from coop.stock import moves as stock
from coop.till import membership_sale, records
from coop.till.basket_lines import Move
from coop.till.head import Sealed, append_bytes
from coop.till.journal import RecordKind, canonical_bytes
from coop.till.payments import Settlement
from coop.till.pricing import PricedSale
from coop.till.sales import CommittedSale
from coop.till.tables import SALE_LINES, SALE_PAYMENTS, SALE_VAT, SALES
from coop.till.till_models import Till

if TYPE_CHECKING:  # the accounts are imported by the sales that use one
    from coop.accounts.models import MemberAccount


@dataclass
class Prepared:
    till: Till
    session_id: int
    member: Member | None
    shopper: Member | None
    priced: PricedSale
    settlement: Settlement
    account: MemberAccount | None
    moves: list[Move]
    """(product, kind, signed quantity) for the stock moves."""
    authorised_by: Member | None
    override_reason: str | None
    warnings: list[str]
    token: str | None


_SALE_TABLE = SALES  # the tables, not their mapped classes: a sale maps none of them
_SALE = RowWriter(
    _SALE_TABLE,
    [column.key for column in _SALE_TABLE.c if column.key != "id"],
    build=lambda _dialect: insert(_SALE_TABLE).returning(_SALE_TABLE.c.id),
)
_LINES = RowWriter(SALE_LINES, ("sale_id", *records.LINE_READ_COLUMNS))
_PAYMENTS = RowWriter(
    SALE_PAYMENTS,
    ("sale_id", "position", "means", "amount_cents", "reference"),
)
_VAT = RowWriter(SALE_VAT, ("sale_id", "vat_rate_bp", "excl_vat_cents", "vat_cents"))


def write_sale(
    session: Session, prepared: Prepared, *, settings: Settings, actor: Actor, now: datetime
) -> tuple[int, Sealed]:
    """Write ``prepared`` as the till's next sale; its number and its sealed journal record.

    The rows are built once as tuples (``records.line_tuple``…), written through statements
    compiled once (``coop.row_writer``) and sealed from those very tuples with
    ``records.sale_data``: the data ``verify`` rebuilds from the rows, byte for byte."""
    till = prepared.till
    number = till.last_sale_number + 1
    seq = till.last_seq + 1
    priced, settlement = prepared.priced, prepared.settlement
    committed = CommittedSale(  # checks the time is aware and the payments settle the total
        till_id=till.id,
        number=number,
        at=now,
        sale=priced,
        settlement=settlement,
        member_id=prepared.member.id if prepared.member else None,
    )
    row: dict[str, Any] = {
        "till_id": till.id,
        "number": number,
        "seq": seq,
        "session_id": prepared.session_id,
        "at": now,
        "member_id": committed.member_id,
        "shopper_id": prepared.shopper.id if prepared.shopper else None,
        "cashier": actor.label,
        "goods_cents": priced.goods_cents,
        "top_up_cents": priced.top_up_cents,
        "share_cents": priced.share_cents,
        "fee_cents": priced.fee_cents,
        "fee_year": priced.fee_year,
        "total_cents": settlement.total_cents,
        "cash_tendered_cents": settlement.cash_tendered_cents,
        "change_cents": settlement.change_cents,
        **records.discount_columns(priced.discount),
        "authorised_by_id": prepared.authorised_by.id if prepared.authorised_by else None,
        "override_reason": prepared.override_reason,
        "token": prepared.token,
    }
    # on the session's connection, without the ORM's execute layer (plain table rows)
    connection = session.connection()
    written = _SALE.write(connection, [row])
    assert written is not None
    sale_id: int = written.scalar_one()
    lines = [records.line_tuple(no, line) for no, line in enumerate(priced.lines, 1)]
    _LINES.write_tuples(connection, [(sale_id, *line) for line in lines])
    payments = [
        (payment.means.value, payment.amount_cents, payment.reference)
        for payment in settlement.payments
    ]
    _PAYMENTS.write_tuples(
        connection, [(sale_id, position, *paid) for position, paid in enumerate(payments, 1)]
    )
    vat = [(rate_to_bp(split.rate), split.excl_vat, split.vat) for split in priced.vat]
    _VAT.write_tuples(connection, [(sale_id, *split) for split in vat])
    data = records.sale_data(
        tuple(row[column] for column in records.SALE_READ_COLUMNS),
        lines,
        payments,
        vat,
        _totals(quantity for _product, _kind, quantity in prepared.moves),
        _totals(_account_amounts(prepared)),
    )
    sealed = append_bytes(
        session,
        till,
        kind=RecordKind.SALE,
        number=number,
        at=now,
        data_bytes=canonical_bytes(data),
        sale_id=sale_id,
    )
    stock.apply_moves(
        session,
        [
            stock.move(product, kind, quantity, at=now, actor=actor, sale_id=sale_id)
            for product, kind, quantity in prepared.moves
            if quantity
        ],
        now=now,
    )
    _post_account(session, prepared, sale_id, number, settings, actor, now)
    if priced.membership_cents and prepared.member is not None:
        membership_sale.record(
            session,
            prepared.member,
            membership_sale.MembershipPaid(priced.share_cents, priced.fee_cents, priced.fee_year),
            means=membership_sale.means_of(settlement),
            reference=f"{till.code}-{number}",
            settings=settings.membership,
            actor=actor,
            now=now,
        )
    _audit(session, prepared, sale_id, number, actor, now)
    return number, sealed


def _totals(amounts: Iterable[int]) -> tuple[int, int]:
    """[count, signed sum] of the non-zero amounts (what the journal seals of a sale's moves)."""
    kept = [amount for amount in amounts if amount]
    return len(kept), sum(kept)


def _account_amounts(prepared: Prepared) -> list[int]:
    """The signed amounts ``_post_account`` moves on the member's prepaid account."""
    if prepared.account is None:
        return []
    return [prepared.priced.top_up_cents, -prepared.settlement.account_cents]


def _post_account(
    session: Session,
    prepared: Prepared,
    sale_id: int,
    number: int,
    settings: Settings,
    actor: Actor,
    now: datetime,
) -> None:
    account = prepared.account
    if account is None:
        return
    from coop.accounts import service as accounts

    reference = f"{prepared.till.code}-{number}"
    common: dict[str, Any] = {
        "at": now,
        "actor": actor,
        "settings": settings.accounts,
        "sale_id": sale_id,
        "reference": reference,
    }
    if prepared.priced.top_up_cents:
        accounts.post(
            session, account, kind="top_up", amount_cents=prepared.priced.top_up_cents, **common
        )
    paid = prepared.settlement.account_cents
    if paid > 0:
        # settle() already checked the limit against the balance before this sale
        accounts.post(
            session, account, kind="sale_payment", amount_cents=-paid, enforce_limit=False, **common
        )
    elif paid < 0:
        accounts.post(session, account, kind="refund", amount_cents=-paid, **common)


def _audit(
    session: Session,
    prepared: Prepared,
    sale_id: int,
    number: int,
    actor: Actor,
    now: datetime,
) -> None:
    entries: list[Mapping[str, Any]] = []
    member_id = prepared.member.id if prepared.member else None
    if prepared.override_reason:
        entries.append(
            {
                "action": "sale.override",
                "entity": "sale",
                "entity_id": sale_id,
                "member_id": member_id,
                "after": {"till": prepared.till.code, "number": number},
                "reason": prepared.override_reason,
            }
        )
    if prepared.authorised_by is not None:
        entries.append(
            {
                "action": "sale.discount_authorised",
                "entity": "sale",
                "entity_id": sale_id,
                "member_id": member_id,
                "after": {
                    "till": prepared.till.code,
                    "number": number,
                    "authorised_by": prepared.authorised_by.number,
                    "discount_cents": prepared.priced.discount_cents,
                },
            }
        )
    if entries:
        audit.record_many(session, actor=actor, at=now, entries=entries)
