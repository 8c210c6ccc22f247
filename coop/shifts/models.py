"""Tables of the shifts context: templates, generated shifts and seats, regular slots, bookings
(attendances), the append-only work-credit ledger with the cached figures of each member,
leaves, extensions (graces), closures, and the cycles applied to each member.

How they fit:

- A ``ShiftTemplate`` (week letter A–D or every week, weekday, times, seats, roles per seat,
  validity) generates one ``Shift`` per date (unique per template and date, so generating twice
  adds nothing) with one ``ShiftSeat`` per place. A shift or seat edited by hand carries
  ``changed_by_hand``: template edits then leave it alone.
- A ``ShiftHolding`` is a regular (ABCD) member's place in a template, dated, never deleted:
  its history is the member's team history. Generation books holders into their shifts.
- A ``ShiftAttendance`` is one booking of one member on one shift (fixed slot, flying, make-up,
  walk-in, stand-in) with its state. The seat row says who occupies it: ``ShiftSeat.member_id``
  is only ever set by a conditional UPDATE (``... WHERE member_id IS NULL``) and an attendance
  holds at most one seat (unique ``seat_id``), so a place is never given twice.
- ``ShiftLedgerEntry`` rows are the work-credit ledger (append-only: a correction is a new
  ``reversal`` row); ``ShiftMemberState`` caches each member's figures and status, updated in
  the same transaction; ``ShiftStateLog`` keeps the non-ledger part of the state (mode, leave,
  extension, freeze) each time it changes, so the status at a past date can be rebuilt.
- ``ShiftCycle`` records each (member, cycle start) applied, with or without a debit: the daily
  run is idempotent and catches up missed days.

The tables a desk check reads (templates, shifts, seats, holdings, attendances, member
states) are declared in ``coop.shifts.slot_models`` (a cash sale imports only those) and
re-exported here.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from coop.db import Base, UTCDateTime
from coop.shifts.slot_models import (
    Shift,
    ShiftAttendance,
    ShiftHolding,
    ShiftMemberState,
    ShiftSeat,
    ShiftTemplate,
    core_table,
)
from coop.shifts.tables import (
    ATTENDANCE_KINDS,
    ATTENDANCE_STATES,
    LEAVE_KINDS,
    WORK_MODES,
    sql_values,
)

__all__ = [
    "ATTENDANCE_KINDS",
    "ATTENDANCE_STATES",
    "LEAVE_KINDS",
    "WORK_MODES",
    "Shift",
    "ShiftAttendance",
    "ShiftClosure",
    "ShiftCycle",
    "ShiftExtension",
    "ShiftHolding",
    "ShiftLeave",
    "ShiftLedgerEntry",
    "ShiftMemberState",
    "ShiftSeat",
    "ShiftSkill",
    "ShiftStateLog",
    "ShiftTemplate",
    "core_table",
    "sql_values",
]


class ShiftClosure(Base):
    """The shop closed from ``starts_on`` to ``ends_on``: shifts inside are cancelled."""

    __tablename__ = "shift_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    makeups: Mapped[int] = mapped_column(Integer)
    """What an absence costs inside it (La Louve: 0 = neutral, 1 = one make-up)."""
    label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(120))

    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint("makeups >= 0", name="makeups_not_negative"),
    )


class ShiftLedgerEntry(Base):
    """One append-only row of the work-credit ledger (see ``coop.shifts.rules.LedgerEntry``)."""

    __tablename__ = "shift_ledger"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"))
    day: Mapped[date] = mapped_column(Date)
    counter: Mapped[str] = mapped_column(String(16))
    delta: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    ref: Mapped[str | None] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    attendance_id: Mapped[int | None] = mapped_column(
        ForeignKey("shift_attendances.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(120))

    __table_args__ = (
        Index("ix_shift_ledger_member_day", "member_id", "day"),
        Index("ix_shift_ledger_ref_member", "ref", "member_id"),
        CheckConstraint("delta <> 0", name="delta_not_zero"),
    )


class ShiftStateLog(Base):
    """The non-ledger part of a member's state from ``day`` on (for the status at a date)."""

    __tablename__ = "shift_state_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"))
    day: Mapped[date] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(12))
    extension_start: Mapped[date | None] = mapped_column(Date)
    extension_end: Mapped[date | None] = mapped_column(Date)
    extension_grace: Mapped[bool] = mapped_column(Boolean, default=False)
    leave_kind: Mapped[str | None] = mapped_column(String(12))
    leave_start: Mapped[date | None] = mapped_column(Date)
    leave_end: Mapped[date | None] = mapped_column(Date)
    alert_resumed_on: Mapped[date | None] = mapped_column(Date)
    frozen_since: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_shift_state_log_member_day", "member_id", "day"),)


class ShiftCycle(Base):
    """A cycle start applied to a member, whether it cost something or not."""

    __tablename__ = "shift_cycles"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"))
    starts_on: Mapped[date] = mapped_column(Date)
    owed: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str] = mapped_column(String(16), default="")
    """The debit rule used (cycle, in_credit, deficit, penalty, reduced) or empty."""

    __table_args__ = (UniqueConstraint("member_id", "starts_on"),)


class ShiftLeave(Base):
    """A holiday (cannot shop) or an exemption (can shop), possibly open-ended."""

    __tablename__ = "shift_leaves"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(120))

    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint(f"kind IN ({sql_values(LEAVE_KINDS)})", name="known_kind"),
    )


class ShiftExtension(Base):
    """A delay granted to a member: a grace at the desk or a longer extension, always logged."""

    __tablename__ = "shift_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    grace: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(120))

    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)


class ShiftSkill(Base):
    """A role a member may take on a seat that requires it (cashier, shift leader...)."""

    __tablename__ = "shift_skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"))
    role: Mapped[str] = mapped_column(String(40))

    __table_args__ = (UniqueConstraint("member_id", "role"),)
