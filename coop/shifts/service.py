"""The work-credit ledger in the database: one member's account, events, catch-up, the daily run.

Every use case of the shifts context goes through ``Account``: it loads (or enrols) a member's
cached state, applies the cycles owed up to the day (so an event never waits for the night),
hands events to ``coop.shifts.rules``, appends the returned entries to ``shift_ledger``, saves
the new figures in ``shift_member_states`` and carries out the returned actions — all in the
caller's transaction. Other modules: ``generation`` (templates → shifts, closures),
``booking`` (bookings, slots, stand-ins), ``attendance`` (marking), ``leaves``, ``desk``
(the desk check and graces), ``planning`` (under-staffed shifts, volunteer load),
``exchange`` (template CSV) and ``words`` (codes in words).
"""

from __future__ import annotations

import uuid
from collections import Counter as Tally
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.clock import local_date
from coop.config import ShiftSettings
from coop.errors import CoopError, InvalidInput, NotFound, Problem
from coop.i18n import _
from coop.members import service as members
from coop.members.models import Member
from coop.shifts import rules, words
from coop.shifts.models import (
    Shift,
    ShiftAttendance,
    ShiftCycle,
    ShiftHolding,
    ShiftLedgerEntry,
    ShiftMemberState,
    ShiftSeat,
    ShiftStateLog,
)
from coop.shifts.policy import AttendanceState, Counter, ShiftPolicy, Status, System, WorkMode
from coop.shifts.rules import (
    Action,
    Adjust,
    Counters,
    EntryKind,
    Extension,
    Figures,
    Leave,
    LeaveKind,
    LedgerEntry,
    MemberFacts,
    Membership,
    MemberState,
    Outcome,
    Run,
    ShiftRuleError,
    StartCycle,
)

ONE_DAY = timedelta(days=1)

SNAPSHOT_FIELDS = (
    "mode",
    "extension_start",
    "extension_end",
    "extension_grace",
    "leave_kind",
    "leave_start",
    "leave_end",
    "alert_resumed_on",
    "frozen_since",
)
_RUNS = ("standard_negative", "ftop_negative", "alert", "below_freeze")
STATE_FIELDS = (
    "mode",
    "status",
    "as_of",
    "standard",
    "ftop",
    "regular",
    "compensation",
    "balance",
    "figures_day",
    *(f"{run}_{part}" for run in _RUNS for part in ("since", "before")),
    "penalised",
    "extension_start",
    "extension_end",
    "extension_grace",
    "leave_kind",
    "leave_start",
    "leave_end",
    "alert_resumed_on",
    "frozen_since",
    "freeze_warned_on",
)


# -- converting between rows and rule values -------------------------------------------------


def state_values(state: MemberState) -> dict[str, Any]:
    """A ``MemberState`` as the columns of ``shift_member_states``."""
    f, c = state.figures, state.figures.counters
    ext, leave = state.extension, state.leave
    values: dict[str, Any] = {
        "mode": state.mode.value,
        "status": state.status.value,
        "as_of": state.as_of,
        "standard": c.standard,
        "ftop": c.ftop,
        "regular": c.regular,
        "compensation": c.compensation,
        "balance": c.balance,
        "figures_day": f.day,
        "penalised": f.penalised,
        "extension_start": ext.start if ext else None,
        "extension_end": ext.end if ext else None,
        "extension_grace": ext.grace if ext else False,
        "leave_kind": leave.kind.value if leave else None,
        "leave_start": leave.start if leave else None,
        "leave_end": leave.end if leave else None,
        "alert_resumed_on": state.alert_resumed_on,
        "frozen_since": state.frozen_since,
        "freeze_warned_on": state.freeze_warned_on,
    }
    for run in _RUNS:
        value: Run = getattr(f, run)
        values[f"{run}_since"] = value.since
        values[f"{run}_before"] = value.since_before
    return values


def _extension(values: Mapping[str, Any]) -> Extension | None:
    if values["extension_start"] is None:
        return None
    return Extension(values["extension_start"], values["extension_end"], values["extension_grace"])


def _leave(values: Mapping[str, Any]) -> Leave | None:
    if values["leave_kind"] is None:
        return None
    return Leave(LeaveKind(values["leave_kind"]), values["leave_start"], values["leave_end"])


def state_from(values: Mapping[str, Any]) -> MemberState:
    """The ``MemberState`` held in a ``shift_member_states`` row (a mapping of its columns)."""
    figures = Figures(
        counters=Counters(
            values["standard"],
            values["ftop"],
            values["regular"],
            values["compensation"],
            values["balance"],
        ),
        day=values["figures_day"],
        standard_negative=Run(
            values["standard_negative_since"], values["standard_negative_before"]
        ),
        ftop_negative=Run(values["ftop_negative_since"], values["ftop_negative_before"]),
        alert=Run(values["alert_since"], values["alert_before"]),
        below_freeze=Run(values["below_freeze_since"], values["below_freeze_before"]),
        penalised=values["penalised"],
    )
    return MemberState(
        mode=WorkMode(values["mode"]),
        figures=figures,
        status=Status(values["status"]),
        as_of=values["as_of"],
        extension=_extension(values),
        leave=_leave(values),
        alert_resumed_on=values["alert_resumed_on"],
        frozen_since=values["frozen_since"],
        freeze_warned_on=values["freeze_warned_on"],
    )


