"""The demand ledger and Foodsoft's boxfill (reference/orders.md §2.2, §2.4): a member's
appended increments folded into a current demand and FIFO slices; which changes the boxfill
phase accepts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from operator import attrgetter

from coop.orders.rules.cases import foodsoft_cases, missing_units
from coop.orders.rules.checks import _case_size, _count, _delta


@dataclass(frozen=True, slots=True)
class Demand:
    """Firm quantity and tolerance (extra units accepted to complete a case)."""

    quantity: int
    tolerance: int = 0

    def __post_init__(self) -> None:
        _count(self.quantity, "quantity")
        _count(self.tolerance, "tolerance")


@dataclass(frozen=True, slots=True)
class Increment:
    """One appended ledger row: the change a member made at ``at``.

    Rows are never edited, so the ledger is an audit trail; ``fold`` works out which earlier rows
    a reduction eats. ``seq`` grows with every append (the row id) and orders rows of equal time.
    """

    quantity: int
    tolerance: int
    at: datetime
    seq: int

    def __post_init__(self) -> None:
        _delta(self.quantity, "quantity")
        _delta(self.tolerance, "tolerance")
        _delta(self.seq, "seq")


@dataclass(frozen=True, slots=True)
class Slice:
    """What is left of one positive increment after later reductions: FIFO's unit of priority."""

    quantity: int
    tolerance: int
    at: datetime
    seq: int


@dataclass(frozen=True, slots=True)
class Folded:
    """A member's ledger folded: current demand and the surviving slices, oldest first."""

    demand: Demand
    slices: tuple[Slice, ...]


def increment_for(current: Demand, target: Demand, at: datetime, seq: int) -> Increment | None:
    """The ledger row that takes a member from ``current`` to ``target`` (None: nothing changes)."""
    dq = target.quantity - current.quantity
    dt = target.tolerance - current.tolerance
    if dq == 0 and dt == 0:
        return None
    return Increment(dq, dt, at, seq)


def _take_newest(amounts: list[int], stack: list[int], need: int, what: str) -> None:
    """Remove ``need`` from the newest rows still holding some (Foodsoft's update_quantities)."""
    while need:
        if not stack:
            raise ValueError(f"reduction of {what} below zero")
        j = stack[-1]
        take = min(need, amounts[j])
        amounts[j] -= take
        need -= take
        if amounts[j] == 0:
            stack.pop()


def fold(increments: Iterable[Increment]) -> Folded:
    """Replay a member's ledger for one article, in (at, seq) order.

    Why: a member keeps their place in the queue for what they ordered early; a reduction removes
    their most recent units first. A row that raises one figure and lowers the other first lowers
    earlier rows, then adds its own increase (as Foodsoft does). Linear: each unit of reduction
    empties a row at most once.
    """
    rows = sorted(increments, key=attrgetter("at", "seq"))
    eff_q: list[int] = []
    eff_t: list[int] = []
    stack_q: list[int] = []
    stack_t: list[int] = []
    for index, row in enumerate(rows):
        if row.quantity < 0:
            _take_newest(eff_q, stack_q, -row.quantity, "quantity")
        if row.tolerance < 0:
            _take_newest(eff_t, stack_t, -row.tolerance, "tolerance")
        eff_q.append(max(row.quantity, 0))
        eff_t.append(max(row.tolerance, 0))
        if row.quantity > 0:
            stack_q.append(index)
        if row.tolerance > 0:
            stack_t.append(index)
    slices = tuple(
        Slice(q, t, row.at, row.seq) for row, q, t in zip(rows, eff_q, eff_t, strict=True) if q or t
    )
    return Folded(Demand(sum(eff_q), sum(eff_t)), slices)


class BoxfillVerdict(StrEnum):
    """Why a change is accepted during the boxfill phase, or ``REJECTED``."""

    OPEN = "open"  # before the boxfill time: any change
    KEEPS_QUANTITY = "keeps_quantity"  # (a) quantity unchanged, tolerance not lowered
    FILLS_CASES = "fills_cases"  # (b) fewer missing units, no fewer cases, tolerance not lowered
    MOVES_TOLERANCE = "moves_tolerance"  # (c) d units moved from tolerance to quantity
    UNCASED_INCREASE = "uncased_increase"  # (d) no case (U = 1): raising only (Foodsoft #771)
    REJECTED = "rejected"

    @property
    def accepted(self) -> bool:
        return self is not BoxfillVerdict.REJECTED


def boxfill_verdict(
    before: Demand,
    after: Demand,
    case_size: int,
    minimum: int | None = None,
    *,
    strict: bool = False,
) -> BoxfillVerdict:
    """Judge one change on the article totals (all members), as Foodsoft's ``enforce_boxfill``.

    The boxfill phase closes the window gently: members may only help fill the open cases, never
    empty one. ``strict=True`` is Foodsoft exactly; by default an article without a case
    (``case_size == 1``) also accepts plain increases, which Foodsoft refuses by accident (#771).
    """
    case_size = _case_size(case_size)
    dq = after.quantity - before.quantity
    dt = after.tolerance - before.tolerance
    if dq == 0 and dt >= 0:
        return BoxfillVerdict.KEEPS_QUANTITY
    d_missing = missing_units(after.quantity, after.tolerance, case_size, minimum) - missing_units(
        before.quantity, before.tolerance, case_size, minimum
    )
    d_cases = foodsoft_cases(after.quantity, after.tolerance, case_size, minimum) - foodsoft_cases(
        before.quantity, before.tolerance, case_size, minimum
    )
    if d_missing < 0 and d_cases >= 0 and dt >= 0:
        return BoxfillVerdict.FILLS_CASES
    if dq > 0 and dq == -dt:
        return BoxfillVerdict.MOVES_TOLERANCE
    if not strict and case_size == 1 and dq >= 0 and dt >= 0:
        return BoxfillVerdict.UNCASED_INCREASE
    return BoxfillVerdict.REJECTED


def check_change(
    article: Demand,
    old: Demand,
    new: Demand,
    *,
    at: datetime,
    boxfill_at: datetime | None,
    case_size: int,
    minimum: int | None = None,
    strict: bool = False,
) -> BoxfillVerdict:
    """May a member move from ``old`` to ``new`` at ``at``? ``article``: totals including ``old``.

    Boxfill starts strictly after ``boxfill_at`` (Foodsoft: ``boxfill < now``); None = no boxfill.
    """
    if boxfill_at is None or at <= boxfill_at:
        return BoxfillVerdict.OPEN
    if old.quantity > article.quantity or old.tolerance > article.tolerance:
        raise ValueError("the article totals must include the member's current demand")
    after = Demand(
        article.quantity - old.quantity + new.quantity,
        article.tolerance - old.tolerance + new.tolerance,
    )
    return boxfill_verdict(article, after, case_size, minimum, strict=strict)
