"""Print data of the AMAP distribution day (laid out by ``invoices.emargement``): the feuille
d'émargement of one distribution, households sorted by last name ignoring accents, one column
per contract delivered, totals per contract and size, the day's volunteers and the next ones'.

Phone numbers are never printed (privacy): the coop has no setting asking for them yet.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from coop.amap import distributions, rota
from coop.amap.rota import Staffing
from coop.amap.rules import FACTOR_ONE
from coop.documents import Letterhead, letterhead
from coop.i18n import _

NEXT_DISTRIBUTIONS = 4
"""How many of the place's next distributions the sheet lists with their volunteers."""


@dataclass(frozen=True)
class EmargementRow:
    names: str
    cells: tuple[str, ...]
    """One per contract column: the size codes, "ABSENT", "donné (…)", or empty."""
    absent: bool
    note: str


@dataclass(frozen=True)
class Emargement:
    letterhead: Letterhead
    on: date
    place: str
    place_name: str
    address: str | None
    hours: str | None
    contracts: tuple[tuple[str, str], ...]
    rows: tuple[EmargementRow, ...]
    totals: tuple[str, ...]
    """Per contract: "3 × GP, 12 × PP"."""
    keepers: tuple[str, ...]
    staffing: Staffing
    next_staffing: tuple[Staffing, ...]
    public_note: str | None
    volunteer_note: str | None
    printed_at: datetime


def _cell(share: Any) -> str:
    if share.status == "absent":
        return _("ABSENT")
    if share.status == "donated":
        return _("given ({items})").format(items=share.items)
    text = str(share.items.replace(" × ", "×"))
    if share.factor != FACTOR_ONE:
        text += f" (×{share.factor / FACTOR_ONE:g})"
    return text


def emargement(
    session: Session, on: date, place: str | None, *, settings: Any, printed_at: datetime
) -> Emargement:
    """The sign-in sheet of the distribution of ``on`` at ``place`` (bad input when none)."""
    day = distributions.day(session, on, place)
    codes = [code for code, _name in day.contracts]
    rows = []
    totals: dict[str, Counter[str]] = {code: Counter() for code in codes}
    keepers = []
    for household in day.households:
        by_code = {s.contract: s for s in household.shares}
        notes = []
        for share in household.shares:
            if share.keeper:
                keepers.append(
                    _("{keeper} collects for {name}").format(
                        keeper=share.keeper, name=household.last_first
                    )
                )
                notes.append(_("collected by {keeper}").format(keeper=share.keeper))
            if share.status == "due":
                for part in share.items.split(", "):
                    if " × " in part:
                        quantity, size = part.split(" × ", 1)
                        totals[share.contract][size] += int(quantity)
        rows.append(
            EmargementRow(
                household.names,
                tuple(_cell(by_code[c]) if c in by_code else "" for c in codes),
                household.absent,
                "; ".join(notes),
            )
        )
    later = [
        rota.staffing(session, d, p)
        for d, p in distributions.dates_between(
            session, on + timedelta(days=1), on + timedelta(days=60)
        )
        if p == day.place
    ][:NEXT_DISTRIBUTIONS]
    return Emargement(
        letterhead=letterhead(settings),
        on=on,
        place=day.place,
        place_name=day.place_name,
        address=day.address,
        hours=day.hours,
        contracts=day.contracts,
        rows=tuple(rows),
        totals=tuple(
            ", ".join(f"{n} × {size}" for size, n in sorted(totals[c].items())) for c in codes
        ),
        keepers=tuple(keepers),
        staffing=rota.staffing(session, on, day.place),
        next_staffing=tuple(later),
        public_note=day.public_note,
        volunteer_note=day.volunteer_note,
        printed_at=printed_at,
    )


def emargement_csv(sheet: Emargement) -> tuple[list[str], list[dict[str, str]]]:
    """The CSV twin (``coop.csvio.write_table``): columns, one row per household, the totals."""
    codes = [code for code, _name in sheet.contracts]
    household, note = _("Household"), _("Note")
    columns = [household, *codes, note]
    rows = [
        {household: r.names, **dict(zip(codes, r.cells, strict=True)), note: r.note}
        for r in sheet.rows
    ]
    rows.append({household: _("Total"), **dict(zip(codes, sheet.totals, strict=True))})
    return columns, rows
