"""Pure rules of member shifts: the work-credit ledger, events, status and the desk check.

No Session, no I/O, no clock: every function takes the policy, plain values and the dates.
The service (``coop.shifts.service``) loads, calls these, appends the returned entries to the
ledger, saves the returned ``MemberState`` as the cached figures and carries out the actions,
all in one transaction.

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
from enum import StrEnum

from coop.shifts.calendar import cycle_starts
from coop.shifts.policy import (
    AttendanceState,
    Counter,
    ShiftPolicy,
    Status,
    System,
    WorkMode,
)

ONE_DAY = timedelta(days=1)


# -- codes -----------------------------------------------------------------------------------


class EntryKind(StrEnum):
    ATTENDANCE = "attendance"
    CLOSURE = "closure"  # what a closure gives back on an absence (La Louve "0/1 makeup")
    CYCLE = "cycle"
    REVERSAL = "reversal"  # cancels the previous effect of the same ref
    CAP = "cap"  # La Louve: trims the standard counter back to its cap (never banked)
    MANUAL = "manual"
    WELCOME = "welcome"  # Tapir: +1 once for the welcome session
    SOLIDARITY = "solidarity"  # Tapir: shift given (−1) or received (+1)


class LeaveKind(StrEnum):
    HOLIDAY = "holiday"  # congé: Obeesdoo holiday, La Louve vacation (cannot shop)
    EXEMPTION = "exemption"  # exemption: may shop (Tapir exemption, Obeesdoo temporary exempt)


class Membership(StrEnum):
    ACTIVE = "active"
    INVESTING = "investing"
    PAUSED = "paused"
    NONE = "none"  # no active share


class Action(StrEnum):
    """What the service must do after an event (cancel bookings, send a message...)."""

    RELEASE_TEMPLATE_SLOTS = "release_template_slots"  # leave ABCD slots (and leader roles),
    # cancel the future attendances they generated
    RELEASE_FUTURE_SHIFTS = "release_future_shifts"  # cancel every future booking
    RELEASE_SHIFTS_IN_LEAVE = "release_shifts_in_leave"
    RESTORE_SHIFTS_AFTER_LEAVE = "restore_shifts_after_leave"
    NOTIFY_FROZEN = "notify_frozen"
    NOTIFY_UNFROZEN = "notify_unfrozen"
    NOTIFY_FREEZE_WARNING = "notify_freeze_warning"
    NOTIFY_UNSUBSCRIBED = "notify_unsubscribed"


class Reason(StrEnum):
    """Desk codes: why a member may not shop, or what to tell them (wording via gettext).

    Every ``Status`` has a code of the same value, since a coop may stop any status shopping.
    """

    UP_TO_DATE = "up_to_date"
    ALERT = "alert"
    DELAY = "delay"
    SUSPENDED = "suspended"
    ON_LEAVE = "on_leave"
    EXEMPTED = "exempted"
    FROZEN = "frozen"
    UNSUBSCRIBED = "unsubscribed"
    RESIGNING = "resigning"
    BLOCKED = "blocked"
    UNPAID = "unpaid"
    NOT_CONCERNED = "not_concerned"
    # membership (Tapir's checks, useful everywhere)
    NO_ACCOUNT = "no_account"
    INVESTING = "investing"
    PAUSED = "paused"
    NOT_A_MEMBER = "not_a_member"
    NOT_YET_MEMBER = "not_yet_member"
    SHARE_DOES_NOT_ALLOW_SHOPPING = "share_does_not_allow_shopping"
    # warnings (never block)
    IN_ALERT = "in_alert"
    IN_DELAY = "in_delay"
    OWES_SHIFTS = "owes_shifts"
    FREEZE_PENDING = "freeze_pending"
    NO_WELCOME_SESSION = "no_welcome_session"
    FORCED_CUSTOMER = "forced_customer"


class Refusal(StrEnum):
    OUT_OF_ORDER = "out_of_order"  # an event dated before the state's last update
    WRONG_REF = "wrong_ref"  # ``prior`` holds entries of another ref
    ABOVE_CAP = "above_cap"
    BAD_DATES = "bad_dates"
    GRACE_NOT_AVAILABLE = "grace_not_available"
    EXTENSION_NOT_AVAILABLE = "extension_not_available"
    FREEZE_NOT_AVAILABLE = "freeze_not_available"
    NOT_SUSPENDED = "not_suspended"
    NO_ALERT = "no_alert"
    ALREADY_EXTENDED = "already_extended"
    NO_GRACE_YET = "no_grace_yet"
    GRACE_NOT_EXPIRED = "grace_not_expired"
    NO_LEAVE = "no_leave"
    REDUCTION_REFUSED = "reduction_refused"
    ALREADY_FROZEN = "already_frozen"
    NOT_FROZEN = "not_frozen"
    BOOKING_DAY_LIMIT = "booking_day_limit"
    BOOKING_WINDOW_LIMIT = "booking_window_limit"


class ShiftRuleError(ValueError):
    """A rule refuses the event; ``code`` says which (the service words it for people)."""

    def __init__(self, code: Refusal) -> None:
        super().__init__(code.value)
        self.code = code


# -- values ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counters:
    """Each counter in shifts; a system only moves the ones in ``policy.counters``."""

    standard: int = 0
    ftop: int = 0
    regular: int = 0
    compensation: int = 0
    balance: int = 0

    def get(self, counter: Counter) -> int:
        return getattr(self, counter.value)

    def add(self, counter: Counter, delta: int) -> Counters:
        return replace(self, **{counter.value: self.get(counter) + delta})


@dataclass(frozen=True)
class LedgerEntry:
    on: date
    counter: Counter
    delta: int
    kind: EntryKind
    ref: str | None = None
    detail: str = ""
    """A code: the attendance state, or the cycle rule used (in_credit, deficit, penalty...)."""
    note: str = ""
    """Free text typed by staff (an excuse, a reason for a manual entry)."""


@dataclass(frozen=True)
class Run:
    """A condition that held at the end of every day since ``since`` (None: not holding).

    ``since_before`` is the value at the end of the day before ``Figures.day``.
    """

    since: date | None = None
    since_before: date | None = None


@dataclass(frozen=True)
class Figures:
    """Everything ``replay`` rebuilds from the ledger alone."""

    counters: Counters = Counters()
    day: date | None = None  # date of the last entry folded in
    standard_negative: Run = Run()  # La Louve alert clock for ABCD members
    ftop_negative: Run = Run()  # La Louve alert clock for FTOP members
    alert: Run = Run()  # Obeesdoo: starts when regular < 0, ends when both counters >= 0
    below_freeze: Run = Run()  # Tapir: balance <= freeze threshold
    penalised: bool = False  # Obeesdoo irregular double-penalty flag (issue #388)


@dataclass(frozen=True)
class Leave:
    kind: LeaveKind
    start: date
    end: date | None = None  # inclusive; None = open-ended

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Extension:
    """A delay (La Louve extension, Obeesdoo grace/extension), ``end`` inclusive."""

    start: date
    end: date
    grace: bool = False

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class MemberState:
    """The cached shift figures of one member (one row per member in the database)."""

    mode: WorkMode = WorkMode.REGULAR
    figures: Figures = Figures()
    status: Status = Status.UP_TO_DATE
    as_of: date | None = None
    extension: Extension | None = None
    leave: Leave | None = None
    alert_resumed_on: date | None = None
    """Obeesdoo: the alert clock restarted here after a leave taken during the alert."""
    frozen_since: date | None = None
    freeze_warned_on: date | None = None

    @property
    def counters(self) -> Counters:
        return self.figures.counters


@dataclass(frozen=True)
class MemberFacts:
    """What other contexts know about the member, passed in by the service.

    The defaults describe an ordinary active working member.
    """

    has_account: bool = True
    membership: Membership = Membership.ACTIVE
    member_since: date | None = None
    is_worker: bool = True  # False: a non-working share class
    share_allows_shopping: bool = False  # for non-workers only
    blocked: bool = False  # La Louve
    unpaid: bool = False  # La Louve: late share payments
    force_customer: bool = False  # La Louve "force customer"
    resigning: bool = False  # Obeesdoo
    unsubscribed: bool = False  # manual unsubscription
    registered: bool = True  # La Louve: has a current or future template registration
    welcome_session_done: bool = True
    upcoming_shifts: int = 0
    """Tapir: booked shifts between today − lookback and today + lookahead (policy days)."""


# -- events ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarkAttendance:
    """Set the state of one attendance (booking) of this member; replaces any earlier state."""

    ref: str
    on: date  # the day the mark is recorded
    state: AttendanceState
    from_template: bool = True  # the member's own fixed slot (vs a makeup / flying shift)
    counter: Counter | None = None  # La Louve: FTOP ticket taken by an ABCD member
    credit: int | None = None  # credit configured on the shift; None: policy.makeup_credit
    solidarity: bool = False  # a solidarity shift: no counter change
    closure_makeups: int | None = None  # inside a closure: what an absence costs at most
    previous_own_shift_missed: bool = False  # La Louve automatic unsubscription inputs
    makeup_since_previous: bool = False
    note: str = ""


@dataclass(frozen=True)
class StartCycle:
    """A cycle begins on ``on`` (global ABCD cycle, or the personal countdown of Obeesdoo)."""

    on: date
    expected_to_work: bool = True  # see ``expected_to_work``
    reduced_deduction: bool = False  # La Louve FTOP reduced deduction (check may_reduce_deduction)


@dataclass(frozen=True)
class Adjust:
    """Set the effect of ``ref`` on one counter to ``delta`` (manual entry, welcome session)."""

    ref: str
    on: date
    counter: Counter
    delta: int
    kind: EntryKind = EntryKind.MANUAL
    note: str = ""


@dataclass(frozen=True)
class GrantGrace:
    on: date
    next_shift: date | None = None


@dataclass(frozen=True)
class GrantExtension:
    on: date
    until: date  # inclusive; see ``extension_until`` for the policy's default


@dataclass(frozen=True)
class StartLeave:
    on: date  # day recorded
    kind: LeaveKind
    start: date
    end: date | None = None


@dataclass(frozen=True)
class EndLeave:
    on: date  # the member is back from this day (cancels the leave if it has not started)


@dataclass(frozen=True)
class ChangeMode:
    on: date
    mode: WorkMode


@dataclass(frozen=True)
class Freeze:
    on: date


@dataclass(frozen=True)
class Unfreeze:
    on: date


Event = (
    MarkAttendance
    | StartCycle
    | Adjust
    | GrantGrace
    | GrantExtension
    | StartLeave
    | EndLeave
    | ChangeMode
    | Freeze
    | Unfreeze
)


@dataclass(frozen=True)
class Outcome:
    state: MemberState
    entries: tuple[LedgerEntry, ...] = ()
    actions: tuple[Action, ...] = ()
    cycle_applied: date | None = None
    """For ``StartCycle``: the cycle the service records for (member, date), entry or not."""


@dataclass(frozen=True)
class ShopCheck:
    can_shop: bool
    status: Status
    reasons: tuple[Reason, ...]
    warnings: tuple[Reason, ...]
    counters: Counters
    fix_by: date | None = None
    """Last day to act (book/attend a makeup) before ``then`` applies."""
    then: Status | None = None


def attendance_ref(attendance_id: object) -> str:
    return f"attendance:{attendance_id}"


def cycle_ref(day: date) -> str:
    return f"cycle:{day.isoformat()}"


# -- the ledger fold -------------------------------------------------------------------------


def fold(policy: ShiftPolicy, figures: Figures, entries: Iterable[LedgerEntry]) -> Figures:
    """Add entries (in ledger order, dates never decreasing) to the figures."""
    for entry in entries:
        if figures.day is not None and entry.on < figures.day:
            raise ShiftRuleError(Refusal.OUT_OF_ORDER)
        if figures.day is None or entry.on > figures.day:
            figures = replace(
                figures,
                day=entry.on,
                standard_negative=_roll(figures.standard_negative),
                ftop_negative=_roll(figures.ftop_negative),
                alert=_roll(figures.alert),
                below_freeze=_roll(figures.below_freeze),
            )
        penalised = figures.penalised
        if entry.kind is EntryKind.CYCLE and entry.counter is Counter.REGULAR:
            if entry.detail == "penalty":
                penalised = True
            elif entry.detail == "in_credit":
                penalised = False
        counters = figures.counters.add(entry.counter, entry.delta)
        figures = _track(policy, replace(figures, counters=counters, penalised=penalised))
    return figures


def _roll(run: Run) -> Run:
    return Run(since=run.since, since_before=run.since)


def _track(policy: ShiftPolicy, figures: Figures) -> Figures:
    """Recompute the clocks for the current day from yesterday's values and today's counters."""
    c, day = figures.counters, figures.day
    assert day is not None

    def simple(run: Run, holds: bool) -> Run:
        return replace(run, since=(run.since_before or day) if holds else None)

    alert = figures.alert
    if c.regular < 0:
        alert = replace(alert, since=alert.since_before or day)
    elif c.compensation < 0 and alert.since_before is not None:
        alert = replace(alert, since=alert.since_before)
    else:
        alert = replace(alert, since=None)
    threshold = policy.freeze_threshold
    return replace(
        figures,
        standard_negative=simple(figures.standard_negative, c.standard < 0),
        ftop_negative=simple(figures.ftop_negative, c.ftop < 0),
        alert=alert,
        below_freeze=simple(figures.below_freeze, threshold is not None and c.balance <= threshold),
    )


def replay(
    policy: ShiftPolicy, entries: Iterable[LedgerEntry], until: date | None = None
) -> Figures:
    """The figures from the member's whole ledger, optionally as they were at the end of a day."""
    return fold(policy, Figures(), (e for e in entries if until is None or e.on <= until))


