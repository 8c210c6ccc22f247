"""`coop till`, `coop stock`, `coop accounts` and `coop barcodes` end to end, in-process, on the
sample catalogue and members, with the commands' clock set by the test."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from coop.cli.main import main
from coop.clock import SHOP_TIMEZONE
from coop.db import make_engine
from coop.nomenclature import DEFAULT_RULES, embed_value

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
BEER = "3766469236639"  # Bière blonde 33 cl, 2,60 € + a 0,10 € bottle
APPLES = "2101001000001"  # Pommes Golden, 3,20 €/kg
BREAD = "PAIN-CAMP-1KG"  # 5,80 €
BOTTLE = "2000000000015"


@pytest.fixture
def cli(database_url, monkeypatch, capsys):
    now = {"value": datetime(2026, 11, 21, 9, 0, tzinfo=SHOP_TIMEZONE)}
    from coop.cli import accounts as accounts_cli
    from coop.cli import context as context_module
    from coop.cli import stock as stock_cli
    from coop.cli import till as till_cli

    original = context_module.context_from

    def with_clock(args):
        context = original(args)
        context.clock = lambda: now["value"]
        return context

    for module in (till_cli, stock_cli, accounts_cli):
        monkeypatch.setattr(module, "context_from", with_clock)

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

    def later(**delta: int) -> None:
        now["value"] += timedelta(**delta)

    run.out = out  # type: ignore[attr-defined]
    run.data = data  # type: ignore[attr-defined]
    run.later = later  # type: ignore[attr-defined]
    run.url = database_url  # type: ignore[attr-defined]
    for kind in ("members", "producers", "products"):
        assert run("import", kind, str(SAMPLE / f"{kind}.csv")) == 0
    capsys.readouterr()
    return run


def test_a_day_from_the_command_line(cli, tmp_path):
    assert cli("till", "open", "--coins", "20x2 10x4 5x4 2x10 1x10 0,50x10") == 0
    label = embed_value(DEFAULT_RULES[2], APPLES, 1234)
    # 2 beers + 2 bottles 5,40; apples 1,234 kg 3,95; bread 5,80 = 15,15
    first = cli.data(
        "till",
        "sell",
        f"{BEER}:2",
        label,
        BREAD,
        "--member",
        "42",
        "--pay",
        "card=10",
        "--pay",
        "cash=20",
    )
    assert (first["number"], first["total_cents"], first["change_cents"]) == (1, 1515, 1485)
    basket = tmp_path / "panier.json"
    basket.write_text(
        json.dumps(
            {
                "member": "42",
                "items": [{"code": BREAD, "discount": {"reason": "damaged", "percent": "10"}}],
                "returns": [{"code": BOTTLE, "count": 2}],
                "top_up": "20,00",
                "payments": [{"means": "cheque", "amount": "25,02", "reference": "n° 1234"}],
                "token": "basket-0002",
            }
        ),
        encoding="utf-8",
    )
    # bread 5,80 − 0,58 = 5,22; 2 bottles back −0,20; top-up 20,00 → 25,02 by cheque
    second = cli.data("till", "sell", "--file", str(basket))
    assert (second["number"], second["total_cents"]) == (2, 2502)
    assert second["account_balance_cents"] == 2000
    code, _out, err = cli.out("till", "sell", "--file", str(basket))
    assert code == 2 and "already committed as sale 2" in err
    third = cli.data("till", "sell", BEER, "--member", "42", "--pay", "account=2,70")
    assert third["account_balance_cents"] == 1730
    refund = cli.data(
        "till",
        "sell",
        "--refund",
        "1/1:1",
        "--refund",
        "1/2:1",
        "--member",
        "42",
        "--pay",
        "cash=-2,70",
    )
    assert refund["total_cents"] == -270
    cli.later(hours=3)
    # expected: 135 + 20 − 14,85 − 2,70 = 137,45; counted 137,40
    closed = cli.data("till", "close", "--cash", "137,40", "--z")
    assert (closed["expected_cents"], closed["difference_cents"]) == (13745, -5)
    assert closed["z"]["total"] == 1515 + 502 + 270 - 270 and closed["z"]["provisional"] is False
    report = cli.data("till", "report", "--day", "2026-11-21", "--till", "CAISSE-1")
    assert report["sale_count"] == 4 and report["top_ups"] == 2000
    assert report["sessions"][0]["counted_cents"] == 13740
    closures = cli.data("till", "closures")
    assert [(c["period"], c["number"]) for c in closures] == [("day", 1)]
    assert cli("till", "verify") == 0
    shown = cli.data("till", "sale", "2")
    assert shown["lines"][0]["amount_cents"] == 522 and shown["hash"]
    code, _out, _err = cli.out("till", "sell", BEER, "--member", "42", "--pay", "cash=5")
    assert code == 2  # the session is closed


def test_verify_names_the_first_broken_record(cli):
    cli("till", "open", "--cash", "100")
    for _ in range(3):
        assert cli("till", "sell", BREAD, "--member", "42", "--pay", "cash=5,80") == 0
    engine = make_engine(cli.url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP TRIGGER sale_lines_inalterable ON sale_lines"))
        else:
            connection.execute(text("DROP TRIGGER sale_lines_no_update"))
        connection.execute(
            text(
                "UPDATE sale_lines SET label = 'Pain rassis'"
                " WHERE sale_id = (SELECT id FROM sales WHERE number = 2)"
            )
        )
    engine.dispose()
    code, out, _err = cli.out("till", "verify")
    assert code == 3
    assert "record 2 (sale 2) is the first broken one" in out
    [verdict] = cli.out("till", "verify", "--json")[1:2]
    assert json.loads(verdict)[0]["broken"]["reason"] == "rows_mismatch"


def test_archive_and_its_check(cli, tmp_path):
    cli("till", "open", "--cash", "100")
    cli("till", "sell", BREAD, "--member", "42", "--pay", "cash=5,80")
    cli.later(hours=2)
    cli("till", "close", "--cash", "105,80", "--z")
    folder = tmp_path / "archive-2026-11"
    manifest = cli.data(
        "till", "archive", "--from", "2026-11-01", "--to", "2026-11-30", "--out", str(folder)
    )
    assert manifest["tills"][0]["records"] == 2
    assert {f["name"] for f in manifest["files"]} == {
        "journal.jsonl",
        "sales.csv",
        "sale_lines.csv",
        "payments.csv",
        "closures.csv",
        "sessions.csv",
    }
    assert cli("till", "verify", "--archive", str(folder)) == 0
    code, _out, err = cli.out(
        "till", "archive", "--from", "2026-11-01", "--to", "2026-11-30", "--out", str(folder)
    )
    assert code == 2 and "new folder" in err
    journal = folder / "journal.jsonl"
    journal.write_text(journal.read_text().replace('"total":580', '"total":480'))
    code, out, _err = cli.out("till", "verify", "--archive", str(folder))
    assert code == 3 and "journal.jsonl" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["3017620422004", "--pay", "cash=5"], "check digit"),
        ([BREAD, "--pay", "cash=5,79"], "missing"),
        ([BREAD, "--pay", "card=5,81"], "too much"),
        ([BREAD + ":0", "--pay", "cash=5"], "more than zero"),
        ([APPLES + ":2", "--pay", "cash=5"], "sold by weight"),
        (["--refund", "9/1", "--pay", "cash=-1"], "no sale number 9"),
        ([BREAD, "--pay", "bitcoin=5,80"], "MEANS=AMOUNT"),
        ([BREAD, "--pay", "account=5,80"], "Not enough credit"),
        ([BREAD, "--pay", "cash=5,8,0"], "not an amount"),
        (["&é\"'(-è_çà" * 20, "--pay", "cash=5"], "far too long"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(cli, args, message):
    cli("till", "open", "--cash", "100")
    code, _out, err = cli.out("till", "sell", "--member", "42", *args)
    assert code == 2, err
    assert message in err and "Traceback" not in err
    assert cli.data("till", "list")[0]["last_sale"] == 0


def test_closing_a_closed_session_exits_2(cli):
    cli("till", "open", "--cash", "100")
    assert cli("till", "close", "--cash", "100") == 0
    code, _out, err = cli.out("till", "close", "--cash", "100")
    assert code == 2 and "no open session" in err
    code, _out, err = cli.out("till", "open", "--coins", "20x3 0,03x1")
    assert code == 2 and "not a euro coin" in err


def test_stock_from_the_command_line(cli, tmp_path):
    receipt = tmp_path / "bl.csv"
    receipt.write_text(
        f"produit;quantité;coût_ht\n{BEER};48;1,79\n{APPLES};12,5;2,40\n", encoding="utf-8"
    )
    result = cli.data("stock", "receive", str(receipt), "--supplier", "BRASSERIE-CANUTS")
    # 48 × 1,79 = 85,92; 12,5 kg × 2,40 = 30,00
    assert result["value_cents"] == 8592 + 3000
    bad = tmp_path / "mauvais.csv"
    bad.write_text(f"produit;quantité\n{BEER};1,5\n", encoding="utf-8")
    code, _out, err = cli.out("stock", "receive", str(bad))
    assert code == 2 and "line 2" in err
    assert cli("stock", "loss", BEER, "2", "--reason", "damaged") == 0
    assert cli("stock", "set", BEER, "--minimum", "50", "--lead-time", "2") == 0
    low = cli.data("stock", "list", "--low")
    assert [p["product"] for p in low["products"]] == [BEER]
    assert low["products"][0]["quantity"] == 46
    cli("till", "open", "--cash", "100")
    cli("till", "sell", f"{BEER}:6", "--member", "42", "--pay", "cash=16,20")
    levels = {p["product"]: p["quantity"] for p in cli.data("stock", "list")["products"]}
    assert levels[BEER] == 40 and levels[APPLES] == 12500
    assert cli("stock", "inventory", "start", "--label", "novembre") == 0
    assert cli("stock", "inventory", "count", BEER, "38", APPLES, "12,4") == 0
    closed = cli.data("stock", "inventory", "close")
    # valued at the catalogue cost: beer −2 × 1,79 = −3,58; apples −100 g × 2,57 €/kg
    # = −0,257 → −0,26 (the receipt's 2,40 was not made the catalogue cost: no --update-cost)
    assert closed["loss_cents"] == -358 - 26
    history = cli.data("stock", "history", BEER)
    assert history["quantity"] == 38
    assert [m["kind"] for m in history["moves"]][:2] == ["inventory", "sale"]
    cli.later(days=1)
    reorder = cli.data("stock", "reorder")
    # 6 beers in 28 days: 6/28 a day × (2 + 14) days = 3,43 → 4, + minimum 50 − 38 = 16
    assert [(r["product"], r["suggested"]) for r in reorder] == [(BEER, 16)]


def test_stock_history_reads_in_words_at_the_shops_time(cli, tmp_path):
    """Kinds and reasons in words, weighed goods in kg, the shop's local time (not codes, grams
    or UTC): 9:00 in Lyon in November is 08:00 UTC."""
    receipt = tmp_path / "bl.csv"
    receipt.write_text(f"produit;quantité\n{APPLES};12,5\n", encoding="utf-8")
    assert cli("stock", "receive", str(receipt), "--supplier", "BRASSERIE-CANUTS") == 0
    assert cli("stock", "loss", APPLES, "0,750", "--reason", "expired", "--note", "tavelées") == 0
    code, out, _err = cli.out("--lang", "fr", "stock", "history", APPLES)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith("11,750 kg en stock")
    assert "21/11/2026 09:00" in lines[1] and "perte" in lines[1]
    assert "-0,750 kg" in lines[1] and "périmé tavelées" in lines[1]
    assert "reçu" in lines[2] and "12,500 kg" in lines[2]
    for code_word in ("expired", "loss", "receipt", "12500", "T08:00"):
        assert code_word not in out
    code, out, _err = cli.out("--lang", "en", "stock", "history", APPLES)
    assert "loss" in out and "out of date tavelées" in out and "received" in out


def invoice_lines(folder):
    """An invoice's lines file: 2,5 kg of carrots at 2,40 €/kg (6,00 €), 3 soaps at 3,99 €."""
    lines = folder / "facture.json"
    lines.write_text(
        json.dumps(
            [
                {"label": "Carottes", "grams": 2500, "unit_price": "2,40", "vat_rate": "5,5"},
                {"label": "Savon", "quantity": 3, "unit_price": "3,99", "vat_rate": "20"},
            ]
        ),
        encoding="utf-8",
    )
    return lines


