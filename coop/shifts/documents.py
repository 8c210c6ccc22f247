"""Printed shift documents: the day's sign-in sheet and a volunteer-hours attestation.

``sign_in_sheet`` lists each shift of a day with the people booked (sorted by name, accents
ignored), their role and kind of booking, and blank rows for walk-ins and free seats;
``hours_attestation`` sums the shifts a member attended over a period (what associations are
asked for, and what values volunteers' work). ``status_list`` is the paper list of who may shop
on a day (the fallback when the terminal is down), from the desk check's verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.clock import SHOP_TIMEZONE
from coop.config import Settings
from coop.dates import format_date
from coop.documents import Letterhead, address_lines, by_name, letterhead
from coop.errors import CoopError
from coop.i18n import _
from coop.members import service as members
from coop.members.documents import current_on
from coop.members.models import Member, MemberCard
from coop.shifts import rules, words
from coop.shifts.facts import facts_for
from coop.shifts.history import statuses
from coop.shifts.models import Shift, ShiftAttendance, ShiftSeat
from coop.shifts.policy import Status
from coop.shifts.rules import MemberState

WALK_IN_ROWS = 2
"""Blank rows printed under each shift beyond its free seats, for walk-ins."""


def kind_text(kind: str) -> str:
    return {
        "regular": _("regular"),
        "flying": _("flying"),
        "makeup": _("make-up"),
        "walk_in": _("walk-in"),
    }.get(kind, kind)


def role_text(role: str | None) -> str:
    """A seat's role in words (roles are codes the coop chooses; unknown ones shown as typed)."""
    return words.role(role)


@dataclass(frozen=True)
class SignInRow:
    number: int
    name: str
    role: str
    kind: str
    phone: str


@dataclass(frozen=True)
class SignInShift:
    name: str
    starts: str
    """ "09:00" in the shop's time."""
    ends: str
    seats: int
    rows: tuple[SignInRow, ...]
    blank_rows: int


@dataclass(frozen=True)
class SignInSheet:
    letterhead: Letterhead
    day: date
    shifts: tuple[SignInShift, ...]
    printed_at: datetime


def sign_in_sheet(
    session: Session, day: date, *, settings: object, printed_at: datetime
) -> SignInSheet:
    """The day's shifts (cancelled ones left out) with who is booked; no shift is refused."""
    shifts = list(
        session.scalars(
            select(Shift)
            .where(Shift.day == day, Shift.cancelled_at.is_(None))
            .order_by(Shift.starts_at, Shift.name, Shift.id)
        )
    )
    if not shifts:
        raise CoopError(
            _("There is no shift on {day}: nothing to print.").format(day=format_date(day, "full"))
        )
    ids = [shift.id for shift in shifts]
    booked = session.execute(
        select(ShiftAttendance, Member, ShiftSeat.role)
        .join(Member, Member.id == ShiftAttendance.member_id)
        .outerjoin(ShiftSeat, ShiftSeat.id == ShiftAttendance.seat_id)
        .where(ShiftAttendance.shift_id.in_(ids), ShiftAttendance.state != "cancelled")
    ).all()
    seat_counts: dict[int, int] = {}
    for shift_id, _seat in session.execute(
        select(ShiftSeat.shift_id, ShiftSeat.id).where(ShiftSeat.shift_id.in_(ids))
    ):
        seat_counts[shift_id] = seat_counts.get(shift_id, 0) + 1
    by_shift: dict[int, list[tuple[str, SignInRow]]] = {shift_id: [] for shift_id in ids}
    for attendance, member, role in booked:
        by_shift[attendance.shift_id].append(
            (
                f"{member.last_name} {member.first_name}",
                SignInRow(
                    number=member.number,
                    name=member.full_name,
                    role=role_text(role),
                    kind=kind_text(attendance.kind),
                    phone=member.phone or "",
                ),
            )
        )
    printed: list[SignInShift] = []
    for shift in shifts:
        rows = [row for _key, row in by_name(by_shift[shift.id], lambda pair: pair[0])]
        count = seat_counts.get(shift.id, 0)
        printed.append(
            SignInShift(
                name=shift.name,
                starts=f"{shift.starts_at.astimezone(SHOP_TIMEZONE):%H:%M}",
                ends=f"{shift.ends_at.astimezone(SHOP_TIMEZONE):%H:%M}",
                seats=count,
                rows=tuple(rows),
                blank_rows=max(count - len(rows), 0) + WALK_IN_ROWS,
            )
        )
    return SignInSheet(
        letterhead=letterhead(settings), day=day, shifts=tuple(printed), printed_at=printed_at
    )


