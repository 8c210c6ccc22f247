"""A full day at the till through the Python API, on SQLite and PostgreSQL: open with a counted
float, sell with every payment means (weighed goods, a scale label, a price label, deposits
charged and returned, a member price rule, a top-up, an associated person paying from the
household's account, a refund to the account), close with the counted cash, take the Z, verify.

Every figure is worked out by hand in the comments.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from coop.audit import AuditEntry
from coop.till import closing, price_rules, registry, sessions, verify
from coop.till.cash import count_cash
from coop.till.closure_models import TillClosure
from coop.till.models import JournalEntry, Sale
from coop.till.payments import Means, Tender
from coop.till.selling import DepositReturn, RefundRequest

from .conftest import (
    APPLES,
    BEER,
    BREAD,
    CHEESE,
    DEPOSIT,
    JAM,
    LENTILS,
    card,
    cash,
    item,
    price_label,
    scale_label,
)


def test_a_full_day(shop):
    price_rules.set_price_rule(
        shop.session,
        category="solidarity",
        percent_off=Decimal(10),
        actor=shop.actor,
        now=shop.now,
    )
    # 9:00 — the float: 2 × 20 € + 4 × 10 € + 4 × 5 € + 10 × 2 € + 10 × 1 € + 10 × 0,50 € = 135 €
    opened = shop.open(count_cash({2000: 2, 1000: 4, 500: 4, 200: 10, 100: 10, 50: 10}))
    assert opened.opening_cents == 13500
    assert opened.opening_pieces == [[50, 10], [100, 10], [200, 10], [500, 4], [1000, 4], [2000, 2]]

    # Sale 1, member 42: 2 beers 5,20 + 2 bottles 0,20 (automatic) + apples 1,234 kg × 3,20 =
    # 3,9488 → 3,95 + bread 5,80 = 15,15 €; 10 € by card, a 20 € note: cash 5,15, change 14,85.
    first = shop.later(minutes=10).sell(
        item(BEER, quantity=2),
        scale_label(APPLES, 1234),
        BREAD,
        tenders=[card(1000), cash(2000)],
    )
    assert first.number == 1 and first.committed
    assert [line.amount_cents for line in first.sale.lines] == [520, 20, 395, 580]
    assert first.sale.total_cents == 1515
    assert first.settlement.change_cents == 1485
    # VAT per rate on the receipt: 20 % on 5,40 → 4,50 + 0,90; 5,5 % on 9,75 → 9,24 + 0,51
    assert [(s.rate, s.excl_vat, s.vat) for s in first.sale.vat] == [
        (Decimal("5.5"), 924, 51),
        (Decimal(20), 450, 90),
    ]

    # Sale 2, member 43 (solidarity, 10 % off the unit price): jam 2,35 × 0,9 = 2,115 → 2,12,
    # × 3 = 6,36; lentils 3,90 × 0,9 = 3,51 €/kg × 0,750 = 2,6325 → 2,63; 2 bottles back −0,20.
    # Total 8,79 € by cheque.
    second = shop.later(minutes=10).sell(
        item(JAM, quantity=3),
        item(LENTILS, grams=750),
        member="43",
        returns=[DepositReturn(DEPOSIT, 2)],
        tenders=[Tender(Means.CHEQUE, 879, "cheque 0012345")],
    )
    assert [line.amount_cents for line in second.sale.lines] == [636, 263, -20]
    assert [line.rule_code for line in second.sale.lines] == ["solidarity", "solidarity", None]
    assert second.sale.total_cents == 879

    # Sale 3: member 42 puts 20 € on the household's account, by card.
    third = shop.later(minutes=10).sell(top_up_cents=2000, tenders=[card(2000)])
    assert third.sale.total_cents == 2000 and third.sale.goods_cents == 0
    assert shop.balance(42) == 2000

    # Sale 4: the associated person 44 shops on 42's status and account: a cheese with a price
    # label of 12,34 € and a jam 2,35 € = 14,69 €: 10 € from the account, 4,69 in Gonettes.
    fourth = shop.later(minutes=10).sell(
        price_label(CHEESE, 1234),
        JAM,
        member="44",
        tenders=[Tender(Means.ACCOUNT, 1000), Tender(Means.LOCAL_CURRENCY, 469)],
    )
    assert fourth.member is not None and fourth.member.number == 42
    assert fourth.sale.total_cents == 1469
    assert shop.balance(42) == 1000

    # Sale 5: one beer of sale 1 (line 1) and its bottle (line 2) come back: −2,60 − 0,10,
    # credited to the account: 10,00 + 2,70 = 12,70.
    fifth = shop.later(minutes=20).sell(
        refunds=[RefundRequest(1, 1, 1), RefundRequest(1, 2, 1)],
        tenders=[Tender(Means.ACCOUNT, -270)],
    )
    assert [line.amount_cents for line in fifth.sale.lines] == [-260, -10]
    assert shop.balance(42) == 1270

    # 12:00 — expected: 135 € + 20 € handed over − 14,85 € change = 140,15 €; 140 € counted.
    closed = shop.later(hours=2).close(14000)
    assert (closed.expected_cents, closed.counted_cents, closed.difference_cents) == (
        14015,
        14000,
        -15,
    )

    # The Z adds each receipt's VAT per rate:
    #   20 %:  sale 1 5,40 (4,50 + 0,90), sale 2 −0,20 (−0,17 − 0,03), sale 5 −2,70 (−2,25 − 0,45)
    #          → excl. 2,08, VAT 0,42, incl. 2,50
    #   5,5 %: sale 1 9,75 (9,24 + 0,51), sale 2 8,99 (8,52 + 0,47), sale 4 14,69 (13,92 + 0,77)
    #          → excl. 31,68, VAT 1,75, incl. 33,43
    # Turnover 35,93 €; top-ups 20 €; payments: cash 5,15, card 30,00, cheque 8,79,
    # Gonette 4,69, account 10,00 − 2,70 = 7,30 → 55,93 € = 35,93 + 20,00.
    [z] = shop.later(minutes=5).z()
    assert z.number == 1 and z.sale_count == 5 and z.total_cents == 3593
    [report] = closing.report_day(shop.session, day=date(2026, 11, 21))
    assert report["provisional"] is False
    assert report["vat"] == [
        {"rate": "5.5", "excl_vat": 3168, "vat": 175, "incl_vat": 3343},
        {"rate": "20", "excl_vat": 208, "vat": 42, "incl_vat": 250},
    ]
    assert report["payments"] == [
        {"means": "cash", "amount": 515},
        {"means": "card", "amount": 3000},
        {"means": "cheque", "amount": 879},
        {"means": "local_currency", "amount": 469},
        {"means": "account", "amount": 730},
    ]
    assert (report["total"], report["top_ups"], report["change"]) == (3593, 2000, 1485)
    assert (report["refunds"], report["refund_count"]) == (-270, 1)
    assert (report["deposits_charged"], report["deposits_returned"]) == (20, -20)
    assert (report["perpetual"], report["first_sale"], report["last_sale"]) == (3593, 1, 5)
    assert report["sessions"][0]["difference_cents"] == -15

    # Stock: beer −2 + 1 back; apples −1 234 g; lentils −750 g; bread −1; jam −3 −1;
    # the 12,34 € cheese at 24 €/kg is 514,17 g → 514 g.
    assert [shop.stock(code) for code in (BEER, APPLES, LENTILS, BREAD, JAM, CHEESE)] == [
        -1,
        -1234,
        -750,
        -1,
        -4,
        -514,
    ]
    # The journal: 5 sales and the Z, numbers gapless, each linked to the one before.
    entries = list(shop.session.scalars(select(JournalEntry).order_by(JournalEntry.seq)))
    assert [(e.seq, e.kind, e.number) for e in entries] == [
        (1, "sale", 1),
        (2, "sale", 2),
        (3, "sale", 3),
        (4, "sale", 4),
        (5, "sale", 5),
        (6, "day_closure", 1),
    ]
    assert all(b.previous_hash == a.hash for a, b in itertools.pairwise(entries))
    assert entries[0].previous_hash == "0" * 64
    [verdict] = verify.verify(shop.session)
    assert verdict.ok and verdict.checked == 6


def test_sale_numbers_are_gapless_and_refusals_take_no_number(shop):
    shop.open()
    shop.sell(JAM, tenders=[cash(235)])
    before = shop.counts()
    try:
        shop.sell(JAM, tenders=[cash(100)])
    except Exception as error:  # underpaid
        assert "missing" in str(error)
    assert shop.counts() == before
    receipt = shop.sell(JAM, tenders=[cash(235)])
    assert receipt.number == 2
    numbers = shop.session.scalars(select(Sale.number).order_by(Sale.number)).all()
    assert numbers == [1, 2]


def test_a_forgotten_z_is_taken_when_the_till_opens_next(shop):
    shop.open()
    shop.sell(JAM, tenders=[cash(235)])
    shop.later(hours=8).close(10235)
    # Sunday: nobody took Saturday's Z; Tuesday's opening takes it first.
    shop.later(days=3).open()
    closures = shop.session.scalars(select(TillClosure)).all()
    assert [(c.period, c.starts_on, c.sale_count) for c in closures] == [
        ("day", date(2026, 11, 21), 1)
    ]
    receipt = shop.sell(JAM, tenders=[cash(235)])
    assert receipt.number == 2
    assert verify.verify(shop.session)[0].ok


def test_closed_day_takes_no_more_sales_and_z_needs_the_session_closed(shop):
    from coop.till.refusals import TillRefused

    shop.open()
    shop.sell(JAM, tenders=[cash(235)])
    try:
        shop.z()
    except TillRefused as error:
        assert error.code == "session_open"
    else:
        raise AssertionError("a Z with the session open")
    shop.close(10235)
    shop.z()
    try:
        shop.open()
    except TillRefused as error:
        assert error.code == "day_closed"
    else:
        raise AssertionError("the till opened again after the Z")
    # a session left open across midnight cannot sell on a day whose Z is taken either
    shop.later(days=1).open()
    shop.sell(JAM, tenders=[cash(235)])
    till = registry.get_till(shop.session, "CAISSE-1")
    till.closed_until = shop.now.date()  # as if today's Z were taken by another process
    shop.session.flush()
    try:
        shop.sell(JAM, tenders=[cash(235)])
    except TillRefused as error:
        assert error.code == "day_closed"
    else:
        raise AssertionError("a sale after the Z")


def test_month_and_year_closures_and_perpetual_total(shop):
    from datetime import datetime

    from coop.clock import SHOP_TIMEZONE

    # Three days of sales over two months: 30 Nov (2,35), 1 Dec (5,80), 31 Dec (2 × 2,35).
    shop.at(datetime(2026, 11, 30, 10, 0, tzinfo=SHOP_TIMEZONE)).open()
    shop.sell(JAM, tenders=[cash(235)])
    shop.later(hours=1).close(10235)
    shop.at(datetime(2026, 12, 1, 10, 0, tzinfo=SHOP_TIMEZONE)).open()  # Z of 30 Nov, month Nov
    shop.sell(BREAD, tenders=[cash(580)])
    shop.later(hours=1).close(10580)
    shop.at(datetime(2026, 12, 31, 10, 0, tzinfo=SHOP_TIMEZONE)).open()  # Z of 1 Dec
    shop.sell(item(JAM, quantity=2), tenders=[cash(470)])
    shop.later(hours=1).close(10470)
    shop.later(minutes=1).z()
    # 2 January 2027: opening closes December and the year 2026.
    shop.at(datetime(2027, 1, 2, 10, 0, tzinfo=SHOP_TIMEZONE)).open()
    rows = shop.session.scalars(select(TillClosure).order_by(TillClosure.seq)).all()
    assert [
        (r.period, r.starts_on.isoformat(), r.total_cents, r.perpetual_cents) for r in rows
    ] == [
        ("day", "2026-11-30", 235, 235),
        ("month", "2026-11-01", 235, 235),
        ("day", "2026-12-01", 580, 815),
        ("day", "2026-12-31", 470, 1285),
        ("month", "2026-12-01", 1050, 1285),
        ("year", "2026-01-01", 1285, 1285),
    ]
    assert verify.verify(shop.session)[0].ok
    listed = closing.list_closures(shop.session, period=closing.Period.YEAR)
    assert listed[0]["sale_count"] == 3 and listed[0]["first_sale"] == 1


def test_a_month_closed_after_later_days_still_verifies(shop):
    """A month without sales closed by hand once December already has a Z: its closure totals
    the Zs of its own days (none), not the Zs that came before it in the journal; December's
    closure and the year's still add up; verify holds in one pass and in parts."""
    from datetime import datetime

    from coop.clock import SHOP_TIMEZONE

    shop.at(datetime(2026, 12, 1, 10, 0, tzinfo=SHOP_TIMEZONE)).open()
    shop.sell(JAM, tenders=[cash(235)])
    shop.later(hours=1).close(10235)
    shop.later(minutes=1).z()
    shop.at(datetime(2026, 12, 2, 9, 0, tzinfo=SHOP_TIMEZONE))
    [october] = closing.take_month_closure(
        shop.session,
        till_code=None,
        month=date(2026, 10, 1),
        settings=shop.settings.till,
        actor=shop.actor,
        now=shop.now,
    )
    assert (october.starts_on, october.total_cents) == (date(2026, 10, 1), 0)
    shop.session.commit()
    assert verify.verify(shop.session, workers=1)[0].ok
    # 2 January 2027: opening closes December (its Z of the 1st, written before October's
    # closure) and the year 2026 (October 0 + December 2,35).
    shop.at(datetime(2027, 1, 2, 10, 0, tzinfo=SHOP_TIMEZONE)).open()
    shop.later(minutes=5).sell(BREAD, tenders=[cash(580)])
    shop.session.commit()
    rows = shop.session.scalars(select(TillClosure).order_by(TillClosure.seq)).all()
    assert [(r.period, r.starts_on.isoformat(), r.total_cents) for r in rows] == [
        ("day", "2026-12-01", 235),
        ("month", "2026-10-01", 0),
        ("month", "2026-12-01", 235),
        ("year", "2026-01-01", 235),
    ]
    one = verify.verify(shop.session, workers=1)[0]
    several = verify.verify(shop.session, workers=3)[0]
    assert one.ok and several.ok and one.checked == several.checked == 6


