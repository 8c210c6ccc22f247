"""Foundation benchmark: member import, lookups, name search and `coop --help`.

Run from the repository root::

    .venv/bin/python bench/bench_members.py                       # fresh SQLite files in a temp dir
    .venv/bin/python bench/bench_members.py --database postgresql+psycopg://postgres@/x?host=/tmp/pg
    .venv/bin/python bench/bench_members.py --json                # machine-readable results

With a PostgreSQL URL, the URL only says which server to use: the benchmark creates two scratch
databases on it (through an AUTOCOMMIT connection) and drops them at the end. With a SQLite URL,
the file must not exist yet; the CLI run uses a sibling file ending in ``-cli``.

Targets (issue, 20,000 generated members): CSV import ≤ 3 s; lookup by card or member number
≤ 1 ms median; fuzzy name search (top 10) ≤ 20 ms median; ``coop --help`` ≤ 0.3 s.

Floors measured in the same run (issue 18, target 7), in process CPU time (the machine is
shared: wall time is mostly waiting): the import beside parsing the same CSV with the ``csv``
module and inserting the same members and cards with plain ``sqlite3`` ``executemany`` into a
fresh migrated file (SQLite only); the name search beside rapidfuzz alone (``process.extract``
with the same scorer, limit and cutoff over the same folded names, same queries). The load
average is printed.
This is a script, not a test: it prints figures and ratios, it does not fail on a missed target.
"""

from __future__ import annotations

import argparse
import csv
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
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from _common import load_generator, log, median_p95
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from coop import migrate
from coop.audit import Actor
from coop.clock import SHOP_TIMEZONE
from coop.config import MemberSettings
from coop.db import make_engine, make_session_factory, normalise_url
from coop.members import search, service
from coop.members.exchange import import_members
from coop.rights import Role
from coop.text import fold

ROOT = Path(__file__).resolve().parent.parent
COOP = Path(sys.executable).parent / "coop"
NOW = datetime(2026, 4, 1, 10, 0, tzinfo=SHOP_TIMEZONE)  # the demo data's "today"
ACTOR = Actor("bench", roles=frozenset({Role.ADMINISTRATOR}))

TARGETS = {  # figure -> (target, unit)
    "import_api": (3.0, "s"),
    "lookup_card_median": (1.0, "ms"),
    "lookup_number_median": (1.0, "ms"),
    "search_median": (20.0, "ms"),
    "help_median": (0.3, "s"),
}


@dataclass
class Figure:
    key: str
    label: str
    value: float
    unit: str
    target: float | None = None
    floor: float | None = None
    """The same work's floor, same unit, same run (``× floor`` is value / floor)."""

    @property
    def ratio(self) -> float | None:
        return None if self.target is None else self.value / self.target


# ------------------------------------------------------------------------------ databases


@contextmanager
def scratch_databases(url: str | None, workdir: Path) -> Iterator[tuple[str, str]]:
    """Two fresh, empty databases (API run, CLI run); PostgreSQL ones are dropped at the end."""
    if url is None:
        yield f"sqlite:///{workdir / 'bench.db'}", f"sqlite:///{workdir / 'bench-cli.db'}"
        return
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        cli_path = path.with_name(path.stem + "-cli" + path.suffix)
        for candidate in (path, cli_path):
            if candidate.exists():
                raise SystemExit(f"{candidate} exists: the benchmark needs a fresh database")
        yield f"sqlite:///{path}", f"sqlite:///{cli_path}"
        return
    names = [f"comptoir_bench_{os.getpid()}_{suffix}" for suffix in ("api", "cli")]
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        urls = [parsed.set(database=name).render_as_string(hide_password=False) for name in names]
        yield urls[0], urls[1]
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def fresh_engine(url: str) -> Engine:
    engine = make_engine(url)
    migrate.upgrade(engine)
    return engine


# ------------------------------------------------------------------------------ name queries


