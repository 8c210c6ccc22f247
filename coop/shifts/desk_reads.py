"""The welcome desk's reads: everything one check needs in three Core statements.

``desk.check`` runs at every scan, at the desk and at the till (``basket_service.set_member``),
so its reads are plain SELECTs on the tables, never ORM loads (no identity map, no mapper
set-up: issue 18, target 7): who was scanned (by member number or card), the household with
its main member's cached shift state, whether they hold a fixed slot and how many shifts they
have booked in the make-up window, then their bookings to come. The rows come back as typed
values; the rules stay in ``desk`` and ``shifts.rules``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, null, or_, select
from sqlalchemy.orm import Session

from coop.db import table_of
from coop.errors import CoopError, NotFound
from coop.i18n import _
from coop.members.models import Member, MemberCard
from coop.shifts.facts import upcoming_window
from coop.shifts.policy import AttendanceState, ShiftPolicy
from coop.shifts.records import STATE_FIELDS
from coop.shifts.tables import ATTENDANCES, HOLDINGS, MEMBER_STATES, SHIFTS

_MEMBERS = table_of(Member)
_CARDS = table_of(MemberCard)
_STATES = MEMBER_STATES  # Core tables only: a desk check maps no shift class
_HOLDINGS = HOLDINGS
_ATTENDANCES = ATTENDANCES
_SHIFTS = SHIFTS
_PERSON = (
    _MEMBERS.c.id,
    _MEMBERS.c.number,
    _MEMBERS.c.first_name,
    _MEMBERS.c.last_name,
    _MEMBERS.c.main_member_id,
    _MEMBERS.c.joined_on,
    _MEMBERS.c.left_on,
    _MEMBERS.c.welcome_on,
)


@dataclass(frozen=True)
class DeskMember:
    """A member's row as the desk reads it."""

    id: int
    number: int
    first_name: str
    last_name: str
    main_member_id: int | None
    joined_on: date
    left_on: date | None
    welcome_on: date | None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class ScannedCard:
    """The card scanned, when the desk was given a card."""

    ended_on: date | None
    end_reason: str | None


@dataclass(frozen=True)
class NextShift:
    """A shift booked and still to come (what ``desk.shift_text`` shows)."""

    id: int
    day: date
    starts_at: datetime
    ends_at: datetime
    name: str


@dataclass(frozen=True)
class DeskRows:
    """What one check read: the person scanned, their household's main member and household
    (main member first, then by number), the main member's cached state (None: none yet),
    whether they hold a fixed slot on the day and their shifts booked in the make-up window."""

    shopper: DeskMember
    member: DeskMember
    household: list[DeskMember]
    card: ScannedCard | None
    state: Mapping[str, Any] | None
    holds_slot: bool
    upcoming: int


def read(session: Session, query: str, *, day: date, policy: ShiftPolicy, digits: str) -> DeskRows:
    """The rows of one check of ``query`` (``digits``: it as scanned digits) on ``day``."""
    session.flush()  # what this transaction changed is read too, as the ORM's autoflush did
    connection = session.connection()
    card: ScannedCard | None = None
    found: Any
    if digits.isdigit() and len(digits) == 13:
        found = connection.execute(_by_card(), {"code": digits}).first()
        if found is None:
            raise NotFound(_("No member card has the number {barcode}.").format(barcode=digits))
        card = ScannedCard(found.card_ended_on, found.end_reason)
    elif re.fullmatch(r"\d{1,9}", digits):
        found = connection.execute(_by_number(), {"number": int(digits)}).first()
        if found is None:
            raise NotFound(_("No member has the number {number}.").format(number=int(digits)))
    else:
        raise CoopError(_("Scan a member card or type a member number."))
    shopper = DeskMember(*found[: len(_PERSON)])
    main_id = shopper.main_member_id or shopper.id
    first, last = upcoming_window(policy, day)
    values = {"main": main_id, "day": day, "first": first, "last": last}
    rows = connection.execute(_household(policy.freeze_threshold is not None), values).all()
    household = sorted(
        (DeskMember(*row[: len(_PERSON)]) for row in rows),
        key=lambda m: (m.id != main_id, m.number),
    )
    main = next(row for row in rows if row.id == main_id)
    state = None
    if main.state_mode is not None:
        state = {name: main._mapping[f"state_{name}"] for name in STATE_FIELDS}
    return DeskRows(
        shopper=shopper,
        member=household[0],
        household=household,
        card=card,
        state=state,
        holds_slot=main.holds_slot is not None,
        upcoming=int(main.upcoming or 0),
    )


