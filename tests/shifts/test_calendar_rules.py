"""Week letters, template occurrences, French public holidays and closures."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coop.shifts.calendar import (
    Blocked,
    Closure,
    Holiday,
    ShiftTemplate,
    blocked_days,
    closure_makeups_on,
    cycle_start,
    cycle_starts,
    french_holidays,
    holidays_between,
    monday_of,
    occurrences,
    week_letter,
)

TAPIR_A = date(2022, 4, 11)  # reference §2.1: first reference Monday, week A
LOUVE_A = date(2015, 12, 28)  # reference §0/§1: La Louve "week A" date


def test_week_letters_from_tapir_anchor():
    # §2.1: letter = whole weeks since the reference Monday, modulo the number of groups.
    assert week_letter(TAPIR_A, TAPIR_A) == "A"
    assert week_letter(date(2022, 4, 17), TAPIR_A) == "A"  # the Sunday of the same week
    assert week_letter(date(2022, 4, 18), TAPIR_A) == "B"
    assert week_letter(date(2022, 5, 2), TAPIR_A) == "D"
    assert week_letter(date(2022, 5, 9), TAPIR_A) == "A"
    assert week_letter(date(2022, 4, 4), TAPIR_A) == "D"  # before the anchor too
    # 2022-04-11 → 2026-04-06 is 1,456 days = 208 weeks, a multiple of 4
    assert week_letter(date(2026, 4, 6), TAPIR_A) == "A"


def test_week_letters_from_louve_anchor_and_other_cycle_lengths():
    assert week_letter(date(2016, 1, 4), LOUVE_A) == "B"
    assert week_letter(date(2016, 1, 4), LOUVE_A, weeks=1) == "A"
    assert week_letter(date(2016, 2, 1), LOUVE_A, weeks=6) == "F"
    assert week_letter(date(2016, 2, 8), LOUVE_A, weeks=6) == "A"


def test_latest_anchor_applies():
    # §2.1: "number of whole weeks since the latest reference Monday".
    restart = date(2022, 5, 30)  # week D by the first anchor
    assert week_letter(restart, TAPIR_A) == "D"
    assert week_letter(restart, [TAPIR_A, restart]) == "A"
    assert week_letter(date(2022, 5, 23), [restart, TAPIR_A]) == "C"


def test_anchor_must_be_a_monday():
    with pytest.raises(ValueError, match="not a Monday"):
        week_letter(date(2026, 1, 1), date(2022, 4, 12))
    with pytest.raises(ValueError):
        week_letter(date(2026, 1, 1), TAPIR_A, weeks=0)


def test_cycle_start_and_cycle_dates():
    assert cycle_start(date(2022, 5, 4), TAPIR_A) == date(2022, 5, 2) - timedelta(weeks=3)
    assert cycle_starts(TAPIR_A, date(2022, 4, 10), date(2022, 5, 9)) == [TAPIR_A, date(2022, 5, 9)]
    assert cycle_starts(TAPIR_A, date(2022, 5, 9), date(2022, 6, 5)) == []


def tuesday_b():
    return ShiftTemplate(weekday=1, start=time(9, 0), end=time(12, 0), letter="B")


def test_occurrences_of_a_week_b_template():
    # weeks from 2026-04-06: A, B (04-13), C, D, A (05-04), B (05-11)
    shifts = occurrences(tuesday_b(), date(2026, 4, 1), date(2026, 5, 31), anchor=TAPIR_A)
    assert [o.day for o in shifts] == [date(2026, 4, 14), date(2026, 5, 12)]
    assert {o.letter for o in shifts} == {"B"}
    first = shifts[0]
    assert first.start.hour == 9 and first.end.hour == 12
    assert first.start.utcoffset() == timedelta(hours=2)  # summer time in Paris


def test_occurrences_are_timezone_aware_in_winter():
    every_monday = ShiftTemplate(weekday=0, start=time(18), end=time(21))
    shifts = occurrences(every_monday, date(2026, 3, 23), date(2026, 3, 30), anchor=TAPIR_A)
    assert [o.day for o in shifts] == [date(2026, 3, 23), date(2026, 3, 30)]
    assert shifts[0].start.utcoffset() == timedelta(hours=1)
    assert shifts[1].start.utcoffset() == timedelta(hours=2)  # after the change of 29 March


def test_occurrences_respect_validity_dates_and_bounds():
    limited = ShiftTemplate(
        weekday=1,
        start=time(9),
        end=time(12),
        letter="B",
        valid_from=date(2026, 4, 15),
        valid_until=date(2026, 6, 9),
    )
    days = [
        o.day for o in occurrences(limited, date(2026, 1, 1), date(2026, 12, 31), anchor=TAPIR_A)
    ]
    assert days == [date(2026, 5, 12), date(2026, 6, 9)]
    assert occurrences(limited, date(2026, 7, 1), date(2026, 7, 31), anchor=TAPIR_A) == []


def test_occurrences_follow_a_new_anchor():
    restart = date(2026, 4, 20)  # would be week C: from here it is week A
    every_a = ShiftTemplate(weekday=0, start=time(9), end=time(12), letter="A")
    days = [
        o.day
        for o in occurrences(
            every_a, date(2026, 4, 1), date(2026, 5, 31), anchor=[TAPIR_A, restart]
        )
    ]
    assert days == [date(2026, 4, 6), date(2026, 4, 20), date(2026, 5, 18)]


def test_template_validation():
    with pytest.raises(ValueError):
        ShiftTemplate(weekday=7, start=time(9), end=time(12))
    with pytest.raises(ValueError):
        ShiftTemplate(weekday=0, start=time(12), end=time(9))
    with pytest.raises(ValueError):
        ShiftTemplate(weekday=0, start=time(9), end=time(12), letter="b")
    with pytest.raises(ValueError, match="does not exist"):
        occurrences(
            ShiftTemplate(weekday=0, start=time(9), end=time(12), letter="E"),
            date(2026, 1, 1),
            date(2026, 2, 1),
            anchor=TAPIR_A,
        )


def test_french_holidays_2026():
    # Easter 2026 is 5 April.
    assert [(h.day, h.holiday) for h in french_holidays(2026)] == [
        (date(2026, 1, 1), Holiday.NEW_YEAR),
        (date(2026, 4, 6), Holiday.EASTER_MONDAY),
        (date(2026, 5, 1), Holiday.LABOUR_DAY),
        (date(2026, 5, 8), Holiday.VICTORY_1945),
        (date(2026, 5, 14), Holiday.ASCENSION),
        (date(2026, 5, 25), Holiday.WHIT_MONDAY),
        (date(2026, 7, 14), Holiday.BASTILLE_DAY),
        (date(2026, 8, 15), Holiday.ASSUMPTION),
        (date(2026, 11, 1), Holiday.ALL_SAINTS),
        (date(2026, 11, 11), Holiday.ARMISTICE),
        (date(2026, 12, 25), Holiday.CHRISTMAS),
    ]


@pytest.mark.parametrize(
    ("year", "easter_monday", "ascension", "whit_monday"),
    [
        (2024, date(2024, 4, 1), date(2024, 5, 9), date(2024, 5, 20)),
        (2025, date(2025, 4, 21), date(2025, 5, 29), date(2025, 6, 9)),
        (2027, date(2027, 3, 29), date(2027, 5, 6), date(2027, 5, 17)),
    ],
)
def test_easter_based_holidays(year, easter_monday, ascension, whit_monday):
    found = {h.holiday: h.day for h in french_holidays(year)}
    assert found[Holiday.EASTER_MONDAY] == easter_monday
    assert found[Holiday.ASCENSION] == ascension
    assert found[Holiday.WHIT_MONDAY] == whit_monday


def test_two_holidays_on_one_day_are_both_kept():
    # 2008: Ascension fell on 1 May.
    found = holidays_between(date(2008, 5, 1), date(2008, 5, 1))
    assert list(found) == [date(2008, 5, 1)]
    assert set(found[date(2008, 5, 1)]) == {Holiday.LABOUR_DAY, Holiday.ASCENSION}


def test_alsace_moselle_extra_days():
    found = {h.holiday: h.day for h in french_holidays(2026, alsace_moselle=True)}
    assert found[Holiday.GOOD_FRIDAY] == date(2026, 4, 3)
    assert found[Holiday.SAINT_STEPHEN] == date(2026, 12, 26)
    assert len(found) == 13


def test_holidays_between_spans_years():
    found = holidays_between(date(2025, 12, 20), date(2026, 1, 5))
    assert found == {
        date(2025, 12, 25): (Holiday.CHRISTMAS,),
        date(2026, 1, 1): (Holiday.NEW_YEAR,),
    }


def test_blocked_days_of_generated_mondays():
    every_monday = ShiftTemplate(weekday=0, start=time(9), end=time(12))
    mondays = [
        o.day
        for o in occurrences(every_monday, date(2026, 4, 1), date(2026, 8, 31), anchor=TAPIR_A)
    ]
    summer = Closure(date(2026, 8, 10), date(2026, 8, 23), makeups=1, label="summer")
    blocked = blocked_days(mondays, [summer])
    assert blocked == {
        date(2026, 4, 6): Blocked(holidays=(Holiday.EASTER_MONDAY,)),
        date(2026, 5, 25): Blocked(holidays=(Holiday.WHIT_MONDAY,)),
        date(2026, 8, 10): Blocked(closures=(summer,)),
        date(2026, 8, 17): Blocked(closures=(summer,)),
    }
    assert set(blocked_days(mondays, [summer], holidays=False)) == {
        date(2026, 8, 10),
        date(2026, 8, 17),
    }
    assert blocked_days([]) == {}


def test_closure_makeups_on():
    neutral = Closure(date(2026, 8, 10), date(2026, 8, 16), makeups=0)
    one = Closure(date(2026, 8, 1), date(2026, 8, 31), makeups=1)
    assert closure_makeups_on(date(2026, 8, 12), [one, neutral]) == 0
    assert closure_makeups_on(date(2026, 8, 20), [one, neutral]) == 1
    assert closure_makeups_on(date(2026, 9, 1), [one, neutral]) is None
    with pytest.raises(ValueError):
        Closure(date(2026, 8, 2), date(2026, 8, 1))


# -- invariants --------------------------------------------------------------------------------

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@given(day=dates, weeks=st.integers(min_value=1, max_value=8))
def test_letters_repeat_every_cycle_and_advance_each_week(day, weeks):
    letter = week_letter(day, TAPIR_A, weeks)
    assert week_letter(day + timedelta(weeks=weeks), TAPIR_A, weeks) == letter
    following = week_letter(day + timedelta(weeks=1), TAPIR_A, weeks)
    assert (ord(following) - ord(letter)) % weeks == 1 % weeks
    assert week_letter(monday_of(day) + timedelta(days=6), TAPIR_A, weeks) == letter


@given(
    first=dates,
    span=st.integers(min_value=0, max_value=120),
    weekday=st.integers(min_value=0, max_value=6),
    letter=st.sampled_from(["A", "B", "C", "D", None]),
)
def test_occurrences_are_exactly_the_matching_days(first, span, weekday, letter):
    template = ShiftTemplate(weekday=weekday, start=time(9), end=time(12), letter=letter)
    last = first + timedelta(days=span)
    found = [o.day for o in occurrences(template, first, last, anchor=TAPIR_A)]
    # oracle: walk every day and count the weeks from the anchor by hand
    expected = [
        first + timedelta(days=n)
        for n in range(span + 1)
        if (first + timedelta(days=n)).weekday() == weekday
        and (
            letter is None
            or "ABCD"[((first + timedelta(days=n) - TAPIR_A).days // 7) % 4] == letter
        )
    ]
    assert found == expected


@given(year=st.integers(min_value=1900, max_value=2200))
def test_holiday_weekdays(year):
    found = {h.holiday: h.day for h in french_holidays(year)}
    assert len(found) == 11
    assert found[Holiday.EASTER_MONDAY].weekday() == 0
    assert found[Holiday.ASCENSION].weekday() == 3
    assert found[Holiday.WHIT_MONDAY].weekday() == 0
    assert date(year, 3, 23) <= found[Holiday.EASTER_MONDAY] <= date(year, 4, 26)
