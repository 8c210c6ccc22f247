"""Personal data: everything held on one person (right of access) and erasure of a person who left.

Erasure anonymises rather than deletes: sales, invoices and work-credit records must stay for
accounting and for the till's inalterable journal, so the member row, its number and its cards
remain, stripped of everything that identifies the person. Other contexts register what they
hold on a person (``register``) from their own ``privacy`` module; ``coop.personal_data`` is the
composition root that imports them all, used wherever export or erasure runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor, AuditEntry
from coop.clock import local_date
from coop.errors import CoopError
from coop.i18n import _
from coop.members import rules, search, service
from coop.members.models import Member, MemberCard
from coop.rights import Right, require

ERASED_FIRST_NAME = "—"
REDACTED = "[erased]"

Section = Callable[[Session, Member], Any]
"""A function returning JSON-ready data a context holds on a person."""
Eraser = Callable[[Session, int], None]
"""A function blanking what a context holds on an erased person (given the member id)."""

SECTIONS: dict[str, Section] = {}
"""Name → section, in the order registered (the order of the export). Filled by the contexts
above this one through ``register``; ``coop.personal_data`` imports them all."""
ERASERS: dict[str, Eraser] = {}


def register(name: str, section: Section, *, erase: Eraser | None = None) -> None:
    """Add a context's section to the export of personal data, and what it blanks on erasure.

    Called once by each context above members at import of its own ``privacy`` module (the
    arrows point down: members never imports them); registering a name again replaces it."""
    SECTIONS[name] = section
    if erase is not None:
        ERASERS[name] = erase


def export_personal_data(session: Session, member: Member) -> dict[str, Any]:
    """Everything Comptoir holds on a person, as JSON-ready data."""
    data: dict[str, Any] = {
        "member": audit.jsonable(service.member_values(member)),
        "erased_at": member.erased_at.isoformat() if member.erased_at else None,
        "household": [
            {"number": m.number, "name": m.full_name, "main": m.main_member_id is None}
            for m in service.household(session, member)
            if m.id != member.id
        ],
        "cards": [
            {
                "barcode": card.barcode,
                "issued_on": card.issued_on.isoformat(),
                "ended_on": card.ended_on.isoformat() if card.ended_on else None,
                "end_reason": card.end_reason,
            }
            for card in service.cards(session, member)
        ],
        "history": [
            {
                "at": entry.at.isoformat(),
                "actor": entry.actor,
                "action": entry.action,
                "before": entry.before,
                "after": entry.after,
                "reason": entry.reason,
            }
            for entry in session.scalars(
                select(AuditEntry).where(AuditEntry.member_id == member.id).order_by(AuditEntry.id)
            )
        ],
    }
    for name, section in SECTIONS.items():
        data[name] = section(session, member)
    return data


def erase_member(session: Session, member: Member, *, actor: Actor, now: datetime) -> Member:
    """Anonymise a person who has left; refuses anyone still a member or heading a household."""
    require(actor, Right.ERASE_MEMBER, entity="member", entity_id=member.number)
    today = local_date(now)
    if member.erased_at is not None:
        raise CoopError(_("Member {number} was already erased.").format(number=member.number))
    if member.left_on is None or member.left_on > today:
        raise CoopError(
            _(
                "Member {number} has not left the coop: record a leaving date before erasing"
                " their personal data."
            ).format(number=member.number)
        )
    staying = [
        m.number
        for m in service.household(session, member)
        if m.id != member.id and m.main_member_id == member.id
    ]
    if staying:
        raise CoopError(
            _(
                "Member {number} heads a household ({others}): attach those people to another"
                " main member first."
            ).format(number=member.number, others=", ".join(map(str, staying)))
        )
    for field in service.PERSONAL_FIELDS:
        setattr(member, field, None)
    member.left_reason = None  # why someone left may tell their circumstances
    member.first_name = ERASED_FIRST_NAME
    member.last_name = ERASED_FIRST_NAME
    member.search_name = ""
    member.main_member_id = None
    member.erased_at = now
    member.updated_at = now
    session.execute(
        update(MemberCard)
        .where(MemberCard.member_id == member.id, MemberCard.ended_on.is_(None))
        .values(ended_on=today, end_reason=rules.CardEndReason.ERASED.value)
        .execution_options(synchronize_session=False)
    )
    _redact_history(session, member.id)
    for erase in ERASERS.values():
        erase(session, member.id)
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="member.erase",
        entity="member",
        entity_id=member.id,
        member_id=member.id,
        reason="erasure of personal data",
    )
    search.invalidate(session)
    return member


def _redact_history(session: Session, member_id: int) -> None:
    """Blank personal values inside the person's audit entries; who did what when stays."""
    personal = set(service.PERSONAL_FIELDS) | {"left_reason"}
    for entry in session.scalars(select(AuditEntry).where(AuditEntry.member_id == member_id)):
        for attribute in ("before", "after"):
            values = getattr(entry, attribute)
            if values and personal & values.keys():
                setattr(
                    entry,
                    attribute,
                    {k: (REDACTED if k in personal and v else v) for k, v in values.items()},
                )
