"""The cost of trust (issue 17): a sale commit with ``synchronous=FULL`` and the sealed account
and stock totals, beside ``synchronous=NORMAL`` and plain inserts; `coop backup` of a large
database beside a plain file copy.

Run from the repository root::

    .venv/bin/python bench/bench_trust.py                        # 200 commits, 1,000,000 sales
    .venv/bin/python bench/bench_trust.py --backup-sales 200000
    .venv/bin/python bench/bench_trust.py --commits 0                # the backup only

Commits go through ``bench_till.measure_commits`` (the real use case, 40-line sales, one
transaction each), once with ``PRAGMA synchronous = NORMAL`` (before), once with FULL (now), and
once with FULL and a prepaid top-up in each sale (one chained account movement each, the
account journal), each on a fresh SQLite file; its floor is plain ``sqlite3`` inserts of the
same rows. The backup database is filled by ``_till_bulk.bulk_journal``; the floor of
`coop backup` (SQLite's online backup API; the copy is opened, not fully checked) is
``shutil.copyfile`` of the file.
Targets: commit ≤ 5 ms median and ≤ 3× plain inserts; backup of 1,000,000 sales ≤ 10 s.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import _till_bulk
import bench_till
from _common import log
from sqlalchemy import select
from sqlalchemy.orm import Session

from coop import backup, db, migrate
from coop.catalog.models import Product
from coop.clock import SHOP_TIMEZONE
from coop.db import make_engine


def commits(
    folder: Path, mode: str, count: int, seed: int, top_up: int = 0
) -> tuple[float, float | None]:
    db.SQLITE_SYNCHRONOUS = mode
    url = f"sqlite:///{folder / f'commits-{mode}-{top_up}.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    bench_till.load_catalogue(engine, datetime(2026, 11, 1, 8, 0, tzinfo=SHOP_TIMEZONE))
    with Session(engine, expire_on_commit=False) as session:
        catalogue = bench_till.shelf(session)
        bench_till.catalogue_products[:] = list(session.scalars(select(Product)))
    figures = bench_till.measure_commits(
        engine, catalogue, count, random.Random(seed), date(2026, 11, 2), top_up
    )
    engine.dispose()
    return figures[0].value, figures[0].baseline


def backups(folder: Path, sales: int, seed: int) -> tuple[float, float, int]:
    db.SQLITE_SYNCHRONOUS = "FULL"
    path = folder / "big.sqlite3"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    bench_till.load_catalogue(engine, datetime(2026, 11, 1, 8, 0, tzinfo=SHOP_TIMEZONE))
    with Session(engine, expire_on_commit=False) as session:
        bench_till.catalogue_products[:] = list(session.scalars(select(Product)))
    log(f"writing {sales:,} sales (not timed)...")
    _till_bulk.bulk_journal(engine, sales, random.Random(seed))
    engine.dispose()
    started = time.perf_counter()
    shutil.copyfile(path, folder / "plain-copy.sqlite3")
    floor = time.perf_counter() - started
    (folder / "plain-copy.sqlite3").unlink()
    started = time.perf_counter()
    backup.backup(url, folder / "backup.sqlite3")
    seconds = time.perf_counter() - started
    return seconds, floor, path.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--backup-sales", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    load = Path("/proc/loadavg").read_text().split()[0]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        print(f"load average at start: {load}")
        print("| figure | value | floor / before | ratio | target |")
        print("|---|---|---|---|---|")
        if args.commits:
            before, _plain = commits(folder, "NORMAL", args.commits, args.seed)
            after, plain = commits(folder, "FULL", args.commits, args.seed)
            # each sale also tops up the prepaid account: one chained movement per sale
            journal, _plain = commits(folder, "FULL", args.commits, args.seed, top_up=1000)
            print(
                f"| commit a 40-line sale, synchronous=FULL, median | {after:.2f} ms |"
                f" NORMAL {before:.2f} ms | ×{after / before:.2f} | ≤ 5 ms |"
            )
            print(
                f"| the same with a prepaid top-up (account journal), median | {journal:.2f} ms |"
                f" NORMAL, no top-up {before:.2f} ms | ×{journal / before:.2f} | ≤ 5 ms |"
            )
            if plain:
                print(
                    f"| the same beside plain sqlite3 inserts | {after:.2f} ms | {plain:.2f} ms |"
                    f" ×{after / plain:.2f} | ≤ ×3 |"
                )
        if args.backup_sales:
            seconds, floor, size = backups(folder, args.backup_sales, args.seed)
            print(
                f"| `coop backup`, {args.backup_sales:,} sales ({size / 1e6:.0f} MB) |"
                f" {seconds:.2f} s | file copy {floor:.2f} s | ×{seconds / floor:.2f} |"
                f" ≤ {10 * args.backup_sales / 1e6:.1f} s |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
