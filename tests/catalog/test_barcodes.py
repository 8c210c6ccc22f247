"""Barcode rules: reference examples (orders.md §2.12), AZERTY scans, errors and properties.

Expected codes and check digits were worked out by hand with the GS1 rule (weights 1, 3, 1, 3…
from the left over 12 digits) or come from the reference documents, never from the code.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coop.nomenclature import (
    DEFAULT_RULES,
    RULE_FIELDS,
    Encoding,
    NomenclatureRule,
    RuleError,
    RuleErrorCode,
    ScanKind,
    default_rules,
    embed_value,
    parse_scan,
    rule_from_mapping,
    rule_to_mapping,
)
from coop.scanning import (
    MAX_SCAN_LENGTH,
    ScanError,
    ScanErrorCode,
    check_digit,
    has_valid_check_digit,
    normalise_scan,
    validate_gtin,
    with_check_digit,
)

# Written out here, not imported: the table is the fact under test (aesthetics.md §1.5).
US_DIGITS_ON_AZERTY = dict(zip("1234567890", "&é\"'(-è_çà", strict=True))


def azerty(code: str) -> str:
    """What a US-configured scanner types on a French keyboard layout."""
    return "".join(US_DIGITS_ON_AZERTY[digit] for digit in code)


def gs1_check_digit(payload: str) -> str:
    """The reference formula, independent of the code under test (orders.md §2.12)."""
    weights = [1, 3] if len(payload) % 2 == 0 else [3, 1]
    total = sum(int(d) * weights[i % 2] for i, d in enumerate(payload))
    return str((10 - total % 10) % 10)


def scan_error(raw: str, rules=DEFAULT_RULES) -> ScanError:
    with pytest.raises(ScanError) as caught:
        parse_scan(raw, rules)
    return caught.value


# --- reference examples -----------------------------------------------------------------------


def test_odoo_weight_example():
    result = parse_scan("2112345015002", DEFAULT_RULES)
    assert result.kind is ScanKind.WEIGHT
    assert result.lookup_code == "2112345000008"
    assert result.grams == 1500
    assert result.amount == 1500 and type(result.amount) is int
    assert result.value == Decimal("1.500") and isinstance(result.value, Decimal)
    assert result.cents is None


def test_odoo_price_example():
    result = parse_scan("2305000123451", DEFAULT_RULES)
    assert result.kind is ScanKind.PRICE
    assert result.lookup_code == "2305000000004"
    assert result.cents == 12345 and type(result.cents) is int
    assert result.value == Decimal("123.45")
    assert result.grams is None


FOODCOOPSHOP_ROWS = [
    {
        "name": "FoodCoopShop weight 27",
        "kind": "weight",
        "priority": 1,
        "pattern": "27.....{NNDDD}",
        "lookup": "zero_fill",
        "verify_check_digit": False,
    },
    {
        "name": "FoodCoopShop weight 21",
        "kind": "weight",
        "priority": 2,
        "pattern": "21.....{NNDDD}",
        "lookup": "zero_fill",
        "verify_check_digit": False,
    },
    {"name": "EAN-13", "kind": "product", "priority": 9, "pattern": ""},
]


def foodcoopshop_rules() -> list[NomenclatureRule]:
    return [rule_from_mapping(row) for row in FOODCOOPSHOP_ROWS]


def test_foodcoopshop_rule_set_reproduces_its_example():
    result = parse_scan("2700012007506", foodcoopshop_rules())
    assert result.kind is ScanKind.WEIGHT
    assert result.lookup_code == "2700012000000"
    assert result.grams == 750


def test_foodcoopshop_rule_set_ignores_the_check_digit_and_reads_21_too():
    assert parse_scan("2700012007509", foodcoopshop_rules()).lookup_code == "2700012000000"
    result = parse_scan("2112345015002", foodcoopshop_rules())
    assert (result.lookup_code, result.grams) == ("2112345000000", 1500)


def test_default_rules_read_prefix_27_as_a_plain_product():
    result = parse_scan("2700012007506", DEFAULT_RULES)
    assert result.kind is ScanKind.PRODUCT
    assert result.lookup_code == "2700012007506"
    assert result.amount is None


# --- the other default kinds --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "kind", "lookup"),
    [
        ("3017620422003", ScanKind.PRODUCT, "3017620422003"),
        ("96385074", ScanKind.PRODUCT, "96385074"),  # EAN-8
        ("036000291452", ScanKind.PRODUCT, "036000291452"),  # UPC-A
        ("0420000001232", ScanKind.MEMBER_CARD, "0420000001232"),
        ("2000000000015", ScanKind.INTERNAL, "2000000000015"),
        ("20000011", ScanKind.INTERNAL, "20000011"),  # EAN-8 with in-store prefix 2
    ],
)
def test_default_kinds(code: str, kind: ScanKind, lookup: str):
    result = parse_scan(code, DEFAULT_RULES)
    assert (result.kind, result.lookup_code, result.amount) == (kind, lookup, None)


def test_discount_is_in_hundredths_of_a_percent():
    result = parse_scan("2215000000006", DEFAULT_RULES)
    assert result.kind is ScanKind.DISCOUNT
    assert result.value == Decimal(15)
    assert result.amount == 1500


def test_card_prefix_follows_the_coop_setting():
    rules = default_rules(card_prefix="24")
    # 24 + 10 digits of 123 → 240000000123, check digit by hand: 2+12+3+2+9 = 28 → 2
    assert parse_scan("2400000001232", rules).kind is ScanKind.MEMBER_CARD
    assert parse_scan("2400000001232", DEFAULT_RULES).kind is ScanKind.PRODUCT


def test_upc_a_and_its_ean_13_twin_are_both_looked_up():
    assert parse_scan("036000291452", DEFAULT_RULES).lookup_codes == (
        "036000291452",
        "0036000291452",
    )
    assert parse_scan("0036000291452", DEFAULT_RULES).lookup_codes == (
        "0036000291452",
        "036000291452",
    )
    assert parse_scan("3017620422003", DEFAULT_RULES).lookup_codes == ("3017620422003",)


def test_other_value_splits_stay_exact():
    rules = [
        NomenclatureRule("10 g steps", ScanKind.WEIGHT, 1, "21.....{NNNDD}"),
        NomenclatureRule("whole euros", ScanKind.PRICE, 2, "23......{NNNN}"),
    ]
    weighed = parse_scan("2112345012346", rules)
    assert (weighed.grams, weighed.value) == (12340, Decimal("12.34"))
    priced = parse_scan("2300000100426", rules)
    assert (priced.cents, priced.value) == (4200, Decimal(42))


# --- what scanners actually send -----------------------------------------------------------------


def test_azerty_helper_matches_the_reference_table():
    assert azerty("1234567890") == "&é\"'(-è_çà"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ('"à&è-éà\'ééàà"', "3017620422003"),
        ("é&&é\"'(à&(ààé", "2112345015002"),
        ("ç-\"_(àè'", "96385074"),
    ],
)
def test_azerty_shifted_scans_are_read(typed: str, code: str):
    assert normalise_scan(typed) == code
    assert parse_scan(typed + "\r\n", DEFAULT_RULES).code == code


def test_azerty_weight_scan_gives_the_same_reading():
    result = parse_scan("é&&é\"'(à&(ààé\n", DEFAULT_RULES)
    assert (result.lookup_code, result.grams) == ("2112345000008", 1500)


@pytest.mark.parametrize(
    "raw",
    [
        "3017620422003\r",
        "3017620422003\r\n",
        "3017620422003\t",
        "\x1d3017620422003\x04",
        "  3017 620422 003  ",
        "\ufeff3017620422003\u00a0",
        "\u202f3017620422003\u200b",
    ],
)
def test_terminators_spaces_and_control_characters_are_removed(raw: str):
    assert normalise_scan(raw) == "3017620422003"


def test_normalise_leaves_names_alone_for_the_desk_search():
    # Not digits after mapping: the desk falls back to a name search, so no error here.
    assert not normalise_scan("Hélène Dupont").isdigit()
    assert normalise_scan("") == ""
    assert normalise_scan("\r\n") == ""


@pytest.mark.parametrize("raw", ["", "\r\n", " \t "])
def test_empty_scans(raw: str):
    error = scan_error(raw)
    assert error.code is ScanErrorCode.EMPTY
    assert error.scan == raw


@pytest.mark.parametrize("raw", ["ABC123", "3017620422003x", "HA112", "30176.20422003", "٣٠١٧"])
def test_junk_is_not_digits(raw: str):
    error = scan_error(raw)
    assert error.code is ScanErrorCode.NOT_DIGITS
    assert error.scan == raw


def test_absurdly_long_input_is_refused_before_any_work():
    paste = "3017620422003" * 1000
    for call in (normalise_scan, lambda raw: parse_scan(raw, DEFAULT_RULES)):
        with pytest.raises(ScanError) as caught:
            call(paste)
        assert caught.value.code is ScanErrorCode.TOO_LONG
        assert len(caught.value.scan) == MAX_SCAN_LENGTH
    assert normalise_scan("1" * MAX_SCAN_LENGTH) == "1" * MAX_SCAN_LENGTH


@pytest.mark.parametrize("raw", ["1", "123456789", "30176204220033017620422003"])
def test_lengths_no_rule_reads(raw: str):
    error = scan_error(raw)
    assert error.code is ScanErrorCode.BAD_LENGTH
    assert error.cleaned == raw


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3017620422004", "3"),
        ("2112345015003", "2"),  # weight label with a misread digit
        ("2305000123450", "1"),
        ("0420000001236", "2"),  # member card
        ("96385075", "4"),  # EAN-8
        ("036000291453", "2"),  # UPC-A
    ],
)
def test_bad_check_digits(raw: str, expected: str):
    error = scan_error(raw)
    assert error.code is ScanErrorCode.BAD_CHECK_DIGIT
    assert error.expected == expected


def test_no_match_when_the_length_is_known_but_no_pattern_fits():
    cards_only = [NomenclatureRule("cards", ScanKind.MEMBER_CARD, 1, "042")]
    assert parse_scan("0420000001232", cards_only).kind is ScanKind.MEMBER_CARD
    assert scan_error("3017620422003", cards_only).code is ScanErrorCode.NO_MATCH


# --- priorities -----------------------------------------------------------------------------------


def test_lower_priority_number_wins_whatever_the_order_given():
    weight = NomenclatureRule("weight", ScanKind.WEIGHT, 5, "21.....{NNDDD}")
    product = NomenclatureRule("product", ScanKind.PRODUCT, 1, "")
    assert parse_scan("2112345015002", [weight, product]).kind is ScanKind.PRODUCT
    assert parse_scan("2112345015002", [product, weight]).kind is ScanKind.PRODUCT
    weight_first = NomenclatureRule("weight", ScanKind.WEIGHT, 0, "21.....{NNDDD}")
    assert parse_scan("2112345015002", [product, weight_first]).kind is ScanKind.WEIGHT


def test_a_bad_check_digit_falls_through_to_a_later_lenient_rule():
    strict = NomenclatureRule("strict", ScanKind.WEIGHT, 1, "21.....{NNDDD}")
    lenient = NomenclatureRule("lenient", ScanKind.PRODUCT, 2, "21", verify_check_digit=False)
    result = parse_scan("2112345015003", [strict, lenient])
    assert (result.rule.name, result.kind) == ("lenient", ScanKind.PRODUCT)


def test_check_digit_free_internal_codes():
    plu = rule_from_mapping(
        {
            "name": "PLU",
            "kind": "internal",
            "priority": "5",
            "pattern": "",
            "encoding": "none",
            "length": "4",
        }
    )
    assert plu.priority == 5 and plu.length == 4
    assert parse_scan("1234", [plu]).lookup_code == "1234"
    assert scan_error("12345", [plu]).code is ScanErrorCode.BAD_LENGTH


# --- check digit helpers ----------------------------------------------------------------------


def test_check_digit_helpers():
    assert check_digit("301762042200") == "3"
    assert check_digit("9638507") == "4"
    assert check_digit("03600029145") == "2"
    assert with_check_digit("042000000123") == "0420000001232"
    assert has_valid_check_digit("96385074")
    assert not has_valid_check_digit("96385075")
    assert not has_valid_check_digit(" 96385074")  # no cleaning in the predicate
    for bad in ("12345", "30176204220a", ""):
        with pytest.raises(ValueError):
            check_digit(bad)


@given(
    st.sampled_from([7, 11, 12]).flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n))
)
def test_check_digits_agree_with_python_stdnum(payload: str):
    """The kernel computes GS1 check digits itself (importing python-stdnum costs a sale's start
    5 ms); python-stdnum, a separate implementation, is the reference here."""
    from stdnum import ean

    expected = ean.calc_check_digit(payload)
    assert check_digit(payload) == expected
    assert has_valid_check_digit(payload + expected)
    wrong = str((int(expected) + 1) % 10)
    assert not has_valid_check_digit(payload + wrong) and not ean.is_valid(payload + wrong)


def test_validate_gtin_for_product_forms():
    assert validate_gtin(' "à&è-éà\'ééàà"\n') == "3017620422003"
    for raw, code in [
        ("", ScanErrorCode.EMPTY),
        ("12a", ScanErrorCode.NOT_DIGITS),
        ("12345", ScanErrorCode.BAD_LENGTH),
        ("3017620422004", ScanErrorCode.BAD_CHECK_DIGIT),
    ]:
        with pytest.raises(ScanError) as caught:
            validate_gtin(raw)
        assert caught.value.code is code


# --- editable rules -----------------------------------------------------------------------------


def test_default_rules_survive_a_round_trip_through_plain_mappings():
    rows = [rule_to_mapping(rule) for rule in DEFAULT_RULES]
    assert all(set(row) == set(RULE_FIELDS) for row in rows)
    assert tuple(rule_from_mapping(row) for row in rows) == DEFAULT_RULES


def rule_row(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "name": "weight",
        "kind": "weight",
        "priority": 10,
        "pattern": "21.....{NNDDD}",
    }
    row.update(changes)
    return {key: value for key, value in row.items() if value is not ...}


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"pattern": "21.....{DDNN}"}, RuleErrorCode.BAD_PATTERN, "pattern"),
        ({"pattern": "21.....{}"}, RuleErrorCode.BAD_PATTERN, "pattern"),
        ({"pattern": "21{NN}{DDD}"}, RuleErrorCode.BAD_PATTERN, "pattern"),
        ({"pattern": "21...x.{NNDDD}"}, RuleErrorCode.BAD_PATTERN, "pattern"),
        ({"pattern": "21.*"}, RuleErrorCode.BAD_PATTERN, "pattern"),
        ({"pattern": "21.....{NNDDD}.."}, RuleErrorCode.PATTERN_TOO_LONG, "pattern"),
        ({"pattern": "21......{NNDDD}"}, RuleErrorCode.CHECK_DIGIT_POSITION, "pattern"),
        ({"pattern": "21"}, RuleErrorCode.VALUE_REQUIRED, "pattern"),
        ({"pattern": "21.....{NDDDD}"}, RuleErrorCode.TOO_MANY_DECIMALS, "pattern"),
        (
            {"kind": "price", "pattern": "23.....{NNDDD}"},
            RuleErrorCode.TOO_MANY_DECIMALS,
            "pattern",
        ),
        ({"kind": "product"}, RuleErrorCode.VALUE_NOT_ALLOWED, "pattern"),
        ({"kind": "weighed"}, RuleErrorCode.UNKNOWN_VALUE, "kind"),
        ({"encoding": "ean14"}, RuleErrorCode.UNKNOWN_VALUE, "encoding"),
        ({"lookup": "magic"}, RuleErrorCode.UNKNOWN_VALUE, "lookup"),
        ({"pattern": ...}, RuleErrorCode.MISSING_FIELD, "pattern"),
        ({"name": None}, RuleErrorCode.MISSING_FIELD, "name"),
        ({"name": "  "}, RuleErrorCode.EMPTY_NAME, "name"),
        ({"priority": "first"}, RuleErrorCode.WRONG_TYPE, "priority"),
        ({"priority": True}, RuleErrorCode.WRONG_TYPE, "priority"),
        ({"verify_check_digit": "no"}, RuleErrorCode.WRONG_TYPE, "verify_check_digit"),
        ({"length": 12}, RuleErrorCode.BAD_LENGTH, "length"),
        ({"paterns": "21"}, RuleErrorCode.UNKNOWN_FIELD, "paterns"),
    ],
)
def test_bad_rules_are_refused_with_the_field_named(changes, code, field):
    with pytest.raises(RuleError) as caught:
        rule_from_mapping(rule_row(**changes))
    assert (caught.value.code, caught.value.field) == (code, field)


def test_rule_mapping_tolerates_spaces_and_numeric_strings():
    rule = rule_from_mapping(rule_row(pattern=" 26.....{NNDDD} ", kind=" weight", priority=" 3 "))
    assert (rule.pattern, rule.priority, rule.kind) == ("26.....{NNDDD}", 3, ScanKind.WEIGHT)
    assert rule.encoding is Encoding.EAN13


# --- embedding and properties ---------------------------------------------------------------

WEIGHT_RULE = next(rule for rule in DEFAULT_RULES if rule.kind is ScanKind.WEIGHT)


def test_embed_value_builds_the_reference_label():
    assert embed_value(WEIGHT_RULE, "2112345000008", 1500) == "2112345015002"


@pytest.mark.parametrize("grams", [-1, 100_000, 1.5, True])
def test_embed_value_refuses_what_does_not_fit(grams):
    with pytest.raises(ValueError):
        embed_value(WEIGHT_RULE, "2112345000008", grams)


def test_embed_value_refuses_finer_steps_than_the_label_carries():
    coarse = NomenclatureRule("10 g", ScanKind.WEIGHT, 1, "21.....{NNNDD}")
    assert embed_value(coarse, "2112345000008", 1230)[7:12] == "00123"
    with pytest.raises(ValueError):
        embed_value(coarse, "2112345000008", 1235)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_any_twelve_digits_with_their_check_digit_validate(payload: str):
    assert check_digit(payload) == gs1_check_digit(payload)
    code = with_check_digit(payload)
    assert has_valid_check_digit(code)
    for wrong in "0123456789":
        if wrong != code[-1]:
            assert not has_valid_check_digit(payload + wrong)


@given(st.text(alphabet="0123456789", min_size=7, max_size=7))
def test_ean8_check_digits_follow_the_reference_formula(payload: str):
    assert check_digit(payload) == gs1_check_digit(payload)


@given(
    item=st.text(alphabet="0123456789", min_size=5, max_size=5),
    grams=st.integers(min_value=0, max_value=99_999),
    typed_on_azerty=st.booleans(),
)
def test_embedding_then_parsing_a_weight_round_trips(item: str, grams: int, typed_on_azerty: bool):
    base = "21" + item + "00000"
    base += gs1_check_digit(base)
    label = embed_value(WEIGHT_RULE, base, grams)
    assert label[7:12] == f"{grams:05d}"
    scanned = azerty(label) + "\r\n" if typed_on_azerty else label
    result = parse_scan(scanned, DEFAULT_RULES)
    assert (result.kind, result.lookup_code, result.grams) == (ScanKind.WEIGHT, base, grams)
    assert result.value == Decimal(grams) / 1000
