"""The Core tables of the members context (categories, members, cards), declared apart from
their mapped classes.

Declaring a column as a ``Column`` of a ``Table`` costs less than declaring it as a
``mapped_column`` that declarative turns into one: ``coop.members.models`` maps
``MemberCategory``, ``Member`` and ``MemberCard`` onto these tables (``__table__``), so every
command that loads a member (a sale, the desk check) declares three tables and maps three
classes onto them instead of building both from annotations (issue 18, target 5). The ORM, the
metadata and the migrations see the same tables as before.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Integer, String, Table, Text

from coop.db import Base, UTCDateTime, partial_unique_index

MEMBER_CATEGORIES = Table(
    "member_categories",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(32), unique=True, nullable=False),
    Column("label", String(80), nullable=False),
)

MEMBERS = Table(
    "members",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("number", Integer, unique=True, nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    Column("email", String(200)),
    Column("phone", String(40)),
    Column("street", String(200)),
    Column("postcode", String(20)),
    Column("city", String(100)),
    Column("joined_on", Date, nullable=False),
    Column("left_on", Date),
    Column(
        "category_id",
        Integer,
        ForeignKey("member_categories.id"),
        index=True,
        nullable=False,
    ),
    Column("main_member_id", Integer, ForeignKey("members.id", ondelete="RESTRICT"), index=True),
    Column("notes", Text),
    # Why the member left (given with the leaving date; kept when they rejoin, in the audit).
    Column("left_reason", String(200)),
    # The day the member attended the welcome session (Tapir); None: not yet.
    Column("welcome_on", Date),
    # "first last" folded (no accents, lower case): what name search compares against.
    Column("search_name", String(210), nullable=False),
    Column("erased_at", UTCDateTime()),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), index=True, nullable=False),
    CheckConstraint("main_member_id IS NULL OR main_member_id <> id", name="not_own_main"),
    CheckConstraint("number > 0", name="positive_number"),
    CheckConstraint("left_on IS NULL OR left_on >= joined_on", name="left_after_joined"),
)

MEMBER_CARDS = Table(
    "member_cards",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", Integer, ForeignKey("members.id", ondelete="RESTRICT"), nullable=False),
    Column("barcode", String(13), unique=True, nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("ended_on", Date),
    # lost, replaced, left or erased: why the card stopped working.
    Column("end_reason", String(20)),
    partial_unique_index("uq_member_cards_one_active", "member_id", where="ended_on IS NULL"),
    CheckConstraint("(ended_on IS NULL) = (end_reason IS NULL)", name="end_reason_with_end_date"),
)
