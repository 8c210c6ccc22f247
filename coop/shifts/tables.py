"""The Core tables of generated shifts, regular slots (holdings), bookings (attendances) and
each member's cached shift figures, declared apart from their mapped classes.

A desk check (``coop.shifts.desk_reads``), which runs at every scan and in every cash sale,
reads these four tables with Core statements only: importing them costs a few ``Table``
objects, not four mapped classes with their relationships to configure (issue 18, target 5).
``coop.shifts.slot_models`` maps ``Shift``, ``ShiftHolding``, ``ShiftAttendance`` and
``ShiftMemberState`` onto them (``__table__``), so the ORM, the metadata and the migrations see
the same tables as before.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

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


SHIFTS = Table(
    "shifts",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("template_id", Integer, ForeignKey("shift_templates.id", ondelete="RESTRICT")),
    Column("day", Date, index=True, nullable=False),
    Column("starts_at", UTCDateTime(), nullable=False),
    Column("ends_at", UTCDateTime(), nullable=False),
    Column("week_letter", String(1)),
    Column("name", String(120), nullable=False),
    Column("credit", Integer),
    Column("cancelled_at", UTCDateTime()),
    Column("cancel_reason", String(200)),
    Column("closure_id", Integer, ForeignKey("shift_closures.id", ondelete="RESTRICT"), index=True),
    # The public holiday (code) that cancelled it, if any.
    Column("holiday", String(40)),
    # Edited by a person: template changes no longer touch it.
    Column("changed_by_hand", Boolean, default=False, nullable=False),
    # Bumped by every booking: the first write of a booking transaction, which serialises
    # bookings of one shift (row lock on PostgreSQL, the write lock on SQLite).
    Column("booking_version", Integer, default=0, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("template_id", "day"),
    CheckConstraint("ends_at > starts_at", name="ends_after_start"),
)


HOLDINGS = Table(
    "shift_holdings",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "member_id",
        Integer,
        ForeignKey("members.id", ondelete="RESTRICT"),
        index=True,
        nullable=False,
    ),
    Column(
        "template_id",
        Integer,
        ForeignKey("shift_templates.id", ondelete="RESTRICT"),
        index=True,
        nullable=False,
    ),
    # The role seat the member takes in each shift (None: a seat without role).
    Column("role", String(40)),
    Column("starts_on", Date, nullable=False),
    # Last day held (inclusive); None: open.
    Column("ends_on", Date),
    Column("end_reason", String(40)),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(120), nullable=False),
    CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
)


ATTENDANCES = Table(
    "shift_attendances",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("shift_id", Integer, ForeignKey("shifts.id", ondelete="RESTRICT"), nullable=False),
    Column(
        "member_id",
        Integer,
        ForeignKey("members.id", ondelete="RESTRICT"),
        index=True,
        nullable=False,
    ),
    # The seat held now; None once freed (excused, cancelled) or for a walk-in without one.
    Column("seat_id", Integer, ForeignKey("shift_seats.id", ondelete="SET NULL"), unique=True),
    Column("kind", String(12), nullable=False),
    Column("from_template", Boolean, nullable=False),
    Column("holding_id", Integer, ForeignKey("shift_holdings.id", ondelete="RESTRICT")),
    Column("state", String(12), default="pending", nullable=False),
    Column("note", Text),
    Column("stand_in_sought_at", UTCDateTime()),
    Column("replaced_by_id", Integer, ForeignKey("shift_attendances.id", ondelete="RESTRICT")),
    # Why a booking was cancelled: unbooked, leave, closure, stand_in, frozen...
    Column("released_reason", String(40)),
    Column("booked_at", UTCDateTime(), nullable=False),
    Column("booked_by", String(120), nullable=False),
    Column("state_changed_at", UTCDateTime()),
    Column("state_changed_by", String(120)),
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


MEMBER_STATES = Table(
    "shift_member_states",
    Base.metadata,
    Column("member_id", Integer, ForeignKey("members.id", ondelete="RESTRICT"), primary_key=True),
    Column("mode", String(12), nullable=False),
    Column("status", String(16), index=True, nullable=False),
    Column("as_of", Date),
    Column("standard", Integer, default=0, nullable=False),
    Column("ftop", Integer, default=0, nullable=False),
    Column("regular", Integer, default=0, nullable=False),
    Column("compensation", Integer, default=0, nullable=False),
    Column("balance", Integer, default=0, nullable=False),
    Column("figures_day", Date),
    Column("standard_negative_since", Date),
    Column("standard_negative_before", Date),
    Column("ftop_negative_since", Date),
    Column("ftop_negative_before", Date),
    Column("alert_since", Date),
    Column("alert_before", Date),
    Column("below_freeze_since", Date),
    Column("below_freeze_before", Date),
    Column("penalised", Boolean, default=False, nullable=False),
    Column("extension_start", Date),
    Column("extension_end", Date),
    Column("extension_grace", Boolean, default=False, nullable=False),
    Column("leave_kind", String(12)),
    Column("leave_start", Date),
    Column("leave_end", Date),
    Column("alert_resumed_on", Date),
    Column("frozen_since", Date),
    Column("freeze_warned_on", Date),
    # Every cycle starting on or before this date has been applied (or was not owed).
    Column("cycles_until", Date, nullable=False),
    # Obeesdoo irregular workers: the personal countdown's start.
    Column("cycle_origin", Date),
    Column("updated_at", UTCDateTime(), nullable=False),
    CheckConstraint(f"mode IN ({sql_values(WORK_MODES)})", name="known_mode"),
    CheckConstraint(
        f"leave_kind IS NULL OR leave_kind IN ({sql_values(LEAVE_KINDS)})", name="known_leave"
    ),
)
