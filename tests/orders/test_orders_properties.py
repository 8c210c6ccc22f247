"""Properties of grouped orders end to end in pure code (hypothesis): the ledger read the fast
way equals the folded ledger, allocations respect availability and every household's q + t, enough
goods serve every firm quantity, results are deterministic, and households' charges add up to the
suppliers' total within the rounding the reconciliation shows."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from coop.accounts.rules import InvoiceLineIn, price_invoice
from coop.orders.pricing import PricedArticle, line_amount_cents, reconcile
from coop.orders.rules import (
    Demand,
    Strategy,
    allocate,
    demand_line,
    demand_line_from_rows,
    increment_for,
    summarize,
)

T0 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)

targets = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 5)), min_size=1, max_size=6)


def ledger(member_targets: list[tuple[int, int]], start: int, seq0: int):
    """The increments a member appends moving through ``member_targets`` (some minutes apart)."""
    rows, current = [], Demand(0, 0)
    for step, (q, t) in enumerate(member_targets):
        row = increment_for(
            current, Demand(q, t), T0 + timedelta(minutes=start + 7 * step), seq0 + step
        )
        if row is not None:
            rows.append(row)
        current = Demand(q, t)
    return rows


@given(targets)
def test_reading_rows_equals_folding_the_ledger(member_targets):
    rows = ledger(member_targets, 0, 1)
    if not rows:
        return
    as_rows = sorted(
        ((r.quantity, r.tolerance, r.at, r.seq) for r in rows), key=lambda r: (r[2], r[3])
    )
    assert demand_line_from_rows(7, as_rows) == demand_line(7, rows)


households = st.lists(targets, min_size=1, max_size=12)


def lines_of(members: list[list[tuple[int, int]]]):
    lines, seq = [], 1
    for number, member_targets in enumerate(members, start=1):
        rows = ledger(member_targets, number * 3, seq)
        seq += len(member_targets)
        if rows:
            line = demand_line(number, rows)
            if line.quantity or line.tolerance:
                lines.append(line)
    return lines


@settings(max_examples=200)
@given(
    households,
    st.sampled_from(list(Strategy)),
    st.integers(1, 12),
    st.integers(0, 200),
    st.booleans(),
)
def test_allocation_properties(members, strategy, case_size, percent, use_tolerance):
    lines = lines_of(members)
    if not lines:
        return
    firm = sum(line.quantity for line in lines)
    spare = sum(line.tolerance for line in lines)
    ordered = summarize(firm, spare, case_size).units_ordered
    received = min(ordered * percent // 100, 2 * ordered)  # never more than twice the order
    for available in (ordered, received):
        result = allocate(lines, available, strategy, use_tolerance=use_tolerance)
        cap = [line.quantity + (line.tolerance if use_tolerance else 0) for line in lines]
        if strategy is not Strategy.NONE:
            # never more than there is, nor more than anyone accepts
            assert sum(result.allocated) <= available
            assert all(0 <= got <= c for got, c in zip(result.allocated, cap, strict=True))
            assert sum(result.allocated) == min(available, sum(cap))
        else:
            assert (
                all(got >= line.quantity for got, line in zip(result.allocated, lines, strict=True))
                or available == 0
            )
        if available >= firm:  # enough goods: everyone gets at least the firm quantity
            assert all(
                got >= line.quantity for got, line in zip(result.allocated, lines, strict=True)
            )
        # deterministic, whatever the order the lines come in
        shuffled = list(range(len(lines)))
        random.Random(available).shuffle(shuffled)
        again = allocate(
            [lines[i] for i in shuffled], available, strategy, use_tolerance=use_tolerance
        )
        assert [again.allocated[shuffled.index(i)] for i in range(len(lines))] == list(
            result.allocated
        )
        assert allocate(lines, available, strategy, use_tolerance=use_tolerance) == result


articles = st.lists(
    st.tuples(
        st.integers(1, 5000),  # price excl. VAT, cents per piece or per kg
        st.sampled_from([0, 210, 550, 1000, 2000]),
        st.booleans(),  # sold by weight (grams)
        st.integers(0, 30),  # units the supplier bills (× 137 g when weighed)
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=200)
@given(articles, st.integers(1, 9), st.randoms(use_true_random=False))
def test_charges_add_up_to_the_supplier_total_within_the_shown_rounding(items, members, rnd):
    priced, allocations = [], {}
    for article_id, (price, vat, weighed, units) in enumerate(items, start=1):
        units = units * 137 if weighed else units
        priced.append(PricedArticle(article_id, f"A{article_id}", price, vat, weighed, units))
        given = {}
        left = units + rnd.randint(0, 2)  # sometimes households keep more than arrived (none)
        for member in range(1, members + 1):
            take = rnd.randint(0, left)
            if take:
                given[member] = take
                left -= take
        allocations[article_id] = given
    charges, rec = reconcile(priced, allocations)
    # each charge is the invoice the accounts would issue for the same lines
    for member, totals in charges.items():
        lines = [
            InvoiceLineIn(
                a.label,
                allocations[a.article_id][member],
                a.price_cents,
                Decimal(a.vat_rate_bp) / 100,
                a.by_weight,
            )
            for a in priced
            if allocations[a.article_id].get(member)
        ]
        assert (
            totals.incl_vat_cents == price_invoice(lines, prices_include_vat=False).incl_vat_cents
        )
    # the three sides add up exactly once the shown rounding is counted
    assert rec.supplier_excl_vat_cents == (
        rec.members_excl_vat_cents + rec.surplus_excl_vat_cents + rec.rounding_excl_vat_cents
    )
    assert rec.supplier_incl_vat_cents == (
        rec.members_incl_vat_cents + rec.surplus_incl_vat_cents + rec.rounding_incl_vat_cents
    )
    # and the rounding is small: half a cent per amount rounded (lines, then VAT per rate)
    member_lines = sum(len(given) for given in allocations.values())
    rates = len({a.vat_rate_bp for a in priced})
    excl_bound = (member_lines + 2 * len(priced)) / 2
    assert abs(rec.rounding_excl_vat_cents) <= excl_bound
    incl_bound = excl_bound + (len(charges) * rates + 2 * rates) / 2 + excl_bound * 0.2 + 1
    assert abs(rec.rounding_incl_vat_cents) <= incl_bound
    # with every unit allocated and whole-cent lines, nothing is lost at all
    if all(sum(allocations[a.article_id].values()) == a.units for a in priced) and not any(
        a.by_weight for a in priced
    ):
        assert rec.rounding_excl_vat_cents == 0
        assert rec.surplus_excl_vat_cents == 0
    assert all(line_amount_cents(a.price_cents, 0, a.by_weight) == 0 for a in priced)
