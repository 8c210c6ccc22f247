"""What a volunteer trips over, found by driving every screen by hand at 80×24 and 120×40 on
the demo (session 26's pass): windows whose key line or sentences fall off a small terminal
(searches, refund), a bad weight that closed its window and dropped the item, a command line's
"column “member”:" or "(--reason)" in a screen's sentence, a shift table wider than 80 columns,
a coordinator's member longer than the screen with no key to scroll, French scan fields cut at
80 columns, a household settled at the end of a distribution without a word. Each test presses
the keys."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tests.tui.conftest import azerty, press, scan, settle, type_text
from tui.screens.distribution import DistributionScreen


def notes(app) -> list[str]:
    return [str(note.message) for note in app._notifications]


def fits(app, widget) -> bool:
    """The widget is drawn whole inside the terminal (not cut at its bottom or right edge)."""
    region = widget.region
    return (
        region.height > 0
        and region.bottom <= app.size.height
        and region.right <= app.size.width
        and widget.content_region.height >= 1
    )


async def test_a_refusal_names_no_command_line_column(counter_app, demo_engine):
    """Ticking a household twice: "… already collected today", not "column “member”: …"."""
    from tests.tui.test_distribution import first_household, wait

    app = counter_app(mode="distribution")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait(pilot)
        assert isinstance(app.screen, DistributionScreen)
        day = app.screen.day
        _household, card = first_household(demo_engine, day.on, day.place)
        await scan(pilot, azerty(card))
        await press(pilot, "f4")
        await wait(pilot)
        await press(pilot, "f4")
        await wait(pilot)
        said = [text for text in notes(app) if "already collected" in text]
        assert said, notes(app)
        assert not said[-1].lower().startswith("column"), said


async def test_refund_of_junk_says_it_in_one_sentence(counter_app):
    app = counter_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "f7")
        await type_text(pilot, "abc")
        await press(pilot, "enter")
        said = str(app.screen.query_one("#dialog-error").render())
        assert "“abc” is not a sale number" in said
        assert not said.lower().startswith("column")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_weight_of_zero_keeps_the_window_to_retype_it(counter_app, shopper, size):
    """``0`` then Enter used to close the window and drop the item: the ``750`` typed next
    landed in the scan field as a barcode."""
    from tests.tui.test_counter import open_till, rows
    from tests.tui.test_counter_gestures import CARROTS
    from tui.screens.dialogs import TextDialog

    app = counter_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, shopper)
        await scan(pilot, CARROTS)
        await type_text(pilot, "0")
        await press(pilot, "enter")
        assert isinstance(app.screen, TextDialog)
        said = str(app.screen.query_one("#dialog-error").render())
        assert said.startswith("The quantity must be more than zero")
        await press(pilot, "backspace")
        await type_text(pilot, "750")
        await press(pilot, "enter")
        assert rows(app) == [("Carottes", "0.750 kg", "€2.40/kg", "€1.80")]


def shown_whole(app, widget) -> bool:
    """The widget is drawn whole: inside its window's box and inside the terminal."""
    box = widget.parent
    return (
        box.region.bottom <= app.size.height
        and widget.region.height > 0
        and box.content_region.contains_region(widget.region)
        and widget.region.bottom <= app.size.height
    )


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("key", ["f2", "ctrl+f"])
async def test_search_windows_show_their_keys_on_a_small_terminal(counter_app, key, size):
    """F2 (a member) and Ctrl+F (an item) at 80×24: the line "↑↓: choose · Enter: … ·
    Escape: back" fell off the bottom of the window (a list of 12 rows)."""
    app = counter_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, "f11", "escape")  # a window was open before (as the log-in's)
        await press(pilot, key)
        await type_text(pilot, "ma")  # many hits: the list is full
        await settle(pilot)
        box = app.screen.query_one(f"#{app.screen.KIND}-search")
        help_line = box.query_one(".dialog-help")
        assert "Escape: back" in str(help_line.render())
        assert shown_whole(app, help_line)
        hits = box.query_one("OptionList")
        assert shown_whole(app, hits) and hits.option_count > 5


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_shift_desk_fits_its_columns_and_its_day_line(counter_app, size):
    """At 80 columns the state column ("⚠ 5/6 places taken", "booked") was cut at its fourth
    character and the day line lost "Home: back to today" (the list was 107 columns wide)."""
    from textual.widgets import DataTable

    from tests.tui.test_shift_desk import rows

    app = counter_app(language="fr", mode="shifts")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, "pagedown")
        await press(pilot, "pageup")
        table = app.screen.query_one("#shift-people", DataTable)
        widths = [column.get_render_width(table) for column in table.columns.values()]
        assert sum(widths) <= table.scrollable_content_region.width
        state = list(table.columns.values())[3].width
        shown = [row[3] for row in rows(app) if row[3]]
        assert shown and all(len(text) <= state for text in shown), shown
        assert "places prises" in " ".join(shown)
        await press(pilot, "pagedown")
        day = app.screen.query_one("#shifts-day")
        text = str(day.render())
        assert text.endswith("retour à aujourd’hui")
        assert day.region.width <= size[0]
        assert day.content_size.height * day.content_size.width >= len(text)  # none of it cut


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_refund_window_fits_a_small_terminal(counter_app, size):
    """F7 at 80×24 in French: its first sentence was cut at "(ou CAISSE/N" and its key line
    "Entrée : valider · Échap : retour" fell off the bottom."""
    app = counter_app(language="fr")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, "f7")
        await type_text(pilot, "abc")
        await press(pilot, "enter")  # a sentence under the fields, on two lines at 80 columns
        box = app.screen.query_one("#refund-box")
        prompt = box.query(Static).results(Static)
        texts = {str(widget.render()): widget for widget in prompt}
        first = next(widget for text, widget in texts.items() if text.startswith("Scannez"))
        assert box.content_region.contains_region(first.region)
        assert first.content_size.height * first.content_size.width >= len(str(first.render()))
        help_line = box.query_one(".dialog-help")
        assert "Échap" in str(help_line.render())
        assert shown_whole(app, help_line)
        assert shown_whole(app, box.query_one("#dialog-error"))
        assert shown_whole(app, box.query_one("#refund-lines"))


