"""The volunteer rota of the distributions: how many each needs (R25), signing up and leaving,
the distributions still short of volunteers, each member's fair share over a season (R24, and
the work-quota form R27), and a member's duty count (shown at the shop's welcome desk).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop.amap import distributions, lookup, rules
from coop.amap.models import Contract, Distribution, Duty, DutyRole, Place, Subscription
from coop.audit import Actor, record
from coop.dates import format_date
from coop.i18n import _
from coop.members.models import Member


@dataclass(frozen=True)
class Volunteer:
    role: str
    role_label: str
    member: int
    name: str


@dataclass(frozen=True)
class RoleSlots:
    code: str
    label: str
    seats: int
    taken: int


@dataclass(frozen=True)
class Staffing:
    """Who volunteers at a distribution and how many are still needed."""

    on: date
    place: str
    needed: int
    volunteers: tuple[Volunteer, ...]
    roles: tuple[RoleSlots, ...]

    @property
    def missing(self) -> int:
        return max(self.needed - len(self.volunteers), 0)


def roles(session: Session) -> list[DutyRole]:
    return list(session.scalars(select(DutyRole).order_by(DutyRole.position, DutyRole.code)))


def role(session: Session, code: str) -> DutyRole:
    found = session.scalar(select(DutyRole).where(DutyRole.code == code.strip().upper()))
    if found is None:
        known = ", ".join(r.code for r in roles(session))
        lookup.fail(
            _("no volunteer role has the code “{code}” (known: {known})").format(
                code=code, known=known
            ),
            "role",
        )
    return found


def needed(session: Session, on: date, place: Place) -> int:
    """R25 for one distribution."""
    row = distributions.record_of(session, place, on)
    codes = distributions.contracts_on(session, on, place.code)
    extras = session.scalars(select(Contract.volunteers).where(Contract.code.in_(codes))).all()
    return rules.volunteers_needed(place.volunteers, row.extra_volunteers if row else 0, extras)


def staffing(session: Session, on: date, place: str | None = None) -> Staffing:
    found = distributions.resolve(session, on, place)
    row = distributions.record_of(session, found, on)
    people: list[Volunteer] = []
    if row is not None:
        people = [
            Volunteer(r.code, r.label, m.number, distributions.last_first(m))
            for r, m in session.execute(
                select(DutyRole, Member)
                .join(Duty, Duty.role_id == DutyRole.id)
                .join(Member, Member.id == Duty.member_id)
                .where(Duty.distribution_id == row.id)
                .order_by(DutyRole.position, Member.last_name, Member.first_name)
            ).all()
        ]
    taken = Counter(v.role for v in people)
    return Staffing(
        on,
        found.code,
        needed(session, on, found),
        tuple(people),
        tuple(RoleSlots(r.code, r.label, r.seats, taken[r.code]) for r in roles(session)),
    )


def sign_up(
    session: Session,
    on: date,
    place: str | None,
    role_code: str,
    member_number: int,
    *,
    actor: Actor,
    now: datetime,
) -> Duty:
    """Sign a member up; refused twice for the same role, when the role or the list is full."""
    found = distributions.resolve(session, on, place)
    member = lookup.member(session, member_number)
    the_role = role(session, role_code)
    current = staffing(session, on, found.code)
    if any(v.member == member.number and v.role == the_role.code for v in current.volunteers):
        lookup.fail(
            _("{name} is already signed up as {role} on {date}").format(
                name=member.full_name, role=the_role.label, date=format_date(on)
            ),
            "member",
        )
    slots = next(r for r in current.roles if r.code == the_role.code)
    if slots.taken >= slots.seats:
        lookup.fail(
            _("the role {role} is full on {date} ({seats} of {seats})").format(
                role=the_role.label, date=format_date(on), seats=slots.seats
            ),
            "role",
        )
    if current.needed and len(current.volunteers) >= current.needed:
        lookup.fail(
            _("the distribution of {date} has all the {count} volunteers it needs").format(
                date=format_date(on), count=current.needed
            ),
            "role",
        )
    row = distributions.ensure(session, found, on)
    duty = Duty(distribution_id=row.id, role_id=the_role.id, member_id=member.id, signed_at=now)
    session.add(duty)
    session.flush()
    record(
        session,
        actor=actor,
        at=now,
        action="amap.duty.sign_up",
        entity="amap_duty",
        entity_id=duty.id,
        member_id=member.id,
        after={"date": on.isoformat(), "place": found.code, "role": the_role.code},
    )
    return duty


def leave(
    session: Session,
    on: date,
    place: str | None,
    role_code: str,
    member_number: int,
    *,
    reason: str,
    actor: Actor,
    now: datetime,
) -> None:
    """A member leaves a role; the reason is kept in the audit log."""
    found = distributions.resolve(session, on, place)
    member = lookup.member(session, member_number)
    the_role = role(session, role_code)
    if not reason.strip():
        lookup.fail(_("say why the member leaves (--reason)"), "reason")
    duty = session.scalar(
        select(Duty)
        .join(Distribution, Distribution.id == Duty.distribution_id)
        .where(
            Distribution.place_id == found.id,
            Distribution.on == on,
            Duty.role_id == the_role.id,
            Duty.member_id == member.id,
        )
    )
    if duty is None:
        lookup.fail(
            _("{name} is not signed up as {role} on {date}").format(
                name=member.full_name, role=the_role.label, date=format_date(on)
            ),
            "member",
        )
    record(
        session,
        actor=actor,
        at=now,
        action="amap.duty.leave",
        entity="amap_duty",
        entity_id=duty.id,
        member_id=member.id,
        before={"date": on.isoformat(), "place": found.code, "role": the_role.code},
        reason=reason.strip(),
    )
    session.delete(duty)
    session.flush()


def short_of_volunteers(session: Session, first: date, last: date) -> list[Staffing]:
    """The distributions between ``first`` and ``last`` that still miss volunteers."""
    found = [
        staffing(session, on, place)
        for on, place in distributions.dates_between(session, first, last)
    ]
    return [s for s in found if s.missing]


def duty_count(session: Session, member_id: int, first: date, last: date) -> int:
    """How many distribution duties the member signed up for between two dates."""
    return int(
        session.scalar(
            select(func.count(Duty.id))
            .join(Distribution, Distribution.id == Duty.distribution_id)
            .where(Duty.member_id == member_id, Distribution.on >= first, Distribution.on <= last)
        )
        or 0
    )


@dataclass(frozen=True)
class ShareLine:
    """A member's fair share over the season: owed (R24), done, the balance."""

    member: int
    name: str
    contracts: tuple[str, ...]
    owed: int
    done: int
    quota: int | None
    """R27 when a yearly requirement was given."""

    @property
    def balance(self) -> int:
        """Positive: still owed; negative: done more than the share."""
        return self.owed - self.done


