"""Members in and out of CSV/JSON: an all-or-nothing import and a round-trippable export.

Import matches rows to existing members by number: new numbers are created, known ones updated.
Every problem in the file is reported (line, column, what was expected) before anything is
written; the caller's transaction then holds the whole import or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, aliased

from coop import audit
from coop.audit import Actor
from coop.clock import local_date
from coop.config import MemberSettings
from coop.csvio import Column, RowReader, Table, read_table
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.members import rules, search
from coop.members.models import Member, MemberCard, MemberCategory
from coop.members.tables import MEMBER_CARDS, MEMBERS

COLUMNS = (
    Column("number", required=True, aliases=("numero", "n°", "no", "numéro", "member_number")),
    Column("first_name", required=True, aliases=("prenom", "prénom")),
    Column("last_name", required=True, aliases=("nom", "name")),
    Column("email", aliases=("e-mail", "courriel", "mail")),
    Column("phone", aliases=("telephone", "téléphone", "tel", "tél")),
    Column("street", aliases=("adresse", "address", "rue")),
    Column("postcode", aliases=("code_postal", "cp", "zip")),
    Column("city", aliases=("ville", "commune")),
    Column("joined_on", aliases=("date_adhesion", "date d'adhésion", "adhesion", "joined")),
    Column("left_on", aliases=("date_sortie", "date de sortie", "sortie", "left")),
    Column("category", aliases=("categorie", "catégorie")),
    Column("household", aliases=("foyer", "main_member", "membre_principal")),
    Column("card", aliases=("carte", "barcode", "code_barre", "code-barres")),
    Column("notes", aliases=("remarques", "commentaire", "commentaires")),
)
EXPORT_COLUMNS = [column.name for column in COLUMNS]
Progress = Callable[[int], None]


@dataclass
class ParsedMember:
    line: int
    number: int
    values: dict[str, Any]
    household: int | None
    card: str | None


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    cards_issued: int = 0
    dry_run: bool = False
    lines: int = 0
    created_numbers: list[int] = field(default_factory=list)


def _parse_rows(
    table: Table, categories: dict[str, int], settings: MemberSettings, today: date
) -> tuple[list[ParsedMember], list[Problem]]:
    problems: list[Problem] = []
    parsed: list[ParsedMember] = []
    first_line_of: dict[int, int] = {}
    card_line: dict[str, int] = {}
    for row in table.rows:
        cells = RowReader(table, row, problems)
        number = cells.integer("number", required=True, minimum=1)
        first_name = cells.text("first_name", required=True, max_length=100)
        last_name = cells.text("last_name", required=True, max_length=100)
        email = cells.custom("email", rules.check_email)
        joined_on = cells.date("joined_on") or today
        left_on = cells.date("left_on")
        if left_on and left_on < joined_on:
            cells.fail("left_on", _("the leaving date is before the joining date"))
        category = cells.choice("category", sorted(categories)) or settings.default_category
        main = cells.integer("household", minimum=1)
        card = cells.custom("card", rules.check_card)
        values = {
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "phone": cells.text("phone", max_length=40),
            "street": cells.text("street", multiline=True),  # a line break typed in Excel
            "postcode": cells.text("postcode", max_length=20),
            "city": cells.text("city", max_length=100),
            "joined_on": joined_on,
            "left_on": left_on,
            "category_id": categories.get(category),
            "notes": cells.text("notes", max_length=2000),
        }
        if number is not None:
            if number in first_line_of:
                cells.fail(
                    "number",
                    _("member number {number} is already on line {line}").format(
                        number=number, line=first_line_of[number]
                    ),
                )
            else:
                first_line_of[number] = row.line
        if card is not None:
            if card in card_line:
                cells.fail(
                    "card",
                    _("card {card} is already on line {line}").format(
                        card=card, line=card_line[card]
                    ),
                )
            else:
                card_line[card] = row.line
        if number is not None and first_name and last_name:
            parsed.append(ParsedMember(row.line, number, values, main, card))
    return parsed, problems


def _conflicts(
    parsed: list[ParsedMember],
    existing: dict[int, Any],
    card_holder: dict[str, int],
    source: str,
) -> list[Problem]:
    """Rows whose card belongs to another member, or whose member was erased."""
    problems: list[Problem] = []
    for item in parsed:
        holder = card_holder.get(item.card) if item.card else None
        if holder is not None and holder != item.number:
            problems.append(
                Problem(
                    _("card {card} belongs to member {number}").format(
                        card=item.card, number=holder
                    ),
                    source,
                    item.line,
                    "card",
                )
            )
        known = existing.get(item.number)
        if known is not None and known.erased_at is not None:
            problems.append(
                Problem(
                    _("member {number} was erased and cannot be imported again").format(
                        number=item.number
                    ),
                    source,
                    item.line,
                    "number",
                )
            )
    return problems


def _households(
    parsed: list[ParsedMember], existing: dict[int, Any], settings: MemberSettings, source: str
) -> list[Problem]:
    """Households made too big or inconsistent by the file (with the database's members)."""
    problems: list[Problem] = []
    main_of: dict[int, int | None] = {n: row.main_number for n, row in existing.items()}
    line_of = {item.number: item.line for item in parsed}
    for item in parsed:
        main_of[item.number] = item.household
    for number, message in rules.household_problems(main_of, settings.max_household_size):
        line = line_of.get(number)
        if line is None:  # a main member already in the database: blame the file's first row
            line = next((i.line for i in parsed if i.household == number), None)
        problems.append(Problem(message, source, line, "household"))
    return problems


def import_members(
    session: Session,
    path: Path | str,
    *,
    actor: Actor,
    now: datetime,
    settings: MemberSettings,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate the whole file, then create/update members, households and cards in bulk."""
    table = read_table(path, COLUMNS)
    categories = dict(session.execute(select(MemberCategory.code, MemberCategory.id)).all())
    source = table.source
    parsed, problems = _parse_rows(table, categories, settings, local_date(now))

    main = aliased(Member)
    existing = {
        row.number: row
        for row in session.execute(
            select(
                Member.id,
                Member.number,
                Member.first_name,
                Member.last_name,
                Member.email,
                Member.phone,
                Member.street,
                Member.postcode,
                Member.city,
                Member.joined_on,
                Member.left_on,
                Member.category_id,
                Member.notes,
                Member.erased_at,
                main.number.label("main_number"),
            ).outerjoin(main, Member.main_member_id == main.id)
        )
    }
    card_holder = {
        barcode: number
        for barcode, number in session.execute(
            select(MemberCard.barcode, Member.number).join(Member)
        )
    }
    active_cards = {
        number: barcode
        for barcode, number in session.execute(
            select(MemberCard.barcode, Member.number)
            .join(Member)
            .where(MemberCard.ended_on.is_(None))
        )
    }

    problems += _conflicts(parsed, existing, card_holder, source)
    problems += _households(parsed, existing, settings, source)

    if problems:
        raise InvalidInput(sorted(problems, key=lambda p: (p.line or 0, p.column or "")))

    report = ImportReport(lines=len(table.rows))
    new_rows: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    audit_entries: list[dict[str, Any]] = []
    for index, item in enumerate(parsed, 1):
        values = dict(item.values)
        values["search_name"] = rules.search_name(values["first_name"], values["last_name"])
        known = existing.get(item.number)
        if known is None:
            new_rows.append({"number": item.number, **values, "created_at": now, "updated_at": now})
        else:
            before = {key: getattr(known, key) for key in item.values}
            old, new = audit.changes(before, item.values)
            if new:
                updates.append({"id": known.id, **values, "updated_at": now})
                audit_entries.append(
                    {
                        "action": "member.update",
                        "entity": "member",
                        "entity_id": known.id,
                        "member_id": known.id,
                        "before": old,
                        "after": new,
                        "reason": "import",
                    }
                )
            elif known.main_number == item.household and (
                item.card is None or active_cards.get(item.number) == item.card
            ):
                report.unchanged += 1
        if progress and index % 500 == 0:
            progress(500)

    ids = {number: row.id for number, row in existing.items()}
    if new_rows:
        # A Core executemany: one batched INSERT, ids read back in one query afterwards
        # (asking for ordered RETURNING makes SQLite insert row by row).
        session.execute(insert(MEMBERS), new_rows)
        ids = {
            number: member_id
            for number, member_id in session.execute(select(Member.number, Member.id))
        }
        report.created = len(new_rows)
        report.created_numbers = [row["number"] for row in new_rows]
        card_of = {item.number: item.card for item in parsed}
        audit_entries.extend(
            {
                "action": "member.create",
                "entity": "member",
                "entity_id": ids[row["number"]],
                "member_id": ids[row["number"]],
                "after": {
                    **{k: v for k, v in row.items() if k not in ("created_at", "updated_at")},
                    "card": card_of[row["number"]],
                },
                "reason": "import",
            }
            for row in new_rows
        )
    if updates:
        session.execute(update(Member), updates)
        report.updated = len(updates)

    previous_main = {number: row.main_number for number, row in existing.items()}
    household_links = [
        {"id": ids[item.number], "main_member_id": ids[item.household] if item.household else None}
        for item in parsed
        if item.household != previous_main.get(item.number)
    ]
    if household_links:
        session.execute(update(Member), household_links)
    today = local_date(now)
    ended = [
        active_cards[item.number]
        for item in parsed
        if item.card and item.number in active_cards and active_cards[item.number] != item.card
    ]
    if ended:
        session.execute(
            update(MemberCard)
            .where(MemberCard.barcode.in_(ended))
            .values(ended_on=today, end_reason=rules.CardEndReason.REPLACED.value)
            .execution_options(synchronize_session=False)
        )
    new_cards = [
        {"member_id": ids[item.number], "barcode": item.card, "issued_on": today}
        for item in parsed
        if item.card and active_cards.get(item.number) != item.card
    ]
    if new_cards:
        session.execute(insert(MEMBER_CARDS), new_cards)
        report.cards_issued = len(new_cards)
        audit_entries.extend(  # a new member's card is already in their creation entry
            {
                "action": "card.issue",
                "entity": "member",
                "entity_id": ids[item.number],
                "member_id": ids[item.number],
                "before": {"card": active_cards.get(item.number)},
                "after": {"card": item.card},
                "reason": "import",
            }
            for item in parsed
            if item.card and item.number in existing and active_cards.get(item.number) != item.card
        )
    audit.record_many(session, actor=actor, at=now, entries=audit_entries)
    search.invalidate(session)
    if progress:
        progress(len(parsed) % 500)
    return report


def export_rows(session: Session) -> Iterator[dict[str, Any]]:
    """Every member as a row of the import format, by number (erased people included, blank)."""
    main = aliased(Member)
    card = aliased(MemberCard)
    query = (
        select(Member, main.number, MemberCategory.code, card.barcode)
        .join(MemberCategory, Member.category_id == MemberCategory.id)
        .outerjoin(main, Member.main_member_id == main.id)
        .outerjoin(card, (card.member_id == Member.id) & card.ended_on.is_(None))
        .order_by(Member.number)
    )
    for member, main_number, category, barcode in session.execute(query):
        yield {
            "number": member.number,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "email": member.email,
            "phone": member.phone,
            "street": member.street,
            "postcode": member.postcode,
            "city": member.city,
            "joined_on": member.joined_on.isoformat() if member.joined_on else None,
            "left_on": member.left_on.isoformat() if member.left_on else None,
            "category": category,
            "household": main_number,
            "card": barcode,
            "notes": member.notes,
        }