async def test_the_coordinator_scrolls_a_long_member_with_the_arrows(counter_app):
    """At 80×24 a member's details take the 11 rows the keys leave: their status and shift
    ledger were below, reachable with the mouse only (the scan field keeps the focus)."""
    from tui.screens.coordinator.hub import CoordinatorScreen
    from tui.widgets.scan_field import ScanField

    app = counter_app(mode="coordinator")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CoordinatorScreen)
        await scan(pilot, "4")
        view = app.screen.query_one("#coord-member-view")
        assert view.max_scroll_y > 0 and view.scroll_y == 0
        await press(pilot, *["down"] * 5)
        assert view.scroll_y == 5
        assert isinstance(app.focused, ScanField)
        await press(pilot, "up")
        assert view.scroll_y == 4
        # arrows that come faster than the screen refreshes (a held key, a loaded machine) all
        # count: a deferred scroll counted each from the old position
        for _ in range(3):
            app.screen.action_scroll(1)
        await settle(pilot)
        assert view.scroll_y == 7


async def test_the_treasurer_panel_speaks_french_without_command_line_options(
    counter_app, demo_engine
):
    """Ctrl+T in French read "en attente: 431" (no space before the colon) and an empty reason
    for M was refused with "dites pourquoi (--reason)", a command line option."""
    from tests.tui.test_treasurer_panel import needs_attention, panel_text
    from tui.screens.coordinator.forms import FormDialog

    needs_attention(demo_engine, 1)
    app = counter_app(language="fr", mode="coordinator")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+t")
        await settle(pilot)
        assert "en attente\u00a0: 430" in panel_text(app) or "en attente : 430" in panel_text(app)
        await press(pilot, "m")
        await press(pilot, "enter")  # no reason
        assert isinstance(app.screen, FormDialog)
        said = str(app.screen.query_one("#form-error").render())
        assert said == "Dites ce qui a été fait à la place."
        await press(pilot, "escape")


@pytest.mark.parametrize("mode", ["counter", "desk", "shifts", "distribution", "coordinator"])
async def test_every_scan_field_is_read_whole_at_80_columns_in_french(counter_app, mode):
    """The distribution desk's and the coordinator's scan fields lost their last word
    ("… puis Entrée") at 80 columns."""
    from tui.widgets.scan_field import ScanField

    app = counter_app(language="fr", mode=mode)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        field = app.screen.query_one(ScanField)
        assert len(field.placeholder) <= field.content_region.width - 1, field.placeholder


async def test_a_household_settled_at_the_end_of_the_day_is_said(counter_app):
    """F6 then F7: the household left the list and the panel jumped to the next one, with no
    word of what became of the baskets of the first."""
    from tests.tui.test_distribution import wait

    app = counter_app(language="fr", mode="distribution")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait(pilot)
        await press(pilot, "f6")
        await wait(pilot)
        first, second = app.screen.shown[:2]
        await press(pilot, "f7")
        await wait(pilot)
        said = [text for text in notes(app) if text.startswith(f"{first.member}  ")]
        assert len(said) == 1 and first.names in said[0] and "partenaire" in said[0], notes(app)
        panel = str(app.screen.query_one("#amap-panel").render())
        assert panel.startswith(f"{second.member}  ")  # the next one, where the cursor is


async def test_the_shift_desk_keeps_the_names_at_80_columns(counter_app):
    """Once the state fitted, the names were cut at 15 characters ("Fatoumata Bertr")."""
    from tests.tui.test_shift_desk import rows

    app = counter_app(language="fr", mode="shifts")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#shift-people")
        who = list(table.columns.values())[1].width
        people = [row[1] for row in rows(app) if row[1].lstrip()[:1].isdigit()]
        names = [text.split("  ", 1)[-1] for text in [p.strip() for p in people]]
        assert any(15 < len(name) <= 18 for name in names), names  # "Fatoumata Bertrand"
        pairs = zip(people, names, strict=True)
        assert all(len(text) <= who for text, name in pairs if len(name) <= 18)
