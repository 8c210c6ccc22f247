"""Staff use cases: set or reset a PIN, log in with a card (or member number) and a PIN, grant
and revoke coop roles, list the staff, and build the ``Actor`` a logged-in person acts as.

A log-in that fails still writes: the wrong try is counted (and locks the PIN at the fifth) and
audited, so ``log_in`` runs its own transaction and raises ``LoginRefused`` after committing.
The refusal never says whether the card or the PIN was wrong; the PIN is never stored, logged
nor put in an audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from coop import audit
from coop.errors import CoopError, InvalidInput, NotFound, Problem
from coop.i18n import _
from coop.members import service as members
from coop.members.models import Member
from coop.rights import COOP_ROLES, SHIFT_ROLES, Actor, Right, Role, require, role_words
from coop.staff import rules

# re-exported: a command that names no actor imports coop.staff.first_setup alone
from coop.staff.first_setup import has_administrator as has_administrator
from coop.staff.models import StaffPin, StaffRole


class LoginRefused(CoopError):
    """Card or PIN not accepted; the sentence never says which."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Card or PIN not recognised (after {tries} wrong tries a PIN is locked for"
                " {minutes} minutes)."
            ).format(tries=rules.MAX_TRIES, minutes=rules.LOCK_MINUTES)
        )


def actor_for(session: Session, member: Member) -> Actor:
    """The member as an actor, with the roles they hold now (shift skills and coop roles)."""
    from coop.shifts.models import ShiftSkill  # every command imports this module: not its models

    held = set(
        session.scalars(select(StaffRole.role).where(StaffRole.member_id == member.id))
    ) | set(
        session.scalars(
            select(ShiftSkill.role).where(
                ShiftSkill.member_id == member.id,
                ShiftSkill.role.in_([role.value for role in SHIFT_ROLES]),
            )
        )
    )
    return Actor(
        member.full_name,
        member_number=member.number,
        roles=frozenset(Role(role) for role in held if role in Role.__members__.values()),
    )


def _active(member: Member, today: date) -> bool:
    return member.erased_at is None and (member.left_on is None or member.left_on > today)


def _member_of(session: Session, card_or_number: str, today: date) -> Member | None:
    """The active member a scanned card (or a typed member number) names, or None."""
    digits = card_or_number.strip()
    try:
        digits = members.scan_digits(digits)
    except NotFound:
        return None
    member: Member | None = None
    if len(digits) >= 8:
        try:
            found = members.find_by_card(session, digits)
        except NotFound:
            return None
        member = found.member if found.active else None
    elif digits.isdigit():
        member = session.scalar(select(Member).where(Member.number == int(digits)))
    if member is None or not _active(member, today):
        return None
    return member


def check_pin(session: Session, card_or_number: str, pin: str, *, now: datetime) -> Actor | None:
    """The actor whose card and PIN these are, or None (the wrong try counted and audited in
    ``session``: the caller commits either way)."""
    member = _member_of(session, card_or_number, now.date())
    held = session.get(StaffPin, member.id) if member is not None else None
    if held is None:
        rules.pin_matches(pin, rules.DUMMY_HASH)  # same time as a wrong PIN
        audit.record(
            session,
            actor=Actor(_("unknown card")),
            at=now,
            action="staff.login_refused",
            entity="member",
            entity_id=member.number if member is not None else "?",
            member_id=member.id if member is not None else None,
        )
        return None
    assert member is not None
    if rules.is_locked(held.locked_until, now):
        rules.pin_matches(pin, rules.DUMMY_HASH)
        ok = False
    else:
        ok = rules.pin_matches(pin, held.pin_hash)
    if ok:
        if held.failed_tries:
            held.failed_tries = 0
        return actor_for(session, member)
    if not rules.is_locked(held.locked_until, now):
        outcome = rules.after_wrong_try(held.failed_tries, now)
        held.failed_tries, held.locked_until = outcome.failed_tries, outcome.locked_until
    audit.record(
        session,
        actor=Actor(member.full_name, member_number=member.number),
        at=now,
        action="staff.login_refused",
        entity="member",
        entity_id=member.number,
        member_id=member.id,
        after={"locked_until": held.locked_until},
    )
    return None


def log_in(
    sessions: sessionmaker[Session], card_or_number: str, pin: str, *, now: datetime
) -> Actor:
    """Check a card and PIN in a transaction of their own; ``LoginRefused`` otherwise (the
    wrong try is committed first)."""
    with sessions() as session, session.begin():
        actor = check_pin(session, card_or_number, pin, now=now)
    if actor is None:
        raise LoginRefused()
    return actor


