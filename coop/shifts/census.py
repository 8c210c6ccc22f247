"""Every member's shift state at once, in a fixed number of statements whatever the size of
the coop: the states on a past day (state log + ledger, folded by ``replay.replay_many``), who
holds a fixed slot on a day, and Tapir's counts of upcoming shifts.

The per-member readers (``history.state_on``, ``facts.holds_slot``, ``facts.upcoming_shifts``)
serve one member; these serve the status of everyone (``history.statuses``, the paper status
list) and the daily run.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from coop.db import driver_rows
from coop.shifts.facts import upcoming_window
from coop.shifts.models import (
    Shift,
    ShiftAttendance,
    ShiftHolding,
    ShiftLedgerEntry,
    ShiftStateLog,
    core_table,
)
from coop.shifts.policy import AttendanceState, Counter, ShiftPolicy
from coop.shifts.records import SNAPSHOT_FIELDS, snapshot_state
from coop.shifts.rules import EntryKind, Figures, MemberState

FEW = 500
"""Up to this many members, the queries name them (``IN``); above, they read every member's
rows and keep the wanted ones (no statement grows with the coop)."""


def states_on(
    session: Session, policy: ShiftPolicy, day: date, member_ids: Collection[int]
) -> dict[int, MemberState]:
    """The members' states at the end of ``day`` (as ``history.state_on``), in two queries;
    a member not enrolled by then is absent."""
    wanted = set(member_ids)
    if not wanted:
        return {}
    log = core_table(ShiftStateLog)
    ranked = (
        select(
            log.c.member_id,
            *(log.c[name] for name in SNAPSHOT_FIELDS),
            func.row_number()
            .over(partition_by=log.c.member_id, order_by=(log.c.day.desc(), log.c.id.desc()))
            .label("rank"),
        )
        .where(log.c.day <= day)
        .subquery()
    )
    latest = select(ranked).where(ranked.c.rank == 1)
    ledger = core_table(ShiftLedgerEntry)
    # read raw (``driver_rows``): ``replay_many`` only compares the days and converts the few it
    # keeps; a member not wanted is folded too and dropped (cheaper than filtering every row).
    # The fold reads kind and detail only on the regular counter's cycle entries: the other
    # rows bring NULLs (no text to build for a million rows)
    cycle = and_(ledger.c.counter == Counter.REGULAR.value, ledger.c.kind == EntryKind.CYCLE.value)
    entries = (
        select(
            ledger.c.member_id,
            ledger.c.day,
            ledger.c.counter,
            ledger.c.delta,
            case((cycle, ledger.c.kind)),
            case((cycle, ledger.c.detail)),
        )
        .where(ledger.c.day <= day)
        .order_by(ledger.c.id)
    )
    if len(wanted) <= FEW:
        latest = latest.where(ranked.c.member_id.in_(sorted(wanted)))
        entries = entries.where(ledger.c.member_id.in_(sorted(wanted)))
    # thousands of members share a snapshot (a mode, no leave, no extension): each distinct
    # one is turned into a state once, then given each member's figures
    bases: dict[tuple[Any, ...], MemberState] = {}
    snapshots: dict[int, MemberState] = {}
    for row in session.execute(latest):
        if row[0] not in wanted:
            continue
        key = row[1 : 1 + len(SNAPSHOT_FIELDS)]
        base = bases.get(key)
        if base is None:
            base = bases[key] = snapshot_state(dict(zip(SNAPSHOT_FIELDS, key, strict=True)))
        snapshots[row[0]] = base
    from coop.shifts.replay import replay_many  # not on the daily run's path (its start)

    figures = replay_many(policy, driver_rows(session, entries))
    nothing = Figures()
    return {
        member_id: base.with_figures(figures.get(member_id, nothing))
        for member_id, base in snapshots.items()
    }


def holders_on(session: Session, day: date, member_ids: Collection[int] | None = None) -> set[int]:
    """Members holding a current or future fixed slot on ``day`` (``facts.holds_slot``)."""
    # Core tables here and below: an ORM query would configure every mapper first (15 ms of
    # the daily run's start, which needs none of them)
    holdings = core_table(ShiftHolding)
    query = select(holdings.c.member_id).where(
        or_(holdings.c.ends_on.is_(None), holdings.c.ends_on >= day)
    )
    if member_ids is not None:
        query = query.where(holdings.c.member_id.in_(sorted(member_ids)))
    return {row[0] for row in driver_rows(session, query.distinct())}  # ids: raw is the value


def upcoming_counts(
    session: Session, policy: ShiftPolicy, day: date, member_ids: Collection[int] | None = None
) -> dict[int, int]:
    """Tapir: each member's shifts booked and not yet marked around ``day``
    (``facts.upcoming_shifts``); empty for a policy without freezes."""
    if policy.freeze_threshold is None:
        return {}
    first, last = upcoming_window(policy, day)
    attendances, shifts = core_table(ShiftAttendance), core_table(Shift)
    counting = (
        select(attendances.c.member_id, func.count(attendances.c.id))
        .join(shifts, shifts.c.id == attendances.c.shift_id)
        .where(
            attendances.c.state == AttendanceState.PENDING.value,
            shifts.c.day >= first,
            shifts.c.day <= last,
        )
        .group_by(attendances.c.member_id)
    )
    if member_ids is not None:
        counting = counting.where(attendances.c.member_id.in_(sorted(member_ids)))
    return {member_id: count for member_id, count in driver_rows(session, counting)}
