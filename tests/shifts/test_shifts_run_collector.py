"""The daily run and everyone's status pause Python's cycle collector while they work
(``coop.collector.paused_gc``) and leave it as they found it: enabled or not, after a run and
after a refused one."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date

import pytest

from coop.collector import paused_gc
from coop.shifts import census, daily, history

from .conftest import Coop, moment

DAY = date(2026, 11, 30)


@pytest.fixture
def collector() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.parametrize("enabled", [True, False])
def test_the_run_pauses_the_collector_and_restores_it(
    session, actor, now, collector, monkeypatch, enabled
):
    coop = Coop(session, actor, now)
    coop.member(300)
    seen: list[bool] = []
    write = daily.Batch.write

    def watched(batch: daily.Batch) -> object:
        seen.append(gc.isenabled())
        return write(batch)

    monkeypatch.setattr(daily.Batch, "write", watched)
    if enabled:
        gc.enable()
    else:
        gc.disable()
    report = coop.at(moment(DAY, 6)).run(DAY)
    assert report.members == 1
    assert seen == [False]  # paused while the batch writes
    assert gc.isenabled() is enabled


def test_the_collector_comes_back_after_a_refused_run(collector):
    gc.enable()
    with pytest.raises(RuntimeError), paused_gc():
        assert not gc.isenabled()
        raise RuntimeError("refused")
    assert gc.isenabled()


@pytest.mark.parametrize("enabled", [True, False])
def test_everyones_status_pauses_the_collector_and_restores_it(
    session, actor, now, settings, collector, monkeypatch, enabled
):
    coop = Coop(session, actor, now)
    coop.member(300)
    coop.at(moment(DAY, 6)).run(DAY)
    seen: list[bool] = []
    states_on = census.states_on

    def watched(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return states_on(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(census, "states_on", watched)
    if enabled:
        gc.enable()
    else:
        gc.disable()
    rows = history.statuses(session, at=DAY, settings=settings.shifts)
    assert [row.number for row in rows] == [300]
    assert seen == [False]  # paused while the members' states are rebuilt
    assert gc.isenabled() is enabled
