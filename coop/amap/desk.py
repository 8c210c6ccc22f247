"""The distribution desk's use cases: find a household by card scan or a few letters of a name,
tick what it collected (and undo), count baskets collected per contract and size, and at the end
record what happened to the baskets nobody came for (given to the partner, kept by a volunteer).

``Desk`` holds the day's households in memory (read once, refreshed after each change), so a
lookup after a scan costs one card query and a pass over a few hundred folded names.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coop.amap import distributions, lookup
from coop.amap.distributions import Day, Household
from coop.amap.models import PICKUP_ACTOR_WIDTH, Pickup
from coop.audit import Actor, record
from coop.i18n import _
from coop.members.models import Member, MemberCard
from coop.scanning import ScanError, normalise_scan
from coop.text import fold

OUTCOMES = ("partner", "volunteer")


@dataclass(frozen=True)
class Count:
    contract: str
    size: str
    collected: int
    expected: int


@dataclass(frozen=True)
class Found:
    """What the desk shows after a scan or a search: households (best first) or why none."""

    households: tuple[Household, ...]
    message: str | None = None


def load(session: Session, on: date, place: str | None = None) -> Day:
    return distributions.day(session, on, place)


def _card_member(session: Session, code: str) -> int | None:
    return session.scalar(
        select(Member.number)
        .join(MemberCard, MemberCard.member_id == Member.id)
        .where(MemberCard.barcode == code, MemberCard.ended_on.is_(None))
    )


def find(session: Session, day: Day, text: str) -> Found:
    """A scanned card or member number (digits, AZERTY-shifted or not) or a few letters of a
    name (accents ignored)."""
    try:
        digits = normalise_scan(text)
    except ScanError:
        return Found((), _("that is far too long for a card or a name: scan again"))
    text = text.strip()
    if not digits:
        return Found(())
    if digits.isdigit():
        text = digits
        number = _card_member(session, text) if len(text) >= 8 else int(text)
        if number is None:
            return Found((), _("this card belongs to no member: {code}").format(code=text))
        hits = tuple(h for h in day.households if h.member == number)
        if hits:
            return Found(hits)
        shared = tuple(h for h in day.households if str(number) in _holder_numbers(session, h))
        if shared:
            return Found(shared, _("member {number} shares this basket").format(number=number))
        return Found((), _("member {number} collects nothing today").format(number=number))
    folded = fold(text)
    hits = tuple(h for h in day.households if folded in h.folded)
    if not hits:
        return Found((), _("nobody named “{text}” collects today").format(text=text))
    return Found(hits)


def _holder_numbers(session: Session, household: Household) -> set[str]:
    from coop.amap.models import Basket, Holder

    ids = [s.basket_id for s in household.shares]
    return {
        str(n)
        for n in session.scalars(
            select(Member.number)
            .join(Holder, Holder.member_id == Member.id)
            .join(Basket, Basket.subscription_id == Holder.subscription_id)
            .where(Basket.id.in_(ids))
        )
    }


def _household(day: Day, member: int) -> Household:
    for household in day.households:
        if household.member == member:
            return household
    lookup.fail(_("member {number} collects nothing today").format(number=member), "member")


def tick(session: Session, day: Day, member: int, *, actor: Actor, now: datetime) -> int:
    """Mark the household's baskets of the day collected; how many were ticked."""
    household = _household(day, member)
    open_ = [s for s in household.due if s.outcome is None]
    if not household.due:
        lookup.fail(
            _("{name} has nothing to collect today (absent or given)").format(name=household.names),
            "member",
        )
    if not open_:
        lookup.fail(_("{name} already collected today").format(name=household.names), "member")
    for share in open_:
        session.add(
            Pickup(
                basket_id=share.basket_id,
                outcome="collected",
                at=now,
                actor=actor.recorded_within(PICKUP_ACTOR_WIDTH),
            )
        )
    record(
        session,
        actor=actor,
        at=now,
        action="amap.pickup.collected",
        entity="amap_basket",
        entity_id=",".join(str(s.basket_id) for s in open_),
        after={"member": member, "date": day.on.isoformat(), "place": day.place},
    )
    session.flush()
    return len(open_)


