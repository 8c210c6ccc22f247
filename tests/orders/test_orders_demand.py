"""Demand increment ledger (reference/orders.md §2.2) and the boxfill phase (§2.4)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coop.orders.rules import (
    BoxfillVerdict,
    Demand,
    Increment,
    Slice,
    boxfill_verdict,
    check_change,
    demand_line,
    fold,
    foodsoft_cases,
    increment_for,
    missing_units,
)

T0 = datetime(2026, 4, 7, 17, 0, tzinfo=UTC)


def at(hour: int, minute: int = 0) -> datetime:
    return T0.replace(hour=hour, minute=minute)


def replay(targets: list[tuple[int, int]], start: datetime = T0) -> list[Increment]:
    """The ledger rows a member appends while moving through ``targets`` (one per minute)."""
    rows: list[Increment] = []
    current = Demand(0, 0)
    for n, (q, t) in enumerate(targets):
        target = Demand(q, t)
        row = increment_for(current, target, start + timedelta(minutes=n), n)
        if row is not None:
            rows.append(row)
        current = target
    return rows


def test_design_note_ledger_section_2_2() -> None:
    # §2.2: 17:00 A orders 2 (+3 tolerance); 19:00 A changes to 4 (+1).
    # Ledger becomes A (2, 1) @17:00 — tolerance reduced from 3 to 1 — and A (2, 0) @19:00.
    first = increment_for(Demand(0, 0), Demand(2, 3), at(17), 1)
    second = increment_for(Demand(2, 3), Demand(4, 1), at(19), 3)
    assert first == Increment(2, 3, at(17), 1)
    assert second == Increment(2, -2, at(19), 3)
    folded = fold([first, second])
    assert folded.demand == Demand(4, 1)
    assert folded.slices == (Slice(2, 1, at(17), 1), Slice(2, 0, at(19), 3))


def test_reductions_take_the_newest_rows_first() -> None:
    # 2 @10:00, +3 @11:00, +1 @12:00 = 6; down to 4 removes the 12:00 unit and one of 11:00
    rows = [
        Increment(2, 0, at(10), 1),
        Increment(3, 0, at(11), 2),
        Increment(1, 0, at(12), 3),
        Increment(-2, 0, at(13), 4),
    ]
    folded = fold(rows)
    assert folded.demand == Demand(4, 0)
    assert folded.slices == (Slice(2, 0, at(10), 1), Slice(2, 0, at(11), 2))


def test_foodsoft_update_quantities_example() -> None:
    # Foodsoft's model test: (2, 2) then (1, 1) then (1, 2) → quantity 1, tolerance 2
    folded = fold(replay([(2, 2), (1, 1), (1, 2)]))
    assert folded.demand == Demand(1, 2)
    assert [(s.quantity, s.tolerance) for s in folded.slices] == [(1, 1), (0, 1)]


def test_unordering_leaves_no_slice() -> None:
    folded = fold(replay([(3, 1), (0, 0)]))
    assert folded.demand == Demand(0, 0)
    assert folded.slices == ()
    line = demand_line(7, replay([(3, 1), (0, 0)]))
    assert (line.quantity, line.tolerance, line.ordered_at) == (0, 0, T0)


def test_ledger_order_is_time_then_seq_not_input_order() -> None:
    rows = replay([(2, 0), (5, 1), (3, 0)])
    assert fold(list(reversed(rows))) == fold(rows)


def test_reduction_below_zero_is_refused() -> None:
    with pytest.raises(ValueError, match="below zero"):
        fold([Increment(1, 0, at(10), 1), Increment(-2, 0, at(11), 2)])
    with pytest.raises(ValueError, match="below zero"):
        fold([Increment(0, -1, at(10), 1)])


def test_no_change_no_row() -> None:
    assert increment_for(Demand(2, 1), Demand(2, 1), at(10), 5) is None


def test_demand_refuses_floats_and_negatives() -> None:
    with pytest.raises(TypeError):
        Demand(1.0, 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Demand(0, -1)


def test_demand_line_ordered_at_is_oldest_surviving_slice() -> None:
    # A orders 1 @17:00, adds 2 @18:00, then drops to 0 and orders 2 again @19:00:
    # the 17:00 and 18:00 rows are emptied, so A's place in the queue is 19:00.
    rows = [
        Increment(1, 0, at(17), 1),
        Increment(2, 0, at(18), 2),
        Increment(-3, 0, at(18, 30), 3),
        Increment(2, 0, at(19), 4),
    ]
    line = demand_line(1, rows)
    assert line.ordered_at == at(19)
    assert line.quantity == 2


def foodsoft_update_quantities(
    rows: list[list], cur: list[int], quantity: int, tolerance: int, stamp: tuple
) -> None:
    """Foodsoft's GroupOrderArticle#update_quantities written out literally (reference model).

    ``rows`` holds [q, t, stamp] lists, newest first; ``cur`` is [quantity, tolerance].
    """
    if not rows:
        rows.append([quantity, tolerance, stamp])
        cur[0], cur[1] = quantity, tolerance
    else:
        i = 0
        while i < len(rows) and (quantity < cur[0] or tolerance < cur[1]):
            if quantity < cur[0] and rows[i][0] > 0:
                delta = min(cur[0] - quantity, rows[i][0])
                rows[i][0] -= delta
                cur[0] -= delta
            if tolerance < cur[1] and rows[i][1] > 0:
                delta = min(cur[1] - tolerance, rows[i][1])
                rows[i][1] -= delta
                cur[1] -= delta
            i += 1
        if quantity > cur[0] or tolerance > cur[1]:
            new = [max(quantity - cur[0], 0), max(tolerance - cur[1], 0), stamp]
            rows.insert(0, new)
            cur[0] += new[0]
            cur[1] += new[1]
    assert cur == [quantity, tolerance]
    rows[:] = [row for row in rows if row[0] or row[1]]


targets_strategy = st.lists(
    st.tuples(st.integers(0, 12), st.integers(0, 12)), min_size=1, max_size=12
)


@given(targets_strategy)
def test_fold_matches_foodsoft_update_quantities(targets: list[tuple[int, int]]) -> None:
    rows: list[list] = []
    cur = [0, 0]
    for n, (q, t) in enumerate(targets):
        if (q, t) != tuple(cur):
            foodsoft_update_quantities(rows, cur, q, t, (T0 + timedelta(minutes=n), n))
    expected = [(q, t, stamp[0], stamp[1]) for q, t, stamp in reversed(rows)]
    folded = fold(replay(targets))
    assert [(s.quantity, s.tolerance, s.at, s.seq) for s in folded.slices] == expected
    assert folded.demand == Demand(*targets[-1])


@given(targets_strategy, st.randoms(use_true_random=False))
def test_fold_ignores_input_order(targets: list[tuple[int, int]], rnd: random.Random) -> None:
    rows = replay(targets)
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    assert fold(shuffled) == fold(rows)


# §2.4 examples, U = 6.
def test_boxfill_reduction_that_opens_a_case_fails_section_2_4() -> None:
    # (3, 0) → (2, 0) fails: missing units rise from 3 to 4
    assert missing_units(3, 0, 6) == 3
    assert missing_units(2, 0, 6) == 4
    verdict = boxfill_verdict(Demand(3, 0), Demand(2, 0), 6)
    assert verdict is BoxfillVerdict.REJECTED
    assert not verdict.accepted


def test_boxfill_tolerance_increase_succeeds_section_2_4() -> None:
    # (2, 1) → (2, 2) succeeds: quantity unchanged, tolerance up
    verdict = boxfill_verdict(Demand(2, 1), Demand(2, 2), 6)
    assert verdict is BoxfillVerdict.KEEPS_QUANTITY
    assert verdict.accepted


def test_boxfill_reduction_that_completes_a_case_succeeds_section_2_4() -> None:
    # (7, 0) → (6, 0) succeeds: missing units fall from 5 to 0, cases stay 1
    assert missing_units(7, 0, 6) == 5
    assert missing_units(6, 0, 6) == 0
    assert boxfill_verdict(Demand(7, 0), Demand(6, 0), 6) is BoxfillVerdict.FILLS_CASES


def test_boxfill_moving_tolerance_into_quantity_section_2_4() -> None:
    # (c): q up by 2, t down by 2; missing stays 0 (6 − (3 + 3), 6 − (5 + 1)): only (c) applies
    assert boxfill_verdict(Demand(3, 3), Demand(5, 1), 6) is BoxfillVerdict.MOVES_TOLERANCE
    # moving only part of it back is not allowed: q +1, t −2
    assert boxfill_verdict(Demand(3, 3), Demand(4, 1), 6) is BoxfillVerdict.REJECTED
    # the other way round (quantity into tolerance) is not (c): (3, 0) → (2, 1), missing 3 → 3
    assert boxfill_verdict(Demand(3, 0), Demand(2, 1), 6) is BoxfillVerdict.REJECTED


def test_boxfill_lowering_tolerance_is_refused_section_2_4() -> None:
    assert boxfill_verdict(Demand(2, 2), Demand(2, 1), 6) is BoxfillVerdict.REJECTED
    # (b) also needs tolerance not to decrease: (1, 3) → (4, 1) lowers missing units 2 → 1 and
    # keeps 0 cases, but tolerance falls by 2 while quantity rises by 3, so (c) does not apply
    assert missing_units(1, 3, 6) == 2
    assert missing_units(4, 1, 6) == 1
    assert boxfill_verdict(Demand(1, 3), Demand(4, 1), 6) is BoxfillVerdict.REJECTED


def test_boxfill_article_without_case_issue_771_section_2_4() -> None:
    # Open issue #771: with U = 1 nothing can be added in Foodsoft (strict); we accept increases.
    assert boxfill_verdict(Demand(2, 0), Demand(3, 0), 1, strict=True) is BoxfillVerdict.REJECTED
    assert boxfill_verdict(Demand(2, 0), Demand(3, 0), 1) is BoxfillVerdict.UNCASED_INCREASE
    assert boxfill_verdict(Demand(2, 0), Demand(1, 0), 1) is BoxfillVerdict.REJECTED


def test_check_change_before_and_after_boxfill_time() -> None:
    boxfill_at = at(20)
    # before (and at) the boxfill time anything goes, even emptying a case
    for moment in (at(19), boxfill_at):
        verdict = check_change(
            Demand(3, 0),
            Demand(3, 0),
            Demand(0, 0),
            at=moment,
            boxfill_at=boxfill_at,
            case_size=6,
        )
        assert verdict is BoxfillVerdict.OPEN
    # after it, judged on the article totals: one member alone going 3 → 2 opens the case
    assert (
        check_change(
            Demand(3, 0),
            Demand(3, 0),
            Demand(2, 0),
            at=at(21),
            boxfill_at=boxfill_at,
            case_size=6,
        )
        is BoxfillVerdict.REJECTED
    )
    # article at 7 (one member with 3, others 4): that member going 3 → 2 leaves exactly one case
    assert (
        check_change(
            Demand(7, 0),
            Demand(3, 0),
            Demand(2, 0),
            at=at(21),
            boxfill_at=boxfill_at,
            case_size=6,
        )
        is BoxfillVerdict.FILLS_CASES
    )
    # no boxfill configured
    assert (
        check_change(
            Demand(3, 0), Demand(3, 0), Demand(0, 0), at=at(21), boxfill_at=None, case_size=6
        )
        is BoxfillVerdict.OPEN
    )


def test_check_change_needs_totals_including_the_member() -> None:
    with pytest.raises(ValueError):
        check_change(
            Demand(1, 0), Demand(3, 0), Demand(2, 0), at=at(21), boxfill_at=at(20), case_size=6
        )


demand = st.builds(Demand, st.integers(0, 40), st.integers(0, 40))


@given(demand, demand, st.integers(1, 8), st.sampled_from([None, 1, 2, 3]), st.booleans())
def test_boxfill_never_loses_a_case(
    before: Demand, after: Demand, size: int, min_cases: int | None, strict: bool
) -> None:
    minimum = None if min_cases is None else min_cases * size
    verdict = boxfill_verdict(before, after, size, minimum, strict=strict)
    if verdict.accepted:
        assert foodsoft_cases(after.quantity, after.tolerance, size, minimum) >= foodsoft_cases(
            before.quantity, before.tolerance, size, minimum
        )
        assert after.quantity >= before.quantity or after.tolerance >= before.tolerance


@given(demand, st.integers(1, 8))
def test_boxfill_accepts_every_pure_tolerance_increase(before: Demand, size: int) -> None:
    after = Demand(before.quantity, before.tolerance + 1)
    assert boxfill_verdict(before, after, size) is BoxfillVerdict.KEEPS_QUANTITY
