"""Distributions: one date at one place, read from the contracts' calendars (moved and doubled
deliveries included), with the coordinator's hours and instructions, and the households expected
there, grouped by who collects that day (co-holders joined, the day's collector first).

``day(session, on, place)`` is what the desk, the émargement and the depot list work from.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from coop.amap import lookup
from coop.amap.models import (
    Contract,
    Delivery,
    Distribution,
    Holder,
    Pickup,
    Place,
    Subscription,
)
from coop.amap.views import DistributionBasket, distribution
from coop.audit import Actor, record
from coop.dates import format_date
from coop.i18n import _
from coop.members.models import Member
from coop.text import fold


@dataclass(frozen=True)
class Share:
    """One contract of a household at a distribution."""

    basket_id: int
    contract: str
    items: str
    status: str
    """due, absent or donated."""
    donated_to: str | None
    keeper: str | None
    """The name of whoever collects this basket for the household (R21 keeper)."""
    factor: int
    outcome: str | None
    """What the desk recorded: collected, partner, volunteer; None while nothing."""


@dataclass(frozen=True)
class Household:
    """Who comes to the table: the collector of the day and the co-holders, with their shares."""

    member: int
    """The collector's member number."""
    names: str
    """ "DUPONT Hélène / MARTIN Paul", the collector first."""
    last_first: str
    sort_key: str
    folded: str
    """Every holder's folded "first last", for the desk's name search."""
    phone: str | None
    shares: tuple[Share, ...]
    other_turn: tuple[str, ...] = ()
    """Shared baskets where it is the other holder's turn today (contract codes)."""
    overdue: tuple[str, ...] = ()
    """Contracts with a cheque still expected on a cashing date already past."""

    @property
    def due(self) -> tuple[Share, ...]:
        return tuple(s for s in self.shares if s.status == "due")

    @property
    def absent(self) -> bool:
        return bool(self.shares) and not self.due

    @property
    def collected(self) -> bool:
        due = self.due
        return bool(due) and all(s.outcome == "collected" for s in due)


@dataclass(frozen=True)
class Day:
    """A distribution: one date, one place."""

    on: date
    place: str
    place_name: str
    address: str | None
    hours: str | None
    public_note: str | None
    volunteer_note: str | None
    extra_volunteers: int
    contracts: tuple[tuple[str, str], ...]
    """(code, name) of every contract delivered there that day."""
    households: tuple[Household, ...] = field(default=())


def places_on(session: Session, on: date) -> list[str]:
    """The codes of the places where something is delivered on ``on``."""
    sub_place, moved = aliased(Place), aliased(Place)
    from coop.amap.models import Basket

    return sorted(
        set(
            session.scalars(
                select(func.coalesce(moved.code, sub_place.code))
                .select_from(Basket)
                .join(Delivery, Delivery.id == Basket.delivery_id)
                .join(Subscription, Subscription.id == Basket.subscription_id)
                .join(sub_place, sub_place.id == Subscription.place_id)
                .outerjoin(moved, moved.id == Delivery.place_id)
                .where(Delivery.on == on, Delivery.cancelled.is_(False))
                .distinct()
            )
        )
    )


def contracts_on(session: Session, on: date, place: str) -> list[str]:
    """The codes of the contracts delivered at ``place`` on ``on`` (one DISTINCT query)."""
    from coop.amap.models import Basket

    sub_place, moved = aliased(Place), aliased(Place)
    return sorted(
        session.scalars(
            select(Contract.code)
            .select_from(Basket)
            .join(Delivery, Delivery.id == Basket.delivery_id)
            .join(Contract, Contract.id == Delivery.contract_id)
            .join(Subscription, Subscription.id == Basket.subscription_id)
            .join(sub_place, sub_place.id == Subscription.place_id)
            .outerjoin(moved, moved.id == Delivery.place_id)
            .where(
                Delivery.on == on,
                Delivery.cancelled.is_(False),
                func.coalesce(moved.code, sub_place.code) == place,
            )
            .distinct()
        )
    )


