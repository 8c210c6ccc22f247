"""`coop amap ...` end to end (real clock: today is after 2026's season, before 2027's), and
every "Bad input" case of the issue: exit 2, a message naming the field, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from coop.cli.main import main
from coop.db import make_engine

SAMPLE = Path(__file__).resolve().parent.parent.parent / "sample_data"
TABLES = [
    "amap_contracts",
    "amap_deliveries",
    "amap_subscriptions",
    "amap_baskets",
    "amap_payments",
    "amap_fund_entries",
    "amap_holders",
    "audit_entries",
]


@pytest.fixture
def cli(database_url, capsys):
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--lang", "en", "--database", database_url, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    assert run("import", "members", str(SAMPLE / "members.csv"))[0] == 0
    assert run("import", "producers", str(SAMPLE / "producers.csv"))[0] == 0
    assert run("amap", "place", "add", "GERLAND", "--name", "MJC Gerland")[0] == 0
    assert run("amap", "place", "add", "CROIX", "--name", "Croix-Rousse")[0] == 0
    for code, start, end in (
        ("LEG", "2027-04-06", "2027-06-29"),
        ("OLD", "2026-04-07", "2026-06-30"),
    ):
        created = run(
            "amap",
            "contract",
            "create",
            code,
            "--name",
            "Légumes",
            "--producer",
            "FERME-MOULIN",
            "--start",
            start,
            "--end",
            end,
            "--place",
            "GERLAND",
            "--place",
            "CROIX",
            "--size",
            "PP|Petit panier|15,00|max=2|solidarity=7,50",
            "--size",
            "GP|Grand panier|25,00",
            "--cheques",
            "1,3",
            "--absences",
            "1",
            "--partner",
            "Restos du Cœur",
            "--cashing",
            start,
        )
        assert created[0] == 0, created
        assert run("amap", "calendar", "generate", code)[0] == 0
    return run


def counts(database_url: str) -> dict[str, int]:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        found = {
            t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES
        }
    engine.dispose()
    return found


def test_a_season_from_the_command_line(cli):
    code, out, _err = cli(
        "amap",
        "sub",
        "add",
        "LEG",
        "3",
        "--place",
        "GERLAND",
        "--size",
        "PP",
        "--with",
        "4",
        "--json",
    )
    assert code == 0
    sub = json.loads(out)
    assert sub["amount_cents"] == 13 * 1500
    assert cli("amap", "calendar", "factor", "LEG", "2027-05-04", "2")[0] == 0
    assert cli("amap", "pay", "plan", str(sub["id"]), "--cheques", "3")[0] == 0
    assert cli("amap", "pay", "receive", str(sub["id"]), "1", "--number", "0042")[0] == 0
    assert cli("amap", "absence", "add", str(sub["id"]), "2027-04-13")[0] == 0
    # The amount changed since the plan: re-planning keeps the received cheque.
    assert cli("amap", "pay", "plan", str(sub["id"]), "--cheques", "3")[0] == 0
    assert cli("amap", "absence", "give", str(sub["id"]), "2027-04-20")[0] == 0
    code, out, _err = cli("amap", "sub", "show", str(sub["id"]), "--json")
    view = json.loads(out)
    assert view["amount_cents"] == 13 * 1500  # one double, one absent
    assert [p["state"] for p in view["payments"]] == ["received", "expected", "expected"]
    assert sum(p["amount_cents"] for p in view["payments"]) == 13 * 1500
    by_date = {b["on"]: b for b in view["baskets"]}
    assert by_date["2027-04-13"]["status"] == "absent"
    assert by_date["2027-04-20"]["donated_to"] == "partner"
    assert by_date["2027-04-27"]["collector"] == 4
    assert cli("amap", "pay", "hand-over", "LEG", "2027-04-06", "--json")[0] == 0


def test_renew_shifts_the_season_and_keeps_tuesdays(cli):
    code, out, _err = cli("amap", "contract", "renew", "LEG", "--code", "LEG-28", "--json")
    assert code == 0
    code, out, _err = cli("amap", "calendar", "show", "LEG-28", "--json")
    days = [d["on"] for d in json.loads(out)]
    # 6 April – 29 June 2028 holds twelve Tuesdays, from the 11th.
    assert len(days) == 12 and days[0] == "2028-04-11" and days[-1] == "2028-06-27"
    from datetime import date

    assert {date.fromisoformat(d).weekday() for d in days} == {1}


def test_csv_round_trip(cli, tmp_path):
    source = tmp_path / "abonnements.csv"
    source.write_text(
        "\ufeffcontrat;adhérent;lieu;paniers;début;coadhérents;chèques\n"
        "LEG;3;GERLAND;1 PP;01/06/2027;4;3\n"
        "LEG;6;CROIX;2 GP;;;1\n",
        encoding="utf-8",
    )
    code, out, err = cli("amap", "sub", "import", str(source), "--json")
    assert code == 0, err
    assert json.loads(out) == {"lines": 2, "created": 2, "waiting": 0, "planned": 2}
    target = tmp_path / "export.csv"
    assert cli("amap", "sub", "export", "--contract", "LEG", "--out", str(target))[0] == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[1].split(";")[:6] == ["LEG", "3", "GERLAND", "1 PP", "01/06/2027", ""]
    assert lines[2].split(";")[11] == "650,00"  # 13 × 2 × 25 €, decimal comma
    # the status is written for people to read: in words, in the language asked for
    assert lines[1].split(";")[-1] == "active"
    created = cli(
        "amap", "contract", "create", "ONE", "--name", "Un seul", "--producer", "FERME-MOULIN",
        "--start", "2027-04-06", "--end", "2027-04-27", "--place", "GERLAND",
        "--size", "PP|Petit panier|10,00|max=1",
    )  # fmt: skip
    assert created[0] == 0 and cli("amap", "calendar", "generate", "ONE")[0] == 0
    one = ("amap", "sub", "add", "ONE")
    assert cli(*one, "3", "--place", "GERLAND", "--size", "PP")[0] == 0
    assert cli(*one, "6", "--place", "GERLAND", "--size", "PP", "--waiting-list")[0] == 0
    french = tmp_path / "export-fr.csv"
    args = ("amap", "sub", "export", "--contract", "ONE", "--out", str(french))
    assert cli("--lang", "fr", *args)[0] == 0
    rows = [line.split(";") for line in french.read_text(encoding="utf-8-sig").splitlines()]
    assert [row[-1] for row in rows[1:]] == ["active", "liste d’attente"]


def test_counts_in_sentences_agree_with_their_number(cli):
    """README tour: "1 cheque handed over, 1 still expected", "1 subscription's amount"."""
    code, out, _err = cli("amap", "sub", "add", "LEG", "3", "--place", "GERLAND", "--size", "PP")
    assert code == 0
    sub = out.split()[1]
    assert cli("amap", "pay", "plan", sub, "--cheques", "3")[0] == 0
    assert cli("amap", "pay", "receive", sub, "1", "--number", "0042")[0] == 0
    code, out, _err = cli("amap", "pay", "hand-over", "LEG", "2027-04-06")
    assert out.startswith("1 cheque handed to the producer. ") and out.endswith(
        " cheques still expected for that date.\n"
    )
    code, out, _err = cli("amap", "calendar", "cancel", "LEG", "2027-05-04", "--reason", "x")
    assert code == 0 and out == "Done. 1 subscription's amount was recomputed.\n"
    code, out, _err = cli("--lang", "fr", "amap", "calendar", "factor", "LEG", "2027-05-11", "2")
    assert out == "Fait. Le montant de 1 souscription a été recalculé.\n", out


def _refused(cli, database_url, *args: str, field: str) -> str:
    before = counts(database_url)
    code, _out, err = cli(*args)
    assert code == 2, err
    assert field in err, err
    assert counts(database_url) == before
    return err


def test_bad_delivery_outside_the_season(cli, database_url):
    _refused(
        cli,
        database_url,
        "amap",
        "calendar",
        "generate",
        "LEG",
        "--rule",
        "list",
        "--date",
        "2027-08-03",
        field="date",
    )


def test_bad_more_cheques_than_allowed_and_split_not_adding_up(cli, database_url):
    assert cli("amap", "sub", "add", "LEG", "3", "--place", "GERLAND", "--size", "PP")[0] == 0
    _refused(cli, database_url, "amap", "pay", "plan", "1", "--cheques", "4", field="cheques")
    _refused(
        cli,
        database_url,
        "amap",
        "pay",
        "plan",
        "1",
        "--cheques",
        "3",
        "--amounts",
        "60;60;60",
        field="amounts",
    )


def test_bad_overlapping_subscription(cli, database_url):
    assert cli("amap", "sub", "add", "LEG", "3", "--place", "GERLAND", "--size", "PP")[0] == 0
    _refused(
        cli,
        database_url,
        "amap",
        "sub",
        "add",
        "LEG",
        "3",
        "--place",
        "GERLAND",
        "--size",
        "GP",
        field="member",
    )


def test_bad_co_holder_not_a_member(cli, database_url):
    _refused(
        cli,
        database_url,
        "amap",
        "sub",
        "add",
        "LEG",
        "3",
        "--place",
        "GERLAND",
        "--size",
        "PP",
        "--with",
        "9999",
        field="co-holder",
    )


def test_bad_absence_past_the_limit_or_on_a_past_date(cli, database_url):
    assert cli("amap", "sub", "add", "LEG", "3", "--place", "GERLAND", "--size", "PP")[0] == 0
    assert cli("amap", "absence", "add", "1", "2027-04-13")[0] == 0
    err = _refused(cli, database_url, "amap", "absence", "add", "1", "2027-04-20", field="date")
    assert "all used" in err
    assert cli("amap", "sub", "add", "OLD", "3", "--place", "GERLAND", "--size", "PP")[0] == 0
    err = _refused(cli, database_url, "amap", "absence", "add", "2", "2026-04-14", field="date")
    assert "past" in err


def test_bad_full_size(cli, database_url):
    for member in ("3", "6"):
        assert (
            cli("amap", "sub", "add", "LEG", member, "--place", "GERLAND", "--size", "PP")[0] == 0
        )
    err = _refused(
        cli,
        database_url,
        "amap",
        "sub",
        "add",
        "LEG",
        "7",
        "--place",
        "GERLAND",
        "--size",
        "PP",
        field="size",
    )
    assert "full" in err
    code, out, _err = cli(
        "amap",
        "sub",
        "add",
        "LEG",
        "7",
        "--place",
        "GERLAND",
        "--size",
        "PP",
        "--waiting-list",
        "--json",
    )
    assert code == 0 and json.loads(out)["status"] == "waiting"


def test_bad_editing_a_frozen_calendar(cli, database_url):
    _code, out, _err = cli(
        "amap", "sub", "add", "LEG", "3", "--place", "GERLAND", "--size", "PP", "--json"
    )
    amount = json.loads(out)["amount_cents"]
    assert cli("amap", "pay", "add", "1", f"{amount / 100:.2f}", "--means", "transfer")[0] == 0
    err = _refused(
        cli, database_url, "amap", "calendar", "cancel", "LEG", "2027-05-04", field="date"
    )
    assert "frozen" in err
    _refused(
        cli,
        database_url,
        "amap",
        "calendar",
        "generate",
        "LEG",
        "--rule",
        "list",
        "--date",
        "2027-05-05",
        field="date",
    )
    assert cli("amap", "calendar", "move", "LEG", "2027-05-04", "--to", "2027-05-06")[0] == 0


def test_bad_csv_unknown_column_or_bad_date(cli, database_url, tmp_path):
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(
        "contract;member;place;sizes;couleur\nLEG;3;GERLAND;PP;bleu\n", encoding="utf-8"
    )
    _refused(cli, database_url, "amap", "sub", "import", str(unknown), field="couleur")
    bad_date = tmp_path / "dates.csv"
    bad_date.write_text(
        "contract;member;place;sizes;start\nLEG;3;GERLAND;PP;31/02/2027\n", encoding="utf-8"
    )
    err = _refused(cli, database_url, "amap", "sub", "import", str(bad_date), field="start")
    assert "line 2" in err


def test_bad_date_text_names_the_option(cli, database_url):
    _refused(cli, database_url, "amap", "calendar", "cancel", "LEG", "2027-13-01", field="DATE")


def test_contracts_import_one_row_per_size(cli, database_url, tmp_path):
    source = tmp_path / "contrats.csv"
    source.write_text(
        "\ufeffcontrat;nom;producteur;type;début;fin;lieux;chèques;répartition;size;libellé;prix;tva\n"
        "MIEL-27;Miel 2027;RUCHER-DOMBES;fixed;03/04/2027;30/10/2027;GERLAND CROIX;1,2;equal;"
        "POT;Pot de 500 g;8,50;5,5\n"
        "MIEL-27;;;;;;;;;DUO;Deux pots;16,00;5,5\n",
        encoding="utf-8",
    )
    code, out, err = cli("amap", "contract", "import", str(source), "--json")
    assert code == 0, err
    assert json.loads(out) == {"created": ["MIEL-27"]}
    code, out, _err = cli("amap", "contract", "show", "MIEL-27", "--json")
    view = json.loads(out)
    assert [(o["code"], o["price_cents"], o["vat_bp"]) for o in view["offers"]] == [
        ("POT", 850, 550),
        ("DUO", 1600, 550),
    ]
    assert view["places"] == ["CROIX", "GERLAND"] and view["cheque_counts"] == [1, 2]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "contract;name;producer;start;end;places;size;label;price\n"
        "X-27;X;NOBODY;03/04/2027;30/10/2027;GERLAND;A;A;1,00\n",
        encoding="utf-8",
    )
    _refused(cli, database_url, "amap", "contract", "import", str(bad), field="producer")
