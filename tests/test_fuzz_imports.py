"""Fuzzing every CSV import, column by column (issue 17 §3): one cell of a valid file replaced by
whatever hypothesis draws (NUL and other control characters, exponents, underscores, other
scripts' digits, huge numbers, impossible dates, formulas, long text); `coop import` and the
other importing commands answer 0 or a sentence naming the field (exit 2), never a traceback
nor "unexpected error", and what they store stays within its bounds, on SQLite and PostgreSQL.
Also the whole-number arguments of the command line."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from coop.amap.exchange import SUBSCRIBERS_LIMIT
from coop.cli.main import main
from coop.csvio import INTEGER_LIMIT
from coop.db import make_engine
from coop.money import AMOUNT_LIMIT_CENTS
from coop.shifts.rules import SEATS_LIMIT

from .till.test_till_fuzz_inputs import NASTY as AMOUNTS

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
NASTY = [
    *AMOUNTS,  # the amounts and quantities the till's fuzz starts from
    "Jean\x00Dupont",
    "a\x1bb",
    "x\x7fy",
    "tab\there",
    "=cmd|' /C calc'!A0",
    "99999999999",
    "100000",
    "-1",
    "999999999,99",
    "31/02/2027",
    "2027-13-01",
    "00/00/0000",
    "oui",
    "x" * 300,
]
CELL = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.from_regex(r"-?[0-9 ._,]{0,14}(e[0-9]{1,3})?", fullmatch=True),
)
CONTRACTS = (
    "contrat;nom;producteur;type;début;fin;lieux;chèques;répartition;size;libellé;prix;tva;max\n"
    "MIEL-27;Miel 2027;RUCHER-DOMBES;fixed;03/04/2027;30/10/2027;GERLAND;1,2;equal;"
    "POT;Pot de 500 g;8,50;5,5;20\n"
)
RECEIPT = "product;quantity;unit_cost;note\n2000000000015;24;0,08;livraison\n"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _sample(name: str, rows: int = 2) -> str:
    lines = (SAMPLE / name).read_text(encoding="utf-8-sig").splitlines()
    return "\n".join(lines[: rows + 1]) + "\n"


FILES = {
    "members": (_sample("members.csv"), ("import", "members")),
    "producers": (_sample("producers.csv"), ("import", "producers")),
    "products": (_sample("products.csv", 3), ("import", "products")),
    "shift-templates": (_sample("shift_templates.csv"), ("import", "shift-templates")),
    "amap contracts": (CONTRACTS, ("amap", "contract", "import")),
    "stock receipt": (RECEIPT, ("stock", "receive")),
}


def _with_cell(source: str, column: int, value: str) -> str:
    """The file with the first data row's cell ``column`` replaced (quoted as Excel would)."""
    rows = list(csv.reader(io.StringIO(source), delimiter=";"))
    rows[1][column % len(rows[1])] = value
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    return out.getvalue()


@pytest.fixture
def shop(database_url, capsys):
    def run(*args: str) -> tuple[int, str]:
        code = main(["--lang", "en", "--database", database_url, *args])
        return code, capsys.readouterr().err

    for kind in ("members", "producers", "products"):
        assert run("import", kind, str(SAMPLE / f"{kind}.csv"))[0] == 0
    assert run("amap", "place", "add", "GERLAND", "--name", "MJC Gerland")[0] == 0
    run.url = database_url  # type: ignore[attr-defined]
    return run


def _stored_within_bounds(url: str) -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        texts = (
            connection.execute(
                text(
                    "SELECT first_name || last_name || coalesce(city, '') FROM members"
                    " UNION ALL SELECT name FROM producers UNION ALL SELECT name FROM products"
                    " UNION ALL SELECT name FROM shift_templates UNION ALL SELECT name FROM"
                    " amap_contracts UNION ALL SELECT label FROM amap_offers"
                    " UNION ALL SELECT coalesce(note, '') FROM stock_moves"
                )
            )
            .scalars()
            .all()
        )
        assert not [value for value in texts if value and _CONTROL.search(value)]
        seats = connection.execute(text("SELECT max(seats) FROM shift_templates")).scalar()
        prices = (
            connection.execute(
                text(
                    "SELECT max(abs(price_cents)) FROM products UNION ALL"
                    " SELECT max(abs(price_cents)) FROM amap_offers UNION ALL"
                    " SELECT max(abs(cost_cents)) FROM products"
                )
            )
            .scalars()
            .all()
        )
        most = connection.execute(text("SELECT max(max_subscribers) FROM amap_offers")).scalar()
        levels = connection.execute(text("SELECT max(abs(quantity)) FROM stock_levels")).scalar()
    engine.dispose()
    assert (seats or 0) <= SEATS_LIMIT
    assert all((value or 0) <= AMOUNT_LIMIT_CENTS for value in prices)
    assert (most or 0) <= SUBSCRIBERS_LIMIT and (levels or 0) <= INTEGER_LIMIT


