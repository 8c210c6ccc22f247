"""Tables of the members context: categories, members (with their household link), cards,
capital-share movements and yearly fees.

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
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
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


class ShareMovement(Base):
    """One movement of a member's capital shares (parts sociales): a payment (any instalment),
    a refund request (amount 0: starts nothing, records the ask) or a refund (negative)."""

    __tablename__ = "member_share_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    amount_cents: Mapped[int] = mapped_column(Integer)
    """Money received (> 0), paid back (< 0) or 0 for a refund request."""
    means: Mapped[str | None] = mapped_column(String(20))
    reference: Mapped[str | None] = mapped_column(String(120))
    """A cheque or transfer reference, or the till sale that took the payment."""
    actor: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        CheckConstraint("kind IN ('payment', 'refund_request', 'refund')", name="share_kind_known"),
        CheckConstraint(
            "(kind = 'payment' AND amount_cents > 0) OR (kind = 'refund' AND amount_cents < 0)"
            " OR (kind = 'refund_request' AND amount_cents = 0)",
            name="share_amount_sign",
        ),
        Index("ix_member_share_movements_on", "on"),
    )


class FeePayment(Base):
    """The association's yearly fee (cotisation) paid by a member for one year."""

    __tablename__ = "member_fee_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    on: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Integer)
    means: Mapped[str | None] = mapped_column(String(20))
    reference: Mapped[str | None] = mapped_column(String(120))
    actor: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("member_id", "year", name="uq_member_fee_payments_member_year"),
        CheckConstraint("amount_cents > 0", name="fee_positive"),
    )