# -- status ----------------------------------------------------------------------------------


def member_status(policy: ShiftPolicy, state: MemberState, facts: MemberFacts, on: date) -> Status:
    """The status on ``on`` from the cached figures (time passes: alerts turn into suspension)."""
    if not facts.is_worker:
        return Status.NOT_CONCERNED
    if policy.system is System.BEES:
        return _bees_status(policy, state, facts, on)
    if policy.system is System.TAPIR:
        return _tapir_status(state, on)
    return _louve_status(policy, state, facts, on)


def _leave_on(state: MemberState, on: date, kind: LeaveKind | None = None) -> bool:
    leave = state.leave
    return leave is not None and leave.covers(on) and (kind is None or leave.kind is kind)


def _tapir_status(state: MemberState, on: date) -> Status:
    if state.frozen_since is not None and state.frozen_since <= on:
        return Status.FROZEN
    if _leave_on(state, on) or state.mode is WorkMode.EXEMPT:
        return Status.EXEMPTED
    return Status.UP_TO_DATE


def _louve_relevant(state: MemberState) -> tuple[int, Run]:
    if state.mode is WorkMode.FLYING:
        return state.counters.ftop, state.figures.ftop_negative
    return state.counters.standard, state.figures.standard_negative


def _louve_alert_end(policy: ShiftPolicy, state: MemberState) -> date | None:
    points, run = _louve_relevant(state)
    if points >= 0 or run.since is None:
        return None
    return run.since + timedelta(days=policy.alert_days)