def _row_values(row: ShiftMemberState) -> dict[str, Any]:
    return {name: getattr(row, name) for name in STATE_FIELDS}


def snapshot_state(values: Mapping[str, Any], figures: Figures | None = None) -> MemberState:
    """The non-ledger part of a state (a state-log row), with figures if given."""
    return MemberState(
        mode=WorkMode(values["mode"]),
        figures=figures or Figures(),
        extension=_extension(values),
        leave=_leave(values),
        alert_resumed_on=values["alert_resumed_on"],
        frozen_since=values["frozen_since"],
    )


def entry_from(row: Any) -> LedgerEntry:
    return LedgerEntry(
        on=row.day,
        counter=Counter(row.counter),
        delta=row.delta,
        kind=EntryKind(row.kind),
        ref=row.ref,
        detail=row.detail or "",
        note=row.note or "",
    )


# -- facts -----------------------------------------------------------------------------------


def membership_on(joined_on: date, left_on: date | None, day: date) -> Membership:
    return Membership.ACTIVE if left_on is None or left_on > day else Membership.NONE


def facts_for(
    joined_on: date,
    left_on: date | None,
    day: date,
    *,
    registered: bool = True,
    upcoming: int = 0,
) -> MemberFacts:
    return MemberFacts(
        membership=membership_on(joined_on, left_on, day),
        member_since=joined_on,
        registered=registered,
        upcoming_shifts=upcoming,
    )


def holds_slot(session: Session, member_id: int, day: date) -> bool:
    """A current or future fixed slot on ``day`` (La Louve's "registered")."""
    return (
        session.scalar(
            select(ShiftHolding.id)
            .where(
                ShiftHolding.member_id == member_id,
                or_(ShiftHolding.ends_on.is_(None), ShiftHolding.ends_on >= day),
            )
            .limit(1)
        )
        is not None
    )


def upcoming_shifts(session: Session, policy: ShiftPolicy, member_id: int, day: date) -> int:
    """Tapir: shifts booked and not yet marked from ``day`` − lookback to ``day`` + lookahead."""
    if policy.freeze_threshold is None:
        return 0
    first, last = _upcoming_window(policy, day)
    return (
        session.scalar(
            select(func.count(ShiftAttendance.id))
            .join(Shift, Shift.id == ShiftAttendance.shift_id)
            .where(
                ShiftAttendance.member_id == member_id,
                ShiftAttendance.state == AttendanceState.PENDING.value,
                Shift.day >= first,
                Shift.day <= last,
            )
        )
        or 0
    )


def _upcoming_window(policy: ShiftPolicy, day: date) -> tuple[date, date]:
    return (
        day - timedelta(days=policy.makeup_lookback_days),
        day + timedelta(days=policy.makeup_lookahead_days),
    )


# -- members ---------------------------------------------------------------------------------


def worker(session: Session, number: int) -> Member:
    """The member whose shifts these are; an associated person shops on their main member's
    status and has no shifts of their own."""
    member = members.get_by_number(session, number)
    if member.erased_at is not None:
        raise CoopError(_("Member {number} was erased.").format(number=number))
    if member.main_member_id is not None:
        main = member.main_member
        raise CoopError(
            _(
                "Member {number} shops on the status of member {main} ({name}): shifts are"
                " booked and counted for {main}."
            ).format(number=number, main=main.number if main else "?", name=main.full_name)
        )
    return member


# -- the account of one member ---------------------------------------------------------------


@dataclass
class Account:
    """One member's cached shift state, loaded for changes in the caller's transaction."""

    member: Member
    row: ShiftMemberState
    state: MemberState
    policy: ShiftPolicy
    settings: ShiftSettings
    actor: Actor
    now: datetime
    actions: list[Action] = field(default_factory=list)

    @property
    def today(self) -> date:
        return local_date(self.now)

    def facts(self, day: date | None = None, session: Session | None = None) -> MemberFacts:
        day = day or self.today
        registered = True
        upcoming = 0
        if session is not None:
            if self.state.mode is WorkMode.REGULAR:
                registered = holds_slot(session, self.member.id, day)
            upcoming = upcoming_shifts(session, self.policy, self.member.id, day)
        return facts_for(
            self.member.joined_on,
            self.member.left_on,
            day,
            registered=registered,
            upcoming=upcoming,
        )


