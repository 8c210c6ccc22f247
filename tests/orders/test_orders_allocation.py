"""Allocation at close and at delivery (reference/orders.md §2.2, §2.3, §2.10).

Expected values are the reference's worked examples or worked out by hand in the comments;
the properties compare with independent models (Foodsoft's loops written out, exact fractions).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coop.orders.rules import (
    Demand,
    DemandLine,
    Increment,
    Strategy,
    allocate,
    demand_line,
    increment_for,
    pin,
    summarize,
    unpin,
)

T0 = datetime(2026, 4, 7, 17, 0, tzinfo=UTC)


def at(hour: int) -> datetime:
    return T0.replace(hour=hour)


def lines_in_time_order(*orders: tuple[int, int]) -> list[DemandLine]:
    """g1, g2, g3… ordering one after the other (member ids 1, 2, 3…)."""
    return [DemandLine(n + 1, q, t, T0 + timedelta(minutes=n)) for n, (q, t) in enumerate(orders)]


# ---------------------------------------------------------------------------- §2.2


def test_design_note_example_section_2_2() -> None:
    # §2.2: U = 5. 17:00 A orders 2 (+3); 18:00 B orders 2 (+0); 19:00 A changes to 4 (+1).
    # Q = 6, T = 1 → 1 case, X = 5. Firm pass: A 2, B 2, A's 19:00 row 1 → A = 3, B = 2.
    a_rows = [
        increment_for(Demand(0, 0), Demand(2, 3), at(17), 1),
        increment_for(Demand(2, 3), Demand(4, 1), at(19), 3),
    ]
    b_rows = [increment_for(Demand(0, 0), Demand(2, 0), at(18), 2)]
    lines = [demand_line(1, a_rows), demand_line(2, b_rows)]
    x = summarize(6, 1, 5).units_ordered
    assert x == 5
    result = allocate(lines, x)
    assert result.allocated == (3, 2)
    assert result.tolerance_used == 0  # "tolerance is not used"
    assert lines[0].quantity - result.allocated[0] == 1  # one firm unit of A is not served
    assert result.surplus == 0


def test_project_test_example_section_2_2() -> None:
    # §2.2: U = 3; g1 (3, 2), g2 (1, 3), g3 (1, 0) → X = 6 → [4, 1, 1]
    lines = lines_in_time_order((3, 2), (1, 3), (1, 0))
    x = summarize(5, 5, 3).units_ordered
    assert allocate(lines, x).allocated == (4, 1, 1)


def test_no_automatic_distribution_section_2_2() -> None:
    # §2.2 "no automatic distribution": every member keeps their full q; tolerance only fills up
    # to X. Foodsoft's own spec: one row (4, 6); X = 2 → fifo 2, none 4; X = 6 → 4 + 2 = 6.
    line = [DemandLine(1, 4, 6, T0)]
    assert allocate(line, 2, Strategy.FIFO).allocated == (2,)
    assert allocate(line, 2, Strategy.NONE).allocated == (4,)
    assert allocate(line, 6, Strategy.FIFO).allocated == (6,)
    assert allocate(line, 6, Strategy.NONE).allocated == (6,)


def test_none_keeps_orders_and_reports_the_gap() -> None:
    # g1 (3,2) g2 (1,3) g3 (1,0), 4 received: none → 3, 1, 1 (5 promised, 1 missing)
    result = allocate(lines_in_time_order((3, 2), (1, 3), (1, 0)), 4, Strategy.NONE)
    assert result.allocated == (3, 1, 1)
    assert (result.surplus, result.shortfall) == (-1, 1)
    # 8 received: firm 5, tolerance FIFO for 3 more: g1 +2, g2 +1 → 5, 2, 1
    assert allocate(lines_in_time_order((3, 2), (1, 3), (1, 0)), 8, "none").allocated == (5, 2, 1)
    # nothing received: nothing handed out (Foodsoft only distributes a total > 0)
    assert allocate(lines_in_time_order((3, 2), (1, 3), (1, 0)), 0, "none").allocated == (0, 0, 0)


# ---------------------------------------------------------------------------- §2.3

REDISTRIBUTION_TABLE = [
    # orders (q, t) in time order, received, tolerance policy, results, tolerance used, left over
    (((3, 2), (1, 3), (1, 0)), 6, True, (4, 1, 1), 1, 0),
    (((3, 2), (1, 3), (1, 0)), 4, True, (3, 1, 0), 0, 0),  # g3 ordered last, gets nothing
    (((3, 2), (1, 3), (1, 0)), 1, True, (1, 0, 0), 0, 0),
    (((3, 2), (1, 3), (1, 0)), 0, True, (0, 0, 0), 0, 0),
    (((3, 2), (1, 3), (1, 0)), 8, False, (3, 1, 1), 0, 3),  # policies: none → 3 left over
    (((3, 2), (1, 1), (1, 0)), 10, True, (5, 2, 1), 3, 2),
    (((3, 0), (2, 0), (2, 0)), 7, True, (3, 2, 2), 0, 0),
]


@pytest.mark.parametrize(
    ("orders", "received", "tolerance", "results", "tolerance_used", "left_over"),
    REDISTRIBUTION_TABLE,
)
def test_redistribution_table_section_2_3(
    orders: tuple[tuple[int, int], ...],
    received: int,
    tolerance: bool,
    results: tuple[int, ...],
    tolerance_used: int,
    left_over: int,
) -> None:
    # reference/orders.md §2.3 worked examples (Foodsoft's redistribute tests)
    result = allocate(lines_in_time_order(*orders), received, use_tolerance=tolerance)
    assert result.allocated == results
    assert result.tolerance_used == tolerance_used
    assert result.surplus == left_over


def test_redistribution_before_receiving_section_2_3() -> None:
    # §2.3 last row: ordered 2 cases = 6 → "before receiving: 3, 2, 1"; 7 received → 3, 2, 2
    lines = lines_in_time_order((3, 0), (2, 0), (2, 0))
    at_close = allocate(lines, summarize(7, 0, 3).units_ordered)
    assert at_close.allocated == (3, 2, 1)
    assert allocate(lines, 7).allocated == (3, 2, 2)


def test_ofn_coordinator_fills_from_excess_section_2_6() -> None:
    # §2.6: 1, 3, 4 lb with max 2, 5, 4; case of 10 → the 2 lb unallocated go to the excess
    lines = lines_in_time_order((1, 1), (3, 2), (4, 0))
    result = allocate(lines, 10)
    assert result.allocated == (2, 4, 4)
    assert (result.tolerance_used, result.surplus) == (2, 0)


# ---------------------------------------------------------------------------- §2.10


def test_proportional_example_section_2_10() -> None:
    # 7 units; A 4, B 3, C 3 → shares 2.8, 2.1, 2.1 → A 3, B 2, C 2
    lines = lines_in_time_order((4, 0), (3, 0), (3, 0))
    assert allocate(lines, 7, Strategy.PROPORTIONAL).allocated == (3, 2, 2)
    # "the same with FIFO (order A, B, C) would give A 4, B 3, C 0"
    assert allocate(lines, 7, Strategy.FIFO).allocated == (4, 3, 0)


def test_proportional_second_example_section_2_10() -> None:
    # 6 units; A 5, B 2, C 1 → shares 3.75, 1.5, 0.75 → floors 3, 1, 0 → A 4, B 1, C 1
    lines = lines_in_time_order((5, 0), (2, 0), (1, 0))
    assert allocate(lines, 6, Strategy.PROPORTIONAL).allocated == (4, 1, 1)


def test_proportional_tie_breaks_by_order_time_then_member_id_section_2_10() -> None:
    # 1 unit, A and B want 1 each (0.5 both): the earlier order wins, whatever the input order
    early, late = DemandLine(9, 1, 0, at(17)), DemandLine(2, 1, 0, at(18))
    assert allocate([early, late], 1, "proportional").allocated == (1, 0)
    assert allocate([late, early], 1, "proportional").allocated == (0, 1)
    # same time: the lower member id wins
    a, b = DemandLine(9, 1, 0, at(17)), DemandLine(2, 1, 0, at(17))
    assert allocate([a, b], 1, "proportional").allocated == (0, 1)


def test_proportional_spreads_tolerance_section_2_10() -> None:
    # firm 2 + 2 served, 3 spare units over tolerances 3 and 1: shares 2.25, 0.75 → 2 + 1
    lines = lines_in_time_order((2, 3), (2, 1))
    assert allocate(lines, 7, Strategy.PROPORTIONAL).allocated == (4, 3)


def test_round_robin_by_hand_section_2_10() -> None:
    # 7 units, A 4, B 3, C 3: rounds A B C, A B C, A → 3, 2, 2
    lines = lines_in_time_order((4, 0), (3, 0), (3, 0))
    assert allocate(lines, 7, Strategy.ROUND_ROBIN).allocated == (3, 2, 2)
    # 5 units, A 1, B 5, C 5: round 1 A B C, round 2 B C → 1, 2, 2
    lines = lines_in_time_order((1, 0), (5, 0), (5, 0))
    assert allocate(lines, 5, Strategy.ROUND_ROBIN).allocated == (1, 2, 2)
    # 2 units, three members of 3: only the two earliest get one
    lines = lines_in_time_order((3, 0), (3, 0), (3, 0))
    assert allocate(lines, 2, Strategy.ROUND_ROBIN).allocated == (1, 1, 0)


def test_round_robin_tolerance_after_firm() -> None:
    # (2,2) (2,0) (0,3), 6 units: firm 2, 2, 0; 2 spare in rounds over t = 2, 0, 3 → A, C
    lines = lines_in_time_order((2, 2), (2, 0), (0, 3))
    assert allocate(lines, 6, Strategy.ROUND_ROBIN).allocated == (3, 2, 1)


# ---------------------------------------------------------------------------- pins


def test_pinned_line_is_kept_and_flagged() -> None:
    lines = lines_in_time_order((3, 2), (1, 3), (1, 0))
    lines[2] = pin(lines[2], 1)  # the coordinator gives g3 its unit by hand
    result = allocate(lines, 4)
    # the other two share 3 in FIFO order: g1 3, g2 0
    assert result.allocated == (3, 0, 1)
    assert result.computed == (3, 1, 0)
    assert result.pinned == (False, False, True)
    assert result.overridden(2)
    assert not result.overridden(0)
    assert allocate(lines, 4) == result  # re-running keeps the correction
    lines[2] = unpin(lines[2])
    assert allocate(lines, 4).allocated == (3, 1, 0)


def test_pin_equal_to_computed_is_not_an_override() -> None:
    lines = lines_in_time_order((3, 2), (1, 3), (1, 0))
    lines[0] = pin(lines[0], 3)
    result = allocate(lines, 4)
    assert result.allocated == (3, 1, 0)
    assert result.pinned[0]
    assert not result.overridden(0)


def test_pins_above_stock_leave_nothing_for_others() -> None:
    lines = lines_in_time_order((3, 0), (2, 0))
    lines[0] = pin(lines[0], 5)
    result = allocate(lines, 4, Strategy.PROPORTIONAL)
    assert result.allocated == (5, 0)
    assert (result.surplus, result.shortfall) == (-1, 1)


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError):
        allocate([], -1)
    with pytest.raises(TypeError):
        allocate([], 2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        allocate([], 1, "lottery")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        pin(DemandLine(1, 1, 0, T0), -1)
    with pytest.raises(ValueError, match="add up"):
        DemandLine(1, 2, 0, T0, slices=demand_line(1, [Increment(1, 0, T0, 1)]).slices)


def test_empty_demand() -> None:
    result = allocate([], 5, Strategy.ROUND_ROBIN)
    assert (result.allocated, result.surplus) == ((), 5)


# ---------------------------------------------------------------------------- properties

TIMES = [T0 + timedelta(minutes=m) for m in range(4)]  # few distinct times: ties happen


@st.composite
def demand_lines(draw: st.DrawFn, max_size: int = 12) -> list[DemandLine]:
    ids = draw(st.lists(st.integers(1, 60), unique=True, max_size=max_size))
    return [
        DemandLine(
            member_id,
            draw(st.integers(0, 9)),
            draw(st.integers(0, 6)),
            draw(st.sampled_from(TIMES)),
        )
        for member_id in ids
    ]


strategies = st.sampled_from(list(Strategy))


@given(demand_lines(), st.integers(0, 80), strategies, st.booleans())
def test_conservation_and_caps(
    lines: list[DemandLine], available: int, strategy: Strategy, use_tolerance: bool
) -> None:
    result = allocate(lines, available, strategy, use_tolerance=use_tolerance)
    assert sum(result.allocated) + result.surplus == available
    firm = sum(line.quantity for line in lines)
    cap = firm + (sum(line.tolerance for line in lines) if use_tolerance else 0)
    for line, given_ in zip(lines, result.allocated, strict=True):
        assert 0 <= given_ <= line.quantity + (line.tolerance if use_tolerance else 0)
        if available >= firm and available > 0:
            assert given_ >= line.quantity  # with enough stock every member gets q
    if strategy is Strategy.NONE:
        # everyone keeps q (when anything arrived); tolerance only fills up to what arrived
        if available:
            assert all(g >= line.quantity for line, g in zip(lines, result.allocated, strict=True))
            assert sum(result.allocated) == max(firm, min(available, cap))
        else:
            assert sum(result.allocated) == 0
    else:
        assert sum(result.allocated) == min(available, cap)
        assert result.surplus >= 0


@given(demand_lines(), st.integers(0, 80), strategies, st.booleans(), st.randoms())
def test_deterministic_and_independent_of_input_order(
    lines: list[DemandLine],
    available: int,
    strategy: Strategy,
    use_tolerance: bool,
    rnd: random.Random,
) -> None:
    first = allocate(lines, available, strategy, use_tolerance=use_tolerance)
    assert allocate(lines, available, strategy, use_tolerance=use_tolerance) == first
    shuffled = lines[:]
    rnd.shuffle(shuffled)
    again = allocate(shuffled, available, strategy, use_tolerance=use_tolerance)
    by_member = dict(zip((line.member_id for line in shuffled), again.allocated, strict=True))
    assert tuple(by_member[line.member_id] for line in lines) == first.allocated


@given(demand_lines(), st.integers(0, 80), st.booleans())
def test_proportional_is_largest_remainder(
    lines: list[DemandLine], available: int, use_tolerance: bool
) -> None:
    result = allocate(lines, available, Strategy.PROPORTIONAL, use_tolerance=use_tolerance)
    firm = sum(line.quantity for line in lines)
    spare = sum(line.tolerance for line in lines) if use_tolerance else 0
    amount = min(available, firm + spare)
    if amount <= firm:
        exact = [Fraction(line.quantity * amount, firm) if firm else Fraction(0) for line in lines]
    else:
        exact = [
            line.quantity + Fraction(line.tolerance * (amount - firm), spare) for line in lines
        ]
    for share, given_ in zip(exact, result.allocated, strict=True):
        assert abs(given_ - share) < 1  # within one unit of the exact share
    # Hamilton: whoever got the rounded-up unit had a fractional part at least as large
    ups = [s - int(s) for s, g in zip(exact, result.allocated, strict=True) if g > s]
    downs = [s - int(s) for s, g in zip(exact, result.allocated, strict=True) if g < s]
    if ups and downs:
        assert min(ups) >= max(downs)


@given(demand_lines(), st.integers(0, 80), st.booleans())
def test_round_robin_is_max_min_fair(
    lines: list[DemandLine], available: int, use_tolerance: bool
) -> None:
    result = allocate(lines, available, Strategy.ROUND_ROBIN, use_tolerance=use_tolerance)
    firm = sum(line.quantity for line in lines)
    if available >= firm:
        phase = [
            (line, given_ - line.quantity, line.tolerance)
            for line, given_ in zip(lines, result.allocated, strict=True)
        ]
    else:
        phase = [
            (line, given_, line.quantity)
            for line, given_ in zip(lines, result.allocated, strict=True)
        ]
    for line, got, wanted in phase:
        if got < wanted:  # not fully served: nobody got more than one unit more than this line
            for other, other_got, _ in phase:
                assert other_got <= got + 1
                if other_got == got + 1:  # …and only members who ordered earlier
                    assert (other.ordered_at, other.member_id) < (line.ordered_at, line.member_id)


@given(demand_lines(), st.integers(0, 80), strategies, st.data())
def test_pins_are_kept_and_the_rest_is_shared(
    lines: list[DemandLine], available: int, strategy: Strategy, data: st.DataObject
) -> None:
    pins = [data.draw(st.one_of(st.none(), st.integers(0, 12))) for _ in lines]
    pinned_lines = [
        line if p is None else pin(line, p) for line, p in zip(lines, pins, strict=True)
    ]
    result = allocate(pinned_lines, available, strategy)
    assert result.computed == allocate(lines, available, strategy).allocated
    assert sum(result.allocated) + result.surplus == available
    free = [line for line, p in zip(lines, pins, strict=True) if p is None]
    for p, given_ in zip(pins, result.allocated, strict=True):
        if p is not None:
            assert given_ == p
    free_given = [g for p, g in zip(pins, result.allocated, strict=True) if p is None]
    if strategy is not Strategy.NONE:
        left = max(0, available - sum(p for p in pins if p is not None))
        cap = sum(line.quantity + line.tolerance for line in free)
        assert sum(free_given) == min(left, cap)
    # re-running with the result keeps it
    assert allocate(pinned_lines, available, strategy) == result


# FIFO against Foodsoft's loops: members change their orders over time (ledger), then each
# member's result is computed by walking the whole ledger, as GroupOrderArticle#calculate_result.


def foodsoft_update(rows: list[list], cur: list[int], q: int, t: int, stamp: tuple) -> None:
    """GroupOrderArticle#update_quantities, literally (rows newest first)."""
    i = 0
    while i < len(rows) and (q < cur[0] or t < cur[1]):
        if q < cur[0] and rows[i][0] > 0:
            d = min(cur[0] - q, rows[i][0])
            rows[i][0] -= d
            cur[0] -= d
        if t < cur[1] and rows[i][1] > 0:
            d = min(cur[1] - t, rows[i][1])
            rows[i][1] -= d
            cur[1] -= d
        i += 1
    if q > cur[0] or t > cur[1]:
        rows.insert(0, [max(q - cur[0], 0), max(t - cur[1], 0), stamp])
        cur[0], cur[1] = q, t
    rows[:] = [row for row in rows if row[0] or row[1]]


