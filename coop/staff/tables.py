"""The Core tables of the staff context (PINs, coop roles), declared apart from their mapped
classes.

``coop.staff.models`` maps ``StaffPin`` and ``StaffRole`` onto these tables (``__table__``):
every command resolves its actor through them, and a column declared in a ``Table`` costs less
at every start than one declared through an annotated ``mapped_column`` (issue 18, target 5).
The ORM, the metadata and the migrations see the same tables as before.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, UniqueConstraint

from coop.db import Base, UTCDateTime

STAFF_PINS = Table(
    "staff_pins",
    Base.metadata,
    Column(
        "member_id",
        Integer,
        ForeignKey("members.id", ondelete="RESTRICT"),
        primary_key=True,
    ),
    # ``scrypt$n$r$p$<salt hex>$<hash hex>``.
    Column("pin_hash", String(200), nullable=False),
    Column("failed_tries", Integer, default=0, nullable=False),
    Column("locked_until", UTCDateTime()),
    Column("set_at", UTCDateTime(), nullable=False),
)

STAFF_ROLES = Table(
    "staff_roles",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "member_id",
        Integer,
        ForeignKey("members.id", ondelete="RESTRICT"),
        index=True,
        nullable=False,
    ),
    Column("role", String(40), nullable=False),
    Column("granted_at", UTCDateTime(), nullable=False),
    UniqueConstraint("member_id", "role"),
)
