"""Printed documents: how long the big batches take, and how that compares with ReportLab alone.

    python bench/bench_print.py [--producers 50] [--households 500] [--members 2000] [--json]

Three measures, each the median of ``--repeat`` runs (default 3):

- order sheets: every producer order sheet of a cycle with ``--producers`` suppliers (20 lines
  each), one PDF per producer (plus its CSV twin), target ≤ 2 s;
- packing matrix: the sorting grid of ``--households`` households × 40 articles, target ≤ 3 s;
- member cards: ``--members`` cards with EAN-13 barcodes (ten a page), target ≤ 5 s.

Each figure also runs with the data built from a real SQLite database when the cycle model is
available (``--database`` builds a fresh one in a temporary folder), and as a ratio to
ReportLab drawing the same strings on a bare canvas (``canvas.drawString`` at fixed places, one
page per sheet's page count): the price of layout (tables, wrapping, page templates, "Page X of
Y") over raw drawing.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import load_generator, log, median_p95
from coop.clock import SHOP_TIMEZONE
from coop.documents import Letterhead, VatRow

NOW = datetime(2026, 11, 21, 10, 30, tzinfo=SHOP_TIMEZONE)
HEAD = Letterhead(
    "Épicerie coopérative La Gerbe",
    ("12 rue des Lilas", "69001 Lyon"),
    "123 456 789 00012",
    "04 78 00 00 00",
)
FIRST = ["Éric", "Océane", "Leïla", "Thérèse", "Zoé", "Hélène", "Noël", "Anaïs", "Jérôme", "Côme"]
LAST = ["Dumont", "Renaud", "Fournier", "Lebrun", "Lefèvre", "Élie", "Durand", "Öztürk", "Martin"]
WORDS = [
    "Lentilles",
    "Farine",
    "Pommes",
    "Huile d’olive",
    "Riz",
    "Pâtes",
    "Savon",
    "Miel",
    "Confiture",
    "Café",
    "Thé",
    "Chocolat",
    "Noix",
    "Sucre",
    "Vinaigre",
    "Pois chiches",
]


def name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def order_sheets(producers: int, lines: int, rng: random.Random) -> list:
    from coop.orders.sheets import MemberPick, OrderSheet, OrderSheetLine, Party

    sheets = []
    for p in range(producers):
        rows = []
        by_rate: dict[Decimal, int] = {}
        for i in range(lines):
            rate = Decimal(rng.choice(["5.5", "20"]))
            cases = rng.randint(1, 8)
            price = rng.randint(90, 2500)
            excl = price * cases * 6
            by_rate[rate] = by_rate.get(rate, 0) + excl
            rows.append(
                OrderSheetLine(
                    f"P{p:02d}-{i:04d}",
                    f"{rng.choice(WORDS)} bio {i}",
                    "carton de 6 pièces",
                    cases,
                    f"{cases * 6} pièces",
                    price,
                    "pièce",
                    rate,
                    excl,
                )
            )
        vat = tuple(
            VatRow(rate, excl, int(excl * rate / 100)) for rate, excl in sorted(by_rate.items())
        )
        picks = tuple(
            MemberPick(f"Foyer {h}", tuple((r.reference, r.name, "2 pièces") for r in rows[:3]))
            for h in range(1, 6)
        )
        sheets.append(
            OrderSheet(
                HEAD,
                Party(f"PROD{p}", f"Ferme n° {p}", ("Le Bourg", "01000 Ain"), "06 00 00 00 00"),
                "2026-S48",
                "Commande de la semaine 48",
                f"2026-S48-PROD{p}",
                None,
                date(2026, 11, 27),
                "Local de l’épicerie",
                tuple(rows),
                vat,
                picks,
                True,
                NOW,
            )
        )
    return sheets


def matrix(households: int, articles: int, rng: random.Random):
    from coop.orders.sheets import PackingList, PackingMatrix

    cols = tuple((f"A{i:03d}", f"{rng.choice(WORDS)} {i}", "pièce") for i in range(articles))
    rows = tuple((n, name(rng)) for n in range(1, households + 1))
    cells = tuple(
        tuple(str(rng.randint(1, 6)) if rng.random() < 0.3 else "" for _ in cols) for _ in rows
    )
    totals = tuple(str(sum(int(row[i]) for row in cells if row[i])) for i in range(articles))
    return PackingList(
        HEAD,
        "matrix",
        "2026-S48",
        "Commande de la semaine 48",
        date(2026, 11, 27),
        "Local",
        False,
        NOW,
        matrix=PackingMatrix(cols, rows, cells, totals),
    )


def cards(members: int, rng: random.Random):
    from stdnum import ean

    from coop.members.documents import CardData, MemberCardsSheet

    result = []
    for number in range(1, members + 1):
        body = f"042{number:09d}"
        result.append(CardData(number, name(rng), body + ean.calc_check_digit(body)))
    return MemberCardsSheet(HEAD, tuple(result), NOW)


ARTICLES_PER_PRODUCER = 20
MATRIX_ARTICLES = 40


def build_database(folder: Path, producers: int, households: int, members: int):  # type: ignore[no-untyped-def]
    """A real SQLite database: ``members`` members with cards, ``producers`` producers, and a
    closed cycle NOV where ``households`` households ordered 8 articles each (increments written
    in bulk, then closed through the service: rounding and allocation as in production)."""
    from sqlalchemy import insert, select
    from sqlalchemy.orm import Session

    from coop import migrate
    from coop.audit import Actor
    from coop.catalog.exchange import import_producers
    from coop.config import MemberSettings
    from coop.db import make_engine
    from coop.members.exchange import import_members
    from coop.members.models import Member
    from coop.orders import service
    from coop.orders.articles import import_articles
    from coop.orders.models import OrderArticle, OrderIncrement
    from coop.rights import Role

    generator = load_generator()
    engine = make_engine(f"sqlite:///{folder / 'print.sqlite3'}")
    migrate.upgrade(engine)
    actor = Actor("bench", roles=frozenset({Role.ADMINISTRATOR}))
    opening = datetime(2026, 11, 2, 9, 0, tzinfo=SHOP_TIMEZONE)
    members_csv = folder / "members.csv"
    members_csv.write_bytes(
        generator.render_csv(generator.MEMBER_COLUMNS, generator.member_rows(members))
    )
    producers_csv = folder / "producers.csv"
    rows = generator.producer_rows(producers)
    producers_csv.write_bytes(generator.render_csv(generator.PRODUCER_COLUMNS, rows))
    codes = [row["code"] for row in rows]
    rng = random.Random(7)
    with Session(engine) as session:
        import_members(session, members_csv, actor=actor, now=opening, settings=MemberSettings())
        import_producers(session, producers_csv, actor=actor, now=opening)
        service.create_cycle(
            session,
            code="NOV",
            name="Commande de novembre",
            suppliers=[service.SupplierIn(code) for code in codes],
            opens_at=opening,
            closes_at=datetime(2026, 11, 6, 18, 0, tzinfo=SHOP_TIMEZONE),
            delivery_on=date(2026, 11, 10),
            delivery_place="Local de la coop",
            actor=actor,
            now=opening,
        )
        for index, code in enumerate(codes):
            prices = folder / f"{code}.csv"
            lines = ["référence;désignation;unité;colisage;prix_ht;tva"]
            for i in range(ARTICLES_PER_PRODUCER):
                weighed = i % 5 == 0
                lines.append(
                    f"R{index:02d}-{i:03d};{rng.choice(WORDS)} {i};{'kg' if weighed else 'piece'};"
                    f"{'' if weighed else rng.choice([1, 3, 6, 12])};{rng.randint(1, 30)},"
                    f"{rng.randint(0, 99):02d};{rng.choice(['5,5', '20'])}"
                )
            prices.write_text("\n".join(lines) + "\n", encoding="utf-8")
            import_articles(
                session, code="NOV", supplier_code=code, path=prices, actor=actor, now=opening
            )
        service.open_cycle(session, code="NOV", actor=actor, now=opening)
        articles = list(session.execute(select(OrderArticle.id, OrderArticle.by_weight)))
        people = list(
            session.scalars(
                select(Member.id)
                .where(Member.main_member_id.is_(None))
                .order_by(Member.number)
                .limit(households)
            )
        )
        at = datetime(2026, 11, 3, 10, 0, tzinfo=SHOP_TIMEZONE)
        increments = []
        for member_id in people:
            for article_id, by_weight in rng.sample(articles, 8):
                increments.append(
                    {
                        "article_id": article_id,
                        "member_id": member_id,
                        "quantity": rng.randint(1, 4) * (500 if by_weight else 1),
                        "tolerance": 0 if by_weight else rng.randint(0, 1),
                        "at": at,
                        "actor": "bench",
                    }
                )
        session.execute(insert(OrderIncrement), increments)
        # the sorting grid: one supplier's delivery of 40 articles, 10 per household
        service.create_cycle(
            session,
            code="GRID",
            name="Vrac",
            suppliers=[service.SupplierIn(codes[0])],
            opens_at=opening,
            closes_at=datetime(2026, 11, 6, 18, 0, tzinfo=SHOP_TIMEZONE),
            delivery_on=date(2026, 11, 10),
            actor=actor,
            now=opening,
        )
        grid = folder / "grid.csv"
        grid.write_text(
            "référence;désignation;unité;colisage;prix_ht;tva\n"
            + "".join(
                f"G-{i:03d};{rng.choice(WORDS)} {i};piece;;{rng.randint(1, 9)},50;5,5\n"
                for i in range(MATRIX_ARTICLES)
            ),
            encoding="utf-8",
        )
        import_articles(
            session, code="GRID", supplier_code=codes[0], path=grid, actor=actor, now=opening
        )
        service.open_cycle(session, code="GRID", actor=actor, now=opening)
        bulk = list(
            session.scalars(select(OrderArticle.id).where(OrderArticle.reference.like("G-%")))
        )
        session.execute(
            insert(OrderIncrement),
            [
                {
                    "article_id": article_id,
                    "member_id": member_id,
                    "quantity": rng.randint(1, 4),
                    "tolerance": 0,
                    "at": at,
                    "actor": "bench",
                }
                for member_id in people
                for article_id in rng.sample(bulk, 10)
            ],
        )
        service.close(
            session,
            code="GRID",
            actor=actor,
            now=datetime(2026, 11, 6, 18, 0, tzinfo=SHOP_TIMEZONE),
        )
        service.close(
            session, code="NOV", actor=actor, now=datetime(2026, 11, 6, 18, 0, tzinfo=SHOP_TIMEZONE)
        )
        session.commit()
    return engine


def bare_canvas(strings: list[str], pages: int, path: Path) -> None:
    """ReportLab alone: the same strings drawn at fixed places, no layout."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from invoices.base import FONT, glyphs

    glyphs()
    canvas = Canvas(str(path), pagesize=A4)
    per_page = max(1, -(-len(strings) // max(pages, 1)))
    for start in range(0, len(strings), per_page):
        canvas.setFont(FONT, 8)
        y = 800.0
        for index, text in enumerate(strings[start : start + per_page]):
            canvas.drawString(40 + (index % 4) * 130, y, text)
            if index % 4 == 3:
                y -= 10
                if y < 40:
                    y = 800.0
        canvas.showPage()
    canvas.save()


@dataclass
class Figure:
    name: str
    target: float
    seconds: float
    p95: float
    bare: float
    pages: int

    def row(self) -> dict:
        return {
            "measure": self.name,
            "median_s": round(self.seconds, 3),
            "p95_s": round(self.p95, 3),
            "target_s": self.target,
            "met": self.seconds <= self.target,
            "pages": self.pages,
            "bare_canvas_s": round(self.bare, 3) if self.bare else None,
            "ratio_to_bare": round(self.seconds / self.bare, 1) if self.bare else None,
        }


def timed(function, repeat: int) -> tuple[float, float, object]:
    samples = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - start)
    median, p95 = median_p95(samples)
    return median, p95, result


def strings_of_sheet(sheet) -> list[str]:
    out = [sheet.supplier.name, sheet.reference]
    for line in sheet.lines:
        out += [line.reference, line.name, line.packaging, str(line.cases), line.quantity_text]
    return out


def database_figures(args, out: Path) -> list[Figure]:  # type: ignore[no-untyped-def]
    """The same three measures, the data read from a real database (what `coop print` does)."""
    from sqlalchemy.orm import Session

    import invoices
    from coop.config import Settings
    from coop.members.documents import member_cards
    from coop.orders.sheets import order_sheet_csv_rows, order_sheets, packing_list

    log(
        f"database: {args.members} members, {args.producers} producers, {args.households} "
        "households ordering (a minute or so)"
    )
    start = time.perf_counter()
    engine = build_database(out, args.producers, args.households, args.members)
    log(f"  built in {time.perf_counter() - start:.1f} s")
    settings = Settings()
    figures = []

    def all_sheets() -> int:
        total = 0
        with Session(engine) as session:
            sheets = order_sheets(session, "NOV", settings=settings, printed_at=NOW)
        for sheet in sheets:
            built = invoices.build(sheet)
            (out / f"{sheet.reference}.pdf").write_bytes(built.data)
            invoices.write_csv(order_sheet_csv_rows(sheet), out / f"{sheet.reference}.csv")
            total += built.pages
        return total

    seconds, p95, pages = timed(all_sheets, args.repeat)
    figures.append(
        Figure(
            f"DB: order sheets, cycle of {args.producers} producers", 2.0, seconds, p95, 0.0, pages
        )
    )

    def grid():  # type: ignore[no-untyped-def]
        with Session(engine) as session:
            document = packing_list(session, "GRID", "matrix", settings=settings, printed_at=NOW)
        return invoices.build(document)

    seconds, p95, built = timed(grid, args.repeat)
    figures.append(
        Figure(
            f"DB: packing matrix, {args.households} households × 40 articles",
            3.0,
            seconds,
            p95,
            0.0,
            built.pages,
        )
    )

    def all_cards():  # type: ignore[no-untyped-def]
        with Session(engine) as session:
            document = member_cards(
                session, None, settings=settings, printed_at=NOW, today=NOW.date()
            )
        return invoices.build(document)

    seconds, p95, built = timed(all_cards, args.repeat)
    figures.append(
        Figure(f"DB: member cards, {args.members} members", 5.0, seconds, p95, 0.0, built.pages)
    )
    engine.dispose()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--producers", type=int, default=50)
    parser.add_argument("--households", type=int, default=500)
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--synthetic-only", action="store_true", help="skip the figures built from a database"
    )
    args = parser.parse_args()

    import invoices
    from coop.i18n import set_language
    from coop.orders.sheets import order_sheet_csv_rows

    set_language("fr")
    rng = random.Random(48)
    invoices.render(cards(1, rng))  # fonts registered, modules imported: not timed
    figures = []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)

        sheets = order_sheets(args.producers, 20, rng)

        def all_sheets() -> int:
            total = 0
            for sheet in sheets:
                built = invoices.build(sheet)
                (out / f"{sheet.reference}.pdf").write_bytes(built.data)
                invoices.write_csv(order_sheet_csv_rows(sheet), out / f"{sheet.reference}.csv")
                total += built.pages
            return total

        log(f"order sheets: {args.producers} producers")
        seconds, p95, pages = timed(all_sheets, args.repeat)
        bare, _p, _r = timed(
            lambda: [bare_canvas(strings_of_sheet(s), 2, out / "bare.pdf") for s in sheets],
            args.repeat,
        )
        figures.append(
            Figure(
                f"order sheets, {args.producers} producers × 20 lines",
                2.0,
                seconds,
                p95,
                bare,
                pages,
            )
        )

        grid = matrix(args.households, 40, rng)
        log(f"packing matrix: {args.households} households × 40 articles")
        seconds, p95, built = timed(lambda: invoices.build(grid), args.repeat)
        strings = [n for _number, n in grid.matrix.households] + [
            cell for row in grid.matrix.cells for cell in row
        ]
        bare, _p, _r = timed(
            lambda: bare_canvas(strings, built.pages, out / "bare.pdf"), args.repeat
        )
        figures.append(
            Figure(
                f"packing matrix, {args.households} households × 40 articles",
                3.0,
                seconds,
                p95,
                bare,
                built.pages,
            )
        )

        sheet = cards(args.members, rng)
        log(f"member cards: {args.members}")
        seconds, p95, built = timed(lambda: invoices.build(sheet), args.repeat)
        strings = [text for c in sheet.cards for text in (c.name, str(c.number), c.barcode)]
        bare, _p, _r = timed(
            lambda: bare_canvas(strings, built.pages, out / "bare.pdf"), args.repeat
        )
        figures.append(
            Figure(f"member cards, {args.members}", 5.0, seconds, p95, bare, built.pages)
        )

        if not args.synthetic_only:
            figures.extend(database_figures(args, out))

    rows = [figure.row() for figure in figures]
    if args.json:
        json.dump(rows, sys.stdout, indent=2)
        print()
        return 0
    print(
        f"{'measure':<48} {'median':>8} {'p95':>8} {'target':>7} {'pages':>6} {'bare':>7} "
        f"{'ratio':>6}"
    )
    for row in rows:
        bare = f"{row['bare_canvas_s']:.3f}s" if row["bare_canvas_s"] else "—"
        ratio = f"{row['ratio_to_bare']}×" if row["ratio_to_bare"] else "—"
        print(
            f"{row['measure']:<48} {row['median_s']:>7.3f}s {row['p95_s']:>7.3f}s "
            f"{row['target_s']:>6.1f}s {row['pages']:>6} {bare:>7} {ratio:>6}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
