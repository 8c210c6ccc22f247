"""Till benchmark: committing a 40-line sale, resolving a scan, a day's Z data, `verify`.

Run from the repository root::

    .venv/bin/python bench/bench_till.py                   # a fresh SQLite file in a temp dir
    .venv/bin/python bench/bench_till.py --database postgresql+psycopg://postgres@/x?host=/tmp/pg
    .venv/bin/python bench/bench_till.py --verify-sales 100000 --json
    .venv/bin/python bench/bench_till.py --digest 35 > rows.json  # rows of 45 sales, hashed

Targets (issue 4, on SQLite): committing a 40-line sale with its stock moves and hash ≤ 5 ms
median, also printed as a ratio to plain ``sqlite3`` inserts of the same rows; resolving a
scanned barcode ≤ 0.2 ms; the daily Z data for a day of 1,500 sales ≤ 200 ms; `coop till
verify` over 1,000,000 sales ≤ 10 s (issue 18's target 1, which replaced issue 4's 30 s;
``bench_verify`` measures it beside its floor).

How the data is made: the demo's members, producers and 246 products through the real CSV
imports. Commits and the day of 1,500 sales go through the real use case
(``coop.till.selling.commit_sale``: desk check, scans resolved, pricing, payments, sale, lines,
payments, VAT, journal record, stock moves, till head), one transaction each, commit included.
The million sales to verify are written in bulk (``_till_bulk``) on a third till (committing
them one by one would take an hour): 500 basket templates priced by the pure rules (1 to 11
products, weighed goods, deposits, a member price rule, card and cash), sealed and chained
exactly as a commit does, with a daily Z every 1,500 sales and the monthly and yearly closures,
so `verify` checks the same things as on a real journal. This is a script, not a test: it prints
figures and ratios, it does not fail on a missed target.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from _common import log, median_p95
from _till_bulk import ACTOR, SALES_PER_DAY, bulk_journal
from _till_plain import plain_inserts
from sqlalchemy import Engine, create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from coop import migrate
from coop.catalog import scan
from coop.catalog.exchange import import_producers, import_products
from coop.catalog.models import Product
from coop.clock import SHOP_TIMEZONE
from coop.config import MemberSettings, Settings, TillSettings
from coop.db import make_engine, normalise_url
from coop.members.exchange import import_members
from coop.members.models import Member
from coop.nomenclature import DEFAULT_RULES, embed_value
from coop.till import closing, selling, sessions, verify
from coop.till.payments import Means, Tender
from coop.till.selling import ItemRequest, SaleRequest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"

TARGETS = {"commit40": 5.0, "scan": 0.2, "z_day": 200.0, "verify": 10.0}


@dataclass
class Figure:
    key: str
    label: str
    value: float
    unit: str
    target: float | None = None
    baseline: float | None = None  # the same work done by plain inserts, same unit

    @property
    def ratio(self) -> float | None:
        return None if self.target is None else self.value / self.target


@contextmanager
def scratch_database(url: str | None, workdir: Path) -> Iterator[str]:
    if url is None:
        yield f"sqlite:///{workdir / 'till-bench.db'}"
        return
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if Path(parsed.database or "").exists():
            raise SystemExit(f"{parsed.database} exists: the benchmark needs a fresh database")
        yield url
        return
    name = f"comptoir_bench_till_{os.getpid()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield parsed.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# ------------------------------------------------------------------------------ data


def load_catalogue(engine: Engine, now: datetime) -> None:
    with Session(engine) as session, session.begin():
        import_members(
            session, SAMPLE / "members.csv", actor=ACTOR, now=now, settings=MemberSettings()
        )
        import_producers(session, SAMPLE / "producers.csv", actor=ACTOR, now=now)
        import_products(session, SAMPLE / "products.csv", actor=ACTOR, now=now)


@dataclass(frozen=True)
class Shelf:
    pieces: list[Product]  # active, sold by the piece, not deposits
    weighed: list[Product]
    members: list[str]  # numbers of members who may shop


def shelf(session: Session) -> Shelf:
    products = list(session.scalars(select(Product).where(Product.active.is_(True))))
    deposits = {p.deposit_product_id for p in products if p.deposit_product_id}
    pieces = [p for p in products if not p.by_weight and p.id not in deposits and p.barcode]
    weighed = [p for p in products if p.by_weight]
    numbers = [
        str(number)
        for number in session.scalars(
            select(Member.number).where(Member.left_on.is_(None), Member.main_member_id.is_(None))
        )
    ]
    return Shelf(pieces, weighed, numbers)


def basket(rng: random.Random, catalogue: Shelf, lines: int) -> tuple[list[ItemRequest], int]:
    """Items making exactly ``lines`` sale lines (deposits count), and their total at list
    price (what the member pays: the demo's members are all in categories without a rule)."""
    items: list[ItemRequest] = []
    total = 0
    used = 0
    for product in rng.sample(catalogue.weighed, 4):
        grams = rng.randrange(150, 2500)
        items.append(ItemRequest(embed_value(DEFAULT_RULES[2], product.barcode, grams)))
        total += int(
            (Decimal(product.price_cents) * grams / 1000).quantize(Decimal(1), "ROUND_HALF_UP")
        )
        used += 1
    pool = rng.sample(catalogue.pieces, len(catalogue.pieces))
    while used < lines:
        product = pool.pop()
        extra = 2 if product.deposit_product_id else 1
        if used + extra > lines:
            continue
        quantity = rng.randint(1, 3)
        items.append(ItemRequest(product.barcode, quantity=quantity))
        total += product.price_cents * quantity
        if product.deposit_product_id:
            deposit = next(p for p in catalogue_products if p.id == product.deposit_product_id)
            total += deposit.price_cents * quantity
        used += extra
    return items, total


catalogue_products: list[Product] = []


# ------------------------------------------------------------------------------ figures


def measure_scans(engine: Engine, catalogue: Shelf, count: int, rng: random.Random) -> Figure:
    with Session(engine) as session:
        rules = scan.load_rules(session)
        codes = []
        for _ in range(count):
            kind = rng.random()
            if kind < 0.6:
                codes.append(rng.choice(catalogue.pieces).barcode)
            elif kind < 0.9:
                product = rng.choice(catalogue.weighed)
                codes.append(embed_value(DEFAULT_RULES[2], product.barcode, rng.randrange(1, 5000)))
            else:
                codes.append("PAIN-CAMP-1KG")
        for code in codes[:50]:  # warm the statement cache
            scan.resolve(session, code, rules)
        samples = []
        for code in codes:
            started = time.perf_counter()
            found = scan.resolve(session, code, rules)
            samples.append((time.perf_counter() - started) * 1000)
            assert found.ok, found
    median, p95 = median_p95(samples)
    log(f"scan: median {median:.3f} ms, p95 {p95:.3f} ms")
    return Figure("scan", "resolve a scanned barcode, median", median, "ms", TARGETS["scan"])


def measure_commits(
    engine: Engine,
    catalogue: Shelf,
    count: int,
    rng: random.Random,
    day: date,
    top_up_cents: int = 0,
    floor: bool = True,
) -> list[Figure]:
    """``top_up_cents``: each sale also tops up the member's prepaid account (one chained
    account movement per sale, ``coop.accounts.journal``); ``floor``: measure the plain
    inserts too (on SQLite)."""
    settings = Settings(till=TillSettings(till="CAISSE-1"))
    now = datetime.combine(day, datetime.min.time(), tzinfo=SHOP_TIMEZONE) + timedelta(hours=8)
    with Session(engine) as session, session.begin():
        sessions.open_session(
            session,
            till_code=None,
            count=sessions.CashCount(20000),
            settings=settings.till,
            actor=ACTOR,
            now=now,
        )
    baskets = [basket(rng, catalogue, 40) for _ in range(count + 10)]
    samples = []
    cpu_samples = []
    whole = []
    for index, (items, total) in enumerate(baskets):
        request = SaleRequest(
            items=items,
            member=rng.choice(catalogue.members),
            tenders=[Tender(Means.CARD, total - 1000), Tender(Means.CASH, 2000 + top_up_cents)],
            top_up_cents=top_up_cents,
        )
        moment = now + timedelta(seconds=10 * index)
        started = time.perf_counter()
        # as at the counter: the card and the 40 items are scanned (desk check, scans resolved,
        # lines priced; reads only), then the customer pays and the sale is committed
        with Session(engine) as session:
            prepared = selling.prepare(session, request, settings=settings, actor=ACTOR, now=moment)
        paid, cpu = time.perf_counter(), time.process_time()
        with Session(engine) as session, session.begin():
            receipt = selling.commit(session, prepared, settings=settings, actor=ACTOR, now=moment)
        done, cpu = time.perf_counter(), time.process_time() - cpu
        assert len(receipt.sale.lines) == 40, len(receipt.sale.lines)
        if index >= 10:  # the first ones warm the caches
            samples.append((done - paid) * 1000)
            cpu_samples.append(cpu * 1000)
            whole.append((done - started) * 1000)
    median, p95 = median_p95(samples)
    log(f"commit of a 40-line sale: median {median:.2f} ms, p95 {p95:.2f} ms")
    whole_median, _whole_p95 = median_p95(whole)
    log(f"  with the desk check and the 40 scans resolved first: median {whole_median:.2f} ms")
    baseline = baseline_cpu = None
    if floor and engine.dialect.name == "sqlite":
        baseline, baseline_cpu = plain_inserts(engine, count)
        log(f"plain sqlite3 inserts of the same rows: median {baseline:.2f} ms")
    cpu_median = statistics.median(cpu_samples)
    log(f"  CPU: median {cpu_median:.2f} ms, plain inserts {baseline_cpu or 0:.2f} ms")
    return [
        Figure(
            "commit40",
            "commit a 40-line sale (stock moves, hash), median",
            median,
            "ms",
            TARGETS["commit40"],
            baseline,
        ),
        Figure(
            "sell40",
            "the same from its scans (desk check, 40 scans resolved, commit), median",
            whole_median,
            "ms",
        ),
        Figure(
            "commit40_cpu",
            "commit a 40-line sale, process CPU time, median (beside the plain inserts' CPU)",
            cpu_median,
            "ms",
            TARGETS["commit40"],
            baseline_cpu,
        ),
    ]


def measure_day(engine: Engine, catalogue: Shelf, rng: random.Random, day: date) -> list[Figure]:
    """1,500 sales (1 to 11 products) committed on CAISSE-2, then the day's Z data."""
    settings = Settings(till=TillSettings(till="CAISSE-2"))
    opening = datetime.combine(day, datetime.min.time(), tzinfo=SHOP_TIMEZONE) + timedelta(hours=8)
    with Session(engine) as session, session.begin():
        sessions.open_session(
            session,
            till_code=None,
            count=sessions.CashCount(20000),
            settings=settings.till,
            actor=ACTOR,
            now=opening,
        )
    started = time.perf_counter()
    for index in range(SALES_PER_DAY):
        items, total = basket(rng, catalogue, rng.randint(5, 15))
        request = SaleRequest(
            items=items, member=rng.choice(catalogue.members), tenders=[Tender(Means.CARD, total)]
        )
        with Session(engine) as session, session.begin():
            selling.commit_sale(
                session,
                request,
                settings=settings,
                actor=ACTOR,
                now=opening + timedelta(seconds=20 * index),
            )
    log(f"{SALES_PER_DAY} sales committed in {time.perf_counter() - started:.1f} s")
    samples = []
    for _ in range(5):
        with Session(engine) as session:
            started = time.perf_counter()
            [report] = closing.report_day(session, day=day, till_code="CAISSE-2")
            samples.append((time.perf_counter() - started) * 1000)
    assert report["sale_count"] == SALES_PER_DAY
    closing_time = opening + timedelta(hours=12)
    with Session(engine) as session, session.begin():
        sessions.close_session(
            session,
            till_code=None,
            counted=sessions.CashCount(20000),
            settings=settings.till,
            actor=ACTOR,
            now=closing_time,
        )
    started = time.perf_counter()
    with Session(engine) as session, session.begin():
        closing.take_day_closure(
            session,
            till_code=None,
            day=day,
            settings=settings.till,
            actor=ACTOR,
            now=closing_time,
        )
    taken = (time.perf_counter() - started) * 1000
    median = statistics.median(samples)
    log(f"Z data of 1,500 sales: median {median:.1f} ms; taking the Z (commit) {taken:.1f} ms")
    return [
        Figure(
            "z_day",
            "daily Z data, a day of 1,500 sales, median of 5",
            median,
            "ms",
            TARGETS["z_day"],
        ),
        Figure("z_take", "taking that Z (sealed, committed)", taken, "ms"),
    ]


def measure_verify(engine: Engine, url: str, sales: int, rng: random.Random) -> list[Figure]:
    log(f"writing {sales:,} sales in bulk (not timed)...")
    counts = bulk_journal(engine, sales, rng)
    log(f"  {counts}")
    with Session(engine) as session:
        started = time.perf_counter()
        [verdict] = verify.verify(session, till_code="CAISSE-3")
        api = time.perf_counter() - started
    assert verdict.ok, verdict.as_dict()
    log(f"verify (API) over {verdict.checked:,} records: {api:.1f} s")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "coop", "--database", url, "till", "verify", "--till", "CAISSE-3"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    cli = time.perf_counter() - started
    assert result.returncode == 0, result.stdout + result.stderr
    log(f"coop till verify (CLI, end to end): {cli:.1f} s")
    return [
        Figure(
            "verify",
            f"verify {sales:,} sales ({counts['lines']:,} lines, "
            f"{counts['closures']:,} closures), API",
            api,
            "s",
            TARGETS["verify"] * sales / 1e6,
        ),
        Figure(
            "verify_cli",
            "the same with `coop till verify` (process, end to end)",
            cli,
            "s",
            TARGETS["verify"] * sales / 1e6,
        ),
    ]


def row_digests(engine: Engine) -> dict[str, list[Any]]:
    """[row count, SHA-256 of every row in key order] of every table: two runs that committed
    the same sales (``--digest``) compare their rows, ids, sealed bytes and hashes included."""
    digests: dict[str, list[Any]] = {}
    with engine.connect() as connection:
        for table in sorted(inspect(engine).get_table_names()):
            rows = connection.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
            digest = hashlib.sha256()
            for row in rows:
                digest.update(repr(tuple(row)).encode() + b"\n")
            digests[table] = [len(rows), digest.hexdigest()]
    return digests


# ------------------------------------------------------------------------------ report


def machine(engine: Engine) -> dict[str, Any]:
    info = {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "database": engine.dialect.name,
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }
    import sqlalchemy

    info["sqlalchemy"] = sqlalchemy.__version__
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            info["postgresql"] = connection.execute(text("SHOW server_version")).scalar_one()
    return info


def print_table(result: dict[str, Any]) -> None:
    rows = [("figure", "measured", "target", "ratio", "plain inserts", "× plain")]
    for f in result["figures"]:
        unit = f["unit"]
        measured = f"{f['value']:.3f} {unit}" if unit == "ms" else f"{f['value']:.2f} {unit}"
        target = f"≤ {f['target']:g} {unit}" if f["target"] is not None else "—"
        ratio = f"{f['ratio']:.2f}" if f["ratio"] is not None else "—"
        base = f"{f['baseline']:.3f} {unit}" if f["baseline"] is not None else "—"
        times = f"{f['value'] / f['baseline']:.1f}" if f["baseline"] else "—"
        rows.append((f["label"], measured, target, ratio, base, times))
    widths = [max(len(row[i]) for row in rows) for i in range(6)]
    for n, row in enumerate(rows):
        print(
            "  ".join(
                c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(row)
            )
        )
        if n == 0:
            print("  ".join("-" * w for w in widths))
    m = result["machine"]
    extra = f", PostgreSQL {m['postgresql']}" if "postgresql" in m else ""
    print(
        f"\nmachine: {m['nproc']} cores, Python {m['python']}, SQLite {m['sqlite']}{extra},"
        f" SQLAlchemy {m['sqlalchemy']}; database: {m['database']}"
    )
    if m["load_average"] is not None:
        print(f"load average (1 min) when the run started: {m['load_average']:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", metavar="URL", help="PostgreSQL server or SQLite file")
    parser.add_argument("--commits", type=int, default=200, help="40-line sales to commit")
    parser.add_argument("--scans", type=int, default=2000)
    parser.add_argument("--verify-sales", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--digest",
        type=int,
        metavar="N",
        help="only commit N (+10) 40-line sales, then print a SHA-256 of each table's rows",
    )
    parser.add_argument("--top-up", type=int, default=0, metavar="CENTS", help="with --digest")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    with (
        tempfile.TemporaryDirectory() as folder,
        scratch_database(args.database, Path(folder)) as url,
    ):
        engine = make_engine(url)
        migrate.upgrade(engine)
        info = machine(engine)
        now = datetime(2026, 11, 1, 8, 0, tzinfo=SHOP_TIMEZONE)
        load_catalogue(engine, now)
        with Session(engine, expire_on_commit=False) as session:
            catalogue = shelf(session)
            catalogue_products.extend(session.scalars(select(Product)))
        if args.digest is not None:  # the same sales with two versions of the code: same rows?
            measure_commits(
                engine, catalogue, args.digest, rng, date(2026, 11, 2), args.top_up, floor=False
            )
            print(json.dumps(row_digests(engine), indent=1, sort_keys=True))
            engine.dispose()
            return 0
        figures = [measure_scans(engine, catalogue, args.scans, rng)]
        figures.extend(measure_commits(engine, catalogue, args.commits, rng, date(2026, 11, 2)))
        figures.extend(measure_day(engine, catalogue, rng, date(2026, 11, 3)))
        if args.verify_sales:
            figures.extend(measure_verify(engine, url, args.verify_sales, rng))
        engine.dispose()
    result = {
        "figures": [{**dataclasses.asdict(f), "ratio": f.ratio} for f in figures],
        "machine": info,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
