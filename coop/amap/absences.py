"""Use cases for missing a delivery: declared absences (R18, within the contract's window and
limit, lowering the amount) and gifts of a basket to a named keeper or the solidarity partner
(R21: still prepared, still paid, the sheets say who collects)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop.amap import baskets, lookup, rules, words
from coop.amap.lookup import fail
from coop.amap.models import Basket, Contract, Delivery, Subscription
from coop.amap.rules import BasketStatus
from coop.amap.subscriptions import record_change
from coop.audit import Actor
from coop.clock import local_date
from coop.i18n import _


def _basket_on(
    session: Session, subscription: Subscription, on: date
) -> tuple[Basket | None, Delivery | None]:
    row = session.execute(
        select(Basket, Delivery)
        .join(Delivery, Delivery.id == Basket.delivery_id)
        .where(Basket.subscription_id == subscription.id, Delivery.on == on)
    ).first()
    return (row[0], row[1]) if row else (None, None)


def used_absences(session: Session, subscription_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Basket)
            .where(
                Basket.subscription_id == subscription_id,
                Basket.status == BasketStatus.ABSENT.value,
            )
        )
        or 0
    )


def declare_absence(
    session: Session, subscription: Subscription, on: date, *, actor: Actor, now: datetime
) -> int:
    """R18: remove one delivery from the amount; returns the subscription's new amount."""
    contract = session.get_one(Contract, subscription.contract_id)
    basket, delivery = _basket_on(session, subscription, on)
    policy = rules.AbsencePolicy(
        contract.max_absences, contract.absence_from, contract.absence_to, contract.deadline_weekday
    )
    refusal = rules.absence_refusal(
        on,
        today=local_date(now),
        policy=policy,
        delivered=basket is not None,
        factor=delivery.factor if delivery else rules.FACTOR_ONE,
        status=BasketStatus(basket.status) if basket else BasketStatus.DUE,
        used=used_absences(session, subscription.id),
    )
    if refusal is not None:
        fail(words.refusal(refusal, on, contract.max_absences), "date")
    assert basket is not None
    basket.status = BasketStatus.ABSENT.value
    record_change(
        session,
        subscription,
        "amap.absence.declare",
        None,
        {"on": on, "status": "absent"},
        actor,
        now,
    )
    baskets.recompute(session, [contract.id], today=local_date(now))
    session.refresh(subscription)
    return subscription.amount_cents


def cancel_absence(
    session: Session, subscription: Subscription, on: date, *, actor: Actor, now: datetime
) -> int:
    basket, _delivery = _basket_on(session, subscription, on)
    if basket is None or basket.status != BasketStatus.ABSENT.value:
        fail(_("no absence is declared on {date}").format(date=on), "date")
    if on <= local_date(now):
        fail(_("an absence on a past date can no longer change"), "date")
    basket.status = BasketStatus.DUE.value
    record_change(
        session,
        subscription,
        "amap.absence.cancel",
        None,
        {"on": on, "status": "due"},
        actor,
        now,
    )
    baskets.recompute(session, [subscription.contract_id], today=local_date(now))
    session.refresh(subscription)
    return subscription.amount_cents


def donate(
    session: Session,
    subscription: Subscription,
    on: date,
    *,
    keeper: int | None,
    actor: Actor,
    now: datetime,
) -> None:
    """R21: give a basket to a keeper (a member who collects it) or, without one, to the partner."""
    contract = session.get_one(Contract, subscription.contract_id)
    basket, _delivery = _basket_on(session, subscription, on)
    refusal = rules.donation_refusal(
        on,
        today=local_date(now),
        delivered=basket is not None,
        status=BasketStatus(basket.status) if basket else BasketStatus.DUE,
        deadline_weekday=contract.deadline_weekday,
    )
    if refusal is not None:
        fail(words.refusal(refusal, on, contract.max_absences), "date")
    assert basket is not None
    if keeper is not None:
        member = lookup.member(session, keeper, "keeper")
        basket.keeper_id = member.id
        basket.donated_to = rules.DonationTarget.KEEPER.value
    else:
        if not contract.partner:
            fail(
                _("{code} has no solidarity partner: name a keeper (--keeper)").format(
                    code=contract.code
                ),
                "keeper",
            )
        basket.donated_to = rules.DonationTarget.PARTNER.value
    basket.status = BasketStatus.DONATED.value
    record_change(
        session,
        subscription,
        "amap.donation",
        None,
        {"on": on, "status": "donated", "to": basket.donated_to, "keeper": keeper},
        actor,
        now,
    )


def cancel_donation(
    session: Session, subscription: Subscription, on: date, *, actor: Actor, now: datetime
) -> None:
    basket, _delivery = _basket_on(session, subscription, on)
    if basket is None or basket.status != BasketStatus.DONATED.value:
        fail(_("no basket is given on {date}").format(date=on), "date")
    if on < local_date(now):
        fail(_("a gift on a past date can no longer change"), "date")
    basket.status = BasketStatus.DUE.value
    basket.donated_to = None
    basket.keeper_id = None
    record_change(
        session,
        subscription,
        "amap.donation.cancel",
        None,
        {"on": on, "status": "due"},
        actor,
        now,
    )
