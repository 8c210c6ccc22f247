"""The demo's shift history shows every status the default rules can reach, whatever "today"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from coop.clock import SHOP_TIMEZONE
from coop.config import Settings, sqlite_url
from coop.db import make_engine, make_session_factory
from coop.demo import build_demo
from coop.shifts.models import ShiftMemberState


def test_demo_history_on_a_day_after_spring_holidays(tmp_path):
    # 12 June 2027: the history (from 13 March) crosses Easter Monday, 1 and 8 May, Ascension
    # and Whit Monday; the written stories must still give every status.
    target = tmp_path / "demo.sqlite3"
    now = datetime(2027, 6, 12, 10, tzinfo=SHOP_TIMEZONE)
    build_demo(target, settings=Settings(database_url=sqlite_url(tmp_path / "real.db")), now=now)
    engine = make_engine(sqlite_url(target))
    with make_session_factory(engine)() as session:
        statuses = dict(
            session.execute(
                select(ShiftMemberState.status, func.count()).group_by(ShiftMemberState.status)
            ).all()
        )
    engine.dispose()
    expected = {"up_to_date", "alert", "delay", "suspended", "on_leave", "exempted"}
    assert expected | {"unsubscribed"} <= set(statuses)
    assert statuses["up_to_date"] > sum(statuses.values()) / 2
