"""The coordinator's screen driven with key presses on the demo data (21/11/2026 10:30): members
(view, edit, household, card lost), the week's calendar, generation, a closure, a stock receipt,
an inventory count, and the PIN. Each test checks the screen and what the database holds."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from textual.widgets import DataTable

from coop.clock import fixed_clock
from coop.config import Settings, TuiSettings, read_config_file
from coop.db import make_session_factory
from coop.errors import InvalidInput
from coop.members.models import Member, MemberCard
from coop.shifts.models import Shift, ShiftClosure
from coop.stock.inventory_models import Inventory, InventoryCount
from coop.stock.models import StockLevel
from tests.tui.conftest import AT_TERMINAL, SPAGHETTI, azerty, press, scan, settle, type_text
from tests.tui.test_app import footer_text
from tui.app import make_app
from tui.screens.coordinator.forms import FormDialog, PinDialog, pin_matches
from tui.screens.coordinator.hub import CoordinatorScreen
from tui.screens.dialogs import ConfirmDialog, TextDialog
from tui.screens.member_search import MemberSearchDialog
from tui.widgets.scan_field import ScanField


def shown(app, widget: str) -> str:
    return str(app.screen.query_one(widget).render())


def info(app) -> str:
    return shown(app, "#coord-info")


def view(app) -> str:
    return app.screen.query_one("#coord-views").current


def member(engine, number: int) -> Member:
    with Session(engine, expire_on_commit=False) as session:
        found = session.scalar(select(Member).where(Member.number == number))
        assert found is not None
        found.main_member  # noqa: B018 (loaded while the session is open)
        return found


def cards(engine, number: int) -> list[tuple[str, str | None]]:
    with Session(engine) as session:
        return list(
            session.execute(
                select(MemberCard.barcode, MemberCard.end_reason)
                .join(Member, Member.id == MemberCard.member_id)
                .where(Member.number == number)
                .order_by(MemberCard.id)
            ).all()
        )


def count(engine, query) -> int:
    with Session(engine) as session:
        return session.scalar(query) or 0


async def clear_and_type(pilot, text: str) -> None:
    await press(pilot, "end", "ctrl+u")
    await type_text(pilot, text)


async def test_a_member_in_words_and_their_details_edited(counter_app, demo_engine):
    app = counter_app(mode="coordinator")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CoordinatorScreen)
        assert isinstance(app.focused, ScanField)
        assert "F4 Generate" in footer_text(app) and "F10 Count" in footer_text(app)
        await scan(pilot, "4")
        assert view(app) == "coord-member-view"
        text = shown(app, "#member-view")
        assert text.startswith("4  Thérèse Lebrun")
        assert "5  Agnès Bernard-Dubois (associated person)" in text
        assert "0420000000044  in use since" in text
        assert "Status: in delay (extension granted)" in text
        ledger = text.split("Shift ledger, in words")[1]
        assert "fixed-slot counter: shift missed" in ledger
        await press(pilot, "f6")
        assert isinstance(app.screen, FormDialog)
        await press(pilot, *["enter"] * 6)  # down to the city, the last line
        await clear_and_type(pilot, "Lyon")
        await press(pilot, "enter")
        assert isinstance(app.screen, CoordinatorScreen)
        assert isinstance(app.focused, ScanField)
        assert member(demo_engine, 4).city == "Lyon"
        assert "City: Lyon" in shown(app, "#member-view")
        assert info(app) == "Member 4: 1 detail changed."
        await press(pilot, "f6")
        await clear_and_type(pilot, "")  # the first name emptied: refused by the core
        await press(pilot, *["enter"] * 7)
        assert "A value is required" in info(app)
        assert member(demo_engine, 4).first_name == "Thérèse"
        await press(pilot, "f6", "enter", "enter")  # to the email line
        await clear_and_type(pilot, "therese at home")
        await press(pilot, *["enter"] * 5)
        assert isinstance(app.screen, CoordinatorScreen)
        assert "therese at home" in info(app)  # the core's sentence about the address
        assert member(demo_engine, 4).email == "therese.lebrun39@example.org"
        assert member(demo_engine, 4).city == "Lyon"


async def test_household_and_a_lost_card(counter_app, demo_engine):
    app = counter_app(mode="coordinator")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "f7")  # no member yet
        assert info(app) == "Find a member first (F2 or scan their card)."
        await press(pilot, "f2")
        assert isinstance(app.screen, MemberSearchDialog)
        await type_text(pilot, "eric dumont")
        await press(pilot, "enter")
        assert shown(app, "#member-view").startswith("1  Éric Dumont")
        await press(pilot, "f7")
        assert isinstance(app.screen, TextDialog)
        await scan(pilot, azerty("0420000000044"))  # the main member's card
        assert member(demo_engine, 1).main_member.number == 4
        assert "now in the household of member 4" in info(app)
        assert "4  Thérèse Lebrun (main member)" in shown(app, "#member-view")
        await press(pilot, "f7", "enter")  # empty: leaves the household
        assert member(demo_engine, 1).main_member is None
        await press(pilot, "f8")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "escape")
        assert cards(demo_engine, 1) == [("0420000000013", None)]
        await press(pilot, "f8")  # the question first, then its answer
        await press(pilot, "o")
        new = cards(demo_engine, 1)
        assert new[0] == ("0420000000013", "lost")
        assert new[1][1] is None and new[1][0] != "0420000000013"
        assert f"new card for member 1: {new[1][0]}" in info(app)
        assert f"{new[1][0]}  in use since 21/11/2026" in shown(app, "#member-view")
        assert isinstance(app.focused, ScanField)


async def test_the_week_with_fill_rates_and_other_weeks(counter_app, demo_engine):
    app = counter_app(mode="coordinator")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "f3")
        assert view(app) == "coord-week-view"
        table = app.screen.query_one("#week-table", DataTable)
        week = count(
            demo_engine,
            select(func.count(Shift.id)).where(
                Shift.day >= date(2026, 11, 16), Shift.day <= date(2026, 11, 22)
            ),
        )
        assert week and table.row_count == week
        title = shown(app, "#week-title")
        assert title.startswith("Week of 16 November 2026 — week A — ")
        assert f"{week} shifts" in title
        saturday = [
            [str(cell) for cell in table.get_row_at(i)]
            for i in range(table.row_count)
            if str(table.get_row_at(i)[2]) == "Samedi matin A"
        ]
        assert saturday[0][3] == "6/6" and saturday[0][4].endswith("100 %")
        await press(pilot, "pagedown")
        assert shown(app, "#week-title").startswith("Week of 23 November 2026 — week B")
        await press(pilot, "pageup", "pageup")
        assert shown(app, "#week-title").startswith("Week of 9 November 2026")


async def test_generate_shifts_for_a_period(counter_app, demo_engine):
    app = counter_app(mode="coordinator")
    period = select(func.count(Shift.id)).where(
        Shift.day >= date(2027, 1, 4), Shift.day <= date(2027, 1, 10)
    )
    assert count(demo_engine, period) == 0
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "f4")
        assert isinstance(app.screen, FormDialog)
        await clear_and_type(pilot, "04/01/2027")
        await press(pilot, "enter")
        await clear_and_type(pilot, "31/02/2027")
        await press(pilot, "enter")
        assert isinstance(app.screen, FormDialog)  # not a date: said in the dialog
        assert "31/02/2027" in shown(app, "#form-error")
        await clear_and_type(pilot, "10/01/2027")
        await press(pilot, "enter", "enter")
        assert isinstance(app.screen, CoordinatorScreen)
        made = count(demo_engine, period)
        assert made > 0
        assert shown(app, "#result-view").startswith(
            f"Shifts from 04/01/2027 to 10/01/2027: {made} created"
        )
        await press(pilot, "pagedown", "pageup")  # the generated week
        assert app.screen.query_one("#week-table", DataTable).row_count == made


async def test_a_closure_is_confirmed_first(counter_app, demo_engine):
    app = counter_app(mode="coordinator")
    thursday = select(func.count(Shift.id)).where(
        Shift.day == date(2026, 11, 26), Shift.cancelled_at.is_(None)
    )
    open_shifts = count(demo_engine, thursday)
    closures = count(demo_engine, select(func.count(ShiftClosure.id)))
    assert open_shifts
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "f5")
        await type_text(pilot, "26/11/2026")
        await press(pilot, "enter", "enter", "enter")  # no reason yet
        assert "Give the reason of the closure." in shown(app, "#form-error")
        await type_text(pilot, "Inventaire")
        await press(pilot, "enter")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "escape")
        assert count(demo_engine, select(func.count(ShiftClosure.id))) == closures
        assert count(demo_engine, thursday) == open_shifts
        await press(pilot, "f5")
        await type_text(pilot, "26/11/2026")
        await press(pilot, "enter", "enter")
        await type_text(pilot, "Inventaire")
        await press(pilot, "enter")  # the question first, then its answer
        await press(pilot, "o")
        assert count(demo_engine, select(func.count(ShiftClosure.id))) == closures + 1
        assert count(demo_engine, thursday) == 0
        assert shown(app, "#result-view").startswith(
            f"Closed from 26/11/2026 to 26/11/2026 (Inventaire): {open_shifts} shifts cancelled"
        )


async def test_stock_receipt_and_inventory_count(counter_app, demo_engine):
    from coop.catalog.models import Product

    def level() -> int:
        return count(
            demo_engine,
            select(StockLevel.quantity)
            .join(Product, Product.id == StockLevel.product_id)
            .where(Product.barcode == SPAGHETTI),
        )

    before = level()
    app = counter_app(mode="coordinator")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "f9")
        await scan(pilot, azerty(SPAGHETTI))  # the product line takes a scan
        await scan(pilot, SPAGHETTI)  # the quantity line does not
        assert "looks like a scan" in shown(app, "#form-error")
        await type_text(pilot, "10")
        await press(pilot, "enter")
        await type_text(pilot, "1,2x")
        await press(pilot, "enter")
        assert isinstance(app.screen, FormDialog)  # not an amount
        await clear_and_type(pilot, "1,20")
        await press(pilot, "enter")
        assert isinstance(app.screen, CoordinatorScreen)
        assert level() == before + 10
        assert (
            shown(app, "#result-view") == f"Spaghetti 500 g: received, now {before + 10} in stock."
        )
        await press(pilot, "f10")
        await type_text(pilot, SPAGHETTI)
        await press(pilot, "enter")
        await type_text(pilot, "7")
        await press(pilot, "enter")
        assert isinstance(app.screen, ConfirmDialog)  # no inventory under way yet
        await press(pilot, "o")
        with Session(demo_engine) as session:
            row = session.scalars(
                select(InventoryCount)
                .join(Inventory, Inventory.id == InventoryCount.inventory_id)
                .where(Inventory.closed_at.is_(None))
            ).one()
            assert (row.counted, row.expected) == (7, before + 10)
        assert shown(app, "#result-view").startswith(
            f"Spaghetti 500 g: counted 7, the books said {before + 10}"
        )
        await press(pilot, "f9")
        await type_text(pilot, "NOPE-42")
        await press(pilot, "enter")
        await type_text(pilot, "3")
        await press(pilot, "enter", "enter")
        assert "No product has the barcode or internal code NOPE-42." in info(app)
        assert level() == before + 10


def pin_app(demo_url, demo_engine, now, pin: str):
    settings = Settings(database_url=demo_url, language="en", tui=TuiSettings(coordinator_pin=pin))
    return make_app(
        settings, make_session_factory(demo_engine), fixed_clock(now), "coordinator", AT_TERMINAL
    )


async def test_the_pin_is_asked_first_and_again_after_leaving(demo_url, demo_engine, now):
    digest = "sha256:" + hashlib.sha256(b"4821").hexdigest()
    app = pin_app(demo_url, demo_engine, now, digest)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PinDialog)
        await type_text(pilot, "0000")
        await press(pilot, "enter")
        assert shown(app, "#pin-error") == "Wrong PIN."
        await press(pilot, "escape")
        assert isinstance(app.screen, CoordinatorScreen)
        assert view(app) == "coord-locked"
        await press(pilot, "f2")  # any key asks for the PIN again, nothing else
        assert isinstance(app.screen, PinDialog)
        await type_text(pilot, "4821")
        await press(pilot, "enter")
        assert isinstance(app.screen, CoordinatorScreen)
        assert view(app) == "coord-home"
        await press(pilot, "f2")
        assert isinstance(app.screen, MemberSearchDialog)
        await press(pilot, "escape")
        await app.switch_mode("desk")
        await settle(pilot)
        await app.switch_mode("coordinator")
        await settle(pilot)
        assert isinstance(app.screen, PinDialog)
        await press(pilot, "escape")
        assert view(app) == "coord-locked"


def test_pin_matching_and_its_setting(tmp_path: Path):
    assert pin_matches("4821", "4821") and not pin_matches("4821", "48210")
    digest = "sha256:" + hashlib.sha256(b"1234").hexdigest().upper()
    assert pin_matches(digest, "1234") and not pin_matches(digest, "4321")
    config = tmp_path / "config.toml"
    config.write_text('[tui]\ncoordinator_pin = "4821"\n', encoding="utf-8")
    assert read_config_file(config).tui.coordinator_pin == "4821"
    config.write_text('[tui]\ncoordinator_pin = "sha256:abc"\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match="64 hexadecimal digits"):
        read_config_file(config)
    config.write_text('[tui]\npin = "1"\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match="unknown setting"):
        read_config_file(config)


async def test_coordinator_actions_from_the_palette_behind_the_pin(demo_url, demo_engine, now):
    app = pin_app(demo_url, demo_engine, now, "4821")
    app.start_mode = "desk"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Stock receipt")
        await press(pilot, "enter")
        assert isinstance(app.screen, PinDialog)
        assert app.current_mode == "coordinator"
        await type_text(pilot, "4821")
        await press(pilot, "enter")
        assert isinstance(app.screen, FormDialog)  # the receipt asked from the palette
        assert shown(app, ".dialog-title") == "Stock receipt"
        await press(pilot, "escape")
        assert isinstance(app.screen, CoordinatorScreen)
        assert isinstance(app.focused, ScanField)
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Shift calendar")
        await press(pilot, "enter")  # unlocked now: straight to the week
        assert view(app) == "coord-week-view"


async def test_closing_the_inventory_shows_it_in_words_and_asks_first(counter_app, demo_engine):
    from coop.catalog.models import Product
    from coop.money import format_money
    from coop.stock.models import StockMove

    with Session(demo_engine) as session:
        spaghetti = session.scalars(select(Product).where(Product.barcode == SPAGHETTI)).one()
        product_id, cost = spaghetti.id, spaghetti.cost_cents
        before = session.scalar(
            select(StockLevel.quantity).where(StockLevel.product_id == product_id)
        )
    assert cost and before is not None and before > 3

    def open_inventories() -> int:
        return count(
            demo_engine,
            select(func.count()).select_from(Inventory).where(Inventory.closed_at.is_(None)),
        )

    app = counter_app(mode="coordinator")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "F11" in footer_text(app)
        await press(pilot, "f11")
        assert "No inventory is under way" in info(app)
        assert isinstance(app.screen, CoordinatorScreen)
        await press(pilot, "f10")
        await type_text(pilot, SPAGHETTI)
        await press(pilot, "enter")
        await type_text(pilot, str(before - 3))
        await press(pilot, "enter")  # the question first, then its answer
        await press(pilot, "o")
        assert open_inventories() == 1
        with Session(demo_engine) as session:
            inventory_id = session.scalar(select(Inventory.id).where(Inventory.closed_at.is_(None)))

        def booked() -> list[tuple[int, int | None]]:
            with Session(demo_engine) as session:
                return list(
                    session.execute(
                        select(StockMove.quantity, StockMove.unit_cost_cents).where(
                            StockMove.kind == "inventory", StockMove.inventory_id == inventory_id
                        )
                    ).all()
                )

        await press(pilot, "f11")
        assert isinstance(app.screen, ConfirmDialog)
        report = str(app.screen.query_one(".dialog-question").render())
        assert report.endswith("Close this inventory and book its differences in the stock?")
        assert "1 product counted, 1 with a difference." in report
        worth = format_money(-3 * cost)
        assert (
            f"Spaghetti 500 g: counted {before - 3}, the books said {before}: difference -3,"
            f" worth {worth} at cost." in report
        )
        assert f"losses {worth}, net {worth}" in report
        await press(pilot, "escape")  # backs out: nothing changes
        assert isinstance(app.screen, CoordinatorScreen)
        assert "Nothing was changed" in info(app)
        assert open_inventories() == 1
        assert booked() == []

        await press(pilot, "f11")  # the question first, then its answer
        await press(pilot, "o")
        assert isinstance(app.screen, CoordinatorScreen)
        assert "The inventory is closed" in shown(app, "#result-view")
    assert open_inventories() == 0
    assert booked() == [(-3, cost)]
    with Session(demo_engine) as session:
        closed = session.get(Inventory, inventory_id)
        assert closed is not None and closed.closed_at is not None
        level = session.scalar(
            select(StockLevel.quantity).where(StockLevel.product_id == product_id)
        )
        assert level == before - 3
