"""AMAP distribution-day benchmark: 400 households × 6 contracts at one place, 40 weekly dates.

Run from the repository root::

    .venv/bin/python bench/bench_amap_distribution.py            # a fresh SQLite file
    .venv/bin/python bench/bench_amap_distribution.py --database postgresql+psycopg://...

Targets (issue 13): the desk's lookup and display after a card scan ≤ 30 ms median; ticking a
household collected ≤ 10 ms median (one transaction, committed); the émargement PDF ≤ 1 s and
≤ 3× a bare ReportLab canvas drawing the same strings; a season's per-contract grid (40 dates ×
200 members) ≤ 1.5 s. Floors measured in the same run on the same database: one SELECT of a card
by barcode (lookup), one INSERT of a row and a commit (tick), the bare canvas (émargement), the
bare canvas drawing the grid's strings (grid).
This is a script, not a test: it prints figures and ratios, it does not fail on a missed target.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from _common import log
from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from coop import migrate
from coop.amap import baskets, calendar, contracts, desk, documents, sheets
from coop.amap.contracts import ContractIn, OfferIn
from coop.amap.models import Holder, Subscription, SubscriptionLine
from coop.amap.rules import ContractKind, Recurrence, SplitStrategy
from coop.audit import Actor
from coop.catalog.models import Producer
from coop.config import Settings
from coop.db import make_engine
from coop.members.models import Member, MemberCard, MemberCategory
from coop.rights import Role
from coop.scanning import with_check_digit

HOUSEHOLDS = 400
CONTRACTS = 6
GRID_MEMBERS = 200
DATES = 40
ACTOR = Actor("bench", roles=frozenset({Role.ADMINISTRATOR}))
NOW = datetime(2026, 1, 10, 10, 0, tzinfo=UTC)
START = date(2026, 2, 3)
SAMPLES = 60


def _timed(action: Any) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def _barcode(number: int) -> str:
    return with_check_digit(f"0420{number:08d}")


def _contract(session: Session, code: str, place: str) -> int:
    end = START + timedelta(weeks=DATES - 1)
    contract = contracts.create_contract(
        session,
        ContractIn(
            code=code,
            name=f"Contrat {code}",
            producer="FERME",
            kind=ContractKind.FIXED,
            season_start=START,
            season_end=end,
            places=[place],
            offers=[OfferIn("PP", "Petit", 1500), OfferIn("GP", "Grand", 2500)],
            cheque_counts=[1],
            strategy=SplitStrategy.AMAPRESS,
            cashing_dates=[START],
        ),
        actor=ACTOR,
        now=NOW,
    )
    calendar.generate(session, contract, recurrence=Recurrence.WEEKLY, actor=ACTOR, now=NOW)
    return contract.id


def build(session: Session) -> None:
    """400 members with cards; 6 contracts at P1 each taken by every household; a grid contract
    at P2 taken by 200 of them; baskets materialised."""
    category = session.scalars(
        select(MemberCategory).where(MemberCategory.code == "standard")
    ).one()
    session.execute(
        insert(Member),
        [
            {
                "number": n,
                "first_name": f"Prénom{n}",
                "last_name": f"Nôm{n:04d}",
                "joined_on": date(2020, 1, 1),
                "category_id": category.id,
                "search_name": f"prenom{n} nom{n:04d}",
                "created_at": NOW,
                "updated_at": NOW,
            }
            for n in range(1, HOUSEHOLDS + 1)
        ],
    )
    members = dict(session.execute(select(Member.number, Member.id)).all())
    session.execute(
        insert(MemberCard),
        [
            {"member_id": members[n], "barcode": _barcode(n), "issued_on": date(2020, 1, 1)}
            for n in members
        ],
    )
    session.add(Producer(code="FERME", name="Ferme", active=True, created_at=NOW, updated_at=NOW))
    for code in ("P1", "P2"):
        contracts.create_place(
            session, code=code, name=f"Lieu {code}", address=None, hours=None, actor=ACTOR, now=NOW
        )
    ids = [_contract(session, f"C{i}", "P1") for i in range(CONTRACTS)]
    ids.append(_contract(session, "GRID", "P2"))
    places = dict(session.execute(text("SELECT code, id FROM amap_places")).all())
    offers = dict(
        session.execute(text("SELECT contract_id || ':' || code, id FROM amap_offers")).all()
    )
    rows = [
        (contract_id, members[n], places["P2" if contract_id == ids[-1] else "P1"])
        for contract_id in ids
        for n in range(1, (GRID_MEMBERS if contract_id == ids[-1] else HOUSEHOLDS) + 1)
    ]
    session.execute(
        insert(Subscription),
        [
            {
                "contract_id": c,
                "member_id": m,
                "place_id": p,
                "starts_on": START,
                "status": "active",
                "invert": False,
                "solidarity": False,
                "contribution_cents": 0,
                "amount_cents": 0,
                "created_at": NOW,
                "updated_at": NOW,
            }
            for c, m, p in rows
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
    baskets.refresh(session, ids, today=NOW.date())


def bare_canvas(lines: list[str]) -> float:
    """The floor: a ReportLab canvas drawing the same strings (every cell), 400 a page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from invoices.base import FONT, styles

    styles()  # the embedded font registered, as the renderer has it

    def draw() -> None:
        canvas = Canvas(io.BytesIO(), pagesize=A4)
        canvas.setFont(FONT, 8)
        for index, line in enumerate(lines):
            if index and index % 400 == 0:
                canvas.showPage()
                canvas.setFont(FONT, 8)
            slot = index % 400
            canvas.drawString(40 + (slot % 8) * 65, 800 - (slot // 8) * 15, line)
        canvas.save()

    return _timed(draw)


def run(url: str) -> dict[str, Any]:
    import invoices

    engine = make_engine(url)
    migrate.upgrade(engine)
    out: dict[str, Any] = {"households": HOUSEHOLDS, "contracts": CONTRACTS}
    on = START + timedelta(weeks=3)
    with Session(engine) as session:
        build(session)
        session.commit()
        out["baskets_that_day"] = HOUSEHOLDS * CONTRACTS
        out["load_day_s"] = _timed(lambda: desk.load(session, on, "P1"))
        day = desk.load(session, on, "P1")
        session.commit()
        lookups, floors = [], []
        for n in range(1, SAMPLES + 1):
            code = _barcode(n * 6)
            lookups.append(_timed(lambda code=code: desk.find(session, day, code)))
            floors.append(
                _timed(
                    lambda code=code: session.scalar(
                        select(MemberCard.member_id).where(MemberCard.barcode == code)
                    )
                )
            )
        out["lookup_ms"] = statistics.median(lookups) * 1000
        out["lookup_floor_ms"] = statistics.median(floors) * 1000
        session.commit()
        session.execute(text("CREATE TABLE bench_floor (n INTEGER)"))
        session.commit()
        ticks, tick_floors = [], []
        for n in range(1, SAMPLES + 1):
            member = n * 6

            def tick(member: int = member, day: Any = day) -> None:
                desk.tick(session, day, member, actor=ACTOR, now=NOW)
                session.commit()

            ticks.append(_timed(tick))
            day = desk.recorded(day, member, "collected")

            def floor(n: int = n) -> None:
                session.execute(text("INSERT INTO bench_floor VALUES (:n)"), {"n": n})
                session.commit()

            tick_floors.append(_timed(floor))
        out["tick_ms"] = statistics.median(ticks) * 1000
        out["tick_floor_ms"] = statistics.median(tick_floors) * 1000

        sheet: Any = None

        def emargement() -> None:
            nonlocal sheet
            sheet = documents.emargement(session, on, "P1", settings=Settings(), printed_at=NOW)
            invoices.render(sheet)

        out["emargement_s"] = _timed(emargement)
        out["emargement_layout_s"] = _timed(lambda: invoices.render(sheet))
        strings = [text for row in sheet.rows for text in (row.names, *row.cells)]
        out["emargement_floor_s"] = bare_canvas(strings)
        out["emargement_pages"] = invoices.build(sheet).pages

        grid: Any = None
        last = START + timedelta(weeks=DATES - 1)

        def season_grid() -> None:
            nonlocal grid
            grid = sheets.contract_grid(
                session, "GRID", START, last, settings=Settings(), printed_at=NOW
            )
            invoices.render(grid)

        out["grid_s"] = _timed(season_grid)
        out["grid_floor_s"] = bare_canvas(
            [text for row in grid.rows for text in (*row.names, row.basket, *row.cells)]
        )
        out["grid_cells"] = len(grid.rows) * len(grid.dates)
    engine.dispose()
    return out


def report(out: dict[str, Any]) -> None:
    def line(label: str, value: float, floor: float, unit: str, target: str) -> None:
        ratio = value / floor if floor else float("inf")
        log(f"{label:<34} {value:9.2f} {unit}  floor {floor:8.2f} {unit}  ×{ratio:6.1f}  {target}")

    log(f"{out['households']} households × {out['contracts']} contracts")
    log(f"reading the day once (desk opens)  {out['load_day_s'] * 1000:9.1f} ms")
    line(
        "desk lookup after a scan (median)",
        out["lookup_ms"],
        out["lookup_floor_ms"],
        "ms",
        "≤ 30 ms",
    )
    line("tick, committed (median)", out["tick_ms"], out["tick_floor_ms"], "ms", "≤ 10 ms")
    line(
        "émargement PDF (data + layout)",
        out["emargement_s"],
        out["emargement_floor_s"],
        "s ",
        f"≤ 1 s, ≤ 3× ({out['emargement_pages']} pages)",
    )
    line(
        "émargement, layout only",
        out["emargement_layout_s"],
        out["emargement_floor_s"],
        "s ",
        "≤ 3×",
    )
    line(
        "per-contract grid, 40 × 200",
        out["grid_s"],
        out["grid_floor_s"],
        "s ",
        f"≤ 1.5 s ({out['grid_cells']} cells)",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a database URL (default: a temporary SQLite file)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{os.path.join(folder, 'bench.sqlite3')}"
        out = run(url)
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        report(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
