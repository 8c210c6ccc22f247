"""Issue 16 §10 on the welcome desk's panel: one deadline in one sentence, and a member who
left is said to have left (when), without a status or a "not a member" beside it."""

from __future__ import annotations

import re

from tests.tui.conftest import card_of, scan, settle
from tui.screens.desk import DeskScreen

DATE = re.compile(r"\b\d\d/\d\d/\d{4}\b")


def panel(app) -> str:
    return str(app.screen.query_one("#desk-panel").render())


async def test_what_to_do_names_one_date_in_one_sentence(counter_app, demo_engine, now):
    card = card_of(demo_engine, now, lambda check: check.fix_by is not None and check.then)
    app = counter_app(language="fr", mode="desk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        await scan(pilot, card)
        text = panel(app)
        assert "Ce qu’il faut faire" in text
        assert len(DATE.findall(text)) == 1, text
        (line,) = [line for line in text.splitlines() if DATE.search(line)]
        assert "au plus tard le" in line and "sinon le statut devient" in line
        assert "avant le" not in text


async def test_a_member_who_left_is_said_to_have_left_and_when(counter_app):
    app = counter_app(language="fr", mode="desk")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await scan(pilot, "36")  # Nicolas Dupuis left on 28/01/2022 (sample_data/members.csv)
        text = panel(app)
        assert "NE PEUT PAS FAIRE SES COURSES" in text
        assert "A quitté la coopérative le 28/01/2022." in text
        assert "à jour" not in text
        assert "membre." not in text.lower().replace("membre 36", "")
        assert "Statut" not in text and "faut faire" not in text
