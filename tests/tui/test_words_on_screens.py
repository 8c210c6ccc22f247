"""Every screen in French shows words, not codes: each mode opened at 120×40 with a member on
it, its whole screen (as Textual exports it) checked for raw codes, Python values and English
sentences of the catalogue; the command palette's "no matches" line is French too."""

from __future__ import annotations

import html
import re

import pytest
from textual.command import CommandPalette

from tests.docs.untranslated import untranslated

from .conftest import press, scan, settle

CARD_42 = "0420000000426"


def screen_text(app) -> str:
    """The text on screen, line by line, from Textual's SVG screenshot."""
    svg = app.export_screenshot()
    pieces = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    text = "\n".join(html.unescape(re.sub(r"<[^>]+>", "", piece)) for piece in pieces)
    return text.replace("\xa0", " ")


@pytest.mark.parametrize("mode", ["counter", "desk", "shifts", "coordinator"])
async def test_a_french_screen_shows_no_code_and_no_english(counter_app, mode):
    app = counter_app(language="fr", mode=mode)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        if mode != "shifts":
            await scan(pilot, CARD_42)
            await settle(pilot)
        shown = screen_text(app)
        assert shown.strip()
        assert untranslated(shown) == [], shown


async def test_the_palette_says_no_match_in_french(counter_app):
    app = counter_app(language="fr")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        for key in "zzzqqq":
            await pilot.press(key)
        await pilot.pause(1.5)
        shown = screen_text(app)
        assert "Aucun résultat" in shown and "No matches found" not in shown
