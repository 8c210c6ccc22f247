"""Leaving the coop across contexts (``coop.membership.leave``): the card ends, the fixed shift
slot is released, AMAP subscriptions end from the next delivery, the refund clock starts; then
rejoining keeps the number and the history. On the AMAP fixtures (contract LEG-26, Tuesdays
7 April – 30 June 2026), with one shift template held by member 3."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from coop import membership
from coop.amap import subscriptions
from coop.amap.models import Basket, Delivery, Subscription
from coop.amap.subscriptions import SubscriptionIn
from coop.audit import AuditEntry
from coop.clock import SHOP_TIMEZONE
from coop.config import Settings, ShiftSettings
from coop.members import joining, service, shares
from coop.members.models import MemberCard
from coop.shifts import exchange, slots
from coop.shifts.models import ShiftHolding
from coop.shifts.policy import BEES, LOUVE, Status

TEMPLATES = "code;name;week;weekday;start;end;seats;roles\nA-MAR;Mardi A;A;mardi;10:00;13:00;3;\n"


def _settings() -> Settings:
    shifts = ShiftSettings(policy=replace(LOUVE, week_anchor=date(2026, 3, 2)))
    return Settings(shifts=shifts)


def _basket_days(session, subscription_id: int) -> list[date]:
    return list(
        session.scalars(
            select(Delivery.on)
            .join(Basket, Basket.delivery_id == Delivery.id)
            .where(Basket.subscription_id == subscription_id)
            .order_by(Delivery.on)
        )
    )


def test_leaving_ends_card_slot_and_baskets_then_rejoining_keeps_number_and_history(
    amap, actor, before_season, tmp_path: Path
):
    session, settings = amap, _settings()
    path = tmp_path / "creneaux.csv"
    path.write_text(TEMPLATES, encoding="utf-8")
    exchange.import_templates(
        session, path, settings=settings.shifts, actor=actor, now=before_season
    )
    slots.hold_slot(
        session,
        member_number=3,
        template_code="A-MAR",
        starts_on=date(2026, 3, 2),
        role=None,
        settings=settings.shifts,
        actor=actor,
        now=before_season,
    )
    sub = subscriptions.subscribe(
        session,
        SubscriptionIn(contract="LEG-26", member=3, place="GERLAND", lines=[("PP", 1)]),
        actor=actor,
        now=before_season,
    )
    assert len(_basket_days(session, sub.id)) == 13
    member = service.get_by_number(session, 3)
    old_card = service.active_card(session, member)
    assert old_card is not None

    when = datetime(2026, 4, 20, 11, 0, tzinfo=SHOP_TIMEZONE)
    departure = membership.leave(
        session,
        member,
        on=date(2026, 4, 20),
        reason="déménagement",
        settings=settings,
        actor=actor,
        now=when,
    )

    assert departure.slots_released == 1 and departure.subscriptions_ended == 1
    assert departure.refund_from == date(2031, 4, 20)  # five years by default
    card = session.get(MemberCard, old_card.id)
    assert (card.ended_on, card.end_reason) == (date(2026, 4, 20), "left")
    holding = session.scalar(select(ShiftHolding).where(ShiftHolding.member_id == member.id))
    assert (holding.ends_on, holding.end_reason) == (date(2026, 4, 19), "left")
    # the two Tuesdays before leaving stay (already delivered); 21 April onwards are gone
    assert _basket_days(session, sub.id) == [date(2026, 4, 7), date(2026, 4, 14)]
    assert session.get(Subscription, sub.id).ends_on == date(2026, 4, 19)
    actions = set(
        session.scalars(select(AuditEntry.action).where(AuditEntry.member_id == member.id))
    )
    assert {"member.leave", "shift.slot_end", "amap.subscription.end"} <= actions
    assert set(
        session.scalars(select(AuditEntry.actor).where(AuditEntry.action == "member.leave"))
    ) == {actor.name}

    back = datetime(2026, 9, 1, 10, 0, tzinfo=SHOP_TIMEZONE)
    joining.rejoin(
        session, member, on=date(2026, 9, 1), actor=actor, now=back, settings=settings.members
    )
    assert member.number == 3 and member.left_on is None
    new_card = service.active_card(session, member)
    assert new_card is not None and new_card.barcode != old_card.barcode
    assert len(service.cards(session, member)) == 2  # the old card is kept, ended
    assert "member.leave" in set(
        session.scalars(select(AuditEntry.action).where(AuditEntry.member_id == member.id))
    )
    # the released slot stays ended: rejoining does not give the place back
    assert holding.ends_on == date(2026, 4, 19)


def test_a_subscription_not_started_yet_is_ended_outright(amap, actor, before_season):
    session, settings = amap, _settings()
    sub = subscriptions.subscribe(
        session,
        SubscriptionIn(
            contract="LEG-26",
            member=4,
            place="GERLAND",
            lines=[("PP", 1)],
            starts_on=date(2026, 5, 5),
        ),
        actor=actor,
        now=before_season,
    )
    member = service.get_by_number(session, 4)
    membership.leave(
        session,
        member,
        on=date(2026, 4, 1),
        reason="raisons personnelles",
        settings=settings,
        actor=actor,
        now=datetime(2026, 3, 20, 9, 0, tzinfo=SHOP_TIMEZONE),
    )
    assert session.get(Subscription, sub.id).status == "ended"
    assert _basket_days(session, sub.id) == []


def test_a_notice_shows_resigning_until_the_day(amap, actor, before_season):
    from coop.shifts import desk

    session, settings = amap, _settings()
    member = service.get_by_number(session, 3)
    membership.leave(
        session,
        member,
        on=date(2026, 6, 1),
        reason="fin d’études",
        settings=settings,
        actor=actor,
        now=before_season,
    )
    card = service.cards(session, member)[0]
    bees = ShiftSettings(policy=BEES)
    before = desk.check(session, "3", at=before_season, settings=bees)
    assert before.status is Status.RESIGNING
    assert not any(w.code == "card_ended" for w in before.warnings)
    after = desk.check(
        session, card.barcode, at=datetime(2026, 6, 2, 10, tzinfo=SHOP_TIMEZONE), settings=bees
    )
    # once left, the desk says only that, and when (issue 16 §10): no status, no other reason
    assert not after.can_shop and after.left_on == date(2026, 6, 1) and after.reasons == []
    assert shares.dues(session, member, settings.membership, date(2026, 6, 2)).total_cents == 0
