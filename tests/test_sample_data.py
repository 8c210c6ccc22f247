"""Checks on the committed demo data set in ``sample_data/``.

`coop demo` loads these files and the till, desk and order tests lean on them, so they must stay
valid (check digits, SIRETs, references) and must be exactly what ``generate.py`` produces.
"""

import csv
import importlib.util
import io
import re
import sys
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from stdnum import ean
from stdnum.fr import siret

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
BOM = b"\xef\xbb\xbf"
MEMBER_HEADER = (
    "number;first_name;last_name;email;phone;street;postcode;city;joined_on;left_on;category;"
    "household;card;notes"
)
PRODUCER_HEADER = "code;name;contact_name;email;phone;street;postcode;city;siret;notes"
PRODUCT_HEADER = (
    "barcode;internal_code;name;producer;unit;by_weight;price;vat_rate;cost;category;"
    "supplier_ref;deposit;active"
)
SHIFT_TEMPLATE_HEADER = (
    "code;name;week;weekday;start;end;seats;roles;valid_from;valid_until;credit;notes"
)
AMOUNT = re.compile(r"^\d+,\d{2}$")
PHONE = re.compile(r"^0[1-9]( \d{2}){4}$")
EMAIL = re.compile(r"^[a-z0-9.+-]+@example\.(org|net|com)$")
CATEGORIES = {
    "Fruits et légumes",
    "Épicerie salée",
    "Épicerie sucrée",
    "Vrac",
    "Crèmerie",
    "Boulangerie",
    "Boissons",
    "Hygiène",
    "Entretien",
    "Consigne",
    "Presse",
}


def _load_generator() -> ModuleType:
    """Import generate.py by path, the way a benchmark does (sample_data is no package)."""
    spec = importlib.util.spec_from_file_location(
        "comptoir_sample_generate", SAMPLE / "generate.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _read(name: str) -> list[dict[str, str]]:
    """Read one committed file as French Excel CSV."""
    text = (SAMPLE / name).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def _fr_date(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


def _amount(text: str) -> Decimal:
    assert AMOUNT.match(text), text
    return Decimal(text.replace(",", "."))


@pytest.fixture(scope="module")
def members() -> list[dict[str, str]]:
    return _read("members.csv")


@pytest.fixture(scope="module")
def producers() -> list[dict[str, str]]:
    return _read("producers.csv")


@pytest.fixture(scope="module")
def products() -> list[dict[str, str]]:
    return _read("products.csv")


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("members.csv", MEMBER_HEADER),
        ("producers.csv", PRODUCER_HEADER),
        ("products.csv", PRODUCT_HEADER),
        ("shift_templates.csv", SHIFT_TEMPLATE_HEADER),
    ],
)
def test_files_are_french_excel_csv(name: str, header: str) -> None:
    raw = (SAMPLE / name).read_bytes()
    assert raw.startswith(BOM)
    assert raw.count(b"\n") == raw.count(b"\r\n"), "every line ends with CRLF"
    assert raw.endswith(b"\r\n")
    assert raw[len(BOM) :].split(b"\r\n", 1)[0].decode() == header


def test_member_counts_and_numbers(members: list[dict[str, str]]) -> None:
    assert 280 <= len(members) <= 320
    numbers = [int(m["number"]) for m in members]
    assert all(n > 0 for n in numbers)
    assert len(set(numbers)) == len(numbers)
    assert max(numbers) > len(members), "a few gaps in the numbering"
    households = [m for m in members if not m["household"]]
    assert 190 <= len(households) <= 250


def test_member_cards_are_valid_ean13(members: list[dict[str, str]]) -> None:
    cards = [m["card"] for m in members]
    assert len(set(cards)) == len(cards)
    for m in members:
        body = f"042{int(m['number']):09d}"
        assert m["card"] == body + ean.calc_check_digit(body)
        assert ean.is_valid(m["card"])