def undo(session: Session, day: Day, member: int, *, actor: Actor, now: datetime) -> int:
    """Take back what the desk recorded for the household today."""
    household = _household(day, member)
    done = [s.basket_id for s in household.shares if s.outcome is not None]
    if not done:
        lookup.fail(_("nothing to undo for {name}").format(name=household.names), "member")
    session.execute(delete(Pickup).where(Pickup.basket_id.in_(done)))
    record(
        session,
        actor=actor,
        at=now,
        action="amap.pickup.undo",
        entity="amap_basket",
        entity_id=",".join(map(str, done)),
        before={"member": member, "date": day.on.isoformat(), "place": day.place},
    )
    return len(done)


def no_shows(day: Day) -> list[Household]:
    """Households with a basket due today that nobody collected and nothing was decided for."""
    return [h for h in day.households if any(s.outcome is None for s in h.due)]


def settle(
    session: Session,
    day: Day,
    member: int,
    outcome: str,
    *,
    keeper: int | None = None,
    actor: Actor,
    now: datetime,
) -> int:
    """Record what happened to an uncollected household's baskets: ``partner`` (the solidarity
    partner) or ``volunteer`` (kept by ``keeper``)."""
    if outcome not in OUTCOMES:
        lookup.fail(_("expected partner or volunteer"), "outcome")
    household = _household(day, member)
    keeper_id = lookup.member(session, keeper, "keeper").id if keeper is not None else None
    if outcome == "volunteer" and keeper_id is None:
        lookup.fail(_("say which volunteer keeps the basket (--keeper)"), "keeper")
    open_ = [s for s in household.due if s.outcome is None]
    if not open_:
        lookup.fail(
            _("nothing is left to decide for {name}").format(name=household.names), "member"
        )
    for share in open_:
        session.add(
            Pickup(
                basket_id=share.basket_id,
                outcome=outcome,
                keeper_id=keeper_id,
                at=now,
                actor=actor.recorded_within(PICKUP_ACTOR_WIDTH),
            )
        )
    record(
        session,
        actor=actor,
        at=now,
        action=f"amap.pickup.{outcome}",
        entity="amap_basket",
        entity_id=",".join(str(s.basket_id) for s in open_),
        after={"member": member, "keeper": keeper, "date": day.on.isoformat()},
    )
    session.flush()
    return len(open_)


def counts(day: Day) -> list[Count]:
    """Baskets collected / expected per contract and size ("GP", "PP"…), due baskets only."""
    expected: Counter[tuple[str, str]] = Counter()
    collected: Counter[tuple[str, str]] = Counter()
    for household in day.households:
        for share in household.due:
            for part in share.items.split(", "):
                if " × " not in part:
                    continue
                quantity, size = part.split(" × ", 1)
                expected[(share.contract, size)] += int(quantity)
                if share.outcome == "collected":
                    collected[(share.contract, size)] += int(quantity)
    return [Count(c, s, collected[(c, s)], n) for (c, s), n in sorted(expected.items())]


def recorded(day: Day, member: int, outcome: str | None) -> Day:
    """The day with ``member``'s open baskets (or, with None, its recorded ones) changed in
    memory after ``tick``, ``settle`` or ``undo`` committed: the desk never reads the whole
    distribution again after one household."""
    from dataclasses import replace

    def changed(household: Household) -> Household:
        if household.member != member:
            return household
        shares = tuple(
            replace(s, outcome=outcome)
            if s.status == "due" and (s.outcome is None) == (outcome is not None)
            else s
            for s in household.shares
        )
        return replace(household, shares=shares)

    return replace(day, households=tuple(changed(h) for h in day.households))


def keeper(session: Session, text: str) -> int:
    """The member number of a volunteer's scanned card or typed number (bad input otherwise)."""
    try:
        digits = normalise_scan(text)
    except ScanError:
        digits = ""
    if not digits.isdigit():
        lookup.fail(_("scan a member card or type a member number"), "keeper")
    number = _card_member(session, digits) if len(digits) >= 8 else int(digits)
    if number is None:
        lookup.fail(_("this card belongs to no member: {code}").format(code=digits), "keeper")
    return lookup.member(session, number, "keeper").number
