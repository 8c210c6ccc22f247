"""The shifts' tables a desk check and a booking read: templates, generated shifts and seats,
regular slots (holdings), bookings (attendances) and each member's cached figures.

They live apart from the ledger, state log, cycles, leaves, extensions, closures and skills
(``coop.shifts.models``, which re-exports these) so that a cash sale, whose desk check reads only
these, declares no other shift model (issue 18, target 5). See ``coop.shifts.models`` for how
the tables fit together.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.db import Base, UTCDateTime
from coop.shifts import tables
from coop.shifts.tables import core_table

__all__ = [
    "Shift",
    "ShiftAttendance",
    "ShiftHolding",
    "ShiftMemberState",
    "ShiftSeat",
    "ShiftTemplate",
    "core_table",
]


class ShiftTemplate(Base):
    """A repeating shift: week letter (None: every week), weekday, times, seats and roles."""

    __tablename__ = "shift_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    """What files and commands call it, e.g. ``A-MAR-09``."""
    name: Mapped[str] = mapped_column(String(120))
    week_letter: Mapped[str | None] = mapped_column(String(1))
    weekday: Mapped[int] = mapped_column(Integer)
    """0 = Monday ... 6 = Sunday."""
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    seats: Mapped[int] = mapped_column(Integer)
    roles: Mapped[str] = mapped_column(String(400), default="")
    """Roles required on the first seats, comma-separated (``shift_leader,cashier``); the other
    seats need none."""
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    credit: Mapped[int | None] = mapped_column(Integer)
    """Points for an extra shift done here; None: the policy's make-up credit."""
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("end_time > start_time", name="ends_after_start"),
        CheckConstraint("seats > 0", name="positive_seats"),
        CheckConstraint(
            "valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from",
            name="valid_dates",
        ),
        CheckConstraint("credit IS NULL OR credit >= 0", name="credit_not_negative"),
    )

    @property
    def role_list(self) -> list[str]:
        return [role for role in self.roles.split(",") if role]


class Shift(Base):
    """One concrete shift on one date (generated from a template, or added by hand)."""

    __table__ = tables.SHIFTS

    id: Mapped[int]
    template_id: Mapped[int | None]
    day: Mapped[date]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    week_letter: Mapped[str | None]
    name: Mapped[str]
    credit: Mapped[int | None]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None]
    closure_id: Mapped[int | None]
    holiday: Mapped[str | None]
    changed_by_hand: Mapped[bool]
    booking_version: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    template: Mapped[ShiftTemplate | None] = relationship()
    seats_list: Mapped[list[ShiftSeat]] = relationship(
        order_by="ShiftSeat.position", back_populates="shift"
    )

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


class ShiftSeat(Base):
    """One place on a shift; ``member_id`` is who occupies it now (None: free)."""

    __tablename__ = "shift_seats"

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    role: Mapped[str | None] = mapped_column(String(40))
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    changed_by_hand: Mapped[bool] = mapped_column(Boolean, default=False)

    shift: Mapped[Shift] = relationship(back_populates="seats_list")

    __table_args__ = (
        UniqueConstraint("shift_id", "position"),
        CheckConstraint("position > 0", name="positive_position"),
    )


class ShiftHolding(Base):
    """A regular member's place in a template (ABCD team), from one date to another."""

    __table__ = tables.HOLDINGS

    id: Mapped[int]
    member_id: Mapped[int]
    template_id: Mapped[int]
    role: Mapped[str | None]
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    end_reason: Mapped[str | None]
    created_at: Mapped[datetime]
    created_by: Mapped[str]

    template: Mapped[ShiftTemplate] = relationship()

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class ShiftAttendance(Base):
    """One member booked on one shift, and what became of it."""

    __table__ = tables.ATTENDANCES

    id: Mapped[int]
    shift_id: Mapped[int]
    member_id: Mapped[int]
    seat_id: Mapped[int | None]
    kind: Mapped[str]
    from_template: Mapped[bool]
    holding_id: Mapped[int | None]
    state: Mapped[str]
    note: Mapped[str | None]
    stand_in_sought_at: Mapped[datetime | None]
    replaced_by_id: Mapped[int | None]
    released_reason: Mapped[str | None]
    booked_at: Mapped[datetime]
    booked_by: Mapped[str]
    state_changed_at: Mapped[datetime | None]
    state_changed_by: Mapped[str | None]

    shift: Mapped[Shift] = relationship()


class ShiftMemberState(Base):
    """The cached figures of one member, rewritten in the transaction that appends entries.

    Column groups mirror ``coop.shifts.rules.MemberState``: counters, the day-counted clocks
    (``*_since`` / ``*_before`` pairs of ``Run``), leave, extension and Tapir's freeze fields.
    """

    __table__ = tables.MEMBER_STATES

    member_id: Mapped[int]
    mode: Mapped[str]
    status: Mapped[str]
    as_of: Mapped[date | None]
    standard: Mapped[int]
    ftop: Mapped[int]
    regular: Mapped[int]
    compensation: Mapped[int]
    balance: Mapped[int]
    figures_day: Mapped[date | None]
    standard_negative_since: Mapped[date | None]
    standard_negative_before: Mapped[date | None]
    ftop_negative_since: Mapped[date | None]
    ftop_negative_before: Mapped[date | None]
    alert_since: Mapped[date | None]
    alert_before: Mapped[date | None]
    below_freeze_since: Mapped[date | None]
    below_freeze_before: Mapped[date | None]
    penalised: Mapped[bool]
    extension_start: Mapped[date | None]
    extension_end: Mapped[date | None]
    extension_grace: Mapped[bool]
    leave_kind: Mapped[str | None]
    leave_start: Mapped[date | None]
    leave_end: Mapped[date | None]
    alert_resumed_on: Mapped[date | None]
    frozen_since: Mapped[date | None]
    freeze_warned_on: Mapped[date | None]
    cycles_until: Mapped[date]
    cycle_origin: Mapped[date | None]
    updated_at: Mapped[datetime]