def enrol(
    session: Session,
    member: Member,
    *,
    settings: ShiftSettings,
    today: date,
    now: datetime,
    mode: WorkMode | None = None,
) -> ShiftMemberState:
    """The member's state row, created the first time the shift rules see them.

    Cycles before enrolment are never owed: counting starts with the next cycle.
    """
    # Locked on PostgreSQL (FOR UPDATE) until the transaction ends: a desk and the daily run
    # changing one member's figures at once are serialised, never a lost update. (SQLite
    # serialises writers itself; a stale read there fails instead of overwriting.)
    row = session.get(ShiftMemberState, member.id, with_for_update=True)
    if row is not None:
        return row
    start = max(member.joined_on, today)
    state = MemberState(mode=mode or settings.new_member_mode)
    row = ShiftMemberState(
        member_id=member.id,
        cycles_until=start - ONE_DAY,
        cycle_origin=start,
        updated_at=now,
        **state_values(state),
    )
    session.add(row)
    session.flush()
    _log_snapshot(session, member.id, start, _row_values(row))
    return row


def open_account(
    session: Session,
    member: Member,
    *,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
    catch_up: bool = True,
) -> Account:
    """Load (or enrol) a member and apply the cycles owed up to today."""
    today = local_date(now)
    row = enrol(session, member, settings=settings, today=today, now=now)
    account = Account(
        member=member,
        row=row,
        state=state_from(_row_values(row)),
        policy=settings.policy,
        settings=settings,
        actor=actor,
        now=now,
    )
    if catch_up:
        catch_up_cycles(session, account, today)
    return account


def account_for(
    session: Session, number: int, *, settings: ShiftSettings, actor: Actor, now: datetime
) -> Account:
    return open_account(session, worker(session, number), settings=settings, actor=actor, now=now)


def _origin(account: Account) -> date | None:
    if account.policy.system is System.BEES and account.state.mode is WorkMode.FLYING:
        return account.row.cycle_origin
    return None


def catch_up_cycles(session: Session, account: Account, today: date) -> int:
    """Apply every cycle start in (last applied, today]; returns how many were applied."""
    row, policy = account.row, account.policy
    after = row.cycles_until
    origin = _origin(account)
    if origin is not None and after < origin:
        after = origin
    due = rules.due_cycles(policy, after, today, origin)
    applied = 0
    for day in due:
        if account.state.as_of is not None and day < account.state.as_of:
            continue  # an event already dated later: this cycle can no longer be inserted
        facts = account.facts(day, session)
        expected = rules.expected_to_work(policy, account.state, facts, day)
        outcome = _apply(account, StartCycle(on=day, expected_to_work=expected), facts, ())
        _append(session, account, outcome.entries)
        session.execute(
            insert(ShiftCycle.__table__),
            [
                {
                    "member_id": account.member.id,
                    "starts_on": day,
                    "owed": expected,
                    "detail": outcome.entries[0].detail if outcome.entries else "",
                }
            ],
        )
        account.state = outcome.state
        account.actions.extend(outcome.actions)
        if day < today:
            outcome = rules.run_day(policy, account.state, facts, day)
            account.state = outcome.state
            account.actions.extend(outcome.actions)
        applied += 1
    if today > row.cycles_until:
        row.cycles_until = today
    return applied


def _apply(
    account: Account,
    event: rules.Event,
    facts: MemberFacts,
    prior: Sequence[LedgerEntry],
) -> Outcome:
    try:
        return rules.apply(account.policy, account.state, event, facts=facts, prior=prior)
    except ShiftRuleError as error:
        raise CoopError(words.refusal(error.code)) from error


def _append(
    session: Session,
    account: Account,
    entries: Iterable[LedgerEntry],
    attendance_id: int | None = None,
) -> None:
    rows = [
        {
            "member_id": account.member.id,
            "day": entry.on,
            "counter": entry.counter.value,
            "delta": entry.delta,
            "kind": entry.kind.value,
            "ref": entry.ref,
            "detail": entry.detail,
            "note": entry.note,
            "attendance_id": attendance_id,
            "created_at": account.now,
            "actor": account.actor.name,
        }
        for entry in entries
    ]
    if rows:
        session.execute(insert(ShiftLedgerEntry.__table__), rows)


def prior_entries(session: Session, member_id: int, ref: str) -> list[LedgerEntry]:
    rows = session.execute(
        select(ShiftLedgerEntry)
        .where(ShiftLedgerEntry.member_id == member_id, ShiftLedgerEntry.ref == ref)
        .order_by(ShiftLedgerEntry.id)
    ).scalars()
    return [entry_from(row) for row in rows]


def apply_event(
    session: Session,
    account: Account,
    event: rules.Event,
    *,
    ref: str | None = None,
    attendance_id: int | None = None,
) -> Outcome:
    """Apply one event to the account (entries appended, state and actions kept for ``save``)."""
    prior = prior_entries(session, account.member.id, ref) if ref else []
    outcome = _apply(account, event, account.facts(event.on, session), prior)
    _append(session, account, outcome.entries, attendance_id)
    account.state = outcome.state
    account.actions.extend(outcome.actions)
    return outcome


