"""`coop orders close` as a whole process beside its service call (issue 18, target 6).

Run from the repository root::

    .venv/bin/python bench/bench_orders_close_cli.py            # 500 households × 300 articles
    .venv/bin/python bench/bench_orders_close_cli.py --quick    # 100 households

The data is ``bench_orders.build`` (about 60 articles ordered per household, 1 to 3 ledger rows
each). On two copies of the same file: ``coop.orders.service.close`` + commit in this process
(the floor), and ``coop orders close BENCH`` as a subprocess (interpreter start, imports, the
same close, then what the command prints). Both as wall and CPU seconds, median of ``--runs``
fresh copies; the ratio is the command's CPU over the service's (target ≤ 1.5×). Beside it,
the process floor: the service plus a process that only imports ``sqlalchemy.orm`` (what any
database command pays before its work), and the command's ratio to that; and the service
plus a process that imports ``coop.orders.service`` (the close's own code, imported before the
service is timed here, which a command must import). A script, not a test
(``--json``: the ``run_all`` figures).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_orders
from _common import log

ROOT = Path(__file__).resolve().parent.parent
RUN_ALL = {"full": [], "quick": ["--quick"], "figures": True}
TARGET_RATIO = 1.5


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def command(path: Path, workdir: Path, json_output: bool) -> tuple[float, float]:
    env = dict(
        os.environ,
        COOP_DATABASE_URL=f"sqlite:///{path}",
        COOP_CONFIG_DIR=str(workdir / "config"),
        COOP_DATA_DIR=str(workdir / "data"),
        COOP_LOG_DIR=str(workdir / "logs"),
    )
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-m", "coop", "orders", "close", "BENCH"]
        + (["--json"] if json_output else []),
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return time.perf_counter() - started, _children_cpu() - cpu


def bare_process(module: str = "sqlalchemy.orm") -> tuple[float, float]:
    """A process that only imports ``module``: ``sqlalchemy.orm`` is what any database command
    pays first; ``coop.orders.service`` is the close's own code, which the service's timing in
    this process does not count (it is imported before)."""
    started, cpu = time.perf_counter(), _children_cpu()
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", f"import {module}"], check=True)
    return time.perf_counter() - started, _children_cpu() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=bench_orders.HOUSEHOLDS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--quick", action="store_true", help="100 households, one run")
    parser.add_argument("--json", action="store_true", help="the run_all figures as JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.households, args.runs = 100, 1
    load = os.getloadavg()[0]
    samples: dict[str, list[tuple[float, float]]] = {
        "service": [],
        "text": [],
        "json": [],
        "bare": [],
        "imports": [],
    }
    with tempfile.TemporaryDirectory(prefix="comptoir-bench-") as tmp:
        workdir = Path(tmp)
        base = workdir / "orders.sqlite3"
        log(f"building {args.households} households…")
        size = bench_orders.build(base, args.households, args.seed)
        work = workdir / "work.sqlite3"
        for _ in range(args.runs):
            shutil.copy(base, work)
            wall = bench_orders.timed(work, bench_orders.close)
            samples["service"].append((wall, bench_orders.CPU["last"]))
            for kind in ("text", "json"):
                shutil.copy(base, work)
                samples[kind].append(command(work, workdir, kind == "json"))
            samples["bare"].append(bare_process())
            samples["imports"].append(bare_process("coop.orders.service"))
    service_wall = statistics.median(w for w, _ in samples["service"])
    service_cpu = statistics.median(c for _, c in samples["service"])
    title = f"figure ({args.households} households, {size['lines']:,} lines)"
    bare_wall = statistics.median(w for w, _ in samples["bare"])
    bare_cpu = statistics.median(c for _, c in samples["bare"])
    process_cpu = service_cpu + bare_cpu
    imports_cpu = service_cpu + statistics.median(c for _, c in samples["imports"])
    if args.json:
        cpu = statistics.median(c for _, c in samples["text"])
        figures = [
            {
                "name": f"`coop orders close`, {args.households} households (CPU)",
                "value": cpu,
                "unit": "s",
                "floor": service_cpu,
                "ratio": cpu / service_cpu,
                "target": f"≤ ×{TARGET_RATIO:g} the service",
                "met": cpu <= TARGET_RATIO * service_cpu,
            },
            {
                "name": f"`coop orders close`, {args.households} households, against the"
                " service + `import sqlalchemy.orm` (CPU)",
                "value": cpu,
                "unit": "s",
                "floor": process_cpu,
                "ratio": cpu / process_cpu,
                "target": "—",
                "met": True,
            },
            {
                "name": f"`coop orders close`, {args.households} households, against the"
                " service + a process importing `coop.orders.service` (CPU)",
                "value": cpu,
                "unit": "s",
                "floor": imports_cpu,
                "ratio": cpu / imports_cpu,
                "target": "—",
                "met": None,
            },
        ]
        print(json.dumps({"figures": figures, "load": load}))
        return 0
    print(f"| {title} | wall | CPU | ratio (CPU) | ratio to the process floor (CPU) | target |")
    print("|---|---|---|---|---|---|")
    floor = f"{service_wall:.2f} s | {service_cpu:.2f} s"
    print(f"| service close + commit (the floor) | {floor} | ×1 | | |")
    bare = f"{bare_wall:.2f} s | {bare_cpu:.2f} s"
    print(f"| `python -c 'import sqlalchemy.orm'` | {bare} | ×{bare_cpu / service_cpu:.2f} | | |")
    print(
        f"| process floor: the two above | {service_wall + bare_wall:.2f} s | {process_cpu:.2f} s"
        f" | ×{process_cpu / service_cpu:.2f} | ×1 | |"
    )
    imports_wall = statistics.median(w for w, _ in samples["imports"])
    imports_only = statistics.median(c for _, c in samples["imports"])
    print(
        f"| `python -c 'import coop.orders.service'` | {imports_wall:.2f} s | {imports_only:.2f} s"
        f" | ×{imports_only / service_cpu:.2f} | | |"
    )
    print(
        f"| service + that process | {service_wall + imports_wall:.2f} s | {imports_cpu:.2f} s"
        f" | ×{imports_cpu / service_cpu:.2f} | ×{imports_cpu / process_cpu:.2f} | |"
    )
    for kind, label in (("text", "`coop orders close BENCH`"), ("json", "… `--json` (whole view)")):
        wall = statistics.median(w for w, _ in samples[kind])
        cpu = statistics.median(c for _, c in samples[kind])
        target = "≤ ×1.5" if kind == "text" else "—"
        print(
            f"| {label} | {wall:.2f} s | {cpu:.2f} s | ×{cpu / service_cpu:.2f}"
            f" | ×{cpu / process_cpu:.2f} | {target} |"
        )
    print(f"\nload average (1 min) at the start: {load:.2f}; median of {args.runs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