def fair_shares(
    session: Session, first: date, last: date, *, per_year: int | None = None
) -> list[ShareLine]:
    """R24 over the distributions between ``first`` and ``last`` for every household with an
    active subscription there; with ``per_year``, R27's quota pro rata of its active days."""
    days = distributions.dates_between(session, first, last)
    generic = 0
    contract_slots: Counter[str] = Counter()
    extras = dict(session.execute(select(Contract.code, Contract.volunteers)).all())
    places = {p.code: p for p in session.scalars(select(Place))}
    for on, code in days:
        place = places[code]
        row = distributions.record_of(session, place, on)
        generic += place.volunteers + (row.extra_volunteers if row else 0)
        for contract in distributions.contracts_on(session, on, code):
            contract_slots[contract] += extras.get(contract, 0)
    subs = session.execute(
        select(Member, Contract.code, Subscription.starts_on, Subscription.ends_on)
        .join(Subscription, Subscription.member_id == Member.id)
        .join(Contract, Contract.id == Subscription.contract_id)
        .where(
            Subscription.status.in_(("active", "ended")),
            Subscription.starts_on <= last,
            func.coalesce(Subscription.ends_on, last) >= first,
        )
    ).all()
    owners: dict[int, Member] = {}
    own: dict[int, set[str]] = {}
    spans: dict[int, tuple[date, date]] = {}
    for member, code, start, end in subs:
        owners[member.id] = member
        own.setdefault(member.id, set()).add(code)
        low, high = max(start, first), min(end or last, last)
        old = spans.get(member.id, (low, high))
        spans[member.id] = (min(old[0], low), max(old[1], high))
    subscribers = Counter(code for codes in own.values() for code in codes)
    done = Counter(
        dict(
            session.execute(
                select(Duty.member_id, func.count(Duty.id))
                .join(Distribution, Distribution.id == Duty.distribution_id)
                .where(Distribution.on >= first, Distribution.on <= last)
                .group_by(Duty.member_id)
            ).all()
        )
    )
    lines = [
        ShareLine(
            m.number,
            distributions.last_first(m),
            tuple(sorted(own[mid])),
            rules.fair_share(generic, len(owners), contract_slots, subscribers, own[mid]),
            done[mid],
            None
            if per_year is None
            else rules.work_quota(per_year, (spans[mid][1] - spans[mid][0]).days + 1),
        )
        for mid, m in owners.items()
    ]
    from coop.text import fold

    return sorted(lines, key=lambda line: (fold(line.name), line.member))


@dataclass(frozen=True)
class DutySummary:
    """What the shop's welcome desk shows of a member's AMAP duties over the last year."""

    done: int
    upcoming: int


def duty_summary(session: Session, member_id: int, today: date) -> DutySummary | None:
    """The member's distribution duties in the 12 months before ``today`` and those signed up
    for from ``today`` on; None when the member takes part in no AMAP contract (nothing to show).
    """
    from coop.amap.models import Holder

    takes_part = session.scalar(
        select(func.count())
        .select_from(Holder)
        .join(Subscription, Subscription.id == Holder.subscription_id)
        .where(Holder.member_id == member_id, Subscription.status == "active")
    )
    if not takes_part:
        return None
    year_ago = date(today.year - 1, today.month, min(today.day, 28))
    return DutySummary(
        done=duty_count(session, member_id, year_ago, today - timedelta(days=1)),
        upcoming=duty_count(session, member_id, today, date(today.year + 2, 12, 31)),
    )