@pytest.mark.parametrize("kind", sorted(FILES))
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(column=st.integers(min_value=0, max_value=20), value=CELL)
def test_every_import_answers_a_sentence_and_stores_bounded_values(
    shop, tmp_path, kind, column, value
):
    source, command = FILES[kind]
    path = tmp_path / "fuzz.csv"
    path.write_text(_with_cell(source, column, value), encoding="utf-8")
    code, err = shop(*command, str(path))
    assert code in (0, 2), err
    assert "nexpected" not in err and "Traceback" not in err
    if code == 2:
        assert "fuzz.csv" in err  # the file (and line and column) is named
    _stored_within_bounds(shop.url)


@pytest.mark.parametrize(
    ("value", "column", "expected"),
    [
        ("Jean\x00", 1, "control character (U+0000)"),
        ("Jean\x1b[31m", 2, "control character (U+001B)"),
        ("100000", 6, "must be at most 100"),
    ],
)
def test_the_reported_cells_are_refused_with_their_column(shop, tmp_path, value, column, expected):
    source = FILES["members"][0] if column < 6 else FILES["shift-templates"][0]
    kind = "members" if column < 6 else "shift-templates"
    path = tmp_path / "bad.csv"
    path.write_text(_with_cell(source, column, value), encoding="utf-8")
    code, err = shop("import", kind, str(path))
    assert code == 2 and expected in err and "line 2" in err


@pytest.mark.parametrize("value", ["1e9", "1_000", "٣", "１２", "99999999999", "-"])
def test_whole_number_arguments_are_ascii_and_bounded(shop, value, capsys):
    with pytest.raises(SystemExit) as usage:
        main(["--lang", "en", "--database", shop.url, "members", "export-data", value])
    assert usage.value.code == 2
    err = capsys.readouterr().err
    assert "MEMBER_NO" in err and "Traceback" not in err


def test_a_value_the_database_refuses_is_a_sentence_not_an_unexpected_error(capsys, monkeypatch):
    """The last net: were a check missing, PostgreSQL's "out of range" is bad input (exit 2)."""
    from sqlalchemy.exc import DataError

    from coop.cli import system

    def refuse(_args):
        raise DataError(
            "INSERT", {}, Exception('value "99999999999" is out of range for type integer')
        )

    monkeypatch.setattr(system, "locate", refuse)
    assert main(["--lang", "en", "locate"]) == 2
    err = capsys.readouterr().err
    assert "outside what the database can store" in err and "out of range" in err
    assert "nexpected" not in err


def test_the_screens_say_the_same_sentence_for_a_value_the_database_refuses():
    from sqlalchemy.exc import DataError

    from tui.work import describe_error

    error = DataError("INSERT", {}, Exception('value "99999999999" is out of range'))
    sentence, code = describe_error(error, engine=None)
    assert sentence.startswith("A value is outside what the database can store") and code is None


def test_a_street_may_span_two_lines_but_a_name_may_not(shop, tmp_path):
    """Alt+Enter in an Excel cell: kept in an address, refused in a name (a receipt's line)."""
    source = FILES["members"][0]
    path = tmp_path / "street.csv"
    path.write_text(_with_cell(source, 5, "62 rue Gryphe\nbât. C"), encoding="utf-8")
    assert shop("import", "members", str(path))[0] == 0
    path.write_text(_with_cell(source, 1, "Éric\nDumont"), encoding="utf-8")
    code, err = shop("import", "members", str(path))
    assert code == 2 and "control character (U+000A)" in err and "first_name" in err
