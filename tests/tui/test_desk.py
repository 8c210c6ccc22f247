"""The welcome desk driven with key presses: a scan is its characters then Enter (also as a
US-configured scanner types them on a French AZERTY keyboard); each test checks the panel and,
for the grace, what the database holds."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.orm import Session
from textual.events import Paste

from coop.clock import fixed_clock
from coop.config import Settings
from coop.db import make_engine, make_session_factory
from coop.shifts.models import ShiftExtension
from tests.tui.conftest import (
    ALICE_CARD,
    AT_TERMINAL,
    SUSPENDED_CARD,
    azerty,
    press,
    scan,
    settle,
    type_text,
)
from tests.tui.test_app import footer_text
from tui.app import make_app
from tui.screens.desk import DeskScreen
from tui.screens.dialogs import TextDialog
from tui.screens.member_search import MemberSearchDialog
from tui.widgets.scan_field import ScanField

ASSOCIATED_CARD = "0420000000051"  # member 5 Agnès Bernard-Dubois, in member 4's household


def panel(app) -> str:
    return str(app.screen.query_one("#desk-panel").render())


def info(app) -> str:
    return str(app.screen.query_one("#desk-info").render())


def extensions(engine, member: int = 2) -> list[ShiftExtension]:
    from coop.members.models import Member

    with Session(engine) as session:
        return list(
            session.scalars(
                select(ShiftExtension)
                .join(Member, Member.id == ShiftExtension.member_id)
                .where(Member.number == member)
                .order_by(ShiftExtension.id)
            )
        )


async def test_a_card_shows_a_large_green_panel_in_french(counter_app):
    app = counter_app(language="fr", mode="desk")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        assert isinstance(app.focused, ScanField)
        footer = footer_text(app)
        assert "F2 Chercher un membre" in footer and "F6 Délai de grâce" in footer
        await scan(pilot, ALICE_CARD)
        shown = panel(app)
        assert shown.startswith("PEUT FAIRE SES COURSES\nMembre 1 Éric Dumont")
        assert "Statut\xa0: à jour" in shown
        assert "services faits d’avance" in shown
        assert "Foyer" in shown
        assert app.screen.query_one("#desk-panel").has_class("-ok")
        assert isinstance(app.focused, ScanField) and app.focused.value == ""


async def test_household_and_a_number_typed_by_hand(counter_app):
    app = counter_app(mode="desk")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await scan(pilot, azerty(ASSOCIATED_CARD))
        shown = panel(app)
        assert "Member 4 " in shown
        assert "Agnès Bernard-Dubois shops on the status of member 4." in shown
        household = shown.split("Household")[1]
        assert "5  Agnès Bernard-Dubois" in household
        await scan(pilot, "14")  # a member number typed on the digit row
        assert "Member 14 Aurélien N'Guessan" in panel(app)
        await press(pilot, "escape")  # clears the panel
        assert panel(app).startswith("Scan a member card")


async def test_a_name_opens_the_search_and_enter_shows_the_member(counter_app):
    app = counter_app(mode="desk")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await scan(pilot, "eric dumon")
        assert isinstance(app.screen, MemberSearchDialog)
        await press(pilot, "enter")
        assert isinstance(app.screen, DeskScreen)
        assert "Member 1 Éric Dumont" in panel(app)
        assert isinstance(app.focused, ScanField)
        await press(pilot, "f2")
        assert isinstance(app.screen, MemberSearchDialog)
        await press(pilot, "escape")
        assert isinstance(app.screen, DeskScreen)
        assert isinstance(app.focused, ScanField)


async def test_bad_scans_say_why_and_ring(counter_app):
    app = counter_app(mode="desk")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rings = [0]
        original = app.bell

        def bell() -> None:
            rings[0] += 1
            original()

        app.bell = bell
        await scan(pilot, "0420000000014")  # card 1 with a wrong check digit
        assert "wrong check digit (the last digit should be 3)" in info(app)
        await scan(pilot, "0420009999998")  # a valid EAN-13 nobody holds
        assert "No member card has the number 0420009999998." in info(app)
        await scan(pilot, "%$#*!")  # scanner junk
        assert "is not a member card, a number or a name" in info(app)
        app.focused.post_message(Paste("4" * 500))
        await settle(pilot)
        await press(pilot, "enter")
        assert "far too long" in info(app)
        assert rings[0] == 4
        await press(pilot, "enter", "enter")  # empty scans are ignored
        assert rings[0] == 4
        assert panel(app).startswith("Scan a member card")
        await press(pilot, "f6")  # no member yet
        assert info(app) == "Scan a member card first."
        assert isinstance(app.focused, ScanField)


async def test_grace_asks_a_reason_escape_saves_nothing(counter_app, demo_engine):
    app = counter_app(mode="desk")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await scan(pilot, azerty(SUSPENDED_CARD))
        assert panel(app).startswith("MAY NOT SHOP\nMember 2 Océane Renaud")
        assert app.screen.query_one("#desk-panel").has_class("-refused")
        assert "F6: give a grace delay" in panel(app)
        await press(pilot, "f6")
        assert isinstance(app.screen, TextDialog)
        await press(pilot, "escape")
        assert isinstance(app.screen, DeskScreen)
        assert isinstance(app.focused, ScanField)
        assert extensions(demo_engine) == []
        await press(pilot, "f6")
        await press(pilot, "enter")  # empty reason: refused, still asking
        assert isinstance(app.screen, TextDialog)
        await scan(pilot, ALICE_CARD)  # a second scan while the dialog is open
        assert isinstance(app.screen, TextDialog)
        assert "looks like a scan" in str(app.screen.query_one("#dialog-error").render())
        await type_text(pilot, "Sick last month")
        await press(pilot, "enter", "enter")  # Enter twice: one grace
        assert isinstance(app.screen, DeskScreen)
        rows = extensions(demo_engine)
        assert [(row.grace, row.reason, row.starts_on) for row in rows] == [
            (True, "Sick last month", date(2026, 11, 21))
        ]
        assert panel(app).startswith("MAY SHOP\nMember 2 Océane Renaud")
        assert "F6: give a grace delay" not in panel(app)
        await press(pilot, "f6")  # no second grace
        assert "do not allow a grace delay for member 2" in info(app)
        assert len(extensions(demo_engine)) == 1


async def test_no_grace_for_a_member_who_may_shop(counter_app, demo_engine):
    app = counter_app(mode="desk")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await scan(pilot, ALICE_CARD)
        await press(pilot, "f6")
        assert isinstance(app.screen, DeskScreen)
        assert "do not allow a grace delay for member 1" in info(app)
        assert extensions(demo_engine) == []


async def test_a_locked_database_saves_no_grace(demo_sqlite, tmp_path, now):
    """Another till holds the SQLite file: the grace says so and nothing is half-saved."""
    path = tmp_path / "locked.sqlite3"
    shutil.copy(demo_sqlite, path)
    engine = make_engine(f"sqlite:///{path}")
    settings = Settings(database_url=f"sqlite:///{path}", language="en")
    app = make_app(settings, make_session_factory(engine), fixed_clock(now), "desk", AT_TERMINAL)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        with Session(engine) as session:
            graces = "select count(*) from audit_entries where action = 'shift.grace'"
            before = session.execute(text(graces)).scalar()
        await scan(pilot, SUSPENDED_CARD)
        await press(pilot, "f6")
        await type_text(pilot, "Family trouble")
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            await press(pilot, "enter")
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert "is busy (another till is writing)" in info(app)
        assert isinstance(app.focused, ScanField)
        assert extensions(engine) == []
        with Session(engine) as session:
            graces = "select count(*) from audit_entries where action = 'shift.grace'"
            assert session.execute(text(graces)).scalar() == before
    engine.dispose()


async def test_a_cashier_at_the_desk_gives_a_grace_only_with_a_shift_leaders_pin(
    counter_app, demo_engine
):
    """Issue 15 §4: the grace needs a right the cashier lacks; the desk asks for the card and PIN
    of someone who holds it, and the grace names both people. Nobody: nothing is written."""
    from coop.rights import Actor, Role
    from tui.screens.login import LoginDialog

    app = counter_app(mode="desk")
    app.actor = Actor("Zoé Arnaud", member_number=7, roles=frozenset({Role.CASHIER}))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await scan(pilot, azerty(SUSPENDED_CARD))
        await press(pilot, "f6")
        await type_text(pilot, "Sick last month")
        await press(pilot, "enter")
        assert isinstance(app.screen, LoginDialog)  # a shift leader's or coordinator's card
        await press(pilot, "escape")  # nobody authorises
        assert isinstance(app.screen, DeskScreen)
        assert "may not grant a grace period" in info(app)
        assert extensions(demo_engine) == []
        await press(pilot, "f6")
        await type_text(pilot, "Sick last month")
        await press(pilot, "enter")
        await type_text(pilot, "4")  # Thérèse Lebrun, shift leader (the demo's staff)
        await press(pilot, "enter")
        await type_text(pilot, "5937")
        await press(pilot, "enter")
        assert isinstance(app.screen, DeskScreen)
        rows = extensions(demo_engine)
        assert [(row.grace, row.reason) for row in rows] == [(True, "Sick last month")]
        assert "Zoé Arnaud" in rows[0].created_by and "Thérèse Lebrun" in rows[0].created_by
        assert panel(app).startswith("MAY SHOP\nMember 2 Océane Renaud")