def refresh(session: Session, account: Account) -> None:
    """Time-based transitions today (Tapir unfreezes at once after a booking)."""
    today = account.today
    if account.state.as_of is not None and today < account.state.as_of:
        return
    outcome = rules.run_day(account.policy, account.state, account.facts(today, session), today)
    account.state = outcome.state
    account.actions.extend(outcome.actions)


def save(session: Session, account: Account) -> None:
    """Write the cached figures and carry out the actions the rules asked for; a released
    slot changes the member's facts, so the status is then worked out again (and saved)."""
    _write(session, account)
    for _round in range(3):
        actions, account.actions = account.actions, []
        if not actions:
            return
        carry_out(session, account.member.id, actions, actor=account.actor, now=account.now)
        if {Action.RELEASE_TEMPLATE_SLOTS, Action.RELEASE_FUTURE_SHIFTS} & set(actions):
            refresh(session, account)
            _write(session, account)


def _write(session: Session, account: Account) -> None:
    before = _row_values(account.row)
    after = state_values(account.state)
    if before != after:
        for key, value in after.items():
            setattr(account.row, key, value)
        account.row.updated_at = account.now
        if any(before[k] != after[k] for k in SNAPSHOT_FIELDS):
            _log_snapshot(session, account.member.id, account.today, after)
    session.flush()


def _log_snapshot(session: Session, member_id: int, day: date, values: Mapping[str, Any]) -> None:
    session.execute(
        insert(ShiftStateLog.__table__),
        [{"member_id": member_id, "day": day, **{k: values[k] for k in SNAPSHOT_FIELDS}}],
    )


# -- what the rules ask the service to do ----------------------------------------------------


def release_attendances(
    session: Session,
    attendance_ids: Sequence[int],
    *,
    reason: str,
    actor: Actor,
    now: datetime,
) -> int:
    """Cancel pending bookings (no ledger effect) and free their seats; audited."""
    if not attendance_ids:
        return 0
    rows = session.execute(
        select(ShiftAttendance.id, ShiftAttendance.member_id, ShiftAttendance.shift_id).where(
            ShiftAttendance.id.in_(attendance_ids),
            ShiftAttendance.state == AttendanceState.PENDING.value,
        )
    ).all()
    ids = [row.id for row in rows]
    if not ids:
        return 0
    seat_ids = session.scalars(
        select(ShiftAttendance.seat_id).where(
            ShiftAttendance.id.in_(ids), ShiftAttendance.seat_id.is_not(None)
        )
    ).all()
    session.execute(
        update(ShiftAttendance)
        .where(ShiftAttendance.id.in_(ids))
        .values(
            state=AttendanceState.CANCELLED.value,
            seat_id=None,
            released_reason=reason,
            state_changed_at=now,
            state_changed_by=actor.name,
        )
        .execution_options(synchronize_session="fetch")
    )
    if seat_ids:
        session.execute(
            update(ShiftSeat)
            .where(ShiftSeat.id.in_(seat_ids))
            .values(member_id=None)
            .execution_options(synchronize_session="fetch")
        )
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
                "before": {"state": AttendanceState.PENDING.value},
                "after": {"state": AttendanceState.CANCELLED.value, "shift": row.shift_id},
                "reason": reason,
            }
            for row in rows
        ],
    )
    return len(ids)


def pending_attendances(
    session: Session,
    member_id: int,
    *,
    first: date,
    last: date | None = None,
    from_template: bool | None = None,
) -> list[int]:
    query = (
        select(ShiftAttendance.id)
        .join(Shift, Shift.id == ShiftAttendance.shift_id)
        .where(
            ShiftAttendance.member_id == member_id,
            ShiftAttendance.state == AttendanceState.PENDING.value,
            Shift.day >= first,
        )
    )
    if last is not None:
        query = query.where(Shift.day <= last)
    if from_template is not None:
        query = query.where(ShiftAttendance.from_template.is_(from_template))
    return list(session.scalars(query))


def end_holdings(
    session: Session,
    member_id: int,
    *,
    last_day: date,
    reason: str,
    actor: Actor,
    now: datetime,
    template_id: int | None = None,
) -> int:
    """End the member's fixed slots after ``last_day`` (a slot not started yet is removed) and
    cancel the bookings they made from the day after."""
    query = select(ShiftHolding).where(
        ShiftHolding.member_id == member_id,
        or_(ShiftHolding.ends_on.is_(None), ShiftHolding.ends_on > last_day),
    )
    if template_id is not None:
        query = query.where(ShiftHolding.template_id == template_id)
    ended = 0
    for holding in session.scalars(query):
        before = {"ends_on": holding.ends_on}
        if holding.starts_on > last_day:
            holding_id = holding.id
            session.execute(
                update(ShiftAttendance)
                .where(ShiftAttendance.holding_id == holding_id)
                .values(holding_id=None)
                .execution_options(synchronize_session="fetch")
            )
            session.delete(holding)
            after: dict[str, Any] = {"removed": True}
        else:
            holding.ends_on = last_day
            holding.end_reason = reason
            after = {"ends_on": last_day}
            holding_id = holding.id
        audit.record(
            session,
            actor=actor,
            at=now,
            action="shift.slot_end",
            entity="shift_holding",
            entity_id=holding_id,
            member_id=member_id,
            before=before,
            after=after,
            reason=reason,
        )
        ended += 1
    session.flush()
    ids = pending_attendances(session, member_id, first=last_day + ONE_DAY, from_template=True)
    if template_id is not None and ids:
        ids = list(
            session.scalars(
                select(ShiftAttendance.id)
                .join(Shift, Shift.id == ShiftAttendance.shift_id)
                .where(ShiftAttendance.id.in_(ids), Shift.template_id == template_id)
            )
        )
    release_attendances(session, ids, reason=reason, actor=actor, now=now)
    return ended