def test_override_is_logged_and_required(shop):
    from coop.till.selling import SaleRefused

    shop.open()
    before = shop.counts()
    try:
        shop.sell(JAM, member="46", tenders=[cash(235)])
    except SaleRefused as error:
        assert error.code == "may_not_shop" and "46" in str(error)
    else:
        raise AssertionError("a member who left shopped")
    assert shop.counts() == before
    receipt = shop.sell(
        JAM, member="46", override_reason="a réglé sa part ce matin", tenders=[cash(235)]
    )
    assert receipt.committed and any("a réglé" in w for w in receipt.warnings)
    entry = shop.session.scalar(select(AuditEntry).where(AuditEntry.action == "sale.override"))
    assert entry is not None and entry.reason == "a réglé sa part ce matin"


def test_non_members_only_where_the_coop_allows_it(shop):
    from coop.till.selling import SaleRefused

    shop.open()
    try:
        shop.sell(JAM, member=None, tenders=[cash(235)])
    except SaleRefused as error:
        assert error.code == "members_only"
    else:
        raise AssertionError("a non-member bought")
    shop.configure(non_members=True)
    receipt = shop.sell(JAM, member=None, tenders=[cash(235)])
    assert receipt.member is None and receipt.committed
    assert shop.session.scalar(select(Sale.member_id).where(Sale.number == 1)) is None


