"""The outbox rows written by the till's Z and the accounts, and the FEC made from them, on
SQLite and PostgreSQL. Figures worked out by hand in the comments."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coop import outbox
from coop.accounts import invoicing
from coop.accounts import service as accounts
from coop.accounts.rules import InvoiceLineIn
from coop.config import AccountSettings, Settings, TillSettings
from coop.errors import CoopError
from coop.outbox import OutboxKind, OutboxRow
from coop.sync.fec import COLUMNS, export_fec
from coop.sync.rules import Chart
from tests.till.conftest import BEER, BREAD, JAM, SATURDAY, Shop, card, cash

CHART = Chart()
ACCOUNTS = AccountSettings()


@pytest.fixture
def shop(session, actor) -> Shop:
    return Shop(session, actor, SATURDAY, Settings(till=TillSettings(local_currency="Gonette")))


def rows(session, kind=None):
    query = select(OutboxRow).order_by(OutboxRow.id)
    if kind:
        query = query.where(OutboxRow.kind == kind)
    return list(session.scalars(query))


def a_day(shop: Shop) -> None:
    # Jam 2,35 (5.5 %) + bread 5,80 (5.5 %) = 8,15 → excl. round(8,15 / 1,055) = 7,73, VAT 0,42;
    # beer 2,60 + its bottle 0,10 (20 %) = 2,70 → excl. 2,25, VAT 0,45. Turnover 10,85 €.
    shop.open()
    shop.later(minutes=5).sell(JAM, BREAD, tenders=[card(815)])
    shop.later(minutes=5).sell(BEER, top_up_cents=1000, tenders=[cash(2000)])  # change 7,30
    shop.later(hours=1).close(10000 + 1270)


def test_the_z_writes_one_outbox_row_in_its_transaction(shop):
    a_day(shop)
    assert rows(shop.session) == []  # sales alone are in the Z, not in the outbox
    [z] = shop.later(minutes=5).z()
    [row] = rows(shop.session)
    assert (row.kind, row.key, row.state, row.attempts) == (
        "till_day",
        "CAISSE-1-2026-11-21",
        "pending",
        0,
    )
    assert row.event_date == date(2026, 11, 21)
    assert row.snapshot["total"] == z.total_cents == 1085
    assert row.snapshot["vat"] == [
        {"rate": "5.5", "excl_vat": 773, "vat": 42, "incl_vat": 815},
        {"rate": "20", "excl_vat": 225, "vat": 45, "incl_vat": 270},
    ]
    assert row.snapshot["payments"] == [
        {"means": "cash", "amount": 1270},
        {"means": "card", "amount": 815},
    ]
    assert row.snapshot["top_ups"] == 1000
    # The same event twice is refused by the database, and so is its transaction.
    with pytest.raises(IntegrityError), shop.session.begin_nested():
        outbox.record(
            shop.session, OutboxKind.TILL_DAY, row.key, {}, on=row.event_date, now=shop.now
        )
        shop.session.flush()


def test_a_refused_z_writes_no_outbox_row(shop):
    shop.open()
    shop.sell(JAM, tenders=[cash(235)])
    with pytest.raises(CoopError):
        shop.z()  # the session is still open
    assert rows(shop.session) == []


def invoice(session, actor, now, number=42, charge=True):
    return invoicing.issue_invoice(
        session,
        member_number=number,
        lines=[InvoiceLineIn("Pommes", 2, 300, vat_rate=__import__("decimal").Decimal("5.5"))],
        settings=ACCOUNTS,
        actor=actor,
        now=now,
        charge=charge,
        enforce_limit=False,
    )


def test_invoices_credit_notes_top_ups_and_withdrawals_queue_their_rows(shop):
    session, actor, now = shop.session, shop.actor, shop.now
    accounts.top_up(
        session,
        member_number=42,
        amount_cents=5000,
        means="cheque",
        settings=ACCOUNTS,
        actor=actor,
        now=now,
    )
    bill = invoice(session, actor, now)
    invoicing.issue_credit_note(
        session, invoice_code=bill.code, reason="abîmées", settings=ACCOUNTS, actor=actor, now=now
    )
    accounts.withdraw(
        session,
        member_number=42,
        amount_cents=1000,
        means="transfer",
        reason="départ",
        settings=ACCOUNTS,
        actor=actor,
        now=now,
    )
    got = [(r.kind, r.key) for r in rows(session)]
    assert [kind for kind, _ in got] == ["top_up", "invoice", "credit_note", "withdrawal"]
    assert got[1][1] == bill.code == "FA-000001" and got[2][1] == "AV-000001"
    snap = rows(session, "invoice")[0].snapshot
    # 2 × 3,00 incl. 5.5 % = 6,00 → excl. 5,69, VAT 0,31.
    assert snap["vat"] == [[550, 569, 31]] and snap["charged"] is True and snap["member"] == 42
    assert rows(session, "top_up")[0].snapshot == {
        "member": 42,
        "name": "Prénom42 Nom42",
        "amount": 5000,
        "means": "cheque",
    }


def test_the_fec_of_a_day_matches_the_z(shop, tmp_path):
    a_day(shop)
    [z] = shop.later(minutes=5).z()
    accounts.top_up(
        shop.session,
        member_number=42,
        amount_cents=5000,
        means="transfer",
        settings=ACCOUNTS,
        actor=shop.actor,
        now=shop.now,
    )
    invoice(shop.session, shop.actor, shop.now)
    out = tmp_path / "FEC.txt"
    report = export_fec(
        shop.session, start=date(2026, 11, 1), end=date(2026, 11, 30), chart=CHART, out=out
    )
    lines = out.read_bytes().decode("utf-8").split("\r\n")
    assert lines[-1] == ""
    header, *data = (line.split("\t") for line in lines[:-1])
    assert tuple(header) == COLUMNS and len(COLUMNS) == 18
    assert all(len(row) == 18 for row in data)
    assert report.entries == 4 and report.lines == len(data) and report.skipped == ()

    def cents(text):
        whole, part = text.split(",")
        return int(whole) * 100 + int(part)

    by_entry: dict[str, list[list[str]]] = {}
    for row in data:
        by_entry.setdefault(row[2], []).append(row)
        assert row[3] == "20261121" and row[9] == "20261121"
    # Sequential numbers per journal, each entry balanced, the file balanced.
    assert sorted(by_entry) == ["CAIS000001", "INV000001", "MISC000001", "MISC000002"]
    for entry in by_entry.values():
        assert sum(cents(r[11]) for r in entry) == sum(cents(r[12]) for r in entry)
    assert sum(cents(r[11]) for r in data) == sum(cents(r[12]) for r in data) == report.debit_cents
    # The Z's entry: sales and VAT per rate exactly as the Z, payments exactly as the Z.
    zrows = by_entry["CAIS000001"]
    sales = sum(cents(r[12]) - cents(r[11]) for r in zrows if r[4] == "707100")
    vat = sum(cents(r[12]) - cents(r[11]) for r in zrows if r[4] == "445710")
    assert (sales, vat, sales + vat) == (773 + 225, 42 + 45, z.total_cents)
    assert {r[4]: cents(r[11]) for r in zrows if cents(r[11])} == {"530001": 1270, "512001": 815}
    assert all(r[0] == "CAIS" and r[1] == "Caisse" and r[8] == "Z000001 CAISSE-1" for r in zrows)
    # The invoice names the member as auxiliary account.
    inv = by_entry["INV000001"]
    assert {(r[4], r[6], r[7]) for r in inv if r[4] == "411100"} == {
        ("411100", "MEMBER_42", "Prénom42 Nom42")
    }
    # An empty period: only the header.
    empty = export_fec(
        shop.session,
        start=date(2025, 1, 1),
        end=date(2025, 1, 31),
        chart=CHART,
        out=tmp_path / "e.txt",
    )
    assert empty.lines == 0 and (tmp_path / "e.txt").read_bytes().count(b"\r\n") == 1
