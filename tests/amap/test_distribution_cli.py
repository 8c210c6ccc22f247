"""`coop amap distribution|rota|desk|reminders` and `coop print emargement` end to end, and the
issue's Bad input list: exit 2, a message naming the field, nothing written."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from coop.cli.main import main
from coop.db import make_engine

SAMPLE = Path(__file__).resolve().parent.parent.parent / "sample_data"
TABLES = ["amap_distributions", "amap_duties", "amap_pickups", "audit_entries"]
DAY = "2027-04-13"


@pytest.fixture
def cli(database_url, capsys):
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--lang", "en", "--database", database_url, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    assert run("import", "members", str(SAMPLE / "members.csv"))[0] == 0
    assert run("import", "producers", str(SAMPLE / "producers.csv"))[0] == 0
    assert run("amap", "place", "add", "GERLAND", "--name", "MJC Gerland")[0] == 0
    created = run(
        "amap", "contract", "create", "LEG", "--name", "Légumes", "--producer", "FERME-MOULIN",
        "--start", "2027-04-06", "--end", "2027-06-29", "--place", "GERLAND",
        "--size", "PP|Petit panier|15,00", "--size", "GP|Grand panier|25,00",
        "--absences", "2", "--cashing", "2027-04-06",
    )  # fmt: skip
    assert created[0] == 0, created
    assert run("amap", "calendar", "generate", "LEG")[0] == 0
    for member, size in (("3", "GP"), ("6", "PP"), ("1", "2 PP")):
        assert (
            run("amap", "sub", "add", "LEG", member, "--place", "GERLAND", "--size", size)[0] == 0
        )
    return run


def counts(database_url: str) -> dict[str, int]:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        found = {
            t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES
        }
    engine.dispose()
    return found


def test_a_distribution_staffed_run_and_printed(cli, tmp_path):
    code, out, _err = cli("amap", "distribution", "show", DAY, "--json")
    assert code == 0
    shown = json.loads(out)
    # by last name, case ignored: "du Mesnil" (6), "Dumont" (1), "Fournier" (3)
    assert [h["member"] for h in shown["day"]["households"]] == [6, 1, 3]
    assert cli("amap", "distribution", "set", DAY, "--extra", "2", "--note", "Sacs !")[0] == 0
    assert cli("amap", "rota", "signup", DAY, "WELCOME", "7")[0] == 0
    code, out, _err = cli("amap", "rota", "show", DAY, "--json")
    staff = json.loads(out)
    assert staff["needed"] == 2 and len(staff["volunteers"]) == 1
    assert cli("amap", "desk", "tick", DAY, "3")[0] == 0
    code, out, _err = cli("amap", "desk", "count", DAY, "--json")
    assert {(c["size"], c["collected"], c["expected"]) for c in json.loads(out)} == {
        ("GP", 1, 1),
        ("PP", 0, 3),
    }
    code, out, _err = cli("amap", "desk", "left", DAY, "--json")
    assert [h["member"] for h in json.loads(out)] == [6, 1]
    assert cli("amap", "desk", "settle", DAY, "6", "volunteer", "--keeper", "7")[0] == 0
    out_pdf = tmp_path / "em.pdf"
    code, out, _err = cli("print", "emargement", "--day", DAY, "--out", str(out_pdf))
    assert code == 0, out
    words = "".join(page.extract_text() for page in PdfReader(out_pdf).pages)
    assert "DUMONT Éric" in words and "2×PP" in words and "Sacs !" in words
    assert "1 × GP, 3 × PP" in words
    assert "07 82 85 40 15" not in words  # Éric Dumont's phone: never printed
    with open(out_pdf.with_suffix(".csv"), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0][:2] == ["Household", "LEG"] and rows[2][0] == "DUMONT Éric"


def test_fair_shares_and_missing(cli):
    assert cli("amap", "distribution", "set", DAY, "--extra", "1")[0] == 0
    assert cli("amap", "rota", "signup", DAY, "SETUP", "3")[0] == 0
    code, out, _err = cli(
        "amap", "rota", "shares", "--from", "2027-04-01", "--to", "2027-06-30", "--json"
    )
    lines = {line["member"]: line for line in json.loads(out)}
    # one slot over the season, three households: ⌈1/3⌉ = 1 each; member 3 did it
    assert lines[3]["balance"] == 0 and lines[1]["balance"] == 1
    code, out, _err = cli("amap", "rota", "missing", "--from", "2027-04-01", "--json")
    assert code == 0 and json.loads(out) == []


def test_reminders_list_the_volunteers_four_days_before(cli):
    assert cli("amap", "rota", "signup", DAY, "WELCOME", "7")[0] == 0
    code, out, _err = cli("amap", "reminders", "--today", "2027-04-09", "--json")
    assert code == 0
    (item,) = json.loads(out)
    assert item["kind"] == "volunteers" and item["members"] == [7]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("amap", "desk", "tick", DAY, "5"), "member"),  # has nothing today
        (("amap", "desk", "tick", "2027-04-14", "3"), "date"),  # no distribution that day
        (("amap", "rota", "signup", DAY, "WELCOME", "999"), "member"),  # not a member
        (("amap", "rota", "signup", DAY, "NOPE", "3"), "role"),
        (("print", "emargement", "--day", "2027-04-14", "--out", "x.pdf"), "date"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(cli, database_url, args, field, tmp_path):
    before = counts(database_url)
    out = [a if a != "x.pdf" else str(tmp_path / "x.pdf") for a in args]
    code, _out, err = cli(*out)
    assert code == 2 and field in err
    assert counts(database_url) == before
    assert not (tmp_path / "x.pdf").exists()


def test_signing_up_twice_or_to_a_full_role_is_refused(cli, database_url):
    assert cli("amap", "rota", "signup", DAY, "WELCOME", "7")[0] == 0
    before = counts(database_url)
    code, _out, err = cli("amap", "rota", "signup", DAY, "WELCOME", "7")
    assert code == 2 and "already signed up" in err
    code, _out, err = cli("amap", "rota", "signup", DAY, "WELCOME", "8")
    assert code == 2 and "full" in err
    assert cli("amap", "desk", "tick", DAY, "3")[0] == 0
    ticked = counts(database_url)
    code, _out, err = cli("amap", "desk", "tick", DAY, "3")
    assert code == 2 and "already collected" in err
    assert counts(database_url) == ticked and before["amap_pickups"] == 0


def test_the_desk_and_the_reminders_say_what_happened_in_words(cli):
    """README tour: `desk undo` says the basket is back to collect (it said "recorded", as a
    tick does); a reminder of empty roles counts the volunteers missing in words, not a bare
    number, with the language's own "label: count"."""
    assert cli("amap", "desk", "tick", DAY, "3")[1] == "1 basket collected by member 3.\n"
    taken_back = "Taken back: 1 basket of member 3 is to collect again.\n"
    assert cli("amap", "desk", "undo", DAY, "3")[1] == taken_back
    given = cli("amap", "desk", "settle", DAY, "1", "partner")[1]
    assert given == "1 basket of member 1 given to the solidarity partner.\n"
    kept = cli("amap", "desk", "settle", DAY, "6", "volunteer", "--keeper", "7")[1]
    assert kept == "1 basket of member 6 kept by member 7.\n"
    assert cli("amap", "distribution", "set", DAY, "--extra", "2")[0] == 0
    code, out, _err = cli("--lang", "fr", "amap", "reminders", "--today", "2027-04-06")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("À tous les adhérents")
    assert lines[1] in ("  1 bénévole manquant", "  2 bénévoles manquants"), out
    assert all("\u00a0: " in line for line in lines[2:]), out  # French: a no-break space
    code, out, _err = cli("amap", "reminders", "--today", "2027-04-06")
    assert all(" : " not in line and "\u00a0" not in line for line in out.splitlines()), out
