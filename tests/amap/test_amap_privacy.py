"""`coop members export-data` includes a person's AMAP data; erasure keeps the accounts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coop.amap import payments, subscriptions
from coop.amap.models import Payment
from coop.amap.privacy import REDACTED, erase
from coop.amap.subscriptions import SubscriptionIn
from coop.members.models import Member
from coop.members.privacy import export_personal_data


def test_export_holds_subscriptions_held_and_co_held(amap, actor, before_season):
    sub = subscriptions.subscribe(
        amap,
        SubscriptionIn("LEG-26", 3, "GERLAND", [("PP", 1)], co_holders=[4]),
        actor=actor,
        now=before_season,
    )
    payments.plan(amap, sub, count=3, issuer="Leïla Fournier", actor=actor, now=before_season)
    co_holder = amap.scalar(select(Member).where(Member.number == 4))
    data = export_personal_data(amap, co_holder)["amap"]
    assert [s["contract"] for s in data["subscriptions"]] == ["LEG-26"]
    assert data["subscriptions"][0]["baskets"][1]["collector"] == 4
    assert data["subscriptions"][0]["baskets"][0]["on"] == date(2026, 4, 7).isoformat()
    holder = amap.scalar(select(Member).where(Member.number == 3))
    erase(amap, holder.id)
    issuers = set(amap.scalars(select(Payment.issuer)))
    amounts = sum(amap.scalars(select(Payment.amount_cents)))
    assert issuers == {REDACTED} and amounts == 13 * 1500
