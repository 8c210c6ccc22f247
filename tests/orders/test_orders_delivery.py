"""Receiving, corrections, another strategy and settling, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from coop.accounts.models import AccountMovement, Invoice, InvoiceVat, MemberAccount
from coop.config import AccountSettings
from coop.errors import CoopError, InvalidInput
from coop.orders import delivery, service, views
from coop.orders.models import OrderAllocation, OrderCycle, OrderDelivery
from coop.stock.models import StockLevel, StockMove

from .conftest import CLOSES

SETTINGS = AccountSettings()
LATER = CLOSES + timedelta(days=3)


def allocated(session, reference: str) -> dict[int, int]:
    view = views.cycle_view(session, "S47")
    return {
        m.number: line.allocated
        for m in view.members
        for line in m.lines
        if line.reference == reference
    }


def article(session, reference: str) -> views.ArticleView:
    return next(a for a in views.cycle_view(session, "S47").articles if a.reference == reference)


def stock_of(session, reference: str) -> int:
    from coop.orders.models import OrderArticle

    product_id = session.scalar(
        select(OrderArticle.product_id).where(OrderArticle.reference == reference)
    )
    return (
        session.scalar(select(StockLevel.quantity).where(StockLevel.product_id == product_id)) or 0
    )


@pytest.fixture
def sent(coop):
    """§2.3's orders on the soap (U = 3, no product) and the spaghetti (U = 6, a product):
    g1 (3, 2), g2 (1, 3), g3 (1, 0) in time order → 2 cases each."""
    coop.cycle()
    for number, (q, t), hours in ((2, (3, 2), 1), (3, (1, 3), 2), (4, (1, 0), 3)):
        coop.order(number, "DB300", q, t, hours=hours)
        coop.order(number, "DB100", q * 2, t * 2, hours=hours)
    service.close(coop.session, code="S47", actor=coop.actor, now=CLOSES)
    service.send(coop.session, code="S47", actor=coop.actor, now=CLOSES + timedelta(hours=1))
    return coop


def receive(coop, **quantities):
    return delivery.receive(
        coop.session, code="S47", received=quantities, actor=coop.actor, now=LATER
    )


@pytest.mark.parametrize(
    ("received", "results"),
    [
        (6, {2: 4, 3: 1, 4: 1}),
        (4, {2: 3, 3: 1, 4: 0}),
        (1, {2: 1, 3: 0, 4: 0}),
        (0, {2: 0, 3: 0, 4: 0}),
    ],
)
def test_short_delivery_is_shared_again_section_2_3(sent, received, results):
    # §2.3 table with the tolerance policy; the soap is no catalogue product
    assert allocated(sent.session, "DB300") == {2: 4, 3: 1, 4: 1}  # at close, X = 6
    report = receive(sent, DB300=received)
    assert allocated(sent.session, "DB300") == results
    soap = article(sent.session, "DB300")
    assert soap.received == received and soap.left_over == 0
    assert report.short == (1 if received < 6 else 0)
    assert views.cycle_view(sent.session, "S47").state == "received"


def test_surplus_goes_to_shop_stock_and_moves_by_the_difference(sent):
    # spaghetti: Q = 10, T = 10, U = 6 → 2 cases = 12 ordered; 14 arrive (less than twice 12)
    assert article(sent.session, "DB100").units_ordered == 12
    receive(sent, DB100=14)
    # everyone gets q + t = 20 > 14: FIFO g1 6 + 4, g2 2 + 2 → 10 + 2... firm 6, 2, 2 = 10,
    # tolerance 4 more to g1 (4 of its 4): 10, 2, 2 → nothing left for stock
    assert allocated(sent.session, "DB100") == {2: 10, 3: 2, 4: 2}
    assert stock_of(sent.session, "DB100") == 0
    # a coordinator gives g1 only its firm 6 by hand
    delivery.correct(
        sent.session,
        code="S47",
        reference="DB100",
        member_number=2,
        quantity=6,
        note="ne veut que sa commande ferme",
        actor=sent.actor,
        now=LATER,
    )
    # the other two share 8 with FIFO: firm 2 + 2, tolerance g2 +4 (of 6)... g2 (2, 6), g3 (2, 0):
    # 4 firm, 4 tolerance to g2 → 6, 2; total 6 + 6 + 2 = 14: still no surplus
    assert allocated(sent.session, "DB100") == {2: 6, 3: 6, 4: 2}
    assert stock_of(sent.session, "DB100") == 0
    # 20 arrive: everyone's q + t = 6 + 8 + 2 = 16 with the pin; 4 go to stock
    receive(sent, DB100=20)
    assert allocated(sent.session, "DB100") == {2: 6, 3: 8, 4: 2}
    assert stock_of(sent.session, "DB100") == 4
    assert article(sent.session, "DB100").to_stock == 4
    # back to 14: the stock moves back by 4 (a correction move), the pin is still there
    receive(sent, DB100=14)
    assert stock_of(sent.session, "DB100") == 0
    kinds = sent.session.execute(
        select(StockMove.kind, StockMove.quantity, StockMove.unit_cost_cents).order_by(StockMove.id)
    ).all()
    assert kinds == [("receipt", 4, 160), ("correction", -4, 160)]
    line = next(
        x
        for m in views.cycle_view(sent.session, "S47").members
        if m.number == 2
        for x in m.lines
        if x.reference == "DB100"
    )
    assert (line.allocated, line.computed, line.pinned) == (6, 10, True)
    assert line.note == "ne veut que sa commande ferme"


def test_surplus_of_an_article_without_product_is_left_over(sent):
    # soap ordered 6; 8 arrive without the tolerance policy: firm 5, 3 left over (§2.3 row 5)
    sent.session.execute(update(OrderCycle).values(use_tolerance=False))
    receive(sent, DB300=8)
    assert allocated(sent.session, "DB300") == {2: 3, 3: 1, 4: 1}
    assert article(sent.session, "DB300").left_over == 3


def test_receiving_more_than_twice_the_order_is_refused(sent):
    with pytest.raises(InvalidInput) as error:
        receive(sent, DB300=13, DB100=12)
    assert "more than twice the order" in str(error.value) and "DB300" in str(error.value)
    with pytest.raises(InvalidInput, match="no article NOPE"):
        receive(sent, NOPE=1)
    with pytest.raises(InvalidInput, match="cannot be negative"):
        receive(sent, DB300=-1)
    assert sent.session.scalar(select(func.count()).select_from(OrderDelivery)) == 0
    assert views.cycle_view(sent.session, "S47").state == "sent"


def test_receiving_before_sending_is_refused(coop):
    coop.cycle()
    coop.order(2, "DB300", 3)
    service.close(coop.session, code="S47", actor=coop.actor, now=CLOSES)
    with pytest.raises(CoopError, match="only a sent order can be received"):
        receive(coop, DB300=3)


def test_another_strategy_keeps_corrections(sent):
    receive(sent, DB300=4)
    delivery.correct(
        sent.session,
        code="S47",
        reference="DB300",
        member_number=4,
        quantity=1,
        actor=sent.actor,
        now=LATER,
    )
    # FIFO for the other two with 3 left: g1 3, g2 0
    assert allocated(sent.session, "DB300") == {2: 3, 3: 0, 4: 1}
    delivery.reallocate(
        sent.session, code="S47", strategy="proportional", actor=sent.actor, now=LATER
    )
    # 3 shared by firm 3 and 1: shares 2.25 and 0.75 → 2 + 1
    assert allocated(sent.session, "DB300") == {2: 2, 3: 1, 4: 1}
    # handing g3's line back to the strategy: 4 by firm 3, 1, 1 → 2.4, 0.8, 0.8 → 2, 1, 1
    delivery.correct(
        sent.session,
        code="S47",
        reference="DB300",
        member_number=4,
        quantity=None,
        actor=sent.actor,
        now=LATER,
    )
    assert allocated(sent.session, "DB300") == {2: 2, 3: 1, 4: 1}
    pinned = sent.session.scalar(
        select(func.count()).select_from(OrderAllocation).where(OrderAllocation.pinned.is_(True))
    )
    assert pinned == 0
    with pytest.raises(InvalidInput, match="only 4 of Savon"):
        delivery.correct(
            sent.session,
            code="S47",
            reference="DB300",
            member_number=2,
            quantity=5,
            actor=sent.actor,
            now=LATER,
        )
    with pytest.raises(InvalidInput, match="“lottery” is not one of"):
        delivery.reallocate(
            sent.session, code="S47", strategy="lottery", actor=sent.actor, now=LATER
        )


def test_settle_charges_each_household_with_an_invoice(sent):
    receive(sent, DB300=4, DB100=12)
    settlement = delivery.settle(
        sent.session, code="S47", settings=SETTINGS, actor=sent.actor, now=LATER
    )
    # soap 2,50 excl. VAT at 20 %, spaghetti 1,60 at 5.5 %:
    # member 2: 3 soaps (7,50 + 1,50 VAT) + 8 spaghetti... firm 6 + tolerance? X = 12 for
    # firm 6, 2, 2 = 10 and tolerance 2 to g1 (FIFO) → 8, 2, 2
    # member 2: 7,50 + 12,80 = 20,30 excl.; VAT 1,50 + 0,704 → 0,70 = 2,20; 22,50 incl.
    # member 3: 1 soap 2,50 + 2 spaghetti 3,20 = 5,70; VAT 0,50 + 0,176 → 0,18 = 0,68; 6,38
    # member 4: no soap (4 arrived, FIFO 3, 1, 0) + 2 spaghetti 3,20; VAT 0,18; 3,38
    charges = {c.member_number: c.incl_vat_cents for c in settlement.charges}
    assert charges == {2: 2250, 3: 638, 4: 338}
    codes = [c.invoice for c in settlement.charges]
    assert codes == ["FA-000001", "FA-000002", "FA-000003"]
    balances = dict(
        sent.session.execute(select(MemberAccount.member_id, MemberAccount.balance_cents)).all()
    )
    assert sorted(balances.values()) == [-2250, -638, -338]
    assert sent.session.scalar(select(func.count()).select_from(AccountMovement)) == 3
    invoice = sent.session.scalar(select(Invoice).where(Invoice.number == 1))
    assert (invoice.prices_include_vat, invoice.excl_vat_cents, invoice.vat_cents) == (
        False,
        2030,
        220,
    )
    vat = sent.session.execute(
        select(InvoiceVat.vat_rate_bp, InvoiceVat.excl_vat_cents, InvoiceVat.vat_cents)
        .where(InvoiceVat.invoice_id == invoice.id)
        .order_by(InvoiceVat.vat_rate_bp)
    ).all()
    assert vat == [(550, 1280, 70), (2000, 750, 150)]
    # suppliers: soap 4 × 2,50 = 10,00 (VAT 2,00); spaghetti 12 × 1,60 = 19,20 (VAT 1,056 → 1,06)
    rec = settlement.reconciliation
    assert (rec.supplier_excl_vat_cents, rec.supplier_vat_cents) == (2920, 306)
    assert rec.members_excl_vat_cents == 2030 + 570 + 320
    assert rec.members_vat_cents == 220 + 68 + 18
    # per rate: 5.5 % members 0,70 + 0,18 + 0,18 = 1,06 = supplier; 20 % 1,50 + 0,50 = 2,00
    assert (rec.surplus_excl_vat_cents, rec.rounding_excl_vat_cents) == (0, 0)
    assert rec.rounding_incl_vat_cents == 0
    assert views.cycle_view(sent.session, "S47").members[0].invoice == "FA-000001"
    with pytest.raises(CoopError, match="already settled"):
        delivery.settle(sent.session, code="S47", settings=SETTINGS, actor=sent.actor, now=LATER)
    with pytest.raises(CoopError, match="only a sent order can be received"):
        receive(sent, DB300=4)


def test_receiving_the_same_delivery_again_changes_nothing(sent):
    receive(sent, DB100=14, DB300=4)
    before_moves = sent.session.scalar(select(func.count()).select_from(StockMove))
    before = views.cycle_view(sent.session, "S47")
    receive(sent, DB100=14, DB300=4)
    receive(sent)  # nothing named: everything as already recorded
    assert sent.session.scalar(select(func.count()).select_from(StockMove)) == before_moves
    after = views.cycle_view(sent.session, "S47")
    assert after.articles == before.articles and after.members == before.members


def test_the_articles_alone_are_the_same_as_in_the_whole_view(sent):
    """``coop orders close`` prints the articles of a view built without the households."""
    corrected = delivery.receive(
        sent.session,
        code="S47",
        received={"DB300": 5, "DB100": 12},
        actor=sent.actor,
        now=LATER,
    )
    assert corrected is not None
    whole = views.cycle_view(sent.session, "S47")
    light = views.cycle_view(sent.session, "S47", households=False)
    assert light.articles == whole.articles
    assert [a.allocated for a in light.articles] != [0] * len(light.articles)
    assert light.members == () and whole.members


def test_closing_hands_the_view_the_demand_it_read(coop):
    coop.cycle()
    for number, (q, t), hours in ((2, (3, 2), 1), (3, (1, 3), 2), (4, (1, 0), 3)):
        coop.order(number, "DB300", q, t, hours=hours)
        coop.order(number, "DB100", q * 2, t * 2, hours=hours)
    _cycle, result = service.close_with_result(
        coop.session, code="S47", actor=coop.actor, now=CLOSES
    )
    assert set(result.demand) and result.cases == 4
    light = views.cycle_view(coop.session, "S47", households=False, demand=result.demand)
    assert light.articles == views.cycle_view(coop.session, "S47").articles
    ordered = {a.reference: a.households for a in light.articles if a.households}
    assert ordered == {"DB100": 3, "DB300": 3}
