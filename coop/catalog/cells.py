"""What the catalogue's two imports share: one CSV cell read (``ValueError`` → a problem on that
cell) or written back, the import report, progress ticks, audit entries and bulk-update groups.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import siret as stdnum_siret

from coop.catalog.models import Unit
from coop.errors import Problem
from coop.i18n import _
from coop.money import MoneyError, bp_to_rate, parse_amount, parse_rate, rate_to_bp
from coop.scanning import ScanError, ScanErrorCode, validate_gtin
from coop.text import fold

Progress = Callable[[int], None]
PROGRESS_STEP = 500

UNIT_WORDS: dict[str, Unit] = {
    **dict.fromkeys(
        ("piece", "pieces", "pc", "pcs", "p", "u", "unite", "unit", "each"), Unit.PIECE
    ),
    **dict.fromkeys(("kg", "kilo", "kilos", "kilogramme", "kilogram"), Unit.KG),
    **dict.fromkeys(("l", "litre", "litres", "liter", "lt"), Unit.LITRE),
}
"""Spellings accepted in the unit column (folded: no accents, lower case)."""

PRODUCER_CODE = re.compile(r"[A-Z0-9]+(?:[-_][A-Z0-9]+)*")
INTERNAL_CODE = re.compile(r"[A-Z0-9][A-Z0-9._/-]*")
_SPREADSHEET_NUMBER = re.compile(r"\d+(?:[.,]\d+)?[eE]\+?\d+")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    lines: int = 0
    created_codes: list[str] = field(default_factory=list)


# --- cell parsers (ValueError → a Problem on that cell) ---------------------------------------


def producer_code(value: str) -> str:
    """A producer's code: a short slug, upper case ("FERME-DU-BOIS"); lower case is accepted."""
    code = value.strip().upper()
    if len(code) > 32 or not PRODUCER_CODE.fullmatch(code):
        raise ValueError(
            _(
                "“{value}” is not a code (use at most 32 letters, digits and hyphens, e.g."
                " FERME-DU-BOIS)"
            ).format(value=value)
        )
    return code


def internal_code(value: str) -> str:
    """A product's internal code, upper case ("VRAC-RIZ", "1042")."""
    code = value.strip().upper()
    if len(code) > 32 or not INTERNAL_CODE.fullmatch(code):
        raise ValueError(
            _(
                "“{value}” is not an internal code (use at most 32 letters, digits and “-”, e.g."
                " VRAC-RIZ)"
            ).format(value=value)
        )
    return code


def product_barcode(value: str) -> str:
    """An EAN-13, EAN-8 or UPC-A with a right check digit; a UPC-A becomes its EAN-13."""
    try:
        code = validate_gtin(value)
    except ScanError as error:
        raise ValueError(_barcode_message(value, error)) from error
    return "0" + code if len(code) == 12 else code


def _barcode_message(value: str, error: ScanError) -> str:
    if _SPREADSHEET_NUMBER.fullmatch(value.strip()):
        return _(
            "“{value}” is a barcode a spreadsheet turned into a number: format the column as"
            " text and type it again"
        ).format(value=value)
    if error.code is ScanErrorCode.BAD_CHECK_DIGIT:
        return _("“{value}” has a wrong check digit (the last digit should be {digit})").format(
            value=value, digit=error.expected
        )
    if error.code is ScanErrorCode.BAD_LENGTH and error.cleaned and len(error.cleaned) in (7, 11):
        return _(
            "“{value}” has {n} digits, not 8, 12 or 13: a spreadsheet may have dropped a"
            " leading 0 (format the column as text)"
        ).format(value=value, n=len(error.cleaned))
    return _("“{value}” is not a barcode (expected 8, 12 or 13 digits: EAN or UPC)").format(
        value=value
    )


def siret(value: str) -> str:
    """A SIRET (14 digits, spaces allowed) whose check digit is right, without spaces."""
    try:
        return stdnum_siret.validate(value)
    except InvalidChecksum as error:
        raise ValueError(
            _("“{value}” is not a valid SIRET (wrong check digit)").format(value=value)
        ) from error
    except ValidationError as error:
        raise ValueError(
            _("“{value}” is not a SIRET (expected 14 digits)").format(value=value)
        ) from error


def unit(value: str) -> Unit:
    found = UNIT_WORDS.get(fold(value).rstrip("."))
    if found is None:
        raise ValueError(_("“{value}” is not a unit (expected piece, kg or l)").format(value=value))
    return found


def price(value: str) -> int:
    """An amount in euros → cents; not negative, at most two decimals."""
    cents = parse_amount(value)
    if cents < 0:
        raise MoneyError(_("“{value}” is negative").format(value=value))
    return cents


def vat_rate_bp(value: str) -> int:
    """A French VAT rate in percent ("5,5") → basis points (550)."""
    return rate_to_bp(parse_rate(value))


def format_cents(cents: int | None) -> str | None:
    """12345 → "123,45" (decimal comma, no thousands separator, for spreadsheets)."""
    if cents is None:
        return None
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole},{part:02d}"


def format_rate_bp(bp: int) -> str:
    """550 → "5,5", 2000 → "20"."""
    return str(bp_to_rate(bp)).replace(".", ",")


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.column or ""))


def tick(progress: Progress | None, index: int) -> None:
    if progress and index % PROGRESS_STEP == 0:
        progress(PROGRESS_STEP)


def audit_entry(
    action: str,
    entity: str,
    entity_id: int,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
) -> dict[str, Any]:
    return {
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "before": before,
        "after": after,
        "reason": "import",
    }


def group_by_keys(rows: list[dict[str, Any]]) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    """Bulk UPDATE by primary key wants the same keys in every row of one executemany."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return groups
