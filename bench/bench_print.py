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

from bench._common import log, median_p95
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
            "bare_canvas_s": round(self.bare, 3),
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--producers", type=int, default=50)
    parser.add_argument("--households", type=int, default=500)
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
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
        print(
            f"{row['measure']:<48} {row['median_s']:>7.3f}s {row['p95_s']:>7.3f}s "
            f"{row['target_s']:>6.1f}s {row['pages']:>6} {row['bare_canvas_s']:>6.3f}s "
            f"{row['ratio_to_bare']:>5}×"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
