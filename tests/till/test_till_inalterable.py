"""Committed records cannot be changed (database triggers), and a change made anyway (triggers
dropped, as someone with the file or the server could do) is found by `verify`, which names the
first broken record."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from coop.accounts import invoicing
from coop.accounts import service as accounts
from coop.stock import service as stock
from coop.till import verify
from coop.till.journal import canonical_bytes, document_bytes, hash_bytes

from .conftest import BEER, BREAD, INALTERABLE, JAM, cash, drop_triggers, item


@pytest.fixture
def day(shop):
    """Three sales, a Z, a cash movement, an invoice, a loss: a row in every protected table."""
    from coop.till import sessions

    shop.open()
    shop.sell(item(BEER, quantity=2), tenders=[cash(540)])  # seq 1
    shop.later(minutes=5).sell(JAM, BREAD, tenders=[cash(815)])  # seq 2
    shop.later(minutes=5).sell(item(JAM, quantity=2), tenders=[cash(470)])  # seq 3
    sessions.cash_movement(
        shop.session,
        till_code=None,
        amount_cents=-1000,
        reason="safe_drop",
        settings=shop.settings.till,
        actor=shop.actor,
        now=shop.now,
    )
    shop.later(hours=1).close(10825)
    shop.later(minutes=1).z()  # seq 4
    invoicing.issue_invoice(
        shop.session,
        member_number=42,
        lines=[invoicing.invoice_line("Panier", 1, 1200, Decimal("5.5"))],
        charge=False,
        settings=shop.settings.accounts,
        actor=shop.actor,
        now=shop.now,
    )
    accounts.top_up(
        shop.session,
        member_number=42,
        amount_cents=1000,
        means="transfer",
        settings=shop.settings.accounts,
        actor=shop.actor,
        now=shop.now,
    )
    stock.record_loss(
        shop.session,
        product_code=JAM,
        quantity="1",
        reason="damaged",
        actor=shop.actor,
        now=shop.now,
    )
    shop.session.commit()
    return shop


def _first_column(session, table: str) -> str:
    column = {
        "sale_lines": "label",
        "sale_payments": "amount_cents",
        "sale_vat": "vat_cents",
        "till_journal": "hash",
        "invoice_lines": "label",
        "invoice_vat": "vat_cents",
    }.get(table, "id")
    return column


def test_update_and_delete_are_refused(day):
    session = day.session
    for table in INALTERABLE:
        assert day.count(table) > 0, table
        column = _first_column(session, table)
        for statement in (f"UPDATE {table} SET {column} = {column}", f"DELETE FROM {table}"):
            with pytest.raises((IntegrityError, DBAPIError)) as caught, session.begin_nested():
                session.execute(text(statement))
            assert "inalterable" in str(caught.value), statement
    session.rollback()
    assert all(day.count(table) > 0 for table in INALTERABLE)


def test_truncate_is_refused_on_postgresql(day):
    if day.session.get_bind().dialect.name != "postgresql":
        return  # SQLite has no TRUNCATE; DELETE is refused above
    with pytest.raises(DBAPIError, match="inalterable"), day.session.begin_nested():
        day.session.execute(text("TRUNCATE sales CASCADE"))


def test_a_closed_session_is_frozen_an_open_one_is_not(day):
    session = day.session
    refused = pytest.raises((IntegrityError, DBAPIError), match="inalterable")
    with refused, session.begin_nested():
        session.execute(text("UPDATE till_sessions SET counted_cents = 0"))
    day.later(days=1).open()  # today is closed by its Z
    session.execute(text("UPDATE till_sessions SET note = 'ok' WHERE closed_at IS NULL"))
    refused = pytest.raises((IntegrityError, DBAPIError), match="inalterable")
    with refused, session.begin_nested():
        session.execute(text("DELETE FROM till_sessions WHERE closed_at IS NULL"))


def broken(shop) -> dict:
    shop.session.commit()
    [verdict] = verify.verify(shop.session)
    assert not verdict.ok
    assert verdict.message().startswith("Till CAISSE-1: record")
    return verdict.broken


def test_verify_holds_on_an_untouched_journal(day):
    [verdict] = verify.verify(day.session)
    assert verdict.ok and verdict.checked == 4


def test_a_changed_line_is_found(day):
    drop_triggers(day.session)
    day.session.execute(
        text(
            "UPDATE sale_lines SET gross_cents = 100, amount_cents = 100 WHERE line_no = 1"
            " AND sale_id = (SELECT id FROM sales WHERE number = 2)"
        )
    )
    found = broken(day)
    assert (found["seq"], found["kind"], found["number"], found["reason"]) == (
        2,
        "sale",
        2,
        "rows_mismatch",
    )


def test_a_changed_payment_is_found(day):
    drop_triggers(day.session)
    day.session.execute(
        text(
            "UPDATE sale_payments SET means = 'card'"
            " WHERE sale_id = (SELECT id FROM sales WHERE number = 3)"
        )
    )
    assert broken(day)["seq"] == 3


def test_changed_journal_data_is_found(day):
    drop_triggers(day.session)
    data = day.session.execute(text("SELECT data FROM till_journal WHERE seq = 2")).scalar_one()
    forged = data.replace('"total":815', '"total":715')
    assert forged != data
    day.session.execute(
        text("UPDATE till_journal SET data = :data WHERE seq = 2"), {"data": forged}
    )
    found = broken(day)
    assert (found["seq"], found["reason"]) == (2, "rows_mismatch")


def _reseal(shop, seq: int, data: dict) -> None:
    """Rewrite record ``seq`` with new data and its own hash recomputed (not the later ones)."""
    row = shop.session.execute(
        text("SELECT till_id, kind, number, at, previous_hash FROM till_journal WHERE seq = :s"),
        {"s": seq},
    ).one()
    from coop.till.models import JournalEntry

    at = shop.session.get(JournalEntry, (row.till_id, seq)).at
    data_bytes = canonical_bytes(data)
    digest = hash_bytes(
        document_bytes(row.till_id, seq, row.kind, row.number, at, data_bytes, row.previous_hash)
    )
    shop.session.execute(
        text("UPDATE till_journal SET data = :d, hash = :h WHERE seq = :s"),
        {"d": data_bytes.decode(), "h": digest, "s": seq},
    )


def test_a_forger_who_rewrites_rows_and_record_breaks_the_next_link(day):
    drop_triggers(day.session)
    session = day.session
    session.execute(
        text(
            "UPDATE sale_payments SET amount_cents = 700"
            " WHERE sale_id = (SELECT id FROM sales WHERE number = 2)"
        )
    )
    data = json.loads(
        session.execute(text("SELECT data FROM till_journal WHERE seq = 2")).scalar_one()
    )
    data["payments"][0][1] = 700
    _reseal(day, 2, data)
    found = broken(day)
    assert (found["seq"], found["reason"]) == (3, "broken_link")


def test_a_stored_hash_changed_is_found(day):
    drop_triggers(day.session)
    day.session.execute(text("UPDATE till_journal SET hash = :h WHERE seq = 3"), {"h": "f" * 64})
    found = broken(day)
    assert (found["seq"], found["reason"]) == (3, "hash_mismatch")


def test_a_deleted_record_leaves_a_gap(day):
    drop_triggers(day.session)
    day.session.execute(text("DELETE FROM till_journal WHERE seq = 2"))
    found = broken(day)
    assert (found["seq"], found["reason"]) == (3, "gap")


def test_a_cut_off_end_is_found_by_the_tills_head(day):
    drop_triggers(day.session)
    day.session.execute(text("DELETE FROM till_journal WHERE seq = 4"))
    found = broken(day)
    assert found["reason"] == "truncated"


def test_a_closure_summary_changed_is_found(day):
    drop_triggers(day.session)
    day.session.execute(text("UPDATE till_closures SET total_cents = 1"))
    found = broken(day)
    assert (found["seq"], found["kind"], found["reason"]) == (4, "day_closure", "rows_mismatch")


def test_a_resealed_z_that_no_longer_adds_up_is_found(day):
    """Change the Z's total and reseal it (and its summary row, and the till's head): the chain
    holds, but the Z no longer adds up to the sales it closes."""
    drop_triggers(day.session)
    session = day.session
    data = json.loads(
        session.execute(text("SELECT data FROM till_journal WHERE seq = 4")).scalar_one()
    )
    data["total"] -= 100
    data["perpetual"] -= 100
    _reseal(day, 4, data)
    new_hash = session.execute(text("SELECT hash FROM till_journal WHERE seq = 4")).scalar_one()
    session.execute(text("UPDATE tills SET last_hash = :h"), {"h": new_hash})
    session.execute(
        text(
            "UPDATE till_closures SET total_cents = total_cents - 100,"
            " perpetual_cents = perpetual_cents - 100"
        )
    )
    found = broken(day)
    assert (found["seq"], found["reason"]) == (4, "closure_mismatch")
    assert {key: found["expected"][key] for key in ("sale_count", "first_sale", "last_sale")} == {
        "sale_count": 3,
        "first_sale": 1,
        "last_sale": 3,
    }
    assert found["expected"]["total"] == 540 + 815 + 470


def test_a_sale_row_without_its_record_is_found(day):
    drop_triggers(day.session)
    session = day.session
    session.execute(
        text(
            "INSERT INTO sales (till_id, number, seq, session_id, at, cashier, goods_cents,"
            " top_up_cents, total_cents, cash_tendered_cents, change_cents)"
            " SELECT till_id, 99, 99, session_id, at, cashier, 0, 0, 0, 0, 0 FROM sales"
            " WHERE number = 3"
        )
    )
    found = broken(day)
    assert (found["seq"], found["number"], found["reason"]) == (99, 99, "unjournaled_sale")


def test_a_perpetual_total_past_21_million_euros_fits(postgres_database_url, now):
    """2^31 cents is 21.5 million euros: a busy till's grand total passes it in a few years."""
    from datetime import date

    from sqlalchemy.orm import Session

    from coop.audit import Actor
    from coop.db import make_engine
    from coop.till import registry
    from coop.till.closure_models import TillClosure

    engine = make_engine(postgres_database_url)
    with Session(engine) as session, session.begin():
        till = registry.create_till(session, "CAISSE-9", actor=Actor("t"), now=now)
        session.add(
            TillClosure(
                till_id=till.id,
                period="year",
                number=1,
                seq=1,
                starts_on=date(2030, 1, 1),
                ends_on=date(2030, 12, 31),
                at=now,
                sale_count=900_000,
                first_sale_number=1,
                last_sale_number=900_000,
                total_cents=2_500_000_000,
                perpetual_cents=31_000_000_000,
                created_by="t",
            )
        )
    with Session(engine) as session:
        stored = session.scalar(text("SELECT perpetual_cents FROM till_closures"))
        assert stored == 31_000_000_000
    engine.dispose()