def dates_between(session: Session, first: date, last: date) -> list[tuple[date, str]]:
    """Every (date, place) with a delivery between ``first`` and ``last``, in order (one query)."""
    from coop.amap.models import Basket

    sub_place, moved = aliased(Place), aliased(Place)
    return sorted(
        (on, code)
        for on, code in session.execute(
            select(Delivery.on, func.coalesce(moved.code, sub_place.code))
            .select_from(Basket)
            .join(Delivery, Delivery.id == Basket.delivery_id)
            .join(Subscription, Subscription.id == Basket.subscription_id)
            .join(sub_place, sub_place.id == Subscription.place_id)
            .outerjoin(moved, moved.id == Delivery.place_id)
            .where(Delivery.on >= first, Delivery.on <= last, Delivery.cancelled.is_(False))
            .distinct()
        ).all()
    )


def resolve(session: Session, on: date, place: str | None, field_name: str = "date") -> Place:
    """The place of the distribution of ``on`` (the only one when ``place`` is None); bad input
    when nothing is delivered there that day."""
    places = places_on(session, on)
    if place is None:
        if len(places) == 1:
            return lookup.place(session, places[0])
        if not places:
            lookup.fail(
                _("there is no distribution on {date}").format(date=format_date(on)), field_name
            )
        lookup.fail(
            _("several places distribute on {date} ({places}): choose one with --place").format(
                date=format_date(on), places=", ".join(places)
            ),
            "place",
        )
    found = lookup.place(session, place)
    if found.code not in places:
        lookup.fail(
            _("there is no distribution at {place} on {date}").format(
                place=found.code, date=format_date(on)
            ),
            field_name,
        )
    return found


def record_of(session: Session, place: Place, on: date) -> Distribution | None:
    return session.scalar(
        select(Distribution).where(Distribution.place_id == place.id, Distribution.on == on)
    )


def ensure(session: Session, place: Place, on: date) -> Distribution:
    """The distribution's row, created empty the first time something is added to it."""
    row = record_of(session, place, on)
    if row is None:
        row = Distribution(place_id=place.id, on=on, extra_volunteers=0)
        session.add(row)
        session.flush()
    return row


def set_details(
    session: Session,
    on: date,
    place: str | None,
    *,
    hours: str | None = None,
    public_note: str | None = None,
    volunteer_note: str | None = None,
    extra_volunteers: int | None = None,
    actor: Actor,
    now: datetime,
) -> Distribution:
    """Change a distribution's hours, instructions or extra volunteers (what is None stays)."""
    found = resolve(session, on, place)
    row = ensure(session, found, on)
    before = {
        "hours": row.hours,
        "public_note": row.public_note,
        "volunteer_note": row.volunteer_note,
        "extra_volunteers": row.extra_volunteers,
    }
    if extra_volunteers is not None and extra_volunteers < 0:
        lookup.fail(_("expected a whole number, 0 or more"), "extra")
    for name, value in (
        ("hours", hours),
        ("public_note", public_note),
        ("volunteer_note", volunteer_note),
        ("extra_volunteers", extra_volunteers),
    ):
        if value is not None:
            setattr(row, name, value)
    record(
        session,
        actor=actor,
        at=now,
        action="amap.distribution.edit",
        entity="amap_distribution",
        entity_id=row.id,
        before=before,
        after={k: getattr(row, k) for k in before},
    )
    return row


def _names(session: Session, numbers: set[int]) -> dict[int, Member]:
    if not numbers:
        return {}
    return {m.number: m for m in session.scalars(select(Member).where(Member.number.in_(numbers)))}