def test_accounts_from_the_command_line(cli, tmp_path):
    assert cli("accounts", "top-up", "42", "50,00", "--means", "transfer") == 0
    lines = invoice_lines(tmp_path)
    invoice = cli.data("accounts", "invoice", "42", str(lines), "--reference", "Commande mars")
    assert (invoice["code"], invoice["incl_vat_cents"]) == ("FA-000001", 600 + 1197)
    note = cli.data("accounts", "credit-note", "FA-000001", "--line", "2:1", "--reason", "cassé")
    assert (note["code"], note["incl_vat_cents"]) == ("AV-000001", 399)
    shown = cli.data("accounts", "show", "42")
    assert shown["balance_cents"] == 5000 - 1797 + 399
    assert [m["kind"] for m in shown["movements"]] == ["credit_note", "invoice", "top_up"]
    code, _out, err = cli.out(
        "accounts", "withdraw", "42", "100", "--means", "cash", "--reason", "trop"
    )
    assert code == 2 and "holds only" in err
    listed = cli.data("accounts", "list", "--nonzero")
    assert listed["total_cents"] == 3602
    assert [i["code"] for i in cli.data("accounts", "invoices")] == ["AV-000001", "FA-000001"]


def test_a_weighed_line_is_shown_and_credited_in_kg(cli, tmp_path):
    """`--line N:QTY` takes kg on a weighed line (``1`` was one gram, a 0,00 € credit note), and
    an invoice shows "2,500 kg", not 2500."""
    lines = invoice_lines(tmp_path)
    assert cli("accounts", "invoice", "42", str(lines), "--no-charge") == 0
    code, out, _err = cli.out("--lang", "fr", "accounts", "invoices", "--show", "FA-000001")
    assert code == 0 and "2,500 kg" in out and "2500" not in out and "3 ×" in out
    note = cli.data("accounts", "credit-note", "FA-000001", "--line", "1:1", "--reason", "abîmées")
    # 1 kg of 2,5 kg at 2,40 €/kg: 2,40 €
    assert (note["lines"][0]["quantity"], note["incl_vat_cents"]) == (1000, 240)
    note = cli.data("accounts", "credit-note", "FA-000001", "--line", "1:500g", "--reason", "x")
    assert note["incl_vat_cents"] == 120
    code, _out, err = cli.out(
        "--lang", "fr", "accounts", "credit-note", "FA-000001", "--line", "1:1,5", "--reason", "x"
    )
    assert code == 2 and "ligne 1 : plus que ce qui a été facturé, il reste 1,000 kg" in err
    assert "quantity" not in err
    code, _out, err = cli.out(
        "--lang", "fr", "accounts", "credit-note", "FA-000001", "--line", "2:0,5", "--reason", "x"
    )
    assert code == 2 and "n’est pas un nombre entier de pièces" in err