def carry_out(
    session: Session,
    member_id: int,
    actions: Iterable[Action],
    *,
    actor: Actor,
    now: datetime,
) -> None:
    """Do what the rules asked: release slots or bookings, and log the notifications."""
    today = local_date(now)
    for action in dict.fromkeys(actions):
        if action is Action.RELEASE_TEMPLATE_SLOTS:
            end_holdings(
                session,
                member_id,
                last_day=today - ONE_DAY,
                reason="released",
                actor=actor,
                now=now,
            )
        elif action is Action.RELEASE_FUTURE_SHIFTS:
            ids = pending_attendances(session, member_id, first=today)
            release_attendances(session, ids, reason="unsubscribed", actor=actor, now=now)
        elif action is Action.RELEASE_SHIFTS_IN_LEAVE:
            row = session.get(ShiftMemberState, member_id)
            if row is not None and row.leave_start is not None:
                ids = pending_attendances(
                    session, member_id, first=max(row.leave_start, today), last=row.leave_end
                )
                release_attendances(session, ids, reason="leave", actor=actor, now=now)
        elif action is Action.RESTORE_SHIFTS_AFTER_LEAVE:
            pass  # the leave use case restores the days it gave back (it knows the old end)
        else:
            audit.record(
                session,
                actor=actor,
                at=now,
                action="shift.notify",
                entity="member",
                entity_id=member_id,
                member_id=member_id,
                after={"notice": action.value},
            )


# -- reading states --------------------------------------------------------------------------


def cached_state(session: Session, member_id: int) -> MemberState | None:
    row = session.get(ShiftMemberState, member_id)
    return None if row is None else state_from(_row_values(row))


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
            .order_by(ShiftLedgerEntry.id)
        )
    ]
    values = {name: getattr(snapshot, name) for name in SNAPSHOT_FIELDS}
    figures = rules.replay(policy, entries, until=day)
    return snapshot_state(values, figures)


def registered_on(session: Session, member_id: int, mode: WorkMode, day: date) -> bool:
    if mode is not WorkMode.REGULAR:
        return True
    return holds_slot(session, member_id, day)


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


# -- the daily run ---------------------------------------------------------------------------


@dataclass
class RunReport:
    today: date
    members: int = 0
    enrolled: int = 0
    cycles: int = 0
    entries: int = 0
    changed: int = 0
    skipped: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    actions: dict[str, int] = field(default_factory=dict)


@dataclass
class _Member:
    """One member inside a ``Batch``: the state as loaded, and as changed in memory."""

    member_id: int
    joined_on: date
    left_on: date | None
    before: dict[str, Any]
    state: MemberState
    cycles_until: date
    cycle_origin: date | None
    registered: bool
    upcoming: int
    actions: list[Action] = field(default_factory=list)
    loaded_cycles_until: date | None = None

    def __post_init__(self) -> None:
        self.loaded_cycles_until = self.cycles_until


