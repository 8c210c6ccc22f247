"""Issue 16 §5: at 80×24 and at 120×40 every screen shows every key it needs (the key bar
wraps instead of hiding keys), F1 lists every key with the French key names, and the print
window's keys are on screen. Each key expected here is written from the French screen."""

from __future__ import annotations

import pytest

from tests.tui.conftest import press, scan, settle
from tui.screens.keys import KeysDialog
from tui.screens.print_menu import PrintMenu
from tui.widgets.key_bar import KeyBar

SIZES = [(80, 24), (120, 40)]

NEEDED = {
    "counter": [
        "F1 Touches",
        "F2 Membre",
        "F3 Qté",
        "F4 Retirer",
        "F5 Consigne",
        "F6 Remise",
        "F7 Rembourser",
        "F8 Ticket",
        "F9 Payer",
        "F10 Annuler",
        "F11 Ouvrir",
        "F12 Clôturer",
        "Ctrl+O Imprimer",
    ],
    "desk": [
        "F1 Touches",
        "F2 Chercher un membre",
        "F5 Vérifier à nouveau",
        "F6 Délai de grâce",
        "F8 Mon code PIN",
        "Échap Effacer",
        "Ctrl+O Imprimer",
    ],
    "shifts": [
        "F1 Touches",
        "F2 Chercher un membre",
        "F3 Actualiser",
        "F4 Présent",
        "F5 Absent",
        "F6 Excusé",
        "F7 Sans réservation",
        "F8 Inscrit",
        "Page préc. Jour précédent",
        "Page suiv. Jour suivant",
        "Début Aujourd’hui",
        "Ctrl+O Imprimer",
    ],
    "coordinator": [
        "F1 Touches",
        "F2 Membre",
        "F3 Semaine",
        "Page préc. Semaine précédente",
        "Page suiv. Semaine suivante",
        "F4 Générer",
        "F5 Fermeture",
        "F9 Réception",
        "F10 Comptage",
        "F11 Clore l’inventaire",
        "F12 Verrouiller",
        "Ctrl+T Comptabilité",
        "Ctrl+O Imprimer",
    ],
    "distribution": ["F1 Touches", "F3 Lieu", "F4 Retiré", "F8 Gardé par un bénévole"],
}
ENGLISH_KEY_NAMES = ("esc ", "PgUp", "PgDn", "Home", "pageup", "^p")


def assert_bar_shows(app, wanted: list[str]) -> None:
    bar = app.screen.query_one(KeyBar)
    width, height = app.size
    region = bar.region
    assert region.bottom == height and region.width == width  # at the bottom, whole width
    lines = bar.get_content_height(bar.size, app.size, bar.content_region.width)
    assert bar.content_region.height == lines  # every line of keys is on screen
    shown = bar.plain()
    for key in wanted:
        assert key in shown, (key, shown)
    assert not any(name in shown for name in ENGLISH_KEY_NAMES), shown


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize("mode", list(NEEDED))
async def test_every_screen_shows_its_keys(counter_app, mode, size):
    app = counter_app(language="fr", mode=mode)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert_bar_shows(app, NEEDED[mode])
        await press(pilot, "f1")
        assert isinstance(app.screen, KeysDialog)
        listed = str(app.screen.query_one("#keys-text").render())
        for key in NEEDED[mode]:
            name = key.split(" ")[0]
            assert name in listed
        assert "Ctrl+Q" in listed and "Quitter" in listed
        assert not any(name in listed for name in ENGLISH_KEY_NAMES), listed
        dialog = app.screen.query_one(".dialog-box")
        assert dialog.region.bottom <= size[1]
        await press(pilot, "escape")
        assert not isinstance(app.screen, KeysDialog)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_the_coordinator_panels_keep_every_key(counter_app, size):
    app = counter_app(language="fr", mode="coordinator")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await scan(pilot, "1")  # the member panel
        assert_bar_shows(app, NEEDED["coordinator"] + ["F6 Modifier", "F7 Foyer"])
        await press(pilot, "f3")  # the week panel
        assert_bar_shows(app, NEEDED["coordinator"])
        await press(pilot, "ctrl+t")  # the treasurer's panel: its own keys join the bar
        await press(pilot, "tab")
        assert_bar_shows(app, NEEDED["coordinator"])


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_the_print_window_says_its_keys(counter_app, size):
    app = counter_app(language="fr", mode="desk")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+o")
        assert isinstance(app.screen, PrintMenu)
        help_line = app.screen.query_one("#print-help")
        assert help_line.region.bottom <= size[1] and help_line.region.height >= 1
        assert "Échap" in str(help_line.render())