def set_pin(session: Session, member_number: int, pin: str, *, actor: Actor, now: datetime) -> None:
    """Set a member's PIN: their own at the welcome desk, or anyone's by a coordinator (a reset
    also lifts a lock). The PIN must pass ``rules.pin_problem``."""
    member = members.get_by_number(session, member_number)
    if actor.member_number != member_number:
        require(actor, Right.MANAGE_PINS, entity="member", entity_id=member_number)
    problem = rules.pin_problem(pin)
    if problem is not None:
        raise InvalidInput([Problem(problem, column="PIN")])
    if not _active(member, now.date()):
        raise CoopError(
            _("Member {number} has left: they may not log in.").format(number=member_number)
        )
    held = session.get(StaffPin, member.id)
    action = "staff.pin_reset" if held is not None else "staff.pin_set"
    if held is None:
        session.add(StaffPin(member_id=member.id, pin_hash=rules.hash_pin(pin), set_at=now))
    else:
        held.pin_hash, held.set_at = rules.hash_pin(pin), now
        held.failed_tries, held.locked_until = 0, None
    audit.record(
        session,
        actor=actor,
        at=now,
        action=action,
        entity="member",
        entity_id=member_number,
        member_id=member.id,
    )


def _coop_role(role: str) -> Role:
    try:
        parsed = Role(role)
    except ValueError:
        parsed = None
    if parsed is None or parsed not in COOP_ROLES:
        raise InvalidInput(
            [
                Problem(
                    _(
                        "“{role}” is not a coop role: expected {roles} (cashier and shift leader"
                        " are shift skills: `coop shifts roles`)."
                    ).format(role=role, roles=", ".join(sorted(r.value for r in COOP_ROLES))),
                    column="ROLE",
                )
            ]
        )
    return parsed


def coop_roles(session: Session, member: Member) -> list[str]:
    return sorted(session.scalars(select(StaffRole.role).where(StaffRole.member_id == member.id)))


def change_role(
    session: Session,
    member_number: int,
    role: str,
    *,
    grant: bool,
    actor: Actor,
    now: datetime,
) -> list[str]:
    """Grant (or revoke) a coop role; returns the member's coop roles after. Needs the right to
    change roles; audited with the roles before and after."""
    wanted = _coop_role(role)
    require(actor, Right.CHANGE_ROLES, entity="member", entity_id=member_number)
    member = members.get_by_number(session, member_number)
    before = coop_roles(session, member)
    row = session.scalar(
        select(StaffRole).where(StaffRole.member_id == member.id, StaffRole.role == wanted.value)
    )
    if grant and row is None:
        session.add(StaffRole(member_id=member.id, role=wanted.value, granted_at=now))
    elif not grant and row is not None:
        session.delete(row)
    else:
        return before
    session.flush()
    after = coop_roles(session, member)
    audit.record(
        session,
        actor=actor,
        at=now,
        action="staff.role_granted" if grant else "staff.role_revoked",
        entity="member",
        entity_id=member_number,
        member_id=member.id,
        before={"roles": before},
        after={"roles": after},
    )
    return after


@dataclass(frozen=True)
class StaffRow:
    number: int
    name: str
    roles: tuple[str, ...]
    """In words (``role_words``)."""
    has_pin: bool
    locked: bool


def list_staff(session: Session, *, now: datetime) -> list[StaffRow]:
    """Members holding a PIN, a coop role or a shift role, by number."""
    from coop.shifts.models import ShiftSkill

    pins = {pin.member_id: pin for pin in session.scalars(select(StaffPin))}
    ids = set(pins) | set(session.scalars(select(StaffRole.member_id)))
    ids |= set(
        session.scalars(
            select(ShiftSkill.member_id).where(
                ShiftSkill.role.in_([role.value for role in SHIFT_ROLES])
            )
        )
    )
    rows = []
    for member in session.scalars(select(Member).where(Member.id.in_(ids)).order_by(Member.number)):
        actor = actor_for(session, member)
        pin = pins.get(member.id)
        rows.append(
            StaffRow(
                member.number,
                member.full_name,
                tuple(role_words(role) for role in Role if role in actor.roles),
                pin is not None,
                pin is not None and rules.is_locked(pin.locked_until, now),
            )
        )
    return rows


def configured_actor(session: Session, number: int, *, now: datetime) -> Actor:
    """The member the machine's config names (no PIN: the config file is the administrator's);
    refused like a log-in if they left or are unknown."""
    member = _member_of(session, str(number), now.date())
    if member is None:
        raise LoginRefused()
    return actor_for(session, member)
