"""Tables of the members' money: capital-share movements and yearly fee payments.

Apart from ``coop.members.models`` so that a cash sale, which reads members and cards, declares
neither (issue 18, target 5); ``coop.models`` imports both for the metadata.
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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from coop.db import Base, UTCDateTime


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
