"""Producers in and out of CSV: matched by code, known ones updated, others created; every
problem in the file reported before anything is written (see ``coop.catalog.exchange``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.catalog.cells import (
    PROGRESS_STEP,
    ImportReport,
    Progress,
    audit_entry,
    group_by_keys,
    producer_code,
    siret,
    sorted_problems,
    tick,
)
from coop.catalog.models import Producer
from coop.csvio import Column, RowReader, Table, read_table
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.members.rules import check_email

PRODUCER_COLUMNS = (
    Column("code", required=True, aliases=("code_producteur", "code_fournisseur", "identifiant")),
    Column("name", required=True, aliases=("nom", "raison_sociale", "producteur", "fournisseur")),
    Column("contact_name", aliases=("contact", "nom_contact", "interlocuteur")),
    Column("email", aliases=("e-mail", "courriel", "mail")),
    Column("phone", aliases=("telephone", "téléphone", "tel", "tél")),
    Column("street", aliases=("adresse", "address", "rue")),
    Column("postcode", aliases=("code_postal", "cp", "zip")),
    Column("city", aliases=("ville", "commune")),
    Column("siret", aliases=("n_siret", "numero_siret", "numéro_siret")),
    Column("notes", aliases=("remarques", "commentaire", "commentaires")),
)
PRODUCER_EXPORT_COLUMNS = [column.name for column in PRODUCER_COLUMNS]


_PRODUCER_FIELDS = (
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


@dataclass
class _ParsedProducer:
    line: int
    code: str
    values: dict[str, Any]


def _parse_producers(table: Table) -> tuple[list[_ParsedProducer], list[Problem]]:
    problems: list[Problem] = []
    parsed: list[_ParsedProducer] = []
    first_line: dict[str, int] = {}
    present = set(table.columns)
    for row in table.rows:
        cells = RowReader(table, row, problems)
        code = cells.custom("code", producer_code, required=True)
        values = {
            "name": cells.text("name", required=True, max_length=200),
            "contact_name": cells.text("contact_name", max_length=200),
            "email": cells.custom("email", check_email),
            "phone": cells.text("phone", max_length=40),
            "street": cells.text("street", max_length=200, multiline=True),  # Alt+Enter in Excel
            "postcode": cells.text("postcode", max_length=20),
            "city": cells.text("city", max_length=100),
            "siret": cells.custom("siret", siret),
            "notes": cells.text("notes", max_length=2000),
        }
        if code is not None:
            if code in first_line:
                cells.fail(
                    "code",
                    _("producer {code} is already on line {line}").format(
                        code=code, line=first_line[code]
                    ),
                )
                continue
            first_line[code] = row.line
            if values["name"]:
                kept = {key: value for key, value in values.items() if key in present}
                parsed.append(_ParsedProducer(row.line, code, kept))
    return parsed, problems


def import_producers(
    session: Session,
    path: Path | str,
    *,
    actor: Actor,
    now: datetime,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate the whole file, then create/update producers (matched by code) in bulk."""
    table = read_table(path, PRODUCER_COLUMNS)
    parsed, problems = _parse_producers(table)
    if problems:
        raise InvalidInput(sorted_problems(problems))

    existing = {
        row.code: row
        for row in session.execute(
            select(Producer.id, Producer.code, *(getattr(Producer, f) for f in _PRODUCER_FIELDS))
        )
    }
    report = ImportReport(lines=len(table.rows))
    new_rows: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    for index, item in enumerate(parsed, 1):
        known = existing.get(item.code)
        if known is None:
            values = {key: item.values.get(key) for key in _PRODUCER_FIELDS}
            new_rows.append(
                {"code": item.code, **values, "active": True, "created_at": now, "updated_at": now}
            )
        else:
            before = {key: getattr(known, key) for key in item.values}
            old, new = audit.changes(before, item.values)
            if new:
                updates.append({"id": known.id, **new, "updated_at": now})
                entries.append(audit_entry("producer.update", "producer", known.id, old, new))
            else:
                report.unchanged += 1
        tick(progress, index)

    if new_rows:
        ids = session.scalars(
            insert(Producer).returning(Producer.id, sort_by_parameter_order=True), new_rows
        ).all()
        for producer_id, row in zip(ids, new_rows, strict=True):
            after = {k: v for k, v in row.items() if k not in ("created_at", "updated_at")}
            entries.append(audit_entry("producer.create", "producer", producer_id, None, after))
        report.created = len(ids)
        report.created_codes = [row["code"] for row in new_rows]
    for rows in group_by_keys(updates).values():
        session.execute(update(Producer), rows)
    report.updated = len(updates)
    audit.record_many(session, actor=actor, at=now, entries=entries)
    if progress:
        progress(len(parsed) % PROGRESS_STEP)
    return report


def export_producer_rows(session: Session) -> Iterator[dict[str, Any]]:
    """Every producer as a row of the import format, in the order they were created."""
    for producer in session.scalars(select(Producer).order_by(Producer.id)):
        yield {
            "code": producer.code,
            **{key: getattr(producer, key) for key in _PRODUCER_FIELDS},
        }
