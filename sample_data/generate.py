"""Generate Comptoir's demo data set: a fictional small food coop near Lyon.

The CSV files next to this script are committed; this script is how they were made and how they
are remade. Everything is drawn from ``random.Random(seed)`` and hand-written lists, so running
``python sample_data/generate.py`` rewrites the files byte for byte (no Faker, no network, no
clock). The row functions take a ``count`` so that a benchmark can import this module by path and
generate, say, 20,000 members with exactly the same shape as the demo. The rows are drawn in
the two modules beside it, ``demo_people.py`` (households, members, cards) and ``demo_shop.py``
(producers, the catalogue); this file writes them, with the shift templates.

The files are "French Excel" CSV, the format a French coop's volunteers open and save every day:
``;`` delimiter, UTF-8 with a BOM, CRLF line endings, dd/mm/yyyy dates and decimal commas.
"""

import argparse
import csv
import io
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent

MEMBER_COLUMNS = (
    "number",
    "first_name",
    "last_name",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
    "joined_on",
    "left_on",
    "category",
    "household",
    "card",
    "notes",
)
PRODUCER_COLUMNS = (
    "code",
    "name",
    "contact_name",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
    "siret",
    "notes",
)
PRODUCT_COLUMNS = (
    "barcode",
    "internal_code",
    "name",
    "producer",
    "unit",
    "by_weight",
    "price",
    "vat_rate",
    "cost",
    "category",
    "supplier_ref",
    "deposit",
    "active",
)

# sample_data is no package, and a benchmark or a test loads this file by path: its two
# sibling modules are found beside it.
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from demo_people import MEMBER_COUNT, SEED, member_rows  # noqa: E402
from demo_shop import PRODUCER_COUNT, producer_rows, product_rows  # noqa: E402

__all__ = ["member_rows", "producer_rows", "product_rows", "render_csv", "write_all"]


# --------------------------------------------------------------------------- output


def render_csv(columns: Sequence[str], rows: Iterable[dict[str, str]]) -> bytes:
    """French Excel CSV: ``;``, UTF-8 with BOM, CRLF, minimal quoting."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


SHIFT_TEMPLATE_COLUMNS = (
    "code",
    "name",
    "week",
    "weekday",
    "start",
    "end",
    "seats",
    "roles",
    "valid_from",
    "valid_until",
    "credit",
    "notes",
)
# The shop opens Tuesday to Saturday: two 3-hour shifts on weekdays, three on Saturday.
SHOP_SLOTS = (
    ("mardi", "MAR", (("10:00", "13:00", "matin"), ("16:00", "19:00", "soir"))),
    ("mercredi", "MER", (("10:00", "13:00", "matin"), ("16:00", "19:00", "soir"))),
    ("jeudi", "JEU", (("10:00", "13:00", "matin"), ("16:00", "19:00", "soir"))),
    ("vendredi", "VEN", (("10:00", "13:00", "matin"), ("16:00", "19:00", "soir"))),
    (
        "samedi",
        "SAM",
        (("09:00", "12:00", "matin"), ("12:00", "15:00", "midi"), ("15:00", "18:00", "après-midi")),
    ),
)


def shift_template_rows(letters: str = "ABCD") -> list[dict[str, str]]:
    """ABCD templates of a shop open Tuesday–Saturday: every shift needs a shift leader and two
    cashiers; Saturdays have one more place. No randomness: the same rows every time."""
    rows = []
    for letter in letters:
        for weekday, short, slots in SHOP_SLOTS:
            for start, end, part in slots:
                saturday = short == "SAM"
                rows.append(
                    {
                        "code": f"{letter}-{short}-{start.replace(':', '')}",
                        "name": f"{weekday.capitalize()} {part} {letter}",
                        "week": letter,
                        "weekday": weekday,
                        "start": start,
                        "end": end,
                        "seats": "6" if saturday else "5",
                        "roles": "shift_leader,cashier,cashier",
                        "valid_from": "",
                        "valid_until": "",
                        "credit": "",
                        "notes": (
                            "Réception livraison" if part == "matin" and short == "MAR" else ""
                        ),
                    }
                )
    return rows


def write_all(directory: Path = HERE, seed: int = SEED) -> list[Path]:
    """Write the demo files into ``directory``; the same seed gives the same bytes."""
    directory.mkdir(parents=True, exist_ok=True)
    outputs = {
        "members.csv": render_csv(MEMBER_COLUMNS, member_rows(MEMBER_COUNT, seed)),
        "producers.csv": render_csv(PRODUCER_COLUMNS, producer_rows(PRODUCER_COUNT, seed)),
        "products.csv": render_csv(PRODUCT_COLUMNS, product_rows(None, seed)),
        "shift_templates.csv": render_csv(SHIFT_TEMPLATE_COLUMNS, shift_template_rows()),
    }
    paths = []
    for name, data in outputs.items():
        path = directory / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: regenerate the demo CSV files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, default=HERE, help="output directory")
    args = parser.parse_args(argv)
    for path in write_all(args.output):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
