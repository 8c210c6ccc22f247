"""The push against the real Odoo 17 (``../shared/odoo``), on SQLite and PostgreSQL: figures
checked in Odoo's own database, idempotence, and every fault of issue 14."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.accounts import invoicing
from coop.accounts import service as accounts
from coop.accounts.rules import InvoiceLineIn
from coop.audit import Actor
from coop.config import AccountSettings, Settings, TillSettings
from coop.db import make_engine
from coop.outbox import OutboxKind, OutboxRow, record
from coop.rights import Role
from coop.sync import status as outbox_status
from coop.sync.odoo import Odoo, OdooUnreachable
from coop.sync.push import SetupIncomplete, push
from coop.sync.settings import OdooSettings, SyncSettings
from tests.sync.odoo_helpers import (
    DAY,
    NOW,
    LosingProxy,
    fill,
    is_call,
    our_moves,
    ready,
    states,
    z_row,
)
from tests.till.conftest import BEER, BREAD, JAM, SATURDAY, Shop, card, cash

ROOT = Path(__file__).resolve().parents[2]


def now():
    return NOW


def no_sleep(_seconds: float) -> None:
    return None


@pytest.fixture
def settings(sync_settings: SyncSettings) -> SyncSettings:
    ready(sync_settings)
    return sync_settings


def test_a_day_and_invoices_match_in_odoo_to_the_cent(engine, settings, odoo, run_id):
    """A real till day (Z), a charged invoice, its credit note and a top-up, pushed; then read
    in Odoo: every figure as on the Z and the invoices."""
    with Session(engine, expire_on_commit=False) as session:
        till = f"T{run_id}"
        shop = Shop(
            session,
            Actor("test", roles=frozenset({Role.CASHIER})),
            SATURDAY,
            Settings(till=TillSettings(till=till)),
        )
        shop.open()
        shop.later(minutes=5).sell(JAM, BREAD, tenders=[card(815)])
        shop.later(minutes=5).sell(BEER, top_up_cents=1000, tenders=[cash(2000)])
        shop.later(hours=1).close(10000 + 1270)
        [z] = shop.later(minutes=5).z()
        series = AccountSettings(invoice_series=f"F{run_id}", credit_note_series=f"A{run_id}")
        accounts.top_up(
            session,
            member_number=42,
            amount_cents=5000,
            means="transfer",
            settings=series,
            actor=shop.actor,
            now=shop.now,
        )
        bill = invoicing.issue_invoice(
            session,
            member_number=42,
            lines=[
                InvoiceLineIn("Pommes", 3, 317, vat_rate=Decimal("5.5")),
                InvoiceLineIn("Savon", 1, 455, vat_rate=Decimal(20)),
            ],
            settings=series,
            actor=shop.actor,
            now=shop.now,
        )
        note = invoicing.issue_credit_note(
            session,
            invoice_code=bill.code,
            reason="abîmées",
            settings=series,
            actor=shop.actor,
            now=shop.now,
            quantities={1: 1},
        )
        session.commit()
        closure_vat = {
            v["rate"]: v
            for v in session.scalar(select(OutboxRow.snapshot).where(OutboxRow.kind == "till_day"))[
                "vat"
            ]
        }

    report = push(engine, settings, now=now)
    assert (report.rows, report.posted, report.attention) == (4, 4, 0)
    assert report.created == 1 + 2 + 2 + 1  # Z; invoice + settlement; note + settlement; top-up
    moves = {m["ref"].split(" [")[0] + ":" + m["move_type"]: m for m in our_moves(odoo, settings)}
    assert all(m["state"] == "posted" for m in moves.values()) and len(moves) == 6
    # The invoice and the credit note: Odoo's totals are ours.
    inv = moves[f"{bill.code}:out_invoice"]
    assert round(Decimal(str(inv["amount_total"])) * 100) == bill.incl_vat_cents
    assert round(Decimal(str(inv["amount_tax"])) * 100) == bill.vat_cents
    refund = moves[f"{note.code}:out_refund"]
    assert round(Decimal(str(refund["amount_total"])) * 100) == note.incl_vat_cents
    # The Z: Odoo's lines, per account, are the Z's figures.
    zmove = next(m for m in moves.values() if m["ref"].startswith("Z000001"))
    lines = odoo.search_read(
        "account.move.line",
        [("move_id", "=", zmove["id"])],
        ["account_id", "debit", "credit", "name"],
    )

    def net(code: str, label: str = "") -> int:
        return sum(
            round((Decimal(str(line["credit"])) - Decimal(str(line["debit"]))) * 100)
            for line in lines
            if line["account_id"][1].startswith(code) and label in line["name"]
        )

    assert net("707100", "5,5") == closure_vat["5.5"]["excl_vat"] == 773
    assert net("445710", "5,5") == closure_vat["5.5"]["vat"] == 42
    assert net("707100", "20") == closure_vat["20"]["excl_vat"] == 225
    assert net("445710", "20") == 45
    assert -net("530001") == 1270 and -net("512001") == 815 and net("419100") == 1000
    assert sum(round(Decimal(str(line["debit"])) * 100) for line in lines) == z.total_cents + 1000
    assert not [line for line in lines if "Balancing" in line["name"]]

    # A second run has nothing to do and creates nothing.
    again = push(engine, settings, now=now)
    assert (again.rows, again.created) == (0, 0)
    assert len(our_moves(odoo, settings)) == 6


def test_odoo_down_changes_nothing(engine, sync_settings):
    with Session(engine) as session:
        fill(session, 2, 1)
    closed = replace(sync_settings, odoo=replace(sync_settings.odoo, url="http://127.0.0.1:9"))
    with pytest.raises(
        OdooUnreachable, match=r"Odoo cannot be reached at http://127.0.0.1:9 .*stays pending"
    ):
        push(engine, closed, now=now, sleep=no_sleep)
    with Session(engine) as session:
        rows = list(session.scalars(select(OutboxRow)))
        assert [(r.state, r.attempts, r.last_error, r.odoo_id) for r in rows] == [
            ("pending", 0, None, None)
        ] * 3


def test_a_lost_answer_is_found_again_not_created_twice(engine, settings, odoo):
    with Session(engine) as session:
        fill(session, 3, 4)
    proxy = LosingProxy(
        settings.odoo.url,
        drop=lambda body: is_call(body, "account.move", "create") and proxy.dropped == 0,
    )
    try:
        via = replace(settings, odoo=replace(settings.odoo, url=proxy.url))
        report = push(engine, via, now=now, sleep=no_sleep)
    finally:
        proxy.close()
    assert proxy.dropped == 1
    assert report.found == 7 and report.created == 0  # the retry found what Odoo had committed
    moves = our_moves(odoo, settings)
    refs = [m["ref"] for m in moves]
    assert len(refs) == len(set(refs)) == 7 and all(m["state"] == "posted" for m in moves)
    with Session(engine) as session:
        assert states(session) == {"posted": 7}
    # The external ids were written on the way: the next lookups use them.
    names = odoo.search_read(
        "ir.model.data",
        [
            ("module", "=", "coopsync"),
            ("res_id", "in", [m["id"] for m in moves]),
            ("model", "=", "account.move"),
        ],
        ["name"],
    )
    assert len(names) == 7


PUSH_SCRIPT = """
import json, sys
from dataclasses import replace
from coop.db import make_engine
from coop.sync.push import push
from coop.sync.rules import Chart
from coop.sync.settings import OdooSettings, SyncSettings
from tests.sync.odoo_helpers import NOW
conf = json.loads(sys.argv[2])
settings = SyncSettings(odoo=OdooSettings(**conf["odoo"]), chart=Chart(namespace=conf["namespace"]))
print(push(make_engine(sys.argv[1]), settings, now=lambda: NOW))
"""


def _child(database_url: str, settings: SyncSettings, url: str) -> subprocess.Popen[str]:
    odoo = settings.odoo
    conf = {
        "odoo": {
            "url": url,
            "database": odoo.database,
            "login": odoo.login,
            "api_key": odoo.api_key,
            "batch_size": 5,
        },
        "namespace": settings.chart.namespace,
    }
    return subprocess.Popen(
        [sys.executable, "-c", PUSH_SCRIPT, database_url, json.dumps(conf)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_kill_9_mid_batch_then_a_rerun_books_every_move_once(database_url, engine, settings, odoo):
    with Session(engine) as session:
        fill(session, 6, 10)  # 16 moves, batches of 5
    hold = threading.Event()
    # Let the first batch through; on the second batch's create, Odoo commits and the answer
    # is held back while the pushing process is killed.
    creates = []

    def drop(body: bytes) -> bool:
        if is_call(body, "account.move", "create"):
            creates.append(1)
            return len(creates) == 2
        return False

    proxy = LosingProxy(settings.odoo.url, drop=drop, hold=hold)
    try:
        child = _child(database_url, settings, proxy.url)
        deadline = time.monotonic() + 120
        while proxy.dropped == 0 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
        assert proxy.dropped == 1, child.communicate()
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        hold.set()
    finally:
        proxy.close()
    with Session(engine) as session:
        assert states(session) == {"posted": 5, "pending": 11}
    assert len(our_moves(odoo, settings)) == 10  # the second batch is in Odoo, as drafts
    report = push(engine, settings, now=now)
    assert report.found == 5 and report.created == 6
    moves = our_moves(odoo, settings)
    refs = [m["ref"] for m in moves]
    assert len(refs) == len(set(refs)) == 16 and all(m["state"] == "posted" for m in moves)
    with Session(engine) as session:
        assert states(session) == {"posted": 16}


def test_a_business_error_puts_that_row_aside_and_the_others_are_posted(
    engine, settings, odoo, run_id
):
    # A deprecated account for the local currency: Odoo refuses any line on it (UserError).
    code = f"467{run_id}"
    odoo.call(
        "account.account",
        "create",
        {
            "code": code,
            "name": f"Gonette {run_id}",
            "account_type": "liability_current",
            "deprecated": True,
        },
    )
    chart = replace(settings.chart, local_currency=code)
    with Session(engine) as session:
        fill(session, 3, 3)
        z_row(session, "C2", DAY, 1, local_currency=500)
        record(session, OutboxKind.AMAP, "x1", {}, on=DAY, now=NOW)
        session.commit()
    report = push(engine, replace(settings, chart=chart), now=now)
    assert (report.rows, report.posted, report.attention) == (8, 6, 2)
    with Session(engine) as session:
        found = outbox_status.status(session)
        assert found.counts == {"pending": 0, "sent": 0, "posted": 6, "attention": 2}
        bad, amap = found.attention
        assert bad.key == "C2-2026-11-21"
        assert "Odoo refused Z000001 C2" in bad.last_error and "is deprecated" in bad.last_error
        assert "The recorded event amap x1 is incomplete" in amap.last_error
        # The treasurer books the (broken) AMAP row by hand, fixes the account and retries the Z.
        outbox_status.resolve(
            session, amap.id, reason="saisi à la main", actor=Actor("treasurer"), now=NOW
        )
        outbox_status.retry(session, bad.id, actor=Actor("treasurer"), now=NOW)
        session.commit()
    account = odoo.search_read("account.account", [("code", "=", code)], ["id"])[0]["id"]
    odoo.call("account.account", "write", [account], {"deprecated": False})
    again = push(engine, replace(settings, chart=chart), now=now)
    assert (again.rows, again.posted, again.attention) == (1, 1, 0)
    assert len(our_moves(odoo, settings)) == 7


def test_two_pushes_at_once_create_no_duplicate(engine, database_url, settings, odoo):
    with Session(engine) as session:
        fill(session, 5, 15)
    reports = []
    errors = []

    def run() -> None:
        other = make_engine(database_url)
        try:
            reports.append(push(other, settings, now=now))
        except Exception as error:
            errors.append(error)
        finally:
            other.dispose()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert errors == []
    assert sorted(r.created for r in reports) == [0, 20]
    refs = [m["ref"] for m in our_moves(odoo, settings)]
    assert len(refs) == len(set(refs)) == 20


def test_the_setup_check_blocks_the_push_and_says_why(engine, sync_settings):
    with Session(engine) as session:
        fill(session, 1, 0)
    chart = replace(sync_settings.chart, till_journal="ZZ9", sales="709999")
    with pytest.raises(SetupIncomplete) as refused:
        push(engine, replace(sync_settings, chart=chart), now=now)
    message = str(refused.value)
    assert message.startswith("Nothing was pushed: Odoo's setup is incomplete.")
    assert "The account 709999 does not exist in Odoo" in message
    assert "The journal ZZ9 does not exist in Odoo" in message
    with Session(engine) as session:
        assert states(session) == {"pending": 1}


def test_the_api_key_never_reaches_logs_or_messages(engine, sync_settings, caplog):
    secret = "S3cret-Key-That-Must-Not-Leak"
    wrong = replace(sync_settings, odoo=replace(sync_settings.odoo, api_key=secret))
    assert secret not in repr(wrong) and wrong.odoo.public()["api_key"] == "***"
    caplog.set_level(logging.DEBUG)
    odoo = Odoo(wrong.odoo)
    try:
        with pytest.raises(Exception) as refused:
            odoo.call("res.partner", "search", [])
    finally:
        odoo.close()
    assert "refused the login" in str(refused.value)
    assert secret not in caplog.text and secret not in str(refused.value)


def test_settings_from_the_config_file_and_the_environment(tmp_path):
    from coop.errors import InvalidInput
    from coop.sync.settings import load

    config = tmp_path / "config.toml"
    config.write_text(
        '[sync]\nnamespace = "lyon"\npush = ["till_day"]\n[sync.odoo]\nurl = "https://o.example"\n'
        'database = "coop"\nlogin = "t@example.org"\nbatch_size = 20\n'
        '[sync.accounts]\ncash = "531000"\n[sync.journals]\ntill = "CA"\n',
        encoding="utf-8",
    )
    loaded = load({"COOP_ODOO_API_KEY": "k"}, config)
    assert loaded.odoo == OdooSettings(
        url="https://o.example", database="coop", login="t@example.org", api_key="k", batch_size=20
    )
    assert (loaded.chart.cash, loaded.chart.till_journal, loaded.chart.namespace) == (
        "531000",
        "CA",
        "lyon",
    )
    assert loaded.push == ("till_day",) and loaded.odoo.configured
    config.write_text(
        "[sync]\nbogus = 1\n[sync.odoo]\nbatch_size = 80\n[sync.accounts]\nsales = 707\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as bad:
        load({}, config)
    text = str(bad.value)
    assert "bogus" in text and "odoo.batch_size" in text and "accounts.sales" in text


def test_a_supplier_bill_becomes_a_vendor_bill(engine, settings, odoo, run_id):
    # The grouped order's reconciliation with a supplier: 200,00 € excl. at 5.5 % (VAT 11,00)
    # and 50,00 € excl. at 20 % (VAT 10,00): 271,00 €.
    snapshot = {
        "supplier": f"FERME{run_id}",
        "name": f"Ferme du Coin {run_id}",
        "reference": f"F-{run_id}",
        "vat": [[550, 20000, 1100], [2000, 5000, 1000]],
    }
    with Session(engine) as session:
        record(session, OutboxKind.SUPPLIER_BILL, f"DEC-FERME{run_id}", snapshot, on=DAY, now=NOW)
        session.commit()
    report = push(engine, settings, now=now)
    assert (report.rows, report.posted, report.attention) == (1, 1, 0)
    [bill] = our_moves(odoo, settings)
    assert bill["move_type"] == "in_invoice" and bill["state"] == "posted"
    assert (bill["amount_untaxed"], bill["amount_tax"], bill["amount_total"]) == (
        250.0,
        21.0,
        271.0,
    )
    partner = odoo.search_read(
        "res.partner", [("name", "=", f"Ferme du Coin {run_id}")], ["supplier_rank"]
    )
    assert partner[0]["supplier_rank"] >= 1


def test_the_connector_timeout_is_ours_not_the_library_s_5_seconds(sync_settings):
    hold = threading.Event()
    proxy = LosingProxy(sync_settings.odoo.url, drop=lambda body: True, hold=hold)
    odoo = Odoo(replace(sync_settings.odoo, url=proxy.url, timeout=1))
    try:
        began = time.monotonic()
        with pytest.raises(OdooUnreachable, match=r"did not answer in time \(ReadTimeout\)"):
            odoo.version()
        assert time.monotonic() - began < 4
    finally:
        hold.set()
        odoo.close()
        proxy.close()


def test_a_settled_cycle_s_supplier_bills_are_posted_vendor_bills(
    engine, settings, odoo, run_id, tmp_path
):
    """A grouped order from two suppliers, settled: each supplier's bill reaches Odoo as a
    posted vendor bill with the order sheet's figures (tests/orders' two-supplier cycle)."""
    from coop.orders.sheets import order_sheets
    from coop.sync.check import check
    from coop.sync.push import pending_taxes
    from tests.orders.conftest import CLOSES, make_coop, settle_two_suppliers

    code = f"C{run_id}"
    with Session(engine, expire_on_commit=False) as session:
        settle_two_suppliers(
            make_coop(session, Actor("test", roles=frozenset({Role.CASHIER})), tmp_path), code=code
        )
        sheets = {
            s.reference: s
            for s in order_sheets(session, code, settings=Settings(), printed_at=CLOSES)
        }
        session.commit()
        # the households' invoices of the same cycle are priced excl. VAT: those taxes too
        check(odoo, settings.chart, pending_taxes(session, settings), activate_taxes=True)
    report = push(engine, settings, now=now)
    assert report.attention == 0 and report.posted == report.rows == 2 + 2
    bills = {
        m["ref"].split(" [")[0]: m
        for m in our_moves(odoo, settings)
        if m["move_type"] == "in_invoice"
    }
    assert sorted(bills) == sorted(sheets) == [f"{code}-DISTRI", f"{code}-FERME"]
    for reference, sheet in sheets.items():
        bill = bills[reference]
        assert bill["state"] == "posted"
        assert round(Decimal(str(bill["amount_untaxed"])) * 100) == sheet.excl_vat_cents
        assert round(Decimal(str(bill["amount_tax"])) * 100) == sheet.vat_cents
        assert round(Decimal(str(bill["amount_total"])) * 100) == sheet.incl_vat_cents
    # By hand (tests/orders/test_orders_supplier_bills.py): 9,60 + 0,53 + 7,50 + 1,50 and
    # 8,40 + 0,46 + 10,05 + 2,01.
    assert bills[f"{code}-DISTRI"]["amount_total"] == 19.13
    assert bills[f"{code}-FERME"]["amount_total"] == 20.92
    lines = odoo.search_read(
        "account.move.line",
        [("move_id", "=", bills[f"{code}-FERME"]["id"]), ("display_type", "=", "product")],
        ["price_subtotal", "tax_ids"],
    )
    assert sorted(line["price_subtotal"] for line in lines) == [8.4, 10.05]
