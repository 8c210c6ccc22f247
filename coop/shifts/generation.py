"""Templates become shifts: idempotent generation, template edits, public holidays, closures.

``generate`` creates the shifts of every template in a date range (with python-dateutil, in
``coop.shifts.calendar``), books the holders of each template's fixed places, and brings the
future shifts nobody edited by hand back in line with their template (times, name, seats,
roles; a date the template no longer covers is removed, or cancelled if people were booked).
Running it twice creates nothing new. A date on a French public holiday (if the coop closes on
them) or inside a closure gets its shift cancelled: fixed-slot holders are then treated by the
policy's rule for a shift the coop cancels (excused or cancelled), flying bookings are released.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, literal, or_, select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.clock import local_date
from coop.config import ShiftSettings
from coop.db import UTCDateTime, refresh_statistics
from coop.errors import CoopError, InvalidInput, Problem
from coop.i18n import _
from coop.members.models import Member
from coop.shifts import calendar, service, words
from coop.shifts.cancelling import apply_cancellation
from coop.shifts.models import (
    Shift,
    ShiftAttendance,
    ShiftClosure,
    ShiftHolding,
    ShiftLeave,
    ShiftMemberState,
    ShiftSeat,
    ShiftTemplate,
    core_table,
)
from coop.shifts.policy import AttendanceState

PENDING = AttendanceState.PENDING.value


@dataclass
class GenerationReport:
    first: date
    last: date
    created: int = 0
    updated: int = 0
    removed: int = 0
    cancelled: int = 0
    unchanged: int = 0
    holders_booked: int = 0
    closed: int = 0
    """Created on a public holiday or inside a closure, and so cancelled."""


def calendar_template(template: ShiftTemplate) -> calendar.ShiftTemplate:
    return calendar.ShiftTemplate(
        weekday=template.weekday,
        start=template.start_time,
        end=template.end_time,
        letter=template.week_letter,
        valid_from=template.valid_from,
        valid_until=template.valid_until,
    )


def _closures(session: Session, first: date, last: date) -> dict[calendar.Closure, int]:
    rows = session.scalars(
        select(ShiftClosure).where(ShiftClosure.starts_on <= last, ShiftClosure.ends_on >= first)
    )
    return {
        calendar.Closure(row.starts_on, row.ends_on, row.makeups, row.label): row.id for row in rows
    }


def generate(
    session: Session,
    *,
    first: date,
    last: date,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
    template_ids: list[int] | None = None,
) -> GenerationReport:
    """Create the shifts of ``[first, last]``; see the module docstring."""
    if last < first:
        raise InvalidInput([Problem(_("the end date is before the start date"), column="--to")])
    policy = settings.policy
    today = local_date(now)
    report = GenerationReport(first, last)
    query = select(ShiftTemplate).order_by(ShiftTemplate.id)
    if template_ids is not None:
        query = query.where(ShiftTemplate.id.in_(template_ids))
    templates = list(session.scalars(query))
    if not templates:
        return report
    by_id = {t.id: t for t in templates}
    wanted: dict[tuple[int, date], tuple[ShiftTemplate, calendar.Occurrence]] = {}
    for template in templates:
        try:
            found = calendar.occurrences(
                calendar_template(template),
                first,
                last,
                anchor=policy.week_anchor,
                weeks=policy.cycle_weeks,
            )
        except ValueError as error:
            raise CoopError(
                _("Template {code} cannot be generated: {reason}").format(
                    code=template.code, reason=error
                )
            ) from error
        for occurrence in found:
            wanted[(template.id, occurrence.day)] = (template, occurrence)
    existing = {
        (row.template_id, row.day): row
        for row in session.execute(
            select(
                Shift.id,
                Shift.template_id,
                Shift.day,
                Shift.starts_at,
                Shift.ends_at,
                Shift.name,
                Shift.credit,
                Shift.week_letter,
                Shift.changed_by_hand,
                Shift.cancelled_at,
            ).where(
                Shift.template_id.in_(list(by_id)),
                Shift.day >= first,
                Shift.day <= last,
            )
        )
    }
    closures = _closures(session, first, last)
    blocked = calendar.blocked_days(
        {day for _t, day in wanted},
        closures,
        holidays=settings.public_holidays,
        alsace_moselle=settings.alsace_moselle,
    )
    new_keys = sorted((key for key in wanted if key not in existing), key=lambda k: (k[1], k[0]))
    _create(session, new_keys, wanted, blocked, closures, report, actor=actor, now=now)
    _follow_templates(session, existing, wanted, today, report, now)
    for key, row in existing.items():
        if (
            key not in wanted
            and not row.changed_by_hand
            and row.day >= today
            and row.cancelled_at is None
        ):
            dropped = session.get(Shift, row.id)
            assert dropped is not None
            _drop(session, dropped, settings, report, actor=actor, now=now)
    if report.created or report.updated or report.removed or report.cancelled:
        audit.record(
            session,
            actor=actor,
            at=now,
            action="shifts.generate",
            entity="shifts",
            entity_id=f"{first.isoformat()}..{last.isoformat()}",
            after={
                "created": report.created,
                "updated": report.updated,
                "removed": report.removed,
                "cancelled": report.cancelled,
                "closed": report.closed,
            },
        )
    # Holders on a closed day: the policy's rule for a shift the coop cancels.
    closed = session.scalars(
        select(Shift).where(
            Shift.id.in_(select(ShiftAttendance.shift_id).where(ShiftAttendance.state == PENDING)),
            Shift.cancelled_at.is_not(None),
            Shift.day >= first,
            Shift.day <= last,
        )
    ).all()
    apply_cancellation(session, list(closed), settings=settings, actor=actor, now=now)
    return report


def _create(
    session: Session,
    keys: list[tuple[int, date]],
    wanted: dict[tuple[int, date], tuple[ShiftTemplate, calendar.Occurrence]],
    blocked: dict[date, calendar.Blocked],
    closures: dict[calendar.Closure, int],
    report: GenerationReport,
    *,
    actor: Actor,
    now: datetime,
) -> None:
    """Bulk insert: shifts, then their seats with the holders in them, then the bookings."""
    if not keys:
        return
    rows: list[dict[str, Any]] = []
    for key in keys:
        template, occurrence = wanted[key]
        why = blocked.get(occurrence.day)
        reason = holiday = closure_id = None
        if why is not None:
            if why.closures:
                closure = why.closures[0]
                closure_id = closures[closure]
                reason = closure.label
            if why.holidays:
                holiday = why.holidays[0].value
                reason = reason or words.holiday(holiday)
            report.closed += 1
        rows.append(
            {
                "template_id": template.id,
                "day": occurrence.day,
                "starts_at": occurrence.start,
                "ends_at": occurrence.end,
                "week_letter": template.week_letter,
                "name": template.name,
                "credit": template.credit,
                "cancelled_at": now if why is not None else None,
                "cancel_reason": reason,
                "closure_id": closure_id,
                "holiday": holiday,
                "changed_by_hand": False,
                "booking_version": 0,
                "created_at": now,
                "updated_at": now,
            }
        )
    session.execute(insert(core_table(Shift)), rows)
    report.created += len(rows)
    first = min(day for _t, day in keys)
    last = max(day for _t, day in keys)
    template_ids = sorted({t for t, _d in keys})
    ids = {
        (template_id, day): shift_id
        for shift_id, template_id, day in session.execute(
            select(Shift.id, Shift.template_id, Shift.day).where(
                Shift.template_id.in_(template_ids), Shift.day >= first, Shift.day <= last
            )
        )
    }
    holders = _holders(session, template_ids, first, last)
    seats: list[dict[str, Any]] = []
    bookings: list[dict[str, Any]] = []
    for key in keys:
        template, occurrence = wanted[key]
        roles = template.role_list
        seat_roles: list[str | None] = [
            roles[i] if i < len(roles) else None for i in range(template.seats)
        ]
        taken: dict[int, int] = {}
        for holding in holders.get(template.id, []):
            if not holding.covers(occurrence.day) or holding.is_away(occurrence.day):
                continue
            position = next(
                (
                    i + 1
                    for i, role in enumerate(seat_roles)
                    if role == holding.role and (i + 1) not in taken
                ),
                None,
            )
            if position is None:
                continue
            taken[position] = holding.member_id
            bookings.append({"key": key, "position": position, "holding": holding})
        shift_id = ids[key]
        seats.extend(
            {
                "shift_id": shift_id,
                "position": position,
                "role": role,
                "member_id": taken.get(position),
                "changed_by_hand": False,
            }
            for position, role in enumerate(seat_roles, 1)
        )
    session.execute(insert(core_table(ShiftSeat)), seats)
    if not bookings:
        return
    if len(seats) > 1000:
        refresh_statistics(session, "shifts", "shift_seats")
    # The holders' bookings with INSERT … SELECT: from the seats just filled, joined to the
    # holding that put each member there (one per member and template at a time). Restricted
    # to the new shifts by id: nobody can be booked on them yet.
    seat, shift, held = (core_table(ShiftSeat), core_table(Shift), core_table(ShiftHolding))
    attendance = core_table(ShiftAttendance)
    new_ids = sorted({ids[b["key"]] for b in bookings})
    for chunk in range(0, len(new_ids), 5000):
        filled = (
            select(
                seat.c.shift_id,
                seat.c.member_id,
                seat.c.id,
                literal("regular"),
                literal(True),
                held.c.id,
                literal(PENDING),
                literal(now, UTCDateTime()),
                literal(actor.recorded),
            )
            .join(shift, shift.c.id == seat.c.shift_id)
            .join(
                held,
                (held.c.template_id == shift.c.template_id)
                & (held.c.member_id == seat.c.member_id)
                & (held.c.starts_on <= shift.c.day)
                & (held.c.ends_on.is_(None) | (held.c.ends_on >= shift.c.day)),
            )
            .where(
                seat.c.shift_id.in_(new_ids[chunk : chunk + 5000]),
                seat.c.member_id.is_not(None),
            )
        )
        session.execute(
            attendance.insert().from_select(
                [
                    "shift_id",
                    "member_id",
                    "seat_id",
                    "kind",
                    "from_template",
                    "holding_id",
                    "state",
                    "booked_at",
                    "booked_by",
                ],
                filled,
            )
        )
    report.holders_booked += len(bookings)


@dataclass(frozen=True)
class _Holder:
    id: int
    member_id: int
    role: str | None
    starts_on: date
    ends_on: date | None
    away: tuple[tuple[date, date | None], ...]
    """Leaves of the member and the day after they left the coop (open-ended)."""

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def is_away(self, day: date) -> bool:
        return any(start <= day and (end is None or day <= end) for start, end in self.away)


def _holders(
    session: Session, template_ids: list[int], first: date, last: date
) -> dict[int, list[_Holder]]:
    rows = session.execute(
        select(ShiftHolding, Member.left_on)
        .join(Member, Member.id == ShiftHolding.member_id)
        .where(
            ShiftHolding.template_id.in_(template_ids),
            ShiftHolding.starts_on <= last,
            or_(ShiftHolding.ends_on.is_(None), ShiftHolding.ends_on >= first),
        )
        .order_by(ShiftHolding.starts_on, ShiftHolding.id)
    ).all()
    member_ids = {holding.member_id for holding, _left in rows}
    leaves: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for member_id, start, end in session.execute(
        select(ShiftLeave.member_id, ShiftLeave.starts_on, ShiftLeave.ends_on).where(
            ShiftLeave.member_id.in_(member_ids),
            ShiftLeave.cancelled.is_(False),
            ShiftLeave.starts_on <= last,
            or_(ShiftLeave.ends_on.is_(None), ShiftLeave.ends_on >= first),
        )
    ):
        leaves[member_id].append((start, end))
    frozen: dict[int, date] = {
        member_id: since
        for member_id, since in session.execute(
            select(ShiftMemberState.member_id, ShiftMemberState.frozen_since).where(
                ShiftMemberState.member_id.in_(member_ids),
                ShiftMemberState.frozen_since.is_not(None),
            )
        )
        if since is not None
    }
    result: dict[int, list[_Holder]] = defaultdict(list)
    for holding, left_on in rows:
        away = list(leaves.get(holding.member_id, []))
        if left_on is not None:
            away.append((left_on, None))
        if holding.member_id in frozen:
            away.append((frozen[holding.member_id], None))
        result[holding.template_id].append(
            _Holder(
                holding.id,
                holding.member_id,
                holding.role,
                holding.starts_on,
                holding.ends_on,
                tuple(away),
            )
        )
    return result


def _follow_templates(
    session: Session,
    existing: dict[tuple[int, date], Any],
    wanted: dict[tuple[int, date], tuple[ShiftTemplate, calendar.Occurrence]],
    today: date,
    report: GenerationReport,
    now: datetime,
) -> None:
    """Bring the future shifts nobody edited back in line with their (edited) template: times,
    name, credit, places and the roles of free places. Set-based: compared in Python, written
    with one executemany per kind of change."""
    candidates = {}
    for key, row in existing.items():
        if key not in wanted:
            continue
        if row.changed_by_hand or row.day < today or row.cancelled_at is not None:
            report.unchanged += 1
        else:
            candidates[row.id] = (row, *wanted[key])
    if not candidates:
        return
    seats_by_shift: dict[int, list[Any]] = defaultdict(list)
    table = core_table(ShiftSeat)
    for seat in session.execute(
        select(
            table.c.id,
            table.c.shift_id,
            table.c.position,
            table.c.role,
            table.c.member_id,
            table.c.changed_by_hand,
        ).where(table.c.shift_id.in_(list(candidates)))
    ):
        seats_by_shift[seat.shift_id].append(seat)
    shift_updates: list[dict[str, Any]] = []
    role_updates: list[dict[str, Any]] = []
    new_seats: list[dict[str, Any]] = []
    gone: list[int] = []
    for shift_id, (row, template, occurrence) in candidates.items():
        wanted_values = {
            "starts_at": occurrence.start,
            "ends_at": occurrence.end,
            "name": template.name,
            "credit": template.credit,
            "week_letter": template.week_letter,
        }
        changed = any(getattr(row, k) != v for k, v in wanted_values.items())
        if changed:
            shift_updates.append({"_id": shift_id, **wanted_values, "updated_at": now})
        if _follow_seats(
            shift_id, template, seats_by_shift[shift_id], role_updates, new_seats, gone
        ):
            changed = True
        if changed:
            report.updated += 1
            if not any(u["_id"] == shift_id for u in shift_updates[-1:]):
                shift_updates.append({"_id": shift_id, "updated_at": now})
        else:
            report.unchanged += 1
    _write_follow(session, shift_updates, role_updates, gone, new_seats)
    session.expire_all()


def _follow_seats(
    shift_id: int,
    template: ShiftTemplate,
    seats: list[Any],
    role_updates: list[dict[str, Any]],
    new_seats: list[dict[str, Any]],
    gone: list[int],
) -> bool:
    """Queue the seat changes that bring a shift's free places in line with its template;
    True when there is any."""
    changed = False
    roles = template.role_list
    positions = {seat.position for seat in seats}
    for seat in seats:
        role = roles[seat.position - 1] if seat.position <= len(roles) else None
        if seat.position > template.seats:
            if seat.member_id is None and not seat.changed_by_hand:
                gone.append(seat.id)
                changed = True
        elif not seat.changed_by_hand and seat.member_id is None and seat.role != role:
            role_updates.append({"_id": seat.id, "role": role})
            changed = True
    for position in range(1, template.seats + 1):
        if position not in positions:
            new_seats.append(
                {
                    "shift_id": shift_id,
                    "position": position,
                    "role": roles[position - 1] if position <= len(roles) else None,
                    "member_id": None,
                    "changed_by_hand": False,
                }
            )
            changed = True
    return changed


def _write_follow(
    session: Session,
    shift_updates: list[dict[str, Any]],
    role_updates: list[dict[str, Any]],
    gone: list[int],
    new_seats: list[dict[str, Any]],
) -> None:
    """One executemany per kind of change (and per shape of shift update)."""
    table = core_table(ShiftSeat)
    shifts_table = core_table(Shift)
    by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for values in shift_updates:
        by_shape[tuple(sorted(values))].append(values)
    for shape, rows in by_shape.items():
        session.execute(
            shifts_table.update()
            .where(shifts_table.c.id == bindparam("_id"))
            .values({name: bindparam(name) for name in shape if name != "_id"}),
            rows,
        )
    if role_updates:
        session.execute(
            table.update().where(table.c.id == bindparam("_id")).values(role=bindparam("role")),
            role_updates,
        )
    if gone:
        session.execute(table.delete().where(table.c.id.in_(gone)))
    if new_seats:
        session.execute(insert(table), new_seats)


def _drop(
    session: Session,
    shift: Shift,
    settings: ShiftSettings,
    report: GenerationReport,
    *,
    actor: Actor,
    now: datetime,
) -> None:
    """A date the template no longer covers: removed, or cancelled if anyone was booked."""
    booked = session.scalar(
        select(ShiftAttendance.id).where(ShiftAttendance.shift_id == shift.id).limit(1)
    )
    if booked is None:
        session.execute(delete(ShiftSeat).where(ShiftSeat.shift_id == shift.id))
        session.execute(delete(Shift).where(Shift.id == shift.id))
        report.removed += 1
        return
    shift.cancelled_at = now
    shift.cancel_reason = _("template changed")
    shift.updated_at = now
    ids = list(
        session.scalars(
            select(ShiftAttendance.id).where(
                ShiftAttendance.shift_id == shift.id, ShiftAttendance.state == PENDING
            )
        )
    )
    service.release_attendances(session, ids, reason="template_changed", actor=actor, now=now)
    report.cancelled += 1