# -- volunteer-hours attestation ----------------------------------------------------------------


@dataclass(frozen=True)
class AttendedShift:
    day: date
    name: str
    starts: str
    ends: str
    minutes: int


@dataclass(frozen=True)
class HoursAttestation:
    letterhead: Letterhead
    member_number: int
    member_name: str
    address: tuple[str, ...]
    start: date
    end: date
    shifts: tuple[AttendedShift, ...]
    printed_at: datetime
    signed_at: str = ""
    """The town printed before the date of signature ("Fait à Lyon"), from the coop's address."""

    @property
    def total_minutes(self) -> int:
        return sum(shift.minutes for shift in self.shifts)


def hours_text(minutes: int) -> str:
    """ "7 h 30" (French style; hours may pass 24)."""
    hours, rest = divmod(minutes, 60)
    return f"{hours}\u00a0h\u00a0{rest:02d}" if rest else f"{hours}\u00a0h"


def hours_attestation(
    session: Session,
    member_number: int,
    start: date,
    end: date,
    *,
    settings: object,
    printed_at: datetime,
) -> HoursAttestation:
    """The shifts a member attended from ``start`` to ``end`` (inclusive), with their hours."""
    if end < start:
        raise CoopError(
            _("The period ends ({end}) before it starts ({start}).").format(
                end=format_date(end), start=format_date(start)
            )
        )
    member = members.get_by_number(session, member_number)
    rows = session.execute(
        select(Shift)
        .join(ShiftAttendance, ShiftAttendance.shift_id == Shift.id)
        .where(
            ShiftAttendance.member_id == member.id,
            ShiftAttendance.state == "attended",
            Shift.day >= start,
            Shift.day <= end,
        )
        .order_by(Shift.starts_at, Shift.id)
    ).scalars()
    shifts = tuple(
        AttendedShift(
            day=shift.day,
            name=shift.name,
            starts=f"{shift.starts_at.astimezone(SHOP_TIMEZONE):%H:%M}",
            ends=f"{shift.ends_at.astimezone(SHOP_TIMEZONE):%H:%M}",
            minutes=int((shift.ends_at - shift.starts_at).total_seconds() // 60),
        )
        for shift in rows
    )
    if not shifts:
        raise CoopError(
            _("Member {number} attended no shift from {start} to {end}: nothing to attest.").format(
                number=member.number, start=format_date(start), end=format_date(end)
            )
        )
    head = letterhead(settings)
    town = head.city or (head.address[-1].split(" ", 1)[-1] if head.address else "")
    return HoursAttestation(
        letterhead=head,
        member_number=member.number,
        member_name=member.full_name,
        address=address_lines(member),
        start=start,
        end=end,
        shifts=shifts,
        printed_at=printed_at,
        signed_at=town,
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


def status_list(
    session: Session, day: date, *, settings: Settings, printed_at: datetime
) -> StatusList:
    """Every current member and associated person with whether they may shop on ``day``: the
    desk check's verdict (associated people shop on their household's main member)."""
    people = list(session.scalars(select(Member).where(*current_on(day))))
    cards = dict(
        session.execute(
            select(MemberCard.member_id, MemberCard.barcode).where(MemberCard.ended_on.is_(None))
        ).all()
    )
    # the desk check's verdict for everyone at once (``desk.check`` reads one member)
    policy = settings.shifts.policy
    checks = {
        row.member_id: row.check
        for row in statuses(session, at=day, settings=settings.shifts)
        if row.check is not None
    }
    by_id = {person.id: person for person in people}
    missing = {p.main_member_id for p in people if p.main_member_id} - by_id.keys()
    if missing:  # a household whose main member left: the desk refuses too
        by_id.update(
            (member.id, member)
            for member in session.scalars(select(Member).where(Member.id.in_(sorted(missing))))
        )

    def verdict(main: Member) -> tuple[bool, str, str]:
        check = checks.get(main.id)
        if check is None:  # not enrolled in the shifts (yet): what the desk says of a newcomer
            facts = facts_for(main.joined_on, main.left_on, day)
            state = MemberState(mode=settings.shifts.new_member_mode)
            check = rules.check(policy, state, facts, day)
        up_to_date = check.status is Status.UP_TO_DATE
        note = "" if up_to_date else words.summary(policy, check.counters, check.fix_by)
        return check.can_shop, words.status(check.status), note

    rows = []
    for person in people:
        main = by_id[person.main_member_id] if person.main_member_id else person
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
