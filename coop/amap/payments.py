"""Use cases for payments: the ledger of a subscription (R17), cheque plans split by the
contract's strategy (R11–R16) and dated by the fewest-cheques rule (R14), receiving cheques,
handing them over to the producer in bulk, and other means (transfer, cash, local currency).

Accounting (``coop.outbox``): cheques are made out to the producer and handed over, so they
never pass through the coop's accounts; a payment by transfer, cash or local currency is money
the coop collects and holds for the producer, so ``pay`` queues an ``amap`` outbox row
(``event: payment``) in its own transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from coop import audit, outbox
from coop.amap import contracts, lookup, rules
from coop.amap.calendar import PAID_STATES
from coop.amap.lookup import fail
from coop.amap.models import Basket, Contract, Delivery, Payment, Subscription
from coop.audit import Actor
from coop.catalog.models import Producer
from coop.clock import local_date
from coop.i18n import _
from coop.members.models import Member
from coop.money import format_money


@dataclass(frozen=True)
class Balance:
    """R17: amount due, received, what is left, and whether the subscription is paid."""

    due_cents: int
    received_cents: int
    planned_cents: int

    @property
    def left_cents(self) -> int:
        return self.due_cents - self.received_cents

    @property
    def paid(self) -> bool:
        return rules.is_paid(self.due_cents, self.received_cents)


def balance(session: Session, subscription: Subscription) -> Balance:
    received, planned = session.execute(
        select(
            func.coalesce(func.sum(Payment.amount_cents).filter(Payment.state.in_(PAID_STATES)), 0),
            func.coalesce(func.sum(Payment.amount_cents), 0),
        ).where(Payment.subscription_id == subscription.id)
    ).one()
    return Balance(subscription.amount_cents, int(received), int(planned))


def _cashing_book(session: Session, contract_id: int) -> rules.CashingBook:
    counts = dict.fromkeys(contracts.cashing_dates(session, contract_id), 0)
    for on, count in session.execute(
        select(Payment.cashing_on, func.count())
        .join(Subscription, Subscription.id == Payment.subscription_id)
        .where(
            Subscription.contract_id == contract_id,
            Payment.means == "cheque",
            Payment.cashing_on.is_not(None),
        )
        .group_by(Payment.cashing_on)
    ):
        if on in counts:
            counts[on] = count
    return rules.CashingBook(counts)


def _month_amounts(
    session: Session, subscription_ids: list[int]
) -> dict[int, list[tuple[date, int]]]:
    out: dict[int, list[tuple[date, int]]] = {}
    for sub_id, on, amount in session.execute(
        select(Basket.subscription_id, Delivery.on, Basket.amount_cents)
        .join(Delivery, Delivery.id == Basket.delivery_id)
        .where(Basket.subscription_id.in_(subscription_ids))
    ):
        out.setdefault(sub_id, []).append((on, amount))
    return out


def _amounts(
    contract: Contract,
    total: int,
    count: int,
    fixed: list[int],
    deliveries: list[tuple[date, int]],
    cashing: list[date],
) -> list[tuple[int, date | None]]:
    """The open cheques' amounts, each with a cashing date when the strategy fixes it (monthly)."""
    strategy = rules.SplitStrategy(contract.strategy)
    open_count = count - len(fixed)
    if strategy is rules.SplitStrategy.MONTHLY and not fixed:
        months = rules.split_monthly(deliveries, count)
        return [(amount, rules.month_date(cashing, key)) for key, amount in months]
    percentages = None
    if strategy is rules.SplitStrategy.PERCENTAGES and contract.percentages:
        percentages = rules.parse_percentages(contract.percentages).get(count)
        if percentages and fixed:
            percentages = None
    amounts = rules.resplit_open(
        strategy,
        total,
        fixed,
        open_count,
        percentages=percentages,
        minimum=contract.min_cheque_cents,
    )
    return [(amount, None) for amount in amounts]


