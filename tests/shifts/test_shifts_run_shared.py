"""The daily run works out one answer per group of members in the same state and copies it
(``daily.Batch.advance``); members who differ only by the figures' day (the date of their last
ledger entry) and the runs' values of the day before it share an answer. Each member's
outcome must be the one their own account gives when it is worked out alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import update

from coop.shifts import history, records
from coop.shifts.daily import Batch
from coop.shifts.models import ShiftMemberState
from coop.shifts.policy import PRESETS

from .conftest import ANCHOR, Coop, moment

CYCLE_DAY = date(2026, 11, 30)  # a cycle start (see conftest)
FIGURES_DAYS = (None, date(2026, 6, 3), date(2026, 10, 15), date(2026, 11, 28), date(2026, 11, 29))
MODES = ("regular", "flying", "exempt")


def _accounts(coop: Coop, count: int) -> list[int]:
    """``count`` members enrolled by a run the day before the cycle, then given the same
    counters and clocks per mode but figures' days of their own; one in four on leave."""
    ids = [coop.member(100 + n).id for n in range(count)]
    coop.at(moment(CYCLE_DAY.replace(day=29), 6)).run(date(2026, 11, 29))
    for n, member_id in enumerate(ids):
        values = {
            "mode": MODES[n % 3],
            "figures_day": FIGURES_DAYS[n % len(FIGURES_DAYS)],
            "standard": -1 if n % 2 else 0,
            "ftop": -2 if n % 2 else 1,
            "regular": -1 if n % 2 else 0,
            "balance": -1 if n % 2 else 0,
            "standard_negative_since": date(2026, 10, 1) if n % 2 else None,
            "standard_negative_before": date(2026, 9, 1 + n % 7) if n % 2 else None,
            "alert_since": date(2026, 10, 1) if n % 2 else None,
            "alert_before": date(2026, 9, 1 + n % 5) if n % 2 else None,
        }
        if n % 4 == 3:
            values.update(
                leave_kind="holiday", leave_start=date(2026, 11, 20), leave_end=date(2026, 12, 20)
            )
        coop.session.execute(
            update(ShiftMemberState).where(ShiftMemberState.member_id == member_id).values(values)
        )
    coop.session.flush()
    coop.session.expire_all()
    return ids


def _outcome(batch: Batch, member_id: int) -> tuple[object, ...]:
    member = batch.members[member_id]
    return (
        member.state,
        member.cycles_until,
        [cycle for m, cycle in batch.cycles if m == member_id],
        [(entry, at) for m, entry, at in batch.entries if m == member_id],
        list(member.actions),
    )


@pytest.mark.parametrize("preset", ["louve", "bees", "tapir"])
@pytest.mark.parametrize("today", [CYCLE_DAY, date(2026, 12, 2)])
def test_members_sharing_an_answer_get_their_own(session, actor, now, preset, today):
    coop = Coop(session, actor, now, policy=replace(PRESETS[preset], week_anchor=ANCHOR))
    ids = _accounts(coop, 30)
    at = moment(today, 6)
    whole = Batch(session, settings=coop.settings, actor=actor, now=at, today=today)
    for member in whole.members.values():
        whole.advance(member)
    days = {whole.members[m].state.figures.day for m in ids}
    assert date(2026, 10, 15) in days  # kept by members not debited
    if preset != "bees":  # BEES debits no one without a slot or a personal cycle
        assert CYCLE_DAY in days  # the debit's day for the others
    assert len(whole._advanced) < len(ids)  # answers were shared
    for member_id in ids:
        alone = Batch(session, settings=coop.settings, actor=actor, now=at, today=today)
        for other in [m for m in alone.members if m != member_id]:
            del alone.members[other]
        alone.advance(alone.members[member_id])
        assert _outcome(whole, member_id) == _outcome(alone, member_id), member_id
    # written as worked out: the states' writer judges a change once for the states loaded
    # alike but for their day-bound columns
    changed, _actions = whole.write()
    stored = {member_id: _values(history.cached_state(session, member_id)) for member_id in ids}
    # (a state whose only change is its date is not rewritten: see ``Batch``)
    assert stored == {member_id: _values(whole.members[member_id].state) for member_id in ids}
    assert changed == sum(
        1 for m in whole.members.values() if _values(m.before) != _values(m.state)
    )


def _values(values_or_state: object) -> dict[str, object]:
    """A state's columns but its date (``as_of``): what makes a state count as changed."""
    if isinstance(values_or_state, dict):
        values = dict(values_or_state)
    else:
        values = records.state_values(values_or_state)  # type: ignore[arg-type]
    values.pop("as_of")
    return values
