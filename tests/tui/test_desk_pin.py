"""F8 at the welcome desk: a member sets their own PIN (``tui.screens.pin_dialog``), driven
with key presses on the demo (``coop.staff.sample``: 7 Zoé Arnaud cashier 7315, 3 Leïla Fournier
coordinator 3859, 1 Éric Dumont cashier 4821; member 14 has no PIN). What the database holds
afterwards is checked by logging in with the new PIN."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from coop.audit import REFUSED, AuditEntry
from coop.errors import CoopError
from coop.staff.service import log_in
from tests.tui.conftest import press, scan, settle, type_text
from tests.tui.test_app import footer_text
from tui.screens.desk import DeskScreen
from tui.screens.login import LoginDialog
from tui.screens.pin_dialog import OwnPinDialog

SIZES = [(80, 24), (120, 40)]


def _said(app, widget: str) -> str:
    return str(app.screen.query_one(widget).render())


def _logs_in(engine, now, number: int, pin: str) -> bool:
    try:
        log_in(sessionmaker(bind=engine), str(number), pin, now=now)
    except CoopError:
        return False
    return True


async def _type_pins(pilot, *pins: str) -> None:
    for pin in pins:
        await type_text(pilot, pin)
        await press(pilot, "enter")


@pytest.mark.parametrize("size", SIZES)
async def test_a_first_pin_for_the_member_at_the_desk(counter_app, demo_engine, now, size):
    app = counter_app(language="fr", mode="desk")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert "F8 Mon code PIN" in footer_text(app)
        await scan(pilot, "14")
        await press(pilot, "f8")
        assert isinstance(app.screen, OwnPinDialog)
        assert app.screen.query_one("#pin-card").value == "14"  # the desk's member
        await press(pilot, "enter")  # no old PIN
        await _type_pins(pilot, "2580", "2580")
        assert isinstance(app.screen, DeskScreen)
        assert "Code PIN du membre 14" in _said(app, "#desk-info")
        assert "2580" not in _said(app, "#desk-info")
    assert _logs_in(demo_engine, now, 14, "2580")


async def test_a_weak_pin_then_a_change_with_the_old_pin(counter_app, demo_engine, now):
    app = counter_app(mode="desk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "f8")
        await _type_pins(pilot, "7", "7315", "1111", "1111")
        assert isinstance(app.screen, OwnPinDialog)
        assert "may not repeat one digit" in _said(app, "#dialog-error")
        assert all(app.screen.query_one(f).value == "" for f in ("#pin-new", "#pin-again"))
        assert all(app.screen.query_one(f).password for f in ("#pin-old", "#pin-new"))
        await _type_pins(pilot, "7315", "2580", "2581")
        assert "differ" in _said(app, "#dialog-error")
        await _type_pins(pilot, "7315", "2580", "2580")
        assert isinstance(app.screen, DeskScreen)
    assert _logs_in(demo_engine, now, 7, "2580")
    assert not _logs_in(demo_engine, now, 7, "7315")


@pytest.mark.parametrize("size", SIZES)
async def test_a_forgotten_pin_reset_by_a_coordinator_on_the_spot(
    counter_app, demo_engine, now, size
):
    app = counter_app(mode="desk")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await scan(pilot, "7")
        await press(pilot, "f8")
        await press(pilot, "f3")
        assert isinstance(app.screen, LoginDialog)
        await _type_pins(pilot, "1", "4821")  # a cashier may not
        assert isinstance(app.screen, OwnPinDialog)
        await _type_pins(pilot, "2580", "2580")
        assert "may not set or reset another member's PIN" in _said(app, "#dialog-error")
        await press(pilot, "f3")
        await _type_pins(pilot, "3", "3859")  # the coordinator
        assert "Leïla Fournier" in _said(app, "#pin-authorised")
        await _type_pins(pilot, "2580", "2580")
        assert isinstance(app.screen, DeskScreen)
        assert "authorised by Leïla Fournier" in _said(app, "#desk-info")
    assert _logs_in(demo_engine, now, 7, "2580")
    with Session(demo_engine) as session:
        reset = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "staff.pin_reset")
        ).all()[-1]
        refused = session.scalars(select(AuditEntry).where(AuditEntry.action == REFUSED)).all()
    assert "Zoé Arnaud" in reset.actor and "Leïla Fournier" in reset.actor
    assert any("Éric Dumont" in entry.actor for entry in refused)
