"""Allocation time per strategy for 10k, 100k and 1M demand lines, and the ratio between sizes.

Not a test: prints figures only. Columns ``xN`` are time ratios between sizes N times apart: a
linear cost gives about N, a quadratic one N². The "(sort only)" row is Python sorting one key per
ledger slice, the floor for FIFO; it also grows faster than N at 1M lines (n log n and the CPU
caches). Run: ``.venv/bin/python bench/bench_orders_allocation.py [sizes...]``.
Data: one article, members with 1-3 ledger slices each, quantities 0-12, tolerances 0-4, order
times spread over a week, and a shortage (70 % of firm demand available) so every rule is used.
"""

from __future__ import annotations

import itertools
import random
import sys
import time
from datetime import UTC, datetime, timedelta

from coop.orders.rules import DemandLine, Slice, Strategy, allocate

SIZES = (10_000, 100_000, 1_000_000)
START = datetime(2026, 4, 6, 8, 0, tzinfo=UTC)


def make_lines(n: int, seed: int = 20260407) -> list[DemandLine]:
    rnd = random.Random(seed)
    lines: list[DemandLine] = []
    seq = 0
    for member_id in range(1, n + 1):
        slices = []
        for _ in range(rnd.randint(1, 3)):
            seq += 1
            moment = START + timedelta(seconds=rnd.randrange(7 * 24 * 3600))
            slices.append(Slice(rnd.randint(0, 4), rnd.randint(0, 2), moment, seq))
        slices.sort(key=lambda s: (s.at, s.seq))
        lines.append(
            DemandLine(
                member_id,
                sum(s.quantity for s in slices),
                sum(s.tolerance for s in slices),
                slices[0].at,
                tuple(slices),
            )
        )
    return lines


def timed(lines: list[DemandLine], available: int, strategy: Strategy, runs: int) -> float:
    """Best of ``runs`` wall-clock times (the machine may be busy)."""
    best = float("inf")
    for _ in range(runs):
        begin = time.perf_counter()
        allocate(lines, available, strategy)
        best = min(best, time.perf_counter() - begin)
    return best


def sort_baseline(lines: list[DemandLine], runs: int) -> float:
    """Python sorting one (time, seq, member, line) tuple per slice: the floor FIFO cannot beat."""
    best = float("inf")
    for _ in range(runs):
        begin = time.perf_counter()
        rows = [
            (piece.at, piece.seq, line.member_id, i)
            for i, line in enumerate(lines)
            for piece in line.slices
        ]
        rows.sort()
        best = min(best, time.perf_counter() - begin)
    return best


def main() -> None:
    sizes = tuple(int(arg) for arg in sys.argv[1:]) or SIZES
    rows: dict[str, list[float]] = {strategy.value: [] for strategy in Strategy}
    rows["(sort only)"] = []
    for n in sizes:
        lines = make_lines(n)
        available = sum(line.quantity for line in lines) * 7 // 10
        runs = 3 if n < 1_000_000 else 1
        for strategy in Strategy:
            rows[strategy.value].append(timed(lines, available, strategy, runs))
        rows["(sort only)"].append(sort_baseline(lines, runs))
    print(
        f"{'lines':<14}"
        + "".join(f"{n:>12,}".replace(",", " ") for n in sizes)
        + "".join(f"{f'x{b // a}':>10}" for a, b in itertools.pairwise(sizes))
    )
    for name, seconds in rows.items():
        print(
            f"{name:<14}"
            + "".join(f"{s:>11.3f}s" for s in seconds)
            + "".join(f"{b / a:>9.1f}x" for a, b in itertools.pairwise(seconds))
        )


if __name__ == "__main__":
    main()
