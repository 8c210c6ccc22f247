"""What the rules ask for many members at once (the daily run's ``carry_out_many``): fixed
slots ended, bookings cancelled and their seats freed, notifications logged, each kind of
action done with a few set-based statements for all the members who need it, each change
audited with the real actor.

Core statements on the tables only (``coop.shifts.tables``): an ORM query would configure
every mapper of the application first (≈15 ms of a fresh process, issue 18 target 3), and the
daily run reads and writes through Core anyway (it expires the session when it is done). The
statements are those of ``coop.shifts.actions``' one-member use cases, in the same order, so
the rows written (ids and audit entries included) are the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.clock import local_date
from coop.shifts.models import ShiftSeat
from coop.shifts.policy import AttendanceState
from coop.shifts.rules import Action
from coop.shifts.tables import ATTENDANCES, HOLDINGS, MEMBER_STATES, SHIFTS, core_table

ONE_DAY = timedelta(days=1)
PENDING = AttendanceState.PENDING.value
CANCELLED = AttendanceState.CANCELLED.value

CHUNK = 5_000
"""Members or rows named in one ``IN (…)`` (SQLite's limit on bound values is far above)."""

_DONE_HERE = {
    Action.RELEASE_TEMPLATE_SLOTS,
    Action.RELEASE_FUTURE_SHIFTS,
    Action.RELEASE_SHIFTS_IN_LEAVE,
    Action.RESTORE_SHIFTS_AFTER_LEAVE,  # the leave use case restores the days it gave back
}


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def carry_out_many(
    session: Session,
    actions: Mapping[int, Sequence[Action]],
    *,
    actor: Actor,
    now: datetime,
) -> None:
    """``actions.carry_out`` for many members at once (the daily run)."""
    today = local_date(now)
    wanted: dict[Action, list[int]] = {}
    for member_id, asked in actions.items():
        for action in dict.fromkeys(asked):
            wanted.setdefault(action, []).append(member_id)
    slots = wanted.get(Action.RELEASE_TEMPLATE_SLOTS, [])
    if slots:
        _end_holdings_many(session, slots, last_day=today - ONE_DAY, actor=actor, now=now)
    for chunk in _chunks(wanted.get(Action.RELEASE_FUTURE_SHIFTS, [])):
        ids = _pending(session, chunk, SHIFTS.c.day >= today)
        release_many(session, ids, reason="unsubscribed", actor=actor, now=now)
    state = MEMBER_STATES
    for chunk in _chunks(wanted.get(Action.RELEASE_SHIFTS_IN_LEAVE, [])):
        ids = _pending(
            session,
            chunk,
            state.c.leave_start.is_not(None),
            SHIFTS.c.day >= today,
            SHIFTS.c.day >= state.c.leave_start,
            or_(state.c.leave_end.is_(None), SHIFTS.c.day <= state.c.leave_end),
            with_state=True,
        )
        release_many(session, ids, reason="leave", actor=actor, now=now)
    notices = [
        {
            "action": "shift.notify",
            "entity": "member",
            "entity_id": member_id,
            "member_id": member_id,
            "after": {"notice": action.value},
        }
        for member_id, asked in actions.items()
        for action in dict.fromkeys(asked)
        if action not in _DONE_HERE
    ]
    audit.record_many(session, actor=actor, at=now, entries=notices)


def _pending(
    session: Session,
    member_ids: Sequence[int],
    *conditions: ColumnElement[bool],
    with_state: bool = False,
) -> list[int]:
    """The ids of the pending bookings of ``member_ids`` whose shift meets ``conditions``."""
    joined = ATTENDANCES.join(SHIFTS, SHIFTS.c.id == ATTENDANCES.c.shift_id)
    if with_state:
        joined = joined.join(MEMBER_STATES, MEMBER_STATES.c.member_id == ATTENDANCES.c.member_id)
    query = (
        select(ATTENDANCES.c.id)
        .select_from(joined)
        .where(
            ATTENDANCES.c.member_id.in_(member_ids),
            ATTENDANCES.c.state == PENDING,
            *conditions,
        )
    )
    return list(session.scalars(query))


class Released(NamedTuple):
    """What ``release_many`` changed: the bookings cancelled and the seats freed (ids)."""

    bookings: list[int]
    seats: list[int]


RELEASED_COLUMNS = ("state", "seat_id", "released_reason", "state_changed_at", "state_changed_by")
"""The booking's columns a release writes (a seat's: ``member_id``)."""


def release_many(
    session: Session,
    attendance_ids: Sequence[int],
    *,
    reason: str,
    actor: Actor,
    now: datetime,
) -> Released:
    """``actions.release_attendances`` through Core: pending bookings cancelled (no ledger
    effect), their seats freed; audited."""
    if not attendance_ids:
        return Released([], [])
    bookings = ATTENDANCES
    rows = session.execute(
        select(bookings.c.id, bookings.c.member_id, bookings.c.shift_id).where(
            bookings.c.id.in_(attendance_ids), bookings.c.state == PENDING
        )
    ).all()
    ids = [row.id for row in rows]
    if not ids:
        return Released([], [])
    seat_ids = list(
        session.scalars(
            select(bookings.c.seat_id).where(
                bookings.c.id.in_(ids), bookings.c.seat_id.is_not(None)
            )
        )
    )
    session.execute(
        bookings.update()
        .where(bookings.c.id.in_(ids))
        .values(
            state=CANCELLED,
            seat_id=None,
            released_reason=reason,
            state_changed_at=now,
            state_changed_by=actor.recorded,
        )
    )
    if seat_ids:
        seats = core_table(ShiftSeat)
        session.execute(seats.update().where(seats.c.id.in_(seat_ids)).values(member_id=None))
    audit.record_many(
        session,
        actor=actor,
        at=now,
        entries=[
            {
                "action": "shift.release",
                "entity": "shift_attendance",
                "entity_id": row.id,
                "member_id": row.member_id,
                "before": {"state": PENDING},
                "after": {"state": CANCELLED, "shift": row.shift_id},
                "reason": reason,
            }
            for row in rows
        ],
    )
    return Released(ids, seat_ids)


def _end_holdings_many(
    session: Session, member_ids: Sequence[int], *, last_day: date, actor: Actor, now: datetime
) -> None:
    """``actions.end_holdings`` for many members (every template): slots not started yet
    removed, the others ended on ``last_day``, the bookings they made from the day after
    cancelled."""
    reason = "released"
    holdings = HOLDINGS
    found: list[Any] = []
    for chunk in _chunks(member_ids):
        found += session.execute(
            select(
                holdings.c.id, holdings.c.member_id, holdings.c.starts_on, holdings.c.ends_on
            ).where(
                holdings.c.member_id.in_(chunk),
                or_(holdings.c.ends_on.is_(None), holdings.c.ends_on > last_day),
            )
        ).all()
    removed = [row.id for row in found if row.starts_on > last_day]
    ended = [row.id for row in found if row.starts_on <= last_day]
    for chunk in _chunks(removed):
        session.execute(
            ATTENDANCES.update().where(ATTENDANCES.c.holding_id.in_(chunk)).values(holding_id=None)
        )
        session.execute(holdings.delete().where(holdings.c.id.in_(chunk)))
    for chunk in _chunks(ended):
        session.execute(
            holdings.update()
            .where(holdings.c.id.in_(chunk))
            .values(ends_on=last_day, end_reason=reason)
        )
    audit.record_many(
        session,
        actor=actor,
        at=now,
        entries=[
            {
                "action": "shift.slot_end",
                "entity": "shift_holding",
                "entity_id": row.id,
                "member_id": row.member_id,
                "before": {"ends_on": row.ends_on},
                "after": {"removed": True} if row.starts_on > last_day else {"ends_on": last_day},
                "reason": reason,
            }
            for row in found
        ],
    )
    first = last_day + ONE_DAY
    for chunk in _chunks(member_ids):
        ids = _pending(session, chunk, ATTENDANCES.c.from_template.is_(True), SHIFTS.c.day >= first)
        release_many(session, ids, reason=reason, actor=actor, now=now)
