"""Reading what people type on the command line: dates, months, amounts, cash counts.

Every reader raises ``InvalidInput`` naming the option, so a command exits with code 2 and
one clear sentence, having changed nothing.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from coop.dates import DateError, parse_date
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.money import MoneyError, parse_amount

if TYPE_CHECKING:
    from coop.till.cash import CashCount


def problem(message: str, option: str) -> InvalidInput:
    return InvalidInput([Problem(message, column=option)])


def day(value: str | None, option: str, default: date | None = None) -> date:
    if value is None:
        if default is None:
            raise problem(_("a value is required"), option)
        return default
    try:
        return parse_date(value)
    except DateError as error:
        raise problem(str(error), option) from error


def month(value: str, option: str) -> date:
    """``2026-11`` or ``11/2026`` → 1 November 2026."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4})", value.strip())
    try:
        assert match is not None
        year, number = (
            (int(match.group(1)), int(match.group(2)))
            if match.group(1)
            else (int(match.group(4)), int(match.group(3)))
        )
        return date(year, number, 1)
    except (AssertionError, ValueError):
        raise problem(
            _("“{text}” is not a month (expected 2026-11)").format(text=value), option
        ) from None


def amount(value: str, option: str, *, signed: bool = False) -> int:
    """Euros as typed ("20", "12,35", "-200,00") → cents."""
    try:
        cents = parse_amount(value)
    except MoneyError as error:
        raise problem(str(error), option) from error
    if cents < 0 and not signed:
        raise problem(_("expected an amount of zero or more"), option)
    return cents


def cash_count(cash: str | None, coins: str | None, option: str = "--coins") -> CashCount:
    """``--cash 150,00`` (a declared total) or ``--coins "20x3 10x2 0,50x10"``."""
    from coop.till.cash import count_cash, declared_cash
    from coop.till.refusals import Refused
    from coop.till.words import refusal

    if cash is not None:
        return declared_cash(amount(cash, "--cash"))
    assert coins is not None
    counts: dict[int, int] = {}
    for part in coins.replace(";", " ").split():
        match = re.fullmatch(r"([\d.,]+)\s*[x×*]\s*(\d+)", part.strip().lower())
        if match is None:
            raise problem(
                _("“{text}” is not a count like 20x3 (three 20 € notes)").format(text=part), option
            )
        try:
            denomination = Decimal(match.group(1).replace(",", "."))
        except InvalidOperation:
            raise problem(_("“{text}” is not an amount").format(text=part), option) from None
        cents = int(denomination * 100)
        if Decimal(cents) != denomination * 100:
            raise problem(_("“{text}” is not an amount").format(text=part), option)
        counts[cents] = counts.get(cents, 0) + int(match.group(2))
    try:
        return count_cash(counts)
    except Refused as error:
        raise problem(refusal(error), option) from error
