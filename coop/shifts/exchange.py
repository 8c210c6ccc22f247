"""Shift templates in and out of CSV: ``coop import shift-templates`` and its export.

Rows are matched to templates by ``code``: new codes are created, known ones updated. Every
problem in the file is reported (line, column, what was expected) before anything is written.
An updated template's future shifts that nobody changed by hand follow it at once (times,
name, places, roles), as far as shifts were already generated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.clock import local_date
from coop.config import ShiftSettings
from coop.csvio import Column, RowReader, read_table
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.shifts import slots
from coop.shifts.calendar import LETTERS
from coop.shifts.models import Shift, ShiftTemplate
from coop.shifts.rules import SEATS_LIMIT
from coop.text import fold

COLUMNS = (
    Column("code", required=True, aliases=("code_creneau", "reference", "référence")),
    Column("name", aliases=("nom", "libelle", "libellé")),
    Column("week", aliases=("semaine", "week_letter", "lettre")),
    Column("weekday", required=True, aliases=("jour", "day")),
    Column("start", required=True, aliases=("debut", "début", "heure_debut", "start_time")),
    Column("end", required=True, aliases=("fin", "heure_fin", "end_time")),
    Column("seats", required=True, aliases=("places", "postes", "nb_places")),
    Column("roles", aliases=("rôles", "competences", "compétences")),
    Column("valid_from", aliases=("valide_du", "debut_validite", "début_validité", "du")),
    Column("valid_until", aliases=("valide_au", "fin_validite", "fin_validité", "au")),
    Column("credit", aliases=("crédit", "points")),
    Column("notes", aliases=("remarques", "commentaire")),
)
EXPORT_COLUMNS = [column.name for column in COLUMNS]
FIELDS = (
    "name",
    "week_letter",
    "weekday",
    "start_time",
    "end_time",
    "seats",
    "roles",
    "valid_from",
    "valid_until",
    "credit",
    "notes",
)

FRENCH_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_WEEKDAYS = {
    **{name: index for index, name in enumerate(FRENCH_WEEKDAYS)},
    **{
        name: index
        for index, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    **{name: index for index, name in enumerate(("lun", "mar", "mer", "jeu", "ven", "sam", "dim"))},
    **{name: index for index, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{str(index + 1): index for index in range(7)},
}
_TIME = re.compile(r"^(\d{1,2})\s*(?:[:hH]\s*(\d{2})?)?(?::(\d{2}))?$")
Progress = Callable[[int], None]


def parse_weekday(value: str) -> int:
    key = fold(value).strip(". ")
    if key in _WEEKDAYS:
        return _WEEKDAYS[key]
    raise ValueError(
        _("“{value}” is not a day of the week (expected lundi … dimanche, or 1 to 7)").format(
            value=value
        )
    )


def parse_time(value: str) -> time:
    """``9:00``, ``09:00``, ``9h``, ``9h30``, ``09:00:00``."""
    match = _TIME.match(value.strip())
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if 0 <= hour <= 23 and 0 <= minute <= 59:
            return time(hour, minute)
    raise ValueError(_("“{value}” is not a time (expected 09:00 or 9h30)").format(value=value))


def parse_roles(value: str) -> list[str]:
    parts = [p for p in re.split(r"[,|+/]", value) if p.strip()]
    try:
        return [slots.normalise_role(part) for part in parts]
    except InvalidInput as error:
        raise ValueError(error.problems[0].message) from None


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    lines: int = 0
    shifts_updated: int = 0
    dry_run: bool = False
    codes: list[str] = field(default_factory=list)


def _parse(table: Any, weeks: int) -> tuple[list[tuple[int, str, dict[str, Any]]], list[Problem]]:
    problems: list[Problem] = []
    parsed: list[tuple[int, str, dict[str, Any]]] = []
    first_line: dict[str, int] = {}
    letters = LETTERS[:weeks]
    for row in table.rows:
        cells = RowReader(table, row, problems)
        code = cells.text("code", required=True, max_length=40)
        week = cells.raw("week").strip().upper()
        if week and (len(week) != 1 or week not in letters):
            cells.fail(
                "week",
                _(
                    "“{value}” is not a week letter (expected {letters}, or empty for every week)"
                ).format(value=week, letters=", ".join(letters)),
            )
        weekday = cells.custom("weekday", parse_weekday, required=True)
        start = cells.custom("start", parse_time, required=True)
        end = cells.custom("end", parse_time, required=True)
        if start is not None and end is not None and end <= start:
            cells.fail("end", _("the shift ends before it starts"))
        seats = cells.integer("seats", required=True, minimum=1, maximum=SEATS_LIMIT)
        roles = cells.custom("roles", parse_roles) or []
        if seats is not None and len(roles) > seats:
            cells.fail(
                "roles",
                _("{roles} roles for {seats} places").format(roles=len(roles), seats=seats),
            )
        valid_from = cells.date("valid_from")
        valid_until = cells.date("valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            cells.fail("valid_until", _("the end date is before the start date"))
        credit = cells.integer("credit", minimum=0)
        name = cells.text("name", max_length=120)
        if code:
            if code in first_line:
                cells.fail(
                    "code",
                    _("code {code} is already on line {line}").format(
                        code=code, line=first_line[code]
                    ),
                )
            else:
                first_line[code] = row.line
        parsed.append(
            (
                row.line,
                code or "",
                {
                    "name": name or code,
                    "week_letter": week or None,
                    "weekday": weekday,
                    "start_time": start,
                    "end_time": end,
                    "seats": seats,
                    "roles": ",".join(roles),
                    "valid_from": valid_from,
                    "valid_until": valid_until,
                    "credit": credit,
                    "notes": cells.text("notes", max_length=2000),
                },
            )
        )
    return parsed, problems


def import_templates(
    session: Session,
    path: Path | str,
    *,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate the whole file, then create/update templates; see the module docstring."""
    table = read_table(path, COLUMNS)
    parsed, problems = _parse(table, settings.policy.cycle_weeks)
    existing = {t.code: t for t in session.scalars(select(ShiftTemplate))}
    today = local_date(now)
    for line, code, values in parsed:
        template = existing.get(code)
        if template is None or values["seats"] is None:
            continue
        holders = slots.holders_count(session, template.id, today)
        if values["seats"] < holders:
            problems.append(
                Problem(
                    _(
                        "{holders} members hold a place in {code}: it needs at least {holders}"
                        " places"
                    ).format(holders=holders, code=code),
                    table.source,
                    line,
                    table.headers.get("seats", "seats"),
                )
            )
    if problems:
        raise InvalidInput(sorted(problems, key=lambda p: (p.line or 0, p.column or "")))
    report = ImportReport(lines=len(table.rows))
    changed_ids: list[int] = []
    entries: list[dict[str, Any]] = []
    for _line, code, values in parsed:
        template = existing.get(code)
        if template is None:
            template = ShiftTemplate(code=code, created_at=now, updated_at=now, **values)
            session.add(template)
            session.flush()
            report.created += 1
            report.codes.append(code)
            entries.append(
                {
                    "action": "shift_template.create",
                    "entity": "shift_template",
                    "entity_id": template.id,
                    "after": _jsonable({"code": code, **values}),
                    "reason": "import",
                }
            )
            continue
        before = {name: getattr(template, name) for name in FIELDS}
        old, new = audit.changes(before, values)
        if not new:
            report.unchanged += 1
            continue
        for name, value in values.items():
            setattr(template, name, value)
        template.updated_at = now
        report.updated += 1
        changed_ids.append(template.id)
        entries.append(
            {
                "action": "shift_template.update",
                "entity": "shift_template",
                "entity_id": template.id,
                "before": _jsonable(old),
                "after": _jsonable(new),
                "reason": "import",
            }
        )
    session.flush()
    audit.record_many(session, actor=actor, at=now, entries=entries)
    if changed_ids:
        horizon = session.scalar(
            select(func.max(Shift.day)).where(Shift.template_id.in_(changed_ids))
        )
        if horizon is not None and horizon >= today:
            from coop.shifts.generation import generate

            result = generate(
                session,
                first=today,
                last=horizon,
                settings=settings,
                actor=actor,
                now=now,
                template_ids=changed_ids,
            )
            report.shifts_updated = result.updated + result.removed + result.cancelled
    if progress:
        progress(len(parsed))
    return report


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, (date, time)) else v) for k, v in values.items()}


def export_rows(session: Session) -> Iterator[dict[str, Any]]:
    """Every template as a row of the import format, by code."""
    for template in session.scalars(select(ShiftTemplate).order_by(ShiftTemplate.code)):
        yield {
            "code": template.code,
            "name": template.name,
            "week": template.week_letter,
            "weekday": FRENCH_WEEKDAYS[template.weekday],
            "start": template.start_time.strftime("%H:%M"),
            "end": template.end_time.strftime("%H:%M"),
            "seats": template.seats,
            "roles": template.roles,
            "valid_from": template.valid_from.isoformat() if template.valid_from else None,
            "valid_until": template.valid_until.isoformat() if template.valid_until else None,
            "credit": template.credit,
            "notes": template.notes,
        }
