"""Use cases for subscriptions: subscribe (fixed sizes or a variable default order, mid-season
start R7, shared baskets with co-holders), the waiting list, change, end, and the collector of
each date (R10, stored per date)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from coop import audit
from coop.amap import baskets, lookup
from coop.amap.lookup import fail
from coop.amap.models import (
    Basket,
    BasketItem,
    Contract,
    ContractPlace,
    Delivery,
    Holder,
    Offer,
    Subscription,
    SubscriptionLine,
)
from coop.audit import Actor
from coop.clock import local_date
from coop.i18n import _
from coop.members.models import Member, MemberCategory

SOLIDARITY_CATEGORY = "solidarity"


@dataclass(frozen=True)
class SubscriptionIn:
    contract: str
    member: int
    place: str
    lines: list[tuple[str, int]]
    """(size or product code, quantity)."""
    starts_on: date | None = None
    ends_on: date | None = None
    co_holders: list[int] | None = None
    solidarity: bool = False
    contribution_cents: int = 0
    invert: bool = False
    waiting_list: bool = False


def _active_count(session: Session, contract_id: int, offer_id: int | None = None) -> int:
    query = select(func.count(func.distinct(Subscription.id))).where(
        Subscription.contract_id == contract_id, Subscription.status == "active"
    )
    if offer_id is not None:
        query = query.join(
            SubscriptionLine, SubscriptionLine.subscription_id == Subscription.id
        ).where(SubscriptionLine.offer_id == offer_id)
    return session.scalar(query) or 0


def _full(
    session: Session, contract_id: int, max_subscribers: int | None, offers: list[Offer]
) -> str | None:
    """The size (or the contract) that is full, or None."""
    if max_subscribers is not None and _active_count(session, contract_id) >= max_subscribers:
        return "contract"
    for offer in offers:
        if (
            offer.max_subscribers is not None
            and _active_count(session, contract_id, offer.id) >= offer.max_subscribers
        ):
            return offer.code
    return None


def _checked_dates(contract: Contract, data: SubscriptionIn) -> date:
    """The subscription's first date, refused outside the season (its end too)."""
    starts_on = data.starts_on or contract.season_start
    if starts_on < contract.season_start or starts_on > contract.season_end:
        fail(_("the start {date} is outside the season").format(date=starts_on), "start")
    if data.ends_on is not None and (
        data.ends_on < starts_on or data.ends_on > contract.season_end
    ):
        fail(
            _("the end {date} is before the start or after the season").format(date=data.ends_on),
            "end",
        )
    return starts_on


def _checked_offers(session: Session, contract_id: int, data: SubscriptionIn) -> list[Offer]:
    """The sizes or products subscribed, each once with a quantity of at least 1."""
    if not data.lines:
        fail(_("say which size or products, with a quantity"), "size")
    offers = []
    for code, quantity in data.lines:
        if quantity < 1:
            fail(_("the quantity of {code} must be at least 1").format(code=code), "quantity")
        offers.append(lookup.offer(session, contract_id, code))
    if len({o.id for o in offers}) != len(offers):
        fail(_("a size or product is given twice"), "size")
    return offers


def _checked_holders(session: Session, member: Member, numbers: Sequence[int]) -> list[Member]:
    """The household and its co-holders, each a current member, each once."""
    holders = [member]
    for number in numbers:
        holder = session.scalar(select(Member).where(Member.number == number))
        if holder is None or holder.erased_at is not None or holder.left_on is not None:
            fail(_("co-holder {number} is not a member").format(number=number), "co-holder")
        if holder.id in {h.id for h in holders}:
            fail(_("co-holder {number} is given twice").format(number=number), "co-holder")
        holders.append(holder)
    return holders


