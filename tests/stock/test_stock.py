"""Stock: receipts (by hand and CSV), losses, inventories, low stock and reorder suggestions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from coop.catalog.models import Producer, Product
from coop.clock import SHOP_TIMEZONE
from coop.config import StockSettings
from coop.errors import CoopError, InvalidInput
from coop.i18n import set_language
from coop.stock import exchange as stock_files
from coop.stock import inventories
from coop.stock import service as stock
from coop.stock.models import StockMove

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=SHOP_TIMEZONE)


@pytest.fixture
def catalogue(session):
    farm = Producer(code="FERME", name="La Ferme", created_at=NOW, updated_at=NOW)
    session.add(farm)
    session.flush()
    products = {
        "jam": Product(
            barcode="3017620422003",
            name="Confiture",
            price_cents=235,
            vat_rate_bp=550,
            cost_cents=150,
            producer_id=farm.id,
        ),
        "rice": Product(
            internal_code="VRAC-RIZ",
            name="Riz",
            unit="kg",
            by_weight=True,
            price_cents=380,
            vat_rate_bp=550,
            cost_cents=245,
            producer_id=farm.id,
        ),
        "soap": Product(
            internal_code="SAVON", name="Savon", price_cents=399, vat_rate_bp=2000, cost_cents=None
        ),
    }
    for product in products.values():
        product.created_at = product.updated_at = NOW
        session.add(product)
    session.flush()
    return products


def write(tmp_path, text: str):
    path = tmp_path / "reception.csv"
    path.write_bytes(text.encode("utf-8-sig"))
    return path


def test_receipt_from_a_french_excel_csv(session, catalogue, actor, tmp_path):
    path = write(
        tmp_path,
        "produit;quantité;coût_ht;remarque\r\n"
        "3017620422003;24;1,40;\r\n"
        "vrac-riz;12,5;2,45;sac de 12,5 kg\r\n"
        "VRAC-RIZ;750 g;;\r\n",
    )
    lines = stock_files.read_receipt(session, path)
    report = stock.receive(
        session, lines, actor=actor, now=NOW, producer_code="ferme", reference="BL 4512"
    )
    # 24 × 1,40 = 33,60; 12,5 kg × 2,45 = 30,625 → 30,63; 0,750 kg at the catalogue cost
    # 2,45 = 1,8375 → 1,84. Total 66,07.
    assert report.value_cents == 3360 + 3063 + 184
    assert stock.level_of(session, catalogue["jam"]) == 24
    assert stock.level_of(session, catalogue["rice"]) == 13250
    moves = session.scalars(select(StockMove).order_by(StockMove.id)).all()
    assert [(m.kind, m.quantity, m.unit_cost_cents, m.reference) for m in moves] == [
        ("receipt", 24, 140, "BL 4512"),
        ("receipt", 12500, 245, "BL 4512"),
        ("receipt", 750, 245, "BL 4512"),
    ]
    assert stock.cache_mismatches(session) == []


def test_a_bad_receipt_file_lists_every_problem_and_writes_nothing(
    session, catalogue, actor, tmp_path
):
    path = write(
        tmp_path,
        "product;quantity;unit_cost\n"
        "3017620422003;2,5;1,40\n"  # pieces: a whole number
        "9999999999999;3;\n"  # unknown
        "VRAC-RIZ;0;\n"  # zero
        "SAVON;3;-1\n",  # negative cost
    )
    with pytest.raises(InvalidInput) as caught:
        stock_files.read_receipt(session, path)
    text = str(caught.value)
    for line in ("line 2", "line 3", "line 4", "line 5"):
        assert line in text, text
    assert session.scalar(select(StockMove.id)) is None
    extra = write(tmp_path, "product;quantity;colour\nSAVON;1;red\n")
    with pytest.raises(InvalidInput, match="colour"):
        stock_files.read_receipt(session, extra)


def test_parse_quantity():
    rice = Product(name="Riz", by_weight=True, unit="kg")
    soap = Product(name="Savon", by_weight=False, unit="piece")
    assert stock.parse_quantity(rice, "2,5") == 2500
    assert stock.parse_quantity(rice, "2,5 kg") == 2500
    assert stock.parse_quantity(rice, "750 g") == 750
    assert stock.parse_quantity(soap, "3") == 3
    for bad in ("2,5", "1 kg", "abc", "0", "-1"):
        with pytest.raises(ValueError):
            stock.parse_quantity(soap, bad)
    with pytest.raises(ValueError):
        stock.parse_quantity(rice, "0,0005")
    assert stock.parse_quantity(soap, "-2", allow_negative=True) == -2
    assert stock.format_quantity(rice, 2500) == "2.500 kg"  # English in tests
    set_language("fr")
    try:
        assert stock.format_quantity(rice, 2500) == "2,500 kg"
        assert stock.format_quantity(rice, -750) == "-0,750 kg"
    finally:
        set_language("en")


def test_losses_need_a_known_reason(session, catalogue, actor):
    stock.receive(session, [stock.ReceiptLine(catalogue["jam"], 10)], actor=actor, now=NOW)
    stock.record_loss(
        session,
        product_code="3017620422003",
        quantity="2",
        reason="damaged",
        note="pots cassés",
        actor=actor,
        now=NOW,
    )
    assert stock.level_of(session, catalogue["jam"]) == 8
    with pytest.raises(InvalidInput):
        stock.record_loss(
            session, product_code="SAVON", quantity="1", reason="lost", actor=actor, now=NOW
        )
    with pytest.raises(CoopError):
        stock.record_loss(
            session, product_code="NOPE", quantity="1", reason="other", actor=actor, now=NOW
        )


def test_a_loss_authorised_on_the_spot_names_both_people(session, catalogue):
    from coop.rights import Actor, Role

    cashier = Actor("Zoé Arnaud", member_number=7, roles=frozenset({Role.CASHIER}))
    leader = Actor("Thérèse Lebrun", member_number=4, roles=frozenset({Role.SHIFT_LEADER}))
    stock.receive(session, [stock.ReceiptLine(catalogue["jam"], 10)], actor=cashier, now=NOW)
    stock.record_loss(
        session,
        product_code="3017620422003",
        quantity="1",
        reason="damaged",
        actor=cashier.with_second(leader),
        now=NOW,
    )
    loss = session.scalars(select(StockMove).order_by(StockMove.id)).all()[-1]
    assert "Zoé Arnaud (n° 7)" in loss.actor and "Thérèse Lebrun (n° 4)" in loss.actor


def test_inventory_records_counts_and_values_the_differences(session, catalogue, actor):
    jam, rice, soap = catalogue["jam"], catalogue["rice"], catalogue["soap"]
    stock.receive(
        session,
        [stock.ReceiptLine(jam, 20), stock.ReceiptLine(rice, 10000), stock.ReceiptLine(soap, 5)],
        actor=actor,
        now=NOW,
    )
    inventories.start_inventory(session, label="Inventaire de novembre", actor=actor, now=NOW)
    with pytest.raises(CoopError):
        inventories.start_inventory(session, label="un autre", actor=actor, now=NOW)
    inventories.record_counts(
        session, {"3017620422003": "18", "vrac-riz": "9,2", "SAVON": "6"}, actor=actor, now=NOW
    )
    # two jars are sold after they were counted: the count stands, the books move on
    stock.apply_moves(session, [stock.move(jam, "sale", -2, at=NOW, actor=actor)], now=NOW)
    # the rice is counted again: the new count replaces the first one
    inventories.record_counts(session, {"VRAC-RIZ": "9,4"}, actor=actor, now=NOW)
    report = inventories.close_inventory(session, actor=actor, now=NOW + timedelta(hours=1))
    lines = {line.product.name: line for line in report.lines}
    # jam: counted 18, books 20 → −2 × 1,50 = −3,00; rice 9,400 vs 10,000 kg → −600 g ×
    # 2,45 €/kg = −1,47; soap +1, no known cost.
    assert (lines["Confiture"].difference, lines["Confiture"].value_cents) == (-2, -300)
    assert (lines["Riz"].difference, lines["Riz"].value_cents) == (-600, -147)
    assert (lines["Savon"].difference, lines["Savon"].value_cents) == (1, None)
    assert (report.gain_cents, report.loss_cents) == (0, -447)
    assert stock.level_of(session, jam) == 16  # 20 − 2 sold − 2 missing
    assert stock.level_of(session, rice) == 9400
    assert stock.level_of(session, soap) == 6
    assert inventories.open_inventory(session) is None
    assert stock.cache_mismatches(session) == []


def test_low_stock_and_reorder_suggestions(session, catalogue, actor):
    jam, rice = catalogue["jam"], catalogue["rice"]
    stock.receive(
        session, [stock.ReceiptLine(jam, 30), stock.ReceiptLine(rice, 5000)], actor=actor, now=NOW
    )
    # 56 jars and 14 kg of rice sold over the last 28 days (two per day, 500 g a day)
    today = date(2026, 11, 22)
    moves = []
    for days_ago in range(1, 29):
        at = datetime.combine(today - timedelta(days=days_ago), datetime.min.time()).replace(
            hour=11, tzinfo=SHOP_TIMEZONE
        )
        moves.append(stock.move(jam, "sale", -2, at=at, actor=actor))
        moves.append(stock.move(rice, "sale", -500, at=at, actor=actor))
    # a sale older than the window and one today are not counted
    moves.append(stock.move(jam, "sale", -50, at=NOW - timedelta(days=40), actor=actor))
    stock.apply_moves(session, moves, now=NOW)
    stock.set_reorder(
        session, product_code="3017620422003", minimum="5", lead_time_days=3, actor=actor, now=NOW
    )
    stock.set_reorder(
        session, product_code="VRAC-RIZ", minimum="2 kg", lead_time_days=None, actor=actor, now=NOW
    )
    # jam: 30 − 56 − 50 = −76 (negative: shows as low); rice: 5 000 − 14 000 = −9 000
    low = [row.product.name for row in stock.levels(session, only_low=True)]
    assert low == ["Confiture", "Riz"]
    settings = StockSettings(sales_window_days=28, lead_time_days=7, cover_days=14)
    found = {
        s.product.name: s
        for s in stock.reorder_suggestions(session, today=today, settings=settings)
    }
    # jam: 56 / 28 = 2 a day × (3 + 14) days = 34, + minimum 5 = 39, − stock (−76) = 115
    assert (found["Confiture"].daily, found["Confiture"].suggested) == (Decimal(2), 115)
    # rice: 500 g a day × (7 + 14) = 10 500 g + 2 000 g − (−9 000 g) = 21 500 g
    assert found["Riz"].suggested == 21500
    assert stock.suggest(Decimal("0.5"), 2, 3, None, 1) == 2  # ceil(2,5) − 1
    assert stock.suggest(Decimal(1), 1, 1, None, 10) == 0