def _louve_status(policy: ShiftPolicy, state: MemberState, facts: MemberFacts, on: date) -> Status:
    """Reference §2.3: cooperative state wrapping the working state, in that order."""
    open_leave = state.leave is not None and state.leave.end is None
    if facts.unsubscribed or (not facts.registered and not open_leave):
        return Status.UNSUBSCRIBED
    if facts.unpaid:
        return Status.UNPAID
    if facts.blocked:
        return Status.BLOCKED
    if _leave_on(state, on, LeaveKind.HOLIDAY):
        return Status.ON_LEAVE
    points, _run = _louve_relevant(state)
    if points < 0:
        if state.extension is not None and state.extension.covers(on):
            return Status.DELAY
        alert_end = _louve_alert_end(policy, state)
        if alert_end is not None and alert_end > on:
            return Status.ALERT
        return Status.SUSPENDED
    if _leave_on(state, on, LeaveKind.EXEMPTION) or state.mode is WorkMode.EXEMPT:
        return Status.EXEMPTED
    if state.counters.standard < 0:
        return Status.ALERT
    return Status.UP_TO_DATE


def _bees_alert_start(policy: ShiftPolicy, state: MemberState, on: date) -> date | None:
    """When the alert clock (re)started, leaves taken during the alert pausing it."""
    start = state.figures.alert.since
    if start is None or start > on:
        return None
    if not policy.pause_alert_during_leave:
        return start
    if state.alert_resumed_on is not None and start < state.alert_resumed_on <= on:
        start = state.alert_resumed_on
    leave = state.leave
    if leave is not None and leave.end is not None and leave.start <= on and leave.end >= start:
        start = max(start, min(leave.end, on))
    return start