def foodsoft_result(all_rows: list[tuple], member: int, total: int, fifo: bool) -> int:
    """GroupOrderArticle#calculate_result(total) for one member; rows are (stamp, member, q, t)."""
    mine = taken = 0
    if total <= 0:
        return 0
    ordered = sorted(all_rows)
    for _stamp, who, q, _t in ordered:
        if fifo:
            q = min(q, total - taken)
        taken += q
        if who == member:
            mine += q
        if fifo and taken >= total:
            break
    if taken < total:
        for _stamp, who, _q, t in ordered:
            t = min(t, total - taken)
            taken += t
            if who == member:
                mine += t
            if taken >= total:
                break
    return mine


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(st.integers(1, 5), st.integers(0, 8), st.integers(0, 5)),
        min_size=1,
        max_size=25,
    ),
    st.integers(0, 60),
    st.booleans(),
)
def test_fifo_and_none_match_foodsoft_model(
    actions: list[tuple[int, int, int]], total: int, fifo: bool
) -> None:
    # one action per minute: member sets their order to (q, t)
    rows: dict[int, list[list]] = {}
    cur: dict[int, list[int]] = {}
    ledgers: dict[int, list[Increment]] = {}
    for n, (member, q, t) in enumerate(actions):
        moment = T0 + timedelta(minutes=n)
        c = cur.setdefault(member, [0, 0])
        row = increment_for(Demand(c[0], c[1]), Demand(q, t), moment, n)
        if row is not None:
            ledgers.setdefault(member, []).append(row)
        foodsoft_update(rows.setdefault(member, []), c, q, t, (moment, n))
    members = sorted(ledgers)
    all_rows = [(row[2], m, row[0], row[1]) for m in members for row in rows[m]]
    expected = tuple(foodsoft_result(all_rows, m, total, fifo) for m in members)
    lines = [demand_line(m, ledgers[m]) for m in members]
    result = allocate(lines, total, Strategy.FIFO if fifo else Strategy.NONE)
    assert result.allocated == expected
