"""Money: integer cents in storage, Decimal in computations, one named rounding rule.

``ROUNDING`` is the single rule used whenever an amount must become whole cents: half away from
zero (ROUND_HALF_UP), the usual French commercial rounding. Float never touches money.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from coop.i18n import _, babel_locale

ROUNDING = ROUND_HALF_UP
CENT = Decimal("0.01")
HUNDRED = Decimal(100)

VAT_RATES: tuple[Decimal, ...] = (Decimal("2.1"), Decimal("5.5"), Decimal("10"), Decimal("20"))
"""French VAT rates in percent; 0 is also accepted for goods outside VAT (deposits, fees)."""


AMOUNT_LIMIT_CENTS = 2_147_483_647
"""No amount beyond 21 474 836,47 € is ever read: the largest a PostgreSQL ``integer`` column
holds, so both databases accept and refuse the same values (per-use limits are lower,
``[till] max_*``)."""
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?", re.ASCII)


class MoneyError(ValueError):
    """An amount that cannot be read or is not allowed."""


BASIS_POINTS_PER_PERCENT = 100
"""VAT rates are stored as integer hundredths of a percent (5.5 % → 550)."""


def rate_to_bp(rate: Decimal) -> int:
    """5.5 (percent) → 550; refuses anything finer than a hundredth of a percent."""
    bp = rate * BASIS_POINTS_PER_PERCENT
    if bp != bp.to_integral_value():
        raise ValueError(f"VAT rate {rate} is finer than a hundredth of a percent")
    return int(bp)


def bp_to_rate(bp: int) -> Decimal:
    """550 → Decimal('5.5'), 2000 → Decimal('20'), 0 → Decimal('0')."""
    return Decimal(bp) / BASIS_POINTS_PER_PERCENT  # exact, and never "2E+1"


def cents_to_decimal(cents: int) -> Decimal:
    """Exact euros for a number of cents (12345 → Decimal('123.45'))."""
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise TypeError("cents must be an int")
    return Decimal(cents) / HUNDRED


def decimal_to_cents(amount: Decimal) -> int:
    """Round euros to whole cents with the project's rule (ROUNDING)."""
    if not isinstance(amount, Decimal):
        raise TypeError("amount must be a Decimal")
    return int((amount * HUNDRED).quantize(Decimal(1), rounding=ROUNDING))


def parse_amount(text: str) -> int:
    """Read what a person types or a French spreadsheet holds ("12,5", "1 234,50 €", "3.20").

    More than two decimals is refused rather than rounded: it is almost always a typo.
    """
    cleaned = (
        text.strip().replace("€", "").replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    )
    if "," in cleaned and "." in cleaned:
        # Both separators: the last one is the decimal mark ("1.234,50", "1,234.50").
        thousands = "." if cleaned.rfind(",") > cleaned.rfind(".") else ","
        cleaned = cleaned.replace(thousands, "")
    cleaned = cleaned.replace(",", ".")
    # ASCII digits and one decimal mark only: no exponent (1e9), no underscores (1_000), no
    # other digit scripts (Arabic-Indic, full-width), which Decimal() would all accept
    if not _PLAIN_NUMBER.fullmatch(cleaned) or len(cleaned) > 40:
        raise MoneyError(_("“{text}” is not an amount").format(text=text))
    value = Decimal(cleaned)
    if value != value.quantize(CENT):
        raise MoneyError(_("“{text}” has more than two decimals").format(text=text))
    cents = decimal_to_cents(value)
    if abs(cents) > AMOUNT_LIMIT_CENTS:
        raise MoneyError(
            _("“{text}” is more than the largest amount accepted ({limit})").format(
                text=text, limit=format_money(AMOUNT_LIMIT_CENTS)
            )
        )
    return cents


def parse_rate(text: str) -> Decimal:
    """Read a VAT rate in percent ("5,5", "20", "5.5 %"); only French rates or 0."""
    cleaned = text.strip().replace("%", "").replace(" ", "").replace(",", ".")
    try:
        rate = Decimal(cleaned)
    except InvalidOperation as error:
        raise MoneyError(_("“{text}” is not a VAT rate").format(text=text)) from error
    if rate != 0 and rate not in VAT_RATES:
        raise MoneyError(
            _("“{rate}” is not a French VAT rate (expected 0, 2.1, 5.5, 10 or 20)").format(
                rate=text.strip()
            )
        )
    rate = rate.normalize()
    return rate.quantize(Decimal(1)) if rate == rate.to_integral_value() else rate


@dataclass(frozen=True)
class VatSplit:
    """An amount including VAT split into its excl.-VAT part and its VAT, in cents."""

    rate: Decimal
    excl_vat: int
    vat: int

    @property
    def incl_vat(self) -> int:
        return self.excl_vat + self.vat


def split_vat(incl_vat_cents: int, rate: Decimal) -> VatSplit:
    """Split a price including VAT: excl. = round(incl / (1 + rate)), VAT = the rest.

    Taking VAT as the difference means the two parts always add up to the price to the cent.
    """
    excl = decimal_to_cents(cents_to_decimal(incl_vat_cents) / (1 + rate / HUNDRED))
    return VatSplit(rate=rate, excl_vat=excl, vat=incl_vat_cents - excl)


def vat_summary(lines: Iterable[tuple[int, Decimal]]) -> list[VatSplit]:
    """Totals per VAT rate (amounts incl. VAT summed per rate, then split once), rates ascending.

    Splitting the per-rate total, not each line, is what French receipts and invoices print.
    """
    totals: dict[Decimal, int] = {}
    for incl_vat_cents, rate in lines:
        totals[rate] = totals.get(rate, 0) + incl_vat_cents
    return [split_vat(total, rate) for rate, total in sorted(totals.items())]


def add_vat(excl_vat_cents: int, rate: Decimal) -> int:
    """Price including VAT from a price excluding it (supplier prices), rounded once."""
    return decimal_to_cents(cents_to_decimal(excl_vat_cents) * (1 + rate / HUNDRED))


def price_for_quantity(unit_price_cents: int, quantity: Decimal) -> int:
    """Price of a quantity (e.g. 0.750 kg at a per-kg price), rounded once with ROUNDING."""
    return decimal_to_cents(cents_to_decimal(unit_price_cents) * quantity)


def split_evenly(total_cents: int, weights: Sequence[int]) -> list[int]:
    """Share an amount by integer weights with the largest-remainder method; sums exactly.

    Ties go to the earlier share, so the result never depends on anything but the input order.
    """
    if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError("weights must be non-negative and not all zero")
    whole = sum(weights)
    shares = [total_cents * w // whole for w in weights]
    remainders = [total_cents * w % whole for w in weights]
    left = total_cents - sum(shares)
    for index in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
        shares[index] += 1
    return shares


def format_money(cents: int, language: str | None = None) -> str:
    """ "1 234,50 €" in French (narrow no-break spaces), "€1,234.50" in English, via Babel."""
    from babel.numbers import format_currency

    return format_currency(cents_to_decimal(cents), "EUR", locale=babel_locale(language))


def format_rate(rate: Decimal, language: str | None = None) -> str:
    """ "5,5 %" in French."""
    from babel.numbers import format_decimal

    return f"{format_decimal(rate, locale=babel_locale(language))}\u00a0%"