def _holders(session: Session, subscriptions: set[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    if subscriptions:
        for sub, number in session.execute(
            select(Holder.subscription_id, Member.number)
            .join(Member, Member.id == Holder.member_id)
            .where(Holder.subscription_id.in_(subscriptions))
            .order_by(Holder.position)
        ):
            found.setdefault(sub, []).append(number)
    return found


def _outcomes(session: Session, baskets: list[int]) -> dict[int, str]:
    if not baskets:
        return {}
    return dict(
        session.execute(
            select(Pickup.basket_id, Pickup.outcome).where(Pickup.basket_id.in_(baskets))
        ).all()
    )


def _overdue(session: Session, subscriptions: set[int], on: date) -> set[int]:
    from coop.amap.models import Payment

    if not subscriptions:
        return set()
    return set(
        session.scalars(
            select(Payment.subscription_id)
            .where(
                Payment.subscription_id.in_(subscriptions),
                Payment.state == "expected",
                Payment.cashing_on < on,
            )
            .distinct()
        )
    )


def last_first(member: Member) -> str:
    return f"{member.last_name.upper()} {member.first_name}"


def _household(
    number: int,
    rows: list[DistributionBasket],
    people: dict[int, Member],
    holders: dict[int, list[int]],
    outcomes: dict[int, str],
) -> Household:
    order = [number]
    for row in rows:
        order += [n for n in holders.get(row.subscription_id, []) if n not in order]
    members = [people[n] for n in order if n in people]
    shares = tuple(
        Share(
            row.basket_id,
            row.contract,
            row.items,
            row.status,
            row.donated_to,
            last_first(people[row.keeper]) if row.keeper in people else None,
            row.factor,
            outcomes.get(row.basket_id),
        )
        for row in rows
    )
    first = people[number]
    return Household(
        member=number,
        names=" / ".join(last_first(m) for m in members),
        last_first=last_first(first),
        sort_key=fold(f"{first.last_name} {first.first_name}"),
        folded=" | ".join(fold(f"{m.first_name} {m.last_name}") for m in members),
        phone=first.phone,
        shares=shares,
    )


def households(session: Session, on: date, place: str) -> list[Household]:
    """The households of a distribution, sorted by last name ignoring accents."""
    rows = distribution(session, on, place)
    subscriptions = {r.subscription_id for r in rows}
    holders = _holders(session, subscriptions)
    numbers = {r.collector for r in rows} | {r.keeper for r in rows if r.keeper is not None}
    numbers |= {n for group in holders.values() for n in group}
    people = _names(session, numbers)
    outcomes = _outcomes(session, [r.basket_id for r in rows])
    late = _overdue(session, subscriptions, on)
    by_collector: dict[int, list[DistributionBasket]] = {}
    waiting: dict[int, list[str]] = {}
    for row in rows:
        by_collector.setdefault(row.collector, []).append(row)
        for other in holders.get(row.subscription_id, []):
            if other != row.collector:
                waiting.setdefault(other, []).append(row.contract)
    found = []
    for number, group in by_collector.items():
        household = _household(number, group, people, holders, outcomes)
        turn = tuple(c for c in waiting.get(number, []) if c not in {s.contract for s in group})
        overdue = tuple(sorted({r.contract for r in group if r.subscription_id in late}))
        found.append(replace(household, other_turn=turn, overdue=overdue))
    return sorted(found, key=lambda h: (h.sort_key, h.member))


def day(session: Session, on: date, place: str | None = None) -> Day:
    """The distribution of ``on`` at ``place`` (bad input when there is none)."""
    found = resolve(session, on, place)
    row = record_of(session, found, on)
    people = households(session, on, found.code)
    codes = sorted({s.contract for h in people for s in h.shares})
    names = dict(session.execute(select(Contract.code, Contract.name)).all())
    return Day(
        on=on,
        place=found.code,
        place_name=found.name,
        address=found.address,
        hours=(row.hours if row and row.hours else found.hours),
        public_note=row.public_note if row else None,
        volunteer_note=row.volunteer_note if row else None,
        extra_volunteers=row.extra_volunteers if row else 0,
        contracts=tuple((code, names.get(code, code)) for code in codes),
        households=tuple(people),
    )
