"""`coop shifts ...`, `coop desk ...` and `coop import shift-templates` end to end, in-process,
with the clock of the commands set by the test."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from stdnum import ean

from coop import paths
from coop.cli.main import main
from coop.clock import SHOP_TIMEZONE
from coop.i18n import set_language

MEMBERS = "number;first_name;last_name;joined_on;household;card"
TEMPLATES = "code;name;week;weekday;start;end;seats;roles"


def card(number: int) -> str:
    body = f"042{number:09d}"
    return body + ean.calc_check_digit(body)


@pytest.fixture
def cli(database_url, monkeypatch, tmp_path):
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text(
        '[shifts]\npreset = "louve"\nweek_anchor = 2026-11-02\n', encoding="utf-8"
    )
    now = {"value": datetime(2026, 11, 21, 10, 30, tzinfo=SHOP_TIMEZONE)}
    from coop.cli import context as context_module
    from coop.cli import data as data_cli
    from coop.cli import shifts as shifts_cli

    original = context_module.context_from

    def with_clock(args):
        context = original(args)
        context.clock = lambda: now["value"]
        return context

    monkeypatch.setattr(shifts_cli, "context_from", with_clock)
    monkeypatch.setattr(data_cli, "context_from", with_clock)

    def run(*args: str) -> int:
        return main(["--database", database_url, *args])

    def at(day: date, hour: int = 10, minute: int = 0) -> None:
        now["value"] = datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHOP_TIMEZONE)

    run.at = at  # type: ignore[attr-defined]
    members = tmp_path / "membres.csv"
    members.write_text(
        "\n".join(
            [
                MEMBERS,
                f"1;Hélène;Dupont;01/01/2025;;{card(1)}",
                f"2;Marc;Dupont;01/01/2025;1;{card(2)}",
                f"3;Zoé;Lefèvre;01/01/2025;;{card(3)}",
                f"4;Ana;Roux;01/01/2025;;{card(4)}",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    assert run("init") == 0
    assert run("import", "members", str(members)) == 0
    return run


def write(tmp_path: Path, name: str, *rows: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([TEMPLATES, *rows]) + "\n", encoding="utf-8")
    return path


def output(capsys) -> dict | list:
    """The JSON the last command printed (earlier commands may have printed sentences)."""
    text = capsys.readouterr().out
    starts = [i for i, c in enumerate(text) if c in "{[" and (i == 0 or text[i - 1] == "\n")]
    return json.loads(text[starts[-1] :])


def shift_id(cli, capsys, day: str, name: str) -> int:
    assert cli("shifts", "list", "--from", day, "--to", day, "--json") == 0
    (found,) = [row for row in output(capsys) if row["name"] == name]
    return found["id"]


def test_template_import_is_all_or_nothing(cli, tmp_path, capsys):
    bad = write(
        tmp_path,
        "bad.csv",
        "SAM;Samedi;;samedi;14:00;17:00;2;",
        "MAR;Mardi;;mardi;12:00;09:00;0;",
    )
    capsys.readouterr()
    assert cli("import", "shift-templates", str(bad)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2
    assert all(str(bad) in line and "line 3" in line for line in err)
    assert any("column “end”" in line for line in err)
    assert any("column “seats”" in line for line in err)
    assert cli("export", "shift-templates", "--format", "json") == 0
    assert output(capsys) == []
    good = write(tmp_path, "good.csv", "SAM;Samedi;;samedi;14:00;17:00;2;")
    assert cli("import", "shift-templates", str(good), "--dry-run") == 0
    assert "dry run" in capsys.readouterr().out
    assert cli("import", "shift-templates", str(good), "--json") == 0
    assert output(capsys)["created"] == 1


def test_a_month_of_shifts_from_the_command_line(cli, tmp_path, capsys):
    templates = write(
        tmp_path,
        "creneaux.csv",
        "SAM;Samedi après-midi;;samedi;14:00;17:00;2;",
        "MAR;Mardi matin;;mardi;09:00;12:00;1;",
    )
    assert cli("import", "shift-templates", str(templates)) == 0
    capsys.readouterr()
    assert cli("shifts", "generate", "--from", "21/11/2026", "--to", "2026-12-31", "--json") == 0
    assert output(capsys)["created"] == 6 + 6  # Saturdays 21 Nov–26 Dec, Tuesdays 24 Nov–29 Dec
    assert cli("shifts", "generate", "--from", "2026-11-21", "--to", "2026-12-31", "--json") == 0
    assert output(capsys)["created"] == 0
    assert cli("shifts", "hold", "1", "SAM", "--from", "2026-11-21") == 0
    capsys.readouterr()
    saturday = shift_id(cli, capsys, "2026-11-21", "Samedi après-midi")
    tuesday = shift_id(cli, capsys, "2026-11-24", "Mardi matin")
    assert cli("shifts", "book", "3", str(tuesday), "--json") == 0
    assert output(capsys)["kind"] == "flying"
    assert cli("shifts", "book", "4", str(tuesday)) == 2
    assert "is full" in capsys.readouterr().err
    assert cli("shifts", "book", "2", str(tuesday)) == 2  # an associated person
    assert "status of member 1" in capsys.readouterr().err
    # The Saturday shift is over: member 1 did not come, member 4 came without booking.
    cli.at(date(2026, 11, 21), 17, 30)
    assert cli("shifts", "attend", str(saturday), "4", "--state", "attended") == 2
    assert "--walk-in" in capsys.readouterr().err
    assert cli("shifts", "attend", str(saturday), "4", "--state", "attended", "--walk-in") == 0
    assert cli("shifts", "attend", str(saturday), "1", "--state", "missed", "--json") == 0
    assert output(capsys)["state"] == "missed"
    # The desk, scanning the card of member 2, who shops on member 1's status.
    assert cli("desk", "check", card(2), "--json") == 0
    check = output(capsys)
    assert check["member"] == {"number": 1, "name": "Hélène Dupont"}
    assert check["shopper"] == {"number": 2, "name": "Marc Dupont", "main": False}
    assert [m["number"] for m in check["household"]] == [1, 2]
    assert check["can_shop"] is True and check["status"] == "alert"
    assert check["counters_text"] == "2 make-up shifts to do before 19/12/2026."
    assert check["fix_by"] == "2026-12-18" and check["then"] == "suspended"
    assert check["next_shift"]["day"] == "2026-11-28"
    assert cli("--lang", "fr", "desk", "check", "1") == 0
    text = capsys.readouterr().out
    set_language("en")
    assert "2 rattrapages à faire avant le 19/12/2026" in text
    assert "en alerte" in text
    # Grace is for suspended members only; refused, nothing recorded.
    assert cli("desk", "grace", "1", "--reason", "essai") == 2
    assert "suspended" in capsys.readouterr().err
    # Four weeks later the alert has run out.
    cli.at(date(2026, 12, 19), 9)
    assert cli("shifts", "run", "--today", "2026-12-19", "--json") == 0
    assert output(capsys)["statuses"]["suspended"] == 1
    assert cli("desk", "check", "1", "--json") == 0
    refused = output(capsys)
    assert refused["can_shop"] is False
    assert refused["reasons"] == [
        {"code": "suspended", "text": "Suspended: missed shifts were not made up in time."}
    ]
    assert cli("desk", "grace", "1", "--reason", "a prévenu", "--json") == 0
    assert output(capsys)["until"] == "2026-12-20"  # the day after the next shift (19 Dec)
    assert cli("desk", "check", "1", "--json") == 0
    assert output(capsys)["status"] == "delay"
    # The status on a past date, and the ledger in words.
    assert cli("shifts", "status", "--at", "2026-11-25", "--member", "1", "--json") == 0
    assert output(capsys)["members"][0]["status"] == "alert"
    assert cli("shifts", "status", "--at", "2026-12-19", "--json") == 0
    totals = output(capsys)["totals"]
    assert totals["delay"] == 1 and sum(totals.values()) == 3  # members 1, 3 and 4
    assert cli("shifts", "history", "1", "--json") == 0
    (entry,) = output(capsys)
    assert (entry["delta"], entry["text"]) == (-2, "shift missed")
    assert cli("desk", "check", "1", "--at", "2026-11-20 12:00", "--json") == 0
    assert output(capsys)["status"] == "up_to_date"


def test_leaves_closures_and_planning_from_the_command_line(cli, tmp_path, capsys):
    templates = write(tmp_path, "c.csv", "SAM;Samedi;;samedi;14:00;17:00;3;cashier")
    assert cli("import", "shift-templates", str(templates)) == 0
    assert cli("shifts", "generate", "--from", "2026-11-21", "--to", "2026-12-31") == 0
    assert cli("shifts", "hold", "1", "SAM") == 0
    capsys.readouterr()
    assert cli("shifts", "leave", "add", "1", "--kind", "holiday", "--from", "2026-12-10",
               "--to", "2026-12-01") == 2  # fmt: skip
    assert "--to" in capsys.readouterr().err
    assert cli("shifts", "leave", "add", "1", "--kind", "holiday", "--from", "2026-12-01",
               "--to", "2026-12-10", "--reason", "voyage") == 0  # fmt: skip
    assert cli("shifts", "leave", "list", "1", "--json") == 0
    assert output(capsys)[0]["to"] == "2026-12-10"
    assert cli("desk", "check", "1", "--at", "2026-12-05 10:00", "--json") == 0
    on_leave = output(capsys)
    assert on_leave["status"] == "on_leave" and not on_leave["can_shop"]
    assert cli("shifts", "leave", "end", "1", "--back", "2026-12-04") == 0
    assert cli("shifts", "closure", "add", "--from", "2026-12-26", "--label", "Inventaire",
               "--json") == 0  # fmt: skip
    assert output(capsys)["shifts_cancelled"] == 1
    assert cli("shifts", "closure", "list", "--json") == 0
    assert output(capsys)[0]["label"] == "Inventaire"
    assert cli("shifts", "understaffed", "--days", "14", "--json") == 0
    gaps = output(capsys)
    # 14 days after 21 Nov 10:30 is 5 Dec 10:30: the shift of 5 Dec at 14:00 is further.
    assert [g["day"] for g in gaps] == ["2026-11-21", "2026-11-28"]
    assert all(g["missing_roles"] == ["cashier"] and g["free"] == 2 for g in gaps)
    assert cli("shifts", "load", "--from", "2026-11-01", "--to", "2026-12-31", "--json") == 0
    assert output(capsys)["shifts_worked"] == 0
    assert cli("shifts", "adjust", "3", "--counter", "ftop", "--delta", "2",
               "--reason", "reprise de l'ancien fichier") == 0  # fmt: skip
    assert cli("shifts", "adjust", "3", "--counter", "nope", "--delta", "0",
               "--reason", "") == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "--counter" in err and "--delta" in err and "--reason" in err
    assert cli("members", "export-data", "1") == 0
    data = output(capsys)
    assert data["shifts"]["slots"][0]["template"] == "SAM"
    assert data["shifts"]["leaves"][0]["reason"] == "voyage"
