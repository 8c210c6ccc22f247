"""The daily run shares one answer among members in the same state who joined at different
dates before the days the pass looks at (``daily._joined``: the rules read the join date only
as ``member_since <= day``); a member who joined on one of those days keeps an answer of
their own. Each member's outcome must be the one their account gives when worked out alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import update

from coop.members.models import Member
from coop.shifts.daily import Batch
from coop.shifts.policy import PRESETS

from .conftest import ANCHOR, Coop, moment
from .test_shifts_run_shared import _outcome

CYCLE_DAY = date(2026, 11, 30)  # a cycle start (see conftest)
LAST_RUN = date(2026, 11, 29)
EARLY = [date(2019, 3, 1) + timedelta(days=97 * n) for n in range(10)]  # all before LAST_RUN
LATE = [CYCLE_DAY, date(2026, 12, 1)]  # on the days a catch-up to 2 December looks at


def _alone(session, coop: Coop, actor, at, today: date, member_id: int) -> Batch:
    """A batch of that member only, advanced."""
    batch = Batch(session, settings=coop.settings, actor=actor, now=at, today=today)
    batch.members = {member_id: batch.members[member_id]}
    batch.advance(batch.members[member_id])
    return batch


@pytest.mark.parametrize("preset", ["louve", "bees", "tapir"])
@pytest.mark.parametrize("today", [CYCLE_DAY, date(2026, 12, 2)])
def test_members_who_joined_at_different_dates_share_an_answer(session, actor, now, preset, today):
    coop = Coop(session, actor, now, policy=replace(PRESETS[preset], week_anchor=ANCHOR))
    ids = [coop.member(200 + n, joined=EARLY[0]).id for n in range(len(EARLY) + len(LATE))]
    coop.at(moment(LAST_RUN, 6)).run(LAST_RUN)  # enrolled alike: one state for all
    for member_id, joined in zip(ids, EARLY + LATE, strict=True):
        session.execute(update(Member).where(Member.id == member_id).values(joined_on=joined))
    session.flush()
    session.expire_all()
    at = moment(today, 6)
    whole = Batch(session, settings=coop.settings, actor=actor, now=at, today=today)
    assert {id(whole.members[m].state) for m in ids} == {id(whole.members[ids[0]].state)}
    for member in whole.members.values():
        whole.advance(member)
    # the early joiners share one answer; each late joiner after the last run has their own
    late = [day for day in LATE if day > LAST_RUN]
    assert len(whole._advanced) == 1 + len(late)
    for member_id in ids:
        alone = _alone(session, coop, actor, at, today, member_id)
        assert _outcome(whole, member_id) == _outcome(alone, member_id), member_id
    if preset != "bees" and today > CYCLE_DAY:  # BEES debits no one without a slot
        # the cycle of 30 November is owed only by those who were members that day
        debited = {m for m, cycle in whole.cycles if cycle.owed and cycle.on == CYCLE_DAY}
        assert debited == set(ids) - {ids[-1]}