class Batch:
    """Many members' accounts changed in memory and written back in bulk, in the caller's
    transaction: the daily run, and the bookings of cancelled shifts (closures, holidays).

    A few queries load every state with the member's dates and facts; the rules run in Python;
    ledger entries, cycle rows, changed states and state-log rows are written with one
    executemany each. A state whose only change is its date (``as_of``) is not rewritten: the
    status is computed for the day it is read, so a quiet day costs no write.
    """

    def __init__(
        self,
        session: Session,
        *,
        settings: ShiftSettings,
        actor: Actor,
        now: datetime,
        today: date | None = None,
        member_ids: Iterable[int] | None = None,
    ) -> None:
        self.session = session
        self.settings = settings
        self.policy = settings.policy
        self.actor = actor
        self.now = now
        self.today = today or local_date(now)
        self.entries: list[dict[str, Any]] = []
        self.cycle_rows: list[dict[str, Any]] = []
        self.members: dict[int, _Member] = {}
        self.skipped = 0
        wanted = None if member_ids is None else sorted(set(member_ids))
        if wanted is not None:
            for member in session.scalars(select(Member).where(Member.id.in_(wanted))):
                enrol(session, member, settings=settings, today=self.today, now=now)
        self._load(wanted)

    def _load(self, wanted: list[int] | None) -> None:
        members_table = Member.__table__
        states_table = ShiftMemberState.__table__
        today = self.today
        query = (
            select(states_table, members_table.c.joined_on, members_table.c.left_on)
            .join(members_table, members_table.c.id == states_table.c.member_id)
            .order_by(states_table.c.member_id)
            .with_for_update(of=states_table)  # see ``enrol``: no lost update on PostgreSQL
        )
        holdings = select(ShiftHolding.member_id).where(
            or_(ShiftHolding.ends_on.is_(None), ShiftHolding.ends_on >= today)
        )
        if wanted is None:  # the daily run: every working member still in the coop
            query = query.where(
                members_table.c.erased_at.is_(None),
                members_table.c.main_member_id.is_(None),
                or_(members_table.c.left_on.is_(None), members_table.c.left_on > today),
            )
        else:
            query = query.where(states_table.c.member_id.in_(wanted))
            holdings = holdings.where(ShiftHolding.member_id.in_(wanted))
        rows = self.session.execute(query).all()
        registered = set(self.session.scalars(holdings.distinct()))
        upcoming: dict[int, int] = {}
        if self.policy.freeze_threshold is not None:
            first, last = _upcoming_window(self.policy, today)
            counting = (
                select(ShiftAttendance.member_id, func.count(ShiftAttendance.id))
                .join(Shift, Shift.id == ShiftAttendance.shift_id)
                .where(
                    ShiftAttendance.state == AttendanceState.PENDING.value,
                    Shift.day >= first,
                    Shift.day <= last,
                )
                .group_by(ShiftAttendance.member_id)
            )
            if wanted is not None:
                counting = counting.where(ShiftAttendance.member_id.in_(wanted))
            upcoming = dict(self.session.execute(counting).all())
        for row in rows:
            values = row._mapping
            member_id = values["member_id"]
            state = state_from(values)
            self.members[member_id] = _Member(
                member_id=member_id,
                joined_on=values["joined_on"],
                left_on=values["left_on"],
                before={name: values[name] for name in STATE_FIELDS},
                state=state,
                cycles_until=values["cycles_until"],
                cycle_origin=values["cycle_origin"],
                registered=state.mode is not WorkMode.REGULAR or member_id in registered,
                upcoming=upcoming.get(member_id, 0),
            )

    def facts(self, member: _Member, day: date) -> MemberFacts:
        return facts_for(
            member.joined_on,
            member.left_on,
            day,
            registered=member.registered,
            upcoming=member.upcoming,
        )

    def usable(self, member: _Member) -> bool:
        """False when the member's records are already dated after today (nothing to do)."""
        return member.state.as_of is None or member.state.as_of <= self.today

    def catch_up(self, member: _Member) -> None:
        """Apply the cycle starts owed in (last applied, today]."""
        policy = self.policy
        bees_flying = policy.system is System.BEES and member.state.mode is WorkMode.FLYING
        origin = member.cycle_origin if bees_flying else None
        after = member.cycles_until
        if origin is not None and after < origin:
            after = origin
        for day in rules.due_cycles(policy, after, self.today, origin):
            if member.state.as_of is not None and day < member.state.as_of:
                continue
            facts = self.facts(member, day)
            expected = rules.expected_to_work(policy, member.state, facts, day)
            outcome = self._rules(member, StartCycle(on=day, expected_to_work=expected), ())
            self.cycle_rows.append(
                {
                    "member_id": member.member_id,
                    "starts_on": day,
                    "owed": expected,
                    "detail": outcome.entries[0].detail if outcome.entries else "",
                }
            )
            self._keep(member, outcome, None)
            if day < self.today:
                self._keep(member, rules.run_day(policy, member.state, facts, day), None)
        member.cycles_until = max(member.cycles_until, self.today)

    def _rules(self, member: _Member, event: rules.Event, prior: Sequence[LedgerEntry]) -> Outcome:
        try:
            return rules.apply(
                self.policy, member.state, event, facts=self.facts(member, event.on), prior=prior
            )
        except ShiftRuleError as error:
            raise CoopError(words.refusal(error.code)) from error

    def _keep(self, member: _Member, outcome: Outcome, attendance_id: int | None) -> None:
        member.state = outcome.state
        member.actions.extend(outcome.actions)
        self.entries.extend(
            _entry_row(member.member_id, entry, self.actor, self.now, attendance_id)
            for entry in outcome.entries
        )

    def apply(
        self,
        member_id: int,
        event: rules.Event,
        *,
        attendance_id: int | None = None,
        prior: Sequence[LedgerEntry] = (),
    ) -> Outcome:
        """Apply one event to a member of the batch (cycles owed up to today first)."""
        member = self.members[member_id]
        if member.cycles_until < self.today:
            self.catch_up(member)
        outcome = self._rules(member, event, prior)
        self._keep(member, outcome, attendance_id)
        return outcome

    def settle(self, member: _Member) -> None:
        """Time-based transitions today (the daily run's pass for one member)."""
        facts = self.facts(member, self.today)
        self._keep(member, rules.run_day(self.policy, member.state, facts, self.today), None)

    def write(self) -> tuple[int, Tally[str]]:
        """Bulk writes, then the actions; returns (states changed, actions by code)."""
        updates: list[dict[str, Any]] = []
        snapshots: list[dict[str, Any]] = []
        carry: list[tuple[int, list[Action]]] = []
        counts: Tally[str] = Tally()
        changed = 0
        for member in self.members.values():
            after = state_values(member.state)
            differs = any(member.before[k] != after[k] for k in STATE_FIELDS if k != "as_of")
            row: dict[str, Any] = {"member_id": member.member_id}
            if differs:
                row.update(after, updated_at=self.now)
                changed += 1
                if any(member.before[k] != after[k] for k in SNAPSHOT_FIELDS):
                    snapshots.append(
                        {
                            "member_id": member.member_id,
                            "day": self.today,
                            **{k: after[k] for k in SNAPSHOT_FIELDS},
                        }
                    )
            row["cycles_until"] = member.cycles_until
            if differs or member.cycles_until != member.loaded_cycles_until:
                updates.append(row)
            if member.actions:
                carry.append((member.member_id, member.actions))
                counts.update(action.value for action in member.actions)
        if self.entries:
            self.session.execute(insert(ShiftLedgerEntry.__table__), self.entries)
        if self.cycle_rows:
            self.session.execute(insert(ShiftCycle.__table__), self.cycle_rows)
        if updates:
            _bulk_update_states(self.session, updates)
        if snapshots:
            self.session.execute(insert(ShiftStateLog.__table__), snapshots)
        self.session.expire_all()
        for member_id, actions in carry:
            carry_out(self.session, member_id, actions, actor=self.actor, now=self.now)
            if {Action.RELEASE_TEMPLATE_SLOTS, Action.RELEASE_FUTURE_SHIFTS} & set(actions):
                member = self.session.get(Member, member_id)
                assert member is not None
                account = open_account(
                    self.session,
                    member,
                    settings=self.settings,
                    actor=self.actor,
                    now=self.now,
                    catch_up=False,
                )
                refresh(self.session, account)
                save(self.session, account)
        return changed, counts