def test_discounts_need_a_reason_and_beyond_the_limit_an_authorisation(shop):
    from coop.rights import Actor, NotAllowed, Role
    from coop.till.pricing import Discount, DiscountReason

    shop.open()
    cashier = Actor("Caissière", member_number=42, roles=frozenset({Role.CASHIER}))
    leader = Actor("Prénom43 Nom43", member_number=43, roles=frozenset({Role.SHIFT_LEADER}))
    shop.actor = cashier
    small = Discount(DiscountReason.DAMAGED, percent=Decimal(10))
    receipt = shop.sell(item(BREAD, discount=small), tenders=[cash(522)])
    assert receipt.sale.lines[0].amount_cents == 522  # 5,80 − 0,58
    big = Discount(DiscountReason.SHORT_DATE, percent=Decimal(50), note="DLC demain")
    try:
        shop.sell(item(BREAD, discount=big), tenders=[cash(290)])
    except NotAllowed as error:
        assert "Caissière" in str(error)
    else:
        raise AssertionError("50 % without authorisation")
    # A member number typed without that person's PIN authorises nothing.
    try:
        shop.sell(item(BREAD, discount=big), authorised_by=43, tenders=[cash(290)])
    except NotAllowed:
        pass
    else:
        raise AssertionError("authorised by a bare member number")
    shop.actor = cashier.with_second(leader)
    done = shop.sell(item(BREAD, discount=big), tenders=[cash(290)])
    assert done.sale.total_cents == 290
    logged = shop.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "sale.discount_authorised")
    )
    assert logged is not None and logged.after["authorised_by"] == 43
    assert "Caissière" in logged.actor and "Prénom43 Nom43" in logged.actor
    # A sale discount of 5 € on 11,60 € of goods (43 %) also needs it.
    shop.actor = cashier
    whole = Discount(DiscountReason.GOODWILL, amount_cents=500, note="attente")
    try:
        shop.sell(item(BREAD, quantity=2), discount=whole, tenders=[cash(660)])
    except NotAllowed:
        pass
    else:
        raise AssertionError("sale discount without authorisation")
    shop.actor = leader
    assert shop.sell(item(BREAD, quantity=2), discount=whole, tenders=[cash(660)]).committed


