"""Scans, a kernel module: clean what a scanner typed (AZERTY digits, spaces, invisible
characters) and check a barcode's check digit. Pure functions, no database, no I/O, so the till,
the welcome desk, label printing and the tests all read a scan the same way. Reading a clean
code with the coop's barcode rules is ``coop.nomenclature``.

Errors carry machine-readable codes; the UI words them.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

MAX_SCAN_LENGTH = 128
"""Longest input read at all. A scan is at most 13 digits plus a terminator; anything far longer
is a paste or several scans run together. Generous, because the members desk sends its free-text
search field through ``normalise_scan`` too."""

AZERTY_SHIFTED = "&é\"'(-è_çà"
"""What a US-configured scanner types on a French AZERTY host for 1234567890 (aesthetics §1.5)."""

_AZERTY_TO_DIGITS = str.maketrans(AZERTY_SHIFTED, "1234567890")
DIGITS = re.compile(r"[0-9]+")
GTIN_LENGTHS = frozenset({13, 8, 12})
"""EAN-13, EAN-8 and UPC-A: the codes with a check digit."""


class ScanErrorCode(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NOT_DIGITS = "not_digits"
    BAD_LENGTH = "bad_length"  # no rule reads codes of this length
    BAD_CHECK_DIGIT = "bad_check_digit"
    NO_MATCH = "no_match"  # the length is known but no rule's pattern fits


class ScanError(ValueError):
    """A scan that cannot be read. ``code`` says why; ``scan`` is the input as received
    (cut to MAX_SCAN_LENGTH), ``cleaned`` the normalised digits when there are any, and
    ``expected`` the right check digit for BAD_CHECK_DIGIT."""

    def __init__(
        self,
        code: ScanErrorCode,
        scan: str,
        *,
        cleaned: str | None = None,
        expected: str | None = None,
        detail: str = "",
    ) -> None:
        self.code = code
        self.scan = scan
        self.cleaned = cleaned
        self.expected = expected
        super().__init__(f"{code.value}: {scan!r}" + (f" ({detail})" if detail else ""))


# --- cleaning a scan ------------------------------------------------------------------------


def normalise_scan(raw: str) -> str:
    """The characters a scan really carries: AZERTY-shifted digits mapped back first, then
    whitespace and control/format characters (CR, LF, Tab, GS, NBSP, BOM...) removed anywhere.

    Never raises for empty or non-digit input (the desk's search field also goes through here);
    raises ScanError(TOO_LONG) for input longer than MAX_SCAN_LENGTH, checked before any work.
    """
    if len(raw) > MAX_SCAN_LENGTH:
        raise ScanError(
            ScanErrorCode.TOO_LONG,
            raw[:MAX_SCAN_LENGTH],
            detail=f"{len(raw)} characters, at most {MAX_SCAN_LENGTH}",
        )
    mapped = unicodedata.normalize("NFC", raw).translate(_AZERTY_TO_DIGITS)
    return "".join(
        char
        for char in mapped
        if not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf")
    )


# --- check digits ---------------------------------------------------------------------------


def _gs1_digit(payload: str) -> int:
    """The GS1 check digit of digits (weights 3, 1, 3… from the right; what python-stdnum's
    ``ean.calc_check_digit`` computes, written here because importing python-stdnum loads
    ``pydoc`` and ``pkgutil``, 5 ms of every sale's start)."""
    total = 0
    weight = 3
    for char in reversed(payload):
        total += (ord(char) - 48) * weight
        weight = 4 - weight
    return (10 - total % 10) % 10


def check_digit(payload: str) -> str:
    """The GS1 check digit for 7, 11 or 12 digits (EAN-8, UPC-A, EAN-13 without their last)."""
    if not DIGITS.fullmatch(payload) or len(payload) + 1 not in GTIN_LENGTHS:
        raise ValueError(f"expected 7, 11 or 12 digits, got {payload!r}")
    return str(_gs1_digit(payload))


def with_check_digit(payload: str) -> str:
    """A complete code from its payload, e.g. to print member cards and demo labels."""
    return payload + check_digit(payload)


def valid_gtin(code: str) -> bool:
    """The GS1 check digit of an all-digit EAN-13, EAN-8 or UPC-A (what ``ean.is_valid`` says
    for those, without its cleaning: the till calls it for every scan)."""
    if len(code) not in GTIN_LENGTHS:
        return False
    return _gs1_digit(code[:-1]) == ord(code[-1]) - 48


def has_valid_check_digit(code: str) -> bool:
    """True for an EAN-13, EAN-8 or UPC-A whose last digit is right (digits only, no cleaning)."""
    return bool(DIGITS.fullmatch(code)) and valid_gtin(code)


def validate_gtin(raw: str) -> str:
    """A product barcode typed or scanned into a form, cleaned and checked, or ScanError."""
    code = normalise_scan(raw)
    if not code:
        raise ScanError(ScanErrorCode.EMPTY, raw)
    if not DIGITS.fullmatch(code):
        raise ScanError(ScanErrorCode.NOT_DIGITS, raw, cleaned=code)
    if len(code) not in GTIN_LENGTHS:
        raise ScanError(ScanErrorCode.BAD_LENGTH, raw, cleaned=code)
    if not valid_gtin(code):
        raise ScanError(
            ScanErrorCode.BAD_CHECK_DIGIT, raw, cleaned=code, expected=check_digit(code[:-1])
        )
    return code
