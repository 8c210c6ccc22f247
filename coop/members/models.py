"""Tables of the members context: categories, members (with their household link) and cards
(capital-share movements and yearly fees: ``coop.members.share_models``, which a cash sale does
not import).

A household is a main member plus the associated people whose ``main_member_id`` points at
them; associated people shop on the main member's status. Cards are never deleted: a lost or
replaced card gets an end date and a reason, and one person holds at most one active card.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.db import Base, UTCDateTime, partial_unique_index


class MemberCategory(Base):
    """Standard, solidarity...: later issues attach price rules to a category."""

    __tablename__ = "member_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    label: Mapped[str] = mapped_column(String(80))


class Member(Base):
    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    street: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(100))
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    category_id: Mapped[int] = mapped_column(ForeignKey("member_categories.id"), index=True)
    main_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    notes: Mapped[str | None] = mapped_column(Text)
    left_reason: Mapped[str | None] = mapped_column(String(200))
    """Why the member left (given with the leaving date; kept when they rejoin, in the audit)."""
    welcome_on: Mapped[date | None] = mapped_column(Date)
    """The day the member attended the welcome session (Tapir); None: not yet."""
    search_name: Mapped[str] = mapped_column(String(210))
    """"first last" folded (no accents, lower case): what name search compares against."""
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    category: Mapped[MemberCategory] = relationship(lazy="joined")
    main_member: Mapped[Member | None] = relationship(remote_side=[id])

    __table_args__ = (
        CheckConstraint("main_member_id IS NULL OR main_member_id <> id", name="not_own_main"),
        CheckConstraint("number > 0", name="positive_number"),
        CheckConstraint("left_on IS NULL OR left_on >= joined_on", name="left_after_joined"),
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class MemberCard(Base):
    __tablename__ = "member_cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="RESTRICT"))
    barcode: Mapped[str] = mapped_column(String(13), unique=True)
    issued_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(20))
    """lost, replaced, left or erased: why the card stopped working."""

    member: Mapped[Member] = relationship()

    __table_args__ = (
        partial_unique_index("uq_member_cards_one_active", "member_id", where="ended_on IS NULL"),
        CheckConstraint(
            "(ended_on IS NULL) = (end_reason IS NULL)", name="end_reason_with_end_date"
        ),
    )
