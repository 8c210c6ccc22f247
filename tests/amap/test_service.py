"""AMAP use cases on a real database (SQLite and PostgreSQL): calendar, subscriptions, payments."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from coop.amap import absences, calendar, lookup, payments, solidarity, subscriptions, views
from coop.amap.models import Basket, Delivery
from coop.amap.rules import Recurrence
from coop.amap.subscriptions import SubscriptionIn
from coop.audit import AuditEntry
from coop.errors import InvalidInput


def _sub(session, actor, now, **kw):
    values = {"contract": "LEG-26", "member": 3, "place": "GERLAND", "lines": [("PP", 1)]}
    values.update(kw)
    return subscriptions.subscribe(session, SubscriptionIn(**values), actor=actor, now=now)


def test_calendar_is_weekly_tuesdays_april_to_june(amap):
    contract = lookup.contract(amap, "LEG-26")
    days = [d.on for d in calendar.deliveries(amap, contract.id)]
    assert days[0] == date(2026, 4, 7) and days[-1] == date(2026, 6, 30)
    assert len(days) == 13 and {d.weekday() for d in days} == {1}


def test_subscription_amount_is_the_sum_of_its_deliveries(amap, actor, before_season):
    sub = _sub(amap, actor, before_season)
    assert sub.amount_cents == 13 * 1500


def test_R7_mid_season_joiner_pays_the_remaining_dates(amap, actor, before_season):
    sub = _sub(amap, actor, before_season, starts_on=date(2026, 6, 1))
    assert sub.amount_cents == 5 * 1500  # 2, 9, 16, 23, 30 June


def test_factor_and_cancel_recompute_before_freezing(amap, actor, before_season):
    sub = _sub(amap, actor, before_season)
    contract = lookup.contract(amap, "LEG-26")
    change = calendar.cancel(
        amap, contract, date(2026, 5, 5), reason="grêle", actor=actor, now=before_season
    )
    assert change.recomputed == 1
    calendar.set_factor(
        amap,
        contract,
        date(2026, 5, 12),
        factor=200,
        reason="rattrapage",
        actor=actor,
        now=before_season,
    )
    amap.refresh(sub)
    assert sub.amount_cents == 13 * 1500  # one cancelled, one doubled
    actions = set(
        amap.scalars(select(AuditEntry.action).where(AuditEntry.action.like("amap.calendar.%")))
    )
    assert {"amap.calendar.cancel", "amap.calendar.factor", "amap.calendar.generate"} <= actions


def test_R6_paid_fixed_contract_freezes_adding_and_cancelling(amap, actor, before_season):
    sub = _sub(amap, actor, before_season)
    payments.pay(
        amap,
        sub,
        means=payments.rules.Means.TRANSFER,
        amount=sub.amount_cents,
        on=None,
        actor=actor,
        now=before_season,
    )
    contract = lookup.contract(amap, "LEG-26")
    with pytest.raises(InvalidInput, match="frozen"):
        calendar.cancel(
            amap, contract, date(2026, 5, 5), reason=None, actor=actor, now=before_season
        )
    # Moving stays allowed.
    calendar.move(
        amap,
        contract,
        date(2026, 5, 5),
        to=date(2026, 5, 7),
        place=None,
        reason=None,
        actor=actor,
        now=before_season,
    )
    assert date(2026, 5, 7) in [b.on for b in views.subscription_view(amap, sub).baskets]


def test_R10_shared_basket_turns_stored_per_date_survive_a_cancellation(amap, actor, before_season):
    sub = _sub(amap, actor, before_season, co_holders=[4])
    first = [b.collector for b in views.subscription_view(amap, sub).baskets]
    assert first[:4] == [3, 4, 3, 4]
    contract = lookup.contract(amap, "LEG-26")
    calendar.cancel(amap, contract, date(2026, 4, 14), reason=None, actor=actor, now=before_season)
    after = {b.on: b.collector for b in views.subscription_view(amap, sub).baskets}
    assert after[date(2026, 4, 21)] == 3 and after[date(2026, 4, 28)] == 4


def test_collector_can_be_changed_for_one_date(amap, actor, before_season):
    sub = _sub(amap, actor, before_season, co_holders=[4])
    subscriptions.set_collector(amap, sub, date(2026, 4, 7), 4, actor=actor, now=before_season)
    got = {b.on: b.collector for b in views.subscription_view(amap, sub).baskets}
    assert (
        got[date(2026, 4, 7)] == 4 and got[date(2026, 4, 14)] == 4 and got[date(2026, 4, 21)] == 3
    )


def test_overlap_co_holder_and_full_size_are_refused(amap, actor, before_season):
    _sub(amap, actor, before_season)
    with pytest.raises(InvalidInput, match="already has subscription"):
        _sub(amap, actor, before_season)
    with pytest.raises(InvalidInput, match="not a member"):
        _sub(amap, actor, before_season, member=6, co_holders=[9999])
    _sub(amap, actor, before_season, member=6)
    _sub(amap, actor, before_season, member=7)
    with pytest.raises(InvalidInput, match="full"):
        _sub(amap, actor, before_season, member=8)
    waiting = _sub(amap, actor, before_season, member=8, waiting_list=True)
    assert waiting.status == "waiting" and waiting.amount_cents == 0


def test_R18_absence_lowers_the_amount_and_the_limit_holds(amap, actor, before_season):
    sub = _sub(amap, actor, before_season)
    absences.declare_absence(amap, sub, date(2026, 4, 14), actor=actor, now=before_season)
    amount = absences.declare_absence(amap, sub, date(2026, 4, 21), actor=actor, now=before_season)
    assert amount == 11 * 1500
    with pytest.raises(InvalidInput, match="all used"):
        absences.declare_absence(amap, sub, date(2026, 4, 28), actor=actor, now=before_season)
    with pytest.raises(InvalidInput, match="past"):
        absences.declare_absence(
            amap,
            sub,
            date(2026, 4, 7),
            actor=actor,
            now=datetime(2026, 4, 8, tzinfo=before_season.tzinfo),
        )


def test_R21_donation_to_a_keeper_or_the_partner_is_still_paid(amap, actor, before_season):
    sub = _sub(amap, actor, before_season)
    absences.donate(amap, sub, date(2026, 4, 14), keeper=10, actor=actor, now=before_season)
    absences.donate(amap, sub, date(2026, 4, 21), keeper=None, actor=actor, now=before_season)
    rows = {b.on: b for b in views.subscription_view(amap, sub).baskets}
    assert rows[date(2026, 4, 14)].keeper == 10 and rows[date(2026, 4, 14)].donated_to == "keeper"
    assert rows[date(2026, 4, 21)].donated_to == "partner"
    amap.refresh(sub)
    assert sub.amount_cents == 13 * 1500
    with pytest.raises(InvalidInput, match="already given"):
        absences.declare_absence(amap, sub, date(2026, 4, 14), actor=actor, now=before_season)


def test_cheque_plan_amapress_dates_and_states(amap, actor, before_season):
    sub = _sub(amap, actor, before_season)  # 195 €
    plan = payments.plan(amap, sub, count=3, actor=actor, now=before_season)
    assert [p.amount_cents for p in plan] == [6500, 6500, 6500]
    assert [p.cashing_on for p in plan] == [date(2026, 4, 10), date(2026, 5, 10), date(2026, 6, 10)]
    with pytest.raises(InvalidInput, match="allows"):
        payments.plan(amap, sub, count=4, actor=actor, now=before_season)
    payments.receive(
        amap,
        sub,
        1,
        number="0001234",
        bank="CCF",
        issuer="L. Fournier",
        on=None,
        actor=actor,
        now=before_season,
    )
    contract = lookup.contract(amap, "LEG-26")
    calendar.set_factor(
        amap, contract, date(2026, 6, 30), factor=200, reason=None, actor=actor, now=before_season
    )
    amap.refresh(sub)
    replanned = payments.plan(amap, sub, count=3, actor=actor, now=before_season)
    assert replanned[0].amount_cents == 6500 and replanned[0].state == "received"
    assert sum(p.amount_cents for p in replanned) == sub.amount_cents == 14 * 1500
    handed, missing = payments.hand_over(
        amap, contract, date(2026, 4, 10), actor=actor, now=before_season
    )
    assert (handed, missing) == (1, 0)


def test_split_that_does_not_add_up_is_refused(amap, actor, before_season):
    sub = _sub(amap, actor, before_season)
    with pytest.raises(InvalidInput, match="add up"):
        payments.plan(
            amap, sub, count=3, amounts=[5000, 5000, 5000], actor=actor, now=before_season
        )


def test_solidarity_basket_draws_from_the_fund_which_never_goes_negative(
    amap, actor, before_season
):
    with pytest.raises(InvalidInput, match="solidarity fund"):
        _sub(amap, actor, before_season, member=1, solidarity=True)
    amap.rollback()


def test_solidarity_subscription_with_gifts(amap, actor, before_season):
    solidarity.gift(amap, amount=20000, member=2, note="don", actor=actor, now=before_season)
    sub = _sub(amap, actor, before_season, member=1, solidarity=True)
    assert sub.amount_cents == 13 * 750
    assert solidarity.fund_balance(amap) == 20000 - 13 * 750
    with pytest.raises(InvalidInput, match="solidarity category"):
        _sub(amap, actor, before_season, member=3, solidarity=True)


def test_contribution_per_delivery_feeds_the_fund(amap, actor, before_season):
    sub = _sub(amap, actor, before_season, contribution_cents=100)
    assert sub.amount_cents == 13 * 1600
    assert solidarity.fund_balance(amap) == 1300


def test_distribution_lists_the_baskets_of_a_date_and_place(amap, actor, before_season):
    _sub(amap, actor, before_season)
    _sub(amap, actor, before_season, member=6, place="CROIX", lines=[("GP", 1)])
    rows = views.distribution(amap, date(2026, 4, 7), "GERLAND")
    assert [(r.member, r.items) for r in rows] == [(3, "1 × PP")]
    contract = lookup.contract(amap, "LEG-26")
    calendar.move(
        amap,
        contract,
        date(2026, 4, 7),
        to=None,
        place="GERLAND",
        reason=None,
        actor=actor,
        now=before_season,
    )
    assert len(views.distribution(amap, date(2026, 4, 7), "GERLAND")) == 2
    n = amap.scalar(
        select(Basket.id).join(Delivery).where(Delivery.on == date(2026, 4, 7)).limit(1)
    )
    assert n is not None


def test_R9_variable_contract_owes_at_least_the_prorated_season_minimum(amap, actor, before_season):
    from coop.amap import contracts
    from coop.amap.contracts import ContractIn, OfferIn
    from coop.amap.rules import ContractKind, Recurrence

    cheese = contracts.create_contract(
        amap,
        ContractIn(
            code="FROM-26",
            name="Fromages",
            producer="FROMAGERIE-MONTS",
            kind=ContractKind.VARIABLE,
            season_start=date(2026, 4, 7),
            season_end=date(2026, 6, 30),
            places=["GERLAND"],
            offers=[OfferIn("TOMME", "Tomme", 650), OfferIn("CHEVRE", "Chèvre", 320)],
            min_season_cents=13 * 1000,  # 10 € a delivery over the 13 Tuesdays
        ),
        actor=actor,
        now=before_season,
    )
    calendar.generate(amap, cheese, recurrence=Recurrence.WEEKLY, actor=actor, now=before_season)
    sub = _sub(
        amap,
        actor,
        before_season,
        contract="FROM-26",
        lines=[("CHEVRE", 1)],
        starts_on=date(2026, 6, 2),
    )
    assert sub.amount_cents == 5 * 1000  # 5 of 13 deliveries: ⌊130 € × 5 / 13⌋, above 5 × 3,20 €
    subscriptions.set_order(
        amap, sub, date(2026, 6, 9), [("TOMME", 8)], actor=actor, now=before_season
    )
    amap.refresh(sub)
    assert sub.amount_cents == 4 * 320 + 8 * 650  # the orders now exceed the minimum


def test_R10_a_collector_changed_by_hand_survives_new_dates_and_a_new_co_holder(
    amap, actor, before_season
):
    sub = _sub(amap, actor, before_season, co_holders=[4])
    other = _sub(amap, actor, before_season, member=6, co_holders=[7])
    subscriptions.set_collector(amap, sub, date(2026, 4, 14), 3, actor=actor, now=before_season)
    subscriptions.set_collector(amap, other, date(2026, 4, 14), 6, actor=actor, now=before_season)
    contract = lookup.contract(amap, "LEG-26")
    calendar.generate(
        amap,
        contract,
        recurrence=Recurrence.LIST,
        dates=[date(2026, 6, 27)],
        actor=actor,
        now=before_season,
    )
    subscriptions.add_holder(amap, sub, 5, actor=actor, now=before_season)
    turns = {b.on: b.collector for b in views.subscription_view(amap, sub).baskets}
    others = {b.on: b.collector for b in views.subscription_view(amap, other).baskets}
    assert others[date(2026, 4, 14)] == 6  # the other subscription's hand-made change stays
    assert date(2026, 6, 27) in others
    # Three holders now alternate over every coming date, counted from the contract's start.
    assert [turns[date(2026, 4, d)] for d in (7, 14, 21)] == [3, 4, 5]


def test_R13_monthly_plan_one_cheque_per_month_at_that_months_cashing_date(
    amap, actor, before_season
):
    contract = lookup.contract(amap, "LEG-26")
    contract.strategy = "monthly"
    sub = _sub(amap, actor, before_season)
    plan = payments.plan(amap, sub, count=3, actor=actor, now=before_season)
    # April 7–28 (4), May 5–26 (4), June 2–30 (5) Tuesdays at 15 €.
    assert [(p.amount_cents, p.cashing_on) for p in plan] == [
        (4 * 1500, date(2026, 4, 10)),
        (4 * 1500, date(2026, 5, 10)),
        (5 * 1500, date(2026, 6, 10)),
    ]


def test_R14_plan_all_spreads_cheques_over_the_cashing_dates(amap, actor, before_season):
    for member in (3, 6, 7, 8):
        _sub(amap, actor, before_season, member=member, lines=[("GP", 1)])
    contract = lookup.contract(amap, "LEG-26")
    assert payments.plan_all(amap, contract, count=1, actor=actor, now=before_season) == 4
    from collections import Counter

    from coop.amap.models import Payment

    dates = Counter(amap.scalars(select(Payment.cashing_on)))
    assert dates == {date(2026, 4, 10): 2, date(2026, 5, 10): 1, date(2026, 6, 10): 1}
