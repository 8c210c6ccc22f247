"""The counter's Saturday situations (issue 16), driven with key presses at 80×24 and 120×40:
weighed goods without a label, products by name and quick keys, refunds from the original sale,
another member's card on a basket, and the basket's columns at 80 columns."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from tests.tui.conftest import APPLES_LABEL, MILK, SPAGHETTI, press, scan, settle, type_text
from tests.tui.test_counter import banner, info, open_till, rows, sales
from tui.screens.basket_dialogs import RefundDialog
from tui.screens.counter import CounterScreen
from tui.screens.counter_find import ProductSearchDialog, QuickKeysDialog
from tui.screens.dialogs import ConfirmDialog, TextDialog
from tui.widgets.scan_field import ScanField

CARROTS = "2101006000006"  # Carottes, 2,40 €/kg, by weight, no label (the scale's base code)
SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES)
async def test_a_weighed_product_asks_its_weight_and_f3_changes_it(counter_app, shopper, size):
    app = counter_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, shopper)
        await scan(pilot, CARROTS)
        assert isinstance(app.screen, TextDialog)  # "sold by weight: its weight"
        await type_text(pilot, "750")
        await press(pilot, "enter")
        assert isinstance(app.screen, CounterScreen)
        assert rows(app) == [("Carottes", "0.750 kg", "€2.40/kg", "€1.80")]
        await press(pilot, "f3", "ctrl+u")
        await type_text(pilot, "1,2")  # kilograms with a comma
        await press(pilot, "enter")
        assert rows(app) == [("Carottes", "1.200 kg", "€2.40/kg", "€2.88")]
        await scan(pilot, APPLES_LABEL)  # a scale label: 1,234 kg
        await press(pilot, "f3", "ctrl+u")
        await type_text(pilot, "500g")
        await press(pilot, "enter")
        assert rows(app)[-1] == ("Pommes Golden", "0.500 kg", "€3.20/kg", "€1.60")
        await scan(pilot, SPAGHETTI)
        await press(pilot, "f3", "ctrl+u")
        await type_text(pilot, "2")
        await press(pilot, "enter")
        assert rows(app)[-1] == ("Spaghetti 500 g", "2", "€2.15", "€4.30")
        assert isinstance(app.focused, ScanField)


async def test_a_bad_weight_says_why_and_adds_nothing(counter_app, shopper):
    app = counter_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, shopper)
        await scan(pilot, CARROTS)
        await type_text(pilot, "deux")
        await press(pilot, "enter")
        assert isinstance(app.screen, TextDialog)  # said in the window, which stays open
        assert "is not a quantity" in str(app.screen.query_one("#dialog-error").render())
        await press(pilot, "ctrl+u")
        await type_text(pilot, "500kg")  # beyond [till] max_line_grams (100 kg)
        await press(pilot, "enter")
        assert "limit" in str(app.screen.query_one("#dialog-error").render())
        await press(pilot, "escape")
        assert isinstance(app.screen, CounterScreen)
        assert "nothing was added" in info(app) and rows(app) == []


@pytest.mark.parametrize("size", SIZES)
async def test_products_by_name_and_by_quick_key(counter_app, shopper, size):
    app = counter_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, shopper)
        await scan(pilot, "pain campagne")  # words typed in the scan field: a search by name
        assert isinstance(app.screen, ProductSearchDialog)
        await press(pilot, "enter")
        ((label, *figures),) = rows(app)
        assert "Pain de campagne 1 kg".startswith(label) and len(label) >= 20
        assert figures == ["1", "€5.80", "€5.80"]
        assert isinstance(app.focused, ScanField)
        await press(pilot, "ctrl+f")
        await type_text(pilot, "echalote")  # no accent typed: Échalotes, sold by weight
        await press(pilot, "enter")
        assert isinstance(app.screen, TextDialog)
        await type_text(pilot, "250")
        await press(pilot, "enter")
        assert rows(app)[-1] == ("Échalotes", "0.250 kg", "€6.90/kg", "€1.73")
        await press(pilot, "ctrl+g")
        assert isinstance(app.screen, QuickKeysDialog)
        grid = str(app.screen.query_one("#quick-grid").render())
        assert "Baguette tradition" in grid
        key = next(line[0] for line in grid.splitlines() if "Baguette tradition" in line)
        await press(pilot, key.lower())
        assert rows(app)[-1][0] == "Baguette tradition"
        assert isinstance(app.focused, ScanField)


@pytest.mark.parametrize("size", SIZES)
async def test_a_refund_starts_from_the_sale_and_takes_its_member(
    counter_app, demo_engine, shopper, size
):
    app = counter_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, shopper)
        for code in (SPAGHETTI, SPAGHETTI, MILK):
            await scan(pilot, code)
        await press(pilot, "f9", "enter")
        original = sales(demo_engine)[-1]
        receipt = str(app.screen.query_one("#receipt").render())
        code = next(
            line.split(":")[-1].strip() for line in receipt.splitlines() if "Receipt code" in line
        )
        # F7 with no member: the sale's receipt barcode, then its lines by name
        await press(pilot, "f7")
        assert isinstance(app.screen, RefundDialog)
        help_text = " ".join(str(label.render()) for label in app.screen.query("Static"))
        assert "↑↓: choose the line" in help_text
        await type_text(pilot, code)
        await press(pilot, "enter")
        member = str(app.screen.query_one("#refund-member").render())
        assert f"Sale {original.number} on till CAISSE-1 — Member " in member
        table = app.screen.query_one("#refund-lines", DataTable)
        assert [str(table.get_row_at(i)[1]) for i in range(table.row_count)][:2] == [
            "Spaghetti 500 g",
            "Lait cru entier 1 L (bouteille consignée)"[:30],
        ]
        await type_text(pilot, "1")
        await press(pilot, "enter")
        assert isinstance(app.screen, CounterScreen)
        assert banner(app).level == "ok"  # the member of the sale
        ((label, *figures),) = rows(app)
        assert f"↩ Spaghetti 500 g (sale {original.number})".startswith(label)
        assert label.startswith("↩ Spaghetti 500 g") and figures == ["1", "€2.15", "-€2.15"]
        await press(pilot, "f9", "enter")
        refund = sales(demo_engine)[-1]
        assert refund.total_cents == -215 and refund.member_id == original.member_id
        printed = str(app.screen.query_one("#receipt").render())
        assert f"Refund of sale {original.number}" in printed
        # the same sale again: one spaghetti is left, the milk line was not refunded
        await press(pilot, "f7")
        await type_text(pilot, str(original.number))
        await press(pilot, "enter")
        table = app.screen.query_one("#refund-lines", DataTable)
        assert str(table.get_row_at(0)[4]) == "1"
        await press(pilot, "enter")  # the rest of the spaghetti
        await press(pilot, "f9", "enter")
        await press(pilot, "f7")
        await type_text(pilot, str(original.number))
        await press(pilot, "enter")
        table = app.screen.query_one("#refund-lines", DataTable)
        assert str(table.get_row_at(0)[4]) == "refunded"
        await press(pilot, "up", "enter")
        assert "already refunded" in str(app.screen.query_one("#dialog-error").render())
        await press(pilot, "escape")
        assert isinstance(app.focused, ScanField)


@pytest.mark.parametrize("size", SIZES)
async def test_another_members_card_asks_before_moving_the_basket(
    counter_app, demo_engine, now, shopper, size
):
    from tests.tui.conftest import card_of

    other = card_of(
        demo_engine, now, lambda check: check.can_shop and check.member.number > 20, "standard"
    )
    app = counter_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, shopper)
        first = app.screen.basket.member.number
        await scan(pilot, SPAGHETTI)
        await scan(pilot, other)
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "escape")  # keep it
        assert app.screen.basket.member.number == first
        assert "stays with member" in info(app)
        await scan(pilot, other)
        await press(pilot, "o")
        assert app.screen.basket.member.number != first
        assert rows(app)[0][0] == "Spaghetti 500 g"  # the basket moved with its lines
        assert isinstance(app.focused, ScanField)


async def test_at_80_columns_the_basket_shows_quantity_price_and_amount(counter_app, shopper):
    app = counter_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, shopper)
        await scan(pilot, APPLES_LABEL)
        table = app.screen.query_one("#lines", DataTable)
        assert [str(c.label) for c in table.columns.values()] == [
            "Item",
            "Qty",
            "Unit price",
            "Amount",
        ]
        # every column is inside the table's visible width: nothing to scroll to
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert rows(app) == [("Pommes Golden", "1.234 kg", "€3.20/kg", "€3.95")]
