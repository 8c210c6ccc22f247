"""The register of members and shares as a PDF: rows split across pages with the header on each,
a name too long for its column wraps instead of being cut, every movement on its own line, the
totals on the first page; and the CSV twin's columns."""

from __future__ import annotations

import io
from datetime import date, datetime

from pypdf import PdfReader

import invoices
from coop.clock import SHOP_TIMEZONE
from coop.documents import Letterhead
from coop.i18n import set_language
from coop.members.register import (
    MembersRegister,
    RegisterMovement,
    RegisterRow,
    register_csv,
)

LONG = "Marie-Hélène-Françoise de La Tour d’Auvergne-Lauraguais Montmorency-Laval"


def register(count: int) -> MembersRegister:
    rows = []
    for number in range(1, count + 1):
        moves = (
            RegisterMovement(date(2025, 1, 10), "payment", 3000),
            RegisterMovement(date(2025, 2, 10), "payment", 7000),
        )
        if number == 7:
            moves += (RegisterMovement(date(2026, 3, 1), "refund_request", 0),)
        rows.append(
            RegisterRow(
                number=number,
                name=LONG if number == 5 else f"Membre{number} Nom{number}",
                category="solidarity" if number == 3 else "standard",
                joined_on=date(2025, 1, 10),
                left_on=date(2026, 3, 1) if number == 7 else None,
                paid_cents=10000,
                shares=10,
                movements=moves,
            )
        )
    at = datetime(2026, 12, 6, 10, tzinfo=SHOP_TIMEZONE)
    return MembersRegister(Letterhead("Épicerie La Gerbe"), at.date(), 1000, tuple(rows), at)


def test_register_pdf_pages_header_wrapping_and_totals():
    set_language("fr")
    try:
        document = register(120)
        built = invoices.build(document)
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(built.data)).pages]
    finally:
        set_language("en")
    assert built.pages == len(pages) >= 3
    assert all("Mouvements" in text and "Entrée" in text for text in pages)
    everything = "\n".join(pages)
    assert "120 personnes ; 1200 parts de 10,00 € détenues, 12 000,00 € au total." in " ".join(
        pages[0].split()
    ).replace("\u202f", " ").replace("\xa0", " ")
    for number in (1, 60, 120):
        assert f"Membre{number} Nom{number}" in everything
    # the long name is wrapped over two lines, not cut
    assert "Marie-Hélène-Françoise" in everything and "Montmorency-Laval" in everything
    assert "10/01/2025 paiement 30,00" in everything.replace("\xa0", " ")
    assert "01/03/2026 remboursement demandé" in everything


def test_register_pdf_says_the_category_in_words():
    set_language("fr")
    try:
        built = invoices.build(register(4))
    finally:
        set_language("en")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(built.data)).pages)
    assert "solidaire" in text and "standard" in text
    assert "solidarity" not in text


def test_a_category_the_coop_made_up_reads_without_underscores():
    from coop.members.words import category_words

    assert category_words("petit_budget") == "petit budget"


def test_register_csv_twin_has_one_row_per_member():
    set_language("fr")
    try:
        columns, rows = register_csv(register(3))
    finally:
        set_language("en")
    assert columns == [
        "number",
        "name",
        "category",
        "joined_on",
        "left_on",
        "shares",
        "paid",
        "movements",
    ]
    assert [row["number"] for row in rows] == ["1", "2", "3"]
    assert rows[0]["movements"].replace("\xa0", " ") == (
        "10/01/2025 paiement 30,00 € ; 10/02/2025 paiement 70,00 €"
    )
