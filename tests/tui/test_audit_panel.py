"""The coordinator's audit panel (Ctrl+G) on the demo data, at 80×24 and 120×40: the newest
entries in words (no raw action code), or those about the member shown; a treasurer is refused
by the core (the right to read the audit log); a cashier does not get into the screen."""

from __future__ import annotations

import pytest

from coop.rights import Actor, Role
from tests.tui.conftest import press, scan, settle
from tui.screens.coordinator.hub import CoordinatorScreen


def panel_text(app) -> str:
    return str(app.screen.query_one("#audit-text").render())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_audit_log_in_words(counter_app, size):
    app = counter_app(mode="coordinator")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CoordinatorScreen)
        await press(pilot, "ctrl+j")
        assert app.screen.query_one("#coord-views").current == "coord-audit"
        text = panel_text(app)
        assert text.startswith("Audit log") and "PIN set" in text and "role granted" in text
        assert "staff.pin_set" not in text and "staff.role_granted" not in text
        await scan(pilot, "3")  # Leïla Fournier, the demo's coordinator
        await press(pilot, "ctrl+j")
        text = panel_text(app)
        assert text.startswith("Audit log: 3 Leïla Fournier")
        assert "coordinator" in text  # the role granted to her, before/after in words
        assert "Zoé Arnaud" not in text  # only the entries about her


async def test_a_treasurer_may_not_read_it(counter_app):
    app = counter_app(mode="coordinator")
    app.actor = Actor("Océane Renaud", member_number=2, roles=frozenset({Role.TREASURER}))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+j")
        assert app.screen.query_one("#coord-views").current != "coord-audit"
        status = str(app.screen.query_one("#coord-info").render())
        assert "may not read the audit log" in status


async def test_a_cashier_does_not_see_members_personal_data(counter_app):
    app = counter_app(mode="coordinator")
    app.actor = Actor("Zoé Arnaud", member_number=7, roles=frozenset({Role.CASHIER}))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await scan(pilot, "3")
        assert app.screen.query_one("#coord-views").current != "coord-member-view"
        status = str(app.screen.query_one("#coord-info").render())
        assert "may not see members' personal data" in status