def run(
    session: Session, *, today: date, settings: ShiftSettings, actor: Actor, now: datetime
) -> RunReport:
    """The daily pass over every working member: cycle debits owed up to ``today`` (missed days
    caught up), then time-based transitions. Idempotent: a second run the same day changes
    nothing more. Set-based: a few queries in, bulk writes out, the rules in between."""
    report = RunReport(today=today)
    report.enrolled = _enrol_all(session, settings, today, now)
    batch = Batch(session, settings=settings, actor=actor, now=now, today=today)
    statuses: Tally[str] = Tally()
    for member in batch.members.values():
        report.members += 1
        if not batch.usable(member):
            report.skipped += 1
        else:
            batch.catch_up(member)
            batch.settle(member)
        statuses[member.state.status.value] += 1
    report.cycles = len(batch.cycle_rows)
    report.entries = len(batch.entries)
    report.changed, actions = batch.write()
    report.statuses = dict(sorted(statuses.items()))
    report.actions = dict(sorted(actions.items()))
    audit.record(
        session,
        actor=actor,
        at=now,
        action="shifts.run",
        entity="shifts",
        entity_id=today.isoformat(),
        after={
            "members": report.members,
            "cycles": report.cycles,
            "entries": report.entries,
            "changed": report.changed,
        },
    )
    return report


def _entry_row(
    member_id: int,
    entry: LedgerEntry,
    actor: Actor,
    now: datetime,
    attendance_id: int | None = None,
) -> dict[str, Any]:
    return {
        "member_id": member_id,
        "day": entry.on,
        "counter": entry.counter.value,
        "delta": entry.delta,
        "kind": entry.kind.value,
        "ref": entry.ref,
        "detail": entry.detail,
        "note": entry.note,
        "attendance_id": attendance_id,
        "created_at": now,
        "actor": actor.name,
    }


def _bulk_update_states(session: Session, updates: list[dict[str, Any]]) -> None:
    """One executemany per shape of row (only cycles_until, or the whole state)."""
    by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for values in updates:
        by_shape.setdefault(tuple(sorted(values)), []).append(values)
    table = ShiftMemberState.__table__
    for shape, rows in by_shape.items():
        columns = [name for name in shape if name != "member_id"]
        statement = (
            table.update()
            .where(table.c.member_id == bindparam("_member_id"))
            .values({name: bindparam(f"_{name}") for name in columns})
        )
        session.execute(statement, [{f"_{k}": v for k, v in row.items()} for row in rows])


