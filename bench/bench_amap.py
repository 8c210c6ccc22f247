"""AMAP benchmark: a federation of 20 contracts × 40 deliveries × 2,000 subscriptions.

Run from the repository root::

    .venv/bin/python bench/bench_amap.py                  # fresh SQLite files in a temp dir
    .venv/bin/python bench/bench_amap.py --database postgresql+psycopg://postgres@/x?host=/work/pg
    .venv/bin/python bench/bench_amap.py --scales 1 2 4 --json

Targets (issue 12, at 1×): materialising every subscription's deliveries (80,000 baskets with
their contents, amounts and totals) ≤ 2 s; recomputing every amount after a calendar change
≤ 1 s; planning cheques for all subscriptions ≤ 1 s; `coop amap sub show N --json` for one
subscription ≤ 20 ms (in process, median). Each figure is printed with a floor measured in the
same run on the same database: a plain executemany INSERT of the same basket rows into a scratch
table, one plain aggregate over every basket (SUM per subscription), a plain executemany INSERT
of the same cheque rows, and one SELECT of the subscription's row. Growth: the same at 2× and 4×
the subscriptions.
This is a script, not a test: it prints figures and ratios, it does not fail on a missed target.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from _common import log
from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from coop import migrate
from coop.amap import baskets, calendar, contracts, payments
from coop.amap.contracts import ContractIn, OfferIn
from coop.amap.models import Contract, Holder, Subscription, SubscriptionLine
from coop.amap.rules import ContractKind, Recurrence, SplitStrategy
from coop.audit import Actor
from coop.catalog.models import Producer
from coop.db import make_engine
from coop.members.models import Member, MemberCategory
from coop.rights import Role

CONTRACTS = 20
DELIVERIES = 40
SUBSCRIPTIONS = 2000
ACTOR = Actor("bench", roles=frozenset({Role.ADMINISTRATOR}))
NOW = datetime(2026, 1, 10, 10, 0, tzinfo=UTC)
START = date(2026, 2, 3)


def _timed(action: Any) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def build(session: Session, scale: int) -> list[int]:
    """Members, 20 contracts with 40 weekly deliveries, the subscriptions (not yet materialised)."""
    count = SUBSCRIPTIONS * scale
    category = session.scalars(
        select(MemberCategory).where(MemberCategory.code == "standard")
    ).one()
    session.execute(
        insert(Member),
        [
            {
                "number": n,
                "first_name": f"Prénom{n}",
                "last_name": f"Nom{n}",
                "joined_on": date(2020, 1, 1),
                "category_id": category.id,
                "search_name": f"prenom{n} nom{n}",
                "created_at": NOW,
                "updated_at": NOW,
            }
            for n in range(1, count + 1)
        ],
    )
    session.add(Producer(code="FERME", name="Ferme", active=True, created_at=NOW, updated_at=NOW))
    contracts.create_place(
        session, code="P1", name="Lieu 1", address=None, hours=None, actor=ACTOR, now=NOW
    )
    contracts.create_place(
        session, code="P2", name="Lieu 2", address=None, hours=None, actor=ACTOR, now=NOW
    )
    end = START + timedelta(weeks=DELIVERIES - 1)
    ids = []
    for index in range(CONTRACTS):
        contract = contracts.create_contract(
            session,
            ContractIn(
                code=f"C{index:02d}",
                name=f"Contrat {index}",
                producer="FERME",
                kind=ContractKind.FIXED,
                season_start=START,
                season_end=end,
                places=["P1", "P2"],
                offers=[OfferIn("PP", "Petit", 1500), OfferIn("GP", "Grand", 2500)],
                cheque_counts=[1, 3, 6],
                strategy=SplitStrategy.AMAPRESS,
                cashing_dates=[START + timedelta(days=30 * m) for m in range(9)],
            ),
            actor=ACTOR,
            now=NOW,
        )
        calendar.generate(session, contract, recurrence=Recurrence.WEEKLY, actor=ACTOR, now=NOW)
        ids.append(contract.id)
    offers = dict(
        session.execute(text("SELECT contract_id || ':' || code, id FROM amap_offers")).all()
    )
    members = list(session.scalars(select(Member.id).order_by(Member.id)))
    places = list(session.scalars(text("SELECT id FROM amap_places ORDER BY id")))
    session.execute(
        insert(Subscription),
        [
            {
                "contract_id": ids[i % CONTRACTS],
                "member_id": members[i],
                "place_id": places[i % 2],
                "starts_on": START + timedelta(weeks=(i % 5) * 2),
                "status": "active",
                "invert": False,
                "solidarity": False,
                "contribution_cents": 0,
                "amount_cents": 0,
                "created_at": NOW,
                "updated_at": NOW,
            }
            for i in range(count)
        ],
    )
    subs = session.execute(
        select(Subscription.id, Subscription.contract_id, Subscription.member_id)
    ).all()
    session.execute(
        insert(SubscriptionLine),
        [
            {
                "subscription_id": s,
                "offer_id": offers[f"{c}:{'GP' if s % 3 == 0 else 'PP'}"],
                "quantity": 1,
            }
            for s, c, _m in subs
        ],
    )
    session.execute(
        insert(Holder), [{"subscription_id": s, "member_id": m, "position": 0} for s, _c, m in subs]
    )
    session.flush()
    return ids


def run(url: str, scale: int) -> dict[str, Any]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    out: dict[str, Any] = {"scale": scale, "subscriptions": SUBSCRIPTIONS * scale}
    with Session(engine) as session:
        ids = build(session, scale)
        session.commit()
        today = NOW.date()
        out["materialise_s"] = _timed(lambda: baskets.refresh(session, ids, today=today))
        rows = session.execute(
            text("SELECT subscription_id, delivery_id, collector_id FROM amap_baskets")
        ).all()
        out["baskets"] = len(rows)
        session.execute(
            text(
                "CREATE TABLE bench_floor (subscription_id INTEGER, delivery_id INTEGER,"
                " collector_id INTEGER, status VARCHAR(10), amount_cents INTEGER,"
                " draw_cents INTEGER)"
            )
        )
        floor_rows = [{"s": s, "d": d, "c": c, "st": "due", "a": 0, "dr": 0} for s, d, c in rows]
        out["materialise_floor_s"] = _timed(
            lambda: session.execute(
                text("INSERT INTO bench_floor VALUES (:s, :d, :c, :st, :a, :dr)"), floor_rows
            )
        )
        session.commit()
        first = calendar.deliveries(session, ids[0])[5].on
        contract = session.get_one(Contract, ids[0])
        # A calendar change on every contract (a double basket), then everything recomputed.
        session.execute(
            text('UPDATE amap_deliveries SET factor = 200 WHERE "on" = :d'), {"d": first}
        )
        out["recompute_s"] = _timed(lambda: baskets.recompute(session, ids, today=today))
        out["recompute_floor_s"] = _timed(
            lambda: session.execute(
                text(
                    "SELECT subscription_id, SUM(amount_cents) FROM amap_baskets"
                    " GROUP BY subscription_id"
                )
            ).all()
        )
        session.commit()

        def plan_all() -> None:
            for contract_id in ids:
                payments.plan_all(
                    session, session.get_one(Contract, contract_id), count=3, actor=ACTOR, now=NOW
                )

        out["plan_s"] = _timed(plan_all)
        cheques = session.execute(
            text("SELECT subscription_id, position, amount_cents, cashing_on FROM amap_payments")
        ).all()
        out["cheques"] = len(cheques)
        session.execute(
            text(
                "CREATE TABLE bench_cheques"
                " (s INTEGER, p INTEGER, a INTEGER, d DATE, st VARCHAR(12))"
            )
        )
        cheque_rows = [{"s": s, "p": p, "a": a, "d": d, "st": "expected"} for s, p, a, d in cheques]
        out["plan_floor_s"] = _timed(
            lambda: session.execute(
                text("INSERT INTO bench_cheques VALUES (:s, :p, :a, :d, :st)"), cheque_rows
            )
        )
        session.commit()
        del contract
        target = session.scalar(select(Subscription.id).order_by(Subscription.id.desc()))
    engine.dispose()
    from coop.cli.main import main

    samples = []
    for _ in range(30):
        with contextlib.redirect_stdout(io.StringIO()):
            samples.append(
                _timed(
                    lambda: main(["--database", url, "amap", "sub", "show", str(target), "--json"])
                )
            )
    out["show_s"] = statistics.median(samples[5:])
    engine = make_engine(url)
    from coop.amap import views
    from coop.cli.amap import _plain

    own = []
    with Session(engine) as session:
        for _ in range(30):
            own.append(
                _timed(
                    lambda: json.dumps(
                        _plain(
                            views.subscription_view(session, session.get_one(Subscription, target))
                        ),
                        default=str,
                    )
                )
            )
            session.expunge_all()
    engine.dispose()
    out["view_s"] = statistics.median(own[5:])
    engine = make_engine(url)
    floor = []
    with engine.connect() as connection:
        for _ in range(30):
            floor.append(
                _timed(
                    lambda: connection.execute(
                        text("SELECT * FROM amap_subscriptions WHERE id = :i"), {"i": target}
                    ).all()
                )
            )
    engine.dispose()
    out["show_floor_s"] = statistics.median(floor[5:])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a PostgreSQL server URL (a fresh database per scale)")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for scale in args.scales:
            if args.database:
                os.environ["COOP_TEST_POSTGRES_URL"] = args.database
                sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
                from conftest import create_postgres_database, drop_postgres_database  # type: ignore[import-not-found]

                url = create_postgres_database()
            else:
                url = f"sqlite:///{folder}/amap{scale}.sqlite3"
            log(f"scale {scale}×: {SUBSCRIPTIONS * scale} subscriptions…")
            try:
                results.append(run(url, scale))
            finally:
                if args.database:
                    drop_postgres_database(url)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    heads = ("materialise", "recompute", "plan cheques", "show --json", "view + JSON")
    print(f"{'scale':>5} {'baskets':>8}  " + "  ".join(f"{h:>18}" for h in heads))
    for r in results:
        cells = []
        for key in ("materialise", "recompute", "plan", "show", "view"):
            value, floor = r[f"{key}_s"], r[f"{'show' if key == 'view' else key}_floor_s"]
            unit, factor = ("ms", 1000)
            cells.append(f"{value * factor:8.1f} {unit} ×{value / floor:5.1f}")
        print(f"{r['scale']:>4}× {r['baskets']:>8}  " + "  ".join(f"{c:>18}" for c in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
