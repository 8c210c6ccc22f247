"""Would storing a sale once meet target 1 (issue 18)? A measured answer, on ``bench_verify``'s
databases.

Run from the repository root::

    .venv/bin/python bench/bench_store_once.py --keep /tmp/verify-bench   # 250,000 sales
    .venv/bin/python bench/bench_store_once.py --sizes 40000,250000 --keep /tmp/verify-bench

Today a sale is stored twice: as rows (``sales``, ``sale_lines``, ``sale_payments``,
``sale_vat``), which every report reads, and as the sealed text of its journal record; `coop
till verify` must show that the two agree, and ``bench_verify_bound`` measures that no
verification of the rows against the text can cost less than about ×3 the floor. The other
layout keeps the sealed text as the only copy, the rows read from it. This script measures,
beside the same floor as ``bench_verify`` (plain ``sqlite3`` reading every journal record,
SHA-256 of its data, CPU seconds), in one fresh process per size:

- what a verification of that layout could not skip besides the floor: checking each daily
  closure's sums by means of payment and by VAT rate, which then exist only in the sealed
  texts. Two ways: in SQL (``json_each`` over every sale's payments and VAT, grouped by the
  closure that follows the sale), and in Python during the floor's own read (each record's
  ``"payments"`` and ``"vat"`` arrays cut out of the canonical text and parsed, summed until
  the next daily closure, compared with it; the number of closures that differ is printed, 0
  on sound data). The rows' own sums (today's layout) beside them, and every line of every
  sale read through ``json_each`` (what SQLite's JSON costs);
- what the reports would pay: the same question asked of the rows (with their indexes) and of
  the sealed texts (``json_each``): a day's takings by means (the Z), a month's sales by
  product, one product's sales in the whole journal.

A script, not a test (``--json``: the ``run_all`` figures).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections import defaultdict
from pathlib import Path

import bench_verify

RUN_ALL = {"full": ["--sizes", "250000"], "quick": ["--sizes", "20000"], "figures": True}

_CLOSURE_OF_SALE = (
    "WITH z AS (SELECT till_id, seq AS hi,"
    " COALESCE(LAG(seq) OVER (PARTITION BY till_id ORDER BY seq), 0) AS lo"
    " FROM till_journal WHERE kind = 'day_closure')"
)


def python_pass(path: Path) -> tuple[float, int, int]:
    """The floor's read and hash, plus every daily closure checked against the payments and VAT
    cut out of the sales' sealed texts (CPU seconds, closures checked, closures that differ)."""
    started = time.process_time()
    connection = sqlite3.connect(path)
    cursor = connection.execute(bench_verify.JOURNAL_READ)
    means: defaultdict[str, int] = defaultdict(int)
    vat: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    checked = differ = 0
    loads = json.loads
    while rows := cursor.fetchmany(20_000):
        for row in rows:
            data = row[4]
            hashlib.sha256(data.encode("ascii")).hexdigest()
            if row[1] == "sale":
                # canonical JSON: keys sorted, no raw '"' inside a string, so the cuts are exact
                start = data.index('"payments":') + 11
                for name, amount, _reference in loads(data[start : data.index(',"session":')]):
                    means[name] += amount
                for rate, excl, tax in loads(data[data.rindex('"vat":') + 6 : -1]):
                    pair = vat[rate]
                    pair[0] += excl
                    pair[1] += tax
            elif row[1] == "day_closure":
                sealed = loads(data)
                found_means = {item["means"]: item["amount"] for item in sealed["payments"]}
                found_vat = {
                    item["rate"]: [item["excl_vat"], item["vat"]] for item in sealed["vat"]
                }
                checked += 1
                differ += (found_means, found_vat) != (dict(means), dict(vat))
                means.clear()
                vat.clear()
    connection.close()
    return time.process_time() - started, checked, differ


