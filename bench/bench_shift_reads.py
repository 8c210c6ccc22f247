"""Whole-membership shift reads and the daily run, beside their floor, at growing sizes.

Run from the repository root::

    .venv/bin/python bench/bench_shift_reads.py            # 5k, 10k, 20k, 40k members
    .venv/bin/python bench/bench_shift_reads.py --quick    # 1k, 2k, 4k (a minute)
    .venv/bin/python bench/bench_shift_reads.py --sizes 20000 --presets louve
    .venv/bin/python bench/bench_shift_reads.py --sizes 20000 --joined spread
    .venv/bin/python bench/bench_shift_reads.py --sizes 20000 --what-if   # VACUUMed, as below
    .venv/bin/python bench/bench_shift_reads.py --sizes 20000 --what-if cycles-day-first

Issue 18, targets 3 and 6 (SQLite). For each size the data of ``bench_shifts.build`` (three
years of La Louve history, over a million ledger entries at 20k) plus, so that every path of
the run is timed: 2 % of the working members on a holiday leave (half of them ending
yesterday), and per preset 2 % of the fixed-slot holders who must let their slot go on the day
measured (BEES: a counter at the unsubscription threshold; Tapir: far below the freeze
threshold for 20 days; La Louve's run never releases a slot: its releases come from marking
an absence), with eight weeks of shifts generated so that releasing cancels real bookings.

Figures, each with the floor measured in the same run (``SELECT member_id, SUM(delta) FROM
shift_ledger GROUP BY member_id``, median of 3) and its ratio:

- the daily run on a cycle day through the API (``shifts.service.run``, commit included), per
  preset, on a fresh copy of the database;
- the same through the command line (``coop shifts run --today D``, the whole process);
- everyone's status at a past date (``shifts.service.statuses``) and the paper status list's
  data (``shifts.documents.status_list``) with their number of SQL statements;
- ``coop shifts status --at D --json`` as a whole process.

Growth: each figure divided by the same figure at the first size, beside the members' ratio.
A script, not a test: it prints, it does not fail on a missed target.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import log

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PRESETS = ("louve", "bees", "tapir")
SHARE = 50  # one member in 50 (2 %) on leave, one holder in 50 releasing


@contextmanager
def counting(engine: Any) -> Iterator[list[str]]:
    from sqlalchemy import event

    sent: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", count)


def floor(path: Path) -> tuple[float, float]:
    """The aggregate's (wall, CPU) seconds, median of 3 after a warming run."""
    connection = sqlite3.connect(path)
    query = "SELECT member_id, SUM(delta) FROM shift_ledger GROUP BY member_id"
    connection.execute(query).fetchall()  # warm the page cache
    samples = [timed(lambda: connection.execute(query).fetchall())[0] for _ in range(3)]
    connection.close()
    return (
        statistics.median(wall for wall, _ in samples),
        statistics.median(cpu for _, cpu in samples),
    )


def prepare(path: Path, preset: str, today: date, seed: int) -> dict[str, int]:
    """Leaves for everyone's preset, releases for this one (see the module docstring)."""
    connection = sqlite3.connect(path)
    workers = [
        row[0]
        for row in connection.execute(
            "SELECT member_id FROM shift_member_states WHERE mode != 'exempt' ORDER BY member_id"
        )
    ]
    holders = [
        row[0]
        for row in connection.execute(
            "SELECT DISTINCT member_id FROM shift_holdings ORDER BY member_id"
        )
    ]
    on_leave = workers[seed % SHARE :: SHARE]
    for n, member_id in enumerate(on_leave):
        end = today - timedelta(days=1) if n % 2 else today + timedelta(days=20)
        connection.execute(
            "UPDATE shift_member_states SET leave_kind = 'holiday', leave_start = ?,"
            " leave_end = ? WHERE member_id = ?",
            ((today - timedelta(days=10)).isoformat(), end.isoformat(), member_id),
        )
    releasing = holders[(seed + 7) % SHARE :: SHARE]
    for member_id in releasing:
        if preset == "bees":
            connection.execute(
                "UPDATE shift_member_states SET regular = -4 WHERE member_id = ?", (member_id,)
            )
        elif preset == "tapir":
            since = (today - timedelta(days=20)).isoformat()
            connection.execute(
                "UPDATE shift_member_states SET balance = -30, below_freeze_since = ?,"
                " below_freeze_before = ? WHERE member_id = ?",
                (since, since, member_id),
            )
    connection.commit()
    connection.close()
    return {"on_leave": len(on_leave), "releasing": len(releasing) if preset != "louve" else 0}


