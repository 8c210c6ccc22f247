"""The reference's worked vectors (reference/amap.md §3), one test per rule; split properties."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coop.amap import rules
from coop.amap.rules import AbsencePolicy, BasketStatus, Recurrence, Refusal, SplitStrategy

E = 100  # cents in a euro


def euros(*values: float) -> list[int]:
    return [round(v * E) for v in values]


def test_R1_weekly_end_inclusive():
    assert rules.generate_dates(Recurrence.WEEKLY, date(2024, 1, 2), date(2024, 1, 30)) == [
        date(2024, 1, 2),
        date(2024, 1, 9),
        date(2024, 1, 16),
        date(2024, 1, 23),
        date(2024, 1, 30),
    ]


def test_R1_every_two_weeks_from_an_anchor_before_the_start():
    got = rules.generate_dates(
        Recurrence.EVERY_N_WEEKS,
        date(2026, 4, 1),
        date(2026, 4, 30),
        weeks=2,
        anchor=date(2026, 3, 20),  # a Friday: 20/03 + 14 = 03/04, 17/04
    )
    assert got == [date(2026, 4, 3), date(2026, 4, 17)]


def test_R1_skipped_dates_are_left_out():
    got = rules.generate_dates(
        Recurrence.WEEKLY,
        date(2026, 8, 1),
        date(2026, 8, 31),
        anchor=date(2026, 8, 1),
        skip=[date(2026, 8, 15)],
    )
    assert date(2026, 8, 15) not in got
    assert got == [date(2026, 8, 1), date(2026, 8, 8), date(2026, 8, 22), date(2026, 8, 29)]


def test_R2_monthly_fifth_weekday_falls_back_to_the_last():
    got = rules.generate_dates(Recurrence.MONTHLY, date(2024, 1, 30), date(2024, 4, 30))
    assert got == [date(2024, 1, 30), date(2024, 2, 27), date(2024, 3, 26), date(2024, 4, 30)]


def test_R2_monthly_keeps_the_ordinal_weekday():
    # First Tuesday: 2024-01-02 → first Tuesdays, not the R2' "+28 days" drift.
    got = rules.generate_dates(Recurrence.MONTHLY, date(2024, 1, 2), date(2024, 5, 31))
    assert got == [
        date(2024, 1, 2),
        date(2024, 2, 6),
        date(2024, 3, 5),
        date(2024, 4, 2),
        date(2024, 5, 7),
    ]


def test_R2_dates_are_calendar_dates_across_daylight_saving():
    got = rules.generate_dates(Recurrence.WEEKLY, date(2026, 3, 24), date(2026, 4, 7))
    assert got == [date(2026, 3, 24), date(2026, 3, 31), date(2026, 4, 7)]


def test_explicit_list_is_sorted_and_deduplicated():
    days = [date(2026, 5, 9), date(2026, 5, 2), date(2026, 5, 9)]
    got = rules.generate_dates(Recurrence.LIST, date(2026, 5, 1), date(2026, 5, 31), dates=days)
    assert got == [date(2026, 5, 2), date(2026, 5, 9)]


def test_R5_dates_outside_the_season():
    days = [date(2026, 3, 31), date(2026, 4, 1), date(2026, 11, 1)]
    assert rules.outside_season(days, date(2026, 4, 1), date(2026, 10, 31)) == [
        date(2026, 3, 31),
        date(2026, 11, 1),
    ]


def test_R7_line_amount_with_factor_rounds_half_cent_up():
    assert rules.line_amount(1550, 1) == 1550
    assert rules.line_amount(1550, 2, 200) == 6200
    assert rules.line_amount(1555, 1, 50) == 778  # 7.775 → 7.78


def test_R9_prorated_minimum():
    assert rules.prorated_minimum(10000, 15, 20) == 7500
    assert rules.prorated_minimum(10000, 7, 30) == 2333


def test_R10_alternation_odd_primary_even_second():
    days = [date(2026, 4, d) for d in (7, 14, 21, 28)]
    assert rules.alternate_collectors(days, [1, 2]) == {
        days[0]: 1,
        days[1]: 2,
        days[2]: 1,
        days[3]: 2,
    }


def test_R10_invert_swaps_the_turns():
    days = [date(2026, 4, d) for d in (7, 14, 21)]
    assert list(rules.alternate_collectors(days, [1, 2], invert=True).values()) == [2, 1, 2]


def test_R10_counted_from_the_contract_start_for_a_late_joiner():
    days = [date(2026, 4, d) for d in (7, 14, 21, 28)]
    got = rules.alternate_collectors(days, [1, 2], only=days[2:])
    assert got == {days[2]: 1, days[3]: 2}


@pytest.mark.parametrize(
    ("total", "count", "expected"),
    [
        (100.00, 3, (33, 33, 34)),
        (105.00, 2, (52.50, 52.50)),
        (30.00, 4, (7.50,) * 4),
        (31.00, 4, (7, 7, 7, 10)),
        (128.50, 10, (12,) * 9 + (20.50,)),
        (420.00, 6, (70,) * 6),
    ],
)
def test_R11_amapress_default(total, count, expected):
    assert rules.split_amapress(round(total * E), count) == euros(*expected)


def test_R12_custom_percentages():
    assert rules.split_percentages(9999, [50, 25, 25], 3) == euros(49, 24, 26.99)


def test_R12_missing_percentages_mean_100_over_n():
    assert rules.split_percentages(10000, None, 3) == euros(33, 33, 34)


def test_R12_percentages_must_add_up_to_100():
    with pytest.raises(ValueError):
        rules.split_percentages(10000, [50, 20, 20], 3)


def test_R12_parse_percentages_per_cheque_count():
    assert rules.parse_percentages("3:50,25,25; 2:60,40") == {3: [50, 25, 25], 2: [60, 40]}
    with pytest.raises(ValueError):
        rules.parse_percentages("3:50,25")


def test_R13_monthly_one_cheque_per_month():
    deliveries = [
        (date(2026, 4, 7), 1500),
        (date(2026, 4, 14), 3000),  # a double basket
        (date(2026, 5, 5), 1500),
        (date(2026, 6, 2), 1500),
    ]
    assert [a for _m, a in rules.split_monthly(deliveries, 3)] == [4500, 1500, 1500]
    assert rules.split_monthly(deliveries, 1) == [(2026 * 12 + 3, 7500)]


def test_R13_cheque_dated_at_the_first_cashing_date_of_its_month_else_the_first():
    cashing = [date(2026, 4, 10), date(2026, 4, 25), date(2026, 6, 5)]
    assert rules.month_date(cashing, 2026 * 12 + 3) == date(2026, 4, 10)
    assert rules.month_date(cashing, 2026 * 12 + 4) == date(2026, 4, 10)  # none in May
    assert rules.month_date(cashing, 2026 * 12 + 5) == date(2026, 6, 5)


def test_R14_fewest_cheques_first_ties_earliest_then_sorted():
    d1, d2, d3, d4 = (date(2026, m, 5) for m in (4, 5, 6, 7))
    counts = {d1: 2, d2: 0, d3: 1, d4: 0}
    assert rules.pick_cashing_dates(counts, 2) == [d2, d4]
    assert rules.pick_cashing_dates(counts, 3) == [d2, d3, d4]


def test_R14_spreads_over_many_members():
    days = [date(2026, m, 5) for m in (4, 5, 6)]
    book = rules.CashingBook(dict.fromkeys(days, 0))
    book.take(1)
    book.take(1)
    book.take(2)
    assert book.counts == {days[0]: 2, days[1]: 1, days[2]: 1}


@pytest.mark.parametrize(
    ("total", "lines", "minimum", "expected"),
    [
        (100.00, 3, 0, (33, 33, 34)),
        (128.50, 10, 0, (12, 12, 13, 13, 13, 13, 13, 13, 13, 13.50)),
        (40.00, 4, 20, (20, 0, 20, 0)),
    ],
)
def test_R15_amapj_standard(total, lines, minimum, expected):
    assert rules.split_amapj(round(total * E), lines, minimum * E) == euros(*expected)


@pytest.mark.parametrize(
    ("total", "count", "expected"),
    [(100.00, 3, (33.33, 33.33, 33.34)), (20.40, 2, (10.20, 10.20))],
)
def test_R16_all_equal(total, count, expected):
    assert rules.split_equal(round(total * E), count) == euros(*expected)


def test_R16_editing_keeps_received_cheques_and_recomputes_the_rest():
    # 100 € in 3, the first cheque received; the total becomes 110 €.
    assert rules.resplit_open(SplitStrategy.EQUAL, 11000, [3333], 2) == [3833, 3834]


def test_R17_paid_when_payments_cover_a_positive_total():
    assert rules.is_paid(10000, 10000)
    assert not rules.is_paid(10000, 9999)
    assert not rules.is_paid(0, 0)


def test_R20_deadline_monday_of_a_thursday_delivery():
    assert rules.change_deadline(date(2026, 5, 7), 0) == date(2026, 5, 4)  # Thu → Mon
    assert rules.change_deadline(date(2026, 5, 7), 3) == date(2026, 5, 7)
    assert rules.change_deadline(date(2026, 5, 7), None) == date(2026, 5, 7)


POLICY = AbsencePolicy(max_count=2, window_start=date(2026, 7, 1), window_end=date(2026, 8, 31))


def _absence(day: date, **kw):
    values = {
        "today": date(2026, 6, 1),
        "policy": POLICY,
        "delivered": True,
        "factor": 100,
        "status": BasketStatus.DUE,
        "used": 0,
    }
    values.update(kw)
    return rules.absence_refusal(day, **values)


def test_R18_absence_allowed_inside_the_window_under_the_limit():
    assert _absence(date(2026, 7, 7)) is None


@pytest.mark.parametrize(
    ("day", "kw", "reason"),
    [
        (date(2026, 7, 7), {"used": 2}, Refusal.LIMIT),
        (date(2026, 7, 7), {"today": date(2026, 7, 8)}, Refusal.PAST),
        (date(2026, 6, 30), {}, Refusal.OUTSIDE_WINDOW),
        (date(2026, 7, 7), {"factor": 200}, Refusal.DOUBLED),
        (date(2026, 7, 7), {"delivered": False}, Refusal.NOT_DELIVERED),
        (date(2026, 7, 7), {"status": BasketStatus.DONATED}, Refusal.ALREADY_DONATED),
        (date(2026, 7, 7), {"policy": AbsencePolicy(max_count=0)}, Refusal.NO_ABSENCES),
        (
            date(2026, 7, 9),
            {"today": date(2026, 7, 7), "policy": AbsencePolicy(2, None, None, 0)},
            Refusal.AFTER_DEADLINE,
        ),
    ],
)
def test_R18_absence_refusals(day, kw, reason):
    assert _absence(day, **kw) is reason


def test_R18_default_absences_first_or_last_of_the_window():
    days = [date(2026, 7, d) for d in (7, 14, 21, 28)]
    assert rules.default_absence_dates(days, 2) == days[:2]
    assert rules.default_absence_dates(days, 2, last=True) == days[2:]


def test_R21_donation_allowed_before_the_deadline_when_not_absent():
    today = date(2026, 5, 1)
    day = date(2026, 5, 7)
    assert rules.donation_refusal(day, today=today, delivered=True, status=BasketStatus.DUE) is None
    assert (
        rules.donation_refusal(day, today=today, delivered=True, status=BasketStatus.ABSENT)
        is Refusal.ALREADY_ABSENT
    )
    assert (
        rules.donation_refusal(day, today=today, delivered=False, status=BasketStatus.DUE)
        is Refusal.NOT_DELIVERED
    )
    assert (
        rules.donation_refusal(
            day, today=date(2026, 5, 5), delivered=True, status=BasketStatus.DUE, deadline_weekday=0
        )
        is Refusal.AFTER_DEADLINE
    )


def test_R6_fixed_contract_freezes_once_paid():
    assert rules.calendar_frozen(rules.ContractKind.FIXED, 1)
    assert not rules.calendar_frozen(rules.ContractKind.FIXED, 0)
    assert not rules.calendar_frozen(rules.ContractKind.VARIABLE, 3)


totals = st.integers(min_value=0, max_value=10_000_000)
counts = st.integers(min_value=1, max_value=12)


@given(totals, counts)
def test_every_split_adds_up_to_the_total(total, count):
    for strategy in (SplitStrategy.AMAPRESS, SplitStrategy.AMAPJ, SplitStrategy.EQUAL):
        parts = rules.split(strategy, total, count, minimum=0)
        assert sum(parts) == total
        assert len(parts) == count
        assert all(p >= 0 for p in parts)
    parts = rules.split(SplitStrategy.PERCENTAGES, total, count)
    assert sum(parts) == total


@given(totals, counts, st.integers(min_value=0, max_value=50_000))
def test_amapj_with_a_minimum_adds_up(total, count, minimum):
    parts = rules.split_amapj(total, count, minimum)
    assert sum(parts) == total and len(parts) == count and min(parts) >= 0


@given(st.lists(st.tuples(st.dates(), st.integers(0, 100_000)), min_size=1), counts)
def test_monthly_split_adds_up(deliveries, count):
    assert sum(a for _m, a in rules.split_monthly(deliveries, count)) == sum(
        a for _d, a in deliveries
    )
