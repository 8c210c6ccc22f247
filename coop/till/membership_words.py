"""Capital shares and the yearly fee written down in a basket: ``--shares`` / ``"shares"``
(nothing or ``owed``: what the member still owes; ``3p``: three shares; ``30,00``: an amount)
and ``--fee`` / ``"fee"`` (nothing, ``due`` or ``true``: this year's fee; ``15,00``: an
amount). Pure: text in, a ``MembershipAsk`` or the problems out.
"""

from __future__ import annotations

import re

from coop.errors import Problem
from coop.i18n import _
from coop.money import MoneyError, parse_amount
from coop.till.requests import MembershipAsk

OWED = ("", "owed", "due", "true")
"""The words that mean "what the member still owes"."""


def _problem(column: str, message: str) -> Problem:
    return Problem(message, column=column)


def ask_from_words(
    shares: str | None, fee: str | None, *, shares_column: str, fee_column: str
) -> tuple[MembershipAsk, list[Problem]]:
    """The ask of ``--shares`` and ``--fee`` (None: not given), and what is wrong in them."""
    problems: list[Problem] = []
    share_cents = share_count = fee_cents = None
    if shares is not None:
        text = shares.strip().lower()
        count = re.fullmatch(r"(\d+)\s*p", text)
        if count is not None:
            share_count = int(count.group(1))
            if share_count <= 0:
                problems.append(_problem(shares_column, _("at least one share")))
        elif text not in OWED:
            try:
                share_cents = parse_amount(text)
            except MoneyError:
                problems.append(
                    _problem(
                        shares_column,
                        _("“{text}” is not an amount, a number of shares (3p) or owed").format(
                            text=shares
                        ),
                    )
                )
    if fee is not None and fee.strip().lower() not in OWED:
        try:
            fee_cents = parse_amount(fee.strip())
        except MoneyError:
            problems.append(
                _problem(fee_column, _("“{text}” is not an amount or due").format(text=fee))
            )
    ask = MembershipAsk(
        shares=shares is not None,
        share_cents=share_cents,
        share_count=share_count,
        fee=fee is not None,
        fee_cents=fee_cents,
    )
    return ask, problems
