"""Pure date rules of the shift calendar: week letters, template occurrences, holidays, closures.

Nothing here reads the clock or a database; the service passes the dates. Weeks start on Monday.

Public API
----------
- ``monday_of(day)`` — the Monday of ``day``'s week.
- ``week_index(day, anchor, weeks=4)`` / ``week_letter(...)`` — 0-based index / letter A–D of the
  week, counted from an anchor Monday of week A (or several: the latest one not after the day
  applies, as Tapir's list of reference dates).
- ``cycle_start(day, anchor, weeks=4)`` — the Monday of week A of the cycle containing ``day``.
- ``cycle_starts(anchor, after, until, cycle_days=28)`` — cycle start dates in ``(after, until]``,
  for catching up cycle debits (global anchor) or a personal countdown (Obeesdoo irregular).
- ``ShiftTemplate`` / ``Occurrence`` / ``occurrences(template, first, last, anchor=...)`` — the
  concrete dates and aware start/end times of a template, generated with ``dateutil.rrule``.
- ``Holiday``, ``french_holidays(year)``, ``holidays_between(first, last)`` — French public
  holidays, Easter-based ones from ``dateutil.easter``; Alsace-Moselle's two extra days optional.
- ``Closure`` / ``Blocked`` / ``blocked_days(days, closures)`` / ``closure_makeups_on(day, ...)`` —
  which dates fall on a holiday or inside a closure, and what an absence costs there.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import NamedTuple

from dateutil.easter import easter
from dateutil.rrule import WEEKLY, rrule

from coop.clock import SHOP_TIMEZONE
from coop.shifts.holidays import Holiday as Holiday

LETTERS = string.ascii_uppercase
Anchors = date | Sequence[date]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _anchors(anchor: Anchors) -> tuple[date, ...]:
    anchors = (anchor,) if isinstance(anchor, date) else tuple(sorted(anchor))
    if not anchors:
        raise ValueError("at least one anchor Monday is needed")
    for value in anchors:
        if value.weekday() != 0:
            raise ValueError(f"anchor {value} is not a Monday")
    return anchors


def _anchor_for(day: date, anchors: tuple[date, ...]) -> date:
    """The latest anchor on or before ``day``'s Monday; the first one for earlier days."""
    monday = monday_of(day)
    eligible = [a for a in anchors if a <= monday]
    return eligible[-1] if eligible else anchors[0]


def _check_weeks(weeks: int) -> None:
    if not 1 <= weeks <= len(LETTERS):
        raise ValueError(f"weeks in a cycle must be between 1 and {len(LETTERS)}, not {weeks}")


