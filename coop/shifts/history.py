"""Reading shift states back: the cached state, a member's state and status on any past day
(rebuilt from the ledger and the state log), the status list, the ledger, the next booking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.collector import paused_gc
from coop.config import ShiftSettings
from coop.members.models import Member
from coop.shifts import census, rules
from coop.shifts.facts import facts_for, registered_on, upcoming_shifts
from coop.shifts.models import (
    Shift,
    ShiftAttendance,
    ShiftLedgerEntry,
    ShiftMemberState,
    ShiftStateLog,
    core_table,
)
from coop.shifts.policy import AttendanceState, ShiftPolicy, Status, WorkMode
from coop.shifts.records import (
    SNAPSHOT_FIELDS,
    StateReader,
    entry_from,
    row_values,
    snapshot_state,
    state_from,
)
from coop.shifts.rules import MemberFacts, MemberState, ShopCheck


def cached_state(session: Session, member_id: int) -> MemberState | None:
    """The state saved for the member (as of its own date), None when never enrolled."""
    row = session.get(ShiftMemberState, member_id)
    return None if row is None else state_from(row_values(row))


def state_on(
    session: Session, policy: ShiftPolicy, member_id: int, day: date
) -> MemberState | None:
    """The member's state as it was at the end of ``day``: the ledger replayed up to that day
    and the mode, leave, extension and freeze recorded then. None if not enrolled by then."""
    snapshot = session.execute(
        select(ShiftStateLog)
        .where(ShiftStateLog.member_id == member_id, ShiftStateLog.day <= day)
        .order_by(ShiftStateLog.day.desc(), ShiftStateLog.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if snapshot is None:
        return None
    entries = [
        entry_from(row)
        for row in session.execute(
            select(
                ShiftLedgerEntry.day,
                ShiftLedgerEntry.counter,
                ShiftLedgerEntry.delta,
                ShiftLedgerEntry.kind,
                ShiftLedgerEntry.ref,
                ShiftLedgerEntry.detail,
                ShiftLedgerEntry.note,
            )
            .where(ShiftLedgerEntry.member_id == member_id, ShiftLedgerEntry.day <= day)
            .order_by(ShiftLedgerEntry.day, ShiftLedgerEntry.id)
        )
    ]
    values = {name: getattr(snapshot, name) for name in SNAPSHOT_FIELDS}
    figures = rules.replay(policy, entries, until=day)
    return snapshot_state(values, figures)


def status_on(
    session: Session, settings: ShiftSettings, member: Member, day: date
) -> tuple[Status, MemberState] | None:
    """The member's status on any day: from the cached state from its date on, otherwise
    rebuilt from the ledger and the state log. None when not enrolled by then."""
    policy = settings.policy
    state = cached_state(session, member.id)
    if state is None:
        return None
    if state.as_of is None or day < state.as_of:
        state = state_on(session, policy, member.id, day)
        if state is None:
            return None
    facts = facts_for(
        member.joined_on,
        member.left_on,
        day,
        registered=registered_on(session, member.id, state.mode, day),
        upcoming=upcoming_shifts(session, policy, member.id, day),
    )
    return rules.member_status(policy, state, facts, day), state


@dataclass(frozen=True)
class MemberStatusRow:
    number: int
    name: str
    mode: str
    status: Status
    can_shop: bool
    counters: dict[str, int]
    member_id: int = 0
    check: ShopCheck | None = None
    """The whole desk verdict (reasons, counters, the date to act by)."""


def statuses(session: Session, *, at: date, settings: ShiftSettings) -> list[MemberStatusRow]:
    """Every enrolled main member's status on ``at`` (any date, past ones rebuilt), in a fixed
    number of statements whatever the number of members (``census``). Python's cycle collector
    is paused meanwhile (``coop.collector``): the pass keeps every member's rows alive to its
    end and holds no reference cycles, so the collector's walks over them are wasted."""
    with paused_gc():
        return _statuses(session, at=at, settings=settings)


def _statuses(session: Session, *, at: date, settings: ShiftSettings) -> list[MemberStatusRow]:
    policy = settings.policy
    members_table = core_table(Member)
    rows = session.execute(
        select(
            core_table(ShiftMemberState),
            members_table.c.number,
            members_table.c.first_name,
            members_table.c.last_name,
            members_table.c.joined_on,
            members_table.c.left_on,
        )
        .join(members_table, members_table.c.id == core_table(ShiftMemberState).c.member_id)
        .where(members_table.c.erased_at.is_(None))
        .order_by(members_table.c.number)
    ).all()
    registered = census.holders_on(session, at)
    upcoming = census.upcoming_counts(session, policy, at)
    reader = StateReader()
    # a stored state serves from its ``as_of`` on; before it, the state is rebuilt (``census``)
    past = census.states_on(
        session,
        policy,
        at,
        [row.member_id for row in rows if row.as_of is None or at < row.as_of],
    )
    checks: dict[tuple[MemberState, MemberFacts], ShopCheck] = {}  # equal cases, one answer
    result: list[MemberStatusRow] = []
    for row in rows:
        values = row._mapping
        member_id = values["member_id"]
        state: MemberState | None
        if row.as_of is None or at < row.as_of:
            state = past.get(member_id)
            if state is None:
                continue
        else:
            state = reader.state(values)
        facts = facts_for(
            values["joined_on"],
            values["left_on"],
            at,
            registered=state.mode is not WorkMode.REGULAR or member_id in registered,
            upcoming=upcoming.get(member_id, 0),
        )
        check = checks.get((state, facts))
        if check is None:
            check = checks[state, facts] = rules.check(policy, state, facts, at)
        result.append(
            MemberStatusRow(
                number=values["number"],
                name=f"{values['first_name']} {values['last_name']}",
                mode=state.mode.value,
                status=check.status,
                can_shop=check.can_shop,
                counters={c.value: state.counters.get(c) for c in policy.counters},
                member_id=member_id,
                check=check,
            )
        )
    return result


def ledger_of(session: Session, member_id: int) -> list[ShiftLedgerEntry]:
    return list(
        session.scalars(
            select(ShiftLedgerEntry)
            .where(ShiftLedgerEntry.member_id == member_id)
            .order_by(ShiftLedgerEntry.id)
        )
    )


def next_attendance(
    session: Session, member_id: int, after: datetime
) -> tuple[ShiftAttendance, Shift] | None:
    """The member's next booked shift starting at or after ``after``.

    No ORDER BY … LIMIT 1 on purpose: with it PostgreSQL may walk every future shift in time
    order looking for this member's (slow for the many members with none booked); a member has
    a handful of future bookings, fetched by the member index and compared here."""
    rows = session.execute(
        select(ShiftAttendance, Shift)
        .join(Shift, Shift.id == ShiftAttendance.shift_id)
        .where(
            ShiftAttendance.member_id == member_id,
            ShiftAttendance.state == AttendanceState.PENDING.value,
            Shift.cancelled_at.is_(None),
            Shift.starts_at >= after,
        )
    ).all()
    if not rows:
        return None
    attendance, shift = min(rows, key=lambda row: (row[1].starts_at, row[1].id))
    return attendance, shift
