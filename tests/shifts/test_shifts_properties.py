"""Invariants of the ledger rules, for every preset, on random histories (hypothesis)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from coop.shifts.desk_rules import grace_possible
from coop.shifts.policy import (
    BEES,
    LOUVE,
    TAPIR,
    AttendanceState,
    Counter,
    ShiftPolicy,
    System,
    WorkMode,
)
from coop.shifts.rules import (
    Adjust,
    Counters,
    EntryKind,
    Figures,
    GrantGrace,
    LedgerEntry,
    MarkAttendance,
    MemberFacts,
    MemberState,
    Run,
    ShiftRuleError,
    StartCycle,
    apply,
    cycle_ref,
    member_status,
    replay,
    run_day,
    status_at,
)

D0 = date(2026, 1, 5)
REFS = ["a1", "a2", "a3", "a4"]
policies = st.sampled_from([LOUVE, BEES, TAPIR])
modes = st.sampled_from([WorkMode.REGULAR, WorkMode.FLYING])
states = st.sampled_from(list(AttendanceState))


@dataclass
class History:
    policy: ShiftPolicy
    state: MemberState
    ledger: list[LedgerEntry] = field(default_factory=list)
    last_state: dict[str, MarkAttendance] = field(default_factory=dict)

    def prior(self, ref: str) -> list[LedgerEntry]:
        return [e for e in self.ledger if e.ref == ref]

    def apply(self, event) -> None:
        ref = cycle_ref(event.on) if isinstance(event, StartCycle) else event.ref
        try:
            out = apply(self.policy, self.state, event, prior=self.prior(ref))
        except ShiftRuleError:
            return  # a refused event (above the cap) leaves everything unchanged
        self.state = out.state
        self.ledger.extend(out.entries)
        if isinstance(event, MarkAttendance):
            self.last_state[event.ref] = event


@st.composite
def events(draw, start: date = D0):
    """A dated sequence of attendances (often on the same refs), cycles and manual entries."""
    day = start
    result = []
    for _ in range(draw(st.integers(min_value=0, max_value=25))):
        day += timedelta(days=draw(st.integers(min_value=0, max_value=9)))
        kind = draw(st.sampled_from(["mark", "mark", "mark", "cycle", "adjust"]))
        if kind == "mark":
            result.append(
                MarkAttendance(
                    ref=draw(st.sampled_from(REFS)),
                    on=day,
                    state=draw(states),
                    from_template=draw(st.booleans()),
                    credit=draw(st.sampled_from([None, 1, 2])),
                    closure_makeups=draw(st.sampled_from([None, 0, 1])),
                )
            )
        elif kind == "cycle":
            result.append(StartCycle(on=day))
        else:
            counter = draw(st.sampled_from(list(Counter)))
            result.append(
                Adjust(
                    ref=f"m{len(result)}",
                    on=day,
                    counter=counter,
                    delta=draw(st.integers(min_value=-3, max_value=3)),
                )
            )
    return result


def observable(state: MemberState) -> tuple:
    """What a member or the desk can see (the day bookkeeping of the clocks left out)."""
    f = state.figures
    clocks = (f.standard_negative, f.ftop_negative, f.alert, f.below_freeze)
    return (
        state.counters,
        tuple(run.since for run in clocks),
        f.penalised,
        state.status,
        state.extension,
        state.leave,
        state.frozen_since,
    )


def run(policy, mode, history_events) -> History:
    history = History(policy, MemberState(mode=mode))
    for event in history_events:
        history.apply(event)
    return history


@settings(max_examples=200)
@given(policy=policies, mode=modes, history_events=events())
def test_replaying_the_ledger_gives_the_cached_figures(policy, mode, history_events):
    history = run(policy, mode, history_events)
    assert replay(policy, history.ledger) == history.state.figures
    sums: dict[Counter, int] = {}
    for entry in history.ledger:
        sums[entry.counter] = sums.get(entry.counter, 0) + entry.delta
    assert all(history.state.counters.get(c) == sums.get(c, 0) for c in Counter)


@settings(max_examples=200)
@given(policy=policies, mode=modes, history_events=events())
def test_status_at_last_day_equals_cached_status(policy, mode, history_events):
    history = run(policy, mode, history_events)
    if history.state.as_of is None:
        return
    at = history.state.as_of
    assert status_at(policy, history.state, history.ledger, at) is history.state.status
    assert member_status(policy, history.state, MemberFacts(), at) is history.state.status


@settings(max_examples=200)
@given(
    policy=policies,
    mode=modes,
    history_events=events(),
    first=states,
    final=states,
    from_template=st.booleans(),
    closure=st.sampled_from([None, 0, 1]),
)
def test_changing_state_twice_equals_setting_final_state_once(
    policy, mode, history_events, first, final, from_template, closure
):
    history = run(policy, mode, history_events)
    day = (history.state.as_of or D0) + timedelta(days=1)
    twice = History(policy, history.state, list(history.ledger))
    once = History(policy, history.state, list(history.ledger))
    mark = MarkAttendance(
        ref="x", on=day, state=first, from_template=from_template, closure_makeups=closure
    )
    twice.apply(mark)
    twice.apply(replace(mark, state=final))
    once.apply(replace(mark, state=final))
    assert observable(twice.state) == observable(once.state)
    assert sum(e.delta for e in twice.prior("x")) == sum(e.delta for e in once.prior("x"))


@settings(max_examples=200)
@given(policy=policies, mode=modes, history_events=events())
def test_marking_the_current_state_again_is_a_no_op(policy, mode, history_events):
    """Re-marking adds nothing once the effect is up to date with the counters it depends on."""
    history = run(policy, mode, history_events)
    for ref, event in history.last_state.items():
        again = replace(event, on=history.state.as_of)
        written = len(history.ledger)
        history.apply(again)
        if policy.system is System.TAPIR:  # Tapir's effects never depend on the counters
            assert len(history.ledger) == written
        out = apply(policy, history.state, again, prior=history.prior(ref))
        assert out.entries == ()
        assert out.state.counters == history.state.counters


@settings(max_examples=300)
@given(history_events=events(), mode=modes)
def test_louve_standard_counter_never_above_zero(history_events, mode):
    history = History(LOUVE, MemberState(mode=mode))
    for event in history_events:
        history.apply(event)
        assert history.state.counters.standard <= 0


@settings(max_examples=100)
@given(policy=policies, mode=modes, history_events=events(), gap=st.integers(0, 60))
def test_daily_run_is_idempotent(policy, mode, history_events, gap):
    history = run(policy, mode, history_events)
    today = (history.state.as_of or D0) + timedelta(days=gap)
    facts = MemberFacts()
    first = run_day(policy, history.state, facts, today)
    second = run_day(policy, first.state, facts, today)
    assert second.state == first.state
    assert second.actions == ()


@settings(max_examples=100)
@given(policy=policies, mode=modes, history_events=events())
def test_entries_are_dated_in_order_and_never_zero(policy, mode, history_events):
    history = run(policy, mode, history_events)
    assert all(e.delta != 0 for e in history.ledger)
    assert [e.on for e in history.ledger] == sorted(e.on for e in history.ledger)
    assert all(e.kind in EntryKind for e in history.ledger)


def _grace_applies(policy, state, facts, day) -> bool:
    try:
        apply(policy, state, GrantGrace(on=max(day, state.as_of or day)), facts=facts)
    except ShiftRuleError:
        return False
    return True


@settings(max_examples=300)
@given(
    policy=policies,
    mode=modes,
    history_events=events(),
    gap=st.integers(-10, 90),
    first_grace=st.one_of(st.none(), st.integers(0, 60)),
    worker=st.booleans(),
)
def test_the_desk_asks_for_a_grace_as_the_rules_apply_it(
    policy, mode, history_events, gap, first_grace, worker
):
    """A desk check (``desk_rules.grace_possible``, which loads none of the rules' events) says a
    grace is possible exactly when ``rules.apply`` of a ``GrantGrace`` that day is not refused,
    a grace already granted or not."""
    facts = MemberFacts(is_worker=worker)
    state = run(policy, mode, history_events).state
    if first_grace is not None:
        on = (state.as_of or D0) + timedelta(days=first_grace)
        if _grace_applies(policy, state, facts, on):
            state = apply(policy, state, GrantGrace(on=on), facts=facts).state
    day = (state.as_of or D0) + timedelta(days=gap)
    assert grace_possible(policy, state, facts, day) is _grace_applies(policy, state, facts, day)


def test_a_grace_is_possible_for_a_suspended_member_once():
    """La Louve: a member suspended (standard counter negative past the alert's 28 days) may
    get a grace at the desk; once granted, not a second one."""
    state = MemberState(
        figures=Figures(counters=Counters(standard=-1), standard_negative=Run(since=D0))
    )
    day = D0 + timedelta(days=40)
    facts = MemberFacts()
    assert member_status(LOUVE, state, facts, day).value == "suspended"
    assert grace_possible(LOUVE, state, facts, day)
    assert not grace_possible(TAPIR, state, facts, day)  # Tapir has no grace
    granted = apply(LOUVE, state, GrantGrace(on=day), facts=facts).state
    assert granted.extension is not None and granted.extension.grace
    assert not grace_possible(LOUVE, granted, facts, day + timedelta(days=1))
    assert not grace_possible(LOUVE, MemberState(), facts, day)  # up to date: nothing to grant
