"""Process start: whole-process wall times of everyday commands beside their floor.

Run from the repository root::

    .venv/bin/python bench/bench_cli_start.py            # 7 runs of each, median
    .venv/bin/python bench/bench_cli_start.py --runs 15 --json

The script builds the demo database once (``coop demo --no-tui``) in a temp data folder,
opens its till, then times, as separate processes of the venv's Python:

- ``coop --help`` (floor: ``python -c pass``, the interpreter's own start);
- ``coop desk check N --json``, ``coop members show N``, ``coop till sell`` of one item and
  ``coop amap sub show N --json`` (floor: ``python -c 'import sqlalchemy.orm'``, the least a
  command reading the database through the ORM must load);
- ``coop amap sub show N --json`` in-process (``coop.cli.main.main`` called again in a warm
  process; floor: the same read of the subscription's rows in plain sqlite3).

Each command's runs are interleaved with its floor's, so a busy machine slows both alike.
Besides wall time, each row gives the CPU time of the process (user + system, read from the
child's rusage: less sensitive than wall time to a loaded machine, where a process waits for a
core) and its ratio, and the sum of ``python -X importtime``'s self times (the import cost
alone, min of 3 runs) beside the floor's. The processes run with bytecode (``.pyc``) written
beforehand and ``PYTHONDONTWRITEBYTECODE`` removed, as an installed package runs: without
bytecode every start recompiles Comptoir's modules (≈ 0.3 s more).
Targets (issue 18, target 5): a database command ≤ 0.5 s and ≤ 1.5× its floor;
``coop --help`` ≤ 0.15 s. This is a script, not a test: it prints figures, it does not fail.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, log

RUN_ALL = {"full": ["--runs", "9"], "quick": ["--runs", "7", "--no-in-process"], "figures": True}
PYTHON = sys.executable
DB_TARGET = 0.5
DB_RATIO = 1.5
HELP_TARGET = 0.15


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({result.returncode}): {result.stderr}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return elapsed, cpu


def wall(argv: list[str], env: dict[str, str]) -> float:
    return timed(argv, env)[0]


def paired(
    command: list[str], floor: list[str], env: dict[str, str], runs: int
) -> tuple[float, float, float, float]:
    """Medians of the command and its floor, wall then CPU, their runs interleaved (after one
    warm-up each)."""
    wall(command, env)
    wall(floor, env)
    mine: list[tuple[float, float]] = []
    floors: list[tuple[float, float]] = []
    for _ in range(runs):
        floors.append(timed(floor, env))
        mine.append(timed(command, env))
    return (
        statistics.median(m[0] for m in mine),
        statistics.median(f[0] for f in floors),
        statistics.median(m[1] for m in mine),
        statistics.median(f[1] for f in floors),
    )


def import_seconds(argv: list[str], env: dict[str, str]) -> float:
    """The sum of ``-X importtime``'s self times (min of 3 runs): what the imports cost."""
    totals = []
    for _ in range(3):
        result = subprocess.run(
            [argv[0], "-X", "importtime", *argv[1:]], env=env, cwd=ROOT, capture_output=True
        )
        lines = result.stderr.decode().splitlines()
        totals.append(
            sum(
                int(line.split("|")[0].split(":")[1])
                for line in lines
                if line.startswith("import time:") and "self [us]" not in line
            )
        )
    return min(totals) / 1e6


def demo_facts(database: Path) -> dict[str, str]:
    with contextlib.closing(sqlite3.connect(database)) as connection:

        def one(sql: str) -> str:
            return str(connection.execute(sql).fetchone()[0])

        return {
            "member": one("SELECT min(number) FROM members"),
            "barcode": one(
                "SELECT barcode FROM products WHERE barcode IS NOT NULL AND active ORDER BY id"
            ),
            "till": one("SELECT code FROM tills ORDER BY id"),
            "subscription": one("SELECT min(id) FROM amap_subscriptions"),
        }


