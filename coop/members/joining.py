"""Joining and leaving, within the members context: a new member with household and card in one
step, leaving on a date with a reason (the card ends), rejoining with the same number (a new
card; shares, shifts and audit history kept) and the welcome session.

What leaving does to other contexts (the fixed shift slot, AMAP subscriptions) is orchestrated
above them, in ``coop.membership``; the members context knows nothing of shifts or baskets.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.clock import local_date
from coop.config import MemberSettings
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.members import rules, search, service
from coop.members.models import Member, MemberCard

REASON_MAX = 200


def _fail(message: str, column: str) -> InvalidInput:
    return InvalidInput([Problem(message, column=column)])


def _name(value: str, column: str) -> str:
    value = (value or "").strip()
    if not value:
        raise _fail(_("this field is required"), column)
    if len(value) > 100:
        raise _fail(_("at most {n} characters").format(n=100), column)
    return value


def add(
    session: Session,
    *,
    actor: Actor,
    now: datetime,
    settings: MemberSettings,
    first_name: str,
    last_name: str,
    main_member_number: int | None = None,
    **details: Any,
) -> Member:
    """A new member, their household link and their card, in the caller's transaction."""
    first = _name(first_name, "--first-name")
    last = _name(last_name, "--last-name")
    main = None
    if main_member_number is not None:
        main = service.get_by_number(session, main_member_number)
        if main.left_on is not None and main.left_on <= local_date(now):
            raise _fail(_("member {number} has left").format(number=main.number), "--household")
    return service.create_member(
        session,
        actor=actor,
        now=now,
        settings=settings,
        first_name=first,
        last_name=last,
        main_member=main,
        **details,
    )


def leave(
    session: Session,
    member: Member,
    *,
    on: date,
    reason: str,
    actor: Actor,
    now: datetime,
) -> Member:
    """The member leaves on ``on`` (their last day is the day before): the card ends that day.

    A date in the future is a notice (the desk shows "resigning" until then).
    """
    reason = (reason or "").strip()
    if not reason:
        raise _fail(_("give the reason"), "--reason")
    if len(reason) > REASON_MAX:
        raise _fail(_("at most {n} characters").format(n=REASON_MAX), "--reason")
    if member.left_on is not None:
        raise _fail(
            _("member {number} already left on {date}").format(
                number=member.number, date=member.left_on.isoformat()
            ),
            "member",
        )
    if on < member.joined_on:
        raise _fail(_("the leaving date is before the joining date"), "--on")
    if member.erased_at is not None:
        raise _fail(_("member {number} was erased").format(number=member.number), "member")
    before = {"left_on": None, "left_reason": member.left_reason}
    member.left_on = on
    member.left_reason = reason
    member.updated_at = now
    card = service.active_card(session, member)
    if card is not None:
        card.ended_on = max(on, card.issued_on)
        card.end_reason = rules.CardEndReason.LEFT.value
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="member.leave",
        entity="member",
        entity_id=member.id,
        member_id=member.id,
        before=before,
        after={"left_on": on, "left_reason": reason, "card_ended": card.barcode if card else None},
        reason=reason,
    )
    return member


def rejoin(
    session: Session,
    member: Member,
    *,
    on: date,
    actor: Actor,
    now: datetime,
    settings: MemberSettings,
) -> Member:
    """A member who left comes back from ``on``: same number, a new card, history kept."""
    if member.left_on is None:
        raise _fail(_("member {number} has not left").format(number=member.number), "member")
    if member.erased_at is not None:
        raise _fail(_("member {number} was erased").format(number=member.number), "member")
    if on < member.left_on:
        raise _fail(_("the rejoining date is before the leaving date"), "--on")
    before = {
        "joined_on": member.joined_on,
        "left_on": member.left_on,
        "left_reason": member.left_reason,
    }
    member.joined_on = on
    member.left_on = None
    member.left_reason = None
    member.updated_at = now
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="member.rejoin",
        entity="member",
        entity_id=member.id,
        member_id=member.id,
        before=before,
        after={"joined_on": on, "left_on": None},
    )
    if service.active_card(session, member) is None:
        service.issue_card(
            session, member, _free_card(session, member, settings), actor=actor, now=now
        )
    search.invalidate(session)
    return member


def _free_card(session: Session, member: Member, settings: MemberSettings) -> str:
    taken = set(
        session.scalars(select(MemberCard.barcode).where(MemberCard.member_id == member.id))
    )
    for series in range(10):
        barcode = rules.card_for_number(settings.card_prefix, member.number, series)
        if barcode not in taken:
            return barcode
    raise _fail(_("no free card number is left for this member"), "card")


def record_welcome(
    session: Session, member: Member, *, on: date, actor: Actor, now: datetime
) -> Member:
    """The member attended the welcome session on ``on`` (Tapir): they may now work shifts."""
    if on > local_date(now):
        raise _fail(_("the date is in the future"), "--on")
    before = {"welcome_on": member.welcome_on}
    member.welcome_on = on
    member.updated_at = now
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="member.welcome",
        entity="member",
        entity_id=member.id,
        member_id=member.id,
        before=before,
        after={"welcome_on": on},
    )
    return member