def week_index(day: date, anchor: Anchors, weeks: int = 4) -> int:
    """0 for week A, 1 for B... counted in whole weeks from the anchor (works before it too)."""
    _check_weeks(weeks)
    start = _anchor_for(day, _anchors(anchor))
    return ((monday_of(day) - start).days // 7) % weeks


def week_letter(day: date, anchor: Anchors, weeks: int = 4) -> str:
    return LETTERS[week_index(day, anchor, weeks)]


def cycle_start(day: date, anchor: Anchors, weeks: int = 4) -> date:
    return monday_of(day) - timedelta(weeks=week_index(day, anchor, weeks))


def cycle_starts(anchor: Anchors, after: date, until: date, cycle_days: int = 28) -> list[date]:
    """Every ``anchor + k × cycle_days`` (k >= 0) in ``(after, until]``, oldest first.

    With several anchors each one restarts the count, up to the next anchor.
    """
    if cycle_days < 1:
        raise ValueError("cycle_days must be positive")
    anchors = (anchor,) if isinstance(anchor, date) else tuple(sorted(anchor))
    result: list[date] = []
    for index, start in enumerate(anchors):
        stop = anchors[index + 1] - timedelta(days=1) if index + 1 < len(anchors) else until
        last = min(stop, until)
        if last < start:
            continue
        k = max(0, -(-((after - start).days + 1) // cycle_days))  # first k with date > after
        day = start + timedelta(days=k * cycle_days)
        while day <= last:
            result.append(day)
            day += timedelta(days=cycle_days)
    return result


# -- templates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShiftTemplate:
    """A repeating shift: weekday, times, week letter (None: every week), validity dates."""

    weekday: int  # 0 = Monday ... 6 = Sunday
    start: time
    end: time
    letter: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {self.weekday}")
        if self.end <= self.start:
            raise ValueError("a shift must end after it starts, on the same day")
        if self.letter is not None and (len(self.letter) != 1 or self.letter not in LETTERS):
            raise ValueError(f"week letter must be one capital letter, not {self.letter!r}")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")


@dataclass(frozen=True, order=True)
class Occurrence:
    day: date
    start: datetime
    end: datetime
    letter: str


def occurrences(
    template: ShiftTemplate,
    first: date,
    last: date,
    *,
    anchor: Anchors,
    weeks: int = 4,
    tz: tzinfo = SHOP_TIMEZONE,
) -> list[Occurrence]:
    """The template's dates in ``[first, last]`` (inclusive) and inside its validity.

    Deterministic, so generating twice gives the same list; the service skips existing rows.
    """
    _check_weeks(weeks)
    if template.letter is not None and LETTERS.index(template.letter) >= weeks:
        raise ValueError(f"week {template.letter} does not exist in a {weeks}-week cycle")
    lo = max(first, template.valid_from or first)
    hi = min(last, template.valid_until or last)
    anchors = _anchors(anchor)
    days: list[date] = []
    for seg_lo, seg_hi in _segments(anchors, lo, hi):
        days.extend(_weekly_days(template, seg_lo, seg_hi, anchors, weeks))
    return [
        Occurrence(
            day=day,
            start=datetime.combine(day, template.start, tzinfo=tz),
            end=datetime.combine(day, template.end, tzinfo=tz),
            letter=week_letter(day, anchors, weeks),
        )
        for day in days
    ]


def _segments(anchors: tuple[date, ...], lo: date, hi: date) -> list[tuple[date, date]]:
    """Split ``[lo, hi]`` where a later anchor takes over (the letter sequence restarts there)."""
    cuts = [a for a in anchors[1:] if lo < a <= hi]
    bounds = [lo, *cuts]
    ends = [c - timedelta(days=1) for c in cuts] + [hi]
    return [(b, e) for b, e in zip(bounds, ends, strict=True) if b <= e]


def _weekly_days(
    template: ShiftTemplate, lo: date, hi: date, anchors: tuple[date, ...], weeks: int
) -> list[date]:
    day = lo + timedelta(days=(template.weekday - lo.weekday()) % 7)
    if template.letter is not None:
        for _ in range(weeks):
            if day > hi or week_letter(day, anchors, weeks) == template.letter:
                break
            day += timedelta(weeks=1)
    if day > hi:
        return []
    rule = rrule(
        WEEKLY,
        interval=weeks if template.letter is not None else 1,
        dtstart=datetime.combine(day, time()),
        until=datetime.combine(hi, time()),
    )
    return [moment.date() for moment in rule]


# -- public holidays -------------------------------------------------------------------------


class PublicHoliday(NamedTuple):
    day: date
    holiday: Holiday


def french_holidays(year: int, *, alsace_moselle: bool = False) -> list[PublicHoliday]:
    """The 11 national public holidays of ``year`` (13 in Alsace-Moselle), in date order.

    Two can fall on the same day (Ascension on 1 May in 2008): both are listed.
    """
    sunday = easter(year)
    days = [
        PublicHoliday(date(year, 1, 1), Holiday.NEW_YEAR),
        PublicHoliday(sunday + timedelta(days=1), Holiday.EASTER_MONDAY),
        PublicHoliday(date(year, 5, 1), Holiday.LABOUR_DAY),
        PublicHoliday(date(year, 5, 8), Holiday.VICTORY_1945),
        PublicHoliday(sunday + timedelta(days=39), Holiday.ASCENSION),
        PublicHoliday(sunday + timedelta(days=50), Holiday.WHIT_MONDAY),
        PublicHoliday(date(year, 7, 14), Holiday.BASTILLE_DAY),
        PublicHoliday(date(year, 8, 15), Holiday.ASSUMPTION),
        PublicHoliday(date(year, 11, 1), Holiday.ALL_SAINTS),
        PublicHoliday(date(year, 11, 11), Holiday.ARMISTICE),
        PublicHoliday(date(year, 12, 25), Holiday.CHRISTMAS),
    ]
    if alsace_moselle:
        days.append(PublicHoliday(sunday - timedelta(days=2), Holiday.GOOD_FRIDAY))
        days.append(PublicHoliday(date(year, 12, 26), Holiday.SAINT_STEPHEN))
    return sorted(days)


def holidays_between(
    first: date, last: date, *, alsace_moselle: bool = False
) -> dict[date, tuple[Holiday, ...]]:
    """Public holidays in ``[first, last]``, by date."""
    result: dict[date, tuple[Holiday, ...]] = {}
    for year in range(first.year, last.year + 1):
        for day, holiday in french_holidays(year, alsace_moselle=alsace_moselle):
            if first <= day <= last:
                result[day] = (*result.get(day, ()), holiday)
    return result


# -- closures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Closure:
    """The shop closed from ``start`` to ``end`` inclusive (bank holiday, inventory, summer).

    ``makeups`` is what an absence costs inside it: La Louve's "0 makeup" (neutral) or "1 makeup".
    """

    start: date
    end: date
    makeups: int = 0
    label: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a closure cannot end before it starts")
        if self.makeups < 0:
            raise ValueError("makeups must not be negative")

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Blocked:
    """Why a date cannot host an ordinary shift."""

    holidays: tuple[Holiday, ...] = ()
    closures: tuple[Closure, ...] = ()


def blocked_days(
    days: Iterable[date],
    closures: Iterable[Closure] = (),
    *,
    holidays: bool = True,
    alsace_moselle: bool = False,
) -> dict[date, Blocked]:
    """The given dates that fall on a public holiday (if ``holidays``) or in a closure."""
    wanted = sorted(set(days))
    if not wanted:
        return {}
    closures = tuple(closures)
    feasts = (
        holidays_between(wanted[0], wanted[-1], alsace_moselle=alsace_moselle) if holidays else {}
    )
    result: dict[date, Blocked] = {}
    for day in wanted:
        inside = tuple(c for c in closures if c.covers(day))
        feast = feasts.get(day, ())
        if inside or feast:
            result[day] = Blocked(holidays=feast, closures=inside)
    return result


def closure_makeups_on(day: date, closures: Iterable[Closure]) -> int | None:
    """Makeups an absence costs on ``day`` (the kindest overlapping closure); None if open."""
    costs = [c.makeups for c in closures if c.covers(day)]
    return min(costs) if costs else None