def _strip_one_accent(name: str, rng: random.Random) -> str | None:
    """ "Hélène Dupont" → "Helène Dupont": the accent a hurried volunteer leaves out."""
    accented = [
        i for i, ch in enumerate(name) if unicodedata.normalize("NFD", ch) != ch and ch.isalpha()
    ]
    if not accented:
        return None
    i = rng.choice(accented)
    bare = unicodedata.normalize("NFD", name[i])[0]
    return name[:i] + bare + name[i + 1 :]


def _typo(word: str, rng: random.Random) -> str:
    """One slip of the finger: two letters swapped, one dropped or one replaced."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    if len(word) < 4:
        return word + rng.choice(letters)
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "replace"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + rng.choice(letters) + word[i + 1 :]


def name_queries(rows: list[dict[str, str]], count: int, seed: int) -> list[tuple[str, str, str]]:
    """(kind, query, expected folded name): what people type in the desk's search field."""
    rng = random.Random(seed)
    kinds = ("folded", "missing accent", "typo", "surname first")
    queries: list[tuple[str, str, str]] = []
    while len(queries) < count:
        row = rng.choice(rows)
        first, last = row["first_name"], row["last_name"]
        expected = fold(f"{first} {last}")
        kind = kinds[len(queries) % len(kinds)]
        if kind == "folded":
            query = expected
        elif kind == "missing accent":
            query = _strip_one_accent(f"{first} {last}", rng)
            if query is None:
                continue
        elif kind == "typo":
            query = f"{fold(first)} {_typo(fold(last), rng)}"
        else:
            query = f"{last} {first}"
        queries.append((kind, query, expected))
    return queries


# ------------------------------------------------------------------------------ measurements


def time_api_import(url: str, csv_path: Path, settings: MemberSettings) -> tuple[float, float, Any]:
    """(wall, CPU) seconds of ``import_members`` in one transaction, commit included."""
    engine = fresh_engine(url)
    factory = make_session_factory(engine)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        with factory() as session, session.begin():
            report = import_members(session, csv_path, actor=ACTOR, now=NOW, settings=settings)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        engine.dispose()
    return elapsed, cpu, report


