"""Gates in the core (``coop.staff.gates``, the rule ``coop members show|export-data`` obey
too): a cashier is refused from the coordinator screen with the sentence and the refusal is in
the audit log, a coordinator gets in; a cashier who comes to authorise a discount for another
cashier is refused and that refusal is audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.audit import REFUSED, AuditEntry
from coop.rights import Actor, Role
from coop.staff.gates import COORDINATOR_SCREEN
from tests.tui.conftest import press, scan, settle, type_text

CASHIER = Actor("Zoé Arnaud", member_number=7, roles=frozenset({Role.CASHIER}))
COORDINATOR = Actor("Leïla Fournier", member_number=3, roles=frozenset({Role.COORDINATOR}))


def _refusals(engine) -> list[AuditEntry]:
    with Session(engine) as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == REFUSED)))


async def test_a_cashier_is_refused_and_the_refusal_audited(counter_app, demo_engine):
    app = counter_app(mode="coordinator")
    app.actor = CASHIER
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await scan(pilot, "5")
        assert app.screen.query_one("#coord-views").current != "coord-member-view"
        status = str(app.screen.query_one("#coord-info").render())
        assert "Zoé Arnaud (n° 7) may not see members' personal data" in status
    (refusal,) = _refusals(demo_engine)
    assert refusal.entity_id == COORDINATOR_SCREEN and refusal.actor == "Zoé Arnaud (n° 7)"
    assert refusal.after == {"right": "see_personal_data"}


async def test_a_coordinator_gets_in(counter_app, demo_engine):
    app = counter_app(mode="coordinator")
    app.actor = COORDINATOR
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await scan(pilot, "5")
        assert app.screen.query_one("#coord-views").current == "coord-member-view"
    assert _refusals(demo_engine) == []


async def test_a_cashier_may_not_authorise_a_cashier_and_the_refusal_is_audited(
    counter_app, demo_engine, shopper
):
    from tests.tui.test_counter import open_till
    from tests.tui.test_desk_pin import _type_pins
    from tui.screens.login import LoginDialog

    app = counter_app()
    app.actor = CASHIER
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, shopper)
        await scan(pilot, "3740254259249")  # Riz basmati 1 kg
        await press(pilot, "f6", "f2", "down", "down", "down")  # the whole sale, goodwill
        await type_text(pilot, "50%")
        await press(pilot, "enter")
        assert isinstance(app.screen, LoginDialog)
        await _type_pins(pilot, "1", "4821")  # Éric Dumont, a cashier too
        assert app.screen.basket.discount is None
    (refusal,) = _refusals(demo_engine)
    assert refusal.actor == "Éric Dumont (n° 1)"
    assert refusal.after == {"right": "discount_above_limit"}
