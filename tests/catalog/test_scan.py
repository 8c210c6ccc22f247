"""The nomenclature as data in the database, and what a scan at the till names."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event

from coop import nomenclature as barcodes
from coop.catalog import scan
from coop.catalog.models import Product
from coop.catalog.scan import Found, ScanProblem
from coop.config import MemberSettings
from coop.errors import InvalidInput, NotFound
from coop.members import service as members
from coop.nomenclature import DEFAULT_RULES, embed_value
from coop.scanning import with_check_digit


@pytest.fixture
def shelf(session, now, actor):
    def add(**values):
        product = Product(vat_rate_bp=550, created_at=now, updated_at=now, **values)
        session.add(product)
        session.flush()
        return product

    members.create_member(
        session,
        actor=actor,
        now=now,
        settings=MemberSettings(),
        first_name="Hélène",
        last_name="Dupont",
        number=42,
        joined_on=date(2025, 1, 1),
    )
    return {
        "jam": add(barcode="3017620422003", name="Confiture", price_cents=235),
        "apples": add(
            barcode="2101001000001", name="Pommes", price_cents=320, unit="kg", by_weight=True
        ),
        "cheese": add(barcode="2305000000004", name="Tomme", price_cents=2400),
        "bottle": add(barcode="2000000000015", name="Consigne", price_cents=10),
        "bread": add(internal_code="PAIN-CAMP-1KG", name="Pain", price_cents=580),
        "upc": add(barcode="0036000291452", name="Importé", price_cents=500),
        "ean8": add(barcode="96385074", name="Petit", price_cents=100),
        "old": add(barcode="3000000000007", name="Ancien", price_cents=100, active=False),
    }


def test_the_migration_seeds_the_default_nomenclature(session):
    assert scan.load_rules(session) == DEFAULT_RULES


def test_every_kind_of_scan(session, shelf):
    rules = scan.load_rules(session)
    card = members.active_card(session, members.get_by_number(session, 42)).barcode
    weight = embed_value(DEFAULT_RULES[2], "2101001000001", 1234)
    price = embed_value(DEFAULT_RULES[3], "2305000000004", 1234)
    discount = with_check_digit("223000000000")
    read = {
        code: scan.resolve(session, code, rules)
        for code in (
            card,
            "3017620422003",
            weight,
            price,
            discount,
            "2000000000015",
            "pain-camp-1kg",
            "036000291452",  # UPC-A as 12 digits, stored as its EAN-13
            "96385074",
        )
    }
    assert read[card].found is Found.MEMBER and read[card].member.number == 42
    assert read["3017620422003"].product.name == "Confiture"
    assert (read[weight].product.name, read[weight].grams) == ("Pommes", 1234)
    assert (read[price].product.name, read[price].price_cents) == ("Tomme", 1234)
    assert (read[discount].found, read[discount].discount_bp) == (Found.DISCOUNT, 3000)
    assert read["2000000000015"].kind is barcodes.ScanKind.INTERNAL
    assert read["pain-camp-1kg"].product.name == "Pain"
    assert read["036000291452"].product.name == "Importé"
    assert read["96385074"].product.name == "Petit"
    assert all(found.ok for found in read.values())


@pytest.mark.parametrize(
    "raw, problem",
    [
        ("", ScanProblem.EMPTY),
        ("3017620422004", ScanProblem.BAD_CHECK_DIGIT),
        ("30176204220", ScanProblem.BAD_LENGTH),
        ("3760000000000", ScanProblem.UNKNOWN_PRODUCT),
        ("0420000000994", ScanProblem.UNKNOWN_CARD),
        ("LEG-INCONNU", ScanProblem.NOT_DIGITS),
        ("3000000000007", ScanProblem.INACTIVE_PRODUCT),
        ("x" * 500, ScanProblem.TOO_LONG),
    ],
)
def test_problems_have_codes_and_sentences(session, shelf, raw, problem):
    if problem is ScanProblem.UNKNOWN_CARD:
        raw = with_check_digit(raw[:12])
    found = scan.resolve(session, raw, scan.load_rules(session))
    assert found.problem is problem and found.found is Found.ERROR
    assert found.message()
    if problem is ScanProblem.BAD_CHECK_DIGIT:
        assert found.expected_check_digit == "3" and "expected 3" in found.message()


def test_a_weight_label_for_a_piece_product(session, shelf, now):
    piece = Product(
        barcode=with_check_digit("210200200000"),
        name="Pot",
        price_cents=100,
        vat_rate_bp=550,
        created_at=now,
        updated_at=now,
    )
    session.add(piece)
    session.flush()
    label = embed_value(DEFAULT_RULES[2], piece.barcode, 500)
    found = scan.resolve(session, label, scan.load_rules(session))
    assert found.problem is ScanProblem.WEIGHT_FOR_PIECE


def test_the_coop_edits_its_rules(session, shelf, actor, now):
    """La Chouette Coop prints weight labels with prefix 26: the rule is data."""
    values = barcodes.rule_to_mapping(DEFAULT_RULES[2])
    scan.set_rule(session, {**values, "pattern": "26.....{NNDDD}"}, actor=actor, now=now)
    session.add(
        Product(
            barcode=with_check_digit("260100100000"),
            name="Carottes",
            price_cents=240,
            unit="kg",
            by_weight=True,
            vat_rate_bp=550,
            created_at=now,
            updated_at=now,
        )
    )
    session.flush()
    rules = scan.load_rules(session)
    label = embed_value(rules[2], with_check_digit("260100100000"), 850)
    found = scan.resolve(session, label, rules)
    assert (found.product.name, found.grams) == ("Carottes", 850)
    old_label = embed_value(DEFAULT_RULES[2], "2101001000001", 850)
    assert scan.resolve(session, old_label, rules).problem is ScanProblem.UNKNOWN_PRODUCT
    with pytest.raises(InvalidInput):
        scan.set_rule(session, {**values, "pattern": "26{XX}"}, actor=actor, now=now)
    scan.remove_rule(session, "Discounts", actor=actor, now=now)
    assert len(scan.load_rules(session)) == len(DEFAULT_RULES) - 1
    with pytest.raises(NotFound):
        scan.remove_rule(session, "Discounts", actor=actor, now=now)


def test_a_basket_is_resolved_in_three_queries(session, shelf):
    rules = scan.load_rules(session)
    card = members.active_card(session, members.get_by_number(session, 42)).barcode
    basket = [card, "PAIN-CAMP-1KG", *(["3017620422003", "2000000000015"] * 20)]
    statements = []

    def count(*_args):
        statements.append(1)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        found = scan.resolve_many(session, basket, rules)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(found) == 42 and all(f.ok for f in found)
    assert len(statements) <= 3
