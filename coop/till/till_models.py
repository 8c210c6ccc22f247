"""The till's mapped classes a sale loads: the tills (with the head of their journal), the
cashiers' sessions and the member categories' price rules.

Apart from ``coop.till.models`` (which re-exports them, and maps the sales and the journal onto
``coop.till.tables``) so that ``coop till sell`` maps these three classes and no other till
class (issue 18, target 5). See ``coop.till.models`` for how the till's tables fit together.
The classes are mapped onto the Core tables of ``coop.till.till_tables``; their column
attributes are typed for mypy only (declarative reads the columns from the table).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Mapped

from coop.db import Base
from coop.till import till_tables

__all__ = ["CategoryPriceRule", "Till", "TillSession"]


class Till(Base):
    """A cash register, with the head of its journal."""

    __table__ = till_tables.TILLS

    if TYPE_CHECKING:
        id: Mapped[int]
        code: Mapped[str]
        name: Mapped[str]
        last_seq: Mapped[int]
        last_hash: Mapped[str]
        last_sale_number: Mapped[int]
        last_day_closure: Mapped[int]
        last_month_closure: Mapped[int]
        last_year_closure: Mapped[int]
        closed_until: Mapped[date | None]
        """The last day with a daily closure (Z): no more sales on or before it."""
        created_at: Mapped[datetime]


class TillSession(Base):
    """From opening (counted float) to closing (counted cash, difference) of one till."""

    __table__ = till_tables.TILL_SESSIONS

    if TYPE_CHECKING:
        id: Mapped[int]
        till_id: Mapped[int]
        opened_at: Mapped[datetime]
        opened_by: Mapped[str]
        opening_cents: Mapped[int]
        opening_pieces: Mapped[list[Any] | None]
        """[[denomination in cents, count], ...] when counted coin by coin; None: a declared
        total."""
        closed_at: Mapped[datetime | None]
        closed_by: Mapped[str | None]
        counted_cents: Mapped[int | None]
        closing_pieces: Mapped[list[Any] | None]
        expected_cents: Mapped[int | None]
        difference_cents: Mapped[int | None]
        """Counted − expected: positive is a surplus, negative a shortfall."""
        note: Mapped[str | None]


class CategoryPriceRule(Base):
    """A member category's price rule (``coop.till.pricing.PriceRule``): e.g. solidarity −10 %."""

    __table__ = till_tables.CATEGORY_PRICE_RULES

    if TYPE_CHECKING:
        id: Mapped[int]
        category_id: Mapped[int]
        code: Mapped[str]
        percent_off: Mapped[str]
        """Exact decimal text: "10" is 10 % off, "-20" a 20 % surcharge."""
        rounding: Mapped[str]
        created_at: Mapped[datetime]
        updated_at: Mapped[datetime]
