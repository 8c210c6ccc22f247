"""The vocabulary and values of the shift rules, and the ledger fold.

Codes (``EntryKind``, ``Action``, ``Reason``, ``Refusal``…), the values the rules read and
return (``LedgerEntry``, ``Figures``, ``MemberState``, ``MemberFacts``, ``Outcome``,
``ShopCheck``), the events they apply, and ``fold``/``replay``: the ledger part of a state,
rebuilt from its entries. Pure: no Session, no I/O, no clock. The status machines are in
``coop.shifts.status``, the use of events in ``coop.shifts.rules``, the desk check in
``coop.shifts.desk_rules``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from coop.shifts.policy import (
    AttendanceState,
    Counter,
    ShiftPolicy,
    Status,
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

_COUNTER_AT = {
    counter: ("standard", "ftop", "regular", "compensation", "balance").index(counter.value)
    for counter in Counter
}


@dataclass(frozen=True)
class Counters:
    """Each counter in shifts; a system only moves the ones in ``policy.counters``."""

    standard: int = 0
    ftop: int = 0
    regular: int = 0
    compensation: int = 0
    balance: int = 0

    def get(self, counter: Counter) -> int:
        value: int = getattr(self, counter.value)
        return value

    def add(self, counter: Counter, delta: int) -> Counters:
        values = [self.standard, self.ftop, self.regular, self.compensation, self.balance]
        values[_COUNTER_AT[counter]] += delta
        return Counters(*values)


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

    def with_figures(self, figures: Figures) -> MemberState:
        """``replace(self, figures=figures)``, for the rules' hot path (see ``_copy``)."""
        return self._copy({"figures": figures})

    def with_status(self, status: Status, as_of: date) -> MemberState:
        """``replace(self, status=status, as_of=as_of)``, for the rules' hot path."""
        return self._copy({"status": status, "as_of": as_of})

    def _copy(self, changes: dict[str, object]) -> MemberState:
        # ``dataclasses.replace`` rebuilds the keyword arguments from the fields on each call
        # (a tenth of the daily run's rules); a frozen dataclass without ``__post_init__``
        # copies its ``__dict__`` to the same effect, every field kept
        copy = object.__new__(MemberState)
        copy.__dict__.update(self.__dict__, **changes)
        return copy


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
    on: date  # the shift's date (a mark recorded later keeps it; see ``apply``)
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
    """Add entries (in ledger order, dates never decreasing) to the figures.

    Built with the constructors rather than ``dataclasses.replace`` (the daily run folds the
    cycle debits of thousands of states): one ``Figures`` per entry."""
    for entry in entries:
        day = figures.day
        runs = (figures.standard_negative, figures.ftop_negative, figures.alert)
        below = figures.below_freeze
        if day is not None and entry.on < day:
            raise ShiftRuleError(Refusal.OUT_OF_ORDER)
        if day is None or entry.on > day:
            day = entry.on
            runs = (_roll(runs[0]), _roll(runs[1]), _roll(runs[2]))
            below = _roll(below)
        penalised = figures.penalised
        if entry.kind is EntryKind.CYCLE and entry.counter is Counter.REGULAR:
            if entry.detail == "penalty":
                penalised = True
            elif entry.detail == "in_credit":
                penalised = False
        counters = figures.counters.add(entry.counter, entry.delta)
        figures = _track(policy, Figures(counters, day, *runs, below, penalised))
    return figures


def _roll(run: Run) -> Run:
    return Run(since=run.since, since_before=run.since)


def _track(policy: ShiftPolicy, figures: Figures) -> Figures:
    """Recompute the clocks for the current day from yesterday's values and today's counters."""
    c, day = figures.counters, figures.day
    assert day is not None

    def simple(run: Run, holds: bool) -> Run:
        return Run((run.since_before or day) if holds else None, run.since_before)

    alert = figures.alert
    if c.regular < 0:
        alert = Run(alert.since_before or day, alert.since_before)
    elif c.compensation < 0 and alert.since_before is not None:
        alert = Run(alert.since_before, alert.since_before)
    else:
        alert = Run(None, alert.since_before)
    threshold = policy.freeze_threshold
    return Figures(
        c,
        day,
        simple(figures.standard_negative, c.standard < 0),
        simple(figures.ftop_negative, c.ftop < 0),
        alert,
        simple(figures.below_freeze, threshold is not None and c.balance <= threshold),
        figures.penalised,
    )


def replay(
    policy: ShiftPolicy, entries: Iterable[LedgerEntry], until: date | None = None
) -> Figures:
    """The figures from the member's whole ledger, optionally as they were at the end of a day."""
    return fold(policy, Figures(), (e for e in entries if until is None or e.on <= until))
