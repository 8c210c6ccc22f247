"""Mapped classes of the members context: categories, members (with their household link) and
cards (capital-share movements and yearly fees: ``coop.members.share_models``, which a cash
sale does not import).

A household is a main member plus the associated people whose ``main_member_id`` points at
them; associated people shop on the main member's status. Cards are never deleted: a lost or
replaced card gets an end date and a reason, and one person holds at most one active card.
The tables themselves are declared in ``coop.members.tables`` (Core ``Table`` objects, cheaper
to declare at every start than annotated columns); the classes are mapped onto them, their
column attributes typed for mypy only (declarative reads the columns from the table).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Mapped, relationship

from coop.db import Base
from coop.members import tables

__all__ = ["Member", "MemberCard", "MemberCategory"]


class MemberCategory(Base):
    """Standard, solidarity...: later issues attach price rules to a category."""

    __table__ = tables.MEMBER_CATEGORIES

    if TYPE_CHECKING:
        id: Mapped[int]
        code: Mapped[str]
        label: Mapped[str]


class Member(Base):
    __table__ = tables.MEMBERS

    if TYPE_CHECKING:
        id: Mapped[int]
        number: Mapped[int]
        first_name: Mapped[str]
        last_name: Mapped[str]
        email: Mapped[str | None]
        phone: Mapped[str | None]
        street: Mapped[str | None]
        postcode: Mapped[str | None]
        city: Mapped[str | None]
        joined_on: Mapped[date]
        left_on: Mapped[date | None]
        category_id: Mapped[int]
        main_member_id: Mapped[int | None]
        notes: Mapped[str | None]
        left_reason: Mapped[str | None]
        """Why the member left (given with the leaving date; kept when they rejoin, in the
        audit)."""
        welcome_on: Mapped[date | None]
        """The day the member attended the welcome session (Tapir); None: not yet."""
        search_name: Mapped[str]
        """"first last" folded (no accents, lower case): what name search compares against."""
        erased_at: Mapped[datetime | None]
        created_at: Mapped[datetime]
        updated_at: Mapped[datetime]

    category: Mapped[MemberCategory] = relationship(lazy="joined")
    main_member: Mapped[Member | None] = relationship(remote_side=[tables.MEMBERS.c.id])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class MemberCard(Base):
    __table__ = tables.MEMBER_CARDS

    if TYPE_CHECKING:
        id: Mapped[int]
        member_id: Mapped[int]
        barcode: Mapped[str]
        issued_on: Mapped[date]
        ended_on: Mapped[date | None]
        end_reason: Mapped[str | None]
        """lost, replaced, left or erased: why the card stopped working."""

    member: Mapped[Member] = relationship()
