"""Every screen in French shows words, not codes: each mode opened at 120×40 with a member on
it, its whole screen (as Textual exports it) checked for raw codes, Python values and English
sentences of the catalogue; the command palette's "no matches" line is French too."""

from __future__ import annotations

import asyncio
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


async def text_once_it_shows(pilot, wanted: tuple[str, ...], timeout: float = 10.0) -> str:
    """The screen's text as soon as one of ``wanted`` is on it (the palette's "no matches" line
    comes after a countdown), rather than after a fixed pause; the screen as it is at the end."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        shown = screen_text(pilot.app)
        if any(words in shown for words in wanted) or loop.time() > deadline:
            return shown
        await pilot.pause(0.05)


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
        shown = await text_once_it_shows(pilot, ("Aucun résultat", "No matches found"))
        assert "Aucun résultat" in shown and "No matches found" not in shown
