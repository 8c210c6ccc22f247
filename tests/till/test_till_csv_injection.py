"""The fiscal archive's CSVs neutralise formulas; its hashed journal keeps the raw values."""

from __future__ import annotations

import csv
import io
import json

from coop.till import archive

from .conftest import cash

ATTACK = "=cmd|' /C calc'!A0"


def _cells(raw: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";")
    return [cell for row in rows for cell in row]


def test_archive_sale_lines_neutralised_journal_raw(shop, tmp_path):
    shop.product("EVIL", ATTACK, 500, 2000)
    shop.open()
    shop.sell("EVIL", tenders=[cash(500)])
    shop.later(hours=1).close(10500)
    shop.later(minutes=1).z()
    shop.session.commit()
    folder = tmp_path / "archive"
    day = shop.now.date()
    archive.export_archive(shop.session, first=day, last=day, out=folder, now=shop.now)
    cells = _cells((folder / "sale_lines.csv").read_bytes())
    assert "'" + ATTACK in cells and ATTACK not in cells
    journal = [json.loads(line) for line in (folder / "journal.jsonl").read_text().splitlines()]
    sale = next(record for record in journal if record["kind"] == "sale")
    assert sale["data"]["lines"][0][3] == ATTACK  # the hashed data keeps the raw value
    assert archive.verify_archive(folder).ok
