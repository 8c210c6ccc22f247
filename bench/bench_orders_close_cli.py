"""`coop orders close` as a whole process beside its service call (issue 18, target 6).

Run from the repository root::

    .venv/bin/python bench/bench_orders_close_cli.py            # 500 households × 300 articles
    .venv/bin/python bench/bench_orders_close_cli.py --households 500,1000,2000  # 1×, 2×, 4×
    .venv/bin/python bench/bench_orders_close_cli.py --quick    # 100 households

The data is ``bench_orders.build`` (about 60 articles ordered per household, 1 to 3 ledger rows
each). On two copies of the same file: ``coop.orders.service.close`` + commit in this process
(the floor), and ``coop orders close BENCH`` as a subprocess (interpreter start, imports, the
same close, then what the command prints). Both as wall and CPU seconds, median of ``--runs``
fresh copies, at each size asked; the ratio is the command's CPU over the service's (target
≤ 1.5×; ``run_all`` measures 500, 1,000 and 2,000 households: the process start weighs less as
the close grows). Beside it, the process floor: the service plus a process that only imports
``sqlalchemy.orm`` (what any database command pays before its work), and the command's ratio
to that; and the service plus a process that imports ``coop.orders.service`` (the close's own
code, imported before the service is timed here, which a command must import). A script, not a test
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
RUN_ALL = {"full": ["--households", "500,1000,2000"], "quick": ["--quick"], "figures": True}
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


def measure(households: int, runs: int, seed: int) -> dict[str, list[tuple[float, float]]]:
    """Wall and CPU seconds of each figure at one size, ``runs`` fresh copies of one build."""
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
        log(f"building {households} households…")
        size = bench_orders.build(base, households, seed)
        work = workdir / "work.sqlite3"
        for _ in range(runs):
            shutil.copy(base, work)
            wall = bench_orders.timed(work, bench_orders.close)
            samples["service"].append((wall, bench_orders.CPU["last"]))
            for kind in ("text", "json"):
                shutil.copy(base, work)
                samples[kind].append(command(work, workdir, kind == "json"))
            samples["bare"].append(bare_process())
            samples["imports"].append(bare_process("coop.orders.service"))
    samples["lines"] = [(float(size["lines"]), 0.0)]
    return samples


def _median(samples: dict[str, list[tuple[float, float]]], kind: str, cpu: bool = True) -> float:
    return statistics.median(pair[1 if cpu else 0] for pair in samples[kind])


def figures(
    households: int, samples: dict[str, list[tuple[float, float]]]
) -> list[dict[str, object]]:
    """The ``run_all`` figures at one size: the command beside its three floors (CPU)."""
    cpu, service = _median(samples, "text"), _median(samples, "service")
    process = service + _median(samples, "bare")
    imports = service + _median(samples, "imports")
    name = f"`coop orders close`, {households:,} households"
    return [
        {
            "name": f"{name} (CPU)",
            "value": cpu,
            "unit": "s",
            "floor": service,
            "ratio": cpu / service,
            "target": f"≤ ×{TARGET_RATIO:g} the service",
            "met": cpu <= TARGET_RATIO * service,
        },
        {
            "name": f"{name}, against the service + `import sqlalchemy.orm` (CPU)",
            "value": cpu,
            "unit": "s",
            "floor": process,
            "ratio": cpu / process,
            "target": "—",
            "met": None,
        },
        {
            "name": f"{name}, against the service + a process importing `coop.orders.service`"
            " (CPU)",
            "value": cpu,
            "unit": "s",
            "floor": imports,
            "ratio": cpu / imports,
            "target": "—",
            "met": None,
        },
    ]


def table(households: int, samples: dict[str, list[tuple[float, float]]]) -> None:
    """The figures at one size as a Markdown table."""
    lines = int(samples["lines"][0][0])
    service_wall, service_cpu = _median(samples, "service", False), _median(samples, "service")
    bare_wall, bare_cpu = _median(samples, "bare", False), _median(samples, "bare")
    process_cpu = service_cpu + bare_cpu
    imports_wall, imports_only = _median(samples, "imports", False), _median(samples, "imports")
    imports_cpu = service_cpu + imports_only
    title = f"figure ({households:,} households, {lines:,} lines)"
    print(f"| {title} | wall | CPU | ratio (CPU) | ratio to the process floor (CPU) | target |")
    print("|---|---|---|---|---|---|")
    print(
        f"| service close + commit (the floor) | {service_wall:.2f} s | {service_cpu:.2f} s"
        " | ×1 | | |"
    )
    bare = f"{bare_wall:.2f} s | {bare_cpu:.2f} s"
    print(f"| `python -c 'import sqlalchemy.orm'` | {bare} | ×{bare_cpu / service_cpu:.2f} | | |")
    print(
        f"| process floor: the two above | {service_wall + bare_wall:.2f} s | {process_cpu:.2f} s"
        f" | ×{process_cpu / service_cpu:.2f} | ×1 | |"
    )
    print(
        f"| `python -c 'import coop.orders.service'` | {imports_wall:.2f} s | {imports_only:.2f} s"
        f" | ×{imports_only / service_cpu:.2f} | | |"
    )
    print(
        f"| service + that process | {service_wall + imports_wall:.2f} s | {imports_cpu:.2f} s"
        f" | ×{imports_cpu / service_cpu:.2f} | ×{imports_cpu / process_cpu:.2f} | |"
    )
    for kind, label in (("text", "`coop orders close BENCH`"), ("json", "… `--json` (whole view)")):
        wall, cpu = _median(samples, kind, False), _median(samples, kind)
        target = f"≤ ×{TARGET_RATIO:g}" if kind == "text" else "—"
        print(
            f"| {label} | {wall:.2f} s | {cpu:.2f} s | ×{cpu / service_cpu:.2f}"
            f" | ×{cpu / process_cpu:.2f} | {target} |"
        )
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--households",
        default=str(bench_orders.HOUSEHOLDS),
        help="sizes, comma-separated (default %(default)s; run_all: 500,1000,2000)",
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--quick", action="store_true", help="100 households, one run")
    parser.add_argument("--json", action="store_true", help="the run_all figures as JSON")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in str(args.households).split(",")]
    if args.quick:
        sizes, args.runs = [100], 1
    load = os.getloadavg()[0]
    results = [(households, measure(households, args.runs, args.seed)) for households in sizes]
    if args.json:
        found = [
            figure for households, samples in results for figure in figures(households, samples)
        ]
        print(json.dumps({"figures": found, "load": load}))
        return 0
    for households, samples in results:
        table(households, samples)
    print(f"load average (1 min) at the start: {load:.2f}; median of {args.runs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
