"""What the AMAP shows, as typed values: a subscription, a contract with its calendar, and the
baskets of a distribution (one date, one place) read set-based for the distribution day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from coop.amap import contracts, payments
from coop.amap.models import (
    Basket,
    BasketItem,
    Contract,
    Delivery,
    Holder,
    Offer,
    Place,
    Subscription,
    SubscriptionLine,
)
from coop.catalog.models import Producer
from coop.members.models import Member


@dataclass(frozen=True)
class BasketView:
    on: date
    place: str
    status: str
    collector: int
    keeper: int | None
    donated_to: str | None
    factor: int
    items: str
    amount_cents: int


@dataclass(frozen=True)
class PaymentView:
    position: int
    means: str
    amount_cents: int
    cashing_on: date | None
    number: str | None
    bank: str | None
    issuer: str | None
    state: str
    received_on: date | None
    handed_on: date | None


@dataclass(frozen=True)
class SubscriptionView:
    id: int
    contract: str
    member: int
    name: str
    place: str
    status: str
    starts_on: date
    ends_on: date | None
    lines: str
    holders: list[int]
    solidarity: bool
    contribution_cents: int
    amount_cents: int
    received_cents: int
    left_cents: int
    paid: bool
    baskets: list[BasketView]
    payments: list[PaymentView]


def _items_text(pairs: list[tuple[str, int]]) -> str:
    return ", ".join(f"{q} × {c}" for c, q in pairs if q)


def subscription_view(session: Session, subscription: Subscription) -> SubscriptionView:
    contract = session.get_one(Contract, subscription.contract_id)
    member = session.get_one(Member, subscription.member_id)
    own_place = session.get_one(Place, subscription.place_id)
    lines = session.execute(
        select(Offer.code, SubscriptionLine.quantity)
        .join(Offer, Offer.id == SubscriptionLine.offer_id)
        .where(SubscriptionLine.subscription_id == subscription.id)
        .order_by(Offer.id)
    ).all()
    holders = list(
        session.scalars(
            select(Member.number)
            .join(Holder, Holder.member_id == Member.id)
            .where(Holder.subscription_id == subscription.id)
            .order_by(Holder.position)
        )
    )
    collector, keeper = aliased(Member), aliased(Member)
    moved = aliased(Place)
    items: dict[int, list[tuple[str, int]]] = {}
    for basket_id, code, quantity in session.execute(
        select(BasketItem.basket_id, Offer.code, BasketItem.quantity)
        .join(Offer, Offer.id == BasketItem.offer_id)
        .join(Basket, Basket.id == BasketItem.basket_id)
        .where(Basket.subscription_id == subscription.id)
        .order_by(Offer.id)
    ):
        items.setdefault(basket_id, []).append((code, quantity))
    rows = session.execute(
        select(
            Basket.id,
            Delivery.on,
            moved.code,
            Basket.status,
            collector.number,
            keeper.number,
            Basket.donated_to,
            Delivery.factor,
            Basket.amount_cents,
        )
        .join(Delivery, Delivery.id == Basket.delivery_id)
        .join(collector, collector.id == Basket.collector_id)
        .outerjoin(keeper, keeper.id == Basket.keeper_id)
        .outerjoin(moved, moved.id == Delivery.place_id)
        .where(Basket.subscription_id == subscription.id)
        .order_by(Delivery.on)
    ).all()
    balance = payments.balance(session, subscription)
    return SubscriptionView(
        id=subscription.id,
        contract=contract.code,
        member=member.number,
        name=member.full_name,
        place=own_place.code,
        status=subscription.status,
        starts_on=subscription.starts_on,
        ends_on=subscription.ends_on,
        lines=_items_text([(c, q) for c, q in lines]),
        holders=holders,
        solidarity=subscription.solidarity,
        contribution_cents=subscription.contribution_cents,
        amount_cents=subscription.amount_cents,
        received_cents=balance.received_cents,
        left_cents=balance.left_cents,
        paid=balance.paid,
        baskets=[
            BasketView(
                on,
                place or own_place.code,
                status,
                coll,
                keep,
                to,
                factor,
                _items_text(items.get(bid, [])),
                amount,
            )
            for bid, on, place, status, coll, keep, to, factor, amount in rows
        ],
        payments=[
            PaymentView(
                p.position,
                p.means,
                p.amount_cents,
                p.cashing_on,
                p.number,
                p.bank,
                p.issuer,
                p.state,
                p.received_on,
                p.handed_on,
            )
            for p in payments.payments_of(session, subscription.id)
        ],
    )


@dataclass(frozen=True)
class DeliveryView:
    on: date
    cancelled: bool
    factor: int
    place: str | None
    moved_from: date | None
    baskets: int


@dataclass(frozen=True)
class OfferView:
    code: str
    label: str
    price_cents: int
    vat_bp: int
    unit: str
    parts_pct: int | None
    max_subscribers: int | None
    subscribers: int


@dataclass(frozen=True)
class ContractView:
    code: str
    name: str
    producer: str
    kind: str
    season_start: date
    season_end: date
    places: list[str]
    referents: list[int]
    offers: list[OfferView]
    cheque_counts: list[int]
    strategy: str
    cashing_dates: list[date]
    max_subscribers: int | None
    max_absences: int
    subscribers: int
    waiting: int
    amount_cents: int
    frozen: bool
    deliveries: list[DeliveryView]


def contract_view(session: Session, contract: Contract) -> ContractView:
    from coop.amap.calendar import is_frozen
    from coop.amap.models import Referent

    counts = dict(
        session.execute(
            select(Subscription.status, func.count())
            .where(Subscription.contract_id == contract.id)
            .group_by(Subscription.status)
        ).all()
    )
    per_offer = dict(
        session.execute(
            select(SubscriptionLine.offer_id, func.count())
            .join(Subscription, Subscription.id == SubscriptionLine.subscription_id)
            .where(Subscription.contract_id == contract.id, Subscription.status == "active")
            .group_by(SubscriptionLine.offer_id)
        ).all()
    )
    per_delivery = dict(
        session.execute(
            select(Basket.delivery_id, func.count())
            .join(Delivery, Delivery.id == Basket.delivery_id)
            .where(Delivery.contract_id == contract.id)
            .group_by(Basket.delivery_id)
        ).all()
    )
    moved = aliased(Place)
    deliveries = [
        DeliveryView(d.on, d.cancelled, d.factor, code, d.moved_from, per_delivery.get(d.id, 0))
        for d, code in session.execute(
            select(Delivery, moved.code)
            .outerjoin(moved, moved.id == Delivery.place_id)
            .where(Delivery.contract_id == contract.id)
            .order_by(Delivery.on)
        )
    ]
    return ContractView(
        code=contract.code,
        name=contract.name,
        producer=session.get_one(Producer, contract.producer_id).code,
        kind=contract.kind,
        season_start=contract.season_start,
        season_end=contract.season_end,
        places=[p.code for p in contracts.places_of(session, contract.id)],
        referents=list(
            session.scalars(
                select(Member.number)
                .join(Referent, Referent.member_id == Member.id)
                .where(Referent.contract_id == contract.id)
                .order_by(Member.number)
            )
        ),
        offers=[
            OfferView(
                o.code,
                o.label,
                o.price_cents,
                o.vat_bp,
                o.unit,
                o.parts_pct,
                o.max_subscribers,
                per_offer.get(o.id, 0),
            )
            for o in contracts.offers(session, contract.id)
        ],
        cheque_counts=contracts.allowed_counts(contract),
        strategy=contract.strategy,
        cashing_dates=contracts.cashing_dates(session, contract.id),
        max_subscribers=contract.max_subscribers,
        max_absences=contract.max_absences,
        subscribers=counts.get("active", 0),
        waiting=counts.get("waiting", 0),
        amount_cents=int(
            session.scalar(
                select(func.coalesce(func.sum(Subscription.amount_cents), 0)).where(
                    Subscription.contract_id == contract.id, Subscription.status == "active"
                )
            )
            or 0
        ),
        frozen=is_frozen(session, contract),
        deliveries=deliveries,
    )


@dataclass(frozen=True)
class DistributionBasket:
    """One household's basket at a distribution: the row the distribution day works from."""

    basket_id: int
    contract: str
    subscription_id: int
    member: int
    collector: int
    status: str
    donated_to: str | None
    keeper: int | None
    factor: int
    items: str


