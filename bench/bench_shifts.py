"""Shifts benchmark: daily run, desk check, status at a past date, generating a year of shifts.

Run from the repository root::

    .venv/bin/python bench/bench_shifts.py                  # a fresh SQLite file in a temp dir
    .venv/bin/python bench/bench_shifts.py --database postgresql+psycopg://postgres@/x?host=/tmp/pg
    .venv/bin/python bench/bench_shifts.py --json           # machine-readable results

Targets (issue 3, a generated coop of 20,000 members with 3 years of history, over a million
ledger entries, on SQLite): the daily run over all members ≤ 3 s; desk check ≤ 2 ms median;
status at a past date for one member ≤ 5 ms; generating one year from 300 templates ≤ 2 s.
Each figure is also printed as a ratio to the time of one plain SQL aggregate over the ledger
(``SELECT member_id, SUM(delta) FROM shift_ledger GROUP BY member_id``) on the same database.

How the data is made: the members come from ``sample_data/generate.py`` (same shape as the demo)
through the real CSV import; 300 ABCD templates (10 places, a shift leader and two cashiers)
through the real template import; 8 regular members hold a place in each template (2,400), the
other working members are flying, a few exempt. Three years of ledger (39 cycles) are written
in bulk following La Louve's arithmetic (the default preset): flying members get the cycle
debit (−1 in credit, −2 otherwise) and +1 per shift done; regular members −2 for an absence,
−1 for an excused one, then make-ups back to zero. Each member's cached state is then rebuilt
with ``coop.shifts.rules.replay`` and written, so the cached figures are exactly the ledger's.
"today" is a cycle start, so the measured daily run applies a cycle to everyone (the worst day).
This is a script, not a test: it prints figures and ratios, it does not fail on a missed target.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from _common import load_generator, log, median_p95
from sqlalchemy import Engine, create_engine, insert, select, text
from sqlalchemy.engine import make_url

from coop import migrate
from coop.audit import Actor
from coop.clock import SHOP_TIMEZONE
from coop.config import MemberSettings, ShiftSettings
from coop.db import make_engine, make_session_factory, normalise_url
from coop.members.exchange import import_members
from coop.members.models import Member
from coop.rights import Role
from coop.shifts import desk, rules, service
from coop.shifts.exchange import import_templates
from coop.shifts.generation import generate
from coop.shifts.models import (
    ShiftCycle,
    ShiftHolding,
    ShiftLedgerEntry,
    ShiftMemberState,
    ShiftStateLog,
    ShiftTemplate,
)
from coop.shifts.policy import LOUVE, Counter, WorkMode
from coop.shifts.rules import EntryKind, LedgerEntry, MemberFacts, MemberState

ROOT = Path(__file__).resolve().parent.parent
ACTOR = Actor("bench", roles=frozenset({Role.ADMINISTRATOR}))
POLICY = LOUVE
CYCLES = 39  # three years of 28-day cycles
HOLDERS_PER_TEMPLATE = 8

TARGETS = {  # figure -> target (same unit as the figure)
    "run_cycle_day": 3.0,
    "desk_median": 2.0,
    "status_past_median": 5.0,
    "generate_year": 2.0,
}


@dataclass
class Figure:
    key: str
    label: str
    value: float
    unit: str
    target: float | None = None
    per_aggregate: float | None = None

    @property
    def ratio(self) -> float | None:
        return None if self.target is None else self.value / self.target


@contextmanager
def scratch_database(url: str | None, workdir: Path) -> Iterator[str]:
    if url is None:
        yield f"sqlite:///{workdir / 'shifts-bench.db'}"
        return
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if Path(parsed.database or "").exists():
            raise SystemExit(f"{parsed.database} exists: the benchmark needs a fresh database")
        yield url
        return
    name = f"comptoir_bench_shifts_{os.getpid()}"
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


def first_cycle_on_or_after(day: date) -> date:
    return rules.due_cycles(POLICY, day - timedelta(days=1), day + timedelta(days=40))[0]


# ------------------------------------------------------------------------------ data


def template_csv(path: Path, count: int) -> None:
    weekdays = ("mardi", "mercredi", "jeudi", "vendredi", "samedi")
    lines = ["code;name;week;weekday;start;end;seats;roles"]
    index = 0
    while len(lines) <= count:
        letter = "ABCD"[index % 4]
        weekday = weekdays[(index // 4) % 5]
        team = index // 20
        start = 8 + team % 12
        lines.append(
            f"{letter}-{weekday[:3].upper()}-{team:02d};Équipe {team} {weekday} {letter};{letter};"
            f"{weekday};{start:02d}:00;{start + 3:02d}:00;10;shift_leader,cashier,cashier"
        )
        index += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def history(
    rng: random.Random, mode: WorkMode, cycle_days: list[date], first_ref: int
) -> list[LedgerEntry]:
    """Three years of one member's ledger, following La Louve's arithmetic."""
    entries: list[LedgerEntry] = []
    ref = first_ref
    if mode is WorkMode.EXEMPT:
        return entries
    ftop = standard = 0
    for cycle in cycle_days:
        if mode is WorkMode.FLYING:
            debit, detail = (-1, "in_credit") if ftop >= 1 else (-2, "deficit")
            entries.append(
                LedgerEntry(cycle, Counter.FTOP, debit, EntryKind.CYCLE, f"cycle:{cycle}", detail)
            )
            ftop += debit
            for _ in range(rng.choices((0, 1, 2, 3), (3, 55, 35, 7))[0]):
                day = cycle + timedelta(days=rng.randrange(3, 27))
                ref += 1
                entries.append(
                    LedgerEntry(
                        day, Counter.FTOP, 1, EntryKind.ATTENDANCE, f"attendance:{ref}", "attended"
                    )
                )
                ftop += 1
        else:
            draw = rng.random()
            if draw < 0.92:
                continue
            own = cycle + timedelta(days=rng.randrange(0, 14))
            cost, state = (-2, "missed") if draw < 0.97 else (-1, "excused")
            ref += 1
            entries.append(
                LedgerEntry(
                    own, Counter.STANDARD, cost, EntryKind.ATTENDANCE, f"attendance:{ref}", state
                )
            )
            standard += cost
            for k in range(-cost):
                if rng.random() < 0.85:
                    ref += 1
                    entries.append(
                        LedgerEntry(
                            own + timedelta(days=3 + 4 * k),
                            Counter.STANDARD,
                            1,
                            EntryKind.ATTENDANCE,
                            f"attendance:{ref}",
                            "attended",
                        )
                    )
                    standard += 1
    entries.sort(key=lambda e: e.on)
    return entries


def build(url: str, members: int, seed: int, workdir: Path, today: date) -> dict[str, Any]:
    generator = load_generator()
    engine = make_engine(url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    setup = datetime.combine(today, datetime.min.time(), tzinfo=SHOP_TIMEZONE) - timedelta(
        days=CYCLES * 28 + 7
    )
    started = time.perf_counter()
    rows = generator.member_rows(members, seed)
    for row in rows:  # everyone joined before the three years of history
        row["joined_on"] = "01/01/2019"
        if row["left_on"]:
            row["left_on"] = ""
    csv_path = workdir / "members.csv"
    csv_path.write_bytes(generator.render_csv(generator.MEMBER_COLUMNS, rows))
    templates_path = workdir / "templates.csv"
    template_csv(templates_path, 300)
    settings = ShiftSettings(policy=POLICY)
    with factory() as session, session.begin():
        import_members(session, csv_path, actor=ACTOR, now=setup, settings=MemberSettings())
        import_templates(session, templates_path, settings=settings, actor=ACTOR, now=setup)
    log(f"  members and templates: {time.perf_counter() - started:.1f} s")

    rng = random.Random(seed)
    start_day = setup.date()
    cycle_days = rules.due_cycles(POLICY, start_day, today - timedelta(days=1))
    with factory() as session, session.begin():
        workers = list(
            session.scalars(
                select(Member.id).where(Member.main_member_id.is_(None)).order_by(Member.id)
            )
        )
        template_ids = list(session.scalars(select(ShiftTemplate.id).order_by(ShiftTemplate.id)))
    rng.shuffle(workers)
    holders = workers[: len(template_ids) * HOLDERS_PER_TEMPLATE]
    exempt = set(workers[-len(workers) // 50 :])
    mode_of = {
        m: WorkMode.REGULAR
        if m in set(holders)
        else WorkMode.EXEMPT
        if m in exempt
        else WorkMode.FLYING
        for m in workers
    }
    started = time.perf_counter()
    ledger: list[dict[str, Any]] = []
    states: list[dict[str, Any]] = []
    logs: list[dict[str, Any]] = []
    cycles: list[dict[str, Any]] = []
    ref = 0
    for member_id in sorted(workers):
        mode = mode_of[member_id]
        entries = history(rng, mode, cycle_days, ref)
        ref += len(entries) + 10
        figures = rules.replay(POLICY, entries)
        state = MemberState(mode=mode, figures=figures)
        facts = MemberFacts(member_since=date(2019, 1, 1))
        day = today - timedelta(days=1)
        state = MemberState(
            mode=mode,
            figures=figures,
            status=rules.member_status(POLICY, state, facts, day),
            as_of=day,
        )
        values = service.state_values(state)
        states.append(
            {
                "member_id": member_id,
                **values,
                "cycles_until": day,
                "cycle_origin": start_day,
                "updated_at": setup,
            }
        )
        logs.append(
            {"member_id": member_id, "day": start_day}
            | {k: values[k] for k in service.SNAPSHOT_FIELDS}
        )
        cycles.extend(
            {"member_id": member_id, "starts_on": c, "owed": mode is not WorkMode.EXEMPT}
            for c in cycle_days
        )
        ledger.extend(
            {
                "member_id": member_id,
                "day": e.on,
                "counter": e.counter.value,
                "delta": e.delta,
                "kind": e.kind.value,
                "ref": e.ref,
                "detail": e.detail,
                "note": "",
                "created_at": setup,
                "actor": ACTOR.name,
            }
            for e in entries
        )
    log(f"  {len(ledger):,} ledger entries computed: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    holdings = [
        {
            "member_id": member_id,
            "template_id": template_ids[index // HOLDERS_PER_TEMPLATE],
            "role": ("shift_leader", "cashier", "cashier", None)[
                min(index % HOLDERS_PER_TEMPLATE, 3)
            ],
            "starts_on": start_day,
            "created_at": setup,
            "created_by": ACTOR.name,
        }
        for index, member_id in enumerate(holders)
    ]
    with engine.begin() as connection:
        for table, data in (
            (ShiftMemberState.__table__, states),
            (ShiftStateLog.__table__, logs),
            (ShiftHolding.__table__, holdings),
            (ShiftCycle.__table__, cycles),
            (ShiftLedgerEntry.__table__, ledger),
        ):
            for chunk in range(0, len(data), 50_000):
                connection.execute(insert(table), data[chunk : chunk + 50_000])
        connection.execute(text("ANALYZE"))
    log(f"  written: {time.perf_counter() - started:.1f} s")
    engine.dispose()
    return {
        "members": members,
        "workers": len(workers),
        "regular": len(holders),
        "exempt": len(exempt),
        "flying": len(workers) - len(holders) - len(exempt),
        "ledger_entries": len(ledger),
        "cycles": len(cycles),
        "templates": len(template_ids),
        "numbers": [int(r["number"]) for r in rows],
        "cards": [r["card"] for r in rows],
    }


# ------------------------------------------------------------------------------ measurements


def timed(call: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def run(args: argparse.Namespace) -> dict[str, Any]:
    today = first_cycle_on_or_after(date(2026, 11, 21))
    now = datetime.combine(today, datetime.min.time(), tzinfo=SHOP_TIMEZONE) + timedelta(hours=6)
    settings = ShiftSettings(policy=POLICY)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="comptoir-bench-") as tmp:
        workdir = Path(tmp)
        with scratch_database(args.database, workdir) as url:
            log(f"building {args.members:,} members with {CYCLES} cycles of history…")
            data = build(url, args.members, args.seed, workdir, today)
            engine = make_engine(url)
            factory = make_session_factory(engine)
            info = machine(engine)

            def aggregate() -> object:
                with engine.connect() as connection:
                    return connection.execute(
                        text("SELECT member_id, SUM(delta) FROM shift_ledger GROUP BY member_id")
                    ).all()

            aggregate()  # warm the page cache like the other measurements
            base = statistics.median(timed(aggregate)[0] for _ in range(5))

            def add(key: str, label: str, seconds: float, unit: str = "s") -> None:
                value = seconds * 1000 if unit == "ms" else seconds
                figures.append(Figure(key, label, value, unit, TARGETS.get(key), seconds / base))

            add("aggregate", "plain SQL aggregate over the ledger (the unit of ratios)", base)

            log("generating one year from 300 templates…")

            def one_year() -> object:
                with factory() as session, session.begin():
                    return generate(
                        session,
                        first=today,
                        last=today + timedelta(days=364),
                        settings=settings,
                        actor=ACTOR,
                        now=now,
                    )

            elapsed, report = timed(one_year)
            add(
                "generate_year",
                f"generate one year from 300 templates ({report.created:,} shifts,"  # type: ignore[attr-defined]
                f" {report.holders_booked:,} fixed-slot bookings, commit incl.)",  # type: ignore[attr-defined]
                elapsed,
            )
            elapsed, again = timed(one_year)
            if again.created:  # type: ignore[attr-defined]
                raise SystemExit("generating twice created shifts: not idempotent")
            add("generate_again", "the same generation again (nothing to create)", elapsed)
            # A year of shifts is a big insert: refresh the planner's statistics, as
            # PostgreSQL's autovacuum does after it (without, it still believes the new
            # tables empty and scans them instead of using their indexes).
            with engine.begin() as connection:
                connection.execute(text("ANALYZE"))

            log("daily runs…")

            def daily(day: date) -> Callable[[], object]:
                def call() -> object:
                    moment = datetime.combine(day, now.timetz())
                    with factory() as session, session.begin():
                        return service.run(
                            session, today=day, settings=settings, actor=ACTOR, now=moment
                        )

                return call

            elapsed, report = timed(daily(today))
            add(
                "run_cycle_day",
                f"daily run, cycle day ({report.members:,} members, {report.entries:,}"  # type: ignore[attr-defined]
                " debits, commit incl.)",
                elapsed,
            )
            elapsed, _ = timed(daily(today))
            add("run_again", "daily run again the same day (idempotent: writes nothing)", elapsed)
            elapsed, report = timed(daily(today + timedelta(days=1)))
            add(
                "run_ordinary_day",
                f"daily run, ordinary day ({report.changed:,} states changed)",  # type: ignore[attr-defined]
                elapsed,
            )

            rng = random.Random(args.seed)
            at = now + timedelta(days=1, hours=4)
            log(f"{args.checks} desk checks…")
            queries = [
                str(rng.choice(data["numbers"])) if i % 2 else rng.choice(data["cards"])
                for i in range(args.checks)
            ]
            with factory() as session:
                desk.check(session, queries[0], at=at, settings=settings)
                samples = []
                for query in queries:
                    started = time.perf_counter()
                    desk.check(session, query, at=at, settings=settings)
                    samples.append(time.perf_counter() - started)
            median, p95 = median_p95(samples)
            add("desk_median", "desk check (card or number), median", median, "ms")
            add("desk_p95", "desk check, p95", p95, "ms")

            log(f"{args.statuses} statuses at a past date…")
            with factory() as session:
                people = list(
                    session.scalars(
                        select(Member)
                        .join(ShiftMemberState, ShiftMemberState.member_id == Member.id)
                        .order_by(Member.id)
                    )
                )
                picks = [
                    (rng.choice(people), today - timedelta(days=rng.randrange(1, CYCLES * 28)))
                    for _ in range(args.statuses)
                ]
                samples = []
                for member, day in picks:
                    started = time.perf_counter()
                    service.status_on(session, settings, member, day)
                    samples.append(time.perf_counter() - started)
            median, p95 = median_p95(samples)
            add("status_past_median", "status at a past date, one member, median", median, "ms")
            add("status_past_p95", "status at a past date, p95", p95, "ms")
            engine.dispose()
    data = {k: v for k, v in data.items() if k not in ("numbers", "cards")}
    return {
        "data": data,
        "today": today.isoformat(),
        "machine": info,
        "figures": [{**asdict(f), "ratio": f.ratio} for f in figures],
    }


def machine(engine: Engine) -> dict[str, Any]:
    import sqlalchemy

    info: dict[str, Any] = {
        "nproc": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "platform": platform.platform(),
        "database": engine.dialect.name,
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            info["postgresql"] = connection.execute(text("SHOW server_version")).scalar()
    return info


def print_table(result: dict[str, Any]) -> None:
    rows = [("figure", "measured", "target", "ratio", "× aggregate")]
    for f in result["figures"]:
        unit = f["unit"]
        measured = f"{f['value']:.3f} {unit}" if unit == "ms" else f"{f['value']:.2f} {unit}"
        target = f"≤ {f['target']:g} {unit}" if f["target"] is not None else "—"
        ratio = f"{f['ratio']:.2f}" if f["ratio"] is not None else "—"
        rows.append((f["label"], measured, target, ratio, f"{f['per_aggregate']:.3f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for n, row in enumerate(rows):
        print(
            "  ".join(
                cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                for i, cell in enumerate(row)
            )
        )
        if n == 0:
            print("  ".join("-" * w for w in widths))
    d, m = result["data"], result["machine"]
    print(
        f"\ndata: {d['members']:,} members, {d['workers']:,} working ({d['regular']:,} regular,"
        f" {d['flying']:,} flying, {d['exempt']:,} exempt), {d['templates']} templates,"
        f" {d['ledger_entries']:,} ledger entries, {d['cycles']:,} cycle rows; today"
        f" {result['today']} (a cycle start)"
    )
    extra = f", PostgreSQL {m['postgresql']}" if "postgresql" in m else ""
    print(
        f"machine: {m['nproc']} cores, Python {m['python']}, SQLite {m['sqlite']}{extra},"
        f" SQLAlchemy {m['sqlalchemy']}; database: {m['database']}"
    )
    if m["load_average"] is not None:
        print(f"load average (1 min) when the run started: {m['load_average']:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=20_000, help="members to generate")
    parser.add_argument("--database", metavar="URL", help="PostgreSQL server or SQLite file")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--checks", type=int, default=2000, help="desk checks")
    parser.add_argument("--statuses", type=int, default=1000, help="statuses at past dates")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
