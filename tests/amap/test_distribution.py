"""Distribution day: the households of a date and place, the volunteer rota (R24/R25/R27), the
desk's lookup, tick, undo and end of day."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from coop.amap import (
    absences,
    contracts,
    desk,
    distributions,
    lookup,
    payments,
    rota,
    rules,
    subscriptions,
)
from coop.amap.models import Subscription
from coop.amap.subscriptions import SubscriptionIn
from coop.errors import InvalidInput

DAY = date(2026, 4, 14)


def _sub(session, actor, now, **kw):
    values = {"contract": "LEG-26", "member": 3, "place": "GERLAND", "lines": [("PP", 1)]}
    values.update(kw)
    return subscriptions.subscribe(session, SubscriptionIn(**values), actor=actor, now=now)


@pytest.fixture
def day_with_households(amap, actor, before_season):
    _sub(amap, actor, before_season, member=3, lines=[("GP", 1)])
    _sub(amap, actor, before_season, member=4, co_holders=[5])
    absent = _sub(amap, actor, before_season, member=6)
    absences.declare_absence(amap, absent, DAY, actor=actor, now=before_season)
    _sub(amap, actor, before_season, member=7, place="CROIX")
    amap.flush()
    return amap


def test_R24_fair_share_example():
    # 10 sessions × 2 generic roles, 30 members; vegetables 10 slots, 15 subscribers ⇒ 2
    assert rules.fair_share(20, 30, {"LEG": 10}, {"LEG": 15}, ["LEG"]) == 2
    assert rules.fair_share(20, 30, {"LEG": 10}, {"LEG": 15}, []) == 1


def test_R25_needed_example():
    assert rules.volunteers_needed(3, 0, [1, 0]) == 4


def test_R27_quota_example():
    assert rules.work_quota(10, 275) == 8


def test_households_sorted_by_last_name_with_coholders_and_absence(day_with_households):
    day = distributions.day(day_with_households, DAY, "GERLAND")
    assert [h.sort_key for h in day.households] == sorted(h.sort_key for h in day.households)
    assert len(day.households) == 3
    shared = next(h for h in day.households if h.member in (4, 5))
    assert " / " in shared.names and shared.names.startswith(shared.last_first)
    absent = next(h for h in day.households if h.member == 6)
    assert absent.absent and absent.shares[0].status == "absent"
    assert day.contracts == (("LEG-26", "Légumes 2026"),)


def test_no_distribution_on_a_day_without_delivery_is_bad_input(day_with_households):
    with pytest.raises(InvalidInput):
        distributions.day(day_with_households, date(2026, 4, 15), "GERLAND")


def test_two_places_need_a_place(day_with_households):
    with pytest.raises(InvalidInput, match="CROIX"):
        distributions.day(day_with_households, DAY)


def test_tick_undo_and_counts(day_with_households, actor, now):
    session = day_with_households
    day = desk.load(session, DAY, "GERLAND")
    assert desk.find(session, day, "hele").households or desk.find(session, day, "3")
    assert desk.tick(session, day, 3, actor=actor, now=now) == 1
    day = desk.load(session, DAY, "GERLAND")
    gp = next(c for c in desk.counts(day) if c.size == "GP")
    assert (gp.collected, gp.expected) == (1, 1)
    with pytest.raises(InvalidInput, match="already"):
        desk.tick(session, day, 3, actor=actor, now=now)
    assert desk.undo(session, day, 3, actor=actor, now=now) == 1
    day = desk.load(session, DAY, "GERLAND")
    assert next(c for c in desk.counts(day) if c.size == "GP").collected == 0


def test_tick_refused_for_absent_and_for_someone_with_nothing(day_with_households, actor, now):
    session = day_with_households
    day = desk.load(session, DAY, "GERLAND")
    with pytest.raises(InvalidInput, match="nothing to collect"):
        desk.tick(session, day, 6, actor=actor, now=now)
    with pytest.raises(InvalidInput, match="collects nothing"):
        desk.tick(session, day, 1, actor=actor, now=now)


def test_find_by_name_ignores_accents_and_reports_unknown_card(day_with_households):
    session = day_with_households
    day = desk.load(session, DAY, "GERLAND")
    someone = day.households[0]
    letters = someone.folded.split()[1][:4].upper()
    assert someone in desk.find(session, day, letters).households
    found = desk.find(session, day, "2999999999993")
    assert not found.households and found.message


def test_end_of_day_no_shows_and_settle(day_with_households, actor, now):
    session = day_with_households
    day = desk.load(session, DAY, "GERLAND")
    desk.tick(session, day, 3, actor=actor, now=now)
    day = desk.load(session, DAY, "GERLAND")
    (shared,) = desk.no_shows(day)
    with pytest.raises(InvalidInput):
        desk.settle(session, day, shared.member, "volunteer", actor=actor, now=now)
    desk.settle(session, day, shared.member, "partner", actor=actor, now=now)
    assert desk.no_shows(desk.load(session, DAY, "GERLAND")) == []


def test_rota_sign_up_full_role_twice_and_leave(day_with_households, actor, now):
    session = day_with_households
    place = lookup.place(session, "GERLAND")
    place.volunteers = 2
    lookup.contract(session, "LEG-26").volunteers = 1
    assert rota.staffing(session, DAY, "GERLAND").needed == 3
    rota.sign_up(session, DAY, "GERLAND", "welcome", 3, actor=actor, now=now)
    with pytest.raises(InvalidInput, match="already signed up"):
        rota.sign_up(session, DAY, "GERLAND", "welcome", 3, actor=actor, now=now)
    with pytest.raises(InvalidInput, match="full"):
        rota.sign_up(session, DAY, "GERLAND", "welcome", 4, actor=actor, now=now)
    rota.sign_up(session, DAY, "GERLAND", "handout", 4, actor=actor, now=now)
    rota.sign_up(session, DAY, "GERLAND", "handout", 5, actor=actor, now=now)
    with pytest.raises(InvalidInput, match="all the 3 volunteers"):
        rota.sign_up(session, DAY, "GERLAND", "setup", 6, actor=actor, now=now)
    assert rota.staffing(session, DAY, "GERLAND").missing == 0
    rota.leave(session, DAY, "GERLAND", "handout", 5, reason="malade", actor=actor, now=now)
    assert rota.staffing(session, DAY, "GERLAND").missing == 1
    short = rota.short_of_volunteers(session, DAY, date(2026, 4, 21))
    assert (DAY, "GERLAND") in {(s.on, s.place) for s in short}
    member = lookup.member(session, 3)
    assert rota.duty_count(session, member.id, date(2026, 1, 1), date(2026, 12, 31)) == 1


def test_fair_share_report_shows_who_owes(day_with_households, actor, now):
    session = day_with_households
    lookup.place(session, "GERLAND").volunteers = 1
    lookup.place(session, "CROIX").volunteers = 1
    rota.sign_up(session, DAY, "GERLAND", "welcome", 3, actor=actor, now=now)
    lines = {
        line.member: line
        for line in rota.fair_shares(session, date(2026, 4, 1), date(2026, 6, 30), per_year=10)
    }
    # 13 Tuesdays × 2 places = 26 generic slots, 4 subscribing households ⇒ ⌈26/4⌉ = 7
    assert lines[3].owed == 7 and lines[3].done == 1 and lines[3].balance == 6
    assert lines[4].done == 0 and lines[3].quota == 2  # round(10 × 85 / 365)
    assert contracts  # the module the fixture uses


def test_recorded_changes_the_day_in_memory_as_a_reload_would(day_with_households, actor, now):
    session = day_with_households
    day = desk.load(session, DAY, "GERLAND")
    desk.tick(session, day, 3, actor=actor, now=now)
    ticked = desk.recorded(day, 3, "collected")
    assert ticked == desk.load(session, DAY, "GERLAND")
    desk.undo(session, ticked, 3, actor=actor, now=now)
    assert desk.recorded(ticked, 3, None) == day == desk.load(session, DAY, "GERLAND")


def test_duty_summary_for_the_welcome_desk(day_with_households, actor, now):
    session = day_with_households
    rota.sign_up(session, DAY, "GERLAND", "welcome", 3, actor=actor, now=now)
    rota.sign_up(session, date(2026, 4, 21), "GERLAND", "welcome", 3, actor=actor, now=now)
    member = lookup.member(session, 3)
    summary = rota.duty_summary(session, member.id, date(2026, 4, 20))
    assert summary == rota.DutySummary(done=1, upcoming=1)
    assert rota.duty_summary(session, lookup.member(session, 1).id, date(2026, 4, 20)) is None


def test_overdue_cheque_is_noted_on_the_household(day_with_households, actor, now):
    session = day_with_households
    member = lookup.member(session, 3)
    sub = session.scalars(select(Subscription).where(Subscription.member_id == member.id)).one()
    payments.plan(session, sub, count=1, actor=actor, now=now)
    day = distributions.day(session, DAY, "GERLAND")
    fournier = next(h for h in day.households if h.member == 3)
    assert fournier.overdue == ("LEG-26",)  # the cheque's cashing date, 10 April, is past
    assert all(not h.overdue for h in day.households if h.member != 3)


def test_a_pickup_names_who_authorised_it_cut_to_the_columns_width(day_with_households, now):
    from coop.amap.models import PICKUP_ACTOR_WIDTH, Pickup
    from coop.audit import Actor

    session = day_with_households
    cashier = Actor("Zoé Arnaud", member_number=7)
    leader = Actor("Thérèse Lebrun", member_number=4)
    day = desk.load(session, DAY, "GERLAND")
    desk.tick(session, day, 3, actor=cashier.with_second(leader), now=now)
    (row,) = session.scalars(select(Pickup)).all()
    assert row.actor == "Zoé Arnaud (n° 7), authorised by Thérèse Lebrun (n° 4)"
    day = desk.load(session, DAY, "GERLAND")
    (shared,) = desk.no_shows(day)
    long_name = Actor("Marie-Anne " + "de la Fontaine-Beauregard " * 4, member_number=12)
    desk.settle(
        session, day, shared.member, "partner", actor=long_name.with_second(leader), now=now
    )
    settled = [r.actor for r in session.scalars(select(Pickup)) if r.outcome == "partner"]
    # 100 characters (the pickups' column), the label's beginning: no database error on PostgreSQL
    assert settled and all(len(a) == PICKUP_ACTOR_WIDTH == 100 for a in settled)
    assert all(a.startswith("Marie-Anne de la Fontaine-Beauregard") for a in settled)
