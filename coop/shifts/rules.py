"""Pure rules of member shifts: applying events to the work-credit ledger, the daily pass,
the catch-up of missed cycles, and the small policy questions of the use cases.

No Session, no I/O, no clock: every function takes the policy, plain values and the dates.
The account (``coop.shifts.account``) loads, calls these, appends the returned entries to the
ledger, saves the returned ``MemberState`` as the cached figures and carries out the actions,
all in one transaction. The vocabulary, values and the ledger fold are in
``coop.shifts.values``; the status machines, one module per family of rules behind one
protocol, in ``coop.shifts.status``; the desk check in ``coop.shifts.desk_rules``. This module
re-exports their names so a use case imports its rules from one place.

How the pieces fit
------------------
- ``LedgerEntry`` — one append-only row: date, counter, signed delta, kind, ``ref`` (the
  attendance, cycle or manual item it belongs to), a ``detail`` code and a staff note.
- ``MemberState`` — the cached figures of one member: work mode, ``Figures`` (counters and the
  clocks derived from the ledger), cached status, extension, leave and Tapir's freeze fields.
- ``apply(policy, state, event, facts=..., prior=...) -> Outcome`` — applies one event and
  returns the new state, the entries to append and the ``Action``s for the service. ``prior``
  is the entries already in the ledger with the event's ``ref``.
- Replacement, never doubling: the effect of a ``ref`` is the sum of its entries; its live
  part is what follows its last ``REVERSAL`` block. Changing an attendance state appends one
  mirrored ``REVERSAL`` per live entry, then the new effect, computed on the counters as they
  would be without this attendance. Re-sending the same effect writes nothing. La Louve's cap
  is one more entry of the same ref (``CAP``), so the standard counter never exceeds 0 even
  when a debit that made room for a makeup is withdrawn.
- ``replay(policy, entries, until=None) -> Figures`` rebuilds the ledger part of the state, and
  ``status_at(policy, state, entries, at, facts)`` gives the status on any past date.
- ``run_day(policy, state, facts, today)`` — the daily, idempotent pass: Tapir's freeze,
  warning and unfreeze, and the status after time-based transitions (alert → suspended...).
  Cycle debits are ``StartCycle`` events; ``due_cycles`` lists the dates to catch up.
- ``check(policy, state, facts, today) -> ShopCheck`` — the desk's one call: can_shop, status,
  blocking reasons, warnings (codes, never sentences), counters and the date by which things
  must be fixed (``fix_by``) with the status that follows (``then``).

Clocks (alert since, freeze since) are counted in whole days: a run starts on the day whose
end-of-day counter first met the condition, so corrections made within one day never restart a
clock, and replaying the ledger always gives the cached figures.

Other public helpers: ``expected_to_work``, ``member_status``, ``deadline``,
``extension_until``, ``may_reduce_deduction``, ``state_when_shift_cancelled``,
``may_unregister``, ``may_seek_stand_in``, ``may_book``, ``may_receive_solidarity``,
``attendance_ref``, ``cycle_ref``. Refusals raise ``ShiftRuleError`` carrying a ``Refusal`` code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from coop.shifts.desk_rules import check, deadline
from coop.shifts.policy import (
    AttendanceState,
    Counter,
    ShiftPolicy,
    Status,
    WorkMode,
)
from coop.shifts.status import expected_to_work, grace, member_status, system_for
from coop.shifts.status.common import alert_start
from coop.shifts.values import (
    ONE_DAY,
    Action,
    Adjust,
    ChangeMode,
    Counters,
    EndLeave,
    EntryKind,
    Event,
    Extension,
    Figures,
    Freeze,
    GrantExtension,
    GrantGrace,
    Leave,
    LeaveKind,
    LedgerEntry,
    MarkAttendance,
    MemberFacts,
    Membership,
    MemberState,
    Outcome,
    Reason,
    Refusal,
    Run,
    ShiftRuleError,
    ShopCheck,
    StartCycle,
    StartLeave,
    Unfreeze,
    attendance_ref,
    cycle_ref,
    fold,
    replay,
)

SEATS_LIMIT = 100
"""The most places a shift may have (a CSV's ``seats``, ``coop shifts edit --seats``): beyond
it the value is a typing error, refused with a sentence, not stored."""

# -- status ----------------------------------------------------------------------------------


def status_at(
    policy: ShiftPolicy,
    state: MemberState,
    entries: Iterable[LedgerEntry],
    at: date,
    facts: MemberFacts | None = None,
) -> Status:
    """The status on a past date: ledger replayed up to ``at``; leave, extension, frozen and mode
    are taken from ``state`` (the service passes the ones valid on ``at``)."""
    figures = replay(policy, entries, until=at)
    return member_status(policy, replace(state, figures=figures), facts or MemberFacts(), at)


# -- applying events -------------------------------------------------------------------------


def apply(
    policy: ShiftPolicy,
    state: MemberState,
    event: Event,
    *,
    facts: MemberFacts | None = None,
    prior: Sequence[LedgerEntry] = (),
    ledger: Sequence[LedgerEntry] | None = None,
) -> Outcome:
    """Apply one event; the status is refreshed at once (no waiting for the night).

    Events come in date order, except an attendance marked after the fact: it keeps its shift's
    date (``event.on`` before the state's date) when the member's whole ``ledger`` is given, and
    the figures and clocks are then replayed from the ledger with the late entries in their
    place (issue 16 §9: the alert clock and ``status --at`` follow the shift's date).
    """
    facts = facts or MemberFacts()
    late = state.as_of is not None and event.on < state.as_of
    if late and (ledger is None or not isinstance(event, MarkAttendance)):
        raise ShiftRuleError(Refusal.OUT_OF_ORDER)
    for entry in prior:
        if entry.ref != getattr(event, "ref", cycle_ref(event.on)):
            raise ShiftRuleError(Refusal.WRONG_REF)
    entries: list[LedgerEntry] = []
    actions: list[Action] = []
    cycle_applied = None
    match event:
        case MarkAttendance():
            entries = _attendance_entries(policy, state, event, prior)
            if entries and _auto_unsubscribes(policy, state, facts, event):
                actions += [Action.RELEASE_TEMPLATE_SLOTS, Action.NOTIFY_UNSUBSCRIBED]
        case Adjust():
            entries = _adjust_entries(policy, state, event, prior)
        case StartCycle():
            if not prior:
                entries = _cycle_entries(policy, state, event)
                cycle_applied = event.on
        case _:
            state, actions = _change(policy, state, facts, event)
    if late and ledger is not None:
        figures = replay(policy, sorted([*ledger, *entries], key=lambda entry: entry.on))
        state = state.with_figures(figures)
        state, more = _settle(policy, state, facts, state.as_of or event.on)
    else:
        state = state.with_figures(fold(policy, state.figures, entries))
        state, more = _settle(policy, state, facts, event.on)
    return Outcome(state, tuple(entries), tuple(actions + more), cycle_applied)


def _change(
    policy: ShiftPolicy,
    state: MemberState,
    facts: MemberFacts,
    event: GrantGrace | GrantExtension | StartLeave | EndLeave | ChangeMode | Freeze | Unfreeze,
) -> tuple[MemberState, list[Action]]:
    """An event that changes the state without a ledger entry: (new state, actions)."""
    match event:
        case GrantGrace():
            return replace(state, extension=grace(policy, state, facts, event)), []
        case GrantExtension():
            return replace(state, extension=system_for(policy).extension(policy, state, event)), []
        case StartLeave():
            return _start_leave(policy, state, event)
        case EndLeave():
            return _end_leave(state, event)
        case ChangeMode():
            return replace(state, mode=event.mode), []
        case Freeze():
            _require_freeze(policy)
            if state.frozen_since is not None:
                raise ShiftRuleError(Refusal.ALREADY_FROZEN)
            return replace(state, frozen_since=event.on), [
                Action.RELEASE_TEMPLATE_SLOTS,
                Action.NOTIFY_FROZEN,
            ]
        case Unfreeze():
            _require_freeze(policy)
            if state.frozen_since is None:
                raise ShiftRuleError(Refusal.NOT_FROZEN)
            return replace(state, frozen_since=None), [Action.NOTIFY_UNFROZEN]


def _settle(
    policy: ShiftPolicy, state: MemberState, facts: MemberFacts, on: date
) -> tuple[MemberState, list[Action]]:
    """Store the status of ``on`` and say what a status change requires."""
    system = system_for(policy)
    state = system.settled(state)
    status = system.status(policy, state, facts, on) if facts.is_worker else Status.NOT_CONCERNED
    actions = system.on_status_change(state.status, status)
    return state.with_status(status, on), actions


def _sums(entries: Iterable[LedgerEntry]) -> dict[Counter, int]:
    sums: dict[Counter, int] = defaultdict(int)
    for entry in entries:
        sums[entry.counter] += entry.delta
    return {c: v for c, v in sums.items() if v}


def _without(counters: Counters, effect: dict[Counter, int]) -> Counters:
    for counter, delta in effect.items():
        counters = counters.add(counter, -delta)
    return counters


def _rewrite(
    on: date,
    ref: str,
    prior: Sequence[LedgerEntry],
    wanted: list[LedgerEntry],
) -> list[LedgerEntry]:
    """Entries that turn the ref's current effect into ``wanted`` (nothing if it already is).

    The current ("live") effect is what follows the ref's last ``REVERSAL`` block. Each live
    entry gets its own mirrored reversal, so even an effect netting to zero (an absence inside a
    neutral closure) leaves a boundary and can never be counted twice.
    """
    last_reversal = max(
        (i for i, e in enumerate(prior) if e.kind is EntryKind.REVERSAL), default=-1
    )
    live = prior[last_reversal + 1 :]

    def signature(entries: Iterable[LedgerEntry]) -> list[tuple[str, str, int, str]]:
        return sorted((e.kind, e.counter, e.delta, e.detail) for e in entries)

    wanted = [e for e in wanted if e.delta]
    if signature(live) == signature(wanted):
        return []
    reversals = [
        LedgerEntry(on, e.counter, -e.delta, EntryKind.REVERSAL, ref, detail=e.detail or e.kind)
        for e in live
    ]
    return reversals + wanted


def _attendance_entries(
    policy: ShiftPolicy, state: MemberState, event: MarkAttendance, prior: Sequence[LedgerEntry]
) -> list[LedgerEntry]:
    if event.state in (AttendanceState.PENDING, AttendanceState.CANCELLED) or event.solidarity:
        wanted: list[LedgerEntry] = []
    else:
        base = _without(state.counters, _sums(prior))
        full = system_for(policy).attendance_points(policy, base, state.mode, event, False)
        kept = system_for(policy).attendance_points(policy, base, state.mode, event, True)
        wanted = [
            LedgerEntry(event.on, c, d, EntryKind.ATTENDANCE, event.ref, event.state, event.note)
            for c, d in sorted(full.items(), key=lambda item: policy.counters.index(item[0]))
        ]
        wanted += [
            LedgerEntry(event.on, c, kept.get(c, 0) - full.get(c, 0), EntryKind.CLOSURE, event.ref)
            for c in policy.counters
        ]
    wanted += _cap_entries(policy, _without(state.counters, _sums(prior)), wanted, event)
    return _rewrite(event.on, event.ref, prior, wanted)


def _cap_entries(
    policy: ShiftPolicy, base: Counters, wanted: list[LedgerEntry], event: MarkAttendance | Adjust
) -> list[LedgerEntry]:
    """Keep the capped counter at most at its cap, e.g. when a debit that made room for a
    makeup's credit is withdrawn: the excess is trimmed inside the same ref's effect."""
    cap = policy.standard_cap
    if cap is None:
        return []
    total = base.standard + sum(e.delta for e in wanted if e.counter is Counter.STANDARD)
    if total <= cap:
        return []
    return [LedgerEntry(event.on, Counter.STANDARD, cap - total, EntryKind.CAP, event.ref)]


def _auto_unsubscribes(
    policy: ShiftPolicy, state: MemberState, facts: MemberFacts, event: MarkAttendance
) -> bool:
    """Whether this attendance unsubscribes the member at once (La Louve's second absence)."""
    return system_for(policy).auto_unsubscribes(
        policy, lambda: member_status(policy, state, facts, event.on), event
    )


def _adjust_entries(
    policy: ShiftPolicy, state: MemberState, event: Adjust, prior: Sequence[LedgerEntry]
) -> list[LedgerEntry]:
    if event.kind not in (EntryKind.MANUAL, EntryKind.WELCOME, EntryKind.SOLIDARITY):
        raise ValueError(f"an adjustment cannot be of kind {event.kind}")
    base = _without(state.counters, _sums(prior))
    cap = policy.standard_cap
    if (
        event.counter is Counter.STANDARD
        and cap is not None
        and event.delta > 0
        and base.standard + event.delta > cap
    ):
        raise ShiftRuleError(Refusal.ABOVE_CAP)
    wanted = [
        LedgerEntry(event.on, event.counter, event.delta, event.kind, event.ref, note=event.note)
    ]
    wanted += _cap_entries(policy, base, wanted, event)
    return _rewrite(event.on, event.ref, prior, wanted)


def _cycle_entries(policy: ShiftPolicy, state: MemberState, event: StartCycle) -> list[LedgerEntry]:
    if not event.expected_to_work or state.mode is WorkMode.EXEMPT:
        return []
    regular = state.mode is WorkMode.REGULAR
    counter, delta, detail = system_for(policy).cycle_debit(policy, state, event, regular)
    if not delta:
        return []
    return [LedgerEntry(event.on, counter, delta, EntryKind.CYCLE, cycle_ref(event.on), detail)]


def may_reduce_deduction(
    policy: ShiftPolicy, ftop_points: int, previous_cycle_details: Sequence[str]
) -> bool:
    """La Louve: refused if points >= 1 or the last closures (newest last) were all reduced."""
    limit = policy.reduced_deduction_limit
    recent = list(previous_cycle_details)[-limit:] if limit else []
    return ftop_points < 1 and not (
        limit and len(recent) == limit and all(d == "reduced" for d in recent)
    )


def extension_until(
    policy: ShiftPolicy, on: date, next_shift: date | None = None, days: int | None = None
) -> date:
    """The default end of an extension granted on ``on`` (La Louve: to the next shift)."""
    if policy.extension_to_next_shift and next_shift is not None and days is None:
        return next_shift
    return on + timedelta(days=policy.extension_days if days is None else days)


def _start_leave(
    policy: ShiftPolicy, state: MemberState, event: StartLeave
) -> tuple[MemberState, list[Action]]:
    if event.end is not None and event.end < event.start:
        raise ShiftRuleError(Refusal.BAD_DATES)
    resumed = state.alert_resumed_on
    paused_start = alert_start(policy, state, event.on)
    if paused_start is not None and paused_start != state.figures.alert.since:
        resumed = paused_start  # keep the pause of the leave being replaced
    leave = Leave(event.kind, event.start, event.end)
    actions = [Action.RELEASE_SHIFTS_IN_LEAVE]
    long = policy.long_leave_days
    if long is not None and (event.end is None or (event.end - event.start).days >= long):
        actions.append(Action.RELEASE_TEMPLATE_SLOTS)
    return replace(state, leave=leave, alert_resumed_on=resumed), actions


def _end_leave(state: MemberState, event: EndLeave) -> tuple[MemberState, list[Action]]:
    leave = state.leave
    if leave is None or (leave.end is not None and leave.end < event.on):
        raise ShiftRuleError(Refusal.NO_LEAVE)
    if event.on <= leave.start:
        return replace(state, leave=None), [Action.RESTORE_SHIFTS_AFTER_LEAVE]
    ended = replace(leave, end=event.on - ONE_DAY)
    return replace(state, leave=ended), [Action.RESTORE_SHIFTS_AFTER_LEAVE]


def _require_freeze(policy: ShiftPolicy) -> None:
    if not system_for(policy).freezes:
        raise ShiftRuleError(Refusal.FREEZE_NOT_AVAILABLE)


# -- the daily run ---------------------------------------------------------------------------


def run_day(policy: ShiftPolicy, state: MemberState, facts: MemberFacts, today: date) -> Outcome:
    """Time-based transitions for one member (idempotent: running twice changes nothing more).

    Apply the day's ``StartCycle`` events first. Tapir's freeze pass follows §2.1 in order:
    freeze, else warning, else unfreeze. Calling it right after a booking unfreezes at once.
    """
    if state.as_of is not None and today < state.as_of:
        raise ShiftRuleError(Refusal.OUT_OF_ORDER)
    state, actions = system_for(policy).daily(
        policy, state, facts, today, lambda: expected_to_work(policy, state, facts, today)
    )
    state, more = _settle(policy, state, facts, today)
    return Outcome(state, (), tuple(actions + more))


def due_cycles(
    policy: ShiftPolicy, after: date, today: date, origin: date | None = None
) -> list[date]:
    """Cycle start dates in ``(after, today]``, to catch up after missed runs.

    ``after`` is the last cycle applied (or the member's join date). ``origin`` is a personal
    cycle start (Obeesdoo irregular start date; pass ``after >= origin``, the start day itself is
    not a countdown day), else the policy's week anchor.
    """
    # imported here: a sale's desk check runs the rules but never the cycles' calendar
    from coop.shifts.calendar import cycle_starts

    return cycle_starts(origin or policy.week_anchor, after, today, policy.cycle_days)


def personal_origin(
    policy: ShiftPolicy, state: MemberState, cycle_origin: date | None
) -> date | None:
    """The member's own cycle origin when cycles count from it (Obeesdoo's flying workers),
    else None (the policy's week anchor)."""
    if system_for(policy).personal_cycles and state.mode is WorkMode.FLYING:
        return cycle_origin
    return None


@dataclass(frozen=True)
class CycleApplied:
    """One cycle start applied by ``catch_up``: its day, whether work was owed, its entries."""

    on: date
    owed: bool
    entries: tuple[LedgerEntry, ...]

    @property
    def detail(self) -> str:
        return self.entries[0].detail if self.entries else ""


@dataclass(frozen=True)
class CaughtUp:
    """The state after the cycles owed, the cycles applied in order, the actions asked."""

    state: MemberState
    cycles: tuple[CycleApplied, ...]
    actions: tuple[Action, ...]


def catch_up(
    policy: ShiftPolicy,
    state: MemberState,
    facts_on: Callable[[date], MemberFacts],
    *,
    after: date,
    today: date,
    origin: date | None = None,
) -> CaughtUp:
    """Apply every cycle start in (``after``, ``today``], each followed by the time-based
    transitions of its day when that day is past; ``facts_on`` gives the member's facts on a
    day. A cycle dated before the state's own date can no longer be inserted: skipped."""
    if origin is not None and after < origin:
        after = origin
    if after >= today:
        return CaughtUp(state, (), ())  # nothing owed (the usual day after the first run)
    cycles: list[CycleApplied] = []
    actions: list[Action] = []
    for day in due_cycles(policy, after, today, origin):
        if state.as_of is not None and day < state.as_of:
            continue
        facts = facts_on(day)
        owed = expected_to_work(policy, state, facts, day)
        outcome = apply(policy, state, StartCycle(on=day, expected_to_work=owed), facts=facts)
        cycles.append(CycleApplied(day, owed, outcome.entries))
        state = outcome.state
        actions.extend(outcome.actions)
        if day < today:
            settled = run_day(policy, state, facts, day)
            state = settled.state
            actions.extend(settled.actions)
    return CaughtUp(state, tuple(cycles), tuple(actions))


# -- small policy questions for the service --------------------------------------------------


def state_when_shift_cancelled(policy: ShiftPolicy, from_template: bool) -> AttendanceState:
    """The coop cancels a shift: fixed-slot registrants get the policy's state, others none."""
    return policy.cancelled_template_state if from_template else AttendanceState.CANCELLED


def may_unregister(
    policy: ShiftPolicy, *, from_template: bool, shift_start: datetime, now: datetime
) -> bool:
    """Self-service cancellation of a booking (never of one's own fixed slot)."""
    notice = policy.unregister_notice_hours
    if from_template or notice is None:
        return False
    return shift_start - now >= timedelta(hours=notice)


def may_seek_stand_in(policy: ShiftPolicy, *, shift_start: datetime, now: datetime) -> bool:
    notice = policy.stand_in_notice_hours
    return notice is not None and shift_start - now >= timedelta(hours=notice)


def may_book(policy: ShiftPolicy, booked: Iterable[date], day: date) -> Refusal | None:
    """Flying-member booking limits: per day, and per window (any N consecutive days, or the
    calendar month when ``booking_window_days`` is 0). None when allowed."""
    booked = list(booked)
    per_day = policy.max_bookings_per_day
    if per_day is not None and sum(b == day for b in booked) + 1 > per_day:
        return Refusal.BOOKING_DAY_LIMIT
    limit = policy.max_bookings_per_window
    if limit is None:
        return None
    window = policy.booking_window_days
    if window == 0:
        same_month = sum((b.year, b.month) == (day.year, day.month) for b in booked)
        return Refusal.BOOKING_WINDOW_LIMIT if same_month + 1 > limit else None
    for offset in range(window):
        first = day - timedelta(days=offset)
        last = first + timedelta(days=window - 1)
        if sum(first <= b <= last for b in booked) + 1 > limit:
            return Refusal.BOOKING_WINDOW_LIMIT
    return None


def may_receive_solidarity(policy: ShiftPolicy, received_this_year: int) -> bool:
    limit = policy.solidarity_max_per_year
    return limit is not None and received_this_year < limit


__all__ = [
    "Action",
    "Adjust",
    "CaughtUp",
    "ChangeMode",
    "Counters",
    "CycleApplied",
    "EndLeave",
    "EntryKind",
    "Event",
    "Extension",
    "Figures",
    "Freeze",
    "GrantExtension",
    "GrantGrace",
    "Leave",
    "LeaveKind",
    "LedgerEntry",
    "MarkAttendance",
    "MemberFacts",
    "MemberState",
    "Membership",
    "Outcome",
    "Reason",
    "Refusal",
    "Run",
    "ShiftRuleError",
    "ShopCheck",
    "StartCycle",
    "StartLeave",
    "Unfreeze",
    "apply",
    "attendance_ref",
    "catch_up",
    "check",
    "cycle_ref",
    "deadline",
    "due_cycles",
    "expected_to_work",
    "extension_until",
    "fold",
    "may_book",
    "may_receive_solidarity",
    "may_reduce_deduction",
    "may_seek_stand_in",
    "may_unregister",
    "member_status",
    "personal_origin",
    "replay",
    "run_day",
    "state_when_shift_cancelled",
    "status_at",
]
