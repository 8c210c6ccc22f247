"""Three months of shift history for the demo, played through the real use cases.

Starting 13 weeks before today, the demo coop loads its ABCD templates, gives most members a
fixed slot (the first holder of each template leads the shift, the second is a cashier), makes
the others flying (with one shift of credit carried over) or exempt, generates the shifts up to
four weeks ahead, and then lives day by day: members who owe shifts book make-ups, every shift
is marked after it ends, a few things go wrong on purpose (a recent absence, old absences never
made up, two absences in a row, a leave, an exemption, a grace at the desk), and the daily run
applies the cycles. Deterministic for a given "today": ``random.Random`` with a fixed seed.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from coop.audit import Actor
from coop.clock import SHOP_TIMEZONE, local_date
from coop.config import ShiftSettings
from coop.errors import CoopError
from coop.members.models import Member
from coop.shifts import (
    attendance,
    booking,
    cancelling,
    desk,
    exchange,
    generation,
    leaves,
    rules,
    service,
    slots,
)
from coop.shifts.models import (
    Shift,
    ShiftAttendance,
    ShiftMemberState,
    ShiftSeat,
    ShiftSkill,
    ShiftTemplate,
)
from coop.shifts.policy import Counter, WorkMode

SEED = 2026
HISTORY_WEEKS = 13
AHEAD_DAYS = 28


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHOP_TIMEZONE)


StoryStep = Callable[[Session, ShiftSettings, Actor, datetime], None]
"""One scripted event of the demo story, done on its day."""


@dataclass
class Script:
    """What happens on purpose to a few members: attendance ``day -> state`` and a role."""

    marks: dict[date, str] = field(default_factory=dict)
    role: str = ""


def load_shift_history(
    session: Session, *, folder: Path, settings: ShiftSettings, actor: Actor, now: datetime
) -> None:
    """See the module docstring."""
    rng = random.Random(SEED)
    today = local_date(now)
    start = today - timedelta(weeks=HISTORY_WEEKS)
    opening = _at(start, 7)
    exchange.import_templates(
        session, folder / "shift_templates.csv", settings=settings, actor=actor, now=opening
    )
    workers = list(
        session.scalars(
            select(Member)
            .where(
                Member.main_member_id.is_(None),
                Member.joined_on <= start,
                or_(Member.left_on.is_(None), Member.left_on > today),
            )
            .order_by(Member.number)
        )
    )
    order = workers[:]
    rng.shuffle(order)
    templates = list(session.scalars(select(ShiftTemplate).order_by(ShiftTemplate.id)))
    # Each template keeps two places for flying members and make-ups; leaders are placed first.
    places = [(t, position) for position in range(4) for t in templates if position < t.seats - 2]
    holders: dict[int, ShiftTemplate] = {}
    exempt = order[-6:]
    for member, (template, position) in zip(order[:-6], places, strict=False):
        role = ("shift_leader", "cashier")[position] if position < 2 else None
        if role:
            slots.set_skill(
                session, member_number=member.number, role=role, actor=actor, now=opening
            )
        slots.hold_slot(
            session,
            member_number=member.number,
            template_code=template.code,
            starts_on=start,
            role=role,
            settings=settings,
            actor=actor,
            now=opening,
        )
        holders[member.id] = template
    for member in exempt:
        slots.set_mode(
            session,
            member_number=member.number,
            mode=WorkMode.EXEMPT,
            settings=settings,
            actor=actor,
            now=opening,
        )
    flying = [m for m in workers if m.id not in holders and m not in exempt]
    for member in flying[::3]:
        slots.set_skill(
            session, member_number=member.number, role="cashier", actor=actor, now=opening
        )
    for member in flying:
        service.manual_entry(
            session,
            member_number=member.number,
            counter=_flying_counter(settings),
            delta=1,
            reason="reprise du compteur de l’ancien tableur",
            settings=settings,
            actor=actor,
            now=opening,
        )
    generation.generate(
        session,
        first=start,
        last=today + timedelta(days=AHEAD_DAYS),
        settings=settings,
        actor=actor,
        now=opening,
    )
    scripts, events = _scripts(session, holders, flying, today, settings.policy.cycle_days)
    scripted = set(scripts)
    cycles = set(rules.due_cycles(settings.policy, start, today))
    day = start
    while day < today:
        if day in cycles:
            service.run(session, today=day, settings=settings, actor=actor, now=_at(day, 6))
        for when, action in events.get(day, []):
            action(session, settings, actor, _at(day, when))
        _book_makeups(session, rng, settings, actor, day, scripted)
        _mark_day(session, rng, settings, actor, day, scripts)
        day += timedelta(days=1)
    service.run(session, today=today, settings=settings, actor=actor, now=now)
    _future_closure(session, settings, actor, now, today)


def _flying_counter(settings: ShiftSettings) -> Counter:
    counters = settings.policy.counters
    return Counter.FTOP if Counter.FTOP in counters else counters[0]


def _own_shift_days(session: Session, member_id: int, before: date) -> list[date]:
    return list(
        session.scalars(
            select(Shift.day)
            .join(ShiftAttendance, ShiftAttendance.shift_id == Shift.id)
            .where(
                ShiftAttendance.member_id == member_id,
                ShiftAttendance.from_template.is_(True),
                ShiftAttendance.state == "pending",
                Shift.cancelled_at.is_(None),  # a public holiday: nothing to attend or miss
                Shift.day < before,
            )
            .order_by(Shift.day)
        )
    )


def _scripts(
    session: Session,
    holders: dict[int, ShiftTemplate],
    flying: list[Member],
    today: date,
    cycle_days: int,
) -> tuple[dict[int, Script], dict[date, list[tuple[int, StoryStep]]]]:
    """Pick the members whose story is written in advance, by the dates of their own shifts."""
    scripts: dict[int, Script] = {}
    events: dict[date, list[tuple[int, StoryStep]]] = {}
    wanted = {
        # name: (window of the decisive own shift, in days before today)
        "alert": (20, 3),
        "suspended": (55, 29),
        "delay": (55, 29),
        "unsubscribed": (70, 40),
    }
    candidates = sorted(holders)
    for story, (far, near) in wanted.items():
        for member_id in candidates:
            if member_id in scripts:
                continue
            days = _own_shift_days(session, member_id, today)
            hits = [d for d in days if today - timedelta(days=far) <= d <= today - timedelta(near)]
            if not hits:
                continue
            missed = hits[0]
            script = Script({d: "attended" for d in days})
            script.marks[missed] = "missed"
            if story == "unsubscribed":  # the very next own shift, not one after a holiday
                later = [d for d in days if d > missed]
                if not later or (later[0] - missed).days != cycle_days:
                    continue
                script.marks[later[0]] = "missed"
            scripts[member_id] = script
            if story == "delay":
                number = session.get(Member, member_id).number  # type: ignore[union-attr]
                events.setdefault(today - timedelta(days=1), []).append((9, _grace(number)))
            break
    others = [m for m in candidates if m not in scripts]
    on_leave, exempted = others[-1], others[-2]
    for member_id, kind, recorded, first, last in (
        (on_leave, "holiday", 7, 3, -14),
        (exempted, "exemption", 40, 35, None),
    ):
        number = session.get(Member, member_id).number  # type: ignore[union-attr]
        events.setdefault(today - timedelta(days=recorded), []).append(
            (
                8,
                _leave(
                    number,
                    kind,
                    today - timedelta(days=first),
                    None if last is None else today - timedelta(days=last),
                ),
            )
        )
        scripts[member_id] = Script(
            {d: "attended" for d in _own_shift_days(session, member_id, today)}
        )
    if flying:
        walker = flying[0]
        scripts.setdefault(walker.id, Script())
        scripts[walker.id].role = "walk_in"
    return scripts, events


def _grace(number: int) -> StoryStep:
    def act(session: Session, settings: ShiftSettings, actor: Actor, now: datetime) -> None:
        with contextlib.suppress(CoopError):  # a story that did not happen as written
            _grace_now(session, settings, actor, now)

    def _grace_now(session: Session, settings: ShiftSettings, actor: Actor, now: datetime) -> None:
        desk.grant_grace(
            session,
            member_number=number,
            reason="a prévenu : rattrapage prévu la semaine prochaine",
            settings=settings,
            actor=actor,
            now=now,
        )

    return act


def _leave(number: int, kind: str, first: date, last: date | None) -> StoryStep:
    def act(session: Session, settings: ShiftSettings, actor: Actor, now: datetime) -> None:
        leaves.add_leave(
            session,
            member_number=number,
            kind=kind,
            starts_on=first,
            ends_on=last,
            reason="congé parental" if kind == "holiday" else "raison médicale",
            settings=settings,
            actor=actor,
            now=now,
        )

    return act


def _book_makeups(
    session: Session,
    rng: random.Random,
    settings: ShiftSettings,
    actor: Actor,
    day: date,
    scripted: set[int],
) -> None:
    """Members who owe shifts (and flying members without credit) book one a few days ahead."""
    states = ShiftMemberState
    owing = session.execute(
        select(states.member_id, Member.number)
        .join(Member, Member.id == states.member_id)
        .where(
            or_(
                (states.mode == WorkMode.REGULAR.value) & (states.standard < 0),
                (states.mode == WorkMode.REGULAR.value) & (states.regular < 0),
                (states.mode == WorkMode.FLYING.value) & (states.ftop < 1),
                (states.mode == WorkMode.FLYING.value) & (states.regular < 0),
                states.balance < 0,
            ),
            states.leave_kind.is_(None),
        )
        .order_by(Member.number)
    ).all()
    if not owing:
        return
    booked = set(
        session.scalars(
            select(ShiftAttendance.member_id)
            .join(Shift, Shift.id == ShiftAttendance.shift_id)
            .where(
                ShiftAttendance.state == "pending",
                ShiftAttendance.from_template.is_(False),
                Shift.day >= day,
            )
        )
    )
    free: dict[str | None, dict[int, int]] = {None: {}, "cashier": {}}
    for shift_id, role in session.execute(
        select(ShiftSeat.shift_id, ShiftSeat.role)
        .join(Shift, Shift.id == ShiftSeat.shift_id)
        .where(
            Shift.day >= day + timedelta(days=2),
            Shift.day <= day + timedelta(days=12),
            Shift.cancelled_at.is_(None),
            ShiftSeat.member_id.is_(None),
            or_(ShiftSeat.role.is_(None), ShiftSeat.role == "cashier"),
        )
        .order_by(Shift.starts_at, ShiftSeat.position)
    ):
        free[role][shift_id] = free[role].get(shift_id, 0) + 1
    cashiers = set(
        session.scalars(select(ShiftSkill.member_id).where(ShiftSkill.role == "cashier"))
    )
    for member_id, number in owing:
        if member_id in scripted or member_id in booked or rng.random() > 0.6:
            continue
        roles = [None, "cashier"] if member_id in cashiers else [None]
        open_shifts = sorted({s for role in roles for s, n in free[role].items() if n > 0})
        for shift_id in rng.sample(open_shifts, k=min(2, len(open_shifts))):
            try:
                result = booking.book(
                    session,
                    member_number=number,
                    shift_id=shift_id,
                    settings=settings,
                    actor=actor,
                    now=_at(day, 8),
                )
            except CoopError:
                continue
            seat = session.get(ShiftSeat, result.attendance.seat_id)
            if seat is not None and seat.role in free:
                free[seat.role][shift_id] -= 1
            break


def _mark_day(
    session: Session,
    rng: random.Random,
    settings: ShiftSettings,
    actor: Actor,
    day: date,
    scripts: dict[int, Script],
) -> None:
    shifts = session.scalars(
        select(Shift)
        .where(Shift.day == day, Shift.cancelled_at.is_(None))
        .order_by(Shift.starts_at, Shift.id)
    ).all()
    walkers = [m for m, s in scripts.items() if s.role == "walk_in"]
    for shift in shifts:
        after = shift.ends_at.astimezone(SHOP_TIMEZONE) + timedelta(minutes=10)
        pending = session.execute(
            select(ShiftAttendance, Member.number)
            .join(Member, Member.id == ShiftAttendance.member_id)
            .where(ShiftAttendance.shift_id == shift.id, ShiftAttendance.state == "pending")
            .order_by(ShiftAttendance.id)
        ).all()
        for booked, number in pending:
            script = scripts.get(booked.member_id)
            state = script.marks.get(day) if script else None
            if state is None:
                draw = rng.random()
                state = "attended" if draw < 0.9 else "excused" if draw < 0.96 else "missed"
            attendance.mark(
                session,
                shift_id=shift.id,
                member_number=number,
                state=state,
                note="prévenu la veille" if state == "excused" else None,
                settings=settings,
                actor=actor,
                now=after,
            )
        if walkers and day.weekday() == 5 and rng.random() < 0.25:
            number = session.get(Member, walkers[0]).number  # type: ignore[union-attr]
            with contextlib.suppress(CoopError):  # already booked on that shift
                attendance.mark(
                    session,
                    shift_id=shift.id,
                    member_number=number,
                    state="attended",
                    walk_in=True,
                    settings=settings,
                    actor=actor,
                    now=after,
                )


def _future_closure(
    session: Session, settings: ShiftSettings, actor: Actor, now: datetime, today: date
) -> None:
    """An inventory closes the shop on the first Tuesday at least ten days ahead."""
    day = today + timedelta(days=10)
    while day.weekday() != 1:
        day += timedelta(days=1)
    cancelling.add_closure(
        session,
        starts_on=day,
        ends_on=day,
        label="Inventaire annuel",
        makeups=0,
        settings=settings,
        actor=actor,
        now=now,
    )
