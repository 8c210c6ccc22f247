"""The shift rules a coop chose, as one frozen value: three presets and a validated TOML reader.

Why a value and not settings scattered in code: every rule in ``coop.shifts.rules`` reads its
numbers from a ``ShiftPolicy``, so a coop changes a delay or a threshold in its config file and the
tests of each preset pin the behaviour of the system it copies (``reference/shifts.md`` §2.1–2.3).

Public API
----------
- ``System`` — which status machine applies: ``louve``, ``bees`` or ``tapir``.
- ``Status`` — member status codes shared by the three systems (UI wording comes from gettext).
- ``AttendanceState`` — pending / attended / missed / excused / cancelled.
- ``WorkMode`` — regular (fixed ABCD slot), flying (FTOP / irregular) or exempt.
- ``Counter`` — the counters a system keeps (``policy.counters`` lists the ones in use).
- ``ShiftPolicy`` — every parameter as a field; ``dataclasses.replace`` overrides fields.
- ``LOUVE`` (default), ``BEES``, ``TAPIR`` and ``preset(name)``.
- ``from_mapping(table, source=None)`` — a policy from a config table (``preset = "bees"`` plus
  overrides); unknown keys and wrong types raise ``coop.errors.InvalidInput``.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from enum import StrEnum
from types import UnionType
from typing import Any

from coop.errors import InvalidInput, Problem
from coop.i18n import _


class System(StrEnum):
    """Which family of rules decides counters and status (each follows its reference section)."""

    LOUVE = "louve"  # §2.3: standard (ABCD, capped) + FTOP counters, alert/delay/suspended
    BEES = "bees"  # §2.2: regular + compensation counters, explicit status precedence
    TAPIR = "tapir"  # §2.1: one balance, cycle debit, frozen at <= -4 for more than 10 days


class Status(StrEnum):
    """Member status codes; the French words live in the gettext catalogue, not here."""

    UP_TO_DATE = "up_to_date"  # à jour (Obeesdoo "ok")
    ALERT = "alert"  # en alerte
    DELAY = "delay"  # en délai (Obeesdoo "extension")
    SUSPENDED = "suspended"  # suspendu
    ON_LEAVE = "on_leave"  # en congé (Obeesdoo "holiday", La Louve "vacation")
    EXEMPTED = "exempted"  # exempté
    FROZEN = "frozen"  # gelé (Tapir)
    UNSUBSCRIBED = "unsubscribed"  # désinscrit
    RESIGNING = "resigning"  # démissionnaire (Obeesdoo)
    BLOCKED = "blocked"  # bloqué (La Louve)
    UNPAID = "unpaid"  # parts non payées (La Louve)
    NOT_CONCERNED = "not_concerned"  # not a working member (non-working share class)


class AttendanceState(StrEnum):
    PENDING = "pending"  # booked, not marked yet: no effect
    ATTENDED = "attended"
    MISSED = "missed"  # no-show without excuse
    EXCUSED = "excused"
    CANCELLED = "cancelled"  # shift or booking cancelled: no effect


class WorkMode(StrEnum):
    REGULAR = "regular"  # fixed ABCD slot ("standard" at La Louve)
    FLYING = "flying"  # volant: FTOP (La Louve), irregular (Obeesdoo)
    EXEMPT = "exempt"  # permanent exemption (Obeesdoo working mode "exempt")


class Counter(StrEnum):
    STANDARD = "standard"  # La Louve ABCD counter, capped at 0
    FTOP = "ftop"  # La Louve flying counter
    REGULAR = "regular"  # Obeesdoo "sr"
    COMPENSATION = "compensation"  # Obeesdoo "sc"
    BALANCE = "balance"  # Tapir's single shift account


_COUNTERS = {
    System.LOUVE: (Counter.STANDARD, Counter.FTOP),
    System.BEES: (Counter.REGULAR, Counter.COMPENSATION),
    System.TAPIR: (Counter.BALANCE,),
}

_DEFAULT_SHOPPING = frozenset({Status.UP_TO_DATE, Status.ALERT, Status.DELAY, Status.EXEMPTED})


@dataclass(frozen=True)
class ShiftPolicy:
    """All parameters of the shift rules. Defaults are the La Louve preset.

    Points are whole shifts (the reference systems count shifts, not minutes). A "makeup" is
    one extra shift; "N makeups owed" for an absence is expressed relative to having come.
    """

    system: System = System.LOUVE

    # -- calendar ---------------------------------------------------------------------------
    cycle_weeks: int = 4
    """Weeks per cycle: the number of week letters (A–D) and the cycle length (28 days)."""
    week_anchor: date = date(2015, 12, 28)
    """A Monday of week A (La Louve 2015-12-28, Tapir 2022-04-11)."""

    # -- attendance arithmetic -------------------------------------------------------------
    template_done_points: int = 0
    """Points for attending one's own fixed slot (Tapir +1; La Louve and Obeesdoo 0)."""
    makeup_credit: int = 1
    """Points for an extra shift done (makeup, flying, compensation); a shift may override it."""
    missed_makeups: int = 2
    """Makeups a no-show costs (La Louve −2, Obeesdoo "absent – 2", Tapir cycle −1 + missed −1)."""
    excused_makeups: int = 1
    """Makeups an excused absence costs (La Louve 1, Obeesdoo "absent – 1", Tapir 0)."""
    standard_cap: int | None = 0
    """La Louve: the standard counter never goes above this (no banking); None = no cap."""
    cancelled_template_state: AttendanceState = AttendanceState.EXCUSED
    """State given to fixed-slot registrants when the coop cancels a shift (Tapir: excused)."""
    closure_makeups: int = 0
    """Default makeups an absence costs inside a closure (La Louve "0 makeup" holiday)."""
    auto_unsubscribe_after_two_absences: bool = True
    """La Louve: second own-slot absence in a row, no makeup between → template line ended."""

    # -- cycle debits ----------------------------------------------------------------------
    template_cycle_debit: int = 0
    """Debit per cycle for fixed-slot members (Tapir −1; La Louve, Obeesdoo 0)."""
    flying_cycle_debit: int = -1
    """Debit per cycle for flying members (FTOP, irregular)."""
    deficit_cycle_debit: int = -2
    """Debit instead when in deficit: La Louve FTOP points < 1; Obeesdoo irregular penalty
    (set equal to ``flying_cycle_debit`` to switch the penalty off)."""
    reduced_deduction_limit: int = 2
    """La Louve: a reduced FTOP deduction is refused after this many reduced ones in a row."""

    # -- status clocks ---------------------------------------------------------------------
    alert_days: int = 28
    """Days of alert before suspension."""
    grace_days: int = 10
    """Grace delay (délai de grâce) given at the desk; 0 = no grace in this system."""
    extension_days: int = 28
    """Default length of a manual extension (Obeesdoo 28; La Louve fixed-duration type)."""
    extension_to_next_shift: bool = True
    """La Louve: the default extension lasts until the member's next regular shift."""
    pause_alert_during_leave: bool = False
    """Obeesdoo: a leave inside a running alert moves the alert start to the leave's end."""
    unsubscribe_threshold: int | None = None
    """Obeesdoo: unsubscribed when regular + compensation <= this (regular workers)."""
    irregular_unsubscribe_threshold: int | None = None
    """Obeesdoo: unsubscribed when the regular counter <= this (irregular workers)."""
    freeze_threshold: int | None = None
    """Tapir: frozen when the balance stays <= this for more than ``freeze_after_days``."""
    freeze_after_days: int = 10
    freeze_warning_interval_days: int = 10
    """Tapir: at most one freeze warning per this many days."""
    makeup_lookback_days: int = 28
    makeup_lookahead_days: int = 56
    """Tapir: booked shifts between today − lookback and today + lookahead count as makeups."""
    long_leave_days: int | None = None
    """Tapir: an exemption this long (168 days = 6 cycles) or open-ended releases the ABCD slot."""
    shopping_statuses: frozenset[Status] = _DEFAULT_SHOPPING
    """Statuses that may shop."""

    # -- self-service ----------------------------------------------------------------------
    unregister_notice_hours: int | None = None
    """Members may cancel an extra booking this long before it; None = only staff can."""
    stand_in_notice_hours: int | None = None
    """Tapir: "looking for a stand-in" allowed up to this long before the shift."""
    max_bookings_per_day: int | None = 2
    max_bookings_per_window: int | None = 5
    booking_window_days: int = 28
    """Window for ``max_bookings_per_window``; 0 means the calendar month (Obeesdoo)."""
    solidarity_max_per_year: int | None = None
    """Tapir: solidarity shifts one member may receive per calendar year."""

    def __post_init__(self) -> None:
        if not isinstance(self.shopping_statuses, frozenset):
            object.__setattr__(self, "shopping_statuses", frozenset(self.shopping_statuses))
        problems = list(_invariant_problems(self))
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def cycle_days(self) -> int:
        return 7 * self.cycle_weeks

    @property
    def counters(self) -> tuple[Counter, ...]:
        """The counters this system keeps, in display order."""
        return _COUNTERS[self.system]

    def can_shop(self, status: Status) -> bool:
        return status in self.shopping_statuses


