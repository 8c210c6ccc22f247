"""Use cases for a contract's delivery calendar: generate from a rule (R1, R2), cancel, move,
give a factor (R4, R23), freeze once paid (R6). Every edit is audited; before freezing, an edit
recomputes every subscription's amount and says how many changed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from coop import audit
from coop.amap import baskets, lookup, rules
from coop.amap.lookup import fail
from coop.amap.models import Contract, Delivery, Payment, Subscription
from coop.audit import Actor
from coop.clock import local_date
from coop.i18n import _

PAID_STATES = ("received", "handed_over")


@dataclass(frozen=True)
class CalendarChange:
    """What an edit did: dates touched and how many subscriptions' amounts were recomputed."""

    dates: list[date]
    recomputed: int


def paid_subscriptions(session: Session, contract_id: int) -> int:
    """R17: subscriptions whose received payments cover a positive amount."""
    paid = (
        select(Payment.subscription_id, func.sum(Payment.amount_cents).label("paid"))
        .where(Payment.state.in_(PAID_STATES))
        .group_by(Payment.subscription_id)
        .subquery()
    )
    return (
        session.scalar(
            select(func.count())
            .select_from(Subscription)
            .join(paid, paid.c.subscription_id == Subscription.id)
            .where(
                Subscription.contract_id == contract_id,
                Subscription.amount_cents > 0,
                paid.c.paid >= Subscription.amount_cents,
            )
        )
        or 0
    )


def is_frozen(session: Session, contract: Contract) -> bool:
    return rules.calendar_frozen(
        rules.ContractKind(contract.kind), paid_subscriptions(session, contract.id)
    )


def _refuse_if_frozen(session: Session, contract: Contract, what: str) -> None:
    if is_frozen(session, contract):
        fail(
            _(
                "the calendar of {code} is frozen: subscriptions are paid, so dates can no longer"
                " be added or cancelled (move a date or give a factor instead)"
            ).format(code=contract.code),
            what,
        )


def generate(
    session: Session,
    contract: Contract,
    *,
    recurrence: rules.Recurrence,
    start: date | None = None,
    end: date | None = None,
    weeks: int = 1,
    anchor: date | None = None,
    dates: list[date] | None = None,
    skip: list[date] | None = None,
    actor: Actor,
    now: datetime,
) -> CalendarChange:
    """Add the dates of a rule to the calendar (dates already there are kept as they are)."""
    start = start or contract.season_start
    end = end or contract.season_end
    outside = rules.outside_season(
        [start, end, *(dates or [])], contract.season_start, contract.season_end
    )
    if outside:
        fail(
            _("{date} is outside the season of {code} ({start} – {end})").format(
                date=outside[0],
                code=contract.code,
                start=contract.season_start,
                end=contract.season_end,
            ),
            "date",
        )
    if recurrence is rules.Recurrence.LIST and not dates:
        fail(_("an explicit calendar needs at least one date"), "date")
    if weeks < 1:
        fail(_("the number of weeks is at least 1"), "every")
    found = rules.generate_dates(
        recurrence, start, end, weeks=weeks, anchor=anchor, dates=dates or [], skip=skip or []
    )
    existing = set(session.scalars(select(Delivery.on).where(Delivery.contract_id == contract.id)))
    new = [day for day in found if day not in existing]
    if new:
        _refuse_if_frozen(session, contract, "date")
        session.execute(
            insert(Delivery),
            [{"contract_id": contract.id, "on": d, "cancelled": False, "factor": 100} for d in new],
        )
    contract.recurrence = recurrence.value
    contract.every_weeks = weeks
    contract.anchor = anchor
    audit.record(
        session,
        actor=actor,
        at=now,
        action="amap.calendar.generate",
        entity="amap_contract",
        entity_id=contract.id,
        after={"rule": recurrence.value, "every": weeks, "added": [d.isoformat() for d in new]},
    )
    return CalendarChange(new, baskets.refresh(session, [contract.id], today=local_date(now)))


