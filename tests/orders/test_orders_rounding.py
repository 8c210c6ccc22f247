"""Case rounding: Foodsoft's rule (reference/orders.md §2.1), the other modes (§2.11).

Expected values come from the reference tables or are worked out by hand in the comments.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coop.orders.rules import (
    CaseSummary,
    Rounding,
    foodsoft_cases,
    missing_units,
    summarize,
)

# §2.1 table, U = 4: (Q, T, cases). The first seven rows are Foodsoft's own source comment.
FOODSOFT_TABLE = [
    (0, 2, 0),  # nothing firm
    (0, 5, 0),  # tolerance alone never triggers a case
    (2, 2, 1),  # r = 2, 2 + 2 >= 4
    (4, 2, 1),  # exactly one case, r = 0
    (4, 4, 1),  # r = 0: no extra case even with tolerance
    (5, 3, 2),  # r = 1, 1 + 3 >= 4
    (5, 4, 2),
    (6, 1, 1),  # r = 2, 2 + 1 < 4: 2 items dropped
    (7, 2, 2),  # r = 3, 3 + 2 >= 4
]


@pytest.mark.parametrize(("quantity", "tolerance", "cases"), FOODSOFT_TABLE)
def test_foodsoft_table_section_2_1(quantity: int, tolerance: int, cases: int) -> None:
    # reference/orders.md §2.1 worked examples
    assert foodsoft_cases(quantity, tolerance, 4) == cases
    summary = summarize(quantity, tolerance, 4)
    assert summary.mode is Rounding.FOODSOFT
    assert summary.cases == cases
    assert summary.units_ordered == 4 * cases


# §2.1 "missing units" = U − ((Q mod U) + T), floored at 0, and 0 when it equals U.
# Worked by hand for the rows of the table, U = 4.
@pytest.mark.parametrize(
    ("quantity", "tolerance", "missing"),
    [
        (0, 2, 2),  # 4 − (0 + 2)
        (0, 5, 0),  # 4 − 5 < 0
        (2, 2, 0),  # 4 − 4
        (4, 2, 2),  # 4 − (0 + 2)
        (4, 4, 0),
        (5, 3, 0),  # 4 − (1 + 3)
        (6, 1, 1),  # 4 − (2 + 1)
        (7, 2, 0),  # 4 − (3 + 2) < 0
        (4, 0, 0),  # 4 − 0 = U: an empty case shows as 0
        (0, 0, 0),
    ],
)
def test_missing_units_section_2_1(quantity: int, tolerance: int, missing: int) -> None:
    assert missing_units(quantity, tolerance, 4) == missing
    assert summarize(quantity, tolerance, 4).missing_units == missing


def test_design_note_example_section_2_2() -> None:
    # §2.2 German design note: U = 5, Q = 6, T = 1 → 1 case, X = 5; one firm unit not served
    summary = summarize(6, 1, 5)
    assert (summary.cases, summary.units_ordered) == (1, 5)
    assert summary.shortfall == 1
    assert summary.surplus == 0
    assert summary.missing_units == 3  # 5 − (1 + 1)


def test_project_test_example_section_2_2() -> None:
    # §2.2 Foodsoft test: U = 3, Q = 5, T = 5 → 1 full case, r = 2, 2 + 5 >= 3 → 2 cases, X = 6
    summary = summarize(5, 5, 3)
    assert (summary.cases, summary.units_ordered) == (2, 6)
    assert summary.surplus == 1
    assert summary.tolerance_used == 1
    assert summary.to_stock == 0


def test_redistribution_last_row_ordered_two_cases_section_2_3() -> None:
    # §2.3 last row: orders (3,0) (2,0) (2,0), U = 3 → "ordered: 2 cases = 6"
    summary = summarize(7, 0, 3)
    assert (summary.cases, summary.units_ordered, summary.shortfall) == (2, 6, 1)


# §2.1 rules 1 and 2 (minimum order quantity M). The reference has no numbers; these are by hand.
def test_minimum_not_reached_orders_nothing_section_2_1() -> None:
    # rule 1: M = 10, Q + T = 9 < 10 → 0; missing = M − Q − T = 1
    summary = summarize(3, 6, 1, minimum=10)
    assert summary.cases == 0
    assert summary.missing_units == 1
    assert summary.shortfall == 3


def test_minimum_reached_thanks_to_tolerance_section_2_1() -> None:
    # rule 2: Q = 3 < M = 10 <= Q + T = 10 → exactly M; 7 units come from tolerance
    summary = summarize(3, 7, 1, minimum=10)
    assert (summary.cases, summary.units_ordered) == (10, 10)
    assert summary.tolerance_used == 7
    assert summary.missing_units == 0


def test_minimum_with_tolerance_alone_orders_nothing_section_2_1() -> None:
    # rule 2 needs Q > 0: Q = 0, T = 12 >= M = 10 → still nothing (no case on tolerance alone);
    # missing units falls back to the case formula: 1 − (0 + 12) < 0 → 0
    assert foodsoft_cases(0, 12, 1, minimum=10) == 0
    assert missing_units(0, 12, 1, minimum=10) == 0


def test_minimum_above_reached_uses_normal_rounding_section_2_1() -> None:
    # Q = 12 >= M = 10 → rule 4 with U = 1: 12
    assert foodsoft_cases(12, 0, 1, minimum=10) == 12


def test_minimum_in_cases_of_five() -> None:
    # U = 5, M = 10 (two cases). Q = 3, T = 7 → rule 2 → 2 cases. Q = 6, T = 2 → 8 < 10 → 0,
    # missing 10 − 8 = 2. Q = 11, T = 0 → rule 4: 2 cases, r = 1 dropped.
    assert foodsoft_cases(3, 7, 5, minimum=10) == 2
    assert foodsoft_cases(6, 2, 5, minimum=10) == 0
    assert missing_units(6, 2, 5, minimum=10) == 2
    assert foodsoft_cases(11, 0, 5, minimum=10) == 2


def test_minimum_must_be_whole_cases() -> None:
    with pytest.raises(ValueError, match="whole number of cases"):
        summarize(3, 0, 4, minimum=6)


def test_weighed_article_without_case_section_2_1() -> None:
    # §2.1 rule 3: a kg/L supplier unit orders exactly Q, tolerance ignored. In grams, U = 1.
    summary = summarize(3050, 500, 1)
    assert summary.units_ordered == 3050
    assert summary.tolerance_used == 0
    assert summary.missing_units == 0


def test_ofn_group_buy_example_section_2_6() -> None:
    # §2.6: unit size 10 lb; orders 1, 3, 4 with max 2, 5, 4 → T = 1 + 2 + 0 = 3.
    # Units required = ceil(8 / 10) = 1, unallocated 2, max excess 3 (= T).
    summary = summarize(8, 3, 10, mode=Rounding.UP)
    assert (summary.cases, summary.units_ordered) == (1, 10)
    assert summary.surplus == 2
    assert summary.tolerance_used == 2  # "the coordinator can fill the 2 lb from the excess"
    assert summary.to_stock == 0


def test_dfc_backorder_example_section_2_6() -> None:
    # §2.6: 15 cans needed, packs of 12 → 2 packs, 24 cans; 9 cans go to stock
    summary = summarize(15, 0, 12, mode=Rounding.UP)
    assert (summary.cases, summary.units_ordered, summary.to_stock) == (2, 24, 9)


def test_copanier_missing_units_section_2_7() -> None:
    # §2.7: missing = packing − (wanted mod packing), 0 if the remainder is 0; packing 6
    assert missing_units(10, 0, 6) == 2
    assert missing_units(12, 0, 6) == 0


def test_cagette_wholesale_section_2_8() -> None:
    # §2.8: retail 1 kg, wholesale 25 kg, total 60 kg → 2 whole units, missing 15; the
    # coordinator must make the totals fit → manual mode needs a decision
    summary = summarize(60, 0, 25, mode=Rounding.MANUAL)
    assert summary.cases == 2
    assert summary.missing_units == 15
    assert summary.needs_decision


# §2.11 modes on one article, Q = 6, T = 1, U = 4 (by hand):
# foodsoft: r = 2, 2 + 1 < 4 → 1 case; up: ceil(6/4) = 2; down: floor = 1.
def test_modes_section_2_11() -> None:
    foodsoft = summarize(6, 1, 4, mode=Rounding.FOODSOFT)
    assert (foodsoft.cases, foodsoft.shortfall, foodsoft.surplus) == (1, 2, 0)
    up = summarize(6, 1, 4, mode=Rounding.UP)
    assert (up.cases, up.units_ordered, up.surplus) == (2, 8, 2)
    assert (up.tolerance_used, up.to_stock) == (1, 1)
    down = summarize(6, 1, 4, mode=Rounding.DOWN)
    assert (down.cases, down.shortfall) == (1, 2)
    manual = summarize(6, 1, 4, mode=Rounding.MANUAL)
    assert manual.needs_decision
    assert manual.cases == 1
    decided = summarize(6, 1, 4, mode=Rounding.MANUAL, manual_cases=2)
    assert not decided.needs_decision
    assert (decided.cases, decided.to_stock) == (2, 1)


def test_manual_mode_fits_without_decision() -> None:
    # 12 units in cases of 6 fit exactly; nothing to decide
    summary = summarize(12, 0, 6, mode="manual")
    assert summary == CaseSummary(
        mode=Rounding.MANUAL,
        quantity=12,
        tolerance=0,
        case_size=6,
        minimum=None,
        cases=2,
        units_ordered=12,
        missing_units=0,
        surplus=0,
        shortfall=0,
        tolerance_used=0,
        to_stock=0,
        needs_decision=False,
    )


def test_up_and_down_with_minimum() -> None:
    # U = 1, M = 10. up: Q = 3 → raised to 10. down: Q = 9 < 10 → 0; Q = 12 → 12.
    assert summarize(3, 0, 1, mode=Rounding.UP, minimum=10).units_ordered == 10
    assert summarize(0, 5, 1, mode=Rounding.UP, minimum=10).units_ordered == 0
    assert summarize(9, 0, 1, mode=Rounding.DOWN, minimum=10).units_ordered == 0
    assert summarize(12, 0, 1, mode=Rounding.DOWN, minimum=10).units_ordered == 12


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(TypeError):
        summarize(1.5, 0, 4)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        summarize(-1, 0, 4)
    with pytest.raises(ValueError):
        summarize(1, 0, 0)
    with pytest.raises(ValueError, match="manual"):
        summarize(1, 0, 4, manual_cases=1)


counts = st.integers(min_value=0, max_value=500)
sizes = st.integers(min_value=1, max_value=40)


@given(counts, counts, sizes)
def test_foodsoft_matches_closed_form(quantity: int, tolerance: int, size: int) -> None:
    # Independent formulation: the extra case exists only when Q + T reaches it, and never more
    # than Q's own ceiling → cases = min(floor((Q + T) / U), ceil(Q / U)).
    expected = min((quantity + tolerance) // size, -(-quantity // size))
    assert foodsoft_cases(quantity, tolerance, size) == expected


@given(counts, counts, sizes)
def test_foodsoft_never_orders_for_stock(quantity: int, tolerance: int, size: int) -> None:
    summary = summarize(quantity, tolerance, size)
    assert summary.to_stock == 0  # tolerance always absorbs the extra units
    assert summary.shortfall < size  # only the last, unfilled case is dropped
    if summary.units_ordered > quantity:  # an extra case holds at least one firm unit
        assert summary.units_ordered - size < quantity


@given(counts, counts, sizes)
def test_up_down_bracket_foodsoft(quantity: int, tolerance: int, size: int) -> None:
    up = summarize(quantity, tolerance, size, mode=Rounding.UP)
    down = summarize(quantity, tolerance, size, mode=Rounding.DOWN)
    foodsoft = summarize(quantity, tolerance, size)
    assert down.cases <= foodsoft.cases <= up.cases
    assert 0 <= up.units_ordered - quantity < size
    assert 0 <= quantity - down.units_ordered < size
    assert up.surplus - up.tolerance_used == up.to_stock


@given(counts, counts, sizes)
def test_missing_units_completes_the_case(quantity: int, tolerance: int, size: int) -> None:
    missing = missing_units(quantity, tolerance, size)
    assert 0 <= missing < size
    if missing:
        assert (quantity % size + tolerance + missing) % size == 0
        # adding the missing units as tolerance orders the case
        if quantity % size:
            assert foodsoft_cases(quantity, tolerance + missing, size) == -(-quantity // size)


@given(counts, counts, st.integers(min_value=1, max_value=5), st.integers(min_value=1, max_value=8))
def test_minimum_is_respected(quantity: int, tolerance: int, size: int, min_cases: int) -> None:
    minimum = size * min_cases
    for mode in Rounding:
        units = summarize(quantity, tolerance, size, mode=mode, minimum=minimum).units_ordered
        assert units == 0 or units >= minimum