def test_households(members: list[dict[str, str]]) -> None:
    by_number = {m["number"]: m for m in members}
    sizes = Counter(m["household"] or m["number"] for m in members)
    assert max(sizes.values()) <= 3
    assert {1, 2, 3} <= set(sizes.values())
    for m in members:
        if not m["household"]:
            continue
        main = by_number[m["household"]]
        assert main["household"] == "", "a household points to its main member"
        assert int(main["number"]) < int(m["number"])
        assert (m["street"], m["postcode"], m["city"]) == (
            main["street"],
            main["postcode"],
            main["city"],
        )
    same_surname = sum(
        1
        for m in members
        if m["household"] and m["last_name"] == by_number[m["household"]]["last_name"]
    )
    associated = sum(1 for m in members if m["household"])
    assert same_surname > associated / 2


def test_member_fields(members: list[dict[str, str]]) -> None:
    emails = [m["email"] for m in members if m["email"]]
    assert len(set(emails)) == len(emails)
    assert all(EMAIL.match(e) for e in emails), [e for e in emails if not EMAIL.match(e)]
    assert 0 < len(members) - len(emails) < len(members) * 0.1
    phones = [m["phone"] for m in members if m["phone"]]
    assert all(PHONE.match(p) for p in phones)
    assert len(phones) < len(members)
    assert all(re.fullmatch(r"\d{5}", m["postcode"]) for m in members)
    assert {m["category"] for m in members} == {"standard", "solidarity"}
    solidarity = sum(m["category"] == "solidarity" for m in members)
    assert 0.05 * len(members) <= solidarity <= 0.15 * len(members)
    assert any(c in "éèëïôüçÉ" for m in members for c in m["first_name"] + m["last_name"])
    assert any("'" in m["last_name"] for m in members)
    notes = [m["notes"] for m in members if m["notes"]]
    assert 0 < len(notes) < len(members) * 0.1
    assert sum(1 for n in notes if ";" in n and '"' in n) == 1


def test_member_dates(members: list[dict[str, str]]) -> None:
    left = 0
    for m in members:
        joined = _fr_date(m["joined_on"])
        assert date(2019, 1, 1) <= joined <= date(2026, 12, 31)
        if m["left_on"]:
            left += 1
            assert _fr_date(m["left_on"]) > joined
    assert 0.03 * len(members) <= left <= 0.08 * len(members)


def test_producers(producers: list[dict[str, str]]) -> None:
    assert len(producers) == 12
    codes = [p["code"] for p in producers]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)*", c) for c in codes)
    sirets = [p["siret"] for p in producers if p["siret"]]
    assert 9 <= len(sirets) <= 11
    assert all(len(s) == 14 and siret.is_valid(s) for s in sirets)
    assert len(set(sirets)) == len(sirets)
    assert all(EMAIL.match(p["email"]) and PHONE.match(p["phone"]) for p in producers)


def test_product_barcodes(products: list[dict[str, str]]) -> None:
    assert 230 <= len(products) <= 270
    barcodes = [p["barcode"] for p in products if p["barcode"]]
    assert len(set(barcodes)) == len(barcodes)
    for code in barcodes:
        assert len(code) in (8, 13) and ean.is_valid(code), code
        assert not code.startswith(("042", "23")), code
    assert any(len(code) == 8 for code in barcodes)
    french = [c for c in barcodes if len(c) == 13 and 300 <= int(c[:3]) <= 379]
    assert len(french) > len(products) / 2
    internal = [p["internal_code"] for p in products if p["internal_code"]]
    assert len(set(internal)) == len(internal)
    assert all(p["barcode"] or p["internal_code"] for p in products)
    assert 0 < len(products) - len(barcodes) <= 15
    assert "PAIN-CAMP-1KG" in internal


