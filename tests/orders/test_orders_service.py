"""Cycles, articles, member orders and closing on SQLite and PostgreSQL; figures by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import DBAPIError

from coop.errors import CoopError, InvalidInput, NotFound
from coop.members.models import Member
from coop.orders import articles, ordering, service, views
from coop.orders.models import OrderAllocation, OrderArticle, OrderIncrement
from coop.orders.service import SupplierIn

from .conftest import BOXFILL, CLOSES, DELIVERY, OPENS, WHOLESALER_CSV


def article(view: views.CycleView, reference: str) -> views.ArticleView:
    return next(a for a in view.articles if a.reference == reference)


def member(view: views.CycleView, number: int) -> views.MemberView:
    return next(m for m in view.members if m.number == number)


def line(view: views.CycleView, number: int, reference: str) -> views.MemberLineView:
    return next(x for x in member(view, number).lines if x.reference == reference)


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_import_freezes_prices_and_links_catalogue_products(coop):
    coop.cycle(open_it=False)
    rows = {
        a.reference: a
        for a in coop.session.scalars(select(OrderArticle).order_by(OrderArticle.reference))
    }
    assert list(rows) == ["DB100", "DB200", "DB300", "DB400", "DB500"]
    spaghetti, oil, soap, lentils, chocolate = rows.values()
    assert (spaghetti.case_size, spaghetti.price_cents, spaghetti.vat_rate_bp) == (6, 160, 550)
    assert spaghetti.product_id is not None  # by its barcode
    assert oil.product_id is not None  # by the supplier reference of a DISTRI product
    assert soap.product_id is None
    assert (lentils.by_weight, lentils.unit, lentils.case_size) == (True, "kg", 5000)
    assert chocolate.minimum == 20


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("DB900;Inconnu;piece;1;1,00;5,5;;9999999999994", "produit", "no product has"),
        ("DB900;Mauvaise unité;boîte;1;1,00;5,5;;", "unité", "is not one of"),
        ("DB900;Prix;piece;1;1,001;5,5;;", "prix_ht", "more than two decimals"),
        ("DB900;TVA;piece;1;1,00;7;;", "tva", "not a French VAT rate"),
        ("DB900;Colis;piece;2,5;1,00;5,5;;", "colisage", "not a whole number of pieces"),
        ("DB900;Minimum;piece;6;1,00;5,5;8;", "minimum", "whole number of cases"),
        ("DB100;Doublon;piece;6;1,00;5,5;;", "référence", "given twice"),
    ],
)
def test_bad_price_list_names_file_line_and_column(coop, line, column, message):
    coop.cycle(open_it=False)
    before = count(coop.session, OrderArticle)
    # a new cycle for the file, so "already in the cycle" does not hide the real problem
    service.create_cycle(
        coop.session,
        code="S48",
        name="x",
        suppliers=[SupplierIn("DISTRI")],
        opens_at=OPENS,
        closes_at=CLOSES,
        delivery_on=DELIVERY,
        actor=coop.actor,
        now=OPENS,
    )
    path = coop.csv(WHOLESALER_CSV + line + "\n", "mauvais.csv")
    with pytest.raises(InvalidInput) as error:
        articles.import_articles(
            coop.session,
            code="S48",
            supplier_code="DISTRI",
            path=path,
            actor=coop.actor,
            now=OPENS,
        )
    text = str(error.value)
    assert "mauvais.csv" in text and "line 7" in text and f"“{column}”" in text
    assert message in text
    assert count(coop.session, OrderArticle) == before


def test_unknown_column_is_refused(coop):
    coop.cycle(open_it=False)
    path = coop.csv("reference;name;unit;price;vat_rate;couleur\nX;Y;piece;1;20;rouge\n", "c.csv")
    with pytest.raises(InvalidInput, match="unknown column"):
        articles.import_articles(
            coop.session, code="S47", supplier_code="DISTRI", path=path, actor=coop.actor, now=OPENS
        )


def test_reference_already_in_cycle_and_foreign_supplier_are_refused(coop):
    coop.cycle(open_it=False)
    with pytest.raises(InvalidInput, match="already has an article DB100"):
        articles.import_articles(
            coop.session,
            code="S47",
            supplier_code="DISTRI",
            path=coop.csv(WHOLESALER_CSV),
            actor=coop.actor,
            now=OPENS,
        )
    with pytest.raises(InvalidInput, match="FERME is not a supplier"):
        articles.add_catalogue_articles(
            coop.session, code="S47", supplier_code="FERME", actor=coop.actor, now=OPENS
        )


def test_catalogue_articles_take_the_cost_excluding_vat(coop):
    service.create_cycle(
        coop.session,
        code="VRAC",
        name="Vrac",
        suppliers=[SupplierIn("FERME", "up")],
        opens_at=OPENS,
        closes_at=CLOSES,
        delivery_on=DELIVERY,
        actor=coop.actor,
        now=OPENS,
    )
    report = articles.add_catalogue_articles(
        coop.session, code="VRAC", supplier_code="FERME", actor=coop.actor, now=OPENS
    )
    assert (report.articles, report.linked) == (1, 1)
    lentils = coop.session.scalar(select(OrderArticle).where(OrderArticle.reference == "VRAC-LENT"))
    assert (lentils.price_cents, lentils.by_weight, lentils.case_size) == (347, True, 1)


def test_create_refuses_bad_windows_and_suppliers(coop):
    with pytest.raises(InvalidInput) as error:
        service.create_cycle(
            coop.session,
            code="bad code!",
            name=" ",
            suppliers=[SupplierIn("NOBODY"), SupplierIn("DISTRI", "sideways")],
            opens_at=CLOSES,
            closes_at=OPENS,
            boxfill_at=CLOSES + timedelta(days=1),
            delivery_on=OPENS.date() - timedelta(days=1),
            strategy="lottery",
            actor=coop.actor,
            now=OPENS,
        )
    text = str(error.value)
    for expected in (
        "not a cycle code",
        "a value is required",
        "close after it opens",
        "box-fill time",
        "delivery cannot be before",
        "“lottery” is not one of",
        "no producer has the code NOBODY",
        "“sideways” is not one of",
    ):
        assert expected in text


def test_orders_build_the_ledger_and_show_how_full_the_case_is(coop):
    coop.cycle()
    # spaghetti, case of 6: member 1 orders 4 (+2 tolerance): the case is full with tolerance
    result = coop.order(1, "DB100", 4, 2)
    assert (result.article.quantity, result.article.tolerance) == (4, 2)
    assert (result.cases, result.missing_units) == (1, 0)
    # member 5 is in member 1's household: the same order, lowered to 3 (+2)
    result = coop.order(5, "DB100", 3, 2, hours=2)
    assert result.member_number == 1 and result.demand.quantity == 3
    # Q = 3, T = 2, U = 6: r = 3, 3 + 2 < 6 → no case yet, one unit missing
    assert (result.cases, result.missing_units) == (0, 1)
    # the same again appends nothing
    assert not coop.order(1, "DB100", 3, 2, hours=3).changed
    rows = coop.session.execute(
        select(OrderIncrement.quantity, OrderIncrement.tolerance).order_by(OrderIncrement.id)
    ).all()
    assert rows == [(4, 2), (-1, 0)]
    view = views.cycle_view(coop.session, "S47", now=coop.at(hours=4))
    assert view.phase == "open"
    spaghetti = article(view, "DB100")
    assert (spaghetti.quantity, spaghetti.tolerance, spaghetti.missing_units) == (3, 2, 1)
    assert member(view, 1).lines[0].allocated is None  # nothing allocated before closing


def test_an_order_change_authorised_on_the_spot_names_both_people(coop):
    from coop.rights import Actor, Role

    coop.cycle()
    cashier = Actor("Zoé Arnaud", member_number=7, roles=frozenset({Role.CASHIER}))
    coordinator = Actor("Leïla Fournier", member_number=3, roles=frozenset({Role.COORDINATOR}))
    ordering.order(
        coop.session,
        code="S47",
        member_number=2,
        reference="DB100",
        quantity=2,
        actor=cashier.with_second(coordinator),
        now=coop.at(hours=1),
    )
    recorded = coop.session.scalars(select(OrderIncrement.actor)).one()
    assert "Zoé Arnaud (n° 7)" in recorded and "Leïla Fournier (n° 3)" in recorded


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (OPENS - timedelta(minutes=1), "possible from"),
        (CLOSES, "possible from"),
        (CLOSES + timedelta(days=1), "possible from"),
    ],
)
def test_ordering_outside_the_window_is_refused(coop, when, message):
    coop.cycle()
    with pytest.raises(CoopError, match=message):
        ordering.order(
            coop.session,
            code="S47",
            member_number=2,
            reference="DB100",
            quantity=1,
            actor=coop.actor,
            now=when,
        )
    assert count(coop.session, OrderIncrement) == 0


def test_ordering_in_a_draft_cycle_is_refused(coop):
    coop.cycle(open_it=False)
    with pytest.raises(CoopError, match="not open for orders yet"):
        coop.order(2, "DB100", 1)


def test_negative_quantity_and_weighed_tolerance_are_refused(coop):
    coop.cycle()
    with pytest.raises(InvalidInput, match="cannot be negative"):
        coop.order(2, "DB100", -1)
    with pytest.raises(InvalidInput, match="cannot be negative"):
        coop.order(2, "DB100", 1, -2)
    with pytest.raises(InvalidInput, match="sold by weight: no tolerance"):
        coop.order(2, "DB400", 1500, 500)
    with pytest.raises(NotFound, match="no article DB999"):
        coop.order(2, "DB999", 1)
    with pytest.raises(NotFound, match="No member has the number 99"):
        coop.order(99, "DB100", 1)
    assert count(coop.session, OrderIncrement) == 0


def test_weighed_quantities_are_read_in_kg_or_grams(coop):
    coop.cycle()
    lentils = coop.session.scalar(select(OrderArticle).where(OrderArticle.reference == "DB400"))
    spaghetti = coop.session.scalar(select(OrderArticle).where(OrderArticle.reference == "DB100"))
    assert service.parse_quantity(lentils, "1,5") == 1500
    assert service.parse_quantity(lentils, "750 g") == 750
    assert service.parse_quantity(spaghetti, "3") == 3
    assert service.parse_quantity(spaghetti, "0") == 0
    for text, message in (
        ("-2", "cannot be negative"),
        ("1,5", "not a whole number"),
        ("x", "not a quantity"),
    ):
        with pytest.raises(InvalidInput, match=message):
            service.parse_quantity(spaghetti, text)
    # in the language of the person reading: English in the tests, French at the shop
    assert service.format_quantity(lentils, 1500) == "1.500 kg"
    from coop.i18n import set_language

    set_language("fr")
    try:
        assert service.format_quantity(lentils, 1500) == "1,500 kg"
    finally:
        set_language("en")


def test_boxfill_phase_section_2_4(coop):
    # U = 6 for spaghetti. Before the box-fill time anything goes; after it, §2.4's rules.
    coop.cycle()
    coop.order(2, "DB100", 3)
    coop.order(3, "DB100", 2, 1, hours=1)
    after = BOXFILL - OPENS + timedelta(minutes=1)
    hours = after.total_seconds() / 3600

    def later(number, quantity, tolerance=0):
        return ordering.order(
            coop.session,
            code="S47",
            member_number=number,
            reference="DB100",
            quantity=quantity,
            tolerance=tolerance,
            actor=coop.actor,
            now=OPENS + timedelta(hours=hours),
        )

    # Q = 5, T = 1: missing 0; member 2 going from 3 to 2 would open the case (missing 1)
    with pytest.raises(CoopError, match="Box-fill phase"):
        later(2, 2)
    # member 3 raising tolerance (2, 1) → (2, 2) is accepted
    assert later(3, 2, 2).verdict.value == "keeps_quantity"
    # member 3 moving tolerance into quantity (2, 2) → (3, 1) is accepted
    assert later(3, 3, 1).verdict.value == "moves_tolerance"
    view = views.cycle_view(coop.session, "S47", now=OPENS + timedelta(hours=hours))
    assert view.phase == "boxfill"
    assert (article(view, "DB100").quantity, article(view, "DB100").tolerance) == (6, 1)


def test_close_rounds_and_allocates_fifo_section_2_2(coop):
    # §2.2's project example on the soap (U = 3): g1 (3, 2), g2 (1, 3), g3 (1, 0) → [4, 1, 1]
    coop.cycle()
    coop.order(2, "DB300", 3, 2, hours=1)
    coop.order(3, "DB300", 1, 3, hours=2)
    coop.order(4, "DB300", 1, 0, hours=3)
    # §2.2's design note on the oil... U = 4 here: A (2, 3) @1h, B (2, 0) @2h, A → (4, 1) @3h
    coop.order(1, "DB200", 2, 3, hours=1)
    coop.order(2, "DB200", 2, 0, hours=2)
    coop.order(1, "DB200", 4, 1, hours=3)
    # chocolate: 12 firm + 3 tolerance below the minimum of 20 → nothing ordered
    coop.order(4, "DB500", 12, 3)
    service.close(coop.session, code="S47", actor=coop.actor, now=CLOSES)
    view = views.cycle_view(coop.session, "S47", now=CLOSES)
    soap = article(view, "DB300")
    assert (soap.quantity, soap.tolerance, soap.cases, soap.units_ordered) == (5, 5, 2, 6)
    assert [line(view, n, "DB300").allocated for n in (2, 3, 4)] == [4, 1, 1]
    # oil: Q = 6, T = 1, U = 4 → r = 2, 2 + 1 < 4 → 1 case; FIFO: A 2, B 2 → A = 2, B = 2
    oil = article(view, "DB200")
    assert (oil.quantity, oil.tolerance, oil.cases, oil.shortfall) == (6, 1, 1, 2)
    oil_lines = {
        m.number: line.allocated
        for m in view.members
        for line in m.lines
        if line.reference == "DB200"
    }
    assert oil_lines == {1: 2, 2: 2}
    chocolate = article(view, "DB500")
    assert (chocolate.cases, chocolate.missing_units) == (0, 5)
    assert line(view, 4, "DB500").allocated == 0
    # the household's amount is its allocated lines excl. VAT plus VAT: 2 × 10,11 = 20,22;
    # 5.5 % of 20,22 = 1,1121 → 1,11
    assert (member(view, 1).excl_vat_cents, member(view, 1).vat_cents) == (2022, 111)


def test_closing_twice_is_refused_and_changes_nothing(coop):
    coop.cycle()
    coop.order(2, "DB100", 6)
    service.close(coop.session, code="S47", actor=coop.actor, now=CLOSES)
    allocations = count(coop.session, OrderAllocation)
    with pytest.raises(CoopError, match="already closed"):
        service.close(coop.session, code="S47", actor=coop.actor, now=CLOSES + timedelta(hours=1))
    assert count(coop.session, OrderAllocation) == allocations == 1
    with pytest.raises(CoopError, match="orders can no longer be changed"):
        coop.order(2, "DB100", 1)


def test_the_ledger_refuses_updates(coop):
    coop.cycle()
    coop.order(2, "DB100", 6)
    coop.session.commit()
    with pytest.raises(DBAPIError, match="inalterable"):
        coop.session.execute(update(OrderIncrement).values(quantity=1))
    coop.session.rollback()


def test_manual_rounding_waits_for_the_coordinator(coop):
    # manual mode: spaghetti Q = 8 (U = 6) does not fill whole cases → send waits for a decision
    coop.cycle(rounding="manual")
    coop.order(2, "DB100", 5)
    coop.order(3, "DB100", 3, hours=2)
    coop.order(4, "DB300", 3, hours=3)  # soap: exactly one case, nothing to decide
    service.close(coop.session, code="S47", actor=coop.actor, now=CLOSES)
    view = views.cycle_view(coop.session, "S47", now=CLOSES)
    assert article(view, "DB100").cases == 1  # the DOWN figure until decided
    with pytest.raises(CoopError, match="Decide the cases of DB100 first"):
        service.send(coop.session, code="S47", actor=coop.actor, now=CLOSES)
    service.set_cases(
        coop.session, code="S47", reference="DB100", cases=2, actor=coop.actor, now=CLOSES
    )
    view = views.cycle_view(coop.session, "S47", now=CLOSES)
    spaghetti = article(view, "DB100")
    assert (spaghetti.cases, spaghetti.units_ordered, spaghetti.surplus) == (2, 12, 4)
    assert [line(view, n, "DB100").allocated for n in (2, 3)] == [5, 3]
    service.send(coop.session, code="S47", actor=coop.actor, now=CLOSES)
    with pytest.raises(CoopError, match="not possible now"):
        service.set_cases(
            coop.session, code="S47", reference="DB100", cases=1, actor=coop.actor, now=CLOSES
        )


def test_cases_by_hand_only_in_manual_mode(coop):
    coop.cycle()
    coop.order(2, "DB100", 6)
    service.close(coop.session, code="S47", actor=coop.actor, now=CLOSES)
    with pytest.raises(CoopError, match="mode manual is needed"):
        service.set_cases(
            coop.session, code="S47", reference="DB100", cases=3, actor=coop.actor, now=CLOSES
        )


def test_a_member_who_left_cannot_order(coop):
    coop.cycle()
    departed = coop.session.scalar(select(Member).where(Member.number == 4))
    departed.left_on = OPENS.date()
    coop.session.flush()
    with pytest.raises(CoopError, match="Member 4 left the coop"):
        coop.order(4, "DB100", 1)
    assert count(coop.session, OrderIncrement) == 0


def test_an_associated_person_sees_the_household_order(coop):
    coop.cycle()
    coop.order(5, "DB100", 2)  # member 5 lives in member 1's household
    view = views.cycle_view(coop.session, "S47", now=coop.at(hours=2), member_number=5)
    assert [m.number for m in view.members] == [1]
    assert view.members[0].lines[0].quantity == 2
    with pytest.raises(NotFound):
        views.cycle_view(coop.session, "S47", member_number=99)
