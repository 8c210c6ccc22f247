"""Two tills refunding the same line at once (issue 17 §6), with two real concurrent
transactions on SQLite and PostgreSQL: the first wins; the second waits for it (the original
sale is locked; on SQLite writers queue) and is then told the truth, that the line has just
been refunded and by which sale of which till, not "more than was sold"."""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop.audit import Actor
from coop.config import Settings, TillSettings
from coop.db import make_engine
from coop.rights import Role
from coop.till import registry, selling
from coop.till.models import SaleLineRow
from coop.till.refusals import SaleRefused
from coop.till.requests import RefundRequest, SaleRequest

from .conftest import JAM, SATURDAY, Shop, cash

LEADER = frozenset({Role.CASHIER, Role.SHIFT_LEADER})
"""Refunds need a shift leader's right (``coop.rights``)."""


def _refund(session: Session, settings: Settings, till: str, token: str):
    request = SaleRequest(
        member="42",
        refunds=[RefundRequest(1, 1, till="CAISSE-1")],
        tenders=[cash(-235)],
        token=token,
    )
    return selling.commit_sale(
        session,
        request,
        settings=settings,
        actor=Actor(f"test:{till}", roles=LEADER),
        now=SATURDAY,
        till_code=till,
    )


def test_the_loser_of_two_refunds_of_one_line_is_told_it_was_just_refunded(database_url):
    engine = make_engine(database_url)
    settings = Settings(till=TillSettings(till="CAISSE-1"))
    with Session(engine, expire_on_commit=False) as session:
        shop = Shop(session, Actor("test:cashier", roles=LEADER), SATURDAY, settings)
        registry.create_till(session, "CAISSE-2", actor=shop.actor, now=shop.now)
        shop.open()
        shop.open(till="CAISSE-2")
        shop.sell(JAM, tenders=[cash(235)])  # sale 1 of CAISSE-1, one jar
        session.commit()
    first_done = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        with Session(engine) as session, session.begin():
            _refund(session, settings, "CAISSE-1", "refund-1")
            first_done.set()
            time.sleep(1.0)  # the second till is waiting on the original sale meanwhile

    def second() -> None:
        first_done.wait(timeout=10)
        try:
            with Session(engine) as session, session.begin():
                outcome["second"] = _refund(session, settings, "CAISSE-2", "refund-2")
        except SaleRefused as error:
            outcome["second"] = error

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert time.monotonic() - started >= 1.0  # the second waited for the first
    error = outcome["second"]
    assert isinstance(error, SaleRefused), error
    assert str(error) == (
        "refund 1: line 1 of sale 1 (Confiture de fraises) is already refunded, by sale 2 of till"
        " CAISSE-1 at 09:00."
    )
    with Session(engine) as session:
        refunded = session.scalar(
            select(func.count()).select_from(SaleLineRow).where(SaleLineRow.refund_sale_number == 1)
        )
    engine.dispose()
    assert refunded == 1