# The statements are built once per process with bound parameters: building a SELECT costs
# more than running it on SQLite.


@cache
def _by_card() -> Select[Any]:
    return (
        select(*_PERSON, _CARDS.c.ended_on.label("card_ended_on"), _CARDS.c.end_reason)
        .join_from(_CARDS, _MEMBERS, _CARDS.c.member_id == _MEMBERS.c.id)
        .where(_CARDS.c.barcode == bindparam("code"))
    )


@cache
def _by_number() -> Select[Any]:
    return select(*_PERSON).where(_MEMBERS.c.number == bindparam("number"))


@cache
def _household(counts_upcoming: bool) -> Select[Any]:
    """The household of member ``:main``, each with their cached state, and whether ``:main``
    holds a fixed slot on ``:day`` and (``counts_upcoming``: the policy has a freeze) how many
    shifts they have booked from ``:first`` to ``:last``."""
    main = bindparam("main", type_=Integer)
    holding = (
        select(_HOLDINGS.c.id)
        .where(
            _HOLDINGS.c.member_id == main,
            or_(_HOLDINGS.c.ends_on.is_(None), _HOLDINGS.c.ends_on >= bindparam("day")),
        )
        .limit(1)
        .scalar_subquery()
    )
    upcoming: Any = null()
    if counts_upcoming:
        upcoming = (
            select(func.count(_ATTENDANCES.c.id))
            .join_from(_ATTENDANCES, _SHIFTS, _SHIFTS.c.id == _ATTENDANCES.c.shift_id)
            .where(
                _ATTENDANCES.c.member_id == main,
                _ATTENDANCES.c.state == AttendanceState.PENDING.value,
                _SHIFTS.c.day >= bindparam("first"),
                _SHIFTS.c.day <= bindparam("last"),
            )
            .scalar_subquery()
        )
    return (
        select(
            *_PERSON,
            *(_STATES.c[name].label(f"state_{name}") for name in STATE_FIELDS),
            holding.label("holds_slot"),
            upcoming.label("upcoming"),
        )
        .join_from(_MEMBERS, _STATES, _STATES.c.member_id == _MEMBERS.c.id, isouter=True)
        .where(or_(_MEMBERS.c.id == main, _MEMBERS.c.main_member_id == main))
    )


@cache
def _bookings_to_come() -> Select[Any]:
    return (
        select(*(_SHIFTS.c[name] for name in ("id", "day", "starts_at", "ends_at", "name")))
        .join_from(_ATTENDANCES, _SHIFTS, _SHIFTS.c.id == _ATTENDANCES.c.shift_id)
        .where(
            _ATTENDANCES.c.member_id == bindparam("member"),
            _ATTENDANCES.c.state == AttendanceState.PENDING.value,
            _SHIFTS.c.cancelled_at.is_(None),
            _SHIFTS.c.starts_at >= bindparam("after"),
        )
    )


def next_shift(session: Session, member_id: int, after: datetime) -> NextShift | None:
    """The member's next booked shift starting at or after ``after`` (as
    ``history.next_attendance``: no ORDER BY … LIMIT 1, see there why)."""
    rows = session.connection().execute(_bookings_to_come(), {"member": member_id, "after": after})
    found = min(rows, key=lambda row: (row.starts_at, row.id), default=None)
    return None if found is None else NextShift(*found)