def test_barcodes_from_the_command_line(cli):
    rules = cli.data("barcodes", "list")
    assert [r["priority"] for r in rules] == [10, 20, 30, 40, 50, 51, 90, 91, 92]
    assert (
        cli(
            "barcodes",
            "set",
            "Weighed goods",
            "--kind",
            "weight",
            "--priority",
            "30",
            "--pattern",
            "26.....{NNDDD}",
        )
        == 0
    )
    assert cli.data("barcodes", "list")[2]["pattern"] == "26.....{NNDDD}"
    code, _out, _err = cli.out(
        "barcodes", "set", "Bad", "--kind", "weight", "--priority", "1", "--pattern", "26{XX}"
    )
    assert code == 2
    found = cli.data("barcodes", "scan", BEER, BREAD)
    assert [f["product"]["name"] for f in found] == ["Bière blonde 33 cl", "Pain de campagne 1 kg"]
    assert cli("till", "price-rule", "set", "solidarity", "--percent-off", "10") == 0
    assert cli.data("till", "price-rule", "list") == [
        {
            "category": "solidarity",
            "code": "solidarity",
            "percent_off": "10",
            "rounding": "ROUND_HALF_UP",
        }
    ]


def test_amounts_taken_out_need_no_minus_sign(cli):
    """A leading minus reads as an option on a command line: --out, --remove, --debit."""
    cli("till", "open", "--cash", "100")
    assert cli("till", "cash", "--out", "40,00", "--reason", "safe_drop", "--note", "coffre") == 0
    assert cli("till", "cash", "--in", "5,00", "--reason", "float_top_up") == 0
    closed = cli.data("till", "close", "--cash", "65")
    assert (closed["expected_cents"], closed["difference_cents"]) == (6500, 0)
    assert cli("stock", "add", BREAD, "10") == 0
    assert cli("stock", "correct", BREAD, "--remove", "3", "--note", "compté") == 0
    assert cli.data("stock", "history", BREAD)["quantity"] == 7
    assert cli("accounts", "top-up", "42", "10", "--means", "cash") == 0
    assert cli("accounts", "adjust", "42", "--debit", "2,50", "--reason", "erreur") == 0
    assert cli.data("accounts", "show", "42")["balance_cents"] == 750


