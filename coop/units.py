"""Quantities as stored: pieces, or integer grams (millilitres) for goods sold by weight, and the
one way they are written for a person (``format_quantity``, Babel, in the language asked for).
"""

from __future__ import annotations

import re
from decimal import Decimal

from coop.i18n import babel_locale

GRAMS_PER_KG = 1000
NBSP = "\u00a0"
"""Between a number and its unit on printed documents, so "1,234 kg" never breaks."""


def format_quantity(
    quantity: int,
    by_weight: bool,
    unit: str = "kg",
    *,
    space: str = " ",
    language: str | None = None,
) -> str:
    """2500 → "2,500 kg" in French, "2.500 kg" in English (``unit`` "l": millilitres → "2,500 l")
    when weighed; "3" for pieces. Signed as given; ``space`` goes between number and unit;
    ``language``: the current one unless given."""
    if not by_weight:
        return str(quantity)
    from babel.numbers import format_decimal  # Babel stays out of `coop --help`

    kilos = Decimal(quantity) / GRAMS_PER_KG
    number = format_decimal(kilos, format="0.000", locale=babel_locale(language))
    return f"{number}{space}{'l' if unit == 'l' else 'kg'}"


def line_quantity(quantity: int, weighed: bool, *, space: str = " ") -> str:
    """A receipt or invoice line's quantity: "1,234 kg" (unsigned: a refund says so in words)
    or "2 ×" for pieces."""
    if weighed:
        return format_quantity(abs(quantity), True, space=space)
    return f"{quantity}{space}×"


_NUMBER_THEN_UNIT = re.compile(r"(\d)[ \t]+(kg|g|mg|cl|dl|ml|l|L|cm|mm|m|pièces|pcs|%|€)(?![\w])")


def keep_units_together(text: str) -> str:
    """A product name with a no-break space between each number and its unit ("Bière 33 cl"),
    so that printed lines never wrap between "33" and "cl"."""
    return _NUMBER_THEN_UNIT.sub(lambda match: f"{match[1]}{NBSP}{match[2]}", text)