def measure(path: Path) -> dict[str, float]:
    """In this fresh process: the floor first (as ``bench_verify`` does), then the parts."""
    _wall, floor_cpu = bench_verify.floor(path)
    pass_cpu, checked, differ = python_pass(path)
    connection = sqlite3.connect(path)
    day_sums = {
        "sums_rows": (
            f"{_CLOSURE_OF_SALE} SELECT z.hi, x.means, sum(x.amount_cents) FROM z"
            " JOIN sales s ON s.till_id = z.till_id AND s.seq > z.lo AND s.seq < z.hi"
            " JOIN sale_payments x ON x.sale_id = s.id GROUP BY z.hi, x.means",
            f"{_CLOSURE_OF_SALE} SELECT z.hi, x.vat_rate_bp, sum(x.excl_vat_cents),"
            " sum(x.vat_cents) FROM z"
            " JOIN sales s ON s.till_id = z.till_id AND s.seq > z.lo AND s.seq < z.hi"
            " JOIN sale_vat x ON x.sale_id = s.id GROUP BY z.hi, x.vat_rate_bp",
        ),
        "sums_text_sql": (
            f"{_CLOSURE_OF_SALE} SELECT z.hi, p.value ->> 0, sum(p.value ->> 1) FROM z"
            " JOIN till_journal j ON j.till_id = z.till_id AND j.seq > z.lo AND j.seq < z.hi"
            " AND j.kind = 'sale',"
            " json_each(j.data, '$.payments') p GROUP BY 1, 2",
            f"{_CLOSURE_OF_SALE} SELECT z.hi, v.value ->> 0, sum(v.value ->> 1),"
            " sum(v.value ->> 2) FROM z"
            " JOIN till_journal j ON j.till_id = z.till_id AND j.seq > z.lo AND j.seq < z.hi"
            " AND j.kind = 'sale',"
            " json_each(j.data, '$.vat') v GROUP BY 1, 2",
        ),
    }
    result: dict[str, float] = {
        "floor_cpu_s": floor_cpu,
        "python_pass": pass_cpu,
        "closures": checked,
        "closures_differ": differ,
    }
    result["lines_json_each"] = bench_verify.best_cpu(
        connection,
        "SELECT count(*), sum(l.value ->> 14) FROM till_journal j,"
        " json_each(j.data, '$.lines') l WHERE j.kind = 'sale'",
    )
    for name, statements in day_sums.items():
        result[name] = sum(bench_verify.best_cpu(connection, statement) for statement in statements)
    day = connection.execute("SELECT min(at) FROM sales").fetchone()[0][:10]
    product = connection.execute(
        "SELECT product_id FROM sale_lines GROUP BY product_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    month = f"at >= '{day[:8]}01' AND at < date('{day[:8]}01', '+1 month')"
    one_day = f"at >= '{day}' AND at < date('{day}', '+1 day')"
    reports = {
        "z_day": (
            "SELECT x.means, sum(x.amount_cents) FROM sales s"
            f" JOIN sale_payments x ON x.sale_id = s.id WHERE s.{one_day} GROUP BY x.means",
            "SELECT p.value ->> 0, sum(p.value ->> 1) FROM till_journal j,"
            f" json_each(j.data, '$.payments') p WHERE j.kind = 'sale' AND j.{one_day}"
            " GROUP BY 1",
        ),
        "month_by_product": (
            "SELECT x.product_id, sum(x.quantity), sum(x.amount_cents) FROM sales s"
            f" JOIN sale_lines x ON x.sale_id = s.id WHERE s.{month} GROUP BY x.product_id",
            "SELECT l.value ->> 2, sum(l.value ->> 5), sum(l.value ->> 14) FROM till_journal j,"
            f" json_each(j.data, '$.lines') l WHERE j.kind = 'sale' AND j.{month} GROUP BY 1",
        ),
        "one_product": (
            f"SELECT count(*), sum(quantity) FROM sale_lines WHERE product_id = {product}",
            "SELECT count(*), sum(l.value ->> 5) FROM till_journal j,"
            f" json_each(j.data, '$.lines') l WHERE j.kind = 'sale' AND l.value ->> 2 = {product}",
        ),
    }
    for name, (rows, text) in reports.items():
        result[f"{name}_rows"] = bench_verify.best_cpu(connection, rows)
        result[f"{name}_text"] = bench_verify.best_cpu(connection, text)
    connection.close()
    return result


def figures(size: int, r: dict[str, float]) -> list[dict[str, object]]:
    """The ``run_all`` figures: the parts beside the floor, the reports beside their rows."""
    floor = r["floor_cpu_s"]
    out: list[dict[str, object]] = []

    def add(name: str, value: float, base: float, base_name: str) -> None:
        out.append(
            {
                "name": f"{name}, {size:,} sales, floor {base_name} (CPU)",
                "value": value,
                "unit": "s",
                "floor": base,
                "ratio": value / base,
                "target": None,  # a study, not a target
                "met": None,
            }
        )

    add(
        "store once: closures' sums from the sealed texts, SQL",
        r["sums_text_sql"],
        floor,
        "verify's",
    )
    add(
        f"store once: floor's read + closures checked in Python ({int(r['closures'])} closures,"
        f" {int(r['closures_differ'])} differ)",
        r["python_pass"],
        floor,
        "verify's",
    )
    add("today: closures' sums from the rows", r["sums_rows"], floor, "verify's")
    add("store once: every line read through json_each", r["lines_json_each"], floor, "verify's")
    for name, label in (
        ("z_day", "a day's takings by means"),
        ("month_by_product", "a month's sales by product"),
        ("one_product", "one product's sales, whole journal"),
    ):
        add(f"store once: {label}", r[f"{name}_text"], r[f"{name}_rows"], "the rows")
    return out


def main(argv: list[str] | None = None) -> int:
    return bench_verify.study_main(argv, __file__, __doc__ or "", measure, figures)


if __name__ == "__main__":
    raise SystemExit(main())