def in_process(arguments: list[str], runs: int) -> float:
    """Median of ``coop.cli.main.main(arguments)`` in this (warm) process."""
    from coop.cli.main import main

    samples: list[float] = []
    for _ in range(runs + 1):
        with contextlib.redirect_stdout(io.StringIO()):
            started = time.perf_counter()
            code = main(arguments)
            samples.append(time.perf_counter() - started)
        if code != 0:
            raise SystemExit(f"coop {' '.join(arguments)} failed in-process ({code})")
    return statistics.median(samples[1:])


def plain_subscription_read(database: Path, subscription: str, runs: int) -> float:
    """The subscription's own rows read with plain sqlite3 (connection opened each time)."""
    queries = [
        "SELECT * FROM amap_subscriptions WHERE id = ?",
        "SELECT * FROM amap_subscription_lines WHERE subscription_id = ?",
        "SELECT * FROM amap_baskets WHERE subscription_id = ?",
        "SELECT * FROM amap_payments WHERE subscription_id = ?",
        "SELECT * FROM amap_holders WHERE subscription_id = ?",
    ]
    samples: list[float] = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        with contextlib.closing(sqlite3.connect(database)) as connection:
            for sql in queries:
                connection.execute(sql, (int(subscription),)).fetchall()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (≥ 7)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="WORD",
        help="time only the commands whose label contains WORD (repeatable), e.g. --only sell",
    )
    parser.add_argument(
        "--no-in-process", action="store_true", help="skip the in-process amap figure"
    )
    options = parser.parse_args()
    runs = max(7, options.runs)
    coop = [PYTHON, "-m", "coop"]
    bare = [PYTHON, "-c", "pass"]
    orm = [PYTHON, "-c", "import sqlalchemy.orm"]
    with tempfile.TemporaryDirectory(prefix="bench-cli-start-") as folder:
        base = Path(folder)
        env = {
            **os.environ,
            "COOP_DATA_DIR": str(base / "data"),
            "COOP_CONFIG_DIR": str(base / "config"),
            "COOP_LOG_DIR": str(base / "logs"),
            "COOP_LANG": "en",
        }
        env.pop("COOP_DATABASE_URL", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode
        subprocess.run([PYTHON, "-m", "compileall", "-q", "coop"], cwd=ROOT, check=True)
        log("building the demo database (coop demo --no-tui)…")
        subprocess.run(
            [*coop, "demo", "--no-tui"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
        )
        database = base / "data" / "demo.sqlite3"
        env["COOP_DATABASE_URL"] = f"sqlite:///{database}"
        facts = demo_facts(database)
        wall([*coop, "till", "open", "--till", facts["till"], "--cash", "100,00"], env)
        commands = {
            "coop --help": ([*coop, "--help"], bare, "python -c pass"),
            f"coop desk check {facts['member']} --json": (
                [*coop, "desk", "check", facts["member"], "--json"],
                orm,
                "import sqlalchemy.orm",
            ),
            f"coop members show {facts['member']}": (
                [*coop, "members", "show", facts["member"]],
                orm,
                "import sqlalchemy.orm",
            ),
            "coop till sell (one item)": (
                [
                    *coop,
                    "till",
                    "sell",
                    "--till",
                    facts["till"],
                    "--member",
                    facts["member"],
                    facts["barcode"],
                    "--pay",
                    "cash=100",
                ],
                orm,
                "import sqlalchemy.orm",
            ),
            f"coop amap sub show {facts['subscription']} --json": (
                [*coop, "amap", "sub", "show", facts["subscription"], "--json"],
                orm,
                "import sqlalchemy.orm",
            ),
        }
        if options.only:
            commands = {
                label: spec
                for label, spec in commands.items()
                if any(word in label for word in options.only)
            }
        rows: list[dict[str, object]] = []
        for label, (command, floor, floor_label) in commands.items():
            log(f"timing {label}…")
            mine, floor_time, mine_cpu, floor_cpu = paired(command, floor, env, runs)
            target = HELP_TARGET if label == "coop --help" else DB_TARGET
            imports, floor_imports = import_seconds(command, env), import_seconds(floor, env)
            rows.append(
                {
                    "figure": f"{label} (whole process)",
                    "seconds": mine,
                    "floor": floor_label,
                    "floor_seconds": floor_time,
                    "ratio": mine / floor_time,
                    "cpu_seconds": mine_cpu,
                    "floor_cpu_seconds": floor_cpu,
                    "cpu_ratio": mine_cpu / floor_cpu,
                    "import_seconds": imports,
                    "floor_import_seconds": floor_imports,
                    "target": f"≤ {target} s"
                    + ("" if label == "coop --help" else f" and ≤ {DB_RATIO}×"),
                }
            )
        if options.no_in_process or options.only:
            return _report(rows, runs, options.json)
        log("timing amap sub show in-process…")
        os.environ.update({k: env[k] for k in ("COOP_DATA_DIR", "COOP_CONFIG_DIR", "COOP_LOG_DIR")})
        os.environ["COOP_DATABASE_URL"] = env["COOP_DATABASE_URL"]
        arguments = ["--lang", "en", "amap", "sub", "show", facts["subscription"], "--json"]
        mine = in_process(arguments, runs)
        floor_time = plain_subscription_read(database, facts["subscription"], runs)
        rows.append(
            {
                "figure": f"coop amap sub show {facts['subscription']} --json (in-process)",
                "seconds": mine,
                "floor": "its rows in plain sqlite3",
                "floor_seconds": floor_time,
                "ratio": mine / floor_time,
                "target": "—",
            }
        )
    _report(rows, runs, options.json)


def _report(rows: list[dict[str, object]], runs: int, as_json: bool) -> None:
    load = os.getloadavg()
    if as_json:
        report = {"runs": runs, "load": load, "rows": rows, "figures": figures(rows)}
        print(json.dumps(report, indent=2))
        return
    print(f"median of {runs} runs; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"{'figure':<52} {'time':>9} {'floor':>24} {'ratio':>6}  target")
    for row in rows:
        print(
            f"{row['figure']:<52} {_ms(row['seconds'])} "
            f"{row['floor']:>14} {_ms(row['floor_seconds'])} {row['ratio']:>5.2f}×  {row['target']}"
        )
        if "cpu_seconds" in row:
            print(
                f"{'  CPU (user + system)':<52} {_ms(row['cpu_seconds'])} "
                f"{'':>14} {_ms(row['floor_cpu_seconds'])} {row['cpu_ratio']:>5.2f}×"
            )
            print(
                f"{'  -X importtime, sum of self times':<52} {_ms(row['import_seconds'])} "
                f"{'':>14} {_ms(row['floor_import_seconds'])} "
                f"{row['import_seconds'] / row['floor_import_seconds']:>5.2f}×"  # type: ignore[operator]
            )


def figures(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The ``run_all`` figures: each whole process's CPU time beside its floor's (the steadier
    of the two on a shared machine); the in-process read by its wall time."""
    out: list[dict[str, object]] = []
    for row in rows:
        label = str(row["figure"])
        cpu = "cpu_seconds" in row
        value = float(row["cpu_seconds" if cpu else "seconds"])  # type: ignore[arg-type]
        floor = float(row["floor_cpu_seconds" if cpu else "floor_seconds"])  # type: ignore[arg-type]
        ratio = value / floor
        if label.startswith("coop --help"):
            met: bool | None = value <= HELP_TARGET
        elif cpu:
            met = value <= DB_TARGET and ratio <= DB_RATIO
        else:
            met = None
        out.append(
            {
                "name": f"{label}, floor {row['floor']}" + (" (CPU)" if cpu else ""),
                "value": value,
                "unit": "s",
                "floor": floor,
                "ratio": ratio,
                "target": row["target"],
                "met": met,
            }
        )
    return out


def _ms(seconds: object) -> str:
    assert isinstance(seconds, float)
    return f"{seconds * 1000:7.1f} ms" if seconds < 1 else f"{seconds:7.2f} s "


if __name__ == "__main__":
    main()
