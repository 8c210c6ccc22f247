"""Reading and writing calendar dates the way French spreadsheets and people write them."""

from __future__ import annotations

import re
from datetime import date

from coop.i18n import _, babel_locale

_FRENCH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class DateError(ValueError):
    """A date that cannot be read."""


def parse_date(text: str) -> date:
    """Accept ``31/12/2026`` (French Excel) and ``2026-12-31`` (ISO); nothing else guessed."""
    value = text.strip()
    match = _FRENCH.match(value)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        match = _ISO.match(value)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return date(year, month, day)
    except ValueError as error:
        raise DateError(_("“{text}” is not a valid date").format(text=text)) from error
    raise DateError(
        _("“{text}” is not a date (expected 31/12/2026 or 2026-12-31)").format(text=text)
    )


def format_date(value: date, style: str = "short", language: str | None = None) -> str:
    """ "07/04/2026" (short), "7 avril 2026" (long), "mardi 7 avril 2026" (full) via Babel; in
    French the first of a month is written "1er" ("1er janvier 2026"), which Babel does not do."""
    from babel.dates import format_date as babel_format_date

    locale = babel_locale(language)
    text = babel_format_date(value, format=style, locale=locale)
    if value.day == 1 and style != "short" and str(locale).startswith("fr"):
        text = _FIRST_OF_MONTH.sub("1er\\1", text, count=1)
    return text


_FIRST_OF_MONTH = re.compile(r"(?<!\d)1(\s)")