def _invariant_problems(policy: ShiftPolicy) -> Iterable[str]:
    """Values that would make the rules meaningless (they are English: developer errors)."""
    if policy.cycle_weeks < 1:
        yield "cycle_weeks must be at least 1"
    if policy.week_anchor.weekday() != 0:
        yield f"week_anchor {policy.week_anchor} is not a Monday"
    for name in (
        "makeup_credit",
        "missed_makeups",
        "excused_makeups",
        "closure_makeups",
        "alert_days",
        "grace_days",
        "extension_days",
        "freeze_after_days",
        "freeze_warning_interval_days",
        "makeup_lookback_days",
        "makeup_lookahead_days",
        "booking_window_days",
        "reduced_deduction_limit",
    ):
        if getattr(policy, name) < 0:
            yield f"{name} must not be negative"
    for name in ("template_cycle_debit", "flying_cycle_debit", "deficit_cycle_debit"):
        if getattr(policy, name) > 0:
            yield f"{name} is a debit: zero or negative"
    for name in (
        "long_leave_days",
        "unregister_notice_hours",
        "stand_in_notice_hours",
        "max_bookings_per_day",
        "max_bookings_per_window",
        "solidarity_max_per_year",
    ):
        value = getattr(policy, name)
        if value is not None and value < 0:
            yield f"{name} must not be negative"
    unknown = [s for s in policy.shopping_statuses if not isinstance(s, Status)]
    if unknown:
        yield f"shopping_statuses contains non-status values {unknown!r}"


