"""AMAP money through the coop's accounts (issue 14), from the AMAP services to the FEC and to
the real Odoo 17: a subscription paid by transfer (collected for the producer) and a gift to
the solidarity fund, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from coop.amap import payments, solidarity, subscriptions
from coop.amap.rules import Means
from coop.amap.subscriptions import SubscriptionIn
from coop.sync.check import check
from coop.sync.fec import COLUMNS, export_fec
from coop.sync.push import pending_entries, push
from coop.sync.rules import Chart
from tests.amap.conftest import amap, before_season  # noqa: F401  (fixtures)
from tests.sync.odoo_helpers import NOW, our_moves, ready

PAID_ON = date(2026, 3, 5)


def money(session, actor, now) -> None:
    """75,00 € by transfer from member 3 for LEG-26; 200,00 € given to the fund by cheque;
    and a cheque for the producer, which is not the coop's money."""
    values = SubscriptionIn(contract="LEG-26", member=3, place="GERLAND", lines=[("PP", 1)])
    sub = subscriptions.subscribe(session, values, actor=actor, now=now)
    payments.pay(session, sub, means=Means.TRANSFER, amount=7500, on=PAID_ON, actor=actor, now=now)
    payments.pay(session, sub, means=Means.CHEQUE, amount=2500, on=PAID_ON, actor=actor, now=now)
    solidarity.gift(
        session, amount=20000, member=2, note="vide-grenier", means="cheque", actor=actor, now=now
    )
    session.commit()


def test_the_fec_books_amap_money(amap, actor, before_season, tmp_path):  # noqa: F811
    money(amap, actor, before_season)
    out = tmp_path / "FEC.txt"
    report = export_fec(amap, start=date(2026, 3, 1), end=date(2026, 3, 31), chart=Chart(), out=out)
    assert (report.entries, report.lines, report.skipped) == (2, 4, ())
    assert report.debit_cents == report.credit_cents == 7500 + 20000
    header, *lines = [line.split("\t") for line in out.read_text("utf-8").splitlines()]
    assert tuple(header) == COLUMNS
    by_account = {row[4]: row for row in lines}
    assert by_account["512001"][11] == "75,00" and by_account["467000"][12] == "75,00"
    assert by_account["467000"][6] == "SUPPLIER_FERME-MOULIN"
    assert by_account["467000"][5] == "Autres comptes débiteurs ou créditeurs"  # two roles
    assert by_account["511200"][11] == "200,00" and by_account["467100"][12] == "200,00"
    assert by_account["467100"][5] == "Fonds de solidarité AMAP"
    assert {row[2] for row in lines} == {"MISC000001", "MISC000002"}
    for number in ("MISC000001", "MISC000002"):
        mine = [row for row in lines if row[2] == number]
        assert sum(Decimal(r[11].replace(",", ".")) for r in mine) == sum(
            Decimal(r[12].replace(",", ".")) for r in mine
        )


def test_amap_money_is_posted_in_odoo(amap, actor, before_season, engine, sync_settings, odoo):  # noqa: F811
    run = sync_settings.chart.namespace.strip("_").upper()
    settings = replace(sync_settings, chart=replace(sync_settings.chart, amap_fund=f"4671{run}"))
    ready(settings)
    money(amap, actor, before_season)
    entries = pending_entries(amap, settings)
    amap.rollback()  # end the read: on SQLite a transaction is a writer (BEGIN IMMEDIATE)
    accounts = {line.account for entry in entries for line in entry.lines}
    # The fund's account is not in the French chart: the check says so, then creates it.
    first = check(odoo, settings.chart, accounts_needed=accounts)
    assert [p for p in first.problems if f"4671{run}" in p] == [
        f"The account 4671{run} does not exist in Odoo: run `coop sync odoo check"
        " --create-accounts`, or set another code under [sync.accounts]."
    ]
    fixed = check(odoo, settings.chart, accounts_needed=accounts, create_accounts=True)
    assert fixed.passes and fixed.fixed == [f"Account 4671{run} created."]

    report = push(engine, settings, now=lambda: NOW)
    assert (report.rows, report.posted, report.attention) == (2, 2, 0)
    moves = {m["ref"].split(" [")[0]: m for m in our_moves(odoo, settings)}
    assert len(moves) == 2 and all(reference.startswith("AMAP-") for reference in moves)
    assert all(m["state"] == "posted" and m["move_type"] == "entry" for m in moves.values())
    lines = odoo.search_read(
        "account.move.line",
        [("move_id", "in", [m["id"] for m in moves.values()])],
        ["account_id", "debit", "credit", "partner_id"],
    )
    got = sorted(
        (
            line["account_id"][1].split(" ")[0],
            round(Decimal(str(line["debit"])) * 100),
            round(Decimal(str(line["credit"])) * 100),
        )
        for line in lines
    )
    assert got == sorted(
        [
            ("512001", 7500, 0),
            ("467000", 0, 7500),
            ("511200", 20000, 0),
            (f"4671{run}", 0, 20000),
        ]
    )
    owed = next(line for line in lines if line["account_id"][1].startswith("467000"))
    assert owed["partner_id"] and "Ferme" in owed["partner_id"][1]
