"""Use cases on members: look up, search, create, edit, households and cards.

Each function takes a Session (the caller owns the transaction), the acting person and the
current time, and records what it changed in the audit log.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.clock import local_date
from coop.config import MemberSettings
from coop.errors import InvalidInput, NotFound, Problem
from coop.i18n import _
from coop.members import rules
from coop.members.models import Member, MemberCard, MemberCategory

PERSONAL_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
    "notes",
)
EDITABLE_FIELDS = (*PERSONAL_FIELDS, "joined_on", "left_on")


def member_values(member: Member) -> dict[str, Any]:
    """A member as plain values (audit before/after, exports)."""
    return {
        "number": member.number,
        "first_name": member.first_name,
        "last_name": member.last_name,
        "email": member.email,
        "phone": member.phone,
        "street": member.street,
        "postcode": member.postcode,
        "city": member.city,
        "joined_on": member.joined_on,
        "left_on": member.left_on,
        "left_reason": member.left_reason,
        "welcome_on": member.welcome_on,
        "category": member.category.code,
        "main_member_number": member.main_member.number if member.main_member else None,
        "notes": member.notes,
    }


def scan_digits(raw: str) -> str:
    """What a scanner or a person typed, as digits (AZERTY-shifted digits mapped back)."""
    from coop.scanning import ScanError, normalise_scan

    try:
        return normalise_scan(raw)
    except ScanError as error:  # a very long paste: not a number nor a card
        raise NotFound(_("That is not a member number, a card or a name.")) from error


def get_by_number(session: Session, number: int) -> Member:
    member = session.scalar(select(Member).where(Member.number == number))
    if member is None:
        raise NotFound(_("No member has the number {number}.").format(number=number))
    return member


@dataclass(frozen=True)
class CardLookup:
    member: Member
    card: MemberCard

    @property
    def active(self) -> bool:
        return self.card.ended_on is None


def find_by_card(session: Session, barcode: str) -> CardLookup:
    """The member holding a card; an ended (lost, replaced) card is found too, and says so."""
    row = session.execute(
        select(MemberCard, Member)
        .join(Member, MemberCard.member_id == Member.id)
        .where(MemberCard.barcode == barcode)
    ).first()
    if row is None:
        raise NotFound(_("No member card has the number {barcode}.").format(barcode=barcode))
    return CardLookup(member=row[1], card=row[0])


def search_by_name(session: Session, query: str, limit: int = 10) -> list[Member]:
    """Members whose name looks like the query, best first ("helene dupont" → Hélène Dupont)."""
    from coop.members import search  # the name index: a lookup by number or card needs none

    hits = search.name_index(session).search(query, limit=limit)
    if not hits:
        return []
    by_id = {
        m.id: m
        for m in session.scalars(select(Member).where(Member.id.in_([h.member_id for h in hits])))
    }
    return [by_id[hit.member_id] for hit in hits if hit.member_id in by_id]


class FoundBy(StrEnum):
    """How a free-text lookup found its members."""

    NUMBER = "number"
    CARD = "card"
    NAME = "name"


@dataclass(frozen=True)
class Found:
    """The outcome of a free-text lookup: one member (number or card) or a ranked list."""

    members: list[Member]
    by: FoundBy
    card: MemberCard | None = None


def find(session: Session, query: str, limit: int = 10) -> Found:
    """Number, card or name: what the desk's single search field accepts."""
    text = query.strip()
    digits = scan_digits(text) if text else ""
    if digits.isdigit() and len(digits) == 13:
        lookup = find_by_card(session, digits)
        return Found([lookup.member], FoundBy.CARD, lookup.card)
    if re.fullmatch(r"\d{1,9}", digits):
        return Found([get_by_number(session, int(digits))], FoundBy.NUMBER)
    return Found(search_by_name(session, text, limit), FoundBy.NAME)


def household(session: Session, member: Member) -> list[Member]:
    """Everyone in the member's household, main member first, then by number."""
    main_id = member.main_member_id or member.id
    people = session.scalars(
        select(Member).where((Member.id == main_id) | (Member.main_member_id == main_id))
    ).all()
    return sorted(people, key=lambda m: (m.id != main_id, m.number))


def active_card(session: Session, member: Member) -> MemberCard | None:
    return session.scalar(
        select(MemberCard).where(MemberCard.member_id == member.id, MemberCard.ended_on.is_(None))
    )


def cards(session: Session, member: Member) -> list[MemberCard]:
    return list(
        session.scalars(
            select(MemberCard).where(MemberCard.member_id == member.id).order_by(MemberCard.id)
        )
    )


def category_by_code(session: Session, code: str) -> MemberCategory:
    category = session.scalar(select(MemberCategory).where(MemberCategory.code == code))
    if category is None:
        known = ", ".join(
            session.scalars(select(MemberCategory.code).order_by(MemberCategory.code))
        )
        raise InvalidInput(
            [
                Problem(
                    _("unknown category “{code}” (known: {known})").format(code=code, known=known)
                )
            ]
        )
    return category


def next_number(session: Session) -> int:
    return (session.scalar(select(func.max(Member.number))) or 0) + 1