def test_the_chain_head_printed_on_paper_is_checked(cli):
    import re

    cli("till", "open", "--cash", "100")
    code, receipt, _err = cli.out("till", "sell", BREAD, "--member", "42", "--pay", "cash=5,80")
    assert code == 0
    head = re.search(r"Journal: (\d+):([0-9a-f]{12})", receipt)
    assert head is not None, receipt
    cli.later(hours=2)
    code, z_text, _err = cli.out("till", "close", "--cash", "105,80", "--z")
    z_head = re.search(r"Journal: (\d+):([0-9a-f]{12})", z_text)
    assert z_head is not None and int(z_head.group(1)) == int(head.group(1)) + 1
    for printed in (head, z_head):
        anchor = f"{printed.group(1)}:{printed.group(2)}"
        assert cli("till", "verify", "--till", "CAISSE-1", "--anchor", anchor) == 0
    wrong = f"{head.group(1)}:{'0' * 12}"
    code, out, _err = cli.out("till", "verify", "--till", "CAISSE-1", "--anchor", wrong)
    assert code == 3 and "record 1" in out
    code, _out, err = cli.out("till", "verify", "--anchor", "x")
    assert code == 2 and "--anchor" in err


def test_inventory_account_and_price_rule_lines_read_as_words(cli):
    """README tour: a weighed count in kg (not grams), a movement at the shop's local time (not
    UTC ISO), a price rule's category and rounding in words (not `solidarity`, `ROUND_HALF_UP`)."""
    assert cli("stock", "inventory", "start", "--label", "vrac") == 0
    assert cli("stock", "inventory", "count", APPLES, "12,4", BEER, "3") == 0
    code, out, _err = cli.out("stock", "inventory", "close")
    assert code == 0
    apples = next(line for line in out.splitlines() if "Pommes" in line)
    assert apples.split()[2:8] == ["12.400", "kg", "0.000", "kg", "+12.400", "kg"]
    assert "12400" not in out and "Counted" in out
    assert cli("accounts", "top-up", "42", "50,00", "--means", "transfer") == 0
    code, out, _err = cli.out("accounts", "show", "42")
    assert code == 0 and "21/11/2026 09:00  top-up" in out and "T08:00" not in out
    code, out, _err = cli.out(
        "--lang", "fr", "till", "price-rule", "set", "solidarity", "--percent-off", "10"
    )
    assert code == 0 and "Catégorie solidaire" in out and "la moitié vers le haut" in out
    assert "ROUND_HALF_UP" not in out and "solidarity" not in out
    code, out, _err = cli.out("--lang", "fr", "till", "price-rule", "list")
    assert out.split()[:3] == ["solidaire", "10", "%"] and "ROUND" not in out