def _bees_status(policy: ShiftPolicy, state: MemberState, facts: MemberFacts, on: date) -> Status:
    """Reference §2.2, first matching rule wins (order from Obeesdoo PR #243)."""
    if facts.resigning:
        return Status.RESIGNING
    if _leave_on(state, on, LeaveKind.HOLIDAY):
        return Status.ON_LEAVE
    if _leave_on(state, on, LeaveKind.EXEMPTION):
        return Status.EXEMPTED
    if state.mode is WorkMode.EXEMPT:
        return Status.UP_TO_DATE
    c = state.counters
    irregular = state.mode is WorkMode.FLYING
    ok = c.regular >= 0 and (irregular or c.compensation >= 0)
    alert_start = _bees_alert_start(policy, state, on)
    ext = state.extension
    running = not ok and alert_start is not None
    if running and ext is not None and ext.start <= on <= ext.end:
        return Status.DELAY
    threshold = (
        policy.irregular_unsubscribe_threshold if irregular else policy.unsubscribe_threshold
    )
    total = c.regular if irregular else c.regular + c.compensation
    if (threshold is not None and total <= threshold) or facts.unsubscribed:
        return Status.UNSUBSCRIBED
    if running and (
        (ext is not None and on > ext.start + timedelta(days=policy.grace_days))
        or on > alert_start + timedelta(days=policy.alert_days)
    ):
        return Status.SUSPENDED
    if c.regular < 0 or running:
        return Status.ALERT
    return Status.UP_TO_DATE


