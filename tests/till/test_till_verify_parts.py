"""A long journal is verified in parts on several processes: the verdict must be the same as
one pass — every part holds and each part starts exactly where the previous one ended."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from coop.till import verify
from coop.till.journal import canonical_bytes, document_bytes, hash_bytes

from .conftest import BREAD, JAM, cash, drop_triggers


@pytest.fixture
def week(shop):
    """Five days of three sales each, every day closed by its Z: seqs 1-3 sales, 4 Z, 5-7, 8..."""
    for _day in range(5):
        shop.open()
        for _ in range(3):
            shop.later(minutes=10).sell(JAM, BREAD, tenders=[cash(815)])
        shop.later(hours=1).close(10000 + 3 * 815)
        shop.later(minutes=1).z()
        shop.later(days=1)
    shop.session.commit()
    return shop


def parts(shop, **kw):
    shop.session.commit()
    [verdict] = verify.verify(shop.session, workers=3, **kw)
    return verdict


def test_parts_give_the_same_verdict(week):
    one = verify.verify(week.session, workers=1)[0]
    several = parts(week)
    assert one.ok and several.ok
    assert (
        (one.checked, one.last_hash) == (several.checked, several.last_hash) == (20, one.last_hash)
    )
    boundaries = verify._boundaries(week.session, 1, 20, 3)
    assert boundaries == [1, 9, 17]  # right after the Zs at seqs 8 and 16


def test_a_change_in_a_later_part_is_named(week):
    drop_triggers(week.session)
    week.session.execute(
        text(
            "UPDATE sale_lines SET label = 'x' WHERE line_no = 2"
            " AND sale_id = (SELECT id FROM sales WHERE number = 14)"
        )
    )
    one = verify.verify(week.session, workers=1)[0]
    several = parts(week)
    assert one.broken == several.broken
    assert (several.broken["seq"], several.broken["reason"]) == (18, "rows_mismatch")


def test_a_part_that_does_not_start_where_the_previous_ended(week):
    """Record 8 (a Z, the end of the first part) rewritten with its own hash redone: record 9,
    the first of the second part, no longer links to it — in parts as in one pass."""
    drop_triggers(week.session)
    session = week.session
    row = session.execute(
        text(
            "SELECT till_id, kind, number, at, previous_hash, data FROM till_journal WHERE seq = 8"
        )
    ).one()
    from coop.till.models import JournalEntry

    at = session.get(JournalEntry, (row.till_id, 8)).at
    data = json.loads(row.data)
    data["change"] += 1
    data_bytes = canonical_bytes(data)
    digest = hash_bytes(
        document_bytes(row.till_id, 8, row.kind, row.number, at, data_bytes, row.previous_hash)
    )
    session.execute(
        text("UPDATE till_journal SET data = :d, hash = :h WHERE seq = 8"),
        {"d": data_bytes.decode(), "h": digest},
    )
    one = verify.verify(session, workers=1)[0]
    several = parts(week)
    assert (one.broken["seq"], one.broken["reason"]) == (9, "broken_link")
    assert (several.broken["seq"], several.broken["reason"]) == (9, "broken_link")


def test_parts_find_a_cut_off_end(week):
    drop_triggers(week.session)
    week.session.execute(text("DELETE FROM till_journal WHERE seq = 20"))
    several = parts(week)
    assert several.broken["reason"] == "truncated"
