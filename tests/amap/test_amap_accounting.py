"""AMAP money through the coop's accounts (issue 14): which AMAP events write an accounting
outbox row, in their own transaction, and what the row holds."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from coop.amap import lookup, payments, solidarity, subscriptions
from coop.amap.rules import Means
from coop.amap.subscriptions import SubscriptionIn
from coop.errors import InvalidInput
from coop.outbox import OutboxRow


def amap_rows(session) -> list[OutboxRow]:
    return list(
        session.scalars(select(OutboxRow).where(OutboxRow.kind == "amap").order_by(OutboxRow.id))
    )


def subscribe(session, actor, now):
    values = SubscriptionIn(contract="LEG-26", member=3, place="GERLAND", lines=[("PP", 1)])
    return subscriptions.subscribe(session, values, actor=actor, now=now)


def test_a_transfer_is_money_the_coop_collects_for_the_producer(amap, actor, before_season):
    sub = subscribe(amap, actor, before_season)
    payment = payments.pay(
        amap,
        sub,
        means=Means.TRANSFER,
        amount=7500,
        on=date(2026, 3, 5),
        actor=actor,
        now=before_season,
    )
    [row] = amap_rows(amap)
    assert row.key == f"payment-{payment.id}" and row.state == "pending"
    assert row.event_date == date(2026, 3, 5)  # the day the money came, not the day typed
    snap = row.snapshot
    assert (snap["event"], snap["means"], snap["amount"]) == ("payment", "transfer", 7500)
    assert (snap["contract"], snap["producer"], snap["member"]) == ("LEG-26", "FERME-MOULIN", 3)
    assert snap["producer_name"] and snap["name"]


def test_cheques_are_the_producer_s_money_and_write_no_row(amap, actor, before_season):
    sub = subscribe(amap, actor, before_season)
    payments.plan(amap, sub, count=1, actor=actor, now=before_season)
    payments.receive(
        amap,
        sub,
        1,
        number="0001",
        bank=None,
        issuer=None,
        on=None,
        actor=actor,
        now=before_season,
    )
    contract = lookup.contract(amap, "LEG-26")
    payments.hand_over(amap, contract, date(2026, 4, 10), actor=actor, now=before_season)
    payments.pay(amap, sub, means=Means.CHEQUE, amount=100, on=None, actor=actor, now=before_season)
    assert amap_rows(amap) == []


def test_cash_and_local_currency_too(amap, actor, before_season):
    sub = subscribe(amap, actor, before_season)
    for means in (Means.CASH, Means.LOCAL_CURRENCY):
        payments.pay(amap, sub, means=means, amount=1500, on=None, actor=actor, now=before_season)
    assert [r.snapshot["means"] for r in amap_rows(amap)] == ["cash", "local_currency"]


def test_a_gift_to_the_fund_is_an_accounting_event(amap, actor, before_season):
    entry = solidarity.gift(
        amap,
        amount=20000,
        member=2,
        note="vide-grenier",
        means="cheque",
        actor=actor,
        now=before_season,
    )
    anonymous = solidarity.gift(
        amap, amount=500, member=None, note=None, actor=actor, now=before_season
    )
    first, second = amap_rows(amap)
    assert first.key == f"gift-{entry.id}" and second.key == f"gift-{anonymous.id}"
    assert (first.snapshot["event"], first.snapshot["means"], first.snapshot["member"]) == (
        "fund_gift",
        "cheque",
        2,
    )
    assert first.snapshot["amount"] == 20000
    assert (second.snapshot["member"], second.snapshot["means"]) == (None, "cash")


def test_a_gift_by_an_unknown_means_is_refused_and_writes_nothing(amap, actor, before_season):
    with pytest.raises(InvalidInput, match="bitcoin"):
        solidarity.gift(
            amap,
            amount=500,
            member=None,
            note=None,
            means="bitcoin",
            actor=actor,
            now=before_season,
        )
    assert amap_rows(amap) == []


def test_the_row_belongs_to_the_event_s_transaction(amap, actor, before_season):
    amap.commit()
    solidarity.gift(amap, amount=500, member=None, note=None, actor=actor, now=before_season)
    amap.rollback()
    assert amap_rows(amap) == []
    assert solidarity.fund_balance(amap) == 0
