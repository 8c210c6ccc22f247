"""``replay.replay_many`` (every member's ledger folded in one pass) gives exactly the figures
of ``rules.replay`` member by member, for every preset, on random interleaved ledgers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coop.shifts.policy import BEES, LOUVE, TAPIR, Counter
from coop.shifts.replay import replay_many
from coop.shifts.rules import EntryKind, Figures, LedgerEntry, ShiftRuleError, replay

D0 = date(2026, 1, 5)

entries = st.builds(
    lambda gap, counter, delta, kind, detail: (gap, counter, delta, kind, detail),
    st.integers(0, 3),
    st.sampled_from(list(Counter)),
    st.integers(-3, 3),
    st.sampled_from(list(EntryKind)),
    st.sampled_from(["", "penalty", "in_credit", "deficit", "attended"]),
)


def ledger(steps: list[tuple[int, Counter, int, EntryKind, str]]) -> list[LedgerEntry]:
    day, result = D0, []
    for gap, counter, delta, kind, detail in steps:
        day += timedelta(days=gap)
        result.append(LedgerEntry(day, counter, delta, kind, detail=detail))
    return result


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([LOUVE, BEES, TAPIR]),
    st.lists(st.lists(entries, max_size=25), min_size=1, max_size=4),
    st.randoms(use_true_random=False),
    st.booleans(),
)
def test_replay_many_equals_replay_per_member(policy, ledgers, rnd, as_text):
    per_member = {member: ledger(steps) for member, steps in enumerate(ledgers)}
    # interleave the members' rows, each member's own rows staying in ledger order
    queues = {m: list(rows) for m, rows in per_member.items() if rows}
    rows = []
    while queues:
        member = rnd.choice(sorted(queues))
        entry = queues[member].pop(0)
        if not queues[member]:
            del queues[member]
        day = entry.on.isoformat() if as_text else entry.on
        rows.append((member, day, entry.counter.value, entry.delta, entry.kind.value, entry.detail))
    folded = replay_many(policy, rows)
    for member, member_ledger in per_member.items():
        assert folded.get(member, Figures()) == replay(policy, member_ledger)


def test_a_day_going_back_is_refused_like_the_fold():
    rows = [
        (1, date(2026, 1, 6), "ftop", -1, "cycle", "deficit"),
        (1, date(2026, 1, 5), "ftop", 1, "attendance", "attended"),
    ]
    with pytest.raises(ShiftRuleError):
        replay_many(LOUVE, rows)
