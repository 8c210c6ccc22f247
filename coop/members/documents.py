"""Printed member documents: a sheet of member cards with their EAN-13 barcode. (The paper list
of who may shop today depends on the shift status: it is ``coop.shifts.documents.status_list``.)

Cards are checked before anything is printed: ReportLab silently replaces a wrong check digit
by the right one, which would print a card that scans as somebody else's code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.documents import Letterhead, by_name, letterhead
from coop.errors import CoopError, InvalidInput, Problem
from coop.i18n import _
from coop.members import service as members
from coop.members.models import Member, MemberCard
from coop.scanning import has_valid_check_digit


def current_on(day: date) -> Any:
    """The conditions selecting the people who are members on ``day`` (not erased)."""
    return (
        Member.erased_at.is_(None),
        Member.joined_on <= day,
        (Member.left_on.is_(None)) | (Member.left_on > day),
    )


# -- member cards ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardData:
    number: int
    name: str
    barcode: str
    """13 digits, check digit verified."""
    household_of: str = ""
    """For an associated person: the main member they shop with."""


@dataclass(frozen=True)
class MemberCardsSheet:
    letterhead: Letterhead
    cards: tuple[CardData, ...]
    printed_at: datetime


def valid_ean13(code: str) -> bool:
    return len(code) == 13 and has_valid_check_digit(code)


def member_cards(
    session: Session,
    numbers: Sequence[int] | None,
    *,
    settings: Any,
    printed_at: datetime,
    today: date,
) -> MemberCardsSheet:
    """Cards of the given members (all current members with a card when ``numbers`` is None),
    sorted by last name then first name, as they are handed out; any card whose barcode is not
    a valid EAN-13 refuses the whole sheet."""
    problems: list[Problem] = []
    query = (
        select(Member, MemberCard.barcode)
        .join(MemberCard, (MemberCard.member_id == Member.id) & MemberCard.ended_on.is_(None))
        .where(Member.erased_at.is_(None))
    )
    if numbers is None:
        query = query.where(*current_on(today))
        rows = list(session.execute(query))
    else:
        wanted = list(dict.fromkeys(numbers))
        rows = list(session.execute(query.where(Member.number.in_(wanted))))
        found = {member.number for member, _code in rows}
        for number in wanted:
            if number not in found:
                members.get_by_number(session, number)  # unknown numbers: NotFound
                problems.append(
                    Problem(
                        _("member {number} has no card in use: issue one first").format(
                            number=number
                        )
                    )
                )
    mains = {
        member.id: member
        for member in session.scalars(
            select(Member).where(
                Member.id.in_({m.main_member_id for m, _c in rows if m.main_member_id})
            )
        )
    }
    cards = []
    for member, code in rows:
        if not valid_ean13(code):
            problems.append(
                Problem(
                    _(
                        "member {number} ({name}): the card code {code} is not a valid EAN-13 "
                        "(13 digits with a correct check digit)"
                    ).format(number=member.number, name=member.full_name, code=code)
                )
            )
            continue
        main = mains.get(member.main_member_id) if member.main_member_id else None
        card = CardData(
            number=member.number,
            name=member.full_name,
            barcode=code,
            household_of=main.full_name if main is not None else "",
        )
        cards.append((f"{member.last_name} {member.first_name}", card))
    if problems:
        raise InvalidInput(problems)
    if not cards:
        raise CoopError(_("No member has a card to print."))
    return MemberCardsSheet(
        letterhead=letterhead(settings),
        cards=tuple(card for _key, card in by_name(cards, lambda pair: pair[0])),
        printed_at=printed_at,
    )