def subscribe(
    session: Session, data: SubscriptionIn, *, actor: Actor, now: datetime, refresh: bool = True
) -> Subscription:
    """Subscribe a household (or put it on the waiting list); ``refresh=False`` leaves the
    baskets to one ``baskets.refresh`` at the end of a bulk import."""
    contract = lookup.contract(session, data.contract)
    member = lookup.member(session, data.member)
    place = lookup.place(session, data.place)
    if session.get(ContractPlace, (contract.id, place.id)) is None:
        fail(
            _("{code} is not delivered to {place}").format(code=contract.code, place=place.code),
            "place",
        )
    starts_on = _checked_dates(contract, data)
    offers = _checked_offers(session, contract.id, data)
    holders = _checked_holders(session, member, data.co_holders or [])
    overlap = session.scalar(
        select(Subscription.id).where(
            Subscription.contract_id == contract.id,
            Subscription.member_id == member.id,
            Subscription.status.in_(("active", "waiting")),
            or_(Subscription.ends_on.is_(None), Subscription.ends_on >= starts_on),
            *([Subscription.starts_on <= data.ends_on] if data.ends_on else []),
        )
    )
    if overlap is not None:
        fail(
            _("member {number} already has subscription {id} to {code} over these dates").format(
                number=member.number, id=overlap, code=contract.code
            ),
            "member",
        )
    if data.solidarity:
        category = session.scalar(
            select(MemberCategory.code).where(MemberCategory.id == member.category_id)
        )
        if category != SOLIDARITY_CATEGORY:
            fail(
                _("member {number} is not in the solidarity category").format(number=member.number),
                "solidarity",
            )
    full = _full(session, contract.id, contract.max_subscribers, offers)
    status = "active"
    if full is not None:
        if not data.waiting_list:
            what = contract.code if full == "contract" else full
            fail(
                _("{what} is full: add --waiting-list to join the waiting list").format(what=what),
                "size",
            )
        status = "waiting"
    subscription = Subscription(
        contract_id=contract.id,
        member_id=member.id,
        place_id=place.id,
        starts_on=starts_on,
        ends_on=data.ends_on,
        status=status,
        invert=data.invert,
        solidarity=data.solidarity,
        contribution_cents=data.contribution_cents,
        amount_cents=0,
        created_at=now,
        updated_at=now,
    )
    session.add(subscription)
    session.flush()
    session.execute(
        insert(SubscriptionLine),
        [
            {"subscription_id": subscription.id, "offer_id": o.id, "quantity": q}
            for o, (_c, q) in zip(offers, data.lines, strict=True)
        ],
    )
    session.execute(
        insert(Holder),
        [
            {"subscription_id": subscription.id, "member_id": h.id, "position": i}
            for i, h in enumerate(holders)
        ],
    )
    audit.record(
        session,
        actor=actor,
        at=now,
        action="amap.subscription.create",
        entity="amap_subscription",
        entity_id=subscription.id,
        member_id=member.id,
        after={
            "contract": contract.code,
            "status": status,
            "lines": ", ".join(f"{q} × {c}" for c, q in data.lines),
            "starts_on": starts_on,
            "co_holders": ", ".join(str(n) for n in data.co_holders or []),
        },
    )
    if refresh:
        baskets.refresh(session, [contract.id], today=local_date(now))
        session.refresh(subscription)
    return subscription


def promote(
    session: Session, subscription: Subscription, *, actor: Actor, now: datetime
) -> Subscription:
    """Take a household off the waiting list once a place is free."""
    if subscription.status != "waiting":
        fail(
            _("subscription {id} is not on the waiting list").format(id=subscription.id),
            "subscription",
        )
    contract = session.get_one(Contract, subscription.contract_id)
    offers = list(
        session.scalars(
            select(Offer)
            .join(SubscriptionLine, SubscriptionLine.offer_id == Offer.id)
            .where(SubscriptionLine.subscription_id == subscription.id)
        )
    )
    full = _full(session, contract.id, contract.max_subscribers, offers)
    if full is not None:
        fail(
            _("{what} is still full").format(what=contract.code if full == "contract" else full),
            "size",
        )
    subscription.status = "active"
    subscription.updated_at = now
    record_change(
        session,
        subscription,
        "amap.subscription.promote",
        {"status": "waiting"},
        {"status": "active"},
        actor,
        now,
    )
    baskets.refresh(session, [contract.id], today=local_date(now))
    return subscription


def waiting_list(session: Session, contract_id: int) -> list[Subscription]:
    return list(
        session.scalars(
            select(Subscription)
            .where(Subscription.contract_id == contract_id, Subscription.status == "waiting")
            .order_by(Subscription.created_at, Subscription.id)
        )
    )


def end(
    session: Session, subscription: Subscription, *, on: date, actor: Actor, now: datetime
) -> Subscription:
    """Unsubscribe from a date on: later baskets go, the amount drops (R7)."""
    if on < subscription.starts_on:
        fail(_("the end {date} is before the start").format(date=on), "end")
    before = {"ends_on": subscription.ends_on, "status": subscription.status}
    subscription.ends_on = on
    subscription.updated_at = now
    record_change(
        session, subscription, "amap.subscription.end", before, {"ends_on": on}, actor, now
    )
    baskets.refresh(session, [subscription.contract_id], today=local_date(now))
    return subscription


def change(
    session: Session,
    subscription: Subscription,
    *,
    lines: list[tuple[str, int]],
    from_date: date,
    actor: Actor,
    now: datetime,
) -> Subscription:
    """New sizes/quantities (or default order) for the baskets from ``from_date`` on."""
    offers = [
        (lookup.offer(session, subscription.contract_id, code), quantity)
        for code, quantity in lines
    ]
    if not offers or any(q < 1 for _o, q in offers):
        fail(_("say which size or products, with a quantity of at least 1"), "size")
    if from_date <= local_date(now):
        fail(_("a change applies to coming deliveries only"), "from")
    session.execute(
        delete(SubscriptionLine).where(SubscriptionLine.subscription_id == subscription.id)
    )
    session.execute(
        insert(SubscriptionLine),
        [{"subscription_id": subscription.id, "offer_id": o.id, "quantity": q} for o, q in offers],
    )
    coming = (
        select(Basket.id)
        .join(Delivery, Delivery.id == Basket.delivery_id)
        .where(Basket.subscription_id == subscription.id, Delivery.on >= from_date)
    )
    session.execute(delete(BasketItem).where(BasketItem.basket_id.in_(coming)))
    record_change(
        session,
        subscription,
        "amap.subscription.change",
        None,
        {"lines": ", ".join(f"{q} × {o.code}" for o, q in offers), "from": from_date},
        actor,
        now,
    )
    baskets.refresh(session, [subscription.contract_id], today=local_date(now))
    return subscription


