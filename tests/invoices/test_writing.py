"""Writing PDFs: atomically (temporary file renamed), unwritable places refused in a sentence,
nothing half-written left behind."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

import invoices
from coop.documents import Letterhead, VatRow
from coop.errors import CoopError
from coop.till.documents import ReceiptDocument, ReceiptLine

from .conftest import NOW, pages


def _document() -> ReceiptDocument:
    return ReceiptDocument(
        letterhead=Letterhead("Coop"),
        till="CAISSE-1",
        number=1,
        at=NOW,
        member=None,
        lines=(ReceiptLine("Pain", "1\u00a0×", 580, 580, Decimal("5.5")),),
        top_up_cents=0,
        total_cents=580,
        vat=(VatRow(Decimal("5.5"), 550, 30),),
        payments=(("cash", 580),),
        change_cents=0,
        account_balance_cents=None,
        hash=None,
        printed_at=NOW,
    )


def test_written_whole_and_alone(tmp_path):
    target = invoices.render_to_file(_document(), tmp_path / "ticket.pdf")
    assert pages(target) == 1
    assert os.listdir(tmp_path) == ["ticket.pdf"]


def test_an_existing_file_is_replaced_whole(tmp_path):
    target = tmp_path / "ticket.pdf"
    target.write_bytes(b"old")
    invoices.render_to_file(_document(), target)
    assert target.read_bytes().startswith(b"%PDF") and pages(target) == 1


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("missing/ticket.pdf", "does not exist"),
        ("folder", "it is a folder"),
        ("file.txt/ticket.pdf", "does not exist"),
    ],
)
def test_unwritable_places_are_refused(tmp_path, where, message):
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.txt").write_text("x")
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(CoopError, match=message):
        invoices.render_to_file(_document(), tmp_path / where)
    assert sorted(os.listdir(tmp_path)) == before


def test_a_failure_while_writing_leaves_nothing(tmp_path, monkeypatch):
    def broken(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(CoopError, match="No space left on device"):
        invoices.render_to_file(_document(), tmp_path / "ticket.pdf")
    assert os.listdir(tmp_path) == []


def test_cli_refuses_an_unwritable_output(cli, tmp_path):
    code, _out, err = cli.out("print", "z", "--out", str(tmp_path / "nowhere" / "z.pdf"))
    assert code == 2
    assert (
        err.strip() == f"Cannot write {tmp_path / 'nowhere' / 'z.pdf'}: the folder "
        f"{tmp_path / 'nowhere'} does not exist."
    )


def test_csv_for_french_excel(tmp_path):
    target = invoices.write_csv([["Réf", "Nom"], ["A1", "Café; «bio»"]], tmp_path / "c.csv")
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == 'Réf;Nom\r\nA1;"Café; «bio»"\r\n'
