"""The vocabulary and values of the shift rules, the events they apply, and the ledger fold.

The codes (``EntryKind``, ``Action``, ``Reason``, ``Refusal``…) and the values a desk check
reads (``LedgerEntry``, ``Figures``, ``MemberState``, ``MemberFacts``, ``ShopCheck``,
``GrantGrace``) live in ``coop.shifts.state`` and are re-exported here; this module adds the
other events the rules apply, the rules' ``Outcome``, and ``fold``/``replay``: the ledger part
of a state, rebuilt from its entries. Pure: no Session, no I/O, no clock. The status machines
are in ``coop.shifts.status``, the use of events in ``coop.shifts.rules``, the desk check in
``coop.shifts.desk_rules``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from coop.shifts.policy import (
    AttendanceState,
    Counter,
    ShiftPolicy,
    WorkMode,
)

# re-exported: the rules and the use cases import them from here, the desk check (at every
# sale) from coop.shifts.state, which declares none of the events below
from coop.shifts.state import Action as Action
from coop.shifts.state import Counters as Counters
from coop.shifts.state import EntryKind as EntryKind
from coop.shifts.state import Extension as Extension
from coop.shifts.state import Figures as Figures
from coop.shifts.state import GrantGrace as GrantGrace
from coop.shifts.state import Leave as Leave
from coop.shifts.state import LeaveKind as LeaveKind
from coop.shifts.state import LedgerEntry as LedgerEntry
from coop.shifts.state import MemberFacts as MemberFacts
from coop.shifts.state import Membership as Membership
from coop.shifts.state import MemberState as MemberState
from coop.shifts.state import Reason as Reason
from coop.shifts.state import Refusal as Refusal
from coop.shifts.state import Run as Run
from coop.shifts.state import ShiftRuleError as ShiftRuleError
from coop.shifts.state import ShopCheck as ShopCheck

ONE_DAY = timedelta(days=1)


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