def distribution(session: Session, on: date, place: str | None = None) -> list[DistributionBasket]:
    """Every basket delivered on ``on`` (at ``place``: a moved delivery's place, else the
    subscriber's), in one query plus one for contents."""
    sub_place = aliased(Place)
    moved = aliased(Place)
    member, collector, keeper = aliased(Member), aliased(Member), aliased(Member)
    where = [Delivery.on == on, Delivery.cancelled.is_(False)]
    if place is not None:
        where.append(func.coalesce(moved.code, sub_place.code) == place.upper())
    rows = session.execute(
        select(
            Basket.id,
            Contract.code,
            Subscription.id,
            member.number,
            collector.number,
            Basket.status,
            Basket.donated_to,
            keeper.number,
            Delivery.factor,
        )
        .join(Delivery, Delivery.id == Basket.delivery_id)
        .join(Subscription, Subscription.id == Basket.subscription_id)
        .join(Contract, Contract.id == Subscription.contract_id)
        .join(sub_place, sub_place.id == Subscription.place_id)
        .outerjoin(moved, moved.id == Delivery.place_id)
        .join(member, member.id == Subscription.member_id)
        .join(collector, collector.id == Basket.collector_id)
        .outerjoin(keeper, keeper.id == Basket.keeper_id)
        .where(and_(*where))
        .order_by(Contract.code, member.search_name)
    ).all()
    ids = [row[0] for row in rows]
    items: dict[int, list[tuple[str, int]]] = {}
    if ids:
        for basket_id, code, quantity in session.execute(
            select(BasketItem.basket_id, Offer.code, BasketItem.quantity)
            .join(Offer, Offer.id == BasketItem.offer_id)
            .where(BasketItem.basket_id.in_(ids))
            .order_by(Offer.id)
        ):
            items.setdefault(basket_id, []).append((code, quantity))
    return [
        DistributionBasket(
            bid, code, sub, num, coll, status, to, keep, factor, _items_text(items.get(bid, []))
        )
        for bid, code, sub, num, coll, status, to, keep, factor in rows
    ]
