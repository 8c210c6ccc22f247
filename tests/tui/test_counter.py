"""The counter driven with key presses: scans are their characters then Enter (also as a
US-configured scanner types them on a French AZERTY keyboard); each test checks what the
screen shows and what the database holds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from textual.events import Paste
from textual.widgets import DataTable

from coop.till.models import Sale
from tests.tui.conftest import (
    ALICE_CARD,
    SUSPENDED_CARD,
    azerty,
    card_of,
    press,
    scan,
    settle,
    type_text,
)
from tui.widgets.member_banner import MemberBanner
from tui.widgets.scan_field import ScanField


def rows(app) -> list[tuple[str, ...]]:
    table = app.screen.query_one("#lines", DataTable)
    return [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


def info(app) -> str:
    return str(app.screen.query_one("#scan-info").render())


def banner(app) -> MemberBanner:
    return app.screen.query_one(MemberBanner)


def count_bells(app) -> list[int]:
    rings = [0]
    original = app.bell

    def bell() -> None:
        rings[0] += 1
        original()

    app.bell = bell
    return rings


async def open_till(pilot, amount: str = "150,00") -> None:
    await press(pilot, "f11")
    await type_text(pilot, amount)
    await press(pilot, "enter")


def sales(engine) -> list[Any]:
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        return list(session.scalars(select(Sale).order_by(Sale.id)))


def count(engine, model) -> int:
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


async def test_scanning_a_card_shows_the_member_in_green(counter_app):
    app = counter_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await scan(pilot, ALICE_CARD)
        assert banner(app).level == "ok"
        assert banner(app).has_class("-ok")
        text = str(banner(app).render())
        assert text.startswith("MAY SHOP — Member 1 Éric Dumont")
        assert info(app) == "Member 1 Éric Dumont: may shop."
        assert isinstance(app.focused, ScanField)
        assert app.focused.value == ""


async def test_a_suspended_member_is_red_with_the_reasons_and_an_alert_is_orange(
    counter_app, demo_engine, now
):
    alert = card_of(demo_engine, now, lambda check: check.can_shop and check.warnings)
    app = counter_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rings = count_bells(app)
        await scan(pilot, azerty(SUSPENDED_CARD))
        assert banner(app).level == "refused"
        text = str(banner(app).render())
        assert text.startswith("MAY NOT SHOP — Member 2 Océane Renaud · suspended")
        assert "\n✗ " in text
        assert rings[0] == 1
        await scan(pilot, alert)
        assert banner(app).level == "warn"
        assert "\n! " in str(banner(app).render())


async def test_unknown_and_bad_scans_ring_and_say_why_and_add_nothing(counter_app):
    app = counter_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rings = count_bells(app)
        await scan(pilot, "3017620422004")  # wrong check digit
        assert "check digit" in info(app)
        await scan(pilot, "9999999999994")  # valid EAN-13, no such product
        assert "9999999999994" in info(app)
        app.focused.post_message(Paste("x" * 500))  # a very long paste, then Enter
        await settle(pilot)
        await press(pilot, "enter")
        assert "too long" in info(app)
        assert rings[0] == 3
        await press(pilot, "enter", "enter")  # empty scans: ignored, no ring
        assert rings[0] == 3
        assert rows(app) == []
        assert isinstance(app.focused, ScanField)