def plan(
    session: Session,
    subscription: Subscription,
    *,
    count: int,
    amounts: list[int] | None = None,
    issuer: str | None = None,
    bank: str | None = None,
    actor: Actor,
    now: datetime,
) -> list[Payment]:
    """Plan (or re-plan) a subscription's cheques; cheques already received stay as written."""
    contract = session.get_one(Contract, subscription.contract_id)
    allowed = contracts.allowed_counts(contract)
    strategy = rules.SplitStrategy(contract.strategy)
    if count not in allowed and strategy is not rules.SplitStrategy.MONTHLY:
        fail(
            _("{code} allows {allowed} cheques, not {count}").format(
                code=contract.code, allowed=", ".join(map(str, allowed)), count=count
            ),
            "cheques",
        )
    kept = list(
        session.scalars(
            select(Payment)
            .where(
                Payment.subscription_id == subscription.id,
                Payment.means == "cheque",
                Payment.state != "expected",
            )
            .order_by(Payment.position)
        )
    )
    other = (
        session.scalar(
            select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(
                Payment.subscription_id == subscription.id, Payment.means != "cheque"
            )
        )
        or 0
    )
    if len(kept) > count:
        fail(
            _("{n} cheques are already received: plan at least that many").format(n=len(kept)),
            "cheques",
        )
    total = subscription.amount_cents - int(other)
    fixed = [p.amount_cents for p in kept]
    if amounts is not None:
        if len(amounts) != count - len(kept):
            fail(
                _("give one amount per cheque still expected ({n})").format(n=count - len(kept)),
                "amounts",
            )
        if sum(amounts) + sum(fixed) != total:
            fail(
                _("the cheques add up to {sum}, the amount due is {total}").format(
                    sum=format_money(sum(amounts) + sum(fixed)), total=format_money(total)
                ),
                "amounts",
            )
        planned: list[tuple[int, date | None]] = [(a, None) for a in amounts]
    else:
        cashing = contracts.cashing_dates(session, contract.id)
        try:
            planned = _amounts(
                contract,
                total,
                count,
                fixed,
                _month_amounts(session, [subscription.id]).get(subscription.id, []),
                cashing,
            )
        except ValueError:
            fail(_("the cheques already received exceed the amount due"), "cheques")
    session.execute(
        delete(Payment).where(
            Payment.subscription_id == subscription.id,
            Payment.means == "cheque",
            Payment.state == "expected",
        )
    )
    book = _cashing_book(session, contract.id)
    dates = book.take(sum(1 for _a, d in planned if d is None)) if book.counts else []
    rows: list[dict[str, Any]] = []
    for index, (amount, on) in enumerate(planned):
        when = on if on is not None else (dates.pop(0) if dates else None)
        rows.append(
            {
                "subscription_id": subscription.id,
                "position": len(kept) + index + 1,
                "means": "cheque",
                "amount_cents": amount,
                "cashing_on": when,
                "issuer": issuer,
                "bank": bank,
                "state": "expected",
            }
        )
    if rows:
        session.execute(insert(Payment), rows)
    audit.record(
        session,
        actor=actor,
        at=now,
        action="amap.payment.plan",
        entity="amap_subscription",
        entity_id=subscription.id,
        member_id=subscription.member_id,
        after={
            "cheques": count,
            "amounts": ", ".join(format_money(r["amount_cents"]) for r in rows),
        },
    )
    return payments_of(session, subscription.id)


def plan_all(
    session: Session, contract: Contract, *, count: int, actor: Actor, now: datetime
) -> int:
    """Plan cheques for every active subscription of a contract without a plan (one INSERT)."""
    if count not in contracts.allowed_counts(contract):
        fail(
            _("{code} does not allow {count} cheques").format(code=contract.code, count=count),
            "cheques",
        )
    subs = session.execute(
        select(Subscription.id, Subscription.amount_cents).where(
            Subscription.contract_id == contract.id,
            Subscription.status == "active",
            Subscription.amount_cents > 0,
            ~select(Payment.id).where(Payment.subscription_id == Subscription.id).exists(),
        )
    ).all()
    cashing = contracts.cashing_dates(session, contract.id)
    book = _cashing_book(session, contract.id)
    monthly = contract.strategy == rules.SplitStrategy.MONTHLY.value
    months = _month_amounts(session, [s for s, _a in subs]) if monthly else {}
    rows = []
    for sub_id, total in subs:
        planned = _amounts(contract, total, count, [], months.get(sub_id, []), cashing)
        dates = book.take(sum(1 for _a, d in planned if d is None)) if book.counts else []
        for index, (amount, on) in enumerate(planned):
            rows.append(
                {
                    "subscription_id": sub_id,
                    "position": index + 1,
                    "means": "cheque",
                    "amount_cents": amount,
                    "cashing_on": on if on is not None else (dates.pop(0) if dates else None),
                    "state": "expected",
                }
            )
    if rows:
        session.execute(insert(Payment), rows)
    audit.record(
        session,
        actor=actor,
        at=now,
        action="amap.payment.plan_all",
        entity="amap_contract",
        entity_id=contract.id,
        after={"subscriptions": len(subs), "cheques": len(rows)},
    )
    return len(subs)