LOUVE = ShiftPolicy()
"""La Louve / Park Slope family (reference §2.3). The default."""

BEES = ShiftPolicy(
    system=System.BEES,
    template_done_points=0,
    excused_makeups=1,
    standard_cap=None,
    cancelled_template_state=AttendanceState.CANCELLED,
    auto_unsubscribe_after_two_absences=False,
    template_cycle_debit=0,
    flying_cycle_debit=-1,
    deficit_cycle_debit=-2,
    grace_days=10,
    extension_days=28,
    extension_to_next_shift=False,
    pause_alert_during_leave=True,
    unsubscribe_threshold=-4,
    irregular_unsubscribe_threshold=-4,
    unregister_notice_hours=2,
    booking_window_days=0,
)
"""Obeesdoo / BEES coop (reference §2.2)."""

TAPIR = ShiftPolicy(
    system=System.TAPIR,
    week_anchor=date(2022, 4, 11),
    template_done_points=1,
    excused_makeups=0,
    standard_cap=None,
    cancelled_template_state=AttendanceState.EXCUSED,
    auto_unsubscribe_after_two_absences=False,
    template_cycle_debit=-1,
    flying_cycle_debit=-1,
    deficit_cycle_debit=-1,
    grace_days=0,
    extension_to_next_shift=False,
    freeze_threshold=-4,
    freeze_after_days=10,
    freeze_warning_interval_days=10,
    makeup_lookback_days=28,
    makeup_lookahead_days=56,
    long_leave_days=168,
    unregister_notice_hours=7 * 24,
    stand_in_notice_hours=2 * 24,
    max_bookings_per_day=None,
    max_bookings_per_window=None,
    solidarity_max_per_year=2,
)
"""Tapir / SuperCoop Berlin (reference §2.1)."""

