"""Tables of the staff context: one PIN per member (its slow salted hash only) and the coop
roles granted to members (coordinator, treasurer, administrator)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coop.db import Base, UTCDateTime


class StaffPin(Base):
    """A member's PIN: never the digits, only ``scrypt`` of them with a random salt. Wrong
    tries are counted here (so every terminal sees them) and lock the PIN for a while."""

    __tablename__ = "staff_pins"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), primary_key=True
    )
    pin_hash: Mapped[str] = mapped_column(String(200))
    """``scrypt$n$r$p$<salt hex>$<hash hex>``."""
    failed_tries: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    set_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StaffRole(Base):
    """A coop role held by a member; revoking deletes the row (the audit log keeps both)."""

    __tablename__ = "staff_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[str] = mapped_column(String(40))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("member_id", "role"),)


__all__ = ["StaffPin", "StaffRole"]