def create_member(
    session: Session,
    *,
    actor: Actor,
    now: datetime,
    settings: MemberSettings,
    first_name: str,
    last_name: str,
    number: int | None = None,
    category: str | None = None,
    main_member: Member | None = None,
    joined_on: date | None = None,
    card: str | None = None,
    **details: Any,
) -> Member:
    """Register a person; a card is issued (the given one, or the coop's numbering)."""
    unknown = set(details) - set(PERSONAL_FIELDS)
    if unknown:
        raise TypeError(f"unknown member fields: {sorted(unknown)}")
    if details.get("email"):
        details["email"] = _checked(rules.check_email, details["email"], "email")
    number = number or next_number(session)
    if session.scalar(select(Member.id).where(Member.number == number)) is not None:
        raise InvalidInput(
            [Problem(_("member number {number} is already taken").format(number=number))]
        )
    member = Member(
        number=number,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        joined_on=joined_on or local_date(now),
        category=category_by_code(session, category or settings.default_category),
        search_name=rules.search_name(first_name, last_name),
        created_at=now,
        updated_at=now,
        **details,
    )
    session.add(member)
    session.flush()
    if main_member is not None:
        set_household(session, member, main_member, actor=actor, now=now, settings=settings)
    audit.record(
        session,
        actor=actor,
        at=now,
        action="member.create",
        entity="member",
        entity_id=member.id,
        member_id=member.id,
        after=member_values(member),
    )
    issue_card(
        session,
        member,
        card or rules.card_for_number(settings.card_prefix, number),
        actor=actor,
        now=now,
    )
    _names_changed(session)
    return member


def _names_changed(session: Session) -> None:
    """Drop the name index (``coop.members.search``), imported only by a change of names."""
    from coop.members import search

    search.invalidate(session)


def _checked(check: Any, value: str, column: str) -> Any:
    try:
        return check(value)
    except ValueError as error:
        raise InvalidInput([Problem(str(error), column=column)]) from error


def update_member(
    session: Session,
    member: Member,
    changes: Mapping[str, Any],
    *,
    actor: Actor,
    now: datetime,
    reason: str | None = None,
) -> Member:
    """Edit personal details or dates; only what changed is audited."""
    unknown = set(changes) - set(EDITABLE_FIELDS) - {"category"}
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    before = member_values(member)
    for key, value in changes.items():
        if key == "email" and value:
            value = _checked(rules.check_email, value, "email")
        if key == "category":
            member.category = category_by_code(session, value)
            continue
        setattr(member, key, value)
    if member.left_on and member.left_on < member.joined_on:
        raise InvalidInput([Problem(_("the leaving date is before the joining date"))])
    member.search_name = rules.search_name(member.first_name, member.last_name)
    member.updated_at = now
    session.flush()
    old, new = audit.changes(before, member_values(member))
    if new:
        audit.record(
            session,
            actor=actor,
            at=now,
            action="member.update",
            entity="member",
            entity_id=member.id,
            member_id=member.id,
            before=old,
            after=new,
            reason=reason,
        )
        _names_changed(session)
    return member


def set_household(
    session: Session,
    member: Member,
    main_member: Member | None,
    *,
    actor: Actor,
    now: datetime,
    settings: MemberSettings,
) -> None:
    """Attach a person to a main member's household (or detach with None), within the limit."""
    if main_member is not None:
        if main_member.id == member.id:
            raise InvalidInput([Problem(_("a member cannot be their own main member"))])
        if main_member.main_member_id is not None:
            raise InvalidInput(
                [Problem(_("member {main} is not a main member").format(main=main_member.number))]
            )
        if session.scalar(select(Member.id).where(Member.main_member_id == member.id)):
            raise InvalidInput(
                [
                    Problem(
                        _("member {number} is the main member of a household").format(
                            number=member.number
                        )
                    )
                ]
            )
        size = len(household(session, main_member)) + (member.main_member_id != main_member.id)
        if size > settings.max_household_size:
            raise InvalidInput(
                [
                    Problem(
                        _("household of member {main} has {size} people (at most {max})").format(
                            main=main_member.number, size=size, max=settings.max_household_size
                        )
                    )
                ]
            )
    before = member.main_member.number if member.main_member else None
    member.main_member = main_member
    member.updated_at = now
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="member.household",
        entity="member",
        entity_id=member.id,
        member_id=member.id,
        before={"main_member_number": before},
        after={"main_member_number": main_member.number if main_member else None},
    )


def issue_card(
    session: Session,
    member: Member,
    barcode: str,
    *,
    actor: Actor,
    now: datetime,
    reason: rules.CardEndReason = rules.CardEndReason.REPLACED,
) -> MemberCard:
    """Give a member a new card; their active card ends with ``reason`` (history is kept)."""
    barcode = _checked(rules.check_card, barcode, "card")
    holder = session.scalar(select(MemberCard).where(MemberCard.barcode == barcode))
    if holder is not None:
        raise InvalidInput(
            [
                Problem(
                    _("card {barcode} was already given to member {number}").format(
                        barcode=barcode, number=holder.member.number
                    ),
                    column="card",
                )
            ]
        )
    today = local_date(now)
    previous = active_card(session, member)
    if previous is not None:
        previous.ended_on = today
        previous.end_reason = reason.value
        session.flush()
    card = MemberCard(member_id=member.id, barcode=barcode, issued_on=today)
    session.add(card)
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="card.issue",
        entity="member",
        entity_id=member.id,
        member_id=member.id,
        before={"card": previous.barcode} if previous else None,
        after={"card": barcode},
        reason=reason.value if previous else None,
    )
    return card


def replace_lost_card(
    session: Session, member: Member, *, actor: Actor, now: datetime, settings: MemberSettings
) -> MemberCard:
    """A lost card stops working at once; the new one takes the next series of the same number."""
    taken = set(
        session.scalars(
            select(MemberCard.barcode).where(
                MemberCard.barcode.in_(
                    [
                        rules.card_for_number(settings.card_prefix, member.number, s)
                        for s in range(10)
                    ]
                )
            )
        )
    )
    for series in range(1, 10):
        barcode = rules.card_for_number(settings.card_prefix, member.number, series)
        if barcode not in taken:
            return issue_card(
                session, member, barcode, actor=actor, now=now, reason=rules.CardEndReason.LOST
            )
    raise InvalidInput([Problem(_("no free card number is left for this member"))])