def cancel(
    session: Session,
    contract: Contract,
    on: date,
    *,
    reason: str | None,
    actor: Actor,
    now: datetime,
) -> CalendarChange:
    delivery = lookup.delivery(session, contract.id, on)
    if delivery.cancelled:
        fail(_("the delivery of {date} is already cancelled").format(date=on), "date")
    _refuse_if_frozen(session, contract, "date")
    delivery.cancelled = True
    _audit(
        session,
        delivery,
        "amap.calendar.cancel",
        {"cancelled": False},
        {"cancelled": True},
        reason,
        actor,
        now,
    )
    return CalendarChange([on], baskets.refresh(session, [contract.id], today=local_date(now)))


def restore(
    session: Session, contract: Contract, on: date, *, actor: Actor, now: datetime
) -> CalendarChange:
    delivery = lookup.delivery(session, contract.id, on)
    if not delivery.cancelled:
        fail(_("the delivery of {date} is not cancelled").format(date=on), "date")
    _refuse_if_frozen(session, contract, "date")
    delivery.cancelled = False
    _audit(
        session,
        delivery,
        "amap.calendar.restore",
        {"cancelled": True},
        {"cancelled": False},
        None,
        actor,
        now,
    )
    return CalendarChange([on], baskets.refresh(session, [contract.id], today=local_date(now)))


def move(
    session: Session,
    contract: Contract,
    on: date,
    *,
    to: date | None,
    place: str | None,
    reason: str | None,
    actor: Actor,
    now: datetime,
) -> CalendarChange:
    """Report a delivery to another date and/or place; its baskets, turns and absences follow."""
    delivery = lookup.delivery(session, contract.id, on)
    before = {"on": delivery.on, "place_id": delivery.place_id}
    if to is not None and to != on:
        if rules.outside_season([to], contract.season_start, contract.season_end):
            fail(
                _("{date} is outside the season of {code} ({start} – {end})").format(
                    date=to,
                    code=contract.code,
                    start=contract.season_start,
                    end=contract.season_end,
                ),
                "to",
            )
        clash = session.scalar(
            select(Delivery.id).where(Delivery.contract_id == contract.id, Delivery.on == to)
        )
        if clash is not None:
            fail(
                _("{code} already delivers on {date}: give that date a factor of 2 instead").format(
                    code=contract.code, date=to
                ),
                "to",
            )
        delivery.moved_from = delivery.moved_from or delivery.on
        delivery.on = to
    if place is not None:
        target = lookup.place(session, place)
        delivery.place_id = target.id
    if to is None and place is None:
        fail(_("say where the delivery goes: a new date, a new place or both"), "to")
    _audit(
        session,
        delivery,
        "amap.calendar.move",
        before,
        {"on": delivery.on, "place_id": delivery.place_id},
        reason,
        actor,
        now,
    )
    return CalendarChange([on], baskets.refresh(session, [contract.id], today=local_date(now)))


def set_factor(
    session: Session,
    contract: Contract,
    on: date,
    *,
    factor: int,
    reason: str | None,
    actor: Actor,
    now: datetime,
) -> CalendarChange:
    """R4/R23: 200 = double basket (catch-up), 50 = half; the price multiplies by it."""
    if factor < 0 or factor > 1000:
        fail(_("a factor is between 0 and 10"), "factor")
    delivery = lookup.delivery(session, contract.id, on)
    before = {"factor": delivery.factor}
    delivery.factor = factor
    _audit(
        session, delivery, "amap.calendar.factor", before, {"factor": factor}, reason, actor, now
    )
    return CalendarChange([on], baskets.refresh(session, [contract.id], today=local_date(now)))


def _audit(
    session: Session,
    delivery: Delivery,
    action: str,
    before: Mapping[str, object],
    after: Mapping[str, object],
    reason: str | None,
    actor: Actor,
    now: datetime,
) -> None:
    audit.record(
        session,
        actor=actor,
        at=now,
        action=action,
        entity="amap_delivery",
        entity_id=delivery.id,
        before=before,
        after=after,
        reason=reason,
    )


def deliveries(session: Session, contract_id: int) -> list[Delivery]:
    return list(
        session.scalars(
            select(Delivery).where(Delivery.contract_id == contract_id).order_by(Delivery.on)
        )
    )
