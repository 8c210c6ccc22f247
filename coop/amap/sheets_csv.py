"""The CSV twins of the AMAP sheets (``coop.csvio.write_table``: French Excel), built from the
same data as the PDFs: columns and one mapping per row."""

from __future__ import annotations

from coop.amap.sheets import ChequeSchedule, ContractGrid, DepotList
from coop.i18n import _
from coop.money import format_money

Rows = tuple[list[str], list[dict[str, str]]]


def grid_csv(grid: ContractGrid) -> Rows:
    household, basket = _("Household"), _("Basket")
    dates = [d.isoformat() for d in grid.dates]
    rows = [
        {household: " / ".join(r.names), basket: r.basket, **dict(zip(dates, r.cells, strict=True))}
        for r in grid.rows
    ]
    return [household, basket, *dates], rows


def depots_csv(depots: DepotList) -> Rows:
    place, household, absent = _("Place"), _("Household"), _("Absent")
    columns = sorted({c for block in depots.blocks for c in block.columns})
    rows: list[dict[str, str]] = []
    for block in depots.blocks:
        rows.append(
            {
                place: block.place,
                household: _("TOTAL"),
                **{c: str(n) for c, n in zip(block.columns, block.totals, strict=True)},
            }
        )
        for name, counts, is_absent in block.rows:
            rows.append(
                {
                    place: block.place,
                    household: name,
                    **{c: str(n) for c, n in zip(block.columns, counts, strict=True) if n},
                    absent: _("yes") if is_absent else "",
                }
            )
    return [place, household, *columns, absent], rows


def cheques_csv(schedule: ChequeSchedule) -> Rows:
    household = _("Household")
    dates = [d.isoformat() for d in schedule.dates]
    rows = [
        {
            household: r.name,
            **{d: c.replace("\n", " + ") for d, c in zip(dates, r.cells, strict=True)},
        }
        for r in schedule.rows
    ]
    rows.append(
        {
            household: _("Total"),
            **{d: format_money(t) for d, t in zip(dates, schedule.totals_cents, strict=True)},
        }
    )
    return [household, *dates], rows
