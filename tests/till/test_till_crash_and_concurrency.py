"""A commit killed half-way leaves nothing, and two tills committing at once on PostgreSQL keep
their numbering gapless, their chains intact and the stock consistent (issue 4, "Bad input")."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.config import Settings, TillSettings
from coop.db import make_engine
from coop.stock import service as stock
from coop.till import registry, selling, verify
from coop.till.models import Sale
from coop.till.selling import ItemRequest, SaleRequest

from .conftest import BEER, BREAD, JAM, SATURDAY, Shop, cash

ROOT = Path(__file__).resolve().parents[2]

CRASHING = """
import sys, time
from pathlib import Path
from datetime import timedelta
from sqlalchemy.orm import Session
from coop.audit import Actor
from coop.rights import Role
from coop.config import Settings
from coop.db import make_engine
from coop.stock import moves as stock
from coop.till import registry, selling
from coop.till.payments import Means, Tender
from coop.till.selling import ItemRequest, SaleRequest
from tests.till.conftest import SATURDAY

url, marker = sys.argv[1], Path(sys.argv[2])
original = stock.apply_moves

def stalled(session, moves, *, now):
    original(session, moves, now=now)
    session.flush()
    marker.write_text("inside the commit")
    time.sleep(120)

stock.apply_moves = stalled
engine = make_engine(url)
with Session(engine) as session, session.begin():
    selling.commit_sale(
        session,
        SaleRequest(items=[ItemRequest("3017620422003", quantity=3)], member="42",
                    tenders=[Tender(Means.CASH, 705)]),
        settings=Settings(), actor=Actor("crash", roles=frozenset({Role.CASHIER})),
        now=SATURDAY + timedelta(minutes=5),
    )
"""


def _seed(session: Session) -> Shop:
    shop = Shop(session, _actor(), SATURDAY, Settings())
    shop.open()
    shop.sell(JAM, tenders=[cash(235)])
    session.commit()
    return shop


def _actor():
    from coop.audit import Actor
    from coop.rights import Role

    return Actor("test:cashier", roles=frozenset({Role.SHIFT_LEADER}))  # refunds too


def test_a_commit_killed_half_way_leaves_no_partial_sale(database_url, tmp_path):
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as session:
        shop = _seed(session)
        before = shop.counts()
        jam_before = shop.stock(JAM)
    marker = tmp_path / "inside"
    script = tmp_path / "crash.py"
    script.write_text(CRASHING, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script), database_url, str(marker)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert process.poll() is None, process.communicate()[1].decode()
            assert time.monotonic() < deadline, "the commit never started"
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    with Session(engine, expire_on_commit=False) as session:
        shop.session = session
        assert shop.counts() == before
        assert shop.stock(JAM) == jam_before
        [verdict] = verify.verify(session)
        assert verdict.ok and verdict.checked == 1
        receipt = shop.later(minutes=10).sell(JAM, tenders=[cash(235)])
        session.commit()
        assert receipt.number == 2
        assert verify.verify(session)[0].ok
    engine.dispose()


def test_two_tills_at_once_on_postgresql(postgres_database_url):
    """Three cashiers: two on till 1 (a double-click, a second screen), one on till 2, each
    committing sales of the same products as fast as they can, all at once."""
    url = postgres_database_url
    engine = make_engine(url)
    settings = Settings(till=TillSettings(till="CAISSE-1"))
    with Session(engine, expire_on_commit=False) as session:
        shop = Shop(session, _actor(), SATURDAY, settings)
        registry.create_till(session, "CAISSE-2", actor=shop.actor, now=shop.now)
        shop.open()
        shop.open(till="CAISSE-2")
        session.commit()
    per_cashier = 12
    sold: dict[str, int] = {JAM: 0, BEER: 0, BREAD: 0}
    lock = threading.Lock()
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def cashier(till: str, seed: int) -> None:
        rng = random.Random(seed)
        try:
            barrier.wait()
            for index in range(per_cashier):
                basket = {code: rng.randint(1, 3) for code in rng.sample(list(sold), 2)}
                total = sum(
                    quantity * {JAM: 235, BEER: 270, BREAD: 580}[code]
                    for code, quantity in basket.items()
                )
                with Session(engine) as session, session.begin():
                    selling.commit_sale(
                        session,
                        SaleRequest(
                            items=[ItemRequest(code, quantity=q) for code, q in basket.items()],
                            member="42",
                            tenders=[cash(total)],
                            token=f"{till}-{seed}-{index}",
                        ),
                        settings=settings,
                        actor=_actor(),
                        now=SATURDAY,
                        till_code=till,
                    )
                with lock:
                    for code, quantity in basket.items():
                        sold[code] += quantity
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [
        threading.Thread(target=cashier, args=args)
        for args in (("CAISSE-1", 1), ("CAISSE-1", 2), ("CAISSE-2", 3))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    with Session(engine) as session:
        numbers = {
            code: session.scalars(
                select(Sale.number)
                .join(registry.Till, registry.Till.id == Sale.till_id)
                .where(registry.Till.code == code)
                .order_by(Sale.number)
            ).all()
            for code in ("CAISSE-1", "CAISSE-2")
        }
        assert numbers["CAISSE-1"] == list(range(1, 2 * per_cashier + 1))
        assert numbers["CAISSE-2"] == list(range(1, per_cashier + 1))
        assert [v.ok for v in verify.verify(session)] == [True, True]
        shop.session = session
        assert {code: -shop.stock(code) for code in sold} == sold
        assert stock.cache_mismatches(session) == []
    engine.dispose()


def test_a_price_preview_does_not_wait_for_a_commit_on_postgresql(postgres_database_url):
    """While one transaction holds the till's row (a commit under way), a price preview on the
    same till, with an account top-up and a refund, still answers: it locks nothing."""
    from sqlalchemy import text

    from coop.till.selling import RefundRequest

    engine = make_engine(postgres_database_url)
    with Session(engine, expire_on_commit=False) as session:
        shop = _seed(session)  # sale 1: a jam
    with Session(engine) as holder, holder.begin():
        holder.execute(
            select(registry.Till).where(registry.Till.code == "CAISSE-1").with_for_update()
        )
        with Session(engine) as session, session.begin():
            session.execute(text("SET LOCAL lock_timeout = '2s'"))
            preview = selling.price_basket(
                session,
                SaleRequest(
                    items=[ItemRequest(JAM, quantity=2)],
                    refunds=[RefundRequest(sale_number=1, line_no=1)],
                    member="42",
                    top_up_cents=1000,
                ),
                settings=shop.settings,
                actor=_actor(),
                now=SATURDAY,
            )
            assert preview.sale.total_cents == 2 * 235 - 235 + 1000 and not preview.committed
            assert session.execute(text("SELECT count(*) FROM member_accounts")).scalar_one() == 0
    engine.dispose()