def expected_to_work(policy: ShiftPolicy, state: MemberState, facts: MemberFacts, on: date) -> bool:
    """Whether a cycle starting on ``on`` is owed (Tapir's five conditions, used by all)."""
    return (
        facts.has_account
        and facts.is_worker
        and facts.membership is Membership.ACTIVE
        and (facts.member_since is None or facts.member_since <= on)
        and not (state.frozen_since is not None and state.frozen_since <= on)
        and not _leave_on(state, on)
        and state.mode is not WorkMode.EXEMPT
        and not facts.resigning
        and not facts.unsubscribed
        and member_status(policy, state, facts, on) not in (Status.UNSUBSCRIBED, Status.RESIGNING)
    )


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
) -> Outcome:
    """Apply one event; the status is refreshed at once (no waiting for the night)."""
    facts = facts or MemberFacts()
    if state.as_of is not None and event.on < state.as_of:
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
            if entries and _louve_auto_unsubscribes(policy, state, facts, event):
                actions += [Action.RELEASE_TEMPLATE_SLOTS, Action.NOTIFY_UNSUBSCRIBED]
        case Adjust():
            entries = _adjust_entries(policy, state, event, prior)
        case StartCycle():
            if not prior:
                entries = _cycle_entries(policy, state, event)
                cycle_applied = event.on
        case GrantGrace():
            state = replace(state, extension=_grace(policy, state, facts, event))
        case GrantExtension():
            state = replace(state, extension=_extension(policy, state, event))
        case StartLeave():
            state, actions = _start_leave(policy, state, event)
        case EndLeave():
            state, actions = _end_leave(state, event)
        case ChangeMode():
            state = replace(state, mode=event.mode)
        case Freeze():
            _require_freeze(policy)
            if state.frozen_since is not None:
                raise ShiftRuleError(Refusal.ALREADY_FROZEN)
            state = replace(state, frozen_since=event.on)
            actions = [Action.RELEASE_TEMPLATE_SLOTS, Action.NOTIFY_FROZEN]
        case Unfreeze():
            _require_freeze(policy)
            if state.frozen_since is None:
                raise ShiftRuleError(Refusal.NOT_FROZEN)
            state = replace(state, frozen_since=None)
            actions = [Action.NOTIFY_UNFROZEN]
    state = replace(state, figures=fold(policy, state.figures, entries))
    state, more = _settle(policy, state, facts, event.on)
    return Outcome(state, tuple(entries), tuple(actions + more), cycle_applied)


def _settle(
    policy: ShiftPolicy, state: MemberState, facts: MemberFacts, on: date
) -> tuple[MemberState, list[Action]]:
    """Store the status of ``on`` and say what a status change requires."""
    if policy.system is System.BEES and state.figures.alert.since is None:
        state = replace(state, extension=None, alert_resumed_on=None)  # back to ok
    status = member_status(policy, state, facts, on)
    actions: list[Action] = []
    gone = {Status.UNSUBSCRIBED, Status.RESIGNING}
    if policy.system is System.BEES and status in gone and state.status not in gone:
        actions = [Action.RELEASE_TEMPLATE_SLOTS, Action.RELEASE_FUTURE_SHIFTS]
    return replace(state, status=status, as_of=on), actions


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


def _makeups(policy: ShiftPolicy, event: MarkAttendance, counter: Counter | None) -> int:
    if event.state is AttendanceState.ATTENDED:
        return 0
    if event.state is AttendanceState.MISSED:
        return policy.missed_makeups
    if counter is Counter.FTOP and event.from_template:
        return policy.missed_makeups  # La Louve: excused on a team FTOP registration costs −1
    return policy.excused_makeups


