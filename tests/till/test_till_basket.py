"""The basket API (``coop.till.basket`` / ``basket_service``): one core call per gesture.

Prices of the shop in conftest: jam 2,35 €; beer 2,60 € + bottle 0,10 €; lentils 3,90 €/kg by
weight (no label); apples 3,20 €/kg with scale labels; cheese 24,00 €/kg with price labels.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import event

from coop.errors import InvalidInput
from coop.till import basket as rules
from coop.till import basket_service as baskets
from coop.till.basket import OpenBasket, Source
from coop.till.basket_service import Outcome
from coop.till.payments import Means, Tender
from coop.till.refusals import SaleRefused
from coop.till.requests import ItemRequest, RefundRequest, SaleRequest
from tests.till.conftest import APPLES, BEER, CHEESE, JAM, LENTILS, price_label, scale_label


def start(shop, member: str = "42") -> OpenBasket:
    shop.open()
    return baskets.set_member(
        shop.session, OpenBasket(), member, settings=shop.settings, now=shop.now
    )


def scan(shop, basket: OpenBasket, code: str, **kw):
    return baskets.scan(shop.session, basket, code, settings=shop.settings, **kw)


def count_queries(session):
    seen: list[str] = []

    def listen(conn, cursor, statement, *args):
        seen.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", listen)
    return seen, lambda: event.remove(engine, "before_cursor_execute", listen)


def test_identical_items_merge_into_one_line_with_its_deposit(shop):
    basket = start(shop)
    first = scan(shop, basket, JAM)
    assert first.outcome is Outcome.ADDED
    second = scan(shop, first.basket, JAM)
    assert second.outcome is Outcome.MERGED
    assert second.gesture == first.gesture
    lines = second.basket.lines
    assert len(lines) == 1 and lines[0].line.quantity == 2
    assert lines[0].line.amount_cents == 470  # 2 × 2,35
    beer = scan(shop, scan(shop, second.basket, BEER).basket, BEER).basket
    # the beer's line and its deposit, both quantity 2, said to come from the beer's gesture
    kinds = [(line.source, line.line.quantity, line.gesture) for line in beer.lines]
    assert kinds[1:] == [(Source.ITEM, 2, 3), (Source.DEPOSIT, 2, 3)]  # gestures 1, 2 (jam), 3
    assert beer.total_cents == 470 + 520 + 20


def test_weighed_and_price_labelled_items_never_merge(shop):
    basket = start(shop)
    for code in (scale_label(APPLES, 500), scale_label(APPLES, 500)):
        basket = scan(shop, basket, code).basket
    for code in (price_label(CHEESE, 480), price_label(CHEESE, 480)):
        basket = scan(shop, basket, code).basket
    assert [line.line.quantity for line in basket.lines] == [500, 500, 1, 1]
    assert [line.gesture for line in basket.lines] == [1, 2, 3, 4]


def test_a_weighed_product_without_a_label_asks_for_its_weight(shop):
    basket = start(shop)
    asked = scan(shop, basket, LENTILS)
    assert asked.outcome is Outcome.WEIGHT_NEEDED
    assert asked.name == "Lentilles vertes"
    assert asked.basket.empty
    grams = rules.parse_weight("0,75", shop.settings.till)
    weighed = scan(shop, basket, LENTILS, grams=grams)
    line = weighed.basket.lines[0]
    assert (line.line.quantity, line.line.weighed, line.by_weight) == (750, True, True)
    assert line.line.amount_cents == 293  # 3,90 × 0,750 = 2,925 → 2,93


@pytest.mark.parametrize(
    ("typed", "grams"),
    [("750", 750), ("750g", 750), ("0,750kg", 750), ("0,75", 750), ("1,2", 1200)],
)
def test_weights_as_the_cashier_types_them(shop, typed, grams):
    assert rules.parse_weight(typed, shop.settings.till) == grams


@pytest.mark.parametrize("typed", ["abc", "0", "0,0005", "200kg", "-3"])
def test_bad_or_too_heavy_weights_are_refused_with_a_sentence(shop, typed):
    with pytest.raises(ValueError, match=r"\S"):
        rules.parse_weight(typed, shop.settings.till)


def test_change_a_scale_label_line_weight_and_a_piece_line_quantity(shop):
    basket = start(shop)
    basket = scan(shop, basket, scale_label(APPLES, 1234)).basket
    basket = scan(shop, basket, JAM).basket
    basket = rules.change_line(basket, 1, "750g", shop.settings.till)
    assert basket.lines[0].line.quantity == 750
    assert basket.lines[0].line.amount_cents == 240  # 3,20 × 0,750
    basket = rules.change_line(basket, 2, "3", shop.settings.till)
    assert basket.lines[1].line.quantity == 3
    with pytest.raises(ValueError, match="whole number"):
        rules.change_line(basket, 2, "0,5kg", shop.settings.till)
    with pytest.raises(ValueError, match="limit"):
        rules.change_line(basket, 2, "5000", shop.settings.till)


def test_remove_a_line_by_its_gesture_takes_its_deposit(shop):
    basket = start(shop)
    for code in (BEER, JAM):
        basket = scan(shop, basket, code).basket
    basket = rules.remove_line(basket, 1)
    assert [(line.source, line.line.label) for line in basket.lines] == [
        (Source.ITEM, "Confiture de fraises")
    ]


def test_a_scan_reads_only_its_own_code_and_never_reruns_the_desk_check(shop):
    basket = start(shop)
    rules_loaded = baskets.scanning.load_rules(shop.session)
    for _ in range(5):
        basket = scan(shop, basket, JAM, rules_loaded=rules_loaded).basket
        basket = scan(shop, basket, BEER, rules_loaded=rules_loaded).basket
    seen, stop = count_queries(shop.session)
    try:
        scan(shop, basket, APPLES[:-1] + APPLES[-1], rules_loaded=rules_loaded, grams=None)
        scan(shop, basket, JAM, rules_loaded=rules_loaded)
    finally:
        stop()
    # one query per scan (the product), none for the 15 lines already in the basket, no shifts
    assert len(seen) <= 4, seen
    assert not any("shift" in statement.lower() for statement in seen)


def test_a_member_refused_by_the_desk_check_needs_a_reason_before_any_item(shop):
    shop.open()
    basket = baskets.set_member(
        shop.session, OpenBasket(), "46", settings=shop.settings, now=shop.now
    )
    assert basket.member is not None and not basket.member.can_shop
    with pytest.raises(SaleRefused) as refused:
        scan(shop, basket, JAM)
    assert refused.value.code == "may_not_shop"
    allowed = scan(shop, baskets.override(basket, "a first visit"), JAM)
    assert allowed.basket.total_cents == 235


def test_setting_another_member_prices_the_basket_for_them(shop):
    from coop.till.price_rules import set_price_rule

    set_price_rule(
        shop.session, category="solidarity", percent_off=Decimal(10), actor=shop.actor, now=shop.now
    )
    basket = scan(shop, start(shop), JAM).basket
    assert basket.total_cents == 235
    moved = baskets.set_member(shop.session, basket, "43", settings=shop.settings, now=shop.now)
    assert moved.member is not None and moved.member.number == 43
    assert moved.total_cents == 212  # 2,35 − 10 % = 2,115 → 2,12


def test_the_basket_commits_and_the_command_line_request_gives_the_same_sale(shop):
    basket = start(shop)
    for code in (JAM, JAM, BEER):
        basket = scan(shop, basket, code).basket
    receipt = baskets.commit(
        shop.session,
        basket,
        [Tender(Means.CASH, 1000)],
        settings=shop.settings,
        actor=shop.actor,
        now=shop.now,
    )
    assert receipt.sale.total_cents == 470 + 260 + 10
    assert [line.quantity for line in receipt.sale.lines] == [2, 1, 1]
    assert shop.stock(JAM) == -2
    request = SaleRequest(
        items=[ItemRequest(JAM), ItemRequest(JAM), ItemRequest(BEER)], member="42"
    )
    again = baskets.from_request(shop.session, request, settings=shop.settings, now=shop.now)
    assert [line.line.amount_cents for line in again.lines] == [470, 260, 10]


def test_from_request_names_every_bad_item(shop):
    shop.open()
    request = SaleRequest(items=[ItemRequest("nope"), ItemRequest(LENTILS)], member="42")
    with pytest.raises(InvalidInput) as bad:
        baskets.from_request(shop.session, request, settings=shop.settings, now=shop.now)
    assert [problem.source for problem in bad.value.problems] == ["item 1", "item 2"]


def test_a_line_refunded_already_says_so(shop):
    shop.open()
    sold = shop.sell(JAM, tenders=[Tender(Means.CASH, 235)])
    shop.sell(refunds=[RefundRequest(sold.number, 1)], tenders=[Tender(Means.CASH, -235)])
    basket = baskets.set_member(
        shop.session, OpenBasket(), "42", settings=shop.settings, now=shop.now
    )
    with pytest.raises(SaleRefused) as refused:
        baskets.add_refund(
            shop.session, basket, RefundRequest(sold.number, 1), settings=shop.settings
        )
    assert "already refunded" in str(refused.value)


def test_a_refund_finds_its_sale_by_the_receipt_barcode_even_typed_on_azerty(shop):
    from coop.scanning import AZERTY_SHIFTED
    from coop.till.documents import receipt_document
    from coop.till.refund_reads import refundable_sale

    shop.open()
    sold = shop.sell(JAM, JAM, BEER, tenders=[Tender(Means.CASH, 1000)])
    document = receipt_document(sold.as_dict(), settings=shop.settings, printed_at=shop.now)
    assert document.barcode is not None and len(document.barcode) == 13
    shop.sell(
        refunds=[RefundRequest(sold.number, 1, quantity=1)], tenders=[Tender(Means.CASH, -235)]
    )
    azerty = document.barcode.translate(str.maketrans("1234567890", AZERTY_SHIFTED))
    sale = refundable_sale(shop.session, azerty, "CAISSE-1")
    assert (sale.till, sale.number, sale.member_number) == ("CAISSE-1", sold.number, 42)
    # (``shop.sell`` commits through ``selling.commit_sale``: one line per scan)
    assert [(line.label, line.quantity, line.left) for line in sale.lines] == [
        ("Confiture de fraises", 1, 0),
        ("Confiture de fraises", 1, 1),
        ("Bière blonde 33 cl", 1, 1),
        ("Consigne bouteille", 1, 1),
    ]
    assert refundable_sale(shop.session, f"CAISSE-1/{sold.number}", "X").number == sold.number
    with pytest.raises(InvalidInput):
        refundable_sale(shop.session, "douze", "CAISSE-1")


def test_the_refund_receipt_names_the_original_sale(shop):
    from coop.till.documents import receipt_document

    shop.open()
    sold = shop.sell(JAM, tenders=[Tender(Means.CASH, 235)])
    refund = shop.sell(refunds=[RefundRequest(sold.number, 1)], tenders=[Tender(Means.CASH, -235)])
    document = receipt_document(refund.as_dict(), settings=shop.settings, printed_at=shop.now)
    assert document.refunded_sales == f"Refund of sale {sold.number}"
    assert document.lines[0].note == f"refund of sale {sold.number}, line 1"


def test_preparing_a_request_s_basket_reads_neither_the_member_nor_the_products_again(shop):
    import gc

    shop.open()
    request = SaleRequest(items=[ItemRequest(JAM), ItemRequest(BEER)], member="42")
    basket = baskets.from_request(shop.session, request, settings=shop.settings, now=shop.now)
    gc.collect()
    seen, stop = count_queries(shop.session)
    try:
        ready = baskets.prepared(shop.session, basket, settings=shop.settings)
    finally:
        stop()
    # the rows from_request read are still in the session's identity map
    assert not [s for s in seen if "FROM members" in s or "FROM products" in s], seen
    assert ready.member is not None and ready.member.number == 42
    assert ready.shopper is ready.member
    assert [product.barcode for product, kind, _ in ready.moves] == [JAM, BEER]
    assert [kind for _, kind, _ in ready.moves] == ["sale", "sale"]
