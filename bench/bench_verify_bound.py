"""What any `coop till verify` that compares the rows with the sealed data must spend, beside
the floor of target 1 (issue 18): a lower bound, measured on ``bench_verify``'s databases.

Run from the repository root::

    .venv/bin/python bench/bench_verify_bound.py --keep /tmp/verify-bench   # 250,000 sales
    .venv/bin/python bench/bench_verify_bound.py --sizes 40000,250000 --keep /tmp/verify-bench

The database of each size is ``bench_verify``'s (built when missing, kept with ``--keep``).
In one fresh process per size: the floor exactly as ``bench_verify`` measures it (plain
``sqlite3`` reading every journal row, SHA-256 of its bytes, CPU seconds), then plain
``sqlite3`` statements that each do a part of the work a verification cannot skip, in one
scan of a table (the cheapest order SQLite has: no join, no per-sale seek), best of three:

- ``touch lines``: every value a sale seals for its lines read once (``count(column)`` of
  each column of ``sale_lines``): what comparing them costs at the very least, whatever the
  comparison;
- ``lines as JSON``: every line written as the JSON array the journal seals
  (``json_array`` of its columns), not grouped, not compared;
- ``touch sales``: every column of ``sales`` read once;
- ``stock per sale``: the sales' stock moves counted and summed per sale (``GROUP BY``).

The bounds printed are the floor plus those parts: a verification that writes the sealed text
from the rows (as ``coop till verify`` does) costs more than ``floor + lines as JSON + touch
sales + stock per sale``, before it joins them to the journal, groups the lines by sale,
compares, walks the chain and checks the closures; one that compares values in any other way
costs more than ``floor + touch lines + touch sales + stock per sale``. A script, not a test.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import bench_verify

RUN_ALL = {"full": ["--sizes", "250000"], "quick": ["--sizes", "20000"], "figures": True}


def measure(path: Path) -> dict[str, float]:
    """In this fresh process: the floor (first, as ``bench_verify`` does), then the parts."""
    _wall, floor_cpu = bench_verify.floor(path)
    connection = sqlite3.connect(path)
    line_columns = [
        row[1] for row in connection.execute("PRAGMA table_info(sale_lines)") if row[1] != "sale_id"
    ]
    sale_columns = [row[1] for row in connection.execute("PRAGMA table_info(sales)")]
    parts = {
        "touch_lines": "SELECT "
        + ", ".join(f"count({column})" for column in line_columns)
        + " FROM sale_lines",
        "lines_json": f"SELECT sum(length(json_array({', '.join(line_columns)}))) FROM sale_lines",
        "touch_sales": "SELECT "
        + ", ".join(f"count({column})" for column in sale_columns)
        + " FROM sales",
        "stock_per_sale": "SELECT count(*), sum(n), sum(q) FROM (SELECT count(*) AS n,"
        " sum(quantity) AS q FROM stock_moves WHERE sale_id IS NOT NULL GROUP BY sale_id)",
    }
    best = bench_verify.best_cpu
    result = {name: best(connection, statement) for name, statement in parts.items()}
    records = connection.execute("SELECT count(*) FROM till_journal").fetchone()[0]
    connection.close()
    return {"records": records, "floor_cpu_s": floor_cpu, **result}


def figures(size: int, r: dict[str, float]) -> list[dict[str, object]]:
    """The ``run_all`` figures: each part and the two bounds beside the floor."""
    floor = r["floor_cpu_s"]
    common = r["touch_sales"] + r["stock_per_sale"]
    rows = [
        ("every line value read once (one scan of sale_lines)", r["touch_lines"]),
        ("every line written as its sealed JSON array (one scan)", r["lines_json"]),
        ("every sale value read once (one scan of sales)", r["touch_sales"]),
        ("stock moves counted and summed per sale (one scan)", r["stock_per_sale"]),
        (
            "bound of a verify that writes the sealed text: floor + the parts",
            floor + r["lines_json"] + common,
        ),
        (
            "bound of any verify comparing every value: floor + the parts",
            floor + r["touch_lines"] + common,
        ),
    ]
    out: list[dict[str, object]] = []
    for name, seconds in rows:
        out.append(
            {
                "name": f"{name}, {size:,} sales (CPU)",
                "value": seconds,
                "unit": "s",
                "floor": floor,
                "ratio": seconds / floor,
                "target": None,  # a bound, not a target: target 1 asks verify ≤ ×3
                "met": None,
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    return bench_verify.study_main(argv, __file__, __doc__ or "", measure, figures)


if __name__ == "__main__":
    raise SystemExit(main())
