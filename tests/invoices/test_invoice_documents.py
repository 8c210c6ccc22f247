"""Member invoice and credit note: data from the stored invoice, the PDF, and the refusal of a
member without a postal address."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from coop.accounts.documents import invoice_document
from coop.config import load_settings
from coop.db import make_engine
from coop.money import format_money

from .conftest import NOW, flat, pages, pdf_text

LINES = [
    {
        "label": "Lentilles <vertes> & corail 🌱",
        "grams": 2500,
        "unit_price": "3,90",
        "vat_rate": "5,5",
    },
    {"label": "Savon de Marseille", "quantity": 3, "unit_price": "2,50", "vat_rate": "20"},
]


def _invoice(cli, tmp_path, member: str = "3") -> dict:
    lines = tmp_path / "lignes.json"
    lines.write_text(json.dumps(LINES), encoding="utf-8")
    assert cli("accounts", "top-up", member, "50", "--means", "transfer") == 0
    return cli.data("accounts", "invoice", member, str(lines), "--reference", "Commande de mars")


def test_invoice_data_and_pdf(cli, tmp_path):
    issued = _invoice(cli, tmp_path)
    settings = load_settings(database_url=cli.url)
    with Session(make_engine(cli.url)) as session:
        document = invoice_document(session, issued["code"], settings=settings, printed_at=NOW)
    assert document.code == "FA-000001" and not document.credit_note
    assert document.address == ("88 Grande Rue de la Guillotière", "69007 Lyon")
    # 2,5 kg × 3,90 = 9,75 (5,5 %); 3 × 2,50 = 7,50 (20 %)
    assert [line.incl_vat_cents for line in document.lines] == [975, 750]
    assert document.incl_vat_cents == 1725
    assert sum(row.incl_vat_cents for row in document.vat) == document.incl_vat_cents
    assert document.excl_vat_cents + document.vat_cents == document.incl_vat_cents
    assert document.balance_after_cents == 5000 - 1725
    target = tmp_path / "facture.pdf"
    assert cli("print", "invoice", "FA-000001", "--out", str(target)) == 0
    text = pdf_text(target)
    assert pages(target) == 1
    for expected in (
        "Invoice FA-000001",
        "SIRET 123 456 789 00012",
        "Leïla Fournier",
        "69007 Lyon",
        "Lentilles <vertes> & corail",
        "2.500 kg",
        f"Total {flat(format_money(document.excl_vat_cents))}",
        flat(format_money(1725)),
        "Debited from your member account.",
        f"balance after this document: {flat(format_money(3275))}",
    ):
        assert expected in text, expected


def test_credit_note(cli, tmp_path):
    _invoice(cli, tmp_path)
    note = cli.data("accounts", "credit-note", "FA-000001", "--line", "2:1", "--reason", "cassé")
    target = tmp_path / "avoir.pdf"
    assert cli("--lang", "fr", "print", "invoice", note["code"], "--out", str(target)) == 0
    text = pdf_text(target)
    assert "Avoir AV-000001" in text and "facture FA-000001" in text
    assert "Savon de Marseille" in text and "2,50 €" in text
    assert "Crédité sur votre compte adhérent." in text


def test_member_without_address_is_refused(cli, tmp_path):
    members = tmp_path / "membres.csv"
    members.write_text("number;first_name;last_name;joined_on\n900;Sans;Adresse;01/01/2025\n")
    assert cli("import", "members", str(members)) == 0
    _invoice(cli, tmp_path, member="900")
    target = tmp_path / "facture.pdf"
    code, _out, err = cli.out("print", "invoice", "FA-000001", "--out", str(target))
    assert code == 2
    assert "Member 900 (Sans Adresse) has no complete postal address" in err
    assert not target.exists()


def test_unknown_invoice(cli, tmp_path):
    code, _out, err = cli.out("print", "invoice", "FA-000777", "--out", str(tmp_path / "x.pdf"))
    assert code == 2 and "FA-000777" in err
