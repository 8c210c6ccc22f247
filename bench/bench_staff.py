"""Staff benchmark: how long a PIN check takes, and what a permission check adds to a sale.

Run from the repository root::

    .venv/bin/python bench/bench_staff.py            # a fresh SQLite file in a temp dir
    .venv/bin/python bench/bench_staff.py --json

Targets (issue 15): a PIN check between 50 and 250 ms (slow enough to resist guessing, fast
enough for a queue), printed with the floor of the same log-in without the hash (its database
work alone); a permission check adds at most 0.1 ms to a sale commit: the commit of a 40-line
sale (``coop.till.selling.commit``, which checks the cashier's right to sell) timed with the
real check and with the check replaced by a no-op, alternately, and the check alone timed over
100,000 calls. This is a script, not a test: it prints figures and ratios, it does not fail on
a missed target.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import bench_till
from _common import log, median_p95
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from coop import migrate
from coop.catalog.models import Product
from coop.clock import SHOP_TIMEZONE
from coop.config import Settings, TillSettings
from coop.db import make_engine
from coop.members.models import Member
from coop.rights import Actor, Right, Role, require
from coop.staff import rules, service
from coop.staff.models import StaffPin
from coop.till import selling, sessions
from coop.till.cash import CashCount
from coop.till.payments import Means, Tender
from coop.till.selling import SaleRequest

DAY = date(2026, 11, 21)
NOW = datetime.combine(DAY, datetime.min.time(), tzinfo=SHOP_TIMEZONE) + timedelta(hours=8)
ADMIN = Actor("bench", roles=frozenset({Role.ADMINISTRATOR}))
CASHIER = Actor("bench cashier", member_number=1, roles=frozenset({Role.CASHIER}))


def measure_pin(factory: sessionmaker[Session], count: int) -> dict[str, float]:
    with factory() as session, session.begin():
        number = session.scalar(select(Member.number).order_by(Member.number).limit(1))
        assert number is not None
        service.set_pin(session, number, "4821", actor=ADMIN, now=NOW)
        stored = session.scalar(select(StaffPin.pin_hash))
    assert stored is not None
    hashes: list[float] = []
    logins: list[float] = []
    floors: list[float] = []
    for _ in range(count):
        started = time.perf_counter()
        assert rules.pin_matches("4821", stored)
        hashes.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        service.log_in(factory, str(number), "4821", now=NOW)
        logins.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        with factory() as session, session.begin():  # the log-in's database work, no hash
            member = session.scalar(select(Member).where(Member.number == number))
            assert member is not None
            session.get(StaffPin, member.id)
            service.actor_for(session, member)
        floors.append((time.perf_counter() - started) * 1000)
    return {
        "pin_hash_ms": statistics.median(hashes),
        "login_ms": statistics.median(logins),
        "login_floor_ms": statistics.median(floors),
    }


def measure_commits(engine: Any, count: int, rng: random.Random) -> dict[str, float]:
    with Session(engine, expire_on_commit=False) as session:
        catalogue = bench_till.shelf(session)
        bench_till.catalogue_products.extend(session.scalars(select(Product)))
    settings = Settings(till=TillSettings(till="CAISSE-1"))
    with Session(engine) as session, session.begin():
        sessions.open_session(
            session,
            till_code=None,
            count=CashCount(20000),
            settings=settings.till,
            actor=ADMIN,
            now=NOW,
        )
    checked: list[float] = []
    unchecked: list[float] = []
    real = require

    def no_check(*_args: Any, **_kwargs: Any) -> None:
        return None

    for index in range(2 * count + 10):
        items, total = bench_till.basket(rng, catalogue, 40)
        request = SaleRequest(
            items=items,
            member=rng.choice(catalogue.members),
            tenders=[Tender(Means.CARD, total - 1000), Tender(Means.CASH, 2000)],
        )
        moment = NOW + timedelta(seconds=10 * index)
        with Session(engine) as session:
            prepared = selling.prepare(
                session, request, settings=settings, actor=CASHIER, now=moment
            )
        with_check = index % 2 == 0
        setattr(selling, "require", real if with_check else no_check)  # noqa: B010
        try:
            started = time.perf_counter()
            with Session(engine) as session, session.begin():
                selling.commit(session, prepared, settings=settings, actor=CASHIER, now=moment)
            elapsed = (time.perf_counter() - started) * 1000
        finally:
            setattr(selling, "require", real)  # noqa: B010
        if index >= 10:
            (checked if with_check else unchecked).append(elapsed)
    calls = 100_000
    started = time.perf_counter()
    for _ in range(calls):
        require(CASHIER, Right.SELL)
    check_ms = (time.perf_counter() - started) * 1000 / calls
    with_median, _p95 = median_p95(checked)
    without_median, _p95 = median_p95(unchecked)
    return {
        "commit_with_check_ms": with_median,
        "commit_without_check_ms": without_median,
        "check_alone_ms": check_ms,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pins", type=int, default=20, help="PIN checks timed")
    parser.add_argument("--sales", type=int, default=100, help="sales timed each way")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rng = random.Random(15)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        engine = make_engine(url)
        migrate.upgrade(engine)
        log("loading the demo's members and catalogue…")
        bench_till.load_catalogue(engine, NOW)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        log("timing PIN checks…")
        pin = measure_pin(factory, args.pins)
        log("timing sale commits with and without the permission check…")
        sale = measure_commits(engine, args.sales, rng)
        engine.dispose()
    result = {**pin, **sale, "load_average": os.getloadavg()[0]}
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    added = sale["commit_with_check_ms"] - sale["commit_without_check_ms"]
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"PIN hash check (scrypt n={rules.SCRYPT_N} r={rules.SCRYPT_R} p={rules.SCRYPT_P}):")
    print(f"  hash alone       {pin['pin_hash_ms']:8.1f} ms   (target 50–250 ms)")
    print(
        f"  whole log-in     {pin['login_ms']:8.1f} ms   floor (its database work, no hash)"
        f" {pin['login_floor_ms']:.2f} ms, ratio {pin['login_ms'] / pin['login_floor_ms']:.0f}×"
    )
    print("Permission check on a 40-line sale commit (SQLite):")
    print(f"  commit with the check     {sale['commit_with_check_ms']:7.2f} ms (median)")
    print(f"  commit without (floor)    {sale['commit_without_check_ms']:7.2f} ms (median)")
    print(
        f"  ratio {sale['commit_with_check_ms'] / sale['commit_without_check_ms']:.3f};"
        f" difference of the medians {added:+.2f} ms (noise: fsync)"
    )
    print(f"  the check alone           {sale['check_alone_ms'] * 1000:7.2f} µs (target ≤ 100 µs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
