"""Planning help for the shift coordinators: under-staffed shifts, and how the work is shared.

Burnout of the few who carry everything is what kills volunteer groups, so the load report
shows what share of all the shifts worked the most active tenth of the members did, who is far
above or below what they owe, and which templates rest on the same few people.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop.config import ShiftSettings
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.members.models import Member
from coop.shifts.models import (
    Shift,
    ShiftAttendance,
    ShiftCycle,
    ShiftSeat,
    ShiftTemplate,
    core_table,
)
from coop.shifts.policy import AttendanceState

if TYPE_CHECKING:
    from coop.shifts.desk import ShiftText


@dataclass(frozen=True)
class Staffing:
    shift_id: int
    day: date
    starts_at: datetime
    name: str
    seats: int
    taken: int
    missing_roles: tuple[str, ...]

    @property
    def free(self) -> int:
        return self.seats - self.taken


def understaffed(
    session: Session, *, now: datetime, days: int = 14, minimum_share: float = 1.0
) -> list[Staffing]:
    """Shifts starting in the next ``days`` days with a free place (fewer than ``minimum_share``
    of the places taken) or a required role nobody took, soonest first."""
    if days < 0:
        raise InvalidInput([Problem(_("must be at least {n}").format(n=0), column="--days")])
    until = now + timedelta(days=days)
    seats = core_table(ShiftSeat)
    rows = session.execute(
        select(
            Shift.id,
            Shift.day,
            Shift.starts_at,
            Shift.name,
            func.count(seats.c.id).label("seats"),
            func.count(seats.c.member_id).label("taken"),
        )
        .join(seats, seats.c.shift_id == Shift.id)
        .where(Shift.cancelled_at.is_(None), Shift.starts_at >= now, Shift.starts_at < until)
        .group_by(Shift.id, Shift.day, Shift.starts_at, Shift.name)
        .order_by(Shift.starts_at, Shift.id)
    ).all()
    empty_roles: dict[int, list[str]] = defaultdict(list)
    for shift_id, role in session.execute(
        select(seats.c.shift_id, seats.c.role)
        .join(Shift, Shift.id == seats.c.shift_id)
        .where(
            Shift.cancelled_at.is_(None),
            Shift.starts_at >= now,
            Shift.starts_at < until,
            seats.c.role.is_not(None),
            seats.c.member_id.is_(None),
        )
    ):
        empty_roles[shift_id].append(role)
    result = []
    for row in rows:
        missing = tuple(sorted(empty_roles.get(row.id, [])))
        if row.taken < row.seats * minimum_share or missing:
            result.append(
                Staffing(row.id, row.day, row.starts_at, row.name, row.seats, row.taken, missing)
            )
    return result


@dataclass
class LoadReport:
    first: date
    last: date
    shifts_worked: int = 0
    workers: int = 0
    members_due: int = 0
    top_tenth_share: float = 0.0
    """Share of all the shifts worked that the most active 10 % of the workers did."""
    above_due: list[dict[str, object]] = field(default_factory=list)
    below_due: list[dict[str, object]] = field(default_factory=list)
    concentrated: list[dict[str, object]] = field(default_factory=list)
    """Templates where two people did at least ``concentration`` of the shifts worked."""


def load(
    session: Session,
    *,
    first: date,
    last: date,
    settings: ShiftSettings,
    far: int = 2,
    concentration: float = 2 / 3,
) -> LoadReport:
    """How the shifts worked between two dates were shared (see the module docstring).

    "Due" is the number of cycles that started for the member in the period (one shift each);
    a member is far above (below) it when they worked ``far`` shifts more (fewer) than due.
    """
    if last < first:
        raise InvalidInput([Problem(_("the end date is before the start date"), column="--to")])
    report = LoadReport(first, last)
    attended = session.execute(
        select(ShiftAttendance.member_id, Shift.template_id)
        .join(Shift, Shift.id == ShiftAttendance.shift_id)
        .where(
            ShiftAttendance.state == AttendanceState.ATTENDED.value,
            Shift.day >= first,
            Shift.day <= last,
        )
    ).all()
    worked: Counter[int] = Counter(member_id for member_id, _t in attended)
    due: dict[int, int] = dict(
        session.execute(
            select(ShiftCycle.member_id, func.count(ShiftCycle.id))
            .where(
                ShiftCycle.starts_on >= first,
                ShiftCycle.starts_on <= last,
                ShiftCycle.owed.is_(True),
            )
            .group_by(ShiftCycle.member_id)
        ).all()
    )
    report.shifts_worked = sum(worked.values())
    report.workers = len(worked)
    report.members_due = len(due)
    if worked:
        counts = sorted(worked.values(), reverse=True)
        top = max(1, len(counts) // 10)
        report.top_tenth_share = round(sum(counts[:top]) / report.shifts_worked, 3)
    numbers = dict(session.execute(select(Member.id, Member.number)).all())
    names = {
        member_id: f"{first_name} {last_name}"
        for member_id, first_name, last_name in session.execute(
            select(Member.id, Member.first_name, Member.last_name).where(
                Member.id.in_(set(worked) | set(due))
            )
        )
    }
    for member_id in sorted(set(worked) | set(due), key=lambda m: numbers[m]):
        done, owed = worked.get(member_id, 0), due.get(member_id, 0)
        row = {
            "number": numbers[member_id],
            "name": names.get(member_id, ""),
            "worked": done,
            "due": owed,
        }
        if done - owed >= far:
            report.above_due.append(row)
        elif owed - done >= far:
            report.below_due.append(row)
    by_template: dict[int, Counter[int]] = defaultdict(Counter)
    for member_id, template_id in attended:
        if template_id is not None:
            by_template[template_id][member_id] += 1
    codes = dict(session.execute(select(ShiftTemplate.id, ShiftTemplate.code)).all())
    for template_id, people in sorted(by_template.items(), key=lambda item: codes[item[0]]):
        total = sum(people.values())
        two = sum(count for _m, count in people.most_common(2))
        if total >= 4 and two / total >= concentration:
            report.concentrated.append(
                {
                    "template": codes[template_id],
                    "shifts_worked": total,
                    "people": len(people),
                    "top_two": [numbers[m] for m, _c in people.most_common(2)],
                    "top_two_share": round(two / total, 3),
                }
            )
    return report


@dataclass(frozen=True)
class PersonOnShift:
    """Someone booked on a shift: member number, name, attendance state and kind of booking."""

    number: int
    name: str
    state: str
    kind: str
    has_seat: bool


@dataclass(frozen=True)
class ShiftRow:
    """A shift of a period with its places and people: what ``coop shifts list`` prints and the
    shift desk and the week calendar show."""

    shift: ShiftText
    week: str | None
    seats: int
    taken: int
    roles: tuple[str, ...]
    cancelled: bool
    cancel_reason: str | None
    changed_by_hand: bool
    people: tuple[PersonOnShift, ...]

    @property
    def free(self) -> int:
        return self.seats - self.taken

    def as_dict(self) -> dict[str, Any]:
        """The JSON ``coop shifts list --json`` prints."""
        return {
            **self.shift.as_dict(),
            "week": self.week,
            "seats": self.seats,
            "taken": self.taken,
            "roles": list(self.roles),
            "cancelled": self.cancelled,
            "cancel_reason": self.cancel_reason,
            "changed_by_hand": self.changed_by_hand,
            "people": [asdict(person) for person in self.people],
        }


def shift_rows(session: Session, first: date, last: date) -> list[ShiftRow]:
    """The shifts of a period with their places and people, in order of their start."""
    from coop.shifts.desk import shift_text

    shifts = session.scalars(
        select(Shift).where(Shift.day >= first, Shift.day <= last).order_by(Shift.starts_at)
    ).all()
    people: dict[int, list[PersonOnShift]] = {}
    if shifts:
        for shift_id, number, first_name, last_name, state, kind, seat in session.execute(
            select(
                ShiftAttendance.shift_id,
                Member.number,
                Member.first_name,
                Member.last_name,
                ShiftAttendance.state,
                ShiftAttendance.kind,
                ShiftAttendance.seat_id,
            )
            .join(Member, Member.id == ShiftAttendance.member_id)
            .where(ShiftAttendance.shift_id.in_([s.id for s in shifts]))
            .order_by(ShiftAttendance.id)
        ):
            people.setdefault(shift_id, []).append(
                PersonOnShift(number, f"{first_name} {last_name}", state, kind, seat is not None)
            )
    rows = []
    for shift in shifts:
        seats = shift.seats_list
        rows.append(
            ShiftRow(
                shift=shift_text(shift),
                week=shift.week_letter,
                seats=len(seats),
                taken=sum(1 for s in seats if s.member_id is not None),
                roles=tuple(s.role for s in seats if s.role),
                cancelled=shift.cancelled,
                cancel_reason=shift.cancel_reason,
                changed_by_hand=shift.changed_by_hand,
                people=tuple(people.get(shift.id, ())),
            )
        )
    return rows
