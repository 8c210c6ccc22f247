"""The paper status list (the welcome desk's fallback) rendered at 5k, 10k and 20k people,
beside ReportLab drawing the same strings on a bare canvas (issue 18, target 4).

Run from the repository root::

    .venv/bin/python bench/bench_status_list.py                  # 5,000, 10,000, 20,000
    .venv/bin/python bench/bench_status_list.py --people 5000 --keep /tmp/lists

The rows are synthetic (seeded names, statuses and notes, one in six refused and shaded, one in
ten with a note that wraps): only the rendering is timed here, the list's data is
``coop.shifts.documents.status_list``'s (its reads are the shifts benchmark's). Each size is
rendered in this process (CPU seconds; the machine may be shared) and so is its floor.

Target: 20,000 people ≤ 10 s, linear in pages.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from _common import log

RUN_ALL = {
    "full": ["--people", "5000,10000,20000"],
    "quick": ["--people", "500,1000"],
    "figures": True,
}
TARGET_SECONDS_PER_20K = 10.0
FIRST = ["Amélie", "Bruno", "Chloé", "Damien", "Élodie", "Farid", "Gaëlle", "Hugo", "Inès", "Jules"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy"]
STATUSES = ["Up to date", "Alert", "Suspended", "Frozen", "Exempted"]


def document(people: int, seed: int):  # type: ignore[no-untyped-def]
    from coop.documents import Letterhead
    from coop.shifts.documents import StatusList, StatusRow

    rng = random.Random(seed)
    rows = []
    for number in range(1, people + 1):
        refused = rng.random() < 1 / 6
        note = (
            "Must make up 2 shifts before 12/01/2027; household of Martin Amélie (no. 12)"
            if rng.random() < 0.1
            else ("Make up 1 shift" if refused else "")
        )
        rows.append(
            StatusRow(
                number=number,
                name=f"{rng.choice(LAST)} {rng.choice(FIRST)}",
                can_shop=not refused,
                status=rng.choice(STATUSES[1:4]) if refused else STATUSES[0],
                note=note,
                card_end=f"{rng.randrange(10000):04d}",
            )
        )
    rows.sort(key=lambda row: row.name)
    return StatusList(
        letterhead=Letterhead("Coop bench"),
        day=date(2026, 12, 7),
        rows=tuple(rows),
        printed_at=datetime(2026, 12, 6, 7, 0, tzinfo=UTC),
    )


def render(people: int, seed: int, folder: Path) -> dict[str, float]:
    from bench_print import bare_canvas

    from invoices.status_list import StatusListRenderer

    doc = document(people, seed)
    renderer = StatusListRenderer(doc, invariant=True)
    wall, cpu = time.perf_counter(), time.process_time()
    pdf = renderer.build()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    (folder / f"status-{people}.pdf").write_bytes(pdf)
    strings = [
        text
        for row in doc.rows
        for text in (str(row.number), row.name, row.card_end, row.status, row.note)
    ]
    floor_wall, floor_cpu = time.perf_counter(), time.process_time()
    bare_canvas(strings, renderer.pages, folder / f"bare-{people}.pdf")
    floor_wall, floor_cpu = time.perf_counter() - floor_wall, time.process_time() - floor_cpu
    return {
        "people": people,
        "pages": renderer.pages,
        "render_s": wall,
        "render_cpu_s": cpu,
        "floor_s": floor_wall,
        "floor_cpu_s": floor_cpu,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", default="5000,10000,20000")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", metavar="DIR", help="keep the PDFs in DIR")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for people in [int(p) for p in args.people.split(",")]:
            log(f"rendering {people:,} people...")
            results.append(render(people, args.seed, folder))
            log(f"  {results[-1]}")
    load = Path("/proc/loadavg").read_text().split()[0]
    first = results[0]
    figures = [
        {
            "name": f"status list PDF, {r['people']:,} people, {r['pages']} pages (CPU)",
            "value": r["render_cpu_s"],
            "unit": "s",
            "floor": r["floor_cpu_s"],
            "ratio": r["render_cpu_s"] / r["floor_cpu_s"],
            "target": f"≤ {TARGET_SECONDS_PER_20K * r['people'] / 20000:g} s",
            "met": r["render_cpu_s"] <= TARGET_SECONDS_PER_20K * r["people"] / 20000,
        }
        for r in results
    ]
    if args.json:
        print(json.dumps({"results": results, "load": load, "figures": figures}))
        return 0
    print(f"load average: {load}")
    print(
        "| people | pages | render CPU (s) | wall (s) | floor: bare canvas CPU (s) | ratio |"
        " growth (CPU) | target |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['people']:,} | {r['pages']} | {r['render_cpu_s']:.2f} | {r['render_s']:.2f} |"
            f" {r['floor_cpu_s']:.2f} | ×{r['render_cpu_s'] / r['floor_cpu_s']:.1f} |"
            f" ×{r['render_cpu_s'] / first['render_cpu_s']:.2f}"
            f" for ×{r['pages'] / first['pages']:.2f}"
            f" pages | ≤ {TARGET_SECONDS_PER_20K * r['people'] / 20000:g} s |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
