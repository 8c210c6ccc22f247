"""`coop till verify` at 250k, 500k and 1M sales, beside its floor (issue 18 target 1).

Run from the repository root::

    .venv/bin/python bench/bench_verify.py                       # 250k, 500k, 1M (1×, 2×, 4×)
    .venv/bin/python bench/bench_verify.py --sizes 100000 --json
    .venv/bin/python bench/bench_verify.py --keep /tmp/verify-bench  # build once, reuse after

Writing a million sales of bench data takes about half an hour on a loaded machine: with
``--keep DIR`` (or ``COOP_BENCH_VERIFY_CACHE=DIR``) each size's file is kept in DIR and reused
by the next run (a file is renamed into place only once it is complete).

Each size gets a fresh SQLite file filled by ``_till_bulk.bulk_journal`` (the same generator as
the till benchmark: real pricing rules, sealed and chained as a commit does, a Z every 1,500
sales, monthly and yearly closures, one stock move per product line). Then, in a fresh process
each (so the peak memory is the verification's own):

- the floor: reading every journal row with plain ``sqlite3`` and the SHA-256 of its bytes;
- `verify` through the API in one process (``workers=1``), its peak resident memory.

The figure and its floor are both the process's CPU seconds (``time.process_time``) in the
same process: the machine is shared, so wall seconds say more about the neighbours than about
the code (they are printed too), and the load average is printed beside the table.

Targets: 1,000,000 sales ≤ 10 s, ≤ 3× the floor, ≤ 300 MB, linear from 250k to 1M.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from _common import log

DATA_VERSION = "v2"
"""In a kept database's name: v2's sales move stock, one move per product line, as a commit
does (v1's moved none, so verify counted no stock moves); a kept v1 file is not reused."""
RUN_ALL = {
    "full": ["--sizes", "250000,500000,1000000"],
    "quick": ["--sizes", "20000,40000", "--runs", "1"],
    "figures": True,
}
SEED = 2026
TARGET_SECONDS_PER_MILLION = 10.0
TARGET_RATIO = 3.0
TARGET_MB = 300


def upgrade(path: Path) -> None:
    """Bring a kept database to this version's schema (nothing to do when it is already)."""
    from coop import migrate
    from coop.db import make_engine

    engine = make_engine(f"sqlite:///{path}")
    try:
        if not migrate.is_up_to_date(engine):
            log(f"  upgrading {path.name} to the current schema (not timed)...")
            migrate.upgrade(engine)
    finally:
        engine.dispose()


def kept(folder: Path, size: int, seed: int) -> Path:
    """The database of ``size`` sales in ``folder``: written when missing (renamed into place
    once complete), brought to this version's schema when kept by an older one."""
    path = folder / f"verify-{size}-{DATA_VERSION}.sqlite3"
    if not path.exists():
        log(f"writing {size:,} sales (not timed)...")
        building = path.with_suffix(".building")
        building.unlink(missing_ok=True)
        # in a process of its own: Linux carries a parent's peak memory over to the children
        # it starts (fork, then exec), so a build in this process would raise the peak
        # measured in the next child to its own (about 300 MB)
        subprocess.run(
            [sys.executable, __file__, "--build", str(building), str(size), str(seed)],
            check=True,
        )
        building.rename(path)
    upgrade(path)
    return path


def build(path: Path, sales: int, seed: int) -> None:
    import _till_bulk
    import bench_till
    from sqlalchemy.orm import Session

    from coop import migrate
    from coop.catalog.models import Product
    from coop.clock import SHOP_TIMEZONE
    from coop.db import make_engine

    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    now = datetime(2026, 11, 1, 8, 0, tzinfo=SHOP_TIMEZONE)
    bench_till.load_catalogue(engine, now)
    with Session(engine, expire_on_commit=False) as session:
        bench_till.catalogue_products.extend(session.query(Product))
    counts = _till_bulk.bulk_journal(engine, sales, random.Random(seed))
    log(f"  {counts}")
    engine.dispose()


JOURNAL_READ = (
    "SELECT seq, kind, number, at, data, previous_hash, hash, sale_id, closure_id"
    " FROM till_journal ORDER BY till_id, seq"
)
"""Every journal record, in chain order: what the floor reads (``data`` is the 5th column)."""


def floor(path: Path) -> tuple[float, float]:
    """Read every journal row (plain sqlite3) and hash its bytes: what verify cannot avoid
    (wall and CPU seconds)."""
    started, cpu = time.perf_counter(), time.process_time()
    connection = sqlite3.connect(path)
    cursor = connection.execute(JOURNAL_READ)
    while rows := cursor.fetchmany(20_000):
        for row in rows:
            hashlib.sha256(row[4].encode("ascii")).hexdigest()
    connection.close()
    return time.perf_counter() - started, time.process_time() - cpu


def measure(path: Path) -> dict[str, float]:
    """In this (fresh) process: the floor, then verify, then the peak memory."""
    from sqlalchemy.orm import Session

    from coop.db import make_engine
    from coop.till import verify

    load = os.getloadavg()[0]
    floor_seconds, floor_cpu = floor(path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        started, cpu = time.perf_counter(), time.process_time()
        [verdict] = verify.verify(session, till_code="CAISSE-3", workers=1)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert verdict.ok, verdict.as_dict()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "records": verdict.checked,
        "floor_s": floor_seconds,
        "verify_s": seconds,
        "ratio": seconds / floor_seconds,
        "floor_cpu_s": floor_cpu,
        "verify_cpu_s": cpu,
        "cpu_ratio": cpu / floor_cpu,
        "peak_mb": peak_mb,
        "load": load,
    }


def best_cpu(connection: sqlite3.Connection, statement: str, runs: int = 3) -> float:
    """The least CPU seconds of ``runs`` executions of one statement, its rows fetched."""
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        connection.execute(statement).fetchall()
        best = min(best, time.process_time() - started)
    return best


def study_main(
    argv: list[str] | None,
    script: str,
    doc: str,
    measure_one: Callable[[Path], dict[str, float]],
    figures_of: Callable[[int, dict[str, float]], list[dict[str, object]]],
) -> int:
    """The ``main`` of a study on these databases (``bench_verify_bound``,
    ``bench_store_once``): each size measured by ``measure_one`` in a fresh process (the script
    run again with ``--measure FILE``), its figures printed as a table or as ``run_all``'s
    JSON."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--sizes", default="250000")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--keep",
        metavar="DIR",
        default=os.environ.get("COOP_BENCH_VERIFY_CACHE"),
        help="keep (and reuse) the databases in DIR (bench_verify's)",
    )
    parser.add_argument("--measure", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure_one(Path(args.measure))))
        return 0
    out: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep or scratch)
        for size in [int(s) for s in args.sizes.split(",")]:
            path = kept(folder, size, args.seed)
            child = subprocess.run(
                [sys.executable, script, "--measure", str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(child.stdout)
            log(f"{size:,} sales: {result}")
            out.extend(figures_of(size, result))
    load = os.getloadavg()[0]
    if args.json:
        print(json.dumps({"figures": out, "load": load}))
        return 0
    print(f"load average: {load:.2f}; SQLite {sqlite3.sqlite_version}")
    print("| figure | CPU | floor CPU | × floor |")
    print("|---|---|---|---|")
    for figure in out:
        print(
            f"| {figure['name']} | {figure['value']:.4f} s | {figure['floor']:.4f} s"
            f" | ×{figure['ratio']:.2f} |"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250000,500000,1000000")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--runs", type=int, default=3, help="verify runs per size (median)")
    parser.add_argument("--measure", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument(
        "--build", nargs=3, metavar=("FILE", "SALES", "SEED"), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--keep",
        metavar="DIR",
        default=os.environ.get("COOP_BENCH_VERIFY_CACHE"),
        help="keep (and reuse) the databases in DIR",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(Path(args.measure))))
        return 0
    if args.build:
        build(Path(args.build[0]), int(args.build[1]), int(args.build[2]))
        return 0
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or scratch
        for size in [int(s) for s in args.sizes.split(",")]:
            path = kept(Path(folder), size, args.seed)
            runs = []
            for _ in range(args.runs):
                child = subprocess.run(
                    [sys.executable, __file__, "--measure", str(path)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs.append(json.loads(child.stdout))
            runs.sort(key=lambda run: run["verify_cpu_s"])
            median = runs[len(runs) // 2]
            results.append({"sales": size, **median})
            log(
                f"{size:>9,} sales: verify {median['verify_s']:.2f} s, floor "
                f"{median['floor_s']:.2f} s (×{median['ratio']:.2f}; CPU "
                f"{median['verify_cpu_s']:.2f} s / {median['floor_cpu_s']:.2f} s, "
                f"×{median['cpu_ratio']:.2f}), peak {median['peak_mb']:.0f} MB,"
                f" load {median['load']:.1f}"
            )
            if not args.keep:
                path.unlink()
    load = Path("/proc/loadavg").read_text().split()[0]
    first = results[0]
    if args.json:
        print(json.dumps({"results": results, "load": load, "figures": figures(results)}))
        return 0
    print(f"load average: {load}")
    print(
        "| sales | verify (s) | floor: read + SHA-256 (s) | ratio | CPU: verify / floor (s)"
        " | CPU ratio | growth (CPU) | peak MB | target |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        target = TARGET_SECONDS_PER_MILLION * r["sales"] / 1e6
        print(
            f"| {r['sales']:,} | {r['verify_s']:.2f} | {r['floor_s']:.2f} |"
            f" ×{r['ratio']:.2f} (≤ ×{TARGET_RATIO:g}) |"
            f" {r['verify_cpu_s']:.2f} / {r['floor_cpu_s']:.2f} | ×{r['cpu_ratio']:.2f} |"
            f" ×{r['verify_cpu_s'] / first['verify_cpu_s']:.2f} for"
            f" ×{r['sales'] / first['sales']:g} | {r['peak_mb']:.0f} (≤ {TARGET_MB}) |"
            f" ≤ {target:.1f} s |"
        )
    return 0


def figures(results: list[dict[str, float]]) -> list[dict[str, object]]:
    """The ``run_all`` figures: each size's verify CPU time beside its floor's."""
    out: list[dict[str, object]] = []
    for r in results:
        target = TARGET_SECONDS_PER_MILLION * r["sales"] / 1e6
        out.append(
            {
                "name": f"till verify, {r['sales']:,} sales (CPU; wall {r['verify_s']:.1f} s,"
                f" peak {r['peak_mb']:.0f} MB)",
                "value": r["verify_cpu_s"],
                "unit": "s",
                "floor": r["floor_cpu_s"],
                "ratio": r["cpu_ratio"],
                "target": f"≤ {target:g} s, ≤ ×{TARGET_RATIO:g}, ≤ {TARGET_MB} MB",
                "met": r["verify_cpu_s"] <= target
                and r["cpu_ratio"] <= TARGET_RATIO
                and r["peak_mb"] <= TARGET_MB,
            }
        )
    return out


if __name__ == "__main__":
    raise SystemExit(main())
