"""The AMAP sheets' data and PDFs: per-contract grid, producer delivery sheet, cheque schedule,
depot list; refusals for dates and contracts with nothing to print."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

import invoices
from coop.amap import absences, payments, sheets, subscriptions
from coop.amap.subscriptions import SubscriptionIn
from coop.config import Settings
from coop.errors import InvalidInput

DAY = date(2026, 4, 14)


def _sub(session, actor, now, **kw):
    values = {"contract": "LEG-26", "member": 3, "place": "GERLAND", "lines": [("PP", 1)]}
    values.update(kw)
    return subscriptions.subscribe(session, SubscriptionIn(**values), actor=actor, now=now)


@pytest.fixture
def season(amap, actor, before_season):
    _sub(amap, actor, before_season, member=3, lines=[("GP", 1)])
    shared = _sub(amap, actor, before_season, member=4, co_holders=[5], place="CROIX")
    absent = _sub(amap, actor, before_season, member=6)
    absences.declare_absence(amap, absent, DAY, actor=actor, now=before_season)
    _sub(amap, actor, before_season, member=7, starts_on=date(2026, 5, 5))
    payments.plan(amap, shared, count=3, actor=actor, now=before_season)
    amap.flush()
    return amap


def _text(document) -> str:
    data = invoices.render(document, invariant=True)
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_grid_marks_absences_missing_dates_and_shared_baskets(season, now):
    grid = sheets.contract_grid(
        season, "LEG-26", date(2026, 4, 7), date(2026, 5, 12), settings=Settings(), printed_at=now
    )
    assert grid.dates[0] == date(2026, 4, 7) and len(grid.dates) == 6
    rows = {row.names[0]: row for row in grid.rows}
    absent = rows["DU MESNIL Élodie"]
    assert absent.cells[grid.dates.index(DAY)] == sheets.ABSENT_MARK
    late = rows["ARNAUD Zoé"]  # joins on 5 May
    assert late.cells[:4] == (sheets.NO_DELIVERY_MARK,) * 4 and late.cells[4] == ""
    shared = rows["LEBRUN Thérèse"]
    assert shared.names[1] == "BERNARD-DUBOIS Agnès"
    # accents ignored: du Mesnil sorts as "du mesnil", before Fournier
    assert [r.names[0] for r in grid.rows] == [
        "ARNAUD Zoé",
        "DU MESNIL Élodie",
        "FOURNIER Leïla",
        "LEBRUN Thérèse",
    ]
    assert "↔ BERNARD-DUBOIS Agnès" in _text(grid)


def test_delivery_sheet_counts_per_place_and_prices(season, now):
    sheet = sheets.delivery_sheet(season, "LEG-26", DAY, settings=Settings(), printed_at=now)
    assert sheet.places == ("CROIX", "GERLAND")
    lines = {line.code: line for line in sheet.lines}
    # PP: Lebrun at CROIX; du Mesnil absent; Arnaud not started ⇒ 1; GP: Fournier at GERLAND
    assert lines["PP"].per_place == (1, 0) and lines["GP"].per_place == (0, 1)
    assert sheet.amount_cents == 1500 + 2500
    assert "Referents" in _text(sheet) or "Référents" in _text(sheet)


def test_cheque_schedule_totals_per_date(season, now):
    schedule = sheets.cheque_schedule(season, "LEG-26", settings=Settings(), printed_at=now)
    assert len(schedule.rows) == 1 and len(schedule.dates) == 3
    assert sum(schedule.totals_cents) == 13 * 1500
    assert schedule.handed_cents == (0, 0, 0)
    with pytest.raises(InvalidInput):
        sheets.cheque_schedule(season, "NOPE", settings=Settings(), printed_at=now)


def test_depot_list_totals_first_and_absent_rows(season, now):
    depots = sheets.depot_list(season, DAY, settings=Settings(), printed_at=now)
    assert [b.place for b in depots.blocks] == ["CROIX", "GERLAND"]
    gerland = depots.blocks[1]
    assert gerland.columns == ("LEG-26 GP", "LEG-26 PP")
    assert gerland.totals == (1, 0)  # du Mesnil is absent: not counted
    assert [absent for _n, _c, absent in gerland.rows] == [True, False]
    text = _text(depots)
    assert "ABSENT" in text and "TOTAL" in text
    with pytest.raises(InvalidInput):
        sheets.depot_list(season, date(2026, 4, 15), settings=Settings(), printed_at=now)
