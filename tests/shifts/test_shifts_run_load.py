"""The daily run's load (``daily.Batch._load``): states that differ from one already read only
in their day-bound columns (``records.DAY_BOUND_FIELDS``) are built as copies of it with their
own figures; each must be exactly the state its row holds (``records.state_from``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import update

from coop.shifts import records
from coop.shifts.daily import Batch
from coop.shifts.models import ShiftMemberState
from coop.shifts.policy import PRESETS

from .conftest import ANCHOR, Coop, moment

TODAY = date(2026, 11, 30)
DAYS = (None, date(2026, 6, 3), date(2026, 10, 15), date(2026, 11, 28))
BEFORES = (None, date(2026, 9, 1), date(2026, 9, 2))


@pytest.mark.parametrize("preset", ["louve", "tapir"])
def test_states_loaded_as_copies_are_those_their_rows_hold(session, actor, now, preset):
    coop = Coop(session, actor, now, policy=replace(PRESETS[preset], week_anchor=ANCHOR))
    ids = [coop.member(200 + n).id for n in range(24)]
    coop.at(moment(date(2026, 11, 29), 6)).run(date(2026, 11, 29))
    for n, member_id in enumerate(ids):
        since = date(2026, 10, 1) if n % 2 else None  # two groups alike but for the day-bound
        values = {
            "standard": -1 if n % 2 else 0,
            "balance": -1 if n % 2 else 0,
            "standard_negative_since": since,
            "alert_since": since,
            "below_freeze_since": since,
            "figures_day": DAYS[n % len(DAYS)],
            "standard_negative_before": BEFORES[n % 3],
            "ftop_negative_before": BEFORES[(n // 3) % 3],
            "alert_before": BEFORES[(n + 1) % 3],
            "below_freeze_before": BEFORES[(n // 2) % 3],
        }
        session.execute(
            update(ShiftMemberState).where(ShiftMemberState.member_id == member_id).values(values)
        )
    session.flush()
    session.expire_all()
    batch = Batch(session, settings=coop.settings, actor=actor, now=moment(TODAY, 6), today=TODAY)
    loaded = [batch.members[member_id] for member_id in ids]
    assert len({id(m.state) for m in loaded}) > 2  # distinct states: copies were made
    for member in loaded:
        assert member.state == records.state_from(member.before), member.member_id
        assert member.before["alert_before"] == member.state.figures.alert.since_before
