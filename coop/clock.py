"""Time comes in from outside: rules and services take ``today``/``now``, never read the clock.

Only composition roots (the CLI, the TUI app factory) call ``system_clock``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]

SHOP_TIMEZONE = ZoneInfo("Europe/Paris")


def system_clock() -> datetime:
    """The real time, timezone-aware, in the shop's time zone."""
    return datetime.now(SHOP_TIMEZONE)


def fixed_clock(moment: datetime) -> Clock:
    """A clock stopped at ``moment`` (tests, replays, ``--at`` options)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHOP_TIMEZONE)
    return lambda: moment


def local_date(moment: datetime) -> date:
    """The calendar date of a moment as seen in the shop."""
    return moment.astimezone(SHOP_TIMEZONE).date()


def to_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: times are timezone-aware in Comptoir")
    return moment.astimezone(UTC)
