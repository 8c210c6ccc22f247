"""`coop orders ...` from the command line, on SQLite and PostgreSQL: a whole cycle, and every
bad input refused with exit code 2 and nothing changed."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from coop.accounts.models import MemberAccount
from coop.cli.main import main
from coop.clock import SHOP_TIMEZONE
from coop.db import make_engine
from coop.members.models import Member
from coop.stock.models import StockLevel

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
PRICE_LIST = (
    "référence;désignation;unité;colisage;prix_ht;tva;minimum\n"
    "DB432039;Spaghetti 500 g;piece;6;1,60;5,5;\n"  # a catalogue product (its supplier_ref)
    "X-SAVON;Savon de Marseille;piece;3;2,50;20;\n"
    "X-LENT;Lentilles vertes vrac;kg;;3,47;5,5;\n"
)


@pytest.fixture
def cli(database_url, monkeypatch, capsys):
    now = {"value": datetime(2026, 11, 2, 10, 0, tzinfo=SHOP_TIMEZONE)}
    from coop.cli import context as context_module
    from coop.cli import orders as orders_cli

    original = context_module.context_from

    def with_clock(args):
        context = original(args)
        context.clock = lambda: now["value"]
        return context

    monkeypatch.setattr(orders_cli, "context_from", with_clock)

    def run(*args: str) -> int:
        return main(["--database", database_url, *args])

    def out(*args: str):
        capsys.readouterr()
        code = run(*args)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    def data(*args: str):
        code, stdout, stderr = out(*args, "--json")
        assert code == 0, stderr
        return json.loads(stdout)

    def at(text: str) -> None:
        now["value"] = datetime.fromisoformat(text).replace(tzinfo=SHOP_TIMEZONE)

    run.out = out  # type: ignore[attr-defined]
    run.data = data  # type: ignore[attr-defined]
    run.at = at  # type: ignore[attr-defined]
    run.url = database_url  # type: ignore[attr-defined]
    for kind in ("members", "producers", "products"):
        assert run("import", kind, str(SAMPLE / f"{kind}.csv")) == 0
    capsys.readouterr()
    return run


def start(cli, tmp_path: Path) -> None:
    prices = tmp_path / "tarif.csv"
    prices.write_bytes(PRICE_LIST.encode("utf-8-sig"))
    assert (
        cli(
            "orders",
            "create",
            "NOV",
            "--name",
            "Commande de novembre",
            "--supplier",
            "DISTRIBIO-SE",
            "--opens",
            "2026-11-02 09:00",
            "--boxfill",
            "2026-11-05 12:00",
            "--closes",
            "06/11/2026 18h00",
            "--delivery",
            "2026-11-10",
            "--place",
            "Local de la coop",
        )
        == 0
    )
    assert cli("orders", "import-articles", "NOV", str(prices), "--supplier", "DISTRIBIO-SE") == 0
    assert cli("orders", "open", "NOV") == 0


def test_a_whole_cycle_from_the_command_line(cli, tmp_path):
    start(cli, tmp_path)
    cli.at("2026-11-02 10:00")
    first = cli.data("orders", "order", "NOV", "1", "DB432039", "4", "--tolerance", "2")
    assert (first["cases"], first["missing_units"]) == (1, 0)
    cli.at("2026-11-02 11:00")
    cli.data("orders", "order", "NOV", "2", "DB432039", "5")
    cli.data("orders", "order", "NOV", "3", "DB432039", "3", "--tolerance", "1")
    cli.data("orders", "order", "NOV", "2", "X-SAVON", "2", "--tolerance", "1")
    lentils = cli.data("orders", "order", "NOV", "3", "X-LENT", "1,5")
    assert lentils["quantity"] == 1500
    cli.at("2026-11-06 18:00")
    closed = cli.data("orders", "close", "NOV")
    spaghetti = next(a for a in closed["articles"] if a["reference"] == "DB432039")
    # Q = 12, T = 3, U = 6 → 2 cases; soap Q = 2, T = 1, U = 3 → 1 case
    assert (spaghetti["quantity"], spaghetti["tolerance"], spaghetti["cases"]) == (12, 3, 2)
    assert cli("orders", "send", "NOV") == 0
    # 10 spaghetti arrive: FIFO 4, 5, 1 (member 3 ordered last); the soap as ordered
    delivery = tmp_path / "livraison.csv"
    delivery.write_text("référence;quantité\nDB432039;10\nX-LENT;1,5\n", encoding="utf-8")
    cli.at("2026-11-10 09:00")
    received = cli.data("orders", "receive", "NOV", "--file", str(delivery))
    lines = {
        (m["number"], line["reference"]): line["allocated"]
        for m in received["members"]
        for line in m["lines"]
    }
    assert lines == {
        (1, "DB432039"): 4,
        (2, "DB432039"): 5,
        (3, "DB432039"): 1,
        (2, "X-SAVON"): 3,
        (3, "X-LENT"): 1500,
    }
    # the coordinator gives member 3 two spaghetti, member 2 then gets 4
    assert cli("orders", "correct", "NOV", "DB432039", "3", "2", "--note", "accord") == 0
    assert cli("orders", "allocate", "NOV", "--strategy", "proportional") == 0
    code, said, _err = cli.out("--lang", "fr", "orders", "allocate", "NOV", "--strategy", "fifo")
    assert said == "Répartition refaite avec la stratégie premier arrivé, premier servi.\n"
    assert cli("orders", "allocate", "NOV", "--strategy", "proportional") == 0
    view = cli.data("orders", "show", "NOV")
    lines = {
        (m["number"], line["reference"]): (line["allocated"], line["pinned"])
        for m in view["members"]
        for line in m["lines"]
    }
    # 8 left for firm 4 and 5: shares 3.56, 4.44 → 3, 4; 1 left to the larger remainder (4)
    assert lines[(3, "DB432039")] == (2, True)
    assert lines[(1, "DB432039")][0] + lines[(2, "DB432039")][0] == 8
    # 22 more spaghetti than ordered would be refused; 14 arrive: 2 go to the shop's stock
    cli.at("2026-11-10 10:00")
    code, _out, err = cli.out("orders", "receive", "NOV", "DB432039=25")
    assert code == 2 and "more than twice" in err
    view = cli.data("orders", "receive", "NOV", "DB432039=14")
    spaghetti = next(a for a in view["articles"] if a["reference"] == "DB432039")
    # households take firm 4 + 5 + pinned 2 = 11, tolerance 2 of member 1 → 13; 1 to stock
    assert (spaghetti["received"], spaghetti["allocated"], spaghetti["to_stock"]) == (14, 13, 1)
    settled = cli.data("orders", "settle", "NOV")
    assert [c["invoice"] for c in settled["invoices"]] == ["FA-000001", "FA-000002", "FA-000003"]
    rec = settled["reconciliation"]
    assert rec["supplier_incl_vat_cents"] == (
        rec["members_incl_vat_cents"]
        + rec["surplus_incl_vat_cents"]
        + rec["rounding_incl_vat_cents"]
    )
    engine = make_engine(cli.url)
    with engine.connect() as connection:
        balances = dict(
            connection.execute(
                select(Member.number, MemberAccount.balance_cents).join(
                    MemberAccount, MemberAccount.member_id == Member.id
                )
            ).all()
        )
        stock = connection.execute(select(StockLevel.quantity)).scalars().all()
    engine.dispose()
    charged = {c["member_number"]: c["incl_vat_cents"] for c in settled["invoices"]}
    assert balances == {number: -amount for number, amount in charged.items()}
    assert stock == [1]


def test_bad_input_exits_2_and_changes_nothing(cli, tmp_path):
    start(cli, tmp_path)

    def refused(message: str, *args: str) -> None:
        before = cli.data("orders", "show", "NOV")
        code, _out, err = cli.out("orders", *args)
        assert code == 2, err
        assert message in err and "Traceback" not in err
        assert cli.data("orders", "show", "NOV") == before

    cli.at("2026-11-02 08:59")
    refused("possible from", "order", "NOV", "1", "DB432039", "1")
    cli.at("2026-11-02 10:00")
    refused("cannot be negative", "order", "NOV", "1", "DB432039", "-1")
    refused("cannot be negative", "order", "NOV", "1", "DB432039", "1", "--tolerance", "-1")
    refused("sold by weight: no tolerance", "order", "NOV", "1", "X-LENT", "1", "--tolerance", "1")
    refused("no article NOPE", "order", "NOV", "1", "NOPE", "1")
    bad = tmp_path / "inconnu.csv"
    bad.write_text(
        "référence;désignation;unité;prix_ht;tva;produit\nZ1;Inconnu;piece;1,00;5,5;9999999999994\n",
        encoding="utf-8",
    )
    refused(
        "inconnu.csv, line 2, column “produit”",
        "import-articles",
        "NOV",
        str(bad),
        "--supplier",
        "DISTRIBIO-SE",
    )
    assert cli("orders", "order", "NOV", "1", "DB432039", "3") == 0
    assert cli("orders", "order", "NOV", "2", "DB432039", "3") == 0
    cli.at("2026-11-05 12:01")
    refused("Box-fill phase", "order", "NOV", "2", "DB432039", "2")
    cli.at("2026-11-06 18:00")
    refused("possible from", "order", "NOV", "2", "DB432039", "4")
    refused("only a sent order", "receive", "NOV", "DB432039=6")
    assert cli("orders", "close", "NOV") == 0
    refused("cannot be closed again", "close", "NOV")
    assert cli("orders", "send", "NOV") == 0
    refused("more than twice the order", "receive", "NOV", "DB432039=13")
    refused("no article NOPE", "receive", "NOV", "NOPE=1")
    refused("cannot be settled yet", "settle", "NOV")
