"""Till receipt (A4 and 80 mm) and Z report: their data read back from a real day at the till,
and the PDFs the CLI writes."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from coop.config import load_settings
from coop.db import make_engine
from coop.documents import Letterhead, VatRow
from coop.money import format_money
from coop.nomenclature import DEFAULT_RULES, embed_value
from coop.till.documents import (
    ReceiptDocument,
    ReceiptLine,
    load_receipt,
    quantity_text,
    receipt_document,
)
from coop.till.z_documents import z_report_document

from .conftest import NOW, flat, pages, pdf_text

BEER = "3766469236639"  # Bière blonde 33 cl, 2,60 € + a 0,10 € bottle
APPLES = "2101001000001"  # Pommes Golden, 3,20 €/kg
BREAD = "PAIN-CAMP-1KG"  # 5,80 €


def _sell(cli) -> dict:
    assert cli("till", "open", "--cash", "100") == 0
    label = embed_value(DEFAULT_RULES[2], APPLES, 1234)
    # 2 beers 5,20 + 2 bottles 0,20; apples 1,234 kg 3,95; bread 5,80 = 15,15
    return cli.data(
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


def _session(cli) -> Session:
    return Session(make_engine(cli.url))


def test_receipt_data_is_the_committed_sale(cli):
    sale = _sell(cli)
    settings = load_settings(database_url=cli.url)
    with _session(cli) as session:
        document = load_receipt(session, None, 1, settings=settings, printed_at=NOW)
    assert document.letterhead.name == "Épicerie <La Louve> & Cie"
    assert document.letterhead.address == ("12 rue des Lilas", "69001 Lyon")
    assert [line.label for line in document.lines] == [  # a no-break space before the unit
        "Bière blonde 33\u00a0cl",
        "Consigne bouteille 33\u00a0cl",
        "Pommes Golden",
        "Pain de campagne 1\u00a0kg",
    ]
    assert [line.amount_cents for line in document.lines] == [520, 20, 395, 580]
    assert document.lines[2].quantity_text == "1.234\u00a0kg"  # English in tests
    assert document.total_cents == sale["total_cents"] == 1515
    assert sum(row.incl_vat_cents for row in document.vat) == 1515
    assert document.change_cents == 1485
    assert dict(document.payments)["card"] == 1000
    assert document.member and "42" in document.member
    assert document.hash == sale["hash"]


def test_receipt_from_the_counter_after_a_sale(cli):
    """The counter prints from the receipt it has in hand (``Receipt.as_dict()``, here as the
    JSON `coop till sell --json` prints), without reading the sale back."""
    import invoices

    sale = _sell(cli)
    settings = load_settings(database_url=cli.url)
    document = receipt_document(sale, settings=settings, printed_at=NOW, narrow=True)
    assert document.number == 1 and document.total_cents == 1515
    assert document.at.isoformat() == sale["at"]
    with _session(cli) as session:
        stored = load_receipt(session, None, 1, settings=settings, printed_at=NOW, narrow=True)
    assert document == stored
    assert "Bière blonde 33 cl" in pdf_text(invoices.render(document))


def test_receipt_pdf_a4_and_narrow(cli, tmp_path):
    _sell(cli)
    target = tmp_path / "ticket.pdf"
    code, out, err = cli.out("print", "receipt", "1", "--out", str(target))
    assert code == 0, err
    assert "(1 page)" in out
    text = pdf_text(target)
    for expected in (
        "Épicerie <La Louve> & Cie",
        "Receipt CAISSE-1 no. 1",
        "Bière blonde 33 cl",
        "Pommes Golden",
        "1.234 kg",
        f"TOTAL {flat(format_money(1515))}",
        "Page 1 of 1",
        "Printed on 21/11/2026 09:00",
    ):
        assert expected in text
    narrow = tmp_path / "ticket-80.pdf"
    assert cli("print", "receipt", "1", "--narrow", "--out", str(narrow)) == 0
    page = PdfReader(narrow).pages[0]
    assert float(page.mediabox.width) == pytest.approx(226.77, abs=0.1)  # 80 mm
    assert 300 < float(page.mediabox.height) < 842  # as long as the receipt, one page
    assert pages(narrow) == 1
    assert f"TOTAL {flat(format_money(1515))}" in pdf_text(narrow)


def test_receipt_in_french(cli, tmp_path):
    _sell(cli)
    target = tmp_path / "ticket.pdf"
    assert cli("--lang", "fr", "print", "receipt", "1", "--out", str(target)) == 0
    text = pdf_text(target)
    assert "Ticket CAISSE-1 n° 1" in text
    assert "1,234 kg" in text
    assert "15,15 €" in text and "Page 1 sur 1" in text and "Imprimé le 21/11/2026" in text


def test_unknown_sale_is_refused(cli, tmp_path):
    _sell(cli)
    target = tmp_path / "ticket.pdf"
    code, _out, err = cli.out("print", "receipt", "9", "--out", str(target))
    assert code == 2 and "no sale number 9" in err
    assert not target.exists()


def test_z_report_provisional_then_sealed(cli, tmp_path):
    _sell(cli)
    settings = load_settings(database_url=cli.url)
    with _session(cli) as session:
        provisional = z_report_document(
            session, day=NOW.date(), till_code=None, settings=settings, printed_at=NOW
        )
    assert provisional.provisional and provisional.total_cents == 1515
    target = tmp_path / "z.pdf"
    assert cli("print", "z", "--out", str(target)) == 0
    assert "provisional figures (no Z yet)" in pdf_text(target)
    cli.later(hours=3)
    # float 100 + 20 cash − 14,85 change = 105,15 expected
    assert cli("till", "close", "--cash", "105,15", "--z") == 0
    with _session(cli) as session:
        sealed = z_report_document(
            session, day=NOW.date(), till_code="CAISSE-1", settings=settings, printed_at=NOW
        )
    assert sealed.number == 1 and not sealed.provisional
    assert sealed.excl_vat_cents + sealed.vat_cents == sealed.total_cents == 1515
    assert {name: cents for name, cents in sealed.payments} == {"card": 1000, "cash": 515}
    assert sealed.sessions[0].difference_cents == 0
    assert sealed.hash
    assert cli("print", "z", "--day", "21/11/2026", "--out", str(target)) == 0
    text = pdf_text(target)
    assert pages(target) == 1
    assert "Z report no. 1, till CAISSE-1, 21/11/2026" in text
    assert f"Total {flat(format_money(sealed.excl_vat_cents))}" in text
    assert flat(format_money(sealed.perpetual_cents)) in text
    assert sealed.hash in text


def _receipt(label: str, lines: int = 3) -> ReceiptDocument:
    return ReceiptDocument(
        letterhead=Letterhead("Coop"),
        till="CAISSE-1",
        number=7,
        at=NOW,
        member=None,
        lines=tuple(
            ReceiptLine(label, quantity_text(1, False), 100, 100, Decimal("5.5"))
            for _ in range(lines)
        ),
        top_up_cents=0,
        total_cents=100 * lines,
        vat=(VatRow(Decimal("5.5"), 95 * lines, 5 * lines),),
        payments=(("cash", 100 * lines),),
        change_cents=0,
        account_balance_cents=None,
        hash=None,
        printed_at=NOW,
    )


def test_markup_and_emoji_in_names_are_printed_safely():
    import invoices

    document = _receipt("<b>Café</b> & thé 🍎🫖 <script>", lines=2)
    text = pdf_text(invoices.render(document))
    assert "<b>Café</b> & thé <script>" in text  # escaped, printed as typed; emoji dropped
    assert "🍎" not in text


def test_invariant_output_is_byte_identical():
    import invoices

    document = _receipt("Pain")
    first = invoices.render(document, invariant=True)
    later = invoices.render(replace(document), invariant=True)
    assert first == later


def test_a_long_receipt_runs_onto_later_pages_with_its_header():
    import invoices

    built = invoices.build(_receipt("Lentilles vertes", lines=90))
    assert built.pages == 3
    from .conftest import page_texts

    texts = page_texts(built.data)
    # the table's header is repeated on each page it runs onto; later pages carry the title
    assert ["Item Quantity Unit price VAT Amount" in text for text in texts] == [True, True, False]
    assert all(text.startswith("Coop Receipt CAISSE-1 no. 7") for text in texts[1:])
    assert "TOTAL" in texts[2]
    assert [f"Page {n} of 3" in text for n, text in enumerate(texts, start=1)] == [True] * 3
