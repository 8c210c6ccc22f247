"""The AMAP distribution desk driven with key presses on the demo: a card scan (also typed by
a US scanner on an AZERTY keyboard), a name, a tick and its undo, the households that did not
come and what happened to their baskets; at 80×24 and 120×40."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop.amap import desk
from coop.amap.models import Pickup
from coop.members.models import Member, MemberCard
from tests.tui.conftest import azerty, press, scan, settle
from tui.screens.distribution import DistributionScreen
from tui.widgets.scan_field import ScanField


def panel(app) -> str:
    return str(app.screen.query_one("#amap-panel").render())


def title(app) -> str:
    return str(app.screen.query_one("#amap-title").render())


def counts(app) -> str:
    return str(app.screen.query_one("#amap-counts").render())


def pickups(engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Pickup)) or 0


def first_household(engine, on: date, place: str):
    """A household of the demo's distribution with a basket due and an active card."""
    with Session(engine) as session:
        day = desk.load(session, on, place)
        for household in day.households:
            if not household.due:
                continue
            card = session.scalar(
                select(MemberCard.barcode)
                .join(Member, Member.id == MemberCard.member_id)
                .where(Member.number == household.member, MemberCard.ended_on.is_(None))
            )
            if card:
                return household, card
    raise AssertionError("no household with a card")


async def wait(pilot) -> None:
    await settle(pilot)
    await pilot.app.workers.wait_for_complete()
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_scan_tick_undo_at_both_sizes(counter_app, demo_engine, size):
    app = counter_app(mode="distribution")
    async with app.run_test(size=size) as pilot:
        await wait(pilot)
        assert isinstance(app.screen, DistributionScreen)
        assert isinstance(app.focused, ScanField)
        day = app.screen.day
        assert day is not None and day.on == date(2027, 4, 10)  # the next one after 21/11/2026
        household, card = first_household(demo_engine, day.on, day.place)
        await scan(pilot, azerty(card))
        await wait(pilot)
        shown = panel(app)
        assert f"{household.member}  {household.names}" in shown
        assert household.due[0].contract in shown
        before = counts(app)
        await press(pilot, "f4")
        await wait(pilot)
        assert pickups(demo_engine) == len(household.due)
        assert "✓ collected" in panel(app)
        assert counts(app) != before
        await press(pilot, "f5")
        await wait(pilot)
        assert pickups(demo_engine) == 0 and counts(app) == before
        assert isinstance(app.focused, ScanField)


async def test_name_search_unknown_card_and_end_of_day(counter_app, demo_engine):
    app = counter_app(mode="distribution")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait(pilot)
        day = app.screen.day
        household, _card = first_household(demo_engine, day.on, day.place)
        letters = household.folded.split()[1][:4].upper()
        await scan(pilot, letters)
        await wait(pilot)
        assert household.member in [h.member for h in app.screen.shown]
        await scan(pilot, "2999999999993")
        await wait(pilot)
        assert "belongs to no member" in panel(app)
        await press(pilot, "f4")  # after a failed scan nothing is chosen: nothing written
        await wait(pilot)
        assert pickups(demo_engine) == 0
        await press(pilot, "down")  # ↓ chooses on purpose: the household shown
        await wait(pilot)
        assert panel(app).startswith(f"{app.screen.shown[0].member}  ")
        await press(pilot, "f6")
        await wait(pilot)
        assert "did not come" in title(app)
        left = list(app.screen.shown)
        assert left and all(h.due for h in left)
        await press(pilot, "f7")  # the first one's baskets go to the solidarity partner
        await wait(pilot)
        assert [h.member for h in app.screen.shown] == [h.member for h in left[1:]]
        await press(pilot, "f8")
        await scan(pilot, "14")  # member 14 keeps the next one's baskets
        await wait(pilot)
        assert [h.member for h in app.screen.shown] == [h.member for h in left[2:]]
        with Session(demo_engine) as session:
            outcomes = sorted(session.scalars(select(Pickup.outcome).distinct()))
        assert outcomes == ["partner", "volunteer"]


async def test_pages_move_between_distributions_in_french(counter_app):
    app = counter_app(language="fr", mode="distribution")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot)
        first = app.screen.day
        await press(pilot, "pageup")
        await wait(pilot)
        assert app.screen.day.on < first.on
        assert "2026" in title(app) and "octobre" in title(app)
        await press(pilot, "pagedown")
        await wait(pilot)
        assert app.screen.day.on == first.on


async def test_the_welcome_desk_shows_a_members_amap_duties(counter_app, demo_engine):
    from coop.amap.models import Distribution, Duty

    with Session(demo_engine) as session:
        member_id, number, card = session.execute(
            select(Member.id, Member.number, MemberCard.barcode)
            .join(MemberCard, MemberCard.member_id == Member.id)
            .join(Duty, Duty.member_id == Member.id)
            .where(MemberCard.ended_on.is_(None))
            .order_by(Member.number)
            .limit(1)
        ).one()
        on_days = list(
            session.scalars(
                select(Distribution.on)
                .join(Duty, Duty.distribution_id == Distribution.id)
                .where(Duty.member_id == member_id)
            )
        )
    today = date(2026, 11, 21)  # the tests' clock
    done = sum(1 for d in on_days if date(2025, 11, 21) <= d < today)
    upcoming = sum(1 for d in on_days if d >= today)
    app = counter_app(mode="desk")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot)
        await scan(pilot, card)
        await wait(pilot)
        shown = str(app.screen.query_one("#desk-panel").render())
        assert f"Member {number} " in shown
        assert (
            f"AMAP: {done} distribution duties in the last 12 months, {upcoming} to come." in shown
        )
