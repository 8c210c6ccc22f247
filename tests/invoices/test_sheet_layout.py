"""Where the sheets broke on paper: words wider than their column (the sign-in sheet's
"responsable" split, "sans réservation" over the phone column), "1 janvier" for "1er janvier"
and the attestation's "Fait à <ville>", two VAT summary columns both headed "TVA", "33 / cl"
wrapped on the 80 mm receipt, and the anonymised order sheet's key for the coordinator. Widths
are measured with ReportLab's own string widths; the PDFs are read back with pypdf."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from coop import paths
from coop.clock import SHOP_TIMEZONE
from coop.dates import format_date
from coop.i18n import _, set_language
from coop.shifts.documents import kind_text, role_text
from coop.units import NBSP, keep_units_together
from invoices.base import styles
from invoices.signin import WIDTHS_MM

from .conftest import pdf_text
from .test_order_documents import _cycle
from .test_shift_documents import _shifts
from .test_till_documents import _sell

PADDING = 6  # points: a table cell's left and right padding (invoices.base.cell)


@pytest.fixture(params=["fr", "en"])
def language(request):
    set_language(request.param)
    yield request.param
    set_language("fr")


def _fits(word: str, column_mm: float, style: str) -> bool:
    sheet = styles()[style]
    return pdfmetrics.stringWidth(word, sheet.fontName, sheet.fontSize) <= column_mm * mm - PADDING


def test_every_word_of_the_sign_in_sheet_fits_its_column(language):
    headers = [_("No."), _("Name"), _("Role"), _("Booking"), _("Phone"), _("Arrival")]
    headers += [_("Departure"), _("Signature")]
    for header, width in zip(headers, WIDTHS_MM, strict=True):
        for word in header.split():
            assert _fits(word, width, "CellBold"), (header, width)
    for role in ("shift_leader", "cashier"):
        for word in role_text(role).split():
            assert _fits(word, WIDTHS_MM[2], "Cell"), role_text(role)
    for kind in ("regular", "flying", "makeup", "walk_in"):  # on one line
        assert _fits(kind_text(kind), WIDTHS_MM[3], "Cell"), kind_text(kind)
    assert _fits("06 12 34 56 78", WIDTHS_MM[4], "Cell")
    assert sum(WIDTHS_MM) <= 180  # A4 less the margins


def test_the_sign_in_sheet_keeps_roles_and_walk_ins_whole(cli, tmp_path):
    _shifts(cli)
    shift = cli.data("shifts", "list", "--from", "2026-11-24", "--to", "2026-11-24")[0]["id"]
    cli.at(datetime(2026, 11, 24, 12, tzinfo=SHOP_TIMEZONE))
    assert cli("shifts", "attend", str(shift), "57", "--state", "attended", "--walk-in") == 0
    target = tmp_path / "emargement.pdf"
    assert cli("--lang", "fr", "print", "sign-in", "--day", "2026-11-24", "--out", str(target)) == 0
    lines = PdfReader(target).pages[0].extract_text().splitlines()
    walk_in = next(line for line in lines if "réservation" in line)
    assert "sans réservation" in walk_in  # one cell, on one line, not across the phone column


def test_french_writes_the_first_of_the_month_1er():
    assert format_date(date(2026, 1, 1), "long", "fr") == "1er janvier 2026"
    assert format_date(date(2026, 1, 1), "full", "fr") == "jeudi 1er janvier 2026"
    assert format_date(date(2026, 1, 11), "long", "fr") == "11 janvier 2026"
    assert format_date(date(2026, 1, 1), "short", "fr") == "01/01/2026"
    assert format_date(date(2026, 1, 1), "long", "en") == "1 January 2026"


def test_the_attestation_is_done_in_the_coops_town_on_the_1er(cli, tmp_path):
    _shifts(cli)
    config = paths.config_file()
    config.write_text('coop_city = "Villeurbanne"\n' + config.read_text("utf-8"), "utf-8")
    shift = cli.data("shifts", "list", "--from", "2026-11-24", "--to", "2026-11-24")[0]["id"]
    cli.at(datetime(2026, 11, 24, 12, tzinfo=SHOP_TIMEZONE))
    assert cli("shifts", "attend", str(shift), "3", "--state", "attended") == 0
    target = tmp_path / "attestation.pdf"
    code, _out, err = cli.out(
        "--lang",
        "fr",
        "print",
        "attestation",
        "3",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--out",
        str(target),
    )
    assert code == 0, err
    text = pdf_text(target)
    assert "du 1er novembre 2026 au 30 novembre 2026" in text
    assert "Fait à Villeurbanne, le" in text


def test_the_a4_receipts_vat_summary_has_distinct_headings(cli, tmp_path):
    sale = _sell(cli)
    target = tmp_path / "ticket.pdf"
    assert cli("--lang", "fr", "print", "receipt", str(sale["number"]), "--out", str(target)) == 0
    assert "Taux HT TVA TTC" in pdf_text(target)
    assert "TVA HT TVA TTC" not in pdf_text(target)


def test_a_number_and_its_unit_never_part_on_the_80_mm_receipt(cli, tmp_path):
    assert keep_units_together("Bière blonde 33 cl") == f"Bière blonde 33{NBSP}cl"
    assert keep_units_together("Riz 1,5 kg, 2 g de sel") == f"Riz 1,5{NBSP}kg, 2{NBSP}g de sel"
    assert keep_units_together("Avocats Hass ×2 lot 3 gros") == "Avocats Hass ×2 lot 3 gros"
    sale = _sell(cli)
    target = tmp_path / "ticket.pdf"
    assert cli("print", "receipt", str(sale["number"]), "--narrow", "--out", str(target)) == 0
    text = PdfReader(target).pages[0].extract_text()
    assert "cl" in text
    assert not re.search(r"33\s*\n\s*cl", text), text  # "Consigne bouteille 33 / cl" before


def test_the_anonymised_order_sheet_comes_with_the_coordinators_key(cli, tmp_path):
    _cycle(cli, tmp_path)
    target = tmp_path / "bon.pdf"
    code, out, err = cli.out(
        "--lang",
        "fr",
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
    key = tmp_path / "bon-cle-foyers.csv"
    assert str(key) in out
    rows = [row.split(";") for row in key.read_bytes().decode("utf-8-sig").splitlines()]
    assert rows[0] == ["Libellé sur le bon", "N° de membre", "Foyer"]
    sheet = pdf_text(target)
    for label, number, name in rows[1:]:
        assert label in sheet  # "Foyer 1" on the supplier's sheet...
        assert name not in sheet and name not in target.with_suffix(".csv").read_text("utf-8-sig")
        assert number.isdigit()
    assert len(rows) > 2
    plain = tmp_path / "nominatif.pdf"
    assert (
        cli(
            "print",
            "order-sheet",
            "NOV",
            "--producer",
            "DISTRIBIO-SE",
            "--per-member",
            "--out",
            str(plain),
        )
        == 0
    )
    assert not list(tmp_path.glob("nominatif*key*")) and not list(tmp_path.glob("nominatif*cle*"))
