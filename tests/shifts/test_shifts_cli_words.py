"""What `coop shifts` and `coop desk` print on the README's tour reads as words in French: a
swap refused for a role names the role as people say it, a leave says until when, and a card
scanned after it was declared lost says why it no longer works (never `shift_leader`, `lost`)."""

from __future__ import annotations

from tests.shifts.test_shifts_cli import card, cli, shift_id, write  # noqa: F401


def test_a_swap_refused_for_a_role_names_it_in_french(cli, tmp_path, capsys):  # noqa: F811
    templates = write(
        tmp_path,
        "creneaux.csv",
        "SAM;Samedi après-midi;;samedi;14:00;17:00;2;",
        "MAR;Mardi matin;;mardi;09:00;12:00;1;shift_leader",
    )
    assert cli("import", "shift-templates", str(templates)) == 0
    assert cli("shifts", "generate", "--from", "2026-11-21", "--to", "2026-12-31") == 0
    assert cli("shifts", "role", "3", "shift_leader") == 0
    saturday = shift_id(cli, capsys, "2026-11-28", "Samedi après-midi")
    tuesday = shift_id(cli, capsys, "2026-12-01", "Mardi matin")
    assert cli("shifts", "book", "1", str(saturday)) == 0
    assert cli("shifts", "book", "3", str(tuesday)) == 0
    capsys.readouterr()
    assert cli("--lang", "fr", "shifts", "swap", "1", str(saturday), "3", str(tuesday)) == 2
    err = capsys.readouterr().err
    assert "réservée au rôle « responsable »" in err and "shift leader" not in err


def test_a_leave_says_until_when(cli, capsys):  # noqa: F811
    leave = ("shifts", "leave", "add", "3", "--kind", "holiday", "--from", "2027-01-04")
    assert cli("--lang", "fr", *leave, "--to", "2027-03-28") == 0
    assert "membre 3 du 04/01/2027 au 28/03/2027." in capsys.readouterr().out
    assert cli(*leave[:3], "4", *leave[4:]) == 0
    assert "member 4 from 04/01/2027, with no end date." in capsys.readouterr().out


def test_a_lost_card_says_why_in_words(cli, capsys):  # noqa: F811
    assert cli("members", "card-lost", "1") == 0
    capsys.readouterr()
    assert cli("--lang", "fr", "members", "show", card(1)) == 0
    shown = capsys.readouterr().out
    assert "n’est plus valable (déclarée perdue)" in shown and "(lost)" not in shown
    assert cli("--lang", "fr", "desk", "check", card(1), "--at", "2099-01-01 12:00") == 0
    checked = capsys.readouterr().out
    assert "Cette carte n’est plus valable (déclarée perdue)" in checked
    assert "(lost)" not in checked
