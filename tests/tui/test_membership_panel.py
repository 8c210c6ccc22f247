"""The coordinator's membership panel driven with key presses on the demo data, at 80×24 and
120×40: Ctrl+N registers a member (card PDF written at once), a scan of their number shows them,
Ctrl+S records a share payment, Ctrl+Y the fee, Ctrl+L their leaving (card ended), Ctrl+R their
return with the same number, Ctrl+G the general assembly's figures. Bad input stays in the
dialog and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop import paths
from coop.clock import fixed_clock
from coop.config import MembershipSettings, Settings
from coop.db import make_session_factory
from coop.members.models import Member, MemberCard
from coop.members.share_models import FeePayment, ShareMovement
from tests.tui.conftest import AT_TERMINAL, press, settle, type_text
from tui.app import make_app
from tui.screens.coordinator.forms import FormDialog
from tui.screens.coordinator.hub import CoordinatorScreen

MEMBERSHIP = MembershipSettings(
    shares_required=(("standard", 10),), instalments=3, fees=(("standard", 1500),)
)


def panel_text(app) -> str:
    return str(app.screen.query_one("#membership-view").render())


def info(app) -> str:
    return str(app.screen.query_one("#coord-info").render())


async def fill(pilot, *values: str) -> None:
    """Type each line of the open form then Enter (an empty value keeps the line's default)."""
    for value in values:
        if value:
            await type_text(pilot, value)
        await press(pilot, "enter")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_join_pay_leave_and_rejoin_from_the_coordinator_screen(
    demo_url, demo_engine, now, size
):
    settings = Settings(database_url=demo_url, language="en", membership=MEMBERSHIP)
    app = make_app(
        settings, make_session_factory(demo_engine), fixed_clock(now), "coordinator", AT_TERMINAL
    )
    with Session(demo_engine) as session:
        number = session.scalar(select(func.max(Member.number))) + 1
        shares_before = session.scalar(select(func.count(ShareMovement.id)))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CoordinatorScreen)
        await press(pilot, "ctrl+n")
        assert isinstance(app.screen, FormDialog)
        await fill(pilot, "", "Lefèvre", "", "", "", "")  # no first name: refused, stays
        assert isinstance(app.screen, FormDialog)
        await press(pilot, "shift+tab", "shift+tab", "shift+tab", "shift+tab", "shift+tab")
        await fill(pilot, "Zoé", "", "", "", "", "")
        assert isinstance(app.screen, CoordinatorScreen)
        assert f"Member {number} Zoé Lefèvre registered" in panel_text(app)
        card_pdf = Path(paths.data_dir()) / "prints" / f"cartes-{number}.pdf"
        assert card_pdf.exists() and card_pdf.read_bytes().startswith(b"%PDF")

        await type_text(pilot, str(number))  # the scan field: show the member
        await press(pilot, "enter")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, FormDialog)
        await fill(pilot, "trente", "")  # not an amount: refused in the dialog
        assert isinstance(app.screen, FormDialog)
        await press(pilot, "shift+tab")
        await press(pilot, "ctrl+u")
        await fill(pilot, "30", "")
        assert isinstance(app.screen, CoordinatorScreen)
        assert "3 shares" in panel_text(app) and "€70.00 still due" in panel_text(app)

        await press(pilot, "ctrl+y")
        await fill(pilot, "", "cash")
        assert "fee" not in panel_text(app).lower()  # this year's fee is paid

        await press(pilot, "ctrl+b")
        await fill(pilot, "", "déménagement")
        assert "leaves on" in panel_text(app) and "card ended" in panel_text(app)

        await press(pilot, "ctrl+r")
        await fill(pilot, "")
        assert f"Member {number} is back" in panel_text(app)

        await press(pilot, "ctrl+g")
        assert "Members on" in panel_text(app) and "Shares held" in panel_text(app)
        assert app.screen.query_one("#coord-views").current == "coord-membership"
    with Session(demo_engine) as session:
        member = session.scalar(select(Member).where(Member.number == number))
        assert member is not None and member.left_on is None and member.left_reason is None
        cards = session.scalars(select(MemberCard).where(MemberCard.member_id == member.id)).all()
        assert sorted(card.end_reason or "" for card in cards) == ["", "left"]
        assert session.scalar(select(func.count(ShareMovement.id))) == shares_before + 1
        fee = session.scalar(select(FeePayment).where(FeePayment.member_id == member.id))
        assert fee is not None and fee.amount_cents == 1500
        assert fee.actor == "Éric Dumont (n° 1)"  # the row names the person: card number too


async def test_leaving_needs_a_member_shown(demo_url, demo_engine, now):
    settings = Settings(database_url=demo_url, language="en", membership=MEMBERSHIP)
    app = make_app(
        settings, make_session_factory(demo_engine), fixed_clock(now), "coordinator", AT_TERMINAL
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+b")
        assert isinstance(app.screen, CoordinatorScreen)
        assert "Find a member first" in info(app)


async def test_the_print_window_writes_the_register_and_its_csv(counter_app):
    from tests.tui.test_counter import pdf_text
    from tests.tui.test_print_menu import choose, field, notes, prints

    app = counter_app(mode="coordinator", language="fr")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+o")
        await choose(pilot, "Registre des associés et des parts")
        assert field(app, "day").value == "21/11/2026"  # today by default
        await press(pilot, "enter")
    path = prints() / "registre-associes-2026-11-21.pdf"
    assert any(str(path) in note for note in notes(app))
    text = pdf_text(path)
    assert "Registre des associés et des parts au 21 novembre 2026" in text
    header = path.with_suffix(".csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "number;name;category;joined_on;left_on;shares;paid;movements"
