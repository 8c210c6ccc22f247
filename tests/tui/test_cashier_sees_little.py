"""Issue 15 §5: a cashier-only actor at the counter and at the welcome desk sees a member's name,
status and balance, never their address, phone, e-mail (nor the audit history: the coordinator
screen refuses them, tests/tui/test_coordinator_gate.py). Every text on screen is read after a
member is scanned, including the member's shifts window at the desk."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from textual.widgets import Static

from coop.members.models import Member
from coop.rights import Actor, Role
from tests.tui.conftest import ALICE_CARD, press, scan, settle
from tests.tui.test_counter import open_till

CASHIER = Actor("Zoé Arnaud", member_number=7, roles=frozenset({Role.CASHIER}))


def _personal(engine, number: int) -> list[str]:
    with Session(engine) as session:
        member = session.query(Member).filter_by(number=number).one()
        found = [member.email, member.phone, member.street, member.postcode]
    assert all(found), "the demo member should have every detail, or the test proves nothing"
    return [str(value) for value in found]


def _on_screen(app) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


@pytest.mark.parametrize("mode", ["desk", "counter"])
async def test_a_cashier_never_sees_address_phone_or_email(counter_app, demo_engine, mode):
    hidden = _personal(demo_engine, 1)
    app = counter_app(mode=mode)
    app.actor = CASHIER
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        if mode == "counter":
            await open_till(pilot)
        await scan(pilot, ALICE_CARD)
        shown = _on_screen(app)
        assert "Éric Dumont" in shown
        if mode == "desk":
            await press(pilot, "f7")  # the member's shifts window
            shown += _on_screen(app)
        for value in hidden:
            assert value not in shown
