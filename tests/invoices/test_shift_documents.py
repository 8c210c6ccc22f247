"""The day's shift sign-in sheet: data (shifts in order, people sorted ignoring accents, blank
rows) and the PDF; refusals."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from coop.config import load_settings
from coop.db import make_engine
from coop.shifts.documents import WALK_IN_ROWS, sign_in_sheet

from .conftest import NOW, pages, pdf_text

TUESDAY = date(2026, 11, 24)


def _shifts(cli) -> None:
    assert cli("shifts", "generate", "--from", "2026-11-23", "--to", "2026-11-29") == 0
    shifts = cli.data("shifts", "list", "--from", "2026-11-24", "--to", "2026-11-24")
    morning = shifts[0]["id"]
    for member in ("3", "1"):  # Leïla Fournier, Éric Dumont
        assert cli("shifts", "book", member, str(morning)) == 0


def test_sign_in_sheet_data(cli):
    _shifts(cli)
    with Session(make_engine(cli.url)) as session:
        sheet = sign_in_sheet(
            session, TUESDAY, settings=load_settings(database_url=cli.url), printed_at=NOW
        )
    assert [(s.name, s.starts, s.ends) for s in sheet.shifts] == [
        ("Mardi matin D", "10:00", "13:00"),
        ("Mardi soir D", "16:00", "19:00"),
    ]
    morning, evening = sheet.shifts
    # accents ignored: Éric before Leïla (a plain sort puts É after L)
    assert [row.name for row in morning.rows] == ["Éric Dumont", "Leïla Fournier"]
    assert morning.rows[0].phone == "07 82 85 40 15"
    assert morning.blank_rows == 5 - 2 + WALK_IN_ROWS
    assert evening.rows == () and evening.blank_rows == 5 + WALK_IN_ROWS


def test_sign_in_sheet_pdf(cli, tmp_path):
    _shifts(cli)
    target = tmp_path / "emargement.pdf"
    assert cli("--lang", "fr", "print", "sign-in", "--day", "24/11/2026", "--out", str(target)) == 0
    text = pdf_text(target)
    assert pages(target) == 1
    assert "Feuille d’émargement, mardi 24 novembre 2026" in text
    assert "Mardi matin D, 10:00–13:00 (2 inscrits, 5 places)" in text
    assert text.index("Éric Dumont") < text.index("Leïla Fournier")
    assert "N° Nom Rôle Inscription Téléphone Arrivée Départ Signature" in text


def test_a_day_without_shifts_is_refused(cli, tmp_path):
    target = tmp_path / "emargement.pdf"
    code, _out, err = cli.out("print", "sign-in", "--day", "2026-12-25", "--out", str(target))
    assert code == 2 and "There is no shift on Friday, 25 December 2026" in err
    assert not target.exists()
