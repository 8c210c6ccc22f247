"""`import members`: French Excel files in, every problem reported, all or nothing."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from sqlalchemy import func, select
from stdnum import ean

from coop.audit import AuditEntry
from coop.config import MemberSettings
from coop.csvio import write_table
from coop.errors import InvalidInput
from coop.members import exchange, service
from coop.members.models import Member

SETTINGS = MemberSettings(max_household_size=3)
HEADER = (
    "number;first_name;last_name;email;phone;street;postcode;city;"
    "joined_on;left_on;category;household;card;notes"
)


def card(number: int, series: int = 0) -> str:
    body = f"042{series}{number:08d}"
    return body + ean.calc_check_digit(body)


def write(tmp_path, lines, *, name="members.csv", bom=True, encoding="utf-8", newline="\r\n"):
    path = tmp_path / name
    text = newline.join(lines) + newline
    path.write_bytes(("\ufeff" if bom else "").encode(encoding) + text.encode(encoding))
    return path


GOOD = [
    HEADER,
    "1;Hélène;Dupont;helene.dupont@example.org;06 12 34 56 78;3 rue Mercière;69002;Lyon;"
    f"15/03/2021;;standard;;{card(1)};",
    f"2;Marc;Dupont;;;3 rue Mercière;69002;Lyon;2021-03-15;;solidarity;1;{card(2)};"
    '"Préfère le samedi; pas le lundi"',
    f"3;Zoé;Lefèvre;zoe@example.net;;;;;01/02/2024;;;;{card(3)};",
]


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def run(session, path, now, actor, settings=SETTINGS):
    return exchange.import_members(session, path, actor=actor, now=now, settings=settings)


def test_imports_a_french_excel_file(session, now, actor, tmp_path):
    report = run(session, write(tmp_path, GOOD), now, actor)
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    marc = service.get_by_number(session, 2)
    assert marc.main_member.number == 1
    assert marc.category.code == "solidarity"
    assert marc.notes == "Préfère le samedi; pas le lundi"
    assert marc.joined_on == date(2021, 3, 15)
    zoe = service.get_by_number(session, 3)
    assert zoe.category.code == "standard"  # default category
    assert service.active_card(session, zoe).barcode == card(3)
    assert service.search_by_name(session, "zoe lefevre")[0] == zoe
    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.after["number"], e.after["card"]) for e in entries] == [
        ("member.create", n, card(n)) for n in (1, 2, 3)
    ]
    assert entries[1].after["first_name"] == "Marc" and entries[0].actor == "test:cashier"


def test_messages_quote_the_header_as_written(session, now, actor, tmp_path):
    lines = ["Numéro;Prénom;Nom;Courriel", "5;Éric;Bénard;eric@"]
    with pytest.raises(InvalidInput) as excinfo:
        run(session, write(tmp_path, lines), now, actor)
    assert problems_of(excinfo)[0][:2] == (2, "Courriel")


def test_comma_delimiter_no_bom_french_headers(session, now, actor, tmp_path):
    lines = [
        "Numéro,Prénom,Nom,Date d'adhésion,Carte",
        f"5,Éric,Bénard,31/12/2025,{card(5)}",
    ]
    report = run(session, write(tmp_path, lines, bom=False, newline="\n"), now, actor)
    assert report.created == 1
    eric = service.get_by_number(session, 5)
    assert (eric.first_name, eric.joined_on) == ("Éric", date(2025, 12, 31))


def test_reimport_is_idempotent_and_updates_changes(session, now, actor, tmp_path):
    run(session, write(tmp_path, GOOD), now, actor)
    again = run(session, write(tmp_path, GOOD), now, actor)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    edited = list(GOOD)
    edited[3] = edited[3].replace("zoe@example.net", "zoe.lefevre@example.net")
    edited[2] = edited[2].replace(f";1;{card(2)}", f";;{card(2, 1)}")
    report = run(session, write(tmp_path, edited), now, actor)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert service.get_by_number(session, 3).email == "zoe.lefevre@example.net"
    marc = service.get_by_number(session, 2)
    assert marc.main_member_id is None
    assert [(c.barcode, c.end_reason) for c in service.cards(session, marc)] == [
        (card(2), "replaced"),
        (card(2, 1), None),
    ]


def problems_of(excinfo):
    return [(p.line, p.column, p.message) for p in excinfo.value.problems]


@pytest.mark.parametrize(
    ("line", "column", "fragment"),
    [
        (f"9;Ana;Roux;;;;;;;;;;{card(9)[:-1]}0;", "card", "check digit"),
        ("9;Ana;Roux;;;;;;32/01/2024;;;;;", "joined_on", "not a valid date"),
        ("9;Ana;Roux;;;;;;2024/01/02;;;;;", "joined_on", "31/12/2026"),
        ("9;Ana;Roux;ana@;;;;;;;;;;", "email", "e-mail"),
        ("9;Ana;Roux;;;;;;;;vip;;;", "category", "solidarity, standard"),
        ("9;Ana;Roux;;;;;;;;;99;;", "household", "99"),
        ("x9;Ana;Roux;;;;;;;;;;;", "number", "whole number"),
        (";Ana;Roux;;;;;;;;;;;", "number", "required"),
        ("9;Ana;Roux;;;;;;01/01/2024;01/01/2023;;;;", "left_on", "before"),
        ("9;Ana;Roux;;;;;;;;;2;;", "household", "not a main member"),
    ],
)
def test_each_bad_cell_is_reported_and_nothing_changes(
    session, now, actor, tmp_path, line, column, fragment
):
    path = write(tmp_path, [*GOOD, line])
    with pytest.raises(InvalidInput) as excinfo:
        run(session, path, now, actor)
    [(where, col, message)] = problems_of(excinfo)
    assert (where, col) == (5, column)
    assert fragment in message
    assert str(path) in str(excinfo.value)
    session.rollback()
    assert count(session, Member) == 0


def test_duplicate_number_and_card_name_both_lines(session, now, actor, tmp_path):
    lines = [*GOOD, f"1;Autre;Personne;;;;;;;;;;{card(1)};"]
    with pytest.raises(InvalidInput) as excinfo:
        run(session, write(tmp_path, lines), now, actor)
    found = problems_of(excinfo)
    assert [(line, col) for line, col, _m in found] == [(5, "card"), (5, "number")]
    assert "line 2" in found[0][2] or "ligne 2" in found[0][2]


def test_card_of_another_member_in_the_database(session, now, actor, tmp_path):
    run(session, write(tmp_path, GOOD), now, actor)
    with pytest.raises(InvalidInput) as excinfo:
        run(session, write(tmp_path, [HEADER, f"8;Léa;Petit;;;;;;;;;;{card(1)};"]), now, actor)
    assert problems_of(excinfo)[0][:2] == (2, "card")


def test_household_limit(session, now, actor, tmp_path):
    lines = [*GOOD, f"4;Léo;Dupont;;;;;;;;;1;{card(4)};", f"5;Léa;Dupont;;;;;;;;;1;{card(5)};"]
    with pytest.raises(InvalidInput) as excinfo:
        run(session, write(tmp_path, lines), now, actor)
    [(line, column, message)] = problems_of(excinfo)
    assert (line, column) == (2, "household")
    assert "4" in message and "3" in message


def test_unknown_column_and_missing_required_column(session, now, actor, tmp_path):
    with pytest.raises(InvalidInput) as excinfo:
        run(session, write(tmp_path, ["number;first_name;age", "1;Ana;33"]), now, actor)
    found = problems_of(excinfo)
    assert (1, "age") in [(line, col) for line, col, _m in found]
    assert (1, "last_name") in [(line, col) for line, col, _m in found]


def test_wrong_delimiter(session, now, actor, tmp_path):
    with pytest.raises(InvalidInput, match=r"delimiter|séparateur"):
        run(session, write(tmp_path, ["number|first_name|last_name", "1|Ana|Roux"]), now, actor)


def test_wrong_encoding_names_the_line(session, now, actor, tmp_path):
    path = write(tmp_path, [HEADER, "1;Hélène;Dupont;;;;;;;;;;;"], bom=False, encoding="cp1252")
    with pytest.raises(InvalidInput) as excinfo:
        run(session, path, now, actor)
    [(line, _column, message)] = problems_of(excinfo)
    assert line == 2 and "UTF-8" in message


def test_missing_file(session, now, actor, tmp_path):
    with pytest.raises(InvalidInput, match=r"missing\.csv"):
        run(session, tmp_path / "missing.csv", now, actor)


def test_many_problems_are_all_reported(session, now, actor, tmp_path):
    lines = [HEADER, "1;;Roux;bad;;;;;;;;;;", "2;Ana;;;;;;;99/99/9999;;;;;"]
    with pytest.raises(InvalidInput) as excinfo:
        run(session, write(tmp_path, lines), now, actor)
    assert [(line, col) for line, col, _m in problems_of(excinfo)] == [
        (2, "email"),
        (2, "first_name"),
        (3, "joined_on"),
        (3, "last_name"),
    ]


def test_export_round_trips(session, now, actor, tmp_path):
    run(session, write(tmp_path, GOOD), now, actor)
    buffer = io.StringIO()
    write_table(exchange.export_rows(session), exchange.EXPORT_COLUMNS, buffer)
    exported = tmp_path / "export.csv"
    exported.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
    again = run(session, exported, now, actor)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    rows = list(exchange.export_rows(session))
    assert [r["number"] for r in rows] == [1, 2, 3]
    assert rows[1]["household"] == 1 and rows[1]["card"] == card(2)
    json.dumps(rows)  # JSON export needs plain values
