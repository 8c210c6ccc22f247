"""The `coop` command line, run in-process on real databases, and once as a real process."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from stdnum import ean

from coop.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
HEADER = "number;first_name;last_name;email;joined_on;left_on;household;card"


def card(number: int) -> str:
    body = f"0420{number:08d}"
    return body + ean.calc_check_digit(body)


def members_file(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "membres.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8-sig")
    return path


ROWS = [
    f"1;Hélène;Dupont;helene@example.org;15/03/2021;;;{card(1)}",
    f"2;Marc;Dupont;;15/03/2021;;1;{card(2)}",
    f"3;Zoé;Lefèvre;;01/02/2024;01/09/2026;;{card(3)}",
]


def coop(database_url: str, *args: str) -> int:
    return main(["--database", database_url, *args])


def test_import_then_export_and_show(database_url, tmp_path, capsys):
    assert coop(database_url, "import", "members", str(members_file(tmp_path, ROWS))) == 0
    output = capsys.readouterr()
    assert "3 created" in output.out
    assert output.err == ""  # no progress bar when the output is not a terminal
    assert coop(database_url, "export", "members", "--format", "json") == 0
    exported = json.loads(capsys.readouterr().out)
    assert [m["number"] for m in exported] == [1, 2, 3]
    out = tmp_path / "export.csv"
    assert coop(database_url, "export", "members", "--out", str(out)) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[1]["household"] == "1" and rows[0]["first_name"] == "Hélène"
    assert coop(database_url, "members", "show", card(2), "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["name"] == "Marc Dupont"
    assert [m["number"] for m in shown["household"]] == [1, 2]
    assert coop(database_url, "members", "show", "2") == 0  # as words, after the session closed
    words = capsys.readouterr().out
    assert "Marc Dupont" in words and card(2) in words and "Hélène" in words
    assert coop(database_url, "members", "search", "helene dupont", "--json") == 0
    assert json.loads(capsys.readouterr().out)[0]["number"] == 1


def test_bad_import_exits_2_names_line_and_changes_nothing(database_url, tmp_path, capsys):
    bad = [*ROWS, f"4;Ana;Roux;ana@;31/02/2024;;;{card(4)[:-1]}9"]
    path = members_file(tmp_path, bad)
    assert coop(database_url, "import", "members", str(path)) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 3  # e-mail, date and card: one message each
    assert all(str(path) in line and "line 5" in line for line in lines)
    assert "Traceback" not in err
    assert coop(database_url, "export", "members", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_dry_run_changes_nothing(database_url, tmp_path, capsys):
    assert (
        coop(database_url, "import", "members", str(members_file(tmp_path, ROWS)), "--dry-run") == 0
    )
    assert "dry run" in capsys.readouterr().out
    coop(database_url, "export", "members", "--format", "json")
    assert json.loads(capsys.readouterr().out) == []


def test_export_data_and_erase(database_url, tmp_path, capsys):
    coop(database_url, "import", "members", str(members_file(tmp_path, ROWS)))
    capsys.readouterr()
    assert coop(database_url, "members", "export-data", "3") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["member"]["first_name"] == "Zoé"
    assert data["cards"][0]["barcode"] == card(3)
    [history] = data["history"]
    assert (history["action"], history["after"]["card"]) == ("member.create", card(3))
    assert coop(database_url, "members", "erase", "3") == 2  # no --yes and no terminal
    assert "--yes" in capsys.readouterr().err
    assert coop(database_url, "members", "erase", "1", "--yes") == 2  # has not left
    assert "has not left" in capsys.readouterr().err
    assert coop(database_url, "members", "erase", "3", "--yes") == 0
    capsys.readouterr()
    coop(database_url, "members", "export-data", "3")
    erased = json.loads(capsys.readouterr().out)
    assert erased["member"]["first_name"] != "Zoé" and erased["member"]["email"] is None
    assert erased["cards"][0]["end_reason"] == "erased"
    assert "Zoé" not in json.dumps(erased, ensure_ascii=False)
    assert coop(database_url, "members", "search", "zoe lefevre", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_card_lost(database_url, tmp_path, capsys):
    coop(database_url, "import", "members", str(members_file(tmp_path, ROWS)))
    capsys.readouterr()
    assert coop(database_url, "members", "card-lost", "1", "--json") == 0
    new = json.loads(capsys.readouterr().out)["card"]
    assert new != card(1) and ean.is_valid(new)
    assert coop(database_url, "members", "show", card(1), "--json") == 0
    assert json.loads(capsys.readouterr().out)["scanned_card_ended"]["reason"] == "lost"


def test_unknown_member_exits_2(database_url, capsys):
    assert coop(database_url, "members", "show", "999") == 2
    assert "999" in capsys.readouterr().err


def test_uninitialised_database_says_run_init(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    assert coop(url, "export", "members") == 2
    assert "coop init" in capsys.readouterr().err
    assert coop(url, "init") == 0
    assert "created" in capsys.readouterr().out
    assert coop(url, "init") == 0
    assert "up to date" in capsys.readouterr().out


def test_database_behind_the_package_says_run_init(database_url, capsys):
    from sqlalchemy import text

    from coop import migrate
    from coop.db import make_engine

    engine = make_engine(database_url)
    previous = f"{int(migrate.head_revision()) - 1:04d}"
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": previous})
    engine.dispose()
    assert coop(database_url, "--lang", "en", "members", "show", "1") == 2
    assert "is not initialised or is out of date: run `coop init`" in capsys.readouterr().err


def test_missing_database_folder_is_one_sentence(tmp_path, capsys):
    assert coop(f"sqlite:///{tmp_path / 'no' / 'db.sqlite3'}", "init") == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and len(err.strip().splitlines()) == 1


def test_locate_json(capsys):
    assert main(["locate", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["config"].endswith("config.toml")
    assert found["database"].endswith("comptoir.sqlite3")


def test_french_by_default_in_a_real_process(tmp_path):
    env = {**os.environ, "COOP_DATA_DIR": str(tmp_path), "COOP_CONFIG_DIR": str(tmp_path)}
    env.pop("COOP_LANG", None)
    url = f"sqlite:///{tmp_path / 'none' / 'x.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-m", "coop", "--database", url, "init"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "n’existe pas" in result.stderr or "n'existe pas" in result.stderr
    assert "Traceback" not in result.stderr
    english = subprocess.run(
        [sys.executable, "-m", "coop", "--lang", "en", "--database", url, "init"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert "does not exist" in english.stderr


def test_demo_builds_a_fresh_database(capsys):
    assert main(["demo", "--no-tui"]) == 0
    out = capsys.readouterr().out
    assert "demo.sqlite3" in out
    assert main(["demo", "--no-tui"]) == 0  # rebuilt from scratch, not added twice
    out = capsys.readouterr().out
    counts = dict(
        line.strip().rsplit(": ", 1) for line in out.splitlines() if line.startswith("  ")
    )
    assert 250 <= int(counts["Members"]) <= 350
    assert 180 <= int(counts["Households"]) <= 260
    assert int(counts["Producers"]) == 12
    assert 200 <= int(counts["Products"]) <= 300
    assert int(counts["Shift templates"]) == 44  # A–D × (4 weekdays × 2 + Saturday × 3)
    assert int(counts["Shifts"]) > 13 * 11  # 13 weeks of history and 4 ahead, 11 a week
    # A week of the shop: five days of about 25 sales, each closed by its Z (coop.till.sample).
    assert int(counts["Daily closures (Z)"]) == 5
    assert 100 <= int(counts["Sales"]) <= 140
    assert int(counts["Prepaid accounts in use"]) >= 10
    assert int(counts["Stock moves"]) > int(counts["Products"])
    # The demo's shift history (La Louve rules) shows members in every status they can reach.
    for status in (
        "up to date",
        "on alert",
        "in delay (extension granted)",
        "suspended",
        "on leave",
        "exempted",
        "unsubscribed",
    ):
        assert int(counts[f"Members {status}"]) >= 1, status


@pytest.mark.parametrize("argv", [["--help"], ["members", "--help"], ["import", "--help"]])
def test_help_works(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 0
    assert "coop" in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["directory", "garbage"])
def test_unusable_sqlite_file_is_one_sentence(tmp_path, capsys, kind):
    target = tmp_path / "db.sqlite3"
    if kind == "directory":
        target.mkdir()
    else:
        target.write_bytes(b"this is a spreadsheet, not a database" * 100)
    assert main(["--database", f"sqlite:///{target}", "export", "members"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Cannot open the database" in err


def test_postgresql_server_down_is_one_sentence(capsys):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["--database", f"postgresql://coop@127.0.0.1:{port}/coop", "init"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "PostgreSQL" in err and "Traceback" not in err


def test_the_demos_invoice_numbers_follow_their_dates(capsys):
    """Invoice numbers are given in time order (the grouped orders' history, weeks old, is
    loaded before the till's): FA-000001 was dated after FA-000002..25."""
    assert main(["demo", "--no-tui"]) == 0
    capsys.readouterr()
    assert main(["--demo", "accounts", "invoices", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    invoices = sorted((row["code"], row["issued_on"]) for row in rows if row["kind"] == "invoice")
    assert len(invoices) > 20
    dates = [issued_on for _code, issued_on in invoices]
    assert dates == sorted(dates)
    assert dates[0] < dates[-1]


def test_the_readme_tour_points_at_the_demo_with_coop_demo(capsys, monkeypatch):
    """`export COOP_DEMO=1` (what `coop demo` says to type) makes every command use the demo,
    and `coop demo` run again in that terminal rebuilds it rather than refusing."""
    monkeypatch.setenv("COOP_DEMO", "1")
    assert main(["demo", "--no-tui"]) == 0
    assert "export COOP_DEMO=1" in capsys.readouterr().out
    assert main(["--lang", "en", "members", "show", "42"]) == 0
    assert "Fatoumata Chauvin" in capsys.readouterr().out
    monkeypatch.delenv("COOP_DEMO")
    assert main(["--demo", "--lang", "en", "members", "show", "42"]) == 0
    assert "Fatoumata Chauvin" in capsys.readouterr().out
    assert main(["--lang", "en", "members", "show", "42"]) != 0  # the coop's own, empty base
    assert "coop init" in capsys.readouterr().err


def test_a_problem_names_a_command_line_option_as_an_option_and_a_csv_column_as_a_column():
    from coop.errors import Problem
    from coop.i18n import set_language

    try:
        set_language("fr")
        nbsp = "\N{NO-BREAK SPACE}"  # French typography: inside « » and before a colon
        assert str(Problem("moyen inconnu", column="--pay")) == (
            f"option «{nbsp}--pay{nbsp}»{nbsp}: moyen inconnu"
        )
        assert str(Problem("vide", source="a.csv", line=3, column="nom")) == (
            f"a.csv, ligne 3, colonne «{nbsp}nom{nbsp}»{nbsp}: vide"
        )
        set_language("en")
        assert str(Problem("unknown", column="--pay")) == "option “--pay”: unknown"
    finally:
        set_language("en")
