"""The coop's identity on paper: the demo coop's realistic name, address, SIRET (valid check
digit), VAT number and town; an invoice refused, with the keys to set, when the configuration
lacks the legal mentions (name, address, SIRET)."""

from __future__ import annotations

import json

from stdnum.fr import siret, tva

from coop import paths
from coop.config import Settings, demo_settings, load_settings
from coop.documents import UNNAMED_COOP, letterhead

from .conftest import pdf_text


def test_the_demo_coop_has_a_real_looking_identity():
    head = letterhead(demo_settings(Settings()))
    assert head.name and head.name != UNNAMED_COOP
    assert len(head.address) == 2 and head.address[1].split()[0].isdigit()  # street, postcode town
    assert siret.is_valid(head.siret), head.siret  # 14 digits, Luhn check digit right
    assert tva.is_valid(head.vat_number) and head.siret.replace(" ", "")[:9] in head.vat_number
    assert head.city and head.city in head.address[1]


def test_coop_demo_mode_is_the_demo_database_and_identity():
    settings = load_settings(environ={"COOP_DEMO": "1"})
    assert settings.database_url.endswith(str(paths.demo_database_file()))
    assert settings.coop_siret == demo_settings(Settings()).coop_siret
    assert load_settings(environ={}).coop_siret == ""  # without it: the coop's own config


def _invoice(cli, tmp_path) -> str:
    lines = tmp_path / "lignes.json"
    lines.write_text(
        json.dumps([{"label": "Savon", "quantity": 1, "unit_price": "2,50", "vat_rate": "20"}]),
        encoding="utf-8",
    )
    assert cli("accounts", "top-up", "3", "10", "--means", "transfer") == 0
    return str(cli.data("accounts", "invoice", "3", str(lines))["code"])


def test_an_invoice_without_the_coops_siret_or_address_is_refused_with_what_to_set(cli, tmp_path):
    code = _invoice(cli, tmp_path)
    paths.config_file().write_text('coop_name = "Épicerie des Lilas"\n', encoding="utf-8")
    target = tmp_path / "facture.pdf"
    status, out, err = cli.out("--lang", "en", "print", "invoice", code, "--out", str(target))
    assert status == 2 and not target.exists()
    message = out + err
    assert "coop_address" in message and "coop_siret" in message and "coop_name," not in message
    assert str(paths.config_file()) in message
    paths.config_file().write_text("", encoding="utf-8")  # no name either: "Comptoir" is not one
    status, out, err = cli.out("print", "invoice", code, "--out", str(target))
    assert status == 2 and "coop_name" in out + err


def test_every_document_is_headed_with_the_coops_name_and_the_invoice_with_its_vat_number(
    cli, tmp_path
):
    code = _invoice(cli, tmp_path)
    text = paths.config_file().read_text(encoding="utf-8")
    paths.config_file().write_text('coop_vat_number = "FR32123456789"\n' + text, encoding="utf-8")
    target = tmp_path / "facture.pdf"
    assert cli("print", "invoice", code, "--out", str(target)) == 0
    printed = pdf_text(target)
    assert "Épicerie <La Louve> & Cie" in printed and "FR32123456789" in printed
    assert UNNAMED_COOP not in printed
