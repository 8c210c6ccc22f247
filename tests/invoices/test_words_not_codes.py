"""Words, not codes, on the command line in French: roles, barcode rules, counters, shifts by
day and hours, who acted. (The `cli` fixture of the printed documents: sample coop, fixed clock.)"""

from __future__ import annotations

from coop.audit import actor_words
from coop.cli.shift_reports import counters_text
from coop.i18n import set_language

from .test_shift_documents import _shifts


def test_roles_barcode_rules_and_counters_in_words(cli):
    code, out, err = cli.out("--lang", "fr", "shifts", "role", "3", "shift_leader")
    assert code == 0, err
    assert "responsable" in out and "shift_leader" not in out
    code, out, _err = cli.out("--lang", "fr", "barcodes", "list")
    assert "carte de membre" in out and "Cartes de membre" in out
    assert "member_card" not in out and "Member cards\n" not in out
    assert "« Weighed goods »" in out  # the name to type in `coop barcodes set`
    code, out, err = cli.out("--lang", "fr", "shifts", "status", "--all")
    assert code == 0, err
    assert "{'" not in out
    set_language("fr")
    try:
        counters = counters_text({"standard": -2, "ftop": 0})  # a row of `status --all`
    finally:
        set_language("en")
    assert "{" not in counters and "'" not in counters
    assert "compteur d’équipe fixe" in counters and "-2" in counters and " · " in counters


def test_a_shift_is_named_by_its_day_and_hours(cli):
    _shifts(cli)  # members 3 and 1 booked on Tuesday 24 November's morning shift
    shift = cli.data("shifts", "list", "--from", "2026-11-24", "--to", "2026-11-24")[0]["id"]
    code, out, err = cli.out("--lang", "fr", "shifts", "book", "3", str(shift))
    assert code == 2
    assert f"créneau du mardi 24 novembre 2026, 10:00–13:00 (n° {shift})" in out + err


def test_who_acted_in_words():
    set_language("fr")
    try:
        assert actor_words("tui:caisse-1") == "poste caisse-1"
        assert actor_words("cli:alice") == "ligne de commande (alice)"
        assert actor_words("member:42", lambda number: "Fatoumata Chauvin") == "Fatoumata Chauvin"
        assert actor_words("member:42") == "membre 42"
        assert actor_words("Marie") == "Marie"  # a name typed at a till
    finally:
        set_language("en")
