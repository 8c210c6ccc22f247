"""The stock's pure rules: quantities as people type them (kg, g, pieces) in the stock unit, what
a quantity costs, and how much to reorder. No database, no clock: plain values in, values out.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from coop.i18n import _
from coop.money import price_for_quantity
from coop.units import GRAMS_PER_KG

QUANTITY_LIMIT = 10_000_000
"""The largest quantity one move reads: 10,000,000 pieces, or 10 t / 10,000 l in grams / ml."""


def unit_word(by_weight: bool, unit: str) -> str:
    """What a product's stock is counted in: "g", "ml" or "pc"."""
    if by_weight:
        return "ml" if unit == "l" else "g"
    return "pc"


def parse_quantity(text: str, *, by_weight: bool, name: str, allow_negative: bool = False) -> int:
    """A quantity people typed, in the stock unit (pieces, or grams / ml) of product ``name``.

    Weighed products: ``2,5`` and ``2,5 kg`` are 2500 g, ``750 g`` is 750 g (``l``/``ml`` for
    litres). Pieces: a whole number. ValueError with a sentence otherwise.
    """
    cleaned = text.strip().lower().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    # ASCII digits only (``\d`` would take Arabic-Indic or full-width digits)
    match = re.fullmatch(r"(-?[0-9]{1,12}(?:[.,][0-9]{1,6})?)(kg|g|l|ml)?", cleaned, re.ASCII)
    if match is None:
        raise ValueError(_("“{text}” is not a quantity").format(text=text))
    number = Decimal(match.group(1).replace(",", "."))
    suffix = match.group(2)
    if by_weight:
        small = suffix in ("g", "ml")
        grams = number if small else number * GRAMS_PER_KG
        if grams != grams.to_integral_value():
            raise ValueError(_("“{text}” is finer than a gram").format(text=text))
        value = int(grams)
    else:
        if suffix is not None or number != number.to_integral_value():
            raise ValueError(
                _("“{text}” is not a whole number of pieces ({name} is not sold by weight)").format(
                    text=text, name=name
                )
            )
        value = int(number)
    if value == 0 or (value < 0 and not allow_negative):
        raise ValueError(_("the quantity must be more than zero"))
    if abs(value) > QUANTITY_LIMIT:
        raise ValueError(
            _("“{text}” is more than the largest quantity accepted ({limit})").format(
                text=text, limit=QUANTITY_LIMIT
            )
        )
    return value


def value_cents(quantity: int, unit_cost_cents: int | None, by_weight: bool) -> int | None:
    """The cost of a quantity (per piece, or per kg for grams), rounded once; None if unknown."""
    if unit_cost_cents is None:
        return None
    amount = Decimal(quantity) / GRAMS_PER_KG if by_weight else Decimal(quantity)
    return price_for_quantity(unit_cost_cents, amount)


def suggest(
    daily: Decimal, lead_time_days: int, cover_days: int, minimum: int | None, quantity: int
) -> int:
    """What to order now so the stock lasts the lead time plus the cover, above the minimum:
    ``ceil(daily × (lead + cover)) + minimum − stock``, never below 0."""
    need = math.ceil(daily * (lead_time_days + cover_days)) + (minimum or 0)
    return max(need - quantity, 0)
