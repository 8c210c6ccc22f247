"""`coop till verify`'s fast pass (issue 18, target 1): the database rebuilds every sale's
sealed data from its rows, the closures' sums are GROUP BY queries, and only a suspect day is
replayed by the exact path. The verdict must be the exact path's own, whatever was forged."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from coop.till import verify, verify_fast
from coop.till.models import Till

from .conftest import BEER, JAM, cash, drop_triggers
from .test_till_verify_parts import week  # noqa: F401  (the fixture)
from .test_till_verify_sql import sale_texts


def _exact(shop) -> tuple[dict | None, int, str]:
    """The exact path alone over the whole till (what verify did before the fast pass)."""
    till = shop.session.get(Till, 1)
    high = shop.session.execute(text("SELECT max(seq) FROM till_journal")).scalar_one()
    part = verify.check_part(shop.session, till.id, 1, high, verify.State())
    return part.broken, part.checked, part.end.hash


def _fast(shop) -> tuple[dict | None, int, str]:
    shop.session.commit()
    [verdict] = verify.verify(shop.session, workers=1)
    return verdict.broken, verdict.checked, verdict.last_hash


def test_an_intact_week_holds_with_every_record_checked(week):  # noqa: F811
    broken, checked, last_hash = _fast(week)
    assert broken is None and checked == 20
    assert (broken, checked, last_hash) == _exact(week)


def test_the_database_writes_the_sealed_bytes_of_every_sale(week):  # noqa: F811
    """What the fast pass compares: the SQL text of each sale is its stored data (once the
    non-ASCII characters are escaped as ``json`` does), on SQLite and PostgreSQL."""
    week.open()
    week.sell(BEER, tenders=[cash(1000)])  # "Bière": a non-ASCII label
    week.session.flush()
    rows = sale_texts(week.session)
    assert len(rows) == 16
    assert all(stored == built or verify_fast._same(built, stored) for stored, built in rows)
    assert any("Bi\\u00e8re" in stored for stored, _built in rows)


FORGERIES = {
    "a line's label on day 4": "UPDATE sale_lines SET label = 'x' WHERE line_no = 2"
    " AND sale_id = (SELECT id FROM sales WHERE number = 11)",
    "a VAT amount on day 3": "UPDATE sale_vat SET vat_cents = vat_cents + 1"
    " WHERE sale_id = (SELECT id FROM sales WHERE number = 8)",
    "a payment on day 5": "UPDATE sale_payments SET amount_cents = amount_cents - 1"
    " WHERE sale_id = (SELECT id FROM sales WHERE number = 15)",
    "a Z's summary row": "UPDATE till_closures SET total_cents = total_cents + 1 WHERE seq = 12",
    "a record's data, hash left alone": "UPDATE till_journal SET data ="
    " replace(data, '\"cashier\":', '\"cashier\": ') WHERE seq = 14",
    "a sale's time on day 2": "UPDATE sales SET at = (SELECT min(at) FROM sales) WHERE number = 5",
    "a sale's number": "UPDATE sales SET number = 99 WHERE number = 10",
    "a journal record removed": "DELETE FROM till_journal WHERE seq = 19",
}


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_a_forgery_gets_the_exact_paths_verdict(week, forgery):  # noqa: F811
    session = week.session
    drop_triggers(session)
    session.execute(text(FORGERIES[forgery]))
    broken, checked, last_hash = _fast(week)
    assert broken is not None
    assert (broken, checked, last_hash) == _exact(week)


def test_a_sale_the_fast_pass_cannot_vouch_for_is_cleared_by_the_exact_path(shop, monkeypatch):
    """A sale whose text the database writes otherwise than ``json`` (simulated: the Python
    comparison refuses every label that is no product's name): the fast pass suspects it, the
    exact path replays that day and clears it, and the fast pass goes on after the day's Z,
    with every record counted once."""
    product = shop.product("ODD-1", "Pâté\tmaison 😀", 450, 550)
    for _day in range(3):
        shop.open()
        shop.later(minutes=10).sell(JAM, tenders=[cash(235)])
        shop.later(minutes=10).sell("ODD-1", tenders=[cash(450)])
        shop.later(hours=1).close(10000 + 685)
        shop.later(minutes=1).z()
        shop.later(days=1)
    product.name = "Pâté"  # the lines' label is no product's name any more
    session = shop.session
    session.commit()
    assert verify_fast.run(session, 1, 1, 9, verify_fast.Resume()).suspect is None
    monkeypatch.setattr(verify_fast, "_same", lambda built, stored: False)
    found = verify_fast.run(session, 1, 1, 9, verify_fast.Resume())
    assert found.suspect == 2  # the first odd sale
    assert (found.resume.seq, found.resume.checked) == (1, 0)
    broken, checked, last_hash = _fast(shop)
    assert broken is None and checked == 9
    assert (broken, checked, last_hash) == _exact(shop)


def test_a_renamed_product_is_compared_in_python(shop):
    """A line's label that is no product's name any more (renamed since): compared in Python,
    still without a suspect."""
    product = shop.product("REN-1", "Crème fraîche", 320, 550)
    shop.open()
    shop.later(minutes=10).sell("REN-1", tenders=[cash(320)])
    shop.session.flush()
    product.name = "Crème épaisse"
    shop.session.commit()
    found = verify_fast.run(shop.session, 1, 1, 1, verify_fast.Resume())
    assert found.suspect is None and found.end.checked == 1
    drop_triggers(shop.session)
    shop.session.execute(text("UPDATE sale_lines SET label = 'Crème fraiche'"))
    shop.session.commit()
    broken, _checked, _hash = _fast(shop)
    assert (broken["seq"], broken["reason"]) == (1, "rows_mismatch")


def test_a_sale_row_moved_out_of_its_place_is_named(week):  # noqa: F811
    """A sale row whose seq is no longer its record's: named as before."""
    drop_triggers(week.session)
    week.session.execute(text("UPDATE sales SET seq = 100 WHERE number = 2"))
    broken, checked, last_hash = _fast(week)
    assert (broken["seq"], broken["reason"]) == (2, "rows_mismatch")
    assert (broken, checked, last_hash) == _exact(week)


def test_a_sale_row_without_a_record_is_named_as_before(week):  # noqa: F811
    """A sale row slipped in at a closure's place in the journal: no record points to it."""
    drop_triggers(week.session)
    columns = (
        "till_id, session_id, at, member_id, shopper_id, cashier, goods_cents, top_up_cents,"
        " total_cents, cash_tendered_cents, change_cents"
    )
    week.session.execute(
        text(
            f"INSERT INTO sales (number, seq, token, {columns})"
            f" SELECT 999, 8, 'slipped in', {columns} FROM sales WHERE number = 1"
        )
    )
    broken, checked, last_hash = _fast(week)
    assert (broken["seq"], broken["number"], broken["reason"]) == (8, 999, "unjournaled_sale")
    assert (broken, checked, last_hash) == _exact(week)