def test_products_sold_by_weight(products: list[dict[str, str]]) -> None:
    weighed = [p for p in products if p["by_weight"] == "oui"]
    assert 35 <= len(weighed) <= 45
    assert {p["by_weight"] for p in products} == {"oui", "non"}
    for p in products:
        scale_code = re.fullmatch(r"21\d{5}00000\d", p["barcode"]) is not None
        assert (p["by_weight"] == "oui") == scale_code, p["name"]
        if p["by_weight"] == "oui":
            assert p["unit"] == "kg"
    # the label a scale prints for 1.234 kg of a product maps back to the product's code
    code = weighed[0]["barcode"]
    label_body = code[:7] + "01234"
    label = label_body + ean.calc_check_digit(label_body)
    base_body = label[:7] + "00000"
    assert base_body + ean.calc_check_digit(base_body) == code


def test_product_references_and_prices(
    products: list[dict[str, str]], producers: list[dict[str, str]]
) -> None:
    codes = {p["code"] for p in producers}
    by_barcode = {p["barcode"]: p for p in products if p["barcode"]}
    assert {p["producer"] for p in products} <= codes
    deposits = [p for p in products if p["category"] == "Consigne"]
    assert 2 <= len(deposits) <= 3
    assert all(p["vat_rate"] == "20" and p["unit"] == "piece" for p in deposits)
    with_deposit = [p for p in products if p["deposit"]]
    assert len(with_deposit) >= 10
    for p in with_deposit:
        assert by_barcode[p["deposit"]]["category"] == "Consigne"
    for p in products:
        price, cost = _amount(p["price"]), _amount(p["cost"])
        assert 0 < cost < price, p["name"]
        assert p["vat_rate"] in {"5,5", "10", "20", "2,1"}
        assert p["unit"] in {"piece", "kg", "l"}
        assert p["category"] in CATEGORIES
        assert p["active"] in {"oui", "non"}
    rates = Counter(p["vat_rate"] for p in products)
    assert rates.most_common(1)[0][0] == "5,5"
    assert 1 <= rates["2,1"] <= 2 and rates["10"] >= 2
    assert sum(p["active"] == "non" for p in products) == 3
    refs = [(p["producer"], p["supplier_ref"]) for p in products if p["supplier_ref"]]
    assert len(set(refs)) == len(refs)


def test_shift_templates_cover_an_abcd_cycle_of_a_shop_open_tuesday_to_saturday() -> None:
    rows = _read("shift_templates.csv")
    assert len({r["code"] for r in rows}) == len(rows) == 44
    by_week = Counter(r["week"] for r in rows)
    assert by_week == {"A": 11, "B": 11, "C": 11, "D": 11}
    assert {r["weekday"] for r in rows} == {"mardi", "mercredi", "jeudi", "vendredi", "samedi"}
    for row in rows:
        start, end = row["start"], row["end"]
        assert re.fullmatch(r"\d{2}:\d{2}", start) and start < end
        roles = row["roles"].split(",")
        assert roles == ["shift_leader", "cashier", "cashier"]
        assert int(row["seats"]) == (6 if row["weekday"] == "samedi" else 5)
    saturday_a = [r for r in rows if r["week"] == "A" and r["weekday"] == "samedi"]
    assert [(r["start"], r["end"]) for r in saturday_a] == [
        ("09:00", "12:00"),
        ("12:00", "15:00"),
        ("15:00", "18:00"),
    ]


def test_generator_reproduces_committed_files(tmp_path: Path) -> None:
    generator = _load_generator()
    generator.write_all(tmp_path)
    for name in ("members.csv", "producers.csv", "products.csv", "shift_templates.csv"):
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name


def test_generator_scales_with_the_same_shape() -> None:
    generator = _load_generator()
    rows = generator.member_rows(3000, 7)
    assert len(rows) == 3000
    assert len({r["card"] for r in rows}) == 3000
    numbers = {r["number"] for r in rows}
    sizes = Counter(r["household"] or r["number"] for r in rows)
    assert max(sizes.values()) <= 3
    assert all(r["household"] in numbers for r in rows if r["household"])
    products = generator.product_rows(1000, 7)
    barcodes = [p["barcode"] for p in products if p["barcode"]]
    assert len(products) == 1000 and len(set(barcodes)) == len(barcodes)
    assert all(ean.is_valid(b) for b in barcodes)