def _attendance_points(
    policy: ShiftPolicy, base: Counters, mode: WorkMode, event: MarkAttendance, closure: bool
) -> dict[Counter, int]:
    """The effect of the attendance on counters that do not include it yet."""
    credit = policy.makeup_credit if event.credit is None else event.credit
    counter = _louve_counter(mode, event) if policy.system is System.LOUVE else None
    makeups = _makeups(policy, event, counter)
    if closure and event.closure_makeups is not None:
        makeups = min(makeups, event.closure_makeups)
    done = policy.template_done_points if event.from_template else credit
    if policy.system is System.TAPIR:
        return {Counter.BALANCE: done - makeups}
    if policy.system is System.LOUVE:
        assert counter is not None
        if counter is Counter.FTOP:
            return {Counter.FTOP: credit - makeups}
        return {Counter.STANDARD: done - makeups}  # the cap is applied by _cap_entries
    if mode is WorkMode.FLYING:  # Obeesdoo irregular: done/absent-0 +1, absent-1 0, absent-2 −1
        return {Counter.REGULAR: credit - makeups}
    if event.state is AttendanceState.ATTENDED:
        if event.from_template:
            return {Counter.REGULAR: policy.template_done_points}
        return _bees_credit(base, credit)
    if makeups == 0:
        return {}
    return {Counter.REGULAR: -1, Counter.COMPENSATION: -(makeups - 1)}


def _louve_counter(mode: WorkMode, event: MarkAttendance) -> Counter:
    if event.counter is not None:
        return event.counter
    return Counter.FTOP if mode is WorkMode.FLYING else Counter.STANDARD


def _bees_credit(base: Counters, credit: int) -> dict[Counter, int]:
    """A compensation shift repays the regular counter, then compensation, else is a bonus."""
    regular = compensation = 0
    for _ in range(credit):
        if base.regular + regular < 0:
            regular += 1
        elif base.compensation + compensation < 0:
            compensation += 1
        else:
            regular += 1
    return {Counter.REGULAR: regular, Counter.COMPENSATION: compensation}


def _attendance_entries(
    policy: ShiftPolicy, state: MemberState, event: MarkAttendance, prior: Sequence[LedgerEntry]
) -> list[LedgerEntry]:
    if event.state in (AttendanceState.PENDING, AttendanceState.CANCELLED) or event.solidarity:
        wanted: list[LedgerEntry] = []
    else:
        base = _without(state.counters, _sums(prior))
        full = _attendance_points(policy, base, state.mode, event, closure=False)
        kept = _attendance_points(policy, base, state.mode, event, closure=True)
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


