"""Print data of the AMAP's other sheets (laid out in ``invoices``): the per-contract grid
(CAMAP style, members × dates), the producer's delivery sheet, the cheque schedule (Amapress
payment calendar) and the depot list (one block per place). Names sorted by last name ignoring
accents; no phone numbers (privacy); the producer's contact is printed on the delivery sheet.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.amap import contracts, distributions, lookup
from coop.amap.models import (
    Basket,
    BasketItem,
    Contract,
    Delivery,
    Holder,
    Offer,
    Payment,
    Place,
    Referent,
    Subscription,
)
from coop.amap.rules import FACTOR_ONE
from coop.catalog.models import Producer
from coop.dates import format_date
from coop.documents import Letterhead, letterhead
from coop.i18n import _
from coop.members.models import Member
from coop.text import fold

ABSENT_MARK = "☂"
"""A declared absence on the grid (CAMAP prints a palm tree)."""
NO_DELIVERY_MARK = "✕"
"""No basket for this member on that date."""


def _holders(session: Session, subscription_ids: list[int]) -> dict[int, list[Member]]:
    found: dict[int, list[Member]] = {}
    if subscription_ids:
        for sub_id, member in session.execute(
            select(Holder.subscription_id, Member)
            .join(Member, Member.id == Holder.member_id)
            .where(Holder.subscription_id.in_(subscription_ids))
            .order_by(Holder.position)
        ).all():
            found.setdefault(sub_id, []).append(member)
    return found


def _subscriptions(session: Session, contract: Contract) -> list[tuple[Subscription, Member]]:
    rows = session.execute(
        select(Subscription, Member)
        .join(Member, Member.id == Subscription.member_id)
        .where(Subscription.contract_id == contract.id, Subscription.status != "waiting")
    ).all()
    return sorted(
        ((s, m) for s, m in rows),
        key=lambda pair: (fold(f"{pair[1].last_name} {pair[1].first_name}"), pair[1].number),
    )


# --- the per-contract grid ---------------------------------------------------------------------


@dataclass(frozen=True)
class GridRow:
    names: tuple[str, ...]
    """The subscriber, then each co-holder on its own line (printed with "↔")."""
    basket: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class ContractGrid:
    letterhead: Letterhead
    contract: str
    contract_name: str
    producer: str
    first: date
    last: date
    dates: tuple[date, ...]
    rows: tuple[GridRow, ...]
    printed_at: datetime


def contract_grid(
    session: Session,
    code: str,
    first: date,
    last: date,
    *,
    settings: Any,
    printed_at: datetime,
) -> ContractGrid:
    """Members × delivery dates of a contract between ``first`` and ``last``."""
    contract = lookup.contract(session, code)
    deliveries = list(
        session.scalars(
            select(Delivery)
            .where(
                Delivery.contract_id == contract.id,
                Delivery.on >= first,
                Delivery.on <= last,
                Delivery.cancelled.is_(False),
            )
            .order_by(Delivery.on)
        )
    )
    if not deliveries:
        lookup.fail(
            _("{code} delivers nothing between {first} and {last}").format(
                code=contract.code, first=format_date(first), last=format_date(last)
            ),
            "date",
        )
    ids = [d.id for d in deliveries]
    status = {
        (sub, delivery): state
        for sub, delivery, state in session.execute(
            select(Basket.subscription_id, Basket.delivery_id, Basket.status).where(
                Basket.delivery_id.in_(ids)
            )
        ).all()
    }
    subs = _subscriptions(session, contract)
    holders = _holders(session, [s.id for s, _m in subs])
    lines = dict(
        (sub_id, text) for sub_id, text in _line_texts(session, [s.id for s, _m in subs]).items()
    )
    marks = {"due": "", "absent": ABSENT_MARK, "donated": _("given")}
    rows = []
    for sub, member in subs:
        names = [distributions.last_first(member)]
        names += [distributions.last_first(m) for m in holders.get(sub.id, []) if m.id != member.id]
        cells = tuple(
            marks.get(status.get((sub.id, d.id), ""), NO_DELIVERY_MARK) for d in deliveries
        )
        if all(c == NO_DELIVERY_MARK for c in cells):
            continue
        rows.append(GridRow(tuple(names), lines.get(sub.id, ""), cells))
    producer = session.get_one(Producer, contract.producer_id)
    return ContractGrid(
        letterhead(settings),
        contract.code,
        contract.name,
        producer.name,
        first,
        last,
        tuple(d.on for d in deliveries),
        tuple(rows),
        printed_at,
    )


def _line_texts(session: Session, subscription_ids: list[int]) -> dict[int, str]:
    from coop.amap.models import SubscriptionLine

    found: dict[int, list[str]] = {}
    if subscription_ids:
        for sub_id, code, quantity in session.execute(
            select(SubscriptionLine.subscription_id, Offer.code, SubscriptionLine.quantity)
            .join(Offer, Offer.id == SubscriptionLine.offer_id)
            .where(SubscriptionLine.subscription_id.in_(subscription_ids))
            .order_by(Offer.id)
        ).all():
            found.setdefault(sub_id, []).append(f"{quantity} {code}")
    return {k: ", ".join(v) for k, v in found.items()}


# --- the producer's delivery sheet -------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryLine:
    code: str
    label: str
    price_cents: int
    per_place: tuple[int, ...]
    total: int
    amount_cents: int


@dataclass(frozen=True)
class DeliverySheet:
    letterhead: Letterhead
    contract: str
    contract_name: str
    kind: str
    on: date
    producer: str
    producer_contact: str
    referents: tuple[str, ...]
    places: tuple[str, ...]
    lines: tuple[DeliveryLine, ...]
    amount_cents: int
    matrix: tuple[tuple[str, tuple[int, ...]], ...]
    """Variable contracts: (household, quantity per line's product)."""
    printed_at: datetime


def delivery_sheet(
    session: Session, code: str, on: date, *, settings: Any, printed_at: datetime
) -> DeliverySheet:
    """What the producer brings on ``on``: quantities per size or product, per place and in
    total, with prices; for a variable contract, who ordered what."""
    contract = lookup.contract(session, code)
    delivery = lookup.delivery(session, contract.id, on)
    if delivery.cancelled:
        lookup.fail(
            _("the contract has no delivery on {date}").format(date=format_date(on)), "date"
        )
    rows = session.execute(
        select(Offer, Place.code, Member, BasketItem.quantity)
        .join(BasketItem, BasketItem.offer_id == Offer.id)
        .join(Basket, Basket.id == BasketItem.basket_id)
        .join(Subscription, Subscription.id == Basket.subscription_id)
        .join(Place, Place.id == Subscription.place_id)
        .join(Member, Member.id == Subscription.member_id)
        .where(Basket.delivery_id == delivery.id, Basket.status != "absent")
    ).all()
    offers = contracts.offers(session, contract.id)
    places = sorted(
        {place for _o, place, _m, _q in rows}
        or {p.code for p in contracts.places_of(session, contract.id)}
    )
    if delivery.place_id is not None:
        places = [session.get_one(Place, delivery.place_id).code]
    per: Counter[tuple[int, str]] = Counter()
    per_member: dict[int, Counter[int]] = {}
    people: dict[int, Member] = {}
    for offer, place, member, quantity in rows:
        where = places[0] if delivery.place_id is not None else place
        delivered = (quantity * delivery.factor + FACTOR_ONE // 2) // FACTOR_ONE
        per[(offer.id, where)] += delivered
        per_member.setdefault(member.id, Counter())[offer.id] += delivered
        people[member.id] = member
    lines = []
    for offer in offers:
        counts = tuple(per[(offer.id, p)] for p in places)
        total = sum(counts)
        if total or contract.kind == "fixed":
            lines.append(
                DeliveryLine(
                    offer.code,
                    offer.label,
                    offer.price_cents,
                    counts,
                    total,
                    total * offer.price_cents,
                )
            )
    producer = session.get_one(Producer, contract.producer_id)
    referents = [
        distributions.last_first(m)
        for m in session.scalars(
            select(Member)
            .join(Referent, Referent.member_id == Member.id)
            .where(Referent.contract_id == contract.id)
        )
    ]
    matrix: list[tuple[str, tuple[int, ...]]] = []
    if contract.kind == "variable":
        ordered = sorted(people.values(), key=lambda m: fold(f"{m.last_name} {m.first_name}"))
        shown = [line.code for line in lines]
        ids = {o.code: o.id for o in offers}
        matrix = [
            (distributions.last_first(m), tuple(per_member[m.id][ids[c]] for c in shown))
            for m in ordered
        ]
    contact = ", ".join(x for x in (producer.contact_name, producer.phone, producer.email) if x)
    return DeliverySheet(
        letterhead(settings),
        contract.code,
        contract.name,
        contract.kind,
        on,
        producer.name,
        contact,
        tuple(referents),
        tuple(places),
        tuple(lines),
        sum(line.amount_cents for line in lines),
        tuple(matrix),
        printed_at,
    )


# --- the cheque schedule -----------------------------------------------------------------------


@dataclass(frozen=True)
class ChequeRow:
    name: str
    cells: tuple[str, ...]
    """Per cashing date: "n° 1234567 · 45,00 €" (✓ when handed over), empty when none."""


@dataclass(frozen=True)
class ChequeSchedule:
    letterhead: Letterhead
    contract: str
    contract_name: str
    producer: str
    dates: tuple[date, ...]
    rows: tuple[ChequeRow, ...]
    totals_cents: tuple[int, ...]
    handed_cents: tuple[int, ...]
    printed_at: datetime


def cheque_schedule(
    session: Session, code: str, *, settings: Any, printed_at: datetime
) -> ChequeSchedule:
    """Members × cashing dates of a contract's cheques, with totals and what was handed over."""
    from coop.money import format_money

    contract = lookup.contract(session, code)
    subs = _subscriptions(session, contract)
    cheques = session.scalars(
        select(Payment)
        .where(
            Payment.subscription_id.in_([s.id for s, _m in subs]),
            Payment.means == "cheque",
            Payment.cashing_on.is_not(None),
        )
        .order_by(Payment.position)
    ).all()
    dates = sorted({c.cashing_on for c in cheques if c.cashing_on is not None})
    if not dates:
        lookup.fail(_("{code} has no cheques planned").format(code=contract.code), "contract")
    by_sub: dict[int, dict[date, list[Payment]]] = {}
    for cheque in cheques:
        assert cheque.cashing_on is not None
        by_sub.setdefault(cheque.subscription_id, {}).setdefault(cheque.cashing_on, []).append(
            cheque
        )
    totals, handed = Counter[date](), Counter[date]()
    rows = []
    for sub, member in subs:
        mine = by_sub.get(sub.id, {})
        if not mine:
            continue
        cells = []
        for on in dates:
            parts = []
            for cheque in mine.get(on, []):
                totals[on] += cheque.amount_cents
                mark = " ✓" if cheque.state == "handed_over" else ""
                if cheque.state == "handed_over":
                    handed[on] += cheque.amount_cents
                number = f"n° {cheque.number} · " if cheque.number else ""
                parts.append(f"{number}{format_money(cheque.amount_cents)}{mark}")
            cells.append("\n".join(parts))
        rows.append(ChequeRow(distributions.last_first(member), tuple(cells)))
    return ChequeSchedule(
        letterhead(settings),
        contract.code,
        contract.name,
        session.get_one(Producer, contract.producer_id).name,
        tuple(dates),
        tuple(rows),
        tuple(totals[on] for on in dates),
        tuple(handed[on] for on in dates),
        printed_at,
    )


# --- the depot list ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DepotBlock:
    place: str
    place_name: str
    address: str | None
    hours: str | None
    columns: tuple[str, ...]
    """ "LEG-2026 GP", "LEG-2026 PP"…"""
    totals: tuple[int, ...]
    rows: tuple[tuple[str, tuple[int, ...], bool], ...]
    """(household, count per column, absent)."""


@dataclass(frozen=True)
class DepotList:
    letterhead: Letterhead
    on: date
    blocks: tuple[DepotBlock, ...]
    printed_at: datetime


def depot_list(session: Session, on: date, *, settings: Any, printed_at: datetime) -> DepotList:
    """One block per place distributing on ``on``: households × sizes, totals first."""
    places = distributions.places_on(session, on)
    if not places:
        lookup.fail(_("there is no distribution on {date}").format(date=format_date(on)), "date")
    blocks = []
    for code in places:
        day = distributions.day(session, on, code)
        columns: list[str] = []
        counted: list[tuple[str, Counter[str], bool]] = []
        for household in day.households:
            sizes: Counter[str] = Counter()
            for share in household.shares:
                for part in share.items.split(", "):
                    if " × " in part:
                        quantity, size = part.split(" × ", 1)
                        key = f"{share.contract} {size}"
                        if key not in columns:
                            columns.append(key)
                        if share.status == "due":
                            sizes[key] += int(quantity)
            counted.append((household.names, sizes, household.absent))
        columns.sort()
        rows = tuple((name, tuple(c[k] for k in columns), absent) for name, c, absent in counted)
        totals = tuple(sum(r[1][i] for r in rows) for i in range(len(columns)))
        blocks.append(
            DepotBlock(code, day.place_name, day.address, day.hours, tuple(columns), totals, rows)
        )
    return DepotList(letterhead(settings), on, tuple(blocks), printed_at)
