"""The shift rules' vocabulary and the state values a desk check reads.

Codes (``EntryKind``, ``Action``, ``Reason``, ``Refusal``…), the refusal ``ShiftRuleError``,
the values the rules read and return about one member (``Counters``, ``LedgerEntry``,
``Figures``, ``MemberState``, ``MemberFacts``, ``ShopCheck``) and ``GrantGrace``, the one event
the desk check builds (to ask whether grace could be granted). Pure: no Session, no I/O, no
clock. ``coop.shifts.values`` re-exports every name, beside the other events, the rules'
``Outcome`` and the ledger fold: the desk check, which runs at every sale, imports this module
and declares none of those (issue 18, target 5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from coop.shifts.policy import Counter, Status, WorkMode

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


# -- the desk's event and answer ----------------------------------------------------------


@dataclass(frozen=True)
class GrantGrace:
    on: date
    next_shift: date | None = None


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
