"""Values of the `coop shifts` and `coop desk` options: dates, moments and clock times read
from the command line (a bad one names the option), and the shift settings in use."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from coop.cli.context import Context
from coop.clock import SHOP_TIMEZONE
from coop.dates import DateError, parse_date
from coop.errors import InvalidInput, Problem
from coop.i18n import _


def option_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except DateError as error:
        raise InvalidInput([Problem(str(error), column=option)]) from error


def required_date(value: str | None, option: str, default: date) -> date:
    return option_date(value, option) or default


def moment(value: str | None, option: str, default: datetime) -> datetime:
    """``2026-11-21``, ``21/11/2026``, with an optional time ``10:30`` (shop time)."""
    if value is None:
        return default
    text = value.strip().replace("T", " ")
    match = re.fullmatch(r"(\S+)(?:\s+(\d{1,2})[:h](\d{2}))?", text)
    if match is None:
        raise InvalidInput(
            [
                Problem(
                    _("“{text}” is not a date and time (expected 2026-11-21 10:30)").format(
                        text=value
                    ),
                    column=option,
                )
            ]
        )
    day = option_date(match.group(1), option)
    assert day is not None
    hour, minute = int(match.group(2) or 0), int(match.group(3) or 0)
    if hour > 23 or minute > 59:
        raise InvalidInput([Problem(_("“{text}” is not a time").format(text=value), column=option)])
    return datetime.combine(day, time(hour, minute), tzinfo=SHOP_TIMEZONE)


def clock_time(value: str | None, option: str) -> time | None:
    if value is None:
        return None
    from coop.shifts.exchange import parse_time

    try:
        return parse_time(value)
    except ValueError as error:
        raise InvalidInput([Problem(str(error), column=option)]) from error


def shift_settings(context: Context) -> Any:
    return context.settings.shifts
