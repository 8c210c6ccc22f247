"""A Z that took capital shares and yearly fees at the till, pushed to the real Odoo: posted,
balanced, the shares on the capital account 101300 and the fees on 756000, never on sales."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from coop.money import split_vat
from coop.outbox import OutboxKind, record
from coop.sync.check import check
from coop.sync.odoo import Odoo
from coop.sync.push import push
from coop.sync.settings import SyncSettings
from tests.sync.odoo_helpers import DAY, NOW, our_moves, ready, z_snapshot


@pytest.fixture
def settings(sync_settings: SyncSettings) -> SyncSettings:
    """Ready, and the fees account created as `coop sync odoo check --create-accounts` does
    (756000 is not in Odoo's French chart)."""
    ready(sync_settings)
    odoo = Odoo(sync_settings.odoo)
    try:
        check(
            odoo,
            sync_settings.chart,
            accounts_needed=(sync_settings.chart.capital, sync_settings.chart.fees),
            create_accounts=True,
        )
    finally:
        odoo.close()
    return sync_settings


def test_a_z_with_shares_and_fees_books_capital_and_fees_in_odoo(engine, settings, odoo):
    # goods 10,55 € at 5.5 %; shares 30,00 €; fee 15,00 €: 55,55 € paid, 40,55 € cash + 15 card
    snapshot = z_snapshot([split_vat(1055, Decimal("5.5"))], [("cash", 4055), ("card", 1500)])
    snapshot.update(shares=3000, fees=1500)
    with Session(engine) as session:
        record(
            session, OutboxKind.TILL_DAY, f"CAISSE-1-{DAY.isoformat()}", snapshot, on=DAY, now=NOW
        )
        session.commit()
    report = push(engine, settings, now=lambda: NOW)
    assert (report.rows, report.posted, report.attention) == (1, 1, 0)
    [move] = our_moves(odoo, settings)
    assert move["state"] == "posted" and move["amount_total"] == 55.55
    lines = odoo.search_read(
        "account.move.line", [("move_id", "=", move["id"])], ["account_id", "debit", "credit"]
    )
    credit: dict[str, float] = {}
    for line in lines:
        code = str(line["account_id"][1]).split()[0]
        credit[code] = credit.get(code, 0.0) + line["credit"] - line["debit"]
    assert credit["101300"] == 30.0
    assert credit["756000"] == 15.0
    assert round(sum(v for k, v in credit.items() if k.startswith("707")), 2) == 10.0
    fees = odoo.search_read("account.account", [("code", "=", "756000")], ["account_type"])
    assert fees[0]["account_type"] == "income"