def receive(
    session: Session,
    subscription: Subscription,
    position: int,
    *,
    number: str | None,
    bank: str | None,
    issuer: str | None,
    on: date | None,
    actor: Actor,
    now: datetime,
) -> Payment:
    """A planned cheque reaches the AMAP: attendu → reçu, with its number, bank and issuer."""
    payment = session.scalar(
        select(Payment).where(
            Payment.subscription_id == subscription.id, Payment.position == position
        )
    )
    if payment is None:
        fail(
            _("subscription {id} has no payment number {n}").format(id=subscription.id, n=position),
            "cheque",
        )
    if payment.state != "expected":
        fail(_("cheque {n} is already received").format(n=position), "cheque")
    payment.state = "received"
    payment.received_on = on or local_date(now)
    payment.number = number or payment.number
    payment.bank = bank or payment.bank
    payment.issuer = issuer or payment.issuer
    audit.record(
        session,
        actor=actor,
        at=now,
        action="amap.payment.receive",
        entity="amap_payment",
        entity_id=payment.id,
        member_id=subscription.member_id,
        before={"state": "expected"},
        after={"state": "received", "number": payment.number, "amount_cents": payment.amount_cents},
    )
    return payment


def hand_over(
    session: Session, contract: Contract, cashing_on: date, *, actor: Actor, now: datetime
) -> tuple[int, int]:
    """Bulk: every received cheque of a cashing date goes to the producer; returns (handed,
    still expected) so the referent knows who has not brought their cheque."""
    of_contract = select(Subscription.id).where(Subscription.contract_id == contract.id)
    base = (
        Payment.subscription_id.in_(of_contract),
        Payment.cashing_on == cashing_on,
        Payment.means == "cheque",
    )
    ids = list(session.scalars(select(Payment.id).where(*base, Payment.state == "received")))
    missing = (
        session.scalar(
            select(func.count()).select_from(Payment).where(*base, Payment.state == "expected")
        )
        or 0
    )
    if not ids and not missing:
        fail(
            _("no cheque of {code} is planned for {date}").format(
                code=contract.code, date=cashing_on
            ),
            "date",
        )
    today = local_date(now)
    if ids:
        session.execute(
            update(Payment).where(Payment.id.in_(ids)).values(state="handed_over", handed_on=today),
            execution_options={"synchronize_session": False},
        )
    audit.record(
        session,
        actor=actor,
        at=now,
        action="amap.payment.hand_over",
        entity="amap_contract",
        entity_id=contract.id,
        after={"cashing_on": cashing_on, "cheques": len(ids)},
    )
    return len(ids), int(missing)


def pay(
    session: Session,
    subscription: Subscription,
    *,
    means: rules.Means,
    amount: int,
    on: date | None,
    actor: Actor,
    now: datetime,
) -> Payment:
    """A payment by transfer, cash or local currency (a cheque outside any plan too)."""
    if amount <= 0:
        fail(_("the amount must be positive"), "amount")
    position = (
        session.scalar(
            select(func.max(Payment.position)).where(Payment.subscription_id == subscription.id)
        )
        or 0
    ) + 1
    payment = Payment(
        subscription_id=subscription.id,
        position=position,
        means=means.value,
        amount_cents=amount,
        state="received",
        received_on=on or local_date(now),
    )
    session.add(payment)
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="amap.payment.receive",
        entity="amap_payment",
        entity_id=payment.id,
        member_id=subscription.member_id,
        after={"means": means.value, "amount_cents": amount},
    )
    if means is not rules.Means.CHEQUE:
        _queue_collected(session, subscription, payment, now=now)
    return payment


def _queue_collected(
    session: Session, subscription: Subscription, payment: Payment, *, now: datetime
) -> None:
    """The accounting outbox row of money the coop collects for the producer."""
    contract = session.get_one(Contract, subscription.contract_id)
    producer = session.get_one(Producer, contract.producer_id)
    member = session.get_one(Member, subscription.member_id)
    snapshot = {
        "event": "payment",
        "payment": payment.id,
        "contract": contract.code,
        "producer": producer.code,
        "producer_name": producer.name,
        "member": member.number,
        "name": member.full_name,
        "means": payment.means,
        "amount": payment.amount_cents,
    }
    on = payment.received_on or local_date(now)
    outbox.record(
        session, outbox.OutboxKind.AMAP, f"payment-{payment.id}", snapshot, on=on, now=now
    )


def payments_of(session: Session, subscription_id: int) -> list[Payment]:
    return list(
        session.scalars(
            select(Payment)
            .where(Payment.subscription_id == subscription_id)
            .order_by(Payment.position)
        )
    )


def get(session: Session, subscription_id: int) -> Subscription:
    return lookup.subscription(session, subscription_id)
