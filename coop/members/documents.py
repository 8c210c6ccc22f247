"""Printed member documents: a sheet of member cards with their EAN-13 barcode, and the paper
list of who may shop today (the fallback when the terminal is down).

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
from stdnum import ean

from coop.dates import format_date
from coop.documents import Letterhead, by_name, letterhead
from coop.errors import CoopError, InvalidInput, Problem
from coop.i18n import _
from coop.members import service as members
from coop.members.models import Member, MemberCard


def _current(day: date) -> Any:
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
    return len(code) == 13 and code.isdigit() and ean.is_valid(code)


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
        query = query.where(*_current(today))
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


# -- the paper status list ------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusRow:
    number: int
    name: str
    """ "Last First", the way the list is sorted and searched by eye."""
    can_shop: bool
    status: str
    note: str
    """What to tell the person: the counters and the date to act by, or whose household."""
    card_end: str
    """The last digits of the card in use, to tell namesakes apart."""


@dataclass(frozen=True)
class StatusList:
    letterhead: Letterhead
    day: date
    rows: tuple[StatusRow, ...]
    printed_at: datetime

    @property
    def may_shop(self) -> int:
        return sum(1 for row in self.rows if row.can_shop)


def status_list(session: Session, day: date, *, settings: Any, printed_at: datetime) -> StatusList:
    """Every current member and associated person with whether they may shop on ``day``: the
    desk check's verdict (associated people shop on their household's main member)."""
    from coop.clock import SHOP_TIMEZONE, local_date
    from coop.shifts import desk, words
    from coop.shifts import service as shifts
    from coop.shifts.policy import Status

    # the desk's verdict at the moment of printing, or at noon for another day
    at = (
        printed_at
        if local_date(printed_at) == day
        else datetime(day.year, day.month, day.day, 12, 0, tzinfo=SHOP_TIMEZONE)
    )
    people = list(session.scalars(select(Member).where(*_current(day))))
    cards = dict(
        session.execute(
            select(MemberCard.member_id, MemberCard.barcode).where(MemberCard.ended_on.is_(None))
        ).all()
    )
    by_number = {
        row.number: row for row in shifts.statuses(session, at=day, settings=settings.shifts)
    }
    verdicts: dict[int, tuple[bool, str, str]] = {}
    by_id = {person.id: person for person in people}

    def verdict(main: Member) -> tuple[bool, str, str]:
        if main.id in verdicts:
            return verdicts[main.id]
        row = by_number.get(main.number)
        if row is not None and row.status is Status.UP_TO_DATE and row.can_shop:
            result = (True, words.status(row.status), "")
        else:
            check = desk.check(session, str(main.number), at=at, settings=settings.shifts)
            note = check.counters_text if check.status is not Status.UP_TO_DATE else ""
            result = (check.can_shop, check.status_text, note)
        verdicts[main.id] = result
        return result

    rows = []
    for person in people:
        main = by_id.get(person.main_member_id) if person.main_member_id else person
        if main is None:  # the main member left: the desk refuses too
            main = session.get(Member, person.main_member_id)
            assert main is not None
        can_shop, status_text, note = verdict(main)
        if main is not person:
            shop_with = _("shops with {name} (no. {number})").format(
                name=main.full_name, number=main.number
            )
            note = f"{shop_with}. {note}" if note else shop_with
        code = cards.get(person.id, "")
        rows.append(
            StatusRow(
                number=person.number,
                name=f"{person.last_name} {person.first_name}",
                can_shop=can_shop,
                status=status_text,
                note=note,
                card_end=f"…{code[-4:]}" if code else "",
            )
        )
    if not rows:
        raise CoopError(
            _("No member is registered on {day}: nothing to print.").format(
                day=format_date(day, "full")
            )
        )
    return StatusList(
        letterhead=letterhead(settings),
        day=day,
        rows=tuple(by_name(rows, lambda row: row.name)),
        printed_at=printed_at,
    )