def spread_joins(path: Path) -> None:
    """``--joined spread``: members' join dates spread over 1,400 days before the three years
    of history (``bench_shifts`` gives everyone the same one, so its members share the daily
    run's answers more than in a real coop, where nearly every member has their own)."""
    connection = sqlite3.connect(path)
    connection.execute(
        "UPDATE members SET joined_on = date('2015-01-01', '+' || (id % 1400) || ' days')"
    )
    connection.commit()
    connection.close()


WHAT_IFS = ("cycles-day-first",)


def what_if(path: Path, changes: list[str]) -> None:
    """Indexes as they are not in the schema (``--what-if``), to measure a migration first.

    A cycle day's cycle rows share one start day: written in member order, an index led by
    the member takes a leaf page for nearly every member (at 20k, 3,500 pages for the cycles'
    unique (member_id, starts_on)), one led by the day takes about a hundred. (The ledger's
    index led by the member and the ref, 9,000 pages, was measured here as ``ref-first`` and
    became migration 0015: (ref, member_id).)

    - ``cycles-day-first``: the cycles' UNIQUE (member_id, starts_on) as (starts_on, member_id)
      (the table rebuilt: SQLite cannot alter a constraint)."""
    connection = sqlite3.connect(path)
    if "cycles-day-first" in changes:
        (sql,) = connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'shift_cycles'"
        ).fetchone()
        old = "UNIQUE (member_id, starts_on)"
        if old not in sql:
            raise SystemExit(f"shift_cycles has no {old}: {sql}")
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute(
            sql.replace("shift_cycles", "shift_cycles_new", 1).replace(
                old, "UNIQUE (starts_on, member_id)"
            )
        )
        connection.execute("INSERT INTO shift_cycles_new SELECT * FROM shift_cycles")
        connection.execute("DROP TABLE shift_cycles")
        connection.execute("ALTER TABLE shift_cycles_new RENAME TO shift_cycles")
    connection.commit()
    connection.execute("VACUUM")  # the same page layout whatever was changed
    connection.close()


def timed(call: Callable[[], Any]) -> tuple[tuple[float, float], Any]:
    """((wall, CPU) seconds, result): on a shared machine the CPU time is the steadier one."""
    started, cpu = time.perf_counter(), time.process_time()
    result = call()
    return (time.perf_counter() - started, time.process_time() - cpu), result


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli(
    args: list[str], env: dict[str, str]
) -> tuple[tuple[float, float], subprocess.CompletedProcess[str]]:
    """A whole ``coop`` process: ((wall, CPU) seconds, what it printed)."""
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(
        [str(VENV_PYTHON), "-m", "coop", *args], env=env, capture_output=True, text=True
    )
    elapsed = (time.perf_counter() - started, _children_cpu() - cpu)
    if done.returncode != 0:
        raise SystemExit(f"coop {' '.join(args)} failed:\n{done.stderr}")
    return elapsed, done


