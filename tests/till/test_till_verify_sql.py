"""The SQL that writes each sale's sealed data (`coop.till.verify_sql`, issue 18 target 1) for
every shape of sale a till commits: line and sale discounts (with non-ASCII notes), weighed
and price-labelled goods, deposits returned, a refund, a top-up paid into the account, an
account payment, a non-member. The text the database writes must be the stored text (once
non-ASCII characters are escaped as ``json`` escapes them), and a forged row of any of those
shapes gets the exact path's verdict."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text

from coop.till import verify, verify_fast, verify_sql
from coop.till.models import Till
from coop.till.payments import Means, Tender
from coop.till.pricing import Discount, DiscountReason
from coop.till.requests import DepositReturn, RefundRequest

from .conftest import APPLES, BEER, BREAD, CHEESE, DEPOSIT, JAM, card, cash, drop_triggers, item
from .conftest import price_label as labelled


@pytest.fixture
def varied(shop):
    """One day of sales of every shape, closed by its Z."""
    shop.configure(non_members=True)
    shop.open()
    damaged = Discount(DiscountReason.DAMAGED, percent=Decimal(10), note="abîmé")
    shop.later(minutes=5).sell(item(BREAD, discount=damaged), BEER, tenders=[cash(1000)])
    goodwill = Discount(DiscountReason.GOODWILL, amount_cents=50, note="attente")
    shop.later(minutes=5).sell(item(JAM, quantity=3), discount=goodwill, tenders=[card(655)])
    shop.later(minutes=5).sell(item(APPLES, grams=750), labelled(CHEESE, 412), tenders=[cash(652)])
    shop.later(minutes=5).sell(top_up_cents=1000, tenders=[cash(1000)])
    shop.later(minutes=5).sell(item(BREAD), tenders=[Tender(Means.ACCOUNT, 580)])
    shop.later(minutes=5).sell(JAM, returns=[DepositReturn(DEPOSIT, 2)], tenders=[cash(215)])
    shop.later(minutes=5).sell(refunds=[RefundRequest(1, 1)], tenders=[cash(-522)])
    shop.later(minutes=5).sell(JAM, member=None, tenders=[cash(235)])
    shop.later(hours=1).close(10000)
    shop.later(minutes=1).z()
    shop.session.commit()
    return shop


def sale_texts(session) -> list[tuple[str, str]]:
    """Each sale's stored data beside the text the database writes from its rows, in seq
    order."""
    dialect = session.get_bind().dialect.name
    cursor = session.connection().connection.cursor()
    if dialect != "postgresql":
        verify_sql.fill_labels(cursor)
    cursor.execute(
        f"SELECT j.data, {verify_sql.sale_sql(dialect)} FROM till_journal j"
        " JOIN sales s ON s.id = j.sale_id ORDER BY j.seq"
    )
    return list(cursor.fetchall())


def test_the_database_writes_every_shape_of_sale_as_sealed(varied):
    rows = sale_texts(varied.session)
    assert len(rows) == 8
    for stored, built in rows:
        assert stored == built or verify_fast._same(built, stored), (stored, built)
    sealed = "".join(stored for stored, _built in rows)
    for shape in ('"abîmé"', '"attente"', '"refund"', '"deposit_return"', ",true,", '"account"'):
        escaped = shape.encode("ascii", "coop-json-ascii").decode("ascii")
        assert escaped in sealed, shape
    [verdict] = verify.verify(varied.session, workers=1)
    assert verdict.ok and verdict.checked == 9


FORGERIES = {
    "a line's discount note": "UPDATE sale_lines SET discount_note = 'abime' WHERE sale_id ="
    " (SELECT id FROM sales WHERE number = 1) AND line_no = 1",
    "a sale's discount amount": "UPDATE sales SET discount_amount_cents = 49 WHERE number = 2",
    "a weighed line's quantity": "UPDATE sale_lines SET quantity = 751 WHERE sale_id ="
    " (SELECT id FROM sales WHERE number = 3) AND line_no = 1",
    "a top-up": "UPDATE sales SET top_up_cents = 999, total_cents = 999 WHERE number = 4",
    "a refund's origin": "UPDATE sale_lines SET refund_line_no = 2 WHERE kind = 'refund'",
    "a non-member sale given a member": "UPDATE sales SET member_id ="
    " (SELECT member_id FROM sales WHERE number = 1) WHERE number = 8",
    "a payment's means": "UPDATE sale_payments SET means = 'card' WHERE sale_id ="
    " (SELECT id FROM sales WHERE number = 6)",
}


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_a_forged_row_of_any_shape_gets_the_exact_paths_verdict(varied, forgery):
    session = varied.session
    drop_triggers(session)
    session.execute(text(FORGERIES[forgery]))
    session.commit()
    [verdict] = verify.verify(session, workers=1)
    till = session.get(Till, 1)
    high = session.execute(text("SELECT max(seq) FROM till_journal")).scalar_one()
    exact = verify.check_part(session, till.id, 1, high, verify.State())
    assert verdict.broken is not None
    assert verdict.broken == exact.broken
    assert verdict.broken["reason"] in {"rows_mismatch", "closure_mismatch"}
