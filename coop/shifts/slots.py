"""Fixed slots (ABCD template places): holding and releasing a slot, booking its holders on the
generated shifts, the work mode that goes with it, and the roles (skills) a member holds."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.config import ShiftSettings
from coop.dates import format_date
from coop.errors import CoopError, InvalidInput, NotFound, Problem
from coop.i18n import _
from coop.rights import Right, require
from coop.shifts import service
from coop.shifts.booking import PENDING, claim_seat, live_attendance, skills_of
from coop.shifts.models import (
    Shift,
    ShiftAttendance,
    ShiftHolding,
    ShiftSkill,
    ShiftTemplate,
    core_table,
)
from coop.shifts.policy import WorkMode
from coop.shifts.rules import ChangeMode
from coop.shifts.status import system_for

# -- fixed slots -----------------------------------------------------------------------------


def template_by_code(session: Session, code: str) -> ShiftTemplate:
    template = session.scalar(select(ShiftTemplate).where(ShiftTemplate.code == code))
    if template is None:
        raise NotFound(_("No shift template has the code “{code}”.").format(code=code))
    return template


def holders_count(session: Session, template_id: int, day: date) -> int:
    return (
        session.scalar(
            select(func.count(ShiftHolding.id)).where(
                ShiftHolding.template_id == template_id,
                or_(ShiftHolding.ends_on.is_(None), ShiftHolding.ends_on >= day),
            )
        )
        or 0
    )


def hold_slot(
    session: Session,
    *,
    member_number: int,
    template_code: str,
    starts_on: date,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
    role: str | None = None,
) -> ShiftHolding:
    """Give a member a fixed place in a template from ``starts_on``; they become a regular
    member and are booked on the shifts already generated from then on."""
    template = template_by_code(session, template_code)
    member = service.worker(session, member_number)
    if template.valid_until is not None and starts_on > template.valid_until:
        raise CoopError(
            _("Template {code} ends on {date}.").format(
                code=template.code, date=format_date(template.valid_until)
            )
        )
    if role is not None and role not in template.role_list:
        raise InvalidInput(
            [
                Problem(
                    _("template {code} has no “{role}” place (roles: {roles})").format(
                        code=template.code, role=role, roles=", ".join(template.role_list) or "—"
                    ),
                    column="--role",
                )
            ]
        )
    if role is not None and role not in skills_of(session, member.id):
        raise CoopError(
            _("Member {number} does not have the role “{role}”.").format(
                number=member_number, role=role
            )
        )
    already = session.scalar(
        select(ShiftHolding.id).where(
            ShiftHolding.member_id == member.id,
            ShiftHolding.template_id == template.id,
            or_(ShiftHolding.ends_on.is_(None), ShiftHolding.ends_on >= starts_on),
        )
    )
    if already is not None:
        raise CoopError(
            _("Member {number} already holds a place in {code}.").format(
                number=member_number, code=template.code
            )
        )
    if holders_count(session, template.id, starts_on) >= template.seats:
        raise CoopError(
            _("Template {code} has no free place: its {seats} places are held.").format(
                code=template.code, seats=template.seats
            )
        )
    account = service.open_account(session, member, settings=settings, actor=actor, now=now)
    if account.state.mode is not WorkMode.REGULAR:
        service.apply_event(session, account, ChangeMode(on=account.today, mode=WorkMode.REGULAR))
    holding = ShiftHolding(
        member_id=member.id,
        template_id=template.id,
        role=role,
        starts_on=starts_on,
        created_at=now,
        created_by=actor.recorded,
    )
    session.add(holding)
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="shift.slot_hold",
        entity="shift_holding",
        entity_id=holding.id,
        member_id=member.id,
        after={"template": template.code, "starts_on": starts_on, "role": role},
    )
    book_holder(session, holding, first=max(starts_on, account.today), actor=actor, now=now)
    service.recompute(session, account)
    return holding


def book_holder(
    session: Session,
    holding: ShiftHolding,
    *,
    first: date,
    actor: Actor,
    now: datetime,
    last: date | None = None,
) -> int:
    """Book a holder on the open, already generated shifts of their template in [first, last]
    (days on leave excepted by the caller's choice of dates); returns how many."""
    query = select(Shift).where(
        Shift.template_id == holding.template_id,
        Shift.day >= first,
        Shift.cancelled_at.is_(None),
        Shift.starts_at > now,
    )
    if last is not None:
        query = query.where(Shift.day <= last)
    if holding.ends_on is not None:
        query = query.where(Shift.day <= holding.ends_on)
    booked = 0
    for shift in session.scalars(query.order_by(Shift.day)).all():
        if live_attendance(session, shift.id, holding.member_id) is not None:
            continue
        seat_id = claim_seat(session, shift.id, holding.member_id, [holding.role])
        if seat_id is None:
            continue
        session.execute(
            insert(core_table(ShiftAttendance)),
            [
                {
                    "shift_id": shift.id,
                    "member_id": holding.member_id,
                    "seat_id": seat_id,
                    "kind": "regular",
                    "from_template": True,
                    "holding_id": holding.id,
                    "state": PENDING,
                    "booked_at": now,
                    "booked_by": actor.recorded,
                }
            ],
        )
        booked += 1
    return booked


def release_slot(
    session: Session,
    *,
    member_number: int,
    template_code: str,
    last_day: date,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
    reason: str = "released",
) -> int:
    """End a member's place in a template after ``last_day`` (history kept)."""
    template = template_by_code(session, template_code)
    member = service.worker(session, member_number)
    ended = service.end_holdings(
        session,
        member.id,
        last_day=last_day,
        reason=reason,
        actor=actor,
        now=now,
        template_id=template.id,
    )
    if not ended:
        raise CoopError(
            _("Member {number} holds no place in {code} after {date}.").format(
                number=member_number, code=template.code, date=format_date(last_day)
            )
        )
    account = service.open_account(session, member, settings=settings, actor=actor, now=now)
    service.recompute(session, account)
    return ended


def set_mode(
    session: Session,
    *,
    member_number: int,
    mode: WorkMode,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
) -> WorkMode:
    """Make a member flying or exempt (regular comes with a fixed slot: ``hold_slot``)."""
    member = service.worker(session, member_number)
    account = service.open_account(session, member, settings=settings, actor=actor, now=now)
    today = account.today
    if mode is WorkMode.REGULAR and not service.holds_slot(session, member.id, today):
        raise CoopError(
            _("Member {number} holds no fixed slot: give them one to make them regular.").format(
                number=member_number
            )
        )
    if mode is not WorkMode.REGULAR and service.holds_slot(session, member.id, today):
        raise CoopError(
            _("Member {number} holds a fixed slot: release it first.").format(number=member_number)
        )
    before = account.state.mode
    if before is mode:
        return mode
    service.apply_event(session, account, ChangeMode(on=today, mode=mode))
    if system_for(settings.policy).personal_cycles and mode is WorkMode.FLYING:
        account.row.cycle_origin = today  # the irregular countdown starts now
        account.row.cycles_until = max(account.row.cycles_until, today)
    service.recompute(session, account)
    audit.record(
        session,
        actor=actor,
        at=now,
        action="shift.mode",
        entity="member",
        entity_id=member.id,
        member_id=member.id,
        before={"mode": before.value},
        after={"mode": mode.value},
    )
    return mode


def set_skill(
    session: Session,
    *,
    member_number: int,
    role: str,
    actor: Actor,
    now: datetime,
    remove: bool = False,
) -> list[str]:
    """Give or take away a role (cashier, shift_leader...); returns the member's roles. Needs
    the right to manage shift skills (``coop.rights``): a cashier cannot make themselves a
    shift leader."""
    require(actor, Right.MANAGE_SKILLS, entity="member", entity_id=member_number)
    member = service.worker(session, member_number)
    role = normalise_role(role)
    held = role in skills_of(session, member.id)
    if remove and held:
        session.execute(
            delete(ShiftSkill).where(ShiftSkill.member_id == member.id, ShiftSkill.role == role)
        )
    elif not remove and not held:
        session.add(ShiftSkill(member_id=member.id, role=role))
    else:
        return skills_of(session, member.id)
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="shift.skill_remove" if remove else "shift.skill_add",
        entity="member",
        entity_id=member.id,
        member_id=member.id,
        after={"role": role},
    )
    return skills_of(session, member.id)


def normalise_role(value: str) -> str:
    import re

    from coop.text import fold

    role = re.sub(r"[\s\-]+", "_", fold(value.strip()))
    if not re.fullmatch(r"[a-z0-9_]{1,40}", role):
        raise InvalidInput(
            [Problem(_("“{value}” is not a role name (letters, digits, _)").format(value=value))]
        )
    return role


def restore_holder_bookings(
    session: Session,
    member_id: int,
    *,
    first: date,
    last: date | None,
    actor: Actor,
    now: datetime,
) -> int:
    """Book a member back on their fixed-slot shifts between two dates (after a leave)."""
    holdings = session.scalars(
        select(ShiftHolding).where(
            ShiftHolding.member_id == member_id,
            or_(ShiftHolding.ends_on.is_(None), ShiftHolding.ends_on >= first),
        )
    ).all()
    restored = 0
    for holding in holdings:
        start = max(first, holding.starts_on)
        restored += book_holder(session, holding, first=start, last=last, actor=actor, now=now)
    return restored


def shift_day_range(session: Session) -> tuple[date | None, date | None]:
    first, last = session.execute(select(func.min(Shift.day), func.max(Shift.day))).one()
    return first, last
