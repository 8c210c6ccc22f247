"""Two tills selling at once: on SQLite they queue (BEGIN IMMEDIATE) instead of being refused
"busy"; on PostgreSQL a till whose row is held elsewhere gets a sentence after the lock
timeout instead of hanging (issue 17 §5)."""

from __future__ import annotations

import random
import threading
import time

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from coop.audit import Actor
from coop.config import Settings, TillSettings
from coop.db import POSTGRES_LOCK_TIMEOUT_MS, make_engine, unavailable
from coop.rights import Role
from coop.till import registry, selling, verify
from coop.till.models import Sale
from coop.till.selling import ItemRequest, SaleRequest

from .conftest import BEER, BREAD, JAM, SATURDAY, Shop, cash

PRICES = {JAM: 235, BEER: 270, BREAD: 580}


def _sell(engine, settings, till: str, basket: dict[str, int], token: str) -> None:
    total = sum(quantity * PRICES[code] for code, quantity in basket.items())
    with Session(engine) as session, session.begin():
        selling.commit_sale(
            session,
            SaleRequest(
                items=[ItemRequest(code, quantity=q) for code, q in basket.items()],
                member="42",
                tenders=[cash(total)],
                token=token,
            ),
            settings=settings,
            actor=Actor("test:cashier", roles=frozenset({Role.CASHIER})),
            now=SATURDAY,
            till_code=till,
        )


def test_two_tills_sell_200_sales_each_without_a_refusal(database_url):
    engine = make_engine(database_url)
    settings = Settings(till=TillSettings(till="CAISSE-1"))
    with Session(engine, expire_on_commit=False) as session:
        shop = Shop(
            session, Actor("test:cashier", roles=frozenset({Role.CASHIER})), SATURDAY, settings
        )
        registry.create_till(session, "CAISSE-2", actor=shop.actor, now=shop.now)
        shop.open()
        shop.open(till="CAISSE-2")
        session.commit()
    per_till = 200
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def cashier(till: str, seed: int) -> None:
        rng = random.Random(seed)
        try:
            barrier.wait()
            for index in range(per_till):
                basket = {code: rng.randint(1, 3) for code in rng.sample(list(PRICES), 2)}
                _sell(engine, settings, till, basket, f"{till}-{index}")
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [
        threading.Thread(target=cashier, args=args) for args in (("CAISSE-1", 1), ("CAISSE-2", 2))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors[:3]
    with Session(engine) as session:
        for code in ("CAISSE-1", "CAISSE-2"):
            numbers = session.scalars(
                select(Sale.number)
                .join(registry.Till, registry.Till.id == Sale.till_id)
                .where(registry.Till.code == code)
                .order_by(Sale.number)
            ).all()
            assert numbers == list(range(1, per_till + 1)), code
        assert [v.ok for v in verify.verify(session)] == [True, True]
    engine.dispose()


def test_a_held_till_row_is_said_not_waited_for_on_postgresql(postgres_database_url):
    engine = make_engine(postgres_database_url)
    settings = Settings(till=TillSettings(till="CAISSE-1"))
    with Session(engine, expire_on_commit=False) as session:
        shop = Shop(
            session, Actor("test:cashier", roles=frozenset({Role.CASHIER})), SATURDAY, settings
        )
        shop.open()
        session.commit()
    holder = engine.connect()
    holder.begin()
    holder.execute(text("SELECT * FROM tills WHERE code = 'CAISSE-1' FOR UPDATE"))
    started = time.monotonic()
    with pytest.raises(OperationalError) as caught:
        _sell(engine, settings, "CAISSE-1", {JAM: 1}, "held")
    waited = time.monotonic() - started
    holder.rollback()
    holder.close()
    assert POSTGRES_LOCK_TIMEOUT_MS / 1000 - 0.5 < waited < POSTGRES_LOCK_TIMEOUT_MS / 1000 + 10
    message = str(unavailable(engine, caught.value))
    assert "Another till or command" in message and "try again" in message
    _sell(engine, settings, "CAISSE-1", {JAM: 1}, "after")  # the till works again
    engine.dispose()