def one_size(members: int, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    import bench_shifts
    from sqlalchemy import select

    from coop.audit import Actor
    from coop.clock import SHOP_TIMEZONE
    from coop.config import Settings, ShiftSettings
    from coop.db import make_engine, make_session_factory
    from coop.members.models import Member
    from coop.shifts import service
    from coop.shifts.documents import status_list
    from coop.shifts.generation import generate
    from coop.shifts.policy import PRESETS as POLICIES

    today = bench_shifts.first_cycle_on_or_after(date(2026, 11, 21))
    now = datetime.combine(today, datetime.min.time(), tzinfo=SHOP_TIMEZONE) + timedelta(hours=6)
    base = workdir / f"shifts-{members}.db"
    log(f"building {members:,} members…")
    data = bench_shifts.build(f"sqlite:///{base}", members, args.seed, workdir, today)
    engine = make_engine(f"sqlite:///{base}")
    factory = make_session_factory(engine)
    with factory() as session, session.begin():
        generate(
            session,
            first=today,
            last=today + timedelta(days=55),
            settings=ShiftSettings(),
            actor=Actor("bench"),
            now=now - timedelta(days=1),
        )
    engine.dispose()
    if args.joined == "spread":
        spread_joins(base)
    if args.what_if is not None:  # ``--what-if`` alone: only the VACUUM (the baseline)
        what_if(base, args.what_if)
    agg = floor(base)
    result: dict[str, Any] = {
        "members": members,
        "ledger_entries": data["ledger_entries"],
        "floor": agg,
        "runs": {},
    }
    for preset in args.presets:
        settings = ShiftSettings(policy=POLICIES[preset])
        api_copy, cli_copy = workdir / f"api-{preset}.db", workdir / f"cli-{preset}.db"
        shutil.copyfile(base, api_copy)
        extra = prepare(api_copy, preset, today, args.seed)
        shutil.copyfile(api_copy, cli_copy)
        engine = make_engine(f"sqlite:///{api_copy}")
        factory = make_session_factory(engine)

        def run_api(factory: Any = factory, settings: ShiftSettings = settings) -> Any:
            with factory() as session, session.begin():
                return service.run(
                    session, today=today, settings=settings, actor=Actor("bench"), now=now
                )

        floor(api_copy)  # the same warm page cache as the floor
        api, report = timed(run_api)
        engine.dispose()
        config = workdir / f"config-{preset}"
        config.mkdir(exist_ok=True)
        (config / "config.toml").write_text(f'[shifts]\npreset = "{preset}"\n', encoding="utf-8")
        env = dict(
            os.environ,
            COOP_CONFIG_DIR=str(config),
            COOP_DATA_DIR=str(workdir / "data"),
            COOP_LOG_DIR=str(workdir / "logs"),
            COOP_DATABASE_URL=f"sqlite:///{cli_copy}",
        )
        floor(cli_copy)
        whole, done = cli(["shifts", "run", "--today", today.isoformat(), "--json"], env)
        cli_report = json.loads(done.stdout)
        if (cli_report["entries"], cli_report["changed"]) != (report.entries, report.changed):
            raise SystemExit(f"{preset}: the command and the API did not do the same run")
        result["runs"][preset] = {
            "api": api,
            "cli": whole,
            "members": report.members,
            "entries": report.entries,
            "changed": report.changed,
            "actions": report.actions,
            **extra,
        }
        log(f"  {preset}: API {api[0]:.2f} s, CLI {whole[0]:.2f} s, actions {report.actions}")
    # statuses at a past date and the status list's data (default preset, base database)
    past = today - timedelta(days=400)
    engine = make_engine(f"sqlite:///{base}")
    factory = make_session_factory(engine)
    settings = ShiftSettings()
    with factory() as session, counting(engine) as sent:
        elapsed, rows = timed(lambda: service.statuses(session, at=past, settings=settings))
    result["statuses"] = {"seconds": elapsed, "statements": len(sent), "rows": len(rows)}
    printed = now
    with factory() as session, counting(engine) as sent:
        elapsed, listing = timed(
            lambda: status_list(
                session,
                today,
                settings=replace(Settings(), shifts=settings),
                printed_at=printed,
            )
        )
        count = session.scalar(select(Member.id).order_by(Member.id.desc()).limit(1))
    result["status_list"] = {
        "seconds": elapsed,
        "statements": len(sent),
        "rows": len(listing.rows),
        "members": count,
    }
    engine.dispose()
    result["desk"] = desk_checks(base, now + timedelta(hours=4), args.seed)
    env = dict(
        os.environ,
        COOP_CONFIG_DIR=str(workdir / "config-none"),
        COOP_DATA_DIR=str(workdir / "data"),
        COOP_LOG_DIR=str(workdir / "logs"),
        COOP_DATABASE_URL=f"sqlite:///{base}",
    )
    whole, _ = cli(["shifts", "status", "--at", past.isoformat(), "--json"], env)
    result["statuses"]["cli"] = whole
    log(
        f"  statuses at {past}: {result['statuses']['seconds'][0]:.2f} s"
        f" ({result['statuses']['statements']} statements), CLI {whole[0]:.2f} s;"
        f" status list data {result['status_list']['seconds'][0]:.2f} s"
        f" ({result['status_list']['statements']} statements)"
    )
    for leftover in workdir.glob("*.db"):
        leftover.unlink()
    return result


PLAIN_DESK = (  # the rows a desk check reads, in plain sqlite3 (its floor)
    "SELECT * FROM members WHERE number = ?",
    "SELECT * FROM members WHERE id = :main OR main_member_id = :main",
    "SELECT * FROM shift_member_states WHERE member_id = :main",
    "SELECT id FROM shift_holdings WHERE member_id = :main AND (ends_on IS NULL OR ends_on >= :day)"
    " LIMIT 1",
    "SELECT a.*, s.* FROM shift_attendances a JOIN shifts s ON s.id = a.shift_id"
    " WHERE a.member_id = :main AND a.state = 'pending' AND s.cancelled_at IS NULL"
    " AND s.starts_at >= :at",
)


def desk_checks(path: Path, at: datetime, seed: int, count: int = 300) -> dict[str, float]:
    """Median CPU time of ``desk.check`` in one warm session, and of the same reads in plain
    sqlite3 (CPU: on a shared machine a few milliseconds of wall time are mostly waiting)."""
    import random

    from coop.config import ShiftSettings
    from coop.db import make_engine, make_session_factory
    from coop.shifts import desk

    connection = sqlite3.connect(path)
    numbers = [row[0] for row in connection.execute("SELECT number FROM members")]
    picks = random.Random(seed).choices(numbers, k=count)
    plain = []
    for number in picks:
        started = time.process_time()
        member = connection.execute(PLAIN_DESK[0], (number,)).fetchone()
        values = {"main": member[0], "day": at.date().isoformat(), "at": at.isoformat()}
        for query in PLAIN_DESK[1:]:
            connection.execute(query, values).fetchall()
        plain.append(time.process_time() - started)
    connection.close()
    engine = make_engine(f"sqlite:///{path}")
    settings = ShiftSettings()
    samples = []
    with make_session_factory(engine)() as session:
        desk.check(session, str(picks[0]), at=at, settings=settings)
        for number in picks:
            started = time.process_time()
            desk.check(session, str(number), at=at, settings=settings)
            samples.append(time.process_time() - started)
    engine.dispose()
    return {"check": statistics.median(samples), "plain": statistics.median(plain)}


def print_table(results: list[dict[str, Any]], load: float) -> None:
    first = results[0]
    lines = [
        "| figure | members | wall (CPU) | floor: SUM … GROUP BY, wall (CPU) | ratio (CPU)"
        " | growth, CPU (members) | target |",
        "|---|---|---|---|---|---|---|",
    ]

    def line(label: str, r: dict[str, Any], value: Any, base: Any, target: str) -> None:
        (wall, cpu), (floor_wall, floor_cpu) = value, r["floor"]
        scale = r["members"] / first["members"]
        lines.append(
            f"| {label} | {r['members']:,} | {wall:.2f} s ({cpu:.2f}) | {floor_wall:.3f} s"
            f" ({floor_cpu:.3f}) | ×{cpu / floor_cpu:.1f} | ×{cpu / base[1]:.2f} (×{scale:g})"
            f" | {target} |"
        )

    for preset in first["runs"]:
        for key, label, target in (
            ("api", f"daily run, {preset}, API", "≤ ×5"),
            ("cli", f"`coop shifts run`, {preset}", "≤ 1.5 s at 20k"),
        ):
            for r in results:
                line(label, r, r["runs"][preset][key], first["runs"][preset][key], target)
    for key, label, target in (
        ("seconds", "status of everyone at a past date", "≤ 2 s at 20k"),
        ("cli", "`coop shifts status --at D --json`", "—"),
    ):
        for r in results:
            statements = f" ({r['statuses']['statements']} statements)" if key == "seconds" else ""
            line(label + statements, r, r["statuses"][key], first["statuses"][key], target)
    for r in results:
        label = f"status list data ({r['status_list']['statements']} statements)"
        line(label, r, r["status_list"]["seconds"], first["status_list"]["seconds"], "—")
    print("\n".join(lines))
    print()
    print(
        "| desk check in-process, median CPU | members | measured | floor: the same rows in plain"
        " sqlite3 | ratio | target |"
    )
    print("|---|---|---|---|---|---|")
    for r in results:
        check, plain = r["desk"]["check"], r["desk"]["plain"]
        print(
            f"| `desk.check` | {r['members']:,} | {check * 1000:.2f} ms | {plain * 1000:.3f} ms"
            f" | ×{check / plain:.1f} | ≤ 2 ms, ≤ ×10 |"
        )
    print()
    for r in results:
        for preset, run in r["runs"].items():
            print(
                f"{r['members']:,} members, {preset}: {run['members']:,} working,"
                f" {run['entries']:,} debits, {run['changed']:,} changed, {run['on_leave']} on"
                f" leave, {run['releasing']} releasing; actions {run['actions']}"
            )
    print(f"load average (1 min) at the start: {load:.2f}; {os.cpu_count()} cores")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 10_000, 20_000, 40_000])
    parser.add_argument("--presets", nargs="+", choices=PRESETS, default=list(PRESETS))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quick", action="store_true", help="1k, 2k and 4k members")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--joined",
        choices=("one-day", "spread"),
        default="one-day",
        help="spread: members' join dates spread over 1,400 days (see ``spread_joins``)",
    )
    parser.add_argument(
        "--what-if",
        nargs="*",
        choices=WHAT_IFS,
        default=None,
        help="indexes not as in the schema (see ``what_if``); VACUUM before measuring",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = [1_000, 2_000, 4_000]
    load = os.getloadavg()[0]
    results = []
    with tempfile.TemporaryDirectory(prefix="comptoir-bench-") as tmp:
        for size in args.sizes:
            results.append(one_size(size, args, Path(tmp)))
    if args.json:
        print(json.dumps({"load": load, "results": results}, indent=2))
    else:
        print_table(results, load)
    return 0


if __name__ == "__main__":
    sys.exit(main())
