"""Shares and fees by means over a month and a fiscal year (``coop till report --month`` /
``--year``, ``coop.till.period_report``): the sum of the days' splits, each recomputed from the
day's sales as for one day, never sealed; a worked example over two days of November 2026, on
SQLite and PostgreSQL, and the command line's text, JSON and refusal."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import text

from coop import paths
from coop.clock import SHOP_TIMEZONE
from coop.till import closing, verify
from coop.till.closures import Period
from coop.till.period_report import period_lines, report_period
from coop.till.receipt_text import plain
from coop.till.requests import MembershipAsk

from .conftest import card, cash
from .test_till_cli import cli  # noqa: F401  (the fixture)
from .test_till_shares import CONFIG, DUES, _with

# Saturday 21 November: member 42 pays 3 shares (30 €) with a 50 € note (20 € change), then
# shares 35 € + the fee 15 € by card 20 € + cash 30 €: the cash pays 30 € of shares, the card
# 5 € of shares and the 15 € fee. Monday 23 November: member 43 (solidarity: one share 10 €,
# fee 5 €) pays both by cash 7 € + card 8 €: cash 7 € of shares, card 3 € of shares and the fee.
# November by means: shares cash 30 + 30 + 7 = 67 €, card 5 + 3 = 8 € (75 € in all = 30 + 35
# + 10); fees card 15 + 5 = 20 €.
NOVEMBER = {
    "shares": [{"means": "cash", "amount": 6700}, {"means": "card", "amount": 800}],
    "fees": [{"means": "card", "amount": 2000}],
    "shares_offset": 0,
    "fees_offset": 0,
}


def _two_days(shop):
    _with(shop, DUES).open()
    shop.sell(membership=MembershipAsk(shares=True, share_count=3), tenders=[cash(5000)])
    shop.later(minutes=1).sell(
        membership=MembershipAsk(shares=True, share_cents=3500, fee=True),
        tenders=[card(2000), cash(3000)],
    )
    shop.later(hours=1).close(10000 + 6000)
    shop.later(minutes=1).z()
    shop.at(datetime(2026, 11, 23, 9, 0, tzinfo=SHOP_TIMEZONE)).open()
    shop.sell(
        member="43",
        membership=MembershipAsk(shares=True, fee=True),
        tenders=[cash(700), card(800)],
    )
    shop.later(hours=1).close(10000 + 700)
    shop.later(minutes=1).z()


def test_a_month_and_a_year_sum_their_days_splits(shop):
    _two_days(shop)
    days = closing.list_closures(shop.session, till_code="CAISSE-1", period=Period.DAY)
    assert [(d["start"], d["shares"], d["fees"]) for d in days] == [
        ("2026-11-21", 6500, 1500),
        ("2026-11-23", 1000, 500),
    ]
    shop.at(datetime(2026, 12, 1, 9, 0, tzinfo=SHOP_TIMEZONE))
    closing.take_month_closure(
        shop.session,
        till_code="CAISSE-1",
        month=date(2026, 11, 1),
        settings=shop.settings.till,
        actor=shop.actor,
        now=shop.now,
    )
    [month] = report_period(shop.session, period=Period.MONTH, start=date(2026, 11, 1))
    assert (month["period"], month["start"], month["end"]) == ("month", "2026-11-01", "2026-11-30")
    assert (month["shares"], month["fees"]) == (7500, 2000)
    assert month["membership_by_means"] == NOVEMBER
    # not sealed: the month in the journal holds the totals only, and the chain still holds
    sealed = shop.session.execute(
        text("SELECT data FROM till_journal WHERE kind = 'month_closure'")
    ).scalar_one()
    assert "membership_by_means" not in json.loads(sealed)
    assert all(verdict.ok for verdict in verify.verify(shop.session))
    lines = plain(period_lines(month, None)).splitlines()
    assert lines[0] == "Till CAISSE-1, monthly closure no. 1, 01/11/2026 to 30/11/2026"
    at = lines.index("Capital shares and fees by means (shares, fees):")
    assert [line.split() for line in lines[at + 1 : at + 3]] == [
        ["cash", "€67.00", "€0.00"],
        ["card", "€8.00", "€20.00"],
    ]
    # the fiscal year 2026 (1 January): the same two days
    shop.at(datetime(2027, 1, 2, 9, 0, tzinfo=SHOP_TIMEZONE))
    closing.take_year_closure(
        shop.session,
        till_code="CAISSE-1",
        year_start=date(2026, 1, 1),
        settings=shop.settings.till,
        actor=shop.actor,
        now=shop.now,
    )
    [year] = report_period(shop.session, period=Period.YEAR, start=date(2026, 1, 1))
    assert (year["period"], year["shares"], year["fees"]) == ("year", 7500, 2000)
    assert year["membership_by_means"] == NOVEMBER
    # December had no sale, so no Z and no monthly closure: nothing to report
    assert report_period(shop.session, period=Period.MONTH, start=date(2026, 12, 1)) == []


def test_the_command_line_reports_a_month_in_text_and_json(cli):  # noqa: F811
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CONFIG, encoding="utf-8")
    code, _out, err = cli.out("till", "report", "--month", "2026-11")
    assert code == 2 and "--month" in err and "close-month" in err  # no closure yet
    code, _out, err = cli.out("till", "report", "--month", "novembre")
    assert code == 2 and "--month" in err
    code, _out, err = cli.out("till", "report", "--year", "2026")
    assert code == 2 and "--year" in err and "close-year" in err
    assert cli("till", "open", "--coins", "20x5") == 0
    cli.data("till", "sell", "--member", "42", "--shares", "3p", "--fee", "--pay", "card=45")
    cli.data("till", "sell", "--member", "42", "--shares", "2p", "--pay", "cash=20")
    cli("till", "close", "--cash", "120", "--z")
    cli.later(days=10)
    assert cli("till", "close-month", "--month", "2026-11") == 0
    report = cli.data("till", "report", "--month", "2026-11", "--till", "CAISSE-1")
    assert report["membership_by_means"]["shares"] == [
        {"means": "cash", "amount": 2000},
        {"means": "card", "amount": 3000},
    ]
    assert report["membership_by_means"]["fees"] == [{"means": "card", "amount": 1500}]
    code, out, _err = cli.out("till", "report", "--month", "11/2026")
    assert code == 0 and "monthly closure no. 1" in out
    rows = [line.split() for line in out.splitlines()]
    assert ["cash", "€20.00", "€0.00"] in rows and ["card", "€30.00", "€15.00"] in rows
