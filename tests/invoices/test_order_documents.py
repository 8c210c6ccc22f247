"""Producer order sheets (PDF and CSV twin) and packing lists of a grouped order: the data from
a real cycle, the PDFs, and the refusals (unknown or unfinished cycle)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.orm import Session

from coop.config import load_settings
from coop.db import make_engine
from coop.money import format_money
from coop.orders.sheets import order_sheets, packing_list

from .conftest import NOW, flat, page_texts, pages, pdf_text

PRICES = {
    "DISTRIBIO-SE": (
        "référence;désignation;unité;colisage;prix_ht;tva;minimum\n"
        "X-SAVON;Savon <de> Marseille & co 🧼;piece;3;2,50;20;\n"
        "A-PATES;Spaghetti 500 g;piece;6;1,60;5,5;\n"
        "X-LENT;Lentilles vertes vrac;kg;;3,47;5,5;\n"
    ),
    "FERME-MOULIN": (
        "référence;désignation;unité;colisage;prix_ht;tva;minimum\n"
        "M-CAROTTE;Carottes;kg;5;1,80;5,5;\n"
        "M-OEUFS;Œufs plein air;piece;6;0,35;5,5;\n"
    ),
}


def _cycle(cli, tmp_path: Path, *, close: bool = True) -> None:
    assert (
        cli(
            "orders",
            "create",
            "NOV",
            "--name",
            "Commande de novembre",
            "--supplier",
            "DISTRIBIO-SE",
            "--supplier",
            "FERME-MOULIN",
            "--opens",
            "2026-11-02 09:00",
            "--closes",
            "2026-11-06 18:00",
            "--delivery",
            "2026-11-10",
            "--place",
            "Local de la coop",
        )
        == 0
    )
    for supplier, text in PRICES.items():
        prices = tmp_path / f"{supplier}.csv"
        prices.write_bytes(text.encode("utf-8-sig"))
        assert cli("orders", "import-articles", "NOV", str(prices), "--supplier", supplier) == 0
    assert cli("orders", "open", "NOV") == 0
    from datetime import datetime

    from coop.clock import SHOP_TIMEZONE

    cli.at(datetime(2026, 11, 3, 10, 0, tzinfo=SHOP_TIMEZONE))
    # households: 1 Éric Dumont, 2 Océane Renaud, 3 Leïla Fournier
    for member, reference, quantity in (
        ("2", "X-SAVON", "2"),
        ("1", "X-SAVON", "1"),
        ("3", "A-PATES", "6"),
        ("1", "X-LENT", "1,5"),
        ("3", "X-LENT", "2"),
        ("2", "M-CAROTTE", "5"),
    ):
        assert cli("orders", "order", "NOV", member, reference, quantity) == 0
    if close:
        cli.at(datetime(2026, 11, 6, 18, 0, tzinfo=SHOP_TIMEZONE))
        assert cli("orders", "close", "NOV") == 0


def _session(cli) -> Session:
    return Session(make_engine(cli.url))


def test_order_sheet_data(cli, tmp_path):
    _cycle(cli, tmp_path)
    settings = load_settings(database_url=cli.url)
    with _session(cli) as session:
        sheets = order_sheets(session, "nov", settings=settings, printed_at=NOW, per_member=True)
    # eggs: nothing ordered, no line; the farm still has carrots
    assert [s.supplier.code for s in sheets] == ["DISTRIBIO-SE", "FERME-MOULIN"]
    bio, farm = sheets
    assert bio.reference == "NOV-DISTRIBIO-SE"
    assert (
        bio.supplier.address == ("Zone Artisanale des Plattes", "69390 Vourles")
        or bio.supplier.address
    )
    assert [line.reference for line in bio.lines] == ["A-PATES", "X-LENT", "X-SAVON"]
    pates, lentils, soap = bio.lines
    # soap: 3 wanted, case of 3 → 1 case, 3 pieces × 2,50 = 7,50 excl. VAT
    assert (soap.cases, soap.quantity_text, soap.excl_vat_cents) == (1, "3 pieces", 750)
    assert soap.packaging == "case of 3 pieces"
    assert (pates.cases, pates.excl_vat_cents) == (1, 960)  # 6 × 1,60
    # lentils by weight: 3,5 kg × 3,47 = 12,145 → 12,15
    assert (lentils.quantity_text, lentils.excl_vat_cents, lentils.packaging) == (
        "3.500\u00a0kg",
        1215,
        "per kg",
    )
    assert lentils.cases is None and bio.cases == 2
    assert [(row.rate, row.excl_vat_cents, row.vat_cents) for row in bio.vat] == [
        (5.5, 960 + 1215, round((960 + 1215) * 0.055)),
        (20, 750, 150),
    ]
    assert bio.incl_vat_cents == bio.excl_vat_cents + bio.vat_cents
    assert [line.reference for line in farm.lines] == ["M-CAROTTE"]
    # per member: named and sorted by name ignoring accents (Éric, Leïla, Océane)
    assert [pick.label for pick in bio.per_member] == [
        "Éric Dumont (1)",
        "Leïla Fournier (3)",
        "Océane Renaud (2)",
    ]
    with _session(cli) as session:
        anonymous = order_sheets(
            session,
            "NOV",
            settings=settings,
            printed_at=NOW,
            producer="distribio-se",
            per_member=True,
            anonymised=True,
        )
    assert [pick.label for pick in anonymous[0].per_member] == [
        "Household 1",
        "Household 2",
        "Household 3",
    ]
    assert anonymous[0].anonymised


def test_order_sheet_pdf_and_csv(cli, tmp_path):
    _cycle(cli, tmp_path)
    target = tmp_path / "bon.pdf"
    code, _out, err = cli.out(
        "print",
        "order-sheet",
        "NOV",
        "--producer",
        "DISTRIBIO-SE",
        "--per-member",
        "--anonymised",
        "--out",
        str(target),
    )
    assert code == 0, err
    texts = page_texts(target)
    assert len(texts) == 2  # the order, then the households' page
    text = " ".join(texts)
    for expected in (
        "Order NOV-DISTRIBIO-SE",
        "Commande de novembre",
        "Local de la coop",
        "Savon <de> Marseille & co",
        "case of 3 pieces",
        "3.500 kg",
        flat(format_money(750)),
        "Totals per VAT rate",
        "By household (anonymised)",
        "Household 3",
        "Page 2 of 2",
    ):
        assert expected in text, expected
    assert "Dumont" not in texts[1]  # anonymised
    csv_file = target.with_suffix(".csv")
    rows = csv_file.read_bytes().decode("utf-8-sig").splitlines()
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")
    assert rows[0].split(";")[:4] == ["Reference", "Article", "Packaging", "Cases"]
    assert rows[1].startswith("A-PATES;Spaghetti 500 g;case of 6 pieces;1;6 pieces;")
    # 9,60 + 12,15 + 7,50 excl. VAT; 2 cases (lentils have none)
    assert rows[-3].split(";")[3:] == ["2", "", "", "", "", "29.25"]


def test_all_order_sheets_into_a_folder(cli, tmp_path):
    _cycle(cli, tmp_path)
    folder = tmp_path / "bons"
    folder.mkdir()
    code, out, err = cli.out("print", "order-sheet", "NOV", "--out", str(folder), "--json")
    assert code == 0, err
    files = sorted(Path(item["file"]).name for item in json.loads(out))
    assert files == [
        "NOV-DISTRIBIO-SE.csv",
        "NOV-DISTRIBIO-SE.pdf",
        "NOV-FERME-MOULIN.csv",
        "NOV-FERME-MOULIN.pdf",
    ]
    assert "Carottes" in pdf_text(folder / "NOV-FERME-MOULIN.pdf")
    code, _out, err = cli.out("print", "order-sheet", "NOV", "--out", str(tmp_path / "x.pdf"))
    assert code == 2 and "must be an existing folder" in err


def test_unknown_or_unfinished_cycle_is_refused(cli, tmp_path):
    target = tmp_path / "bon.pdf"
    code, _out, err = cli.out("print", "packing", "NOPE", "--out", str(target))
    assert code == 2 and "No order cycle has the code NOPE" in err
    code, _out, err = cli.out("print", "order-sheet", "NOPE", "--out", str(tmp_path / "none"))
    assert code == 2 and "No order cycle has the code NOPE" in err  # not the folder's problem
    _cycle(cli, tmp_path, close=False)
    for args in (
        ("order-sheet", "NOV", "--producer", "FERME-MOULIN"),
        ("packing", "NOV", "--by", "matrix"),
    ):
        code, _out, err = cli.out("print", *args, "--out", str(target))
        assert code == 2 and "The order cycle NOV is not closed yet" in err
    assert not target.exists()
    assert list(tmp_path.glob("*.pdf")) == []


def test_packing_lists(cli, tmp_path):
    _cycle(cli, tmp_path)
    settings = load_settings(database_url=cli.url)
    with _session(cli) as session:
        by_article = packing_list(session, "NOV", "article", settings=settings, printed_at=NOW)
        by_household = packing_list(session, "NOV", "household", settings=settings, printed_at=NOW)
        grid = packing_list(session, "NOV", "matrix", settings=settings, printed_at=NOW)
    assert not by_article.received
    soap = next(a for a in by_article.articles if a.reference == "X-SAVON")
    # 3 soaps arrive in a case: foodsoft rounding ordered 1 case for 3 firm units
    assert [(number, quantity) for number, _name, quantity in soap.rows] == [(1, "1"), (2, "2")]
    assert soap.total_text == "3 pieces"
    names = [h.name for h in by_household.households]
    assert names == ["Éric Dumont", "Leïla Fournier", "Océane Renaud"]
    eric = by_household.households[0]
    assert [row[0] for row in eric.rows] == ["X-LENT", "X-SAVON"]
    assert eric.excl_vat_cents == sum(row[4] for row in eric.rows)
    assert eric.incl_vat_cents > eric.excl_vat_cents
    matrix = grid.matrix
    assert [h[1] for h in matrix.households] == names
    assert len(matrix.cells) == 3 and all(len(row) == len(matrix.articles) for row in matrix.cells)
    lentils = [a[0] for a in matrix.articles].index("X-LENT")
    assert [row[lentils] for row in matrix.cells] == ["1.500\u00a0kg", "2.000\u00a0kg", ""]
    assert matrix.totals[lentils] == "3.500\u00a0kg"
    for kind, title in (
        ("article", "Packing list by article, NOV"),
        ("household", "Packing list by household, NOV"),
        ("matrix", "Sorting grid, NOV"),
    ):
        target = tmp_path / f"{kind}.pdf"
        assert cli("print", "packing", "NOV", "--by", kind, "--out", str(target)) == 0
        text = pdf_text(target)
        assert pages(target) == 1
        assert title in text and "Leïla Fournier" in text
        if kind != "article":
            assert (
                text.index("Éric Dumont")
                < text.index("Leïla Fournier")
                < text.index("Océane Renaud")
            )
    article_text = pdf_text(tmp_path / "article.pdf")
    assert "X-SAVON — Savon <de> Marseille & co" in article_text
    assert (
        "to share out: 3 pieces No. Household Quantity 1 Éric Dumont 1 ☐ 2 Océane Renaud 2 ☐"
        in (article_text)
    )
    assert "Articles 1 to 4 of 4" in pdf_text(tmp_path / "matrix.pdf")


def test_packing_list_of_one_supplier(cli, tmp_path):
    _cycle(cli, tmp_path)
    settings = load_settings(database_url=cli.url)
    with _session(cli) as session:
        farm = packing_list(
            session,
            "NOV",
            "household",
            settings=settings,
            printed_at=NOW,
            producer="ferme-moulin",
        )
        grid = packing_list(
            session, "NOV", "matrix", settings=settings, printed_at=NOW, producer="FERME-MOULIN"
        )
    assert [(h.number, [row[0] for row in h.rows]) for h in farm.households] == [(2, ["M-CAROTTE"])]
    # 5 kg of carrots at 1,80 = 9,00 excl. VAT; 5,5 % → 9,50
    assert (farm.households[0].excl_vat_cents, farm.households[0].incl_vat_cents) == (900, 950)
    assert [a[0] for a in grid.matrix.articles] == ["M-CAROTTE"]
    code, _out, err = cli.out(
        "print", "packing", "NOV", "--producer", "NOPE", "--out", str(tmp_path / "x.pdf")
    )
    assert code == 2 and "The supplier NOPE is not part of the order cycle NOV" in err
