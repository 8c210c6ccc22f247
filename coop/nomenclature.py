"""The nomenclature, a kernel module: the coop's barcode rules and what they read in a clean scan
(``coop.scanning`` cleans it and checks its digits). Pure functions and plain data.

Nomenclature patterns use Odoo's syntax, without regular expressions:

- a digit must be that digit and a dot ``.`` is any digit;
- ``{N…D…}`` (at most once) is the embedded value: N integer digits, then D decimal digits;
- the pattern matches the *start* of the code; the code's length comes from the rule's
  encoding (EAN-13: 13, EAN-8: 8, UPC-A: 12), so ``21.....{NNDDD}`` leaves the 13th digit to
  the check digit, as in Odoo.

Embedded values are returned exactly: ``value`` as a Decimal in the natural unit (kg, currency
unit, percent) and ``amount`` as an int in the minor unit (grams, cents, hundredths of a
percent). Float never appears. Errors carry machine-readable codes; the UI words them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from coop.scanning import (
    DIGITS,
    MAX_SCAN_LENGTH,
    ScanError,
    ScanErrorCode,
    check_digit,
    normalise_scan,
    valid_gtin,
    with_check_digit,
)

_PATTERN = re.compile(r"(?P<head>[0-9.]*)(?:\{(?P<int>N*)(?P<dec>D*)\})?(?P<tail>[0-9.]*)")
_E = TypeVar("_E", bound=StrEnum)
_VALUE = "V"  # marks the embedded value's positions in a rule's template


class ScanKind(StrEnum):
    """What a scanned code stands for; the stored value is the lower-case name."""

    MEMBER_CARD = "member_card"
    WEIGHT = "weight"
    PRICE = "price"
    PRODUCT = "product"
    INTERNAL = "internal"
    DISCOUNT = "discount"


_UNIT_EXPONENT: dict[ScanKind, int] = {
    ScanKind.WEIGHT: 3,  # kg → grams
    ScanKind.PRICE: 2,  # currency unit → cents
    ScanKind.DISCOUNT: 2,  # percent → hundredths of a percent
}
"""Kinds that embed a value, and the power of ten from their natural unit to their int unit."""


class Encoding(StrEnum):
    """The symbology a rule reads: it fixes the code length and whether a check digit exists."""

    EAN13 = "ean13"
    EAN8 = "ean8"
    UPCA = "upca"
    NONE = "none"  # digits without a check digit; the length comes from the rule

    @property
    def length(self) -> int | None:
        return _ENCODING_LENGTH.get(self)


_ENCODING_LENGTH = {Encoding.EAN13: 13, Encoding.EAN8: 8, Encoding.UPCA: 12}
_GTIN_LENGTHS = frozenset(_ENCODING_LENGTH.values())


class LookupMode(StrEnum):
    """How the product code is rebuilt from a code with an embedded value."""

    RECOMPUTE = "recompute"
    """Odoo: the value becomes zeros and the check digit is recomputed."""
    ZERO_FILL = "zero_fill"
    """FoodCoopShop: the value and the check digit become zeros (first 7 digits + 000000)."""


class RuleErrorCode(StrEnum):
    MISSING_FIELD = "missing_field"
    UNKNOWN_FIELD = "unknown_field"
    WRONG_TYPE = "wrong_type"
    UNKNOWN_VALUE = "unknown_value"  # not a known kind, encoding or lookup mode
    EMPTY_NAME = "empty_name"
    BAD_PATTERN = "bad_pattern"
    PATTERN_TOO_LONG = "pattern_too_long"
    CHECK_DIGIT_POSITION = "check_digit_position"
    VALUE_REQUIRED = "value_required"
    VALUE_NOT_ALLOWED = "value_not_allowed"
    TOO_MANY_DECIMALS = "too_many_decimals"
    BAD_LENGTH = "bad_length"


class RuleError(ValueError):
    """A nomenclature rule that cannot be used; ``field`` names the culprit, ``value`` its value."""

    def __init__(self, code: RuleErrorCode, field: str, value: object, detail: str) -> None:
        self.code = code
        self.field = field
        self.value = value
        super().__init__(f"{field}={value!r}: {detail}")


# --- nomenclature ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NomenclatureRule:
    """One line of the nomenclature: codes of this encoding starting like ``pattern`` are
    ``kind``. Rules are tried by ascending ``priority`` (1 before 10, like Odoo's sequence).

    ``length`` is only for Encoding.NONE (exact length; None accepts any length).
    ``verify_check_digit=False`` reproduces systems that ignore it (FoodCoopShop).
    Invalid rules cannot be built: RuleError says which field is wrong.
    """

    name: str
    kind: ScanKind
    priority: int
    pattern: str
    encoding: Encoding = Encoding.EAN13
    lookup: LookupMode = LookupMode.RECOMPUTE
    verify_check_digit: bool = True
    length: int | None = None
    _template: str = field(init=False, repr=False, compare=False)
    _value_start: int = field(init=False, repr=False, compare=False)
    _int_digits: int = field(init=False, repr=False, compare=False)
    _decimals: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise RuleError(RuleErrorCode.EMPTY_NAME, "name", self.name, "a rule needs a name")
        _set = object.__setattr__
        _set(self, "kind", _enum(ScanKind, "kind", self.kind))
        _set(self, "encoding", _enum(Encoding, "encoding", self.encoding))
        _set(self, "lookup", _enum(LookupMode, "lookup", self.lookup))
        if isinstance(self.priority, bool) or not isinstance(self.priority, int):
            raise RuleError(RuleErrorCode.WRONG_TYPE, "priority", self.priority, "not an integer")
        if not isinstance(self.verify_check_digit, bool):
            raise RuleError(
                RuleErrorCode.WRONG_TYPE,
                "verify_check_digit",
                self.verify_check_digit,
                "not a bool",
            )
        self._check_length()
        template, start, int_digits, decimals = _compile_pattern(self.pattern)
        _set(self, "_template", template)
        _set(self, "_value_start", start)
        _set(self, "_int_digits", int_digits)
        _set(self, "_decimals", decimals)
        self._check_pattern_fits()
        self._check_value()

    def _check_length(self) -> None:
        length = self.length
        if length is None:
            return
        if isinstance(length, bool) or not isinstance(length, int):
            raise RuleError(RuleErrorCode.WRONG_TYPE, "length", length, "not an integer")
        if self.encoding is not Encoding.NONE and length != self.encoding.length:
            raise RuleError(
                RuleErrorCode.BAD_LENGTH,
                "length",
                length,
                f"{self.encoding.value} codes have {self.encoding.length} digits",
            )
        if not 1 <= length <= MAX_SCAN_LENGTH:
            raise RuleError(
                RuleErrorCode.BAD_LENGTH, "length", length, f"expected 1 to {MAX_SCAN_LENGTH}"
            )

    def _check_pattern_fits(self) -> None:
        size = self.code_length
        if size is None:
            return
        if len(self._template) > size:
            raise RuleError(
                RuleErrorCode.PATTERN_TOO_LONG,
                "pattern",
                self.pattern,
                f"{len(self._template)} digits for codes of {size}",
            )
        has_check = self.encoding is not Encoding.NONE
        if has_check and len(self._template) == size and self._template[-1] != ".":
            raise RuleError(
                RuleErrorCode.CHECK_DIGIT_POSITION,
                "pattern",
                self.pattern,
                "the last digit is the check digit: only '.' may stand there",
            )

    def _check_value(self) -> None:
        exponent = _UNIT_EXPONENT.get(self.kind)
        if exponent is None and self.has_value:
            raise RuleError(
                RuleErrorCode.VALUE_NOT_ALLOWED,
                "pattern",
                self.pattern,
                f"a {self.kind.value} code embeds no value",
            )
        if exponent is not None and not self.has_value:
            raise RuleError(
                RuleErrorCode.VALUE_REQUIRED,
                "pattern",
                self.pattern,
                f"a {self.kind.value} code needs an embedded value {{N…D…}}",
            )
        if exponent is not None and self._decimals > exponent:
            raise RuleError(
                RuleErrorCode.TOO_MANY_DECIMALS,
                "pattern",
                self.pattern,
                f"at most {exponent} decimals for {self.kind.value}",
            )

    @property
    def code_length(self) -> int | None:
        """The length of the codes this rule reads (None: any length the pattern fits in)."""
        return self.encoding.length if self.encoding is not Encoding.NONE else self.length

    @property
    def has_value(self) -> bool:
        return self._int_digits + self._decimals > 0

    @property
    def value_slice(self) -> slice:
        """Where the embedded value sits in a code (empty slice when there is none)."""
        return slice(self._value_start, self._value_start + self._int_digits + self._decimals)

    @property
    def decimals(self) -> int:
        return self._decimals

    @property
    def checks_digit(self) -> bool:
        return self.encoding is not Encoding.NONE and self.verify_check_digit

    def accepts_length(self, size: int) -> bool:
        expected = self.code_length
        return size == expected if expected is not None else size >= max(1, len(self._template))

    def matches(self, code: str) -> bool:
        """Length and literal digits fit (the check digit is not looked at here)."""
        if not self.accepts_length(len(code)):
            return False
        return all(code[index] == digit for index, digit in self._literals)

    @property
    def _literals(self) -> tuple[tuple[int, str], ...]:
        """(position, digit) of the template's fixed digits, computed once per rule."""
        literals = self.__dict__.get("_literal_cache")
        if literals is None:
            literals = tuple(
                (index, want)
                for index, want in enumerate(self._template)
                if want not in (".", _VALUE)
            )
            object.__setattr__(self, "_literal_cache", literals)
        return literals


def _enum(enum: type[_E], name: str, value: object) -> _E:
    if isinstance(value, str):
        try:
            return enum(value)
        except ValueError:
            pass
    known = ", ".join(member.value for member in enum)
    raise RuleError(RuleErrorCode.UNKNOWN_VALUE, name, value, f"expected one of {known}")


def _compile_pattern(pattern: object) -> tuple[str, int, int, int]:
    """(template with the value as V's, value start, integer digits, decimals), or RuleError."""
    if not isinstance(pattern, str):
        raise RuleError(RuleErrorCode.WRONG_TYPE, "pattern", pattern, "not a string")
    match = _PATTERN.fullmatch(pattern)
    if match is None or match["int"] == match["dec"] == "":
        raise RuleError(
            RuleErrorCode.BAD_PATTERN,
            "pattern",
            pattern,
            "use digits, '.' for any digit and at most one {N…D…} (e.g. 21.....{NNDDD})",
        )
    int_digits, decimals = len(match["int"] or ""), len(match["dec"] or "")
    template = match["head"] + _VALUE * (int_digits + decimals) + match["tail"]
    return template, len(match["head"]), int_digits, decimals


@dataclass(frozen=True)
class ScanResult:
    """A scan read by a rule. ``lookup_code`` is what to search products/cards by; ``value``
    (Decimal: kg, currency unit, percent) and ``amount`` (int: grams, cents, hundredths of a
    percent) are set only for kinds that embed a value."""

    code: str
    kind: ScanKind
    rule: NomenclatureRule
    lookup_code: str
    value: Decimal | None = None
    amount: int | None = None

    @property
    def grams(self) -> int | None:
        return self.amount if self.kind is ScanKind.WEIGHT else None

    @property
    def cents(self) -> int | None:
        return self.amount if self.kind is ScanKind.PRICE else None

    @property
    def lookup_codes(self) -> tuple[str, ...]:
        """The lookup code and its UPC-A/EAN-13 twin for products, since scanners send UPC-A
        either as 12 digits or as 13 with a leading 0 (Odoo's "always" conversion)."""
        code = self.lookup_code
        if self.kind is ScanKind.PRODUCT:
            if self.rule.encoding is Encoding.UPCA:
                return (code, "0" + code)
            if self.rule.encoding is Encoding.EAN13 and code.startswith("0"):
                return (code, code[1:])
        return (code,)


def parse_scan(code: str, rules: Iterable[NomenclatureRule]) -> ScanResult:
    """Read a raw scan with the coop's rules (first matching rule by priority wins).

    The scan is normalised first (AZERTY, terminators). A rule whose pattern fits but whose check
    digit fails is skipped; if no later rule reads the code, the error is BAD_CHECK_DIGIT.
    """
    cleaned = normalise_scan(code)
    if not cleaned:
        raise ScanError(ScanErrorCode.EMPTY, code)
    if not DIGITS.fullmatch(cleaned):
        raise ScanError(ScanErrorCode.NOT_DIGITS, code, cleaned=cleaned)
    length_known = False
    bad_check = False
    for rule in sorted(rules, key=lambda rule: rule.priority):
        if not rule.accepts_length(len(cleaned)):
            continue
        length_known = True
        if not rule.matches(cleaned):
            continue
        if rule.checks_digit and not valid_gtin(cleaned):
            bad_check = True
            continue
        return _read(rule, cleaned)
    if bad_check:
        raise ScanError(
            ScanErrorCode.BAD_CHECK_DIGIT,
            code,
            cleaned=cleaned,
            expected=check_digit(cleaned[:-1]),
        )
    if not length_known:
        raise ScanError(ScanErrorCode.BAD_LENGTH, code, cleaned=cleaned)
    raise ScanError(ScanErrorCode.NO_MATCH, code, cleaned=cleaned)


def _read(rule: NomenclatureRule, code: str) -> ScanResult:
    if not rule.has_value:
        return ScanResult(code=code, kind=rule.kind, rule=rule, lookup_code=code)
    where = rule.value_slice
    digits = code[where]
    exact = Decimal(f"{int(digits)}E-{rule.decimals}")  # built from a string: exact
    amount = int(digits) * 10 ** (_UNIT_EXPONENT[rule.kind] - rule.decimals)
    zeroed = code[: where.start] + "0" * len(digits) + code[where.stop :]
    if rule.encoding is not Encoding.NONE:
        if rule.lookup is LookupMode.ZERO_FILL:
            zeroed = zeroed[:-1] + "0"
        else:
            zeroed = with_check_digit(zeroed[:-1])
    return ScanResult(
        code=code, kind=rule.kind, rule=rule, lookup_code=zeroed, value=exact, amount=amount
    )


def embed_value(rule: NomenclatureRule, base: str, amount: int) -> str:
    """The code a scale would print: ``base`` (a code the rule reads, e.g. the product's lookup
    code) with ``amount`` (grams, cents...) written into the value and the check digit
    recomputed. ValueError if the amount is negative, too large or finer than the rule reads."""
    if not rule.has_value:
        raise ValueError(f"rule {rule.name!r} embeds no value")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValueError(f"amount must be a non-negative int, got {amount!r}")
    if not DIGITS.fullmatch(base) or not rule.matches(base):
        raise ValueError(f"{base!r} is not a code rule {rule.name!r} reads")
    step = 10 ** (_UNIT_EXPONENT[rule.kind] - rule.decimals)
    where = rule.value_slice
    width = where.stop - where.start
    if amount % step or amount // step >= 10**width:
        raise ValueError(f"{amount} does not fit in {width} digits in steps of {step}")
    code = base[: where.start] + f"{amount // step:0{width}d}" + base[where.stop :]
    return with_check_digit(code[:-1]) if rule.encoding is not Encoding.NONE else code


# --- the default nomenclature and editable rules --------------------------------------------


def default_rules(card_prefix: str = "042") -> tuple[NomenclatureRule, ...]:
    """A sensible nomenclature for a French coop, Odoo-compatible so coops coming from Odoo keep
    their labels and cards. GS1 keeps prefixes 20-29 (and 040-049) for in-store use:

    - 10 member cards: EAN-13 starting with ``card_prefix`` (042, Odoo's customer prefix);
    - 20 discount: EAN-13 ``22{NN}``, whole percent (Odoo's discount rule);
    - 30 weight: EAN-13 ``21.....{NNDDD}``, kg with 3 decimals → grams (scale labels);
    - 40 price: EAN-13 ``23.....{NNNDD}``, euros with 2 decimals → cents;
    - 50/51 internal: the coop's own EAN-13 starting with 20 and EAN-8 starting with 2;
    - 90/91/92 products: any other EAN-13, EAN-8, UPC-A, looked up as scanned.

    Other in-store prefixes (24-29) fall through to the product rules and are looked up as is.
    """
    weight, price, product, internal = (
        ScanKind.WEIGHT,
        ScanKind.PRICE,
        ScanKind.PRODUCT,
        ScanKind.INTERNAL,
    )
    return (
        NomenclatureRule("Member cards", ScanKind.MEMBER_CARD, 10, card_prefix),
        NomenclatureRule("Discounts", ScanKind.DISCOUNT, 20, "22{NN}"),
        NomenclatureRule("Weighed goods", weight, 30, "21.....{NNDDD}"),
        NomenclatureRule("Priced goods", price, 40, "23.....{NNNDD}"),
        NomenclatureRule("Internal EAN-13", internal, 50, "20"),
        NomenclatureRule("Internal EAN-8", internal, 51, "2", Encoding.EAN8),
        NomenclatureRule("EAN-13 products", product, 90, ""),
        NomenclatureRule("EAN-8 products", product, 91, "", Encoding.EAN8),
        NomenclatureRule("UPC-A products", product, 92, "", Encoding.UPCA),
    )


DEFAULT_RULES: tuple[NomenclatureRule, ...] = default_rules()

RULE_FIELDS = (
    "name",
    "kind",
    "priority",
    "pattern",
    "encoding",
    "lookup",
    "verify_check_digit",
    "length",
)
"""The keys of a stored rule; the first four are required."""

_REQUIRED_FIELDS = RULE_FIELDS[:4]


def rule_from_mapping(data: Mapping[str, object]) -> NomenclatureRule:
    """A rule from a table row or a config file, or RuleError naming the bad field.

    Unknown keys are refused (a typo must not silently drop a setting). Strings are stripped;
    ``priority`` and ``length`` may be integer strings (CSV, forms).
    """
    for key in data:
        if key not in RULE_FIELDS:
            raise RuleError(
                RuleErrorCode.UNKNOWN_FIELD, str(key), data[key], f"known: {', '.join(RULE_FIELDS)}"
            )
    for key in _REQUIRED_FIELDS:
        if key not in data or data[key] is None:
            raise RuleError(RuleErrorCode.MISSING_FIELD, key, None, "required")
    values = {key: _strip(value) for key, value in data.items()}
    for key in ("priority", "length"):
        values[key] = _integer(key, values.get(key))
    return NomenclatureRule(**values)  # type: ignore[arg-type]


def rule_to_mapping(rule: NomenclatureRule) -> dict[str, object]:
    """Plain values (strings, ints, bool, None) to store a rule; rule_from_mapping reads it back."""
    return {
        "name": rule.name,
        "kind": rule.kind.value,
        "priority": rule.priority,
        "pattern": rule.pattern,
        "encoding": rule.encoding.value,
        "lookup": rule.lookup.value,
        "verify_check_digit": rule.verify_check_digit,
        "length": rule.length,
    }


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _integer(key: str, value: object) -> object:
    if isinstance(value, str):
        if value == "" and key == "length":
            return None
        if not re.fullmatch(r"-?[0-9]+", value):
            raise RuleError(RuleErrorCode.WRONG_TYPE, key, value, "not an integer")
        return int(value)
    return value