PRESETS: Mapping[str, ShiftPolicy] = {"louve": LOUVE, "bees": BEES, "tapir": TAPIR}
DEFAULT_PRESET = "louve"


def preset(name: str) -> ShiftPolicy:
    """The named preset; ``ValueError`` listing the known names otherwise."""
    try:
        return PRESETS[name]
    except KeyError:
        known = ", ".join(PRESETS)
        raise ValueError(f"unknown shift preset {name!r} (known: {known})") from None


# -- reading a config table ------------------------------------------------------------------

_HINTS = typing.get_type_hints(ShiftPolicy)
_FIELDS = {f.name for f in fields(ShiftPolicy)}


def from_mapping(table: Mapping[str, Any], source: str | None = None) -> ShiftPolicy:
    """Build a policy from a config table: ``preset`` picks the base, other keys override it.

    Every problem is collected (unknown key, wrong type, unknown enum value, bad date, broken
    invariant) and raised together as ``InvalidInput`` so a volunteer fixes the file in one go.
    """
    problems: list[Problem] = []
    base = LOUVE
    name = table.get("preset", DEFAULT_PRESET)
    if not isinstance(name, str) or name not in PRESETS:
        problems.append(
            Problem(
                _("unknown shift preset “{name}” (expected one of: {known})").format(
                    name=name, known=", ".join(PRESETS)
                ),
                source=source,
                column="preset",
            )
        )
    else:
        base = PRESETS[name]
    overrides: dict[str, Any] = {}
    for key, value in table.items():
        if key == "preset":
            continue
        if key not in _FIELDS:
            problems.append(
                Problem(_("unknown setting “{key}”").format(key=key), source=source, column=key)
            )
            continue
        try:
            overrides[key] = _convert(_HINTS[key], value)
        except _WrongValue as wrong:
            problems.append(Problem(wrong.message, source=source, column=key))
    if problems:
        raise InvalidInput(problems)
    try:
        return dataclasses.replace(base, **overrides)
    except ValueError as error:
        raise InvalidInput([Problem(str(error), source=source)]) from error


class _WrongValue(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _convert(hint: Any, value: Any) -> Any:
    """Check one TOML value against a field's type; return it converted (enums, sets, dates)."""
    if isinstance(hint, UnionType):  # ``int | None``: TOML has no null, "off" means None
        if value == "off":
            return None
        inner = next(arg for arg in typing.get_args(hint) if arg is not type(None))
        try:
            return _convert(inner, value)
        except _WrongValue:
            raise _WrongValue(_("expected a whole number or “off”")) from None
    if hint is bool:
        if not isinstance(value, bool):
            raise _WrongValue(_("expected true or false"))
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _WrongValue(_("expected a whole number"))
        return value
    if hint is date:
        return _convert_date(value)
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return _convert_enum(hint, value)
    if typing.get_origin(hint) is frozenset:
        (item,) = typing.get_args(hint)
        if not isinstance(value, list):
            raise _WrongValue(_("expected a list"))
        return frozenset(_convert_enum(item, v) for v in value)
    raise TypeError(f"no config conversion for {hint!r}")  # a new field type: teach _convert


def _convert_date(value: Any) -> date:
    if isinstance(value, datetime) or not isinstance(value, date | str):
        raise _WrongValue(_("expected a date such as 2026-04-06"))
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise _WrongValue(_("expected a date such as 2026-04-06")) from None
    assert isinstance(value, date)
    return value


def _convert_enum(enum: type[StrEnum], value: Any) -> StrEnum:
    try:
        return enum(value)
    except ValueError:
        known = ", ".join(member.value for member in enum)
        raise _WrongValue(
            _("“{value}” is not one of: {known}").format(value=value, known=known)
        ) from None


__all__ = [
    "BEES",
    "DEFAULT_PRESET",
    "LOUVE",
    "PRESETS",
    "TAPIR",
    "AttendanceState",
    "Counter",
    "ShiftPolicy",
    "Status",
    "System",
    "WorkMode",
    "from_mapping",
    "preset",
]
