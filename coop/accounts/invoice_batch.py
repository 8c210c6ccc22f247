"""Many invoices issued at once (a grouped order's settlement): the set-based twin of
``invoicing.issue_invoice``.

``issue_invoices`` writes exactly what the same ``issue_invoice`` calls one after the other
would write — the same numbers in the same order, the same lines, VAT, outbox events, account
movements and audit entries — with a handful of statements whatever the count: the members in
one query, the missing accounts in one INSERT and all of them locked in one query (in id
order), the numbers reserved in one UPDATE of the series row (gapless: the row stays locked
until commit), then one INSERT per table. Account movements go through
``movements.post_many``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session, selectinload

from coop import audit, outbox
from coop.accounts import rules
from coop.accounts.invoicing import _refusal, line_rows, vat_rows
from coop.accounts.models import Invoice, InvoiceLine, InvoiceVat, MemberAccount, NumberSeries
from coop.accounts.movements import Posting, post_many
from coop.accounts.rules import InvoiceLineIn, InvoiceRuleError, InvoiceTotals
from coop.accounts.service import AccountRefused, available, holder
from coop.audit import Actor
from coop.clock import local_date
from coop.config import AccountSettings
from coop.i18n import _
from coop.members import service as members
from coop.members.models import Member
from coop.money import format_money, rate_to_bp
from coop.upsert import insert_for


@dataclass(frozen=True)
class InvoiceOrder:
    """One invoice to issue: to whom, and its lines."""

    member_number: int
    lines: Sequence[InvoiceLineIn]


@dataclass(frozen=True)
class IssuedInvoice:
    id: int
    code: str
    member_number: int
    """The number given in the order (the invoice itself is the household's main member's)."""
    incl_vat_cents: int
    excl_vat_cents: int = 0
    vat_cents: int = 0


def _reserve(session: Session, series: str, count: int) -> int:
    """The first of ``count`` consecutive numbers of a gapless series (``next_number`` taken
    ``count`` times at once, under the same row lock)."""
    session.execute(
        insert_for(session, NumberSeries)
        .values(code=series, last_number=0)
        .on_conflict_do_nothing(index_elements=["code"])
    )
    last: int = session.execute(
        update(NumberSeries)
        .where(NumberSeries.code == series)
        .values(last_number=NumberSeries.last_number + count)
        .returning(NumberSeries.last_number)
    ).scalar_one()
    return last - count + 1


def _members(session: Session, numbers: Sequence[int]) -> dict[int, Member]:
    found = {
        member.number: member
        for member in session.scalars(
            select(Member)
            .where(Member.number.in_(set(numbers)))
            .options(selectinload(Member.main_member))
        )
    }
    for number in numbers:
        if number not in found:
            members.get_by_number(session, number)  # raises its NotFound
    return found


def _accounts(session: Session, owners: Sequence[Member], now: datetime) -> dict[int, Any]:
    """The owners' accounts, created if needed (in the owners' order), locked in id order."""
    ids = list(dict.fromkeys(owner.id for owner in owners))
    session.execute(  # executemany: one statement compiled whatever the count
        insert_for(session, cast(Table, MemberAccount.__table__)).on_conflict_do_nothing(
            index_elements=["member_id"]
        ),
        [
            {"member_id": owner, "balance_cents": 0, "created_at": now, "updated_at": now}
            for owner in ids
        ],
    )
    return {
        account.member_id: account
        for account in session.scalars(
            select(MemberAccount)
            .where(MemberAccount.member_id.in_(ids))
            .order_by(MemberAccount.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    }


def issue_invoices(
    session: Session,
    orders: Sequence[InvoiceOrder],
    *,
    settings: AccountSettings,
    actor: Actor,
    now: datetime,
    prices_include_vat: bool = True,
    reference: str | None = None,
    charge: bool = True,
    enforce_limit: bool = True,
) -> list[IssuedInvoice]:
    """``issue_invoice`` for each order, in order (see the module docstring)."""
    if not orders:
        return []
    by_number = _members(session, [order.member_number for order in orders])
    owners = [holder(by_number[order.member_number]) for order in orders]
    try:
        priced = rules.price_invoices(
            [order.lines for order in orders], prices_include_vat=prices_include_vat
        )
    except InvoiceRuleError as error:
        raise _refusal(error) from error
    accounts = _accounts(session, owners, now) if charge else {}
    if charge and enforce_limit:
        for owner, totals in zip(owners, priced, strict=True):
            account = accounts[owner.id]
            if totals.incl_vat_cents > available(account, settings):
                raise AccountRefused(
                    _(
                        "Not enough credit on the account of member {number}: {available}"
                        " available, {amount} asked."
                    ).format(
                        number=owner.number,
                        available=format_money(available(account, settings)),
                        amount=format_money(totals.incl_vat_cents),
                    )
                )
    series = settings.invoice_series
    first = _reserve(session, series, len(orders))
    issued_on = local_date(now)
    session.execute(
        insert(cast(Table, Invoice.__table__)),
        [
            {
                "series": series,
                "number": first + index,
                "kind": "invoice",
                "member_id": owner.id,
                "issued_on": issued_on,
                "at": now,
                "reference": reference,
                "credits_invoice_id": None,
                "prices_include_vat": totals.prices_include_vat,
                "excl_vat_cents": totals.excl_vat_cents,
                "vat_cents": totals.vat_cents,
                "incl_vat_cents": totals.incl_vat_cents,
                "charged": charge,
                "reason": None,
                "created_by": actor.recorded,
            }
            for index, (owner, totals) in enumerate(zip(owners, priced, strict=True))
        ],
    )
    ids = dict(
        session.execute(
            select(Invoice.number, Invoice.id).where(
                Invoice.series == series,
                Invoice.number >= first,
                Invoice.number < first + len(orders),
            )
        ).all()
    )
    issued = [
        IssuedInvoice(
            ids[first + index],
            f"{series}-{first + index:06d}",
            order.member_number,
            totals.incl_vat_cents,
            totals.excl_vat_cents,
            totals.vat_cents,
        )
        for index, (order, totals) in enumerate(zip(orders, priced, strict=True))
    ]
    _write_children(session, issued, priced)
    outbox.record_many(
        session,
        [
            (
                outbox.OutboxKind.INVOICE,
                invoice.code,
                {
                    "code": invoice.code,
                    "member": owner.number,
                    "name": owner.full_name,
                    "email": owner.email,
                    "reference": reference,
                    "credits": None,
                    "prices_include_vat": totals.prices_include_vat,
                    "charged": charge,
                    "vat": [[rate_to_bp(v.rate), v.excl_vat, v.vat] for v in totals.vat],
                },
            )
            for invoice, owner, totals in zip(issued, owners, priced, strict=True)
        ],
        on=issued_on,
        now=now,
    )
    if charge:
        post_many(
            session,
            [
                Posting(
                    accounts[owner.id],
                    kind="invoice",
                    amount_cents=-invoice.incl_vat_cents,
                    invoice_id=invoice.id,
                    reference=invoice.code,
                )
                for invoice, owner in zip(issued, owners, strict=True)
                if invoice.incl_vat_cents
            ],
            at=now,
            actor=actor,
        )
    audit.record_many(
        session,
        actor=actor,
        at=now,
        entries=[
            {
                "action": "invoice.issue",
                "entity": "invoice",
                "entity_id": invoice.id,
                "member_id": owner.id,
                "after": {"code": invoice.code, "incl_vat_cents": invoice.incl_vat_cents},
            }
            for invoice, owner in zip(issued, owners, strict=True)
        ],
    )
    return issued


def _write_children(
    session: Session, issued: Sequence[IssuedInvoice], priced: Sequence[InvoiceTotals]
) -> None:
    """The invoices' lines and VAT summaries, one INSERT each."""
    pairs = list(zip(issued, priced, strict=True))
    lines = [row for invoice, totals in pairs for row in line_rows(invoice.id, totals)]
    session.execute(insert(cast(Table, InvoiceLine.__table__)), lines)
    vat = [row for invoice, totals in pairs for row in vat_rows(invoice.id, totals)]
    session.execute(insert(cast(Table, InvoiceVat.__table__)), vat)
