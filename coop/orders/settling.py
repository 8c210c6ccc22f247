"""Settling a received cycle: charging each household what it was allocated, in one batch.

``settle`` issues one invoice per household (``coop.accounts.invoice_batch.issue_invoices``:
gapless numbers in the invoice series, debited from the prepaid account, the goods being
already handed over so the account may go below its limit), links each to the cycle, queues
one accounting bill per supplier and returns the reconciliation of the suppliers' total with
the sum of the charges.

It reads what it needs with a few set-based Core queries (the cycle's articles, its deliveries,
the allocations with the households' numbers, the suppliers) and computes the suppliers' bills
and the reconciliation from those rows and from the invoices it has just priced, the same
figures as ``views.cycle_view`` shows once the cycle is settled (``pricing.reconciliation``),
without reading the whole cycle back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from coop import audit, outbox
from coop.accounts import invoice_batch
from coop.accounts import invoicing as accounts
from coop.accounts.rules import InvoiceLineIn
from coop.audit import Actor
from coop.catalog.models import Producer
from coop.clock import local_date
from coop.config import AccountSettings
from coop.db import table_of
from coop.i18n import _
from coop.members.models import Member
from coop.money import bp_to_rate
from coop.orders import pricing
from coop.orders.models import (
    OrderAllocation,
    OrderArticle,
    OrderCharge,
    OrderCycle,
    OrderDelivery,
)
from coop.orders.rules import CycleState
from coop.orders.service import advance, get_cycle, suppliers_of


@dataclass(frozen=True)
class Charge:
    member_number: int
    invoice: str
    incl_vat_cents: int


@dataclass(frozen=True)
class Settlement:
    charges: tuple[Charge, ...]
    reconciliation: pricing.Reconciliation


def settle(
    session: Session,
    *,
    code: str,
    settings: AccountSettings,
    actor: Actor,
    now: datetime,
) -> Settlement:
    """Charge every household what it was allocated: one invoice each, debited from its prepaid
    account (goods already handed over: the account may go below its limit)."""
    cycle = get_cycle(session, code, lock=True)
    advance(
        cycle,
        CycleState.SETTLED,
        now=now,
        already=_("The order cycle {code} is already {state}."),
    )
    cycle.settled_at = now
    articles = {
        row.id: row
        for row in session.execute(
            select(
                OrderArticle.id,
                OrderArticle.name,
                OrderArticle.price_cents,
                OrderArticle.vat_rate_bp,
                OrderArticle.by_weight,
                OrderArticle.product_id,
                OrderArticle.producer_id,
                OrderArticle.ordered,
            ).where(OrderArticle.cycle_id == cycle.id)
        )
    }
    rows = session.execute(
        select(
            OrderAllocation.member_id,
            Member.number,
            OrderAllocation.article_id,
            OrderAllocation.quantity,
        )
        .join(OrderArticle, OrderArticle.id == OrderAllocation.article_id)
        .join(Member, Member.id == OrderAllocation.member_id)
        .where(OrderAllocation.cycle_id == cycle.id, OrderAllocation.quantity > 0)
        .order_by(Member.number, OrderArticle.reference)
    ).all()
    made: dict[tuple[int, int], InvoiceLineIn] = {}  # (article, quantity): a frozen line
    lines: dict[tuple[int, int], list[InvoiceLineIn]] = {}
    given: dict[int, int] = defaultdict(int)
    for member_id, number, article_id, quantity in rows:
        given[article_id] += quantity
        line = made.get((article_id, quantity))
        if line is None:
            article = articles[article_id]
            line = made[(article_id, quantity)] = accounts.invoice_line(
                article.name,
                quantity,
                article.price_cents,
                bp_to_rate(article.vat_rate_bp),
                weighed=article.by_weight,
                product_id=article.product_id,
            )
        lines.setdefault((member_id, number), []).append(line)
    reference = _("Grouped order {code}: {name}").format(code=cycle.code, name=cycle.name)
    issued = invoice_batch.issue_invoices(
        session,
        [invoice_batch.InvoiceOrder(number, lines) for (_id, number), lines in lines.items()],
        settings=settings,
        actor=actor,
        now=now,
        prices_include_vat=False,
        reference=reference[:200],
        charge=True,
        enforce_limit=False,
    )
    charges = [Charge(i.member_number, i.code, i.incl_vat_cents) for i in issued]
    links = [
        {"cycle_id": cycle.id, "member_id": member_id, "invoice_id": invoice.id}
        for (member_id, _number), invoice in zip(lines, issued, strict=True)
    ]
    if links:
        session.execute(insert(table_of(OrderCharge)), links)
    priced = _supplier_units(session, cycle, articles)
    reconciliation = pricing.reconciliation(
        priced,
        given,
        members_excl_vat_cents=sum(invoice.excl_vat_cents for invoice in issued),
        members_vat_cents=sum(invoice.vat_cents for invoice in issued),
    )
    bills = _queue_supplier_bills(session, cycle, articles, priced, now=now)
    audit.record(
        session,
        actor=actor,
        at=now,
        action="orders.settle",
        entity="order_cycle",
        entity_id=cycle.code,
        after={
            "invoices": len(charges),
            "members_incl_vat_cents": reconciliation.members_incl_vat_cents,
            "supplier_incl_vat_cents": reconciliation.supplier_incl_vat_cents,
            "rounding_incl_vat_cents": reconciliation.rounding_incl_vat_cents,
            "supplier_bills": bills,
        },
    )
    return Settlement(tuple(charges), reconciliation)


def _supplier_units(
    session: Session, cycle: OrderCycle, articles: dict[int, Any]
) -> list[pricing.PricedArticle]:
    """Each article as its supplier bills it: the units received (receiving writes every
    article's delivery row), or what was ordered at close (as ``views.cycle_view`` counts)."""
    received = dict(
        session.execute(
            select(OrderDelivery.article_id, OrderDelivery.received)
            .join(OrderArticle, OrderArticle.id == OrderDelivery.article_id)
            .where(OrderArticle.cycle_id == cycle.id)
        ).all()
    )
    return [
        pricing.PricedArticle(
            article.id,
            article.name,
            article.price_cents,
            article.vat_rate_bp,
            article.by_weight,
            received.get(article.id, article.ordered or 0),
            article.product_id,
        )
        for article in articles.values()
    ]


def _queue_supplier_bills(
    session: Session,
    cycle: OrderCycle,
    articles: dict[int, Any],
    priced: Sequence[pricing.PricedArticle],
    *,
    now: datetime,
) -> int:
    """One accounting outbox row (``coop.outbox``) per supplier with something received, by
    supplier code: its bill for the cycle, per VAT rate as the reconciliation counts it (what
    arrived, VAT once per rate), under the order sheet's reference (cycle code - supplier
    code)."""
    by_supplier: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for article in priced:
        producer_id = articles[article.article_id].producer_id
        by_supplier[producer_id][article.vat_rate_bp] += pricing.line_amount_cents(
            article.price_cents, article.units, article.by_weight
        )
    count = 0
    producers: list[Producer] = [producer for producer, _mode in suppliers_of(session, cycle)]
    for producer in producers:
        parts = pricing.vat_parts(by_supplier.get(producer.id, {}))
        if not parts:
            continue
        reference = f"{cycle.code}-{producer.code}"
        snapshot = {
            "supplier": producer.code,
            "name": producer.name,
            "email": producer.email,
            "reference": reference,
            "cycle": cycle.code,
            "vat": [list(part) for part in parts],
        }
        outbox.record(
            session,
            outbox.OutboxKind.SUPPLIER_BILL,
            reference,
            snapshot,
            on=local_date(now),
            now=now,
        )
        count += 1
    return count
