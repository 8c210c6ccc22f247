"""`coop shifts free`, `coop shifts swap` and `coop shifts hand-over` end to end."""

from __future__ import annotations

from tests.shifts.test_shifts_cli import cli, output, shift_id, write  # noqa: F401


def test_free_places_swap_and_hand_over_from_the_command_line(cli, tmp_path, capsys):  # noqa: F811
    templates = write(
        tmp_path,
        "creneaux.csv",
        "SAM;Samedi après-midi;;samedi;14:00;17:00;2;",
        "MAR;Mardi matin;;mardi;09:00;12:00;1;",
    )
    assert cli("import", "shift-templates", str(templates)) == 0
    assert cli("shifts", "generate", "--from", "2026-11-21", "--to", "2026-12-31") == 0
    assert cli("shifts", "hold", "1", "SAM", "--from", "2026-11-21") == 0
    saturday = shift_id(cli, capsys, "2026-11-28", "Samedi après-midi")
    tuesday = shift_id(cli, capsys, "2026-12-01", "Mardi matin")
    assert cli("shifts", "book", "3", str(tuesday)) == 0
    capsys.readouterr()
    assert cli("shifts", "free", "--member", "4", "--weeks", "2", "--json") == 0
    free = output(capsys)
    assert tuesday not in [place["shift"] for place in free]  # its one place is taken
    assert any(place["shift"] == saturday and place["free"] == 1 for place in free)
    assert all("(" in place["text"] and "2026" in place["text"] for place in free)

    assert cli("shifts", "swap", "1", str(saturday), "3", str(tuesday)) == 0
    said = capsys.readouterr().out
    assert "member 1 now works on Tuesday, 1 December 2026, 09:00–12:00" in said
    assert "member 3 on Saturday, 28 November 2026, 14:00–17:00" in said
    assert cli("shifts", "swap", "1", str(saturday), "3", str(tuesday)) == 2
    assert "Member 1 is not booked on Saturday, 28 November 2026" in capsys.readouterr().err

    assert cli("shifts", "hand-over", "1", str(tuesday), "4") == 0
    assert "Member 4 takes the place of member 1 on Tuesday" in capsys.readouterr().out
    assert cli("shifts", "hand-over", "3", str(saturday), "3") == 2
    assert "cannot swap a shift with themselves" in capsys.readouterr().err
