"""Settling a grouped order (one invoice per household), beside its floor (issue 18, target 2).

Run from the repository root::

    .venv/bin/python bench/bench_settle.py                    # 500, 1,000, 2,000 households
    .venv/bin/python bench/bench_settle.py --households 500 --before /tmp/main-src

Data: ``bench_orders.build`` (H households ordering about 60 articles each), closed, sent,
received (every third article short) and re-allocated, not timed. Then, in a fresh process
each, on a copy of that file:

- ``settle``: ``coop.orders.delivery.settle`` + commit (invoices, lines, VAT, account
  movements, outbox events, audit), wall and CPU seconds;
- the floor: the rows that settle wrote, inserted again with plain ``sqlite3`` executemany
  into empty tables of the same shape (one set-based insert of the same rows).

``--before DIR`` also settles a copy with the code found in DIR (e.g. ``git archive main``
unpacked there), dumps every row both wrote by natural keys (invoice numbers, member numbers;
no surrogate ids) and says whether they are the same.

Targets: 500 households ≤ 1 s, 2,000 ≤ 4 s, linear.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from _common import ROOT, log

RUN_ALL = {
    "full": ["--households", "500,1000,2000"],
    "quick": ["--households", "100,200", "--runs", "1"],
    "figures": True,
}
TARGETS = {500: 1.0, 2000: 4.0}
SECONDS_PER_HOUSEHOLD = 1.0 / 500

DUMPS = {
    "invoices": "SELECT i.series, i.number, i.kind, m.number, i.issued_on, i.at, i.reference,"
    " i.prices_include_vat, i.excl_vat_cents, i.vat_cents, i.incl_vat_cents, i.charged,"
    " i.created_by FROM invoices i JOIN members m ON m.id = i.member_id ORDER BY i.number",
    "lines": "SELECT i.number, l.line_no, l.label, l.product_id, l.quantity, l.weighed,"
    " l.unit_price_cents, l.vat_rate_bp, l.excl_vat_cents, l.vat_cents, l.incl_vat_cents"
    " FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id ORDER BY i.number, l.line_no",
    "vat": "SELECT i.number, v.vat_rate_bp, v.excl_vat_cents, v.vat_cents FROM invoice_vat v"
    " JOIN invoices i ON i.id = v.invoice_id ORDER BY i.number, v.vat_rate_bp",
    "movements": "SELECT m.number, a.at, a.kind, a.amount_cents, a.balance_after_cents,"
    " a.reference, i.number, a.actor FROM account_movements a"
    " JOIN member_accounts c ON c.id = a.account_id JOIN members m ON m.id = c.member_id"
    " LEFT JOIN invoices i ON i.id = a.invoice_id ORDER BY a.id",
    "balances": "SELECT m.number, c.balance_cents, c.updated_at FROM member_accounts c"
    " JOIN members m ON m.id = c.member_id ORDER BY m.number",
    "charges": "SELECT m.number, i.number FROM order_charges o JOIN members m"
    " ON m.id = o.member_id JOIN invoices i ON i.id = o.invoice_id ORDER BY m.number",
    "outbox": "SELECT kind, key, event_date, snapshot, state FROM sync_outbox ORDER BY id",
    "audit": "SELECT at, actor, action, entity, member_id, after FROM audit_entries"
    " WHERE action IN ('invoice.issue', 'orders.settle') ORDER BY id",
}
WRITTEN = ("invoices", "invoice_lines", "invoice_vat", "account_movements", "sync_outbox")


def prepare(path: Path, households: int, seed: int) -> None:
    """The bench_orders data, closed, sent, received and re-allocated (not timed)."""
    import bench_orders

    bench_orders.build(path, households, seed)
    for action in (
        bench_orders.close,
        bench_orders.send,
        bench_orders.receive,
        bench_orders.proportional,
    ):
        bench_orders.timed(path, action)


def settle(path: Path) -> dict[str, float]:
    """In this (fresh) process: settle, commit, then the floor on the rows it wrote."""
    from datetime import datetime

    from sqlalchemy.orm import Session

    from coop.audit import Actor
    from coop.clock import SHOP_TIMEZONE
    from coop.config import AccountSettings
    from coop.db import make_engine
    from coop.orders import delivery

    now = datetime(2026, 11, 16, 8, 0, tzinfo=SHOP_TIMEZONE) + timedelta(days=9)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        wall, cpu = time.perf_counter(), time.process_time()
        with session.begin():
            settlement = delivery.settle(
                session, code="BENCH", settings=AccountSettings(), actor=Actor("bench"), now=now
            )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    engine.dispose()
    floor_wall, floor_cpu = floor(path)
    return {
        "invoices": len(settlement.charges),
        "settle_s": wall,
        "settle_cpu_s": cpu,
        "floor_s": floor_wall,
        "floor_cpu_s": floor_cpu,
    }


def floor(path: Path) -> tuple[float, float]:
    """Plain sqlite3: the rows settle wrote, inserted again into empty twins of their tables
    (wall and CPU seconds)."""
    connection = sqlite3.connect(path)
    tables = {name: connection.execute(f"SELECT * FROM {name}").fetchall() for name in WRITTEN}
    for name in WRITTEN:
        connection.execute(f"CREATE TEMP TABLE twin_{name} AS SELECT * FROM {name} WHERE 0")
    started, cpu = time.perf_counter(), time.process_time()
    for name, rows in tables.items():
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            connection.executemany(f"INSERT INTO twin_{name} VALUES ({marks})", rows)
    connection.commit()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    connection.close()
    return seconds, cpu


def dump(path: Path) -> dict[str, list[list[object]]]:
    connection = sqlite3.connect(path)
    out = {name: [list(row) for row in connection.execute(sql)] for name, sql in DUMPS.items()}
    connection.close()
    return out


def in_process(path: Path, code_root: Path) -> dict[str, float]:
    child = subprocess.run(
        [sys.executable, __file__, "--settle", str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=code_root,
        env={"PYTHONPATH": f"{code_root}:{ROOT / 'bench'}", "PATH": "/usr/bin:/bin"},
    )
    result: dict[str, float] = json.loads(child.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", default="500,1000,2000")
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--runs", type=int, default=3, help="settles per size (median)")
    parser.add_argument("--before", metavar="DIR", help="also settle with the code in DIR")
    parser.add_argument("--settle", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.settle:
        print(json.dumps(settle(Path(args.settle))))
        return 0
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        for households in [int(h) for h in args.households.split(",")]:
            base = Path(folder) / f"settle-{households}.sqlite3"
            log(f"preparing {households:,} households (not timed)...")
            prepare(base, households, args.seed)
            runs = []
            for run in range(args.runs):
                work = Path(folder) / f"work-{run}.sqlite3"
                shutil.copy(base, work)
                runs.append(in_process(work, ROOT))
            runs.sort(key=lambda r: r["settle_cpu_s"])  # the median by CPU (a shared machine)
            row: dict[str, Any] = {"households": households, **runs[len(runs) // 2]}
            if args.before:
                old = Path(folder) / "before.sqlite3"
                shutil.copy(base, old)
                row["before_cpu_s"] = in_process(old, Path(args.before))["settle_cpu_s"]
                row["same_rows"] = dump(old) == dump(Path(folder) / "work-0.sqlite3")
            results.append(row)
            log(f"  {row}")
    load = Path("/proc/loadavg").read_text().split()[0]
    if args.json:
        print(json.dumps({"results": results, "load": load, "figures": figures(results)}))
        return 0
    print(f"load average: {load}")
    print(
        "| households | settle (s) | CPU (s) | floor: plain inserts, wall / CPU (s) | ratio"
        " (CPU) | growth (CPU) | before, CPU (s) | same rows | target (CPU) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    first = results[0]
    for r in results:
        print(
            f"| {r['households']:,} | {r['settle_s']:.2f} | {r['settle_cpu_s']:.2f} |"
            f" {r['floor_s']:.3f} / {r['floor_cpu_s']:.3f} |"
            f" ×{r['settle_cpu_s'] / r['floor_cpu_s']:.1f} |"
            f" ×{r['settle_cpu_s'] / first['settle_cpu_s']:.2f} for"
            f" ×{r['households'] / first['households']:g} | {_before(r)} |"
            f" {r.get('same_rows', '—')} | ≤ {_target(r):g} s |"
        )
    return 0


def _before(row: dict[str, Any]) -> str:
    return f"{row['before_cpu_s']:.2f}" if "before_cpu_s" in row else "—"


def _target(row: dict[str, Any]) -> float:
    households = int(row["households"])
    return TARGETS.get(households, SECONDS_PER_HOUSEHOLD * households)


def figures(results: list[dict[str, Any]]) -> list[dict[str, object]]:
    """The ``run_all`` figures: each size's settle beside its floor."""
    return [
        {
            "name": f"settle a grouped order, {r['households']:,} households (CPU)",
            "value": r["settle_cpu_s"],
            "unit": "s",
            "floor": r["floor_cpu_s"],
            "ratio": r["settle_cpu_s"] / r["floor_cpu_s"],
            "target": f"≤ {_target(r):g} s",
            "met": r["settle_cpu_s"] <= _target(r),
        }
        for r in results
    ]


if __name__ == "__main__":
    raise SystemExit(main())
