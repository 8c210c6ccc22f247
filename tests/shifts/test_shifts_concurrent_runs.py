"""Two daily runs at once (issue 17 §6), with two real concurrent transactions: the second is
told the truth. On PostgreSQL it is refused at once, "already in progress", and saves nothing;
on SQLite it waits for the first (BEGIN IMMEDIATE) and then says the day was already run, by
whom; either way each cycle is debited once."""

from __future__ import annotations

import threading
import time as clock
from datetime import date

from sqlalchemy import func, select

from coop.audit import Actor
from coop.db import make_engine, make_session_factory
from coop.shifts import service
from coop.shifts.models import ShiftLedgerEntry
from coop.shifts.run_guard import DailyRunBusy

from .conftest import moment
from .test_shifts_booking import _setup_last_place


def test_the_loser_of_two_daily_runs_gets_a_true_sentence(database_url, now, tmp_path):
    _shift, settings = _setup_last_place(database_url, now, Actor("setup"), tmp_path)
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    cycle_day = date(2026, 11, 30)  # a cycle start: each member owes one shift
    first_in = threading.Event()
    outcomes: dict[str, object] = {}

    def first() -> None:
        with factory() as session, session.begin():
            service.run(
                session,
                today=cycle_day,
                settings=settings,
                actor=Actor("poste 1"),
                now=moment(cycle_day, 6),
            )
            first_in.set()
            clock.sleep(1.0)  # still running when the second starts
        outcomes["first"] = "committed"

    def second() -> None:
        first_in.wait(timeout=10)
        try:
            with factory() as session, session.begin():
                outcomes["second"] = service.run(
                    session,
                    today=cycle_day,
                    settings=settings,
                    actor=Actor("poste 2"),
                    now=moment(cycle_day, 6, 1),
                )
        except DailyRunBusy as error:
            outcomes["second"] = error

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes["first"] == "committed"
    second_outcome = outcomes["second"]
    if engine.dialect.name == "postgresql":
        assert isinstance(second_outcome, DailyRunBusy)
        assert "already in progress" in str(second_outcome)
    else:
        assert not isinstance(second_outcome, Exception)
        assert second_outcome.already is not None and second_outcome.already.actor == "poste 1"
        assert second_outcome.changed == 0 and second_outcome.cycles == 0
    with factory() as session:
        debits = session.scalar(
            select(func.count()).select_from(ShiftLedgerEntry).where(ShiftLedgerEntry.delta < 0)
        )
    engine.dispose()
    assert debits == 3  # one per member, never twice


def test_a_second_run_the_same_day_says_it_was_already_done(database_url, now, tmp_path):
    _shift, settings = _setup_last_place(database_url, now, Actor("setup"), tmp_path)
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    day = date(2026, 11, 30)
    reports = []
    for actor in ("poste 1", "poste 2"):
        with factory() as session, session.begin():
            reports.append(
                service.run(
                    session, today=day, settings=settings, actor=Actor(actor), now=moment(day, 6)
                )
            )
    engine.dispose()
    assert reports[0].already is None
    assert reports[1].already.actor == "poste 1" and reports[1].changed == 0
