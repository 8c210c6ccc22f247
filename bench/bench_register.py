"""The register of members and shares (registre des associés) for 20,000 members: target ≤ 5 s.

    python bench/bench_register.py [--members 20000] [--repeat 3] [--json]

Two measures, each the median of ``--repeat`` runs:

- ``layout``: the PDF of a register of ``--members`` generated rows (one to three share
  movements each, one in fifty with a date out) through ``invoices.build``;
- ``DB``: what `coop print register` does on a SQLite database of as many members (built once
  in a temporary folder: members and share movements inserted in bulk): reading the register
  (``coop.members.register.members_register``) plus the same layout.

The floor is ReportLab alone drawing the same strings on a bare canvas (``drawString`` at fixed
places, as many pages as the register), measured in the same run; the ratio is the price of
the tables (measuring cells, splitting pages, repeating headers, "Page X of Y").
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import log, median_p95
from bench.bench_print import HEAD, bare_canvas
from coop.clock import SHOP_TIMEZONE

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=SHOP_TIMEZONE)
FIRST = ["Éric", "Océane", "Leïla", "Thérèse", "Zoé", "Hélène", "Noël", "Anaïs", "Jérôme", "Côme"]
LAST = ["Dumont", "Renaud", "Fournier", "Lebrun", "Lefèvre", "Élie", "Durand", "Öztürk", "Martin"]


def rows(members: int, rng: random.Random) -> list:
    from coop.members.register import RegisterMovement, RegisterRow

    out = []
    for number in range(1, members + 1):
        joined = date(2019, 1, 1) + timedelta(days=rng.randint(0, 2500))
        moves = tuple(
            RegisterMovement(joined + timedelta(days=30 * i), "payment", 3000 + 1000 * (i == 2))
            for i in range(rng.randint(1, 3))
        )
        paid = sum(m.amount_cents for m in moves)
        left = joined + timedelta(days=400) if number % 50 == 0 else None
        out.append(
            RegisterRow(
                number,
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "standard" if number % 9 else "solidarity",
                joined,
                left,
                paid,
                paid // 1000,
                moves,
            )
        )
    return out


def strings_of(register) -> list[str]:
    from coop.dates import format_date
    from coop.money import format_money

    strings = []
    for row in register.rows:
        strings += [str(row.number), row.name, row.category, format_date(row.joined_on)]
        strings += [str(row.shares), format_money(row.paid_cents), row.movements_text()]
    return strings


def timed(action, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return median_p95(samples)[0]


def database(folder: Path, members: list) -> str:
    from sqlalchemy import insert, select

    from coop import migrate
    from coop.db import make_engine
    from coop.members.models import Member, MemberCategory
    from coop.members.share_models import ShareMovement

    url = f"sqlite:///{folder / 'register.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with engine.begin() as connection:
        categories = {
            code: id_
            for code, id_ in connection.execute(select(MemberCategory.code, MemberCategory.id))
        }
        for code in ("standard", "solidarity"):
            if code not in categories:
                categories[code] = connection.execute(
                    insert(MemberCategory)
                    .values(code=code, label=code)
                    .returning(MemberCategory.id)
                ).scalar_one()
        connection.execute(
            insert(Member),
            [
                {
                    "number": row.number,
                    "first_name": row.name.split(" ")[0],
                    "last_name": row.name.split(" ", 1)[1],
                    "joined_on": row.joined_on,
                    "left_on": row.left_on,
                    "category_id": categories[row.category],
                    "search_name": row.name.lower(),
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for row in members
            ],
        )
        ids = {number: id_ for number, id_ in connection.execute(select(Member.number, Member.id))}
        connection.execute(
            insert(ShareMovement),
            [
                {
                    "member_id": ids[row.number],
                    "on": move.on,
                    "kind": move.kind,
                    "amount_cents": move.amount_cents,
                    "means": "cheque",
                    "actor": "bench",
                    "created_at": NOW,
                }
                for row in members
                for move in row.movements
            ],
        )
    engine.dispose()
    return url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    import invoices
    from coop.config import Settings
    from coop.i18n import set_language
    from coop.members.register import MembersRegister, members_register

    set_language("fr")
    rng = random.Random(15)
    generated = rows(args.members, rng)
    register = MembersRegister(HEAD, NOW.date(), 1000, tuple(generated), NOW)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        log(f"layout of {args.members} rows…")
        built = invoices.build(register)
        layout = timed(lambda: invoices.build(register), args.repeat)
        strings = strings_of(register)
        bare = timed(lambda: bare_canvas(strings, built.pages, out / "bare.pdf"), args.repeat)
        results.append(("register, layout", layout, bare, built.pages))
        log("building the database…")
        url = database(out, generated)
        from coop.db import make_engine, make_session_factory

        engine = make_engine(url)
        sessions = make_session_factory(engine)
        settings = Settings(database_url=url)

        def from_database() -> None:
            with sessions() as session:
                document = members_register(
                    session, at=NOW.date(), settings=settings, printed_at=NOW
                )
            invoices.render_to_file(document, out / "registre.pdf")

        with sessions() as session:
            start = time.perf_counter()
            read = members_register(session, at=NOW.date(), settings=settings, printed_at=NOW)
            reading = time.perf_counter() - start
        assert len(read.rows) == args.members
        db = timed(from_database, args.repeat)
        engine.dispose()
        results.append(("DB: read + layout + write", db, bare, built.pages))
    figures = [
        {
            "measure": name,
            "seconds": round(seconds, 3),
            "target_s": 5.0,
            "pages": pages,
            "bare_canvas_s": round(floor, 3),
            "ratio": round(seconds / floor, 1),
        }
        for name, seconds, floor, pages in results
    ]
    if args.json:
        print(json.dumps({"members": args.members, "read_s": round(reading, 3), "rows": figures}))
        return 0
    print(f"register of {args.members} members (reading alone: {reading:.3f}s)")
    for row in figures:
        print(
            f"{row['measure']:<28} {row['seconds']:>7.3f}s  target {row['target_s']}s  "
            f"{row['pages']} pages  bare canvas {row['bare_canvas_s']:.3f}s  ×{row['ratio']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