def _enrol_all(session: Session, settings: ShiftSettings, today: date, now: datetime) -> int:
    """Create the state row of every main member who has joined and not left (set-based)."""
    members_table = Member.__table__
    states_table = ShiftMemberState.__table__
    missing = select(members_table.c.id, members_table.c.joined_on).where(
        members_table.c.erased_at.is_(None),
        members_table.c.main_member_id.is_(None),
        members_table.c.joined_on <= today,
        or_(members_table.c.left_on.is_(None), members_table.c.left_on > today),
        ~select(states_table.c.member_id)
        .where(states_table.c.member_id == members_table.c.id)
        .exists(),
    )
    ids = [row.id for row in session.execute(missing)]
    if not ids:
        return 0
    values = state_values(MemberState(mode=settings.new_member_mode))
    session.execute(
        insert(states_table),
        [
            {
                "member_id": member_id,
                **values,
                "cycles_until": today - ONE_DAY,
                "cycle_origin": today,
                "updated_at": now,
            }
            for member_id in ids
        ],
    )
    session.execute(
        insert(ShiftStateLog.__table__),
        [
            {"member_id": member_id, "day": today, **{k: values[k] for k in SNAPSHOT_FIELDS}}
            for member_id in ids
        ],
    )
    return len(ids)


# -- the status list -------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberStatusRow:
    number: int
    name: str
    mode: str
    status: Status
    can_shop: bool
    counters: dict[str, int]


def statuses(session: Session, *, at: date, settings: ShiftSettings) -> list[MemberStatusRow]:
    """Every enrolled main member's status on ``at`` (any date, past ones rebuilt)."""
    policy = settings.policy
    result: list[MemberStatusRow] = []
    members_table = Member.__table__
    rows = session.execute(
        select(
            ShiftMemberState.__table__,
            members_table.c.number,
            members_table.c.first_name,
            members_table.c.last_name,
            members_table.c.joined_on,
            members_table.c.left_on,
        )
        .join(members_table, members_table.c.id == ShiftMemberState.__table__.c.member_id)
        .where(members_table.c.erased_at.is_(None))
        .order_by(members_table.c.number)
    ).all()
    registered = {
        member_id
        for (member_id,) in session.execute(
            select(ShiftHolding.member_id).where(
                or_(ShiftHolding.ends_on.is_(None), ShiftHolding.ends_on >= at)
            )
        )
    }
    for row in rows:
        values = row._mapping
        member_id = values["member_id"]
        state: MemberState | None = state_from(values)
        assert state is not None
        if state.as_of is None or at < state.as_of:
            state = state_on(session, policy, member_id, at)
            if state is None:
                continue
        facts = facts_for(
            values["joined_on"],
            values["left_on"],
            at,
            registered=state.mode is not WorkMode.REGULAR or member_id in registered,
            upcoming=upcoming_shifts(session, policy, member_id, at)
            if policy.freeze_threshold is not None
            else 0,
        )
        check = rules.check(policy, state, facts, at)
        result.append(
            MemberStatusRow(
                number=values["number"],
                name=f"{values['first_name']} {values['last_name']}",
                mode=state.mode.value,
                status=check.status,
                can_shop=check.can_shop,
                counters={c.value: state.counters.get(c) for c in policy.counters},
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


def manual_entry(
    session: Session,
    *,
    member_number: int,
    counter: Counter | str,
    delta: int,
    reason: str,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
) -> Outcome:
    """A correction by the member office: one signed entry on one counter, with its reason."""
    policy = settings.policy
    problems = []
    try:
        counter = Counter(counter)
    except ValueError:
        counter = None  # type: ignore[assignment]
    if counter not in policy.counters:
        problems.append(
            Problem(
                _("“{value}” is not one of: {options}").format(
                    value=counter or "", options=", ".join(c.value for c in policy.counters)
                ),
                column="--counter",
            )
        )
    if delta == 0:
        problems.append(Problem(_("must not be zero"), column="--delta"))
    if not reason.strip():
        problems.append(Problem(_("give the reason for the entry"), column="--reason"))
    if problems:
        raise InvalidInput(problems)
    account = account_for(session, member_number, settings=settings, actor=actor, now=now)
    ref = f"manual:{uuid.uuid4().hex[:16]}"
    outcome = apply_event(
        session,
        account,
        Adjust(ref=ref, on=account.today, counter=counter, delta=delta, note=reason.strip()),
        ref=ref,
    )
    refresh(session, account)
    save(session, account)
    audit.record(
        session,
        actor=actor,
        at=now,
        action="shift.manual_entry",
        entity="member",
        entity_id=account.member.id,
        member_id=account.member.id,
        after={"counter": counter.value, "delta": delta},
        reason=reason.strip(),
    )
    return outcome


def get_shift(session: Session, shift_id: int) -> Shift:
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise NotFound(_("No shift has the number {id}.").format(id=shift_id))
    return shift


__all__ = [
    "Account",
    "RunReport",
    "account_for",
    "apply_event",
    "carry_out",
    "catch_up_cycles",
    "enrol",
    "open_account",
    "refresh",
    "release_attendances",
    "run",
    "save",
    "state_on",
    "status_on",
    "statuses",
    "worker",
]