def test_a_discount_label_applies_to_the_item_before_it(shop):
    from coop.scanning import with_check_digit

    shop.open()
    label = with_check_digit("223000000000")  # 22{NN}: 30 % off
    receipt = shop.sell(BREAD, label, tenders=[cash(406)])
    # 5,80 × 30 % = 1,74 off: 4,06; a printed label needs no authorisation
    assert receipt.sale.lines[0].amount_cents == 406
    assert receipt.sale.lines[0].line_discount.note == "discount label"


def test_cash_movements_count_in_the_expected_cash(shop):
    shop.open(10000)
    shop.sell(BREAD, tenders=[cash(1000)])  # 5,80 in the drawer
    sessions.cash_movement(
        shop.session,
        till_code=None,
        amount_cents=-5000,
        reason="safe_drop",
        settings=shop.settings.till,
        actor=shop.actor,
        now=shop.now,
    )
    closed = shop.later(hours=1).close(5580)
    assert (closed.expected_cents, closed.difference_cents) == (5580, 0)


def test_one_open_session_per_till_and_two_tills(shop):
    from coop.till.refusals import TillRefused

    shop.open()
    try:
        shop.open()
    except TillRefused as error:
        assert error.code == "session_open"
    else:
        raise AssertionError("two sessions on one till")
    registry.create_till(shop.session, "caisse-2", actor=shop.actor, now=shop.now)
    shop.open(till="CAISSE-2")
    one = shop.sell(JAM, tenders=[cash(235)])
    two = shop.sell(JAM, till="CAISSE-2", tenders=[cash(235)])
    three = shop.sell(JAM, till="CAISSE-2", tenders=[cash(235)])
    assert (one.number, two.number, three.number) == (1, 1, 2)
    assert [v.ok for v in verify.verify(shop.session)] == [True, True]
