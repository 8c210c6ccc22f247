"""Per-scan cost of the core basket API: a 1-item basket and a 40-item one cost the same.

    .venv/bin/python bench/bench_basket.py            # SQLite file in a temp folder
    .venv/bin/python bench/bench_basket.py --json

On a database of 20,000 members and 10,000 products (``bench_tui.big_database``: the real CSV
imports), a member who may shop is set once (``basket_service.set_member``: the desk check),
then baskets of ``--basket`` (40) different products are scanned one code at a time with
``coop.till.basket_service.scan`` (the call the counter's worker and ``coop till sell`` make):
one product read, the basket priced again from its entries, the limits checked. Each scan is
timed and filed by its place in the basket: the figure for "a 1-item basket" is the median of
the scans at places 1–5, "a 40-item basket" the median at places 36–40. The floor, measured in
the same run on the same codes, is ``coop.catalog.scan.resolve`` alone (one product read);
each figure is printed with its ratio to that floor and to the 30 ms target of a scan on
screen (``bench_tui.py`` measures the same through the screen).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import log, median_p95
from bench_tui import NOW, big_database, codes_and_member

from coop.config import Settings
from coop.db import make_engine

TARGET_MS = 30.0


def measure(url: str, baskets: int, size: int) -> dict[str, Any]:
    from sqlalchemy.orm import Session

    from coop.audit import Actor
    from coop.catalog import scan as scanning
    from coop.till import basket_service, selling
    from coop.till.basket import OpenBasket
    from coop.till.requests import ItemRequest, SaleRequest

    ACTOR = Actor("bench")
    codes, card = codes_and_member(url, baskets * size)
    settings = Settings()
    engine = make_engine(url)
    by_place: list[list[float]] = [[] for _ in range(size)]
    before: list[list[float]] = [[] for _ in range(size)]
    floor: list[float] = []
    with Session(engine) as session:
        rules = scanning.load_rules(session)
        for code in codes[:50]:  # warm the statement cache
            scanning.resolve(session, code, rules)
        for start in range(0, len(codes), size):
            basket = basket_service.set_member(
                session, OpenBasket(), card, settings=settings, now=NOW
            )
            for place, code in enumerate(codes[start : start + size]):
                began = time.perf_counter()
                basket = basket_service.scan(
                    session, basket, code, settings=settings, rules_loaded=rules
                ).basket
                by_place[place].append((time.perf_counter() - began) * 1000)
                began = time.perf_counter()
                scanning.resolve(session, code, rules)
                floor.append((time.perf_counter() - began) * 1000)
            assert len(basket.entries) == size, len(basket.entries)
            session.rollback()
        # before: the counter priced the whole basket again at each scan (desk check, every
        # code read again) with ``selling.price_basket``: timed on a few baskets for the ratio
        for start in range(0, min(len(codes), 5 * size), size):
            items: list[ItemRequest] = []
            for place, code in enumerate(codes[start : start + size]):
                items.append(ItemRequest(code))
                request = SaleRequest(items=tuple(items), member=card)
                began = time.perf_counter()
                selling.price_basket(
                    session, request, settings=settings, actor=ACTOR, now=NOW, rules=rules
                )
                before[place].append((time.perf_counter() - began) * 1000)
            session.rollback()
    engine.dispose()
    small = [t for place in by_place[:5] for t in place]
    full = [t for place in by_place[-5:] for t in place]
    return {
        "before_one_item_ms": median_p95([t for place in before[:5] for t in place]),
        "before_forty_items_ms": median_p95([t for place in before[-5:] for t in place]),
        "one_item_ms": median_p95(small),
        "forty_items_ms": median_p95(full),
        "floor_resolve_ms": median_p95(floor),
        "scans": sum(len(p) for p in by_place),
        "basket": size,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--baskets", type=int, default=25)
    parser.add_argument("--basket", type=int, default=40, help="scans per basket")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-basket-") as folder:
        log("a big database")
        url = big_database(Path(folder), args.members, args.products)
        result = measure(url, args.baskets, args.basket)
    result["machine"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_before": load,
        "load_after": os.getloadavg()[0],
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    floor = result["floor_resolve_ms"][0]
    print(f"{'figure (median, p95)':<52} {'ms':>16} {'× floor':>8} {'/ 30 ms':>8}")
    for key, label in (
        ("floor_resolve_ms", "floor: one product read (scan.resolve)"),
        ("one_item_ms", "a scan into a 1-item basket (places 1-5)"),
        ("forty_items_ms", "a scan into a 40-item basket (places 36-40)"),
        ("before_one_item_ms", "before (price_basket of it all), 1-item basket"),
        ("before_forty_items_ms", "before (price_basket of it all), 40-item basket"),
    ):
        median, p95 = result[key]
        print(
            f"{label:<52} {median:>7.3f} ({p95:>6.3f}) {median / floor:>8.1f}"
            f" {median / TARGET_MS:>8.3f}"
        )
    one, forty = result["one_item_ms"][0], result["forty_items_ms"][0]
    print(f"40-item / 1-item: {forty / one:.2f}; scans: {result['scans']}")
    print(f"load average before/after: {load:.2f}/{result['machine']['load_after']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