def import_floor(url: str, csv_path: Path) -> float | None:
    """CPU seconds to parse the CSV with ``csv`` and insert the same members and cards with
    plain ``sqlite3`` into a fresh migrated file (None on PostgreSQL)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    floor_path = Path(parsed.database or "").with_name("floor.db")
    floor_path.unlink(missing_ok=True)
    fresh_engine(f"sqlite:///{floor_path}").dispose()
    connection = sqlite3.connect(floor_path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    (category,) = connection.execute("SELECT id FROM member_categories LIMIT 1").fetchone()
    at = NOW.isoformat(sep=" ")
    cpu = time.process_time()
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO members (number, first_name, last_name, email, phone, street, postcode,"
        " city, joined_on, category_id, notes, search_name, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                int(r["number"]),
                r["first_name"],
                r["last_name"],
                r["email"] or None,
                r["phone"] or None,
                r["street"] or None,
                r["postcode"] or None,
                r["city"] or None,
                "-".join(reversed(r["joined_on"].split("/"))),
                category,
                r["notes"] or None,
                f"{r['first_name']} {r['last_name']}".lower(),
                at,
                at,
            )
            for r in rows
        ],
    )
    connection.executemany(
        "INSERT INTO member_cards (member_id, barcode, issued_on)"
        " SELECT id, ?, '2026-04-01' FROM members WHERE number = ?",
        [(r["card"], int(r["number"])) for r in rows if r["card"]],
    )
    connection.execute("COMMIT")
    elapsed = time.process_time() - cpu
    connection.close()
    return elapsed


def time_cli_import(url: str, csv_path: Path) -> float:
    engine = fresh_engine(url)
    engine.dispose()
    command = [str(COOP), "--database", url, "import", "members", str(csv_path)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"CLI import failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return elapsed


def time_calls(
    call: Callable[[Any], object],
    arguments: list[Any],
    clock: Callable[[], int] = time.perf_counter_ns,
) -> list[float]:
    """Milliseconds of each call on ``clock`` (wall by default)."""
    samples: list[float] = []
    for argument in arguments:
        started = clock()
        call(argument)
        samples.append((clock() - started) / 1e6)
    return samples


def cpu_calls(call: Callable[[Any], object], arguments: list[Any]) -> list[float]:
    """Process CPU milliseconds of each call."""
    return time_calls(call, arguments, time.process_time_ns)


def time_help(runs: int) -> list[float]:
    subprocess.run([str(COOP), "--help"], capture_output=True, check=True)  # warm the page cache
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([str(COOP), "--help"], capture_output=True, check=True)
        samples.append(time.perf_counter() - started)
    return samples


def rapidfuzz_alone(names: list[str], query: str) -> object:
    """The search's floor: rapidfuzz's pass over the folded names, as ``NameIndex.search``."""
    from rapidfuzz import fuzz, process

    return process.extract(
        fold(query), names, scorer=fuzz.WRatio, processor=None, limit=30, score_cutoff=60
    )


def machine(url: str) -> dict[str, Any]:
    import rapidfuzz
    import sqlalchemy

    info: dict[str, Any] = {
        "nproc": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "rapidfuzz": rapidfuzz.__version__,
        "platform": platform.platform(),
        "database": make_url(url).get_backend_name(),
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }
    if info["database"] == "postgresql":
        engine = make_engine(url)
        with engine.connect() as connection:
            info["postgresql"] = connection.execute(text("SHOW server_version")).scalar()
        engine.dispose()
    return info


def run(args: argparse.Namespace) -> dict[str, Any]:
    generator = load_generator()
    settings = MemberSettings()
    figures: list[Figure] = []

    def add(key: str, label: str, value: float, unit: str, floor: float | None = None) -> None:
        target = TARGETS.get(key, (None, unit))[0]
        figures.append(Figure(key, label, value, unit, target, floor))

    with tempfile.TemporaryDirectory(prefix="comptoir-bench-") as tmp:
        workdir = Path(tmp)
        log(f"generating {args.members} members…")
        started = time.perf_counter()
        rows = generator.member_rows(args.members, args.seed)
        csv_path = workdir / "members.csv"
        csv_path.write_bytes(generator.render_csv(generator.MEMBER_COLUMNS, rows))
        log(f"  {time.perf_counter() - started:.2f} s, {csv_path.stat().st_size / 1e6:.1f} MB")

        with scratch_databases(args.database, workdir) as (api_url, cli_url):
            info = machine(api_url)
            log("import_members (one transaction, commit included)…")
            elapsed, cpu, report = time_api_import(api_url, csv_path, settings)
            add("import_api", f"import {args.members} members (API, commit incl.)", elapsed, "s")
            floor = import_floor(api_url, csv_path)
            add(
                "import_api_cpu",
                "… the same, CPU (floor: csv + plain sqlite3 inserts)",
                cpu,
                "s",
                floor,
            )
            if report.created != len(rows):
                raise SystemExit(f"imported {report.created} members, expected {len(rows)}")

            log("coop import members (subprocess)…")
            elapsed = time_cli_import(cli_url, csv_path)
            add(
                "import_cli",
                f"`coop import members` {args.members} (CLI, end to end)",
                elapsed,
                "s",
            )

            engine = make_engine(api_url)
            factory = make_session_factory(engine)
            rng = random.Random(args.seed)
            cards = [rng.choice(rows)["card"] for _ in range(args.lookups)]
            numbers = [int(rng.choice(rows)["number"]) for _ in range(args.lookups)]
            queries = name_queries(rows, args.searches, args.seed)
            with factory() as session:
                log(f"{args.lookups} lookups by card, {args.lookups} by number…")
                by_card = time_calls(lambda c: service.find_by_card(session, c), cards)
                by_number = time_calls(lambda n: service.get_by_number(session, n), numbers)
                for key, label, samples in (
                    ("lookup_card", "lookup by card", by_card),
                    ("lookup_number", "lookup by member number", by_number),
                ):
                    median, p95 = median_p95(samples)
                    add(f"{key}_median", f"{label}, median", median, "ms")
                    add(f"{key}_p95", f"{label}, p95", p95, "ms")

                log(f"{args.searches} name searches…")
                search.invalidate(session)
                started = time.perf_counter_ns()
                service.search_by_name(session, queries[0][1], limit=10)
                first = (time.perf_counter_ns() - started) / 1e6
                found: dict[str, list[bool]] = {}
                samples = []
                for kind, query, expected in queries:
                    started = time.perf_counter_ns()
                    hits = service.search_by_name(session, query, limit=10)
                    samples.append((time.perf_counter_ns() - started) / 1e6)
                    found.setdefault(kind, []).append(any(m.search_name == expected for m in hits))
                median, p95 = median_p95(samples)
                add("search_first", "name search, first (builds the index)", first, "ms")
                add("search_median", "name search top 10, warm, median", median, "ms")
                add("search_p95", "name search top 10, warm, p95", p95, "ms")
                names = search.name_index(session).names
                cpu, alone = [], []
                for _kind, query, _expected in queries:  # interleaved: the load hits both alike
                    cpu += cpu_calls(
                        lambda q: service.search_by_name(session, q, limit=10), [query]
                    )
                    alone += cpu_calls(lambda q: rapidfuzz_alone(names, q), [query])
                add(
                    "search_cpu_median",
                    "name search top 10, CPU, median (floor: rapidfuzz alone)",
                    statistics.median(cpu),
                    "ms",
                    statistics.median(alone),
                )
            engine.dispose()

    log(f"coop --help × {args.help_runs}…")
    help_samples = time_help(args.help_runs)
    add(
        "help_median",
        f"`coop --help`, median of {args.help_runs}",
        statistics.median(help_samples),
        "s",
    )
    recall = {kind: sum(hits) / len(hits) for kind, hits in found.items()}
    return {
        "members": args.members,
        "machine": info,
        "figures": [{**asdict(f), "ratio": f.ratio} for f in figures],
        "search_recall_top10": recall,
    }


def print_table(result: dict[str, Any]) -> None:
    rows = [("figure", "measured", "target", "ratio", "floor", "× floor")]
    for f in result["figures"]:
        unit = f["unit"]
        precision = 3 if unit == "ms" else 2
        measured = f"{f['value']:.{precision}f} {unit}"
        target = f"≤ {f['target']:g} {unit}" if f["target"] is not None else "—"
        ratio = f"{f['ratio']:.2f}" if f["ratio"] is not None else "—"
        floor, times = "—", "—"
        if f.get("floor"):
            floor, times = f"{f['floor']:.{precision}f} {unit}", f"×{f['value'] / f['floor']:.2f}"
        rows.append((f["label"], measured, target, ratio, floor, times))
    widths = [max(len(row[i]) for row in rows) for i in range(6)]
    for n, row in enumerate(rows):
        print(
            "  ".join(
                cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                for i, cell in enumerate(row)
            )
        )
        if n == 0:
            print("  ".join("-" * w for w in widths))
    recall = ", ".join(f"{k} {v:.0%}" for k, v in result["search_recall_top10"].items())
    print(f"\nname search, intended name in the top 10: {recall}")
    m = result["machine"]
    extra = f", PostgreSQL {m['postgresql']}" if "postgresql" in m else ""
    print(
        f"machine: {m['nproc']} cores, Python {m['python']}, SQLite {m['sqlite']}{extra},"
        f" SQLAlchemy {m['sqlalchemy']}, rapidfuzz {m['rapidfuzz']}; database: {m['database']}"
    )
    if m["load_average"] is not None:
        print(f"load average (1 min) when the run started: {m['load_average']:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=20_000, help="members to generate")
    parser.add_argument("--database", metavar="URL", help="PostgreSQL server or SQLite file")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--lookups", type=int, default=2000, help="lookups of each kind")
    parser.add_argument("--searches", type=int, default=300, help="name searches")
    parser.add_argument("--help-runs", type=int, default=15, help="`coop --help` runs")
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
