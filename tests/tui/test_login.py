"""Logging in at a terminal (card or member number, then PIN) and handing it over with Ctrl+L,
on the demo's staff (``coop.staff.sample``: member 1 cashier PIN 4821, member 4 shift leader
PIN 5937), at 80×24 and 120×40."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.audit import AuditEntry
from coop.clock import fixed_clock
from coop.config import Settings
from coop.db import make_session_factory
from coop.rights import Role
from tests.tui.conftest import press, settle, type_text
from tui.app import make_app
from tui.screens.login import LoginDialog

SIZES = [(80, 24), (120, 40)]


def _app(demo_url, demo_engine, now, mode="counter"):
    settings = Settings(database_url=demo_url, language="en")
    return make_app(settings, make_session_factory(demo_engine), fixed_clock(now), mode)


async def _log_in(pilot, who: str, pin: str) -> None:
    await type_text(pilot, who)
    await press(pilot, "enter")
    await type_text(pilot, pin)
    await press(pilot, "enter")


@pytest.mark.parametrize("size", SIZES)
async def test_the_app_asks_who_is_there_and_names_them(demo_url, demo_engine, now, size):
    app = _app(demo_url, demo_engine, now)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginDialog)
        assert app.actor.roles == frozenset()  # locked until someone logs in
        await _log_in(pilot, "1", "4821")
        assert not isinstance(app.screen, LoginDialog)
        assert app.actor.member_number == 1
        assert app.actor.roles == frozenset({Role.CASHIER})
        assert "Éric Dumont" in app.sub_title


@pytest.mark.parametrize("size", SIZES)
async def test_a_wrong_pin_is_refused_without_saying_which_was_wrong(
    demo_url, demo_engine, now, size
):
    app = _app(demo_url, demo_engine, now, mode="desk")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await _log_in(pilot, "1", "9999")
        assert isinstance(app.screen, LoginDialog)
        wrong_pin = str(app.screen.query_one("#dialog-error").render())
        await _log_in(pilot, "999999", "4821")  # no such member
        wrong_card = str(app.screen.query_one("#dialog-error").render())
        assert wrong_pin == wrong_card and "not recognised" in wrong_pin
        assert app.actor.member_number is None
    with Session(demo_engine) as session:
        refused = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "staff.login_refused")
        ).all()
    assert len(refused) == 2
    assert all("9999" not in repr((e.before, e.after, e.reason)) for e in refused)


async def test_ctrl_l_locks_at_once_and_hands_over(demo_url, demo_engine, now):
    app = _app(demo_url, demo_engine, now, mode="shifts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _log_in(pilot, "1", "4821")
        assert app.actor.member_number == 1
        await press(pilot, "ctrl+l")
        assert isinstance(app.screen, LoginDialog)
        assert app.actor.roles == frozenset() and app.actor.member_number is None
        await press(pilot, "escape")  # nobody takes it: it stays locked
        assert app.actor.member_number is None
        await press(pilot, "ctrl+l")
        await _log_in(pilot, "4", "5937")
        assert app.actor.member_number == 4
        assert app.actor.roles == frozenset({Role.SHIFT_LEADER})
        assert "Thérèse Lebrun" in app.sub_title