def set_collector(
    session: Session,
    subscription: Subscription,
    on: date,
    number: int,
    *,
    actor: Actor,
    now: datetime,
) -> None:
    """Change who collects a shared basket on one date (the other dates keep their turn)."""
    member = lookup.member(session, number, "collector")
    holder = session.get(Holder, (subscription.id, member.id))
    if holder is None:
        fail(
            _("member {number} does not hold this subscription").format(number=number), "collector"
        )
    basket = _basket(session, subscription, on)
    before = {"collector_id": basket.collector_id}
    basket.collector_id = member.id
    record_change(
        session,
        subscription,
        "amap.subscription.collector",
        before,
        {"on": on, "collector_id": member.id},
        actor,
        now,
    )


def add_holder(
    session: Session, subscription: Subscription, number: int, *, actor: Actor, now: datetime
) -> None:
    holder = session.scalar(select(Member).where(Member.number == number))
    if holder is None or holder.erased_at is not None or holder.left_on is not None:
        fail(_("co-holder {number} is not a member").format(number=number), "co-holder")
    if session.get(Holder, (subscription.id, holder.id)) is not None:
        fail(
            _("member {number} already holds this subscription").format(number=number), "co-holder"
        )
    position = session.scalar(
        select(func.max(Holder.position)).where(Holder.subscription_id == subscription.id)
    )
    session.add(
        Holder(subscription_id=subscription.id, member_id=holder.id, position=(position or 0) + 1)
    )
    record_change(
        session, subscription, "amap.subscription.holder", None, {"co_holder": number}, actor, now
    )
    session.flush()
    # Coming baskets take the new alternation; past ones keep who collected.
    baskets.assign_turns(
        session, [subscription.contract_id], after=local_date(now), subscription=subscription.id
    )


def _basket(session: Session, subscription: Subscription, on: date) -> Basket:
    found = session.scalar(
        select(Basket)
        .join(Delivery, Delivery.id == Basket.delivery_id)
        .where(Basket.subscription_id == subscription.id, Delivery.on == on)
    )
    if found is None:
        fail(
            _("subscription {id} has no basket on {date}").format(id=subscription.id, date=on),
            "date",
        )
    return found


def record_change(
    session: Session,
    subscription: Subscription,
    action: str,
    before: Mapping[str, object] | None,
    after: Mapping[str, object],
    actor: Actor,
    now: datetime,
) -> None:
    """Audit one change to a subscription (or one of its baskets), naming the household."""
    audit.record(
        session,
        actor=actor,
        at=now,
        action=action,
        entity="amap_subscription",
        entity_id=subscription.id,
        member_id=subscription.member_id,
        before=before,
        after=after,
    )


def set_order(
    session: Session,
    subscription: Subscription,
    on: date,
    lines: list[tuple[str, int]],
    *,
    actor: Actor,
    now: datetime,
) -> int:
    """A variable contract's order for one date (quantities 0 allowed); returns its amount."""
    contract = session.get_one(Contract, subscription.contract_id)
    if contract.kind != "variable":
        fail(
            _("{code} is a fixed contract: change the subscription instead").format(
                code=contract.code
            ),
            "contract",
        )
    if on <= local_date(now):
        fail(_("the order of a past or today's delivery can no longer change"), "date")
    basket = _basket(session, subscription, on)
    items = [
        (lookup.offer(session, contract.id, code, "product"), quantity) for code, quantity in lines
    ]
    if any(q < 0 for _o, q in items):
        fail(_("a quantity cannot be negative"), "quantity")
    amount = sum(o.price_cents * q for o, q in items)
    if contract.min_order_cents and 0 < amount < contract.min_order_cents:
        fail(
            _("the order is below the minimum per delivery of this contract"),
            "quantity",
        )
    session.execute(delete(BasketItem).where(BasketItem.basket_id == basket.id))
    session.execute(
        insert(BasketItem),
        [{"basket_id": basket.id, "offer_id": o.id, "quantity": q} for o, q in items],
    )
    record_change(
        session,
        subscription,
        "amap.subscription.order",
        None,
        {"on": on, "order": ", ".join(f"{q} × {o.code}" for o, q in items)},
        actor,
        now,
    )
    baskets.recompute(session, [contract.id], today=local_date(now))
    return amount