def _louve_auto_unsubscribes(
    policy: ShiftPolicy, state: MemberState, facts: MemberFacts, event: MarkAttendance
) -> bool:
    """La Louve: a second own-slot absence in a row with no makeup between (PR #1359 guard)."""
    return (
        policy.system is System.LOUVE
        and policy.auto_unsubscribe_after_two_absences
        and event.state is AttendanceState.MISSED
        and event.from_template
        and event.previous_own_shift_missed
        and not event.makeup_since_previous
        and member_status(policy, state, facts, event.on) is not Status.UP_TO_DATE
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
    counter, delta, detail = _cycle_debit(policy, state, event, regular)
    if not delta:
        return []
    return [LedgerEntry(event.on, counter, delta, EntryKind.CYCLE, cycle_ref(event.on), detail)]


def _cycle_debit(
    policy: ShiftPolicy, state: MemberState, event: StartCycle, regular: bool
) -> tuple[Counter, int, str]:
    c = state.counters
    if policy.system is System.TAPIR:
        debit = policy.template_cycle_debit if regular else policy.flying_cycle_debit
        return Counter.BALANCE, debit, "cycle"
    if policy.system is System.LOUVE:
        if regular:
            return Counter.STANDARD, policy.template_cycle_debit, "cycle"
        if event.reduced_deduction:
            if c.ftop >= 1:
                raise ShiftRuleError(Refusal.REDUCTION_REFUSED)
            return Counter.FTOP, policy.flying_cycle_debit, "reduced"
        if c.ftop >= 1:
            return Counter.FTOP, policy.flying_cycle_debit, "in_credit"
        return Counter.FTOP, policy.deficit_cycle_debit, "deficit"
    if regular:
        return Counter.REGULAR, policy.template_cycle_debit, "cycle"
    if c.regular > 0:
        return Counter.REGULAR, policy.flying_cycle_debit, "in_credit"
    no_penalty = policy.deficit_cycle_debit == policy.flying_cycle_debit
    if no_penalty or state.figures.alert.since is not None or state.figures.penalised:
        return Counter.REGULAR, policy.flying_cycle_debit, "cycle"
    return Counter.REGULAR, policy.deficit_cycle_debit, "penalty"


def may_reduce_deduction(
    policy: ShiftPolicy, ftop_points: int, previous_cycle_details: Sequence[str]
) -> bool:
    """La Louve: refused if points >= 1 or the last closures (newest last) were all reduced."""
    limit = policy.reduced_deduction_limit
    recent = list(previous_cycle_details)[-limit:] if limit else []
    return ftop_points < 1 and not (
        limit and len(recent) == limit and all(d == "reduced" for d in recent)
    )


def _grace(
    policy: ShiftPolicy, state: MemberState, facts: MemberFacts, event: GrantGrace
) -> Extension:
    if policy.grace_days == 0 or policy.system is System.TAPIR:
        raise ShiftRuleError(Refusal.GRACE_NOT_AVAILABLE)
    end = event.on + timedelta(days=policy.grace_days)
    if policy.system is System.BEES:
        if state.figures.alert.since is None:
            raise ShiftRuleError(Refusal.NO_ALERT)
        if state.extension is not None:
            raise ShiftRuleError(Refusal.ALREADY_EXTENDED)
        return Extension(event.on, end, grace=True)
    if member_status(policy, state, facts, event.on) is not Status.SUSPENDED:
        raise ShiftRuleError(Refusal.NOT_SUSPENDED)
    alert_end = _louve_alert_end(policy, state)
    if state.extension is not None and alert_end is not None and state.extension.end > alert_end:
        raise ShiftRuleError(Refusal.ALREADY_EXTENDED)
    if event.next_shift is not None and event.next_shift >= event.on:
        end = min(end, event.next_shift + ONE_DAY)
    return Extension(event.on, end, grace=True)


def _extension(policy: ShiftPolicy, state: MemberState, event: GrantExtension) -> Extension:
    if policy.system is System.TAPIR:
        raise ShiftRuleError(Refusal.EXTENSION_NOT_AVAILABLE)
    if event.until < event.on:
        raise ShiftRuleError(Refusal.BAD_DATES)
    if policy.system is System.BEES:
        current = state.extension
        if current is None:
            raise ShiftRuleError(Refusal.NO_GRACE_YET)
        if event.on <= current.start + timedelta(days=policy.grace_days):
            raise ShiftRuleError(Refusal.GRACE_NOT_EXPIRED)
        return Extension(current.start, event.until)  # start kept: rule 6 counts from it
    if _louve_relevant(state)[0] >= 0:
        raise ShiftRuleError(Refusal.NO_ALERT)
    return Extension(event.on, event.until)


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
    paused_start = _bees_alert_start(policy, state, event.on)
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
    if policy.system is not System.TAPIR:
        raise ShiftRuleError(Refusal.FREEZE_NOT_AVAILABLE)


# -- the daily run ---------------------------------------------------------------------------


def run_day(policy: ShiftPolicy, state: MemberState, facts: MemberFacts, today: date) -> Outcome:
    """Time-based transitions for one member (idempotent: running twice changes nothing more).

    Apply the day's ``StartCycle`` events first. Tapir's freeze pass follows §2.1 in order:
    freeze, else warning, else unfreeze. Calling it right after a booking unfreezes at once.
    """
    if state.as_of is not None and today < state.as_of:
        raise ShiftRuleError(Refusal.OUT_OF_ORDER)
    actions: list[Action] = []
    threshold = policy.freeze_threshold
    if policy.system is System.TAPIR and threshold is not None:
        balance = state.counters.balance
        expected = expected_to_work(policy, state, facts, today)
        since = state.figures.below_freeze.since
        long_enough = since is not None and (today - since).days > policy.freeze_after_days
        covered = facts.upcoming_shifts + balance > threshold
        warned = state.freeze_warned_on
        if state.frozen_since is None and expected and long_enough and not covered:
            state = replace(state, frozen_since=today)
            actions = [Action.RELEASE_TEMPLATE_SLOTS, Action.NOTIFY_FROZEN]
        elif (
            balance <= threshold
            and expected
            and (warned is None or (today - warned).days >= policy.freeze_warning_interval_days)
        ):
            state = replace(state, freeze_warned_on=today)
            actions = [Action.NOTIFY_FREEZE_WARNING]
        elif (
            state.frozen_since is not None
            and facts.membership is Membership.ACTIVE
            and (balance > threshold or covered)
        ):
            state = replace(state, frozen_since=None)
            actions = [Action.NOTIFY_UNFROZEN]
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
    return cycle_starts(origin or policy.week_anchor, after, today, policy.cycle_days)


def personal_origin(
    policy: ShiftPolicy, state: MemberState, cycle_origin: date | None
) -> date | None:
    """The member's own cycle origin when cycles count from it (Obeesdoo's flying workers),
    else None (the policy's week anchor)."""
    if policy.system is System.BEES and state.mode is WorkMode.FLYING:
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


# -- the desk check --------------------------------------------------------------------------

_DEADLINE_STATUSES = {Status.SUSPENDED, Status.UNSUBSCRIBED, Status.FROZEN}


def deadline(
    policy: ShiftPolicy, state: MemberState, facts: MemberFacts, today: date
) -> tuple[date | None, Status | None]:
    """(last day to fix things, the status that follows) if nothing changes; (None, None)."""
    if not policy.can_shop(member_status(policy, state, facts, today)):
        return None, None
    if policy.system is System.TAPIR:
        return _freeze_deadline(policy, state, facts, today)
    days = timedelta(days=policy.alert_days)
    candidates: set[date] = set()
    starts = [
        state.figures.standard_negative.since,
        state.figures.ftop_negative.since,
        state.figures.alert.since,
        state.alert_resumed_on,
    ]
    if state.leave is not None and state.leave.end is not None:
        starts.append(state.leave.end)
        candidates.add(state.leave.end + ONE_DAY)
    for start in filter(None, starts):
        candidates |= {start + days, start + days + ONE_DAY}
    if state.extension is not None:
        candidates.add(state.extension.end + ONE_DAY)
        candidates.add(state.extension.start + timedelta(days=policy.grace_days + 1))
    for day in sorted(d for d in candidates if d > today):
        then = member_status(policy, state, facts, day)
        if then in _DEADLINE_STATUSES and not policy.can_shop(then):
            return day - ONE_DAY, then
    return None, None


def _freeze_deadline(
    policy: ShiftPolicy, state: MemberState, facts: MemberFacts, today: date
) -> tuple[date | None, Status | None]:
    threshold, since = policy.freeze_threshold, state.figures.below_freeze.since
    if threshold is None or since is None or state.frozen_since is not None:
        return None, None
    if facts.upcoming_shifts + state.counters.balance > threshold:
        return None, None
    if not expected_to_work(policy, state, facts, today):
        return None, None
    return max(today, since + timedelta(days=policy.freeze_after_days)), Status.FROZEN


def check(policy: ShiftPolicy, state: MemberState, facts: MemberFacts, today: date) -> ShopCheck:
    """May this member shop today, and why (the desk, the till and the paper fallback)."""
    status = member_status(policy, state, facts, today)
    reasons: list[Reason] = []
    if not facts.has_account:
        reasons.append(Reason.NO_ACCOUNT)
    membership_reason = {
        Membership.INVESTING: Reason.INVESTING,
        Membership.PAUSED: Reason.PAUSED,
        Membership.NONE: Reason.NOT_A_MEMBER,
    }.get(facts.membership)
    if membership_reason is not None:
        reasons.append(membership_reason)
    if facts.member_since is not None and facts.member_since > today:
        reasons.append(Reason.NOT_YET_MEMBER)
    if status is Status.NOT_CONCERNED:
        if not facts.share_allows_shopping:
            reasons.append(Reason.SHARE_DOES_NOT_ALLOW_SHOPPING)
    elif not policy.can_shop(status):
        reasons.append(Reason(status.value))
    warnings: list[Reason] = []
    if status is Status.ALERT:
        warnings.append(Reason.IN_ALERT)
    if status is Status.DELAY:
        warnings.append(Reason.IN_DELAY)
    if any(state.counters.get(c) < 0 for c in policy.counters):
        warnings.append(Reason.OWES_SHIFTS)
    fix_by, then = deadline(policy, state, facts, today)
    if then is Status.FROZEN:
        warnings.append(Reason.FREEZE_PENDING)
    if not facts.welcome_session_done:
        warnings.append(Reason.NO_WELCOME_SESSION)
    can_shop = not reasons
    if not can_shop and facts.force_customer:
        can_shop = True
        warnings.append(Reason.FORCED_CUSTOMER)
    return ShopCheck(
        can_shop=can_shop,
        status=status,
        reasons=tuple(reasons),
        warnings=tuple(warnings),
        counters=state.counters,
        fix_by=fix_by if can_shop else None,
        then=then if can_shop else None,
    )


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
