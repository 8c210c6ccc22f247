"""Everyone's status at a past date, and the paper status list's data: the same verdicts as the
one-member readers (``status_on``, the desk check), in a number of statements that does not
grow with the coop (counted with a SQLAlchemy event listener at two sizes)."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlalchemy import event

from coop.clock import SHOP_TIMEZONE
from coop.config import Settings
from coop.members import service as members
from coop.shifts import census, desk, service
from coop.shifts.documents import status_list
from coop.shifts.policy import TAPIR

from .conftest import Coop, moment

TEMPLATES = (
    "SAM;Samedi après-midi;;samedi;14:00;17:00;4;",
    "MAR;Mardi matin;;mardi;09:00;12:00;4;",
)
PAST = (date(2026, 11, 20), date(2026, 12, 5), date(2026, 12, 26), date(2027, 1, 20))


@contextmanager
def statements(session):
    """Count the SQL statements sent while the block runs."""
    sent: list[str] = []
    engine = session.get_bind()

    def count(conn, cursor, statement, *args):
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", count)


def coop_of(coop: Coop, tmp_path, size: int) -> Coop:
    """``size`` members with a history: two hold the Saturday slot (one misses it, then makes
    up), one flying member works once, one household has an associated person; three months
    of daily runs, the cached states dated after every PAST day."""
    coop.templates(tmp_path, *TEMPLATES)
    for number in range(1, size + 1):
        coop.member(number)
    coop.member(size + 1, main=3)
    coop.hold(1, "SAM", date(2026, 11, 21))
    coop.hold(2, "SAM", date(2026, 11, 21))
    coop.generate(date(2026, 11, 21), date(2027, 2, 28))
    coop.run(date(2026, 11, 21))
    saturday = coop.shift_on(date(2026, 11, 21), "SAM")
    coop.after(saturday).mark(saturday, 1, "missed")
    tuesday = coop.shift_on(date(2026, 12, 29), "MAR")
    coop.at(moment(date(2026, 12, 28), 8)).book(1, tuesday)
    coop.book(3, tuesday)
    coop.after(tuesday).mark(tuesday, 1, "attended")
    coop.mark(tuesday, 3, "attended")
    coop.at(date(2027, 2, 1)).run(date(2027, 2, 1))
    return coop


def rows_and_count(coop: Coop, day: date):
    with statements(coop.session) as sent:
        rows = service.statuses(coop.session, at=day, settings=coop.settings)
    return rows, len(sent)


def one_by_one(coop: Coop, day: date) -> dict[int, tuple[str, bool, dict[str, int]]]:
    result = {}
    for row in service.statuses(coop.session, at=day, settings=coop.settings):
        member = members.get_by_number(coop.session, row.number)
        found = service.status_on(coop.session, coop.settings, member, day)
        assert found is not None
        status, state = found
        counters = {c.value: state.counters.get(c) for c in coop.policy.counters}
        result[row.number] = (status.value, coop.policy.can_shop(status), counters)
    return result


def test_statuses_at_past_dates_match_the_member_by_member_reading(coop: Coop, tmp_path):
    coop_of(coop, tmp_path, 6)
    seen = set()
    for day in PAST:
        rows, _ = rows_and_count(coop, day)
        together = {r.number: (r.status.value, r.can_shop, r.counters) for r in rows}
        assert together == one_by_one(coop, day)
        seen.update(status for status, _, _ in together.values())
    assert {"up_to_date", "alert", "suspended"} <= seen  # the histories do differ


@pytest.mark.parametrize("few", [500, 2])  # members named in the queries, or read in full
def test_statuses_send_as_many_statements_for_3_members_as_for_12(
    coop: Coop, tmp_path, monkeypatch, few
):
    monkeypatch.setattr(census, "FEW", few)
    coop_of(coop, tmp_path, 3)
    rows, small = rows_and_count(coop, date(2027, 1, 20))
    assert len(rows) == 3
    for number in range(5, 14):
        coop.member(number)
    coop.at(date(2027, 2, 2)).run(date(2027, 2, 2))
    coop.at(date(2027, 2, 20)).run(date(2027, 2, 20))
    day = date(2027, 2, 10)  # before every cached state's date: all rebuilt
    rows, grown = rows_and_count(coop, day)
    assert len(rows) == 12
    assert grown == small
    assert {r.number: (r.status.value, r.can_shop, r.counters) for r in rows} == one_by_one(
        coop, day
    )


def test_tapir_statuses_use_the_upcoming_shifts_in_the_same_statements(
    session, actor, now, tmp_path
):
    coop = coop_of(Coop(session, actor, now, TAPIR), tmp_path, 5)
    for day in PAST:
        rows, _ = rows_and_count(coop, day)
        assert {r.number: (r.status.value, r.can_shop, r.counters) for r in rows} == one_by_one(
            coop, day
        )


def test_status_list_data_is_the_desk_verdict_in_constant_statements(coop: Coop, tmp_path):
    coop_of(coop, tmp_path, 4)
    settings = replace(Settings(), shifts=coop.settings)
    day = date(2026, 12, 26)
    printed = datetime(2026, 12, 26, 9, tzinfo=SHOP_TIMEZONE)
    with statements(coop.session) as small:
        listing = status_list(coop.session, day, settings=settings, printed_at=printed)
    for row in listing.rows:
        verdict = desk.check(coop.session, str(row.number), at=printed, settings=coop.settings)
        assert row.can_shop is verdict.can_shop
        assert row.status == verdict.status_text
        expected = "" if verdict.status.value == "up_to_date" else verdict.counters_text
        assert row.note.endswith(expected)
    assert any(not row.can_shop for row in listing.rows)
    for number in range(6, 16):
        coop.member(number)
    with statements(coop.session) as grown:
        bigger = status_list(coop.session, day, settings=settings, printed_at=printed)
    assert len(bigger.rows) == len(listing.rows) + 10
    assert len(grown) == len(small)
