"""The shifts' tables a desk check and a booking read: templates, generated shifts and seats,
regular slots (holdings), bookings (attendances) and each member's cached figures.

They live apart from the ledger, state log, cycles, leaves, extensions, closures and skills
(``coop.shifts.models``, which re-exports these) so that a cash sale, whose desk check reads only
these, declares no other shift model (issue 18, target 5). See ``coop.shifts.models`` for how
the tables fit together.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import cast

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.db import Base, UTCDateTime, partial_unique_index

ATTENDANCE_STATES = ("pending", "attended", "missed", "excused", "cancelled")
ATTENDANCE_KINDS = ("regular", "flying", "makeup", "walk_in")
WORK_MODES = ("regular", "flying", "exempt")
LEAVE_KINDS = ("holiday", "exemption")


def sql_values(values: tuple[str, ...]) -> str:
    """``'a', 'b'``: the values of a CHECK ... IN (...) constraint."""
    return ", ".join(f"'{value}'" for value in values)


def core_table(model: type[Base]) -> Table:
    """A model's Core table, typed as a ``Table`` (declarative mapping types ``__table__`` as a
    ``FromClause``): for the bulk inserts and updates of the set-based passes."""
    return cast(Table, model.__table__)


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

    __tablename__ = "shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("shift_templates.id", ondelete="RESTRICT")
    )
    day: Mapped[date] = mapped_column(Date, index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    week_letter: Mapped[str | None] = mapped_column(String(1))
    name: Mapped[str] = mapped_column(String(120))
    credit: Mapped[int | None] = mapped_column(Integer)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    closure_id: Mapped[int | None] = mapped_column(
        ForeignKey("shift_closures.id", ondelete="RESTRICT"), index=True
    )
    holiday: Mapped[str | None] = mapped_column(String(40))
    """The public holiday (code) that cancelled it, if any."""
    changed_by_hand: Mapped[bool] = mapped_column(Boolean, default=False)
    """Edited by a person: template changes no longer touch it."""
    booking_version: Mapped[int] = mapped_column(Integer, default=0)
    """Bumped by every booking: the first write of a booking transaction, which serialises
    bookings of one shift (row lock on PostgreSQL, the write lock on SQLite)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    template: Mapped[ShiftTemplate | None] = relationship()
    seats_list: Mapped[list[ShiftSeat]] = relationship(
        order_by="ShiftSeat.position", back_populates="shift"
    )

    __table_args__ = (
        UniqueConstraint("template_id", "day"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
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

    __tablename__ = "shift_holdings"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    template_id: Mapped[int] = mapped_column(
        ForeignKey("shift_templates.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[str | None] = mapped_column(String(40))
    """The role seat the member takes in each shift (None: a seat without role)."""
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    """Last day held (inclusive); None: open."""
    end_reason: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(120))

    template: Mapped[ShiftTemplate] = relationship()

    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
    )

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class ShiftAttendance(Base):
    """One member booked on one shift, and what became of it."""

    __tablename__ = "shift_attendances"

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id", ondelete="RESTRICT"))
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    seat_id: Mapped[int | None] = mapped_column(
        ForeignKey("shift_seats.id", ondelete="SET NULL"), unique=True
    )
    """The seat held now; None once freed (excused, cancelled) or for a walk-in without one."""
    kind: Mapped[str] = mapped_column(String(12))
    from_template: Mapped[bool] = mapped_column(Boolean)
    holding_id: Mapped[int | None] = mapped_column(
        ForeignKey("shift_holdings.id", ondelete="RESTRICT")
    )
    state: Mapped[str] = mapped_column(String(12), default="pending")
    note: Mapped[str | None] = mapped_column(Text)
    stand_in_sought_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("shift_attendances.id", ondelete="RESTRICT")
    )
    released_reason: Mapped[str | None] = mapped_column(String(40))
    """Why a booking was cancelled: unbooked, leave, closure, stand_in, frozen..."""
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    booked_by: Mapped[str] = mapped_column(String(120))
    state_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    state_changed_by: Mapped[str | None] = mapped_column(String(120))

    shift: Mapped[Shift] = relationship()

    __table_args__ = (
        partial_unique_index(
            "uq_shift_attendances_one_live_per_member",
            "shift_id",
            "member_id",
            where="state <> 'cancelled'",
        ),
        Index("ix_shift_attendances_shift_state", "shift_id", "state"),
        CheckConstraint(f"state IN ({sql_values(ATTENDANCE_STATES)})", name="known_state"),
        CheckConstraint(f"kind IN ({sql_values(ATTENDANCE_KINDS)})", name="known_kind"),
    )


class ShiftMemberState(Base):
    """The cached figures of one member, rewritten in the transaction that appends entries.

    Column groups mirror ``coop.shifts.rules.MemberState``: counters, the day-counted clocks
    (``*_since`` / ``*_before`` pairs of ``Run``), leave, extension and Tapir's freeze fields.
    """

    __tablename__ = "shift_member_states"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), primary_key=True
    )
    mode: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(16), index=True)
    as_of: Mapped[date | None] = mapped_column(Date)
    standard: Mapped[int] = mapped_column(Integer, default=0)
    ftop: Mapped[int] = mapped_column(Integer, default=0)
    regular: Mapped[int] = mapped_column(Integer, default=0)
    compensation: Mapped[int] = mapped_column(Integer, default=0)
    balance: Mapped[int] = mapped_column(Integer, default=0)
    figures_day: Mapped[date | None] = mapped_column(Date)
    standard_negative_since: Mapped[date | None] = mapped_column(Date)
    standard_negative_before: Mapped[date | None] = mapped_column(Date)
    ftop_negative_since: Mapped[date | None] = mapped_column(Date)
    ftop_negative_before: Mapped[date | None] = mapped_column(Date)
    alert_since: Mapped[date | None] = mapped_column(Date)
    alert_before: Mapped[date | None] = mapped_column(Date)
    below_freeze_since: Mapped[date | None] = mapped_column(Date)
    below_freeze_before: Mapped[date | None] = mapped_column(Date)
    penalised: Mapped[bool] = mapped_column(Boolean, default=False)
    extension_start: Mapped[date | None] = mapped_column(Date)
    extension_end: Mapped[date | None] = mapped_column(Date)
    extension_grace: Mapped[bool] = mapped_column(Boolean, default=False)
    leave_kind: Mapped[str | None] = mapped_column(String(12))
    leave_start: Mapped[date | None] = mapped_column(Date)
    leave_end: Mapped[date | None] = mapped_column(Date)
    alert_resumed_on: Mapped[date | None] = mapped_column(Date)
    frozen_since: Mapped[date | None] = mapped_column(Date)
    freeze_warned_on: Mapped[date | None] = mapped_column(Date)
    cycles_until: Mapped[date] = mapped_column(Date)
    """Every cycle starting on or before this date has been applied (or was not owed)."""
    cycle_origin: Mapped[date | None] = mapped_column(Date)
    """Obeesdoo irregular workers: the personal countdown's start."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        CheckConstraint(f"mode IN ({sql_values(WORK_MODES)})", name="known_mode"),
        CheckConstraint(
            f"leave_kind IS NULL OR leave_kind IN ({sql_values(LEAVE_KINDS)})", name="known_leave"
        ),
    )
