"""Pure rules of grouped orders: demand ledger, boxfill, case rounding, allocation.

No database, no I/O, no clock: every time is a parameter. Every quantity is an ``int`` counted in
the article's smallest step (pieces, grams, millilitres); floats are refused, so a weighed article
never meets "7.0000000001" (reference/orders.md §4.2). Section numbers below refer to
``reference/orders.md``.

Public API
----------
Demand ledger (§2.2) and boxfill (§2.4):

- ``Demand(quantity, tolerance)`` — a member's (or an article's) firm quantity and tolerance.
- ``Increment(quantity, tolerance, at, seq)`` — one appended ledger row of deltas (< 0: reduction).
- ``increment_for(current, target, at, seq) -> Increment | None`` — the row to append for a change.
- ``fold(increments) -> Folded`` — current ``Demand`` and the effective ``Slice`` of every row,
  reductions taken from the newest rows first; the slices are what FIFO allocation walks.
- ``BoxfillVerdict`` — why a change is accepted (or ``REJECTED``); ``.accepted``.
- ``boxfill_verdict(before, after, case_size, minimum=None, *, strict=False)`` — Foodsoft's rule on
  the article totals before/after one change.
- ``check_change(article, old, new, *, at, boxfill_at, case_size, minimum=None, strict=False)`` —
  the same for one member's change, ``OPEN`` before the boxfill time.

Case rounding (§2.1, §2.11):

- ``Rounding`` — ``FOODSOFT`` (default), ``UP``, ``DOWN``, ``MANUAL``.
- ``foodsoft_cases(quantity, tolerance, case_size, minimum=None) -> int`` — Foodsoft's
  ``calculate_units_to_order``.
- ``missing_units(quantity, tolerance, case_size, minimum=None) -> int`` — units still needed to
  fill the last case (Foodsoft's figure).
- ``summarize(quantity, tolerance, case_size, *, mode, minimum=None, manual_cases=None)
  -> CaseSummary`` — what the coordinator sees per article: Q, T, case size, cases, units ordered,
  missing units, surplus/shortfall, tolerance used, units for stock, whether a decision is needed.

Allocation (§2.2, §2.3, §2.10), one function for order close and for delivery:

- ``Strategy`` — ``FIFO`` (default), ``PROPORTIONAL``, ``ROUND_ROBIN``, ``NONE``.
- ``DemandLine(member_id, quantity, tolerance, ordered_at, slices=(), pinned=None)`` — one
  member's demand for one article; ``pinned`` is a manual correction.
- ``demand_line(member_id, increments, *, pinned=None) -> DemandLine`` — a line from the ledger.
- ``pin(line, quantity) -> DemandLine`` / ``unpin(line)`` — set or clear a manual correction.
- ``allocate(lines, available, strategy=FIFO, *, use_tolerance=True) -> Allocation`` — per-line
  quantities (same order as ``lines``), what the strategy computed, pinned flags, the surplus.

At close ``available`` is ``summarize(...).units_ordered``; at delivery it is the quantity received
and ``use_tolerance`` is the "fill tolerance" surplus policy of Foodsoft's ``redistribute``. A
positive surplus goes to shop stock (the service books the stock move); it is negative only with
``NONE`` or with pins above what arrived, when members keep more than there is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from operator import attrgetter


def _count(value: object, name: str) -> int:
    """An int >= 0 (never bool, never float: quantities are whole steps)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


def _delta(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    return value


def _case_size(value: object) -> int:
    size = _count(value, "case_size")
    if size == 0:
        raise ValueError("case_size must be >= 1 (1 means no case)")
    return size


def _minimum(value: object, case_size: int) -> int | None:
    """A minimum order quantity in member steps, a whole number of cases (or None)."""
    if value is None:
        return None
    minimum = _count(value, "minimum")
    if minimum % case_size:
        raise ValueError(f"minimum {minimum} must be a whole number of cases of {case_size}")
    return minimum or None


# --------------------------------------------------------------------------------------------
# Demand ledger
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Case rounding
# --------------------------------------------------------------------------------------------


class Rounding(StrEnum):
    """How many cases to order from the firm quantity Q and the tolerance T."""

    FOODSOFT = "foodsoft"  # an extra case only when the firm remainder plus tolerance fills it
    UP = "up"  # ceil(Q / U): never short, the surplus goes to stock
    DOWN = "down"  # floor(Q / U): never over-order
    MANUAL = "manual"  # the coordinator decides (members adjust until cases are full)


def foodsoft_cases(
    quantity: int, tolerance: int, case_size: int, minimum: int | None = None
) -> int:
    """Cases to order, exactly Foodsoft's ``calculate_units_to_order`` (§2.1).

    A case is never ordered on tolerance alone: tolerance only completes a started case. With a
    minimum M (member steps): nothing below M, and exactly M when tolerance is what reaches it.
    Weighed articles without a case are ``case_size=1``: Q is ordered as is, tolerance ignored,
    which is Foodsoft's rule for supplier units in kg or litres.
    """
    _count(quantity, "quantity")
    _count(tolerance, "tolerance")
    case_size = _case_size(case_size)
    minimum = _minimum(minimum, case_size)
    if minimum is not None:
        if quantity + tolerance < minimum:
            return 0
        if 0 < quantity < minimum:
            return minimum // case_size
    full, remainder = divmod(quantity, case_size)
    return full + (1 if remainder > 0 and remainder + tolerance >= case_size else 0)


def missing_units(quantity: int, tolerance: int, case_size: int, minimum: int | None = None) -> int:
    """Units still needed to fill the last case, tolerance counted (Foodsoft's ``missing_units``).

    Shown to members as the progress of the last case; 0 when no case is started. Below a minimum
    (with some firm quantity) it is the distance to the minimum instead.
    """
    _count(quantity, "quantity")
    _count(tolerance, "tolerance")
    case_size = _case_size(case_size)
    minimum = _minimum(minimum, case_size)
    if minimum is not None and quantity > 0 and quantity + tolerance < minimum:
        return minimum - quantity - tolerance
    missing = case_size - (quantity % case_size + tolerance)
    return 0 if missing < 0 or missing == case_size else missing


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """One article as the coordinator sees it before sending the order; explains the rounding.

    ``surplus``/``shortfall`` compare units ordered with firm demand; a surplus is served from
    tolerance first (``tolerance_used``), the rest goes to shop stock (``to_stock``).
    """

    mode: Rounding
    quantity: int  # Q: sum of firm quantities
    tolerance: int  # T: sum of tolerances
    case_size: int  # U, in member steps (1 = no case)
    minimum: int | None
    cases: int
    units_ordered: int  # cases × U
    missing_units: int
    surplus: int  # max(0, units_ordered − Q)
    shortfall: int  # max(0, Q − units_ordered): firm units that will not be served
    tolerance_used: int  # min(T, surplus)
    to_stock: int  # surplus − tolerance_used
    needs_decision: bool  # MANUAL only: firm demand does not fill whole cases and nobody decided


def _down_cases(quantity: int, case_size: int, minimum: int | None) -> int:
    cases = quantity // case_size
    return 0 if minimum is not None and cases * case_size < minimum else cases


def summarize(
    quantity: int,
    tolerance: int,
    case_size: int,
    *,
    mode: Rounding = Rounding.FOODSOFT,
    minimum: int | None = None,
    manual_cases: int | None = None,
) -> CaseSummary:
    """Round one article's demand to cases with ``mode`` and explain the result (§2.11).

    ``UP`` orders ceil(Q/U) cases, at least the minimum when anything is ordered; ``DOWN`` orders
    floor(Q/U) cases, none if that is below the minimum. ``MANUAL`` takes ``manual_cases``; until it
    is given the figure is the ``DOWN`` one and ``needs_decision`` says whether sending must wait.
    """
    _count(quantity, "quantity")
    _count(tolerance, "tolerance")
    case_size = _case_size(case_size)
    minimum = _minimum(minimum, case_size)
    mode = Rounding(mode)
    if manual_cases is not None and mode is not Rounding.MANUAL:
        raise ValueError("manual_cases is only for the manual rounding mode")
    needs_decision = False
    if mode is Rounding.FOODSOFT:
        cases = foodsoft_cases(quantity, tolerance, case_size, minimum)
    elif mode is Rounding.UP:
        cases = -(-quantity // case_size)
        if cases and minimum is not None:
            cases = max(cases, minimum // case_size)
    elif mode is Rounding.DOWN:
        cases = _down_cases(quantity, case_size, minimum)
    elif manual_cases is not None:
        cases = _count(manual_cases, "manual_cases")
    else:
        cases = _down_cases(quantity, case_size, minimum)
        needs_decision = cases * case_size != quantity
    units = cases * case_size
    surplus = max(0, units - quantity)
    tolerance_used = min(tolerance, surplus)
    return CaseSummary(
        mode=mode,
        quantity=quantity,
        tolerance=tolerance,
        case_size=case_size,
        minimum=minimum,
        cases=cases,
        units_ordered=units,
        missing_units=missing_units(quantity, tolerance, case_size, minimum),
        surplus=surplus,
        shortfall=max(0, quantity - units),
        tolerance_used=tolerance_used,
        to_stock=surplus - tolerance_used,
        needs_decision=needs_decision,
    )


# --------------------------------------------------------------------------------------------
# Allocation
# --------------------------------------------------------------------------------------------


class Strategy(StrEnum):
    """How available units are shared when they do not match demand (§2.10)."""

    FIFO = "fifo"  # Foodsoft: ledger rows in time order, firm pass then tolerance pass
    PROPORTIONAL = "proportional"  # largest remainder on firm quantities, then on tolerances
    ROUND_ROBIN = "round_robin"  # one unit each per round, in order-time order
    NONE = "none"  # everyone keeps q (even beyond stock), tolerance FIFO up to what is left


@dataclass(frozen=True, slots=True)
class DemandLine:
    """One member's demand for one article.

    ``slices`` are the ledger's effective rows (see ``fold``); without them the line is one slice
    at ``ordered_at``. ``ordered_at`` (the member's earliest surviving order) then ``member_id``
    break ties, so results never depend on the order lines are given in. ``pinned`` is a manual
    correction: ``allocate`` gives exactly that and shares the rest among the other lines.
    """

    member_id: int
    quantity: int
    tolerance: int
    ordered_at: datetime
    slices: tuple[Slice, ...] = ()
    pinned: int | None = None

    def __post_init__(self) -> None:
        _delta(self.member_id, "member_id")
        _count(self.quantity, "quantity")
        _count(self.tolerance, "tolerance")
        if self.pinned is not None:
            _count(self.pinned, "pinned")
        if self.slices:
            q = t = 0
            for piece in self.slices:
                q += _count(piece.quantity, "slice quantity")
                t += _count(piece.tolerance, "slice tolerance")
            if (q, t) != (self.quantity, self.tolerance):
                raise ValueError("slices must add up to the line's quantity and tolerance")


def demand_line(
    member_id: int, increments: Iterable[Increment], *, pinned: int | None = None
) -> DemandLine:
    """The allocation line of a member's ledger; ``ordered_at`` is their oldest surviving slice."""
    rows = list(increments)
    if not rows:
        raise ValueError("a demand line needs at least one ledger row")
    folded = fold(rows)
    ordered_at = folded.slices[0].at if folded.slices else min(row.at for row in rows)
    return DemandLine(
        member_id=member_id,
        quantity=folded.demand.quantity,
        tolerance=folded.demand.tolerance,
        ordered_at=ordered_at,
        slices=folded.slices,
        pinned=pinned,
    )


def demand_line_from_rows(
    member_id: int,
    rows: Sequence[tuple[int, int, datetime, int]],
    *,
    pinned: int | None = None,
) -> DemandLine:
    """``demand_line`` for ledger rows (Δq, Δt, at, seq) already sorted by (at, seq), as a
    database returns them. Without any reduction (most lines) the rows are the slices and no
    fold is needed; otherwise the ledger is folded. Same result as ``demand_line`` either way.
    """
    slices: list[Slice] = []
    quantity = tolerance = 0
    for q, t, at, seq in rows:
        if q < 0 or t < 0:
            return demand_line(member_id, (Increment(*row) for row in rows), pinned=pinned)
        if q or t:
            slices.append(Slice(q, t, at, seq))
            quantity += q
            tolerance += t
    if not rows:
        raise ValueError("a demand line needs at least one ledger row")
    ordered_at = slices[0].at if slices else min(row[2] for row in rows)
    return DemandLine(member_id, quantity, tolerance, ordered_at, tuple(slices), pinned)


def pin(line: DemandLine, quantity: int) -> DemandLine:
    """The line with a manual allocation that re-running ``allocate`` keeps (and flags)."""
    return dataclasses.replace(line, pinned=quantity)


def unpin(line: DemandLine) -> DemandLine:
    """The line handed back to the strategy."""
    return dataclasses.replace(line, pinned=None)


@dataclass(frozen=True, slots=True)
class Allocation:
    """Result of ``allocate``; the tuples follow the order of the input lines.

    ``allocated`` is what each member gets; ``computed`` what the strategy alone would give (no
    pins), kept so that manual corrections can be shown next to the computed value;
    ``surplus = available − sum(allocated)``.
    """

    strategy: Strategy
    available: int
    use_tolerance: bool
    allocated: tuple[int, ...]
    computed: tuple[int, ...]
    pinned: tuple[bool, ...]
    surplus: int
    tolerance_used: int  # units given beyond members' firm quantities

    @property
    def total(self) -> int:
        return self.available - self.surplus

    @property
    def shortfall(self) -> int:
        """Units members keep that did not arrive (only with ``NONE`` or pins above stock)."""
        return max(0, -self.surplus)

    def overridden(self, index: int) -> bool:
        """Line ``index`` is pinned to a value other than the computed one."""
        return self.pinned[index] and self.allocated[index] != self.computed[index]


def allocate(
    lines: Sequence[DemandLine],
    available: int,
    strategy: Strategy = Strategy.FIFO,
    *,
    use_tolerance: bool = True,
) -> Allocation:
    """Share ``available`` units among demand lines, the same way at order close and at delivery.

    Firm quantities are always served before any tolerance; with ``use_tolerance=False`` tolerance
    is not served at all (Foodsoft's ``redistribute`` without the tolerance policy). Except with
    ``NONE``, members get in total min(available, Σq [+ Σt]) and nobody more than q [+ t].
    Pinned lines get their pinned value and the strategy shares what is left among the others.
    Ties (equal proportional remainders, the last round-robin round) go to the earlier
    ``ordered_at``, then the lower ``member_id``, then the earlier line in ``lines``. Nothing is
    handed out when ``available`` is 0, even with ``NONE`` (as Foodsoft).
    O(n log n) for the one sort, otherwise linear in the number of lines and slices.
    """
    _count(available, "available")
    strategy = Strategy(strategy)
    n = len(lines)
    pinned = tuple(line.pinned is not None for line in lines)
    if any(pinned):
        active = [i for i in range(n) if not pinned[i]]
        pinned_total = sum(line.pinned for line in lines if line.pinned is not None)
        left = max(0, available - pinned_total)
        result = _run(lines, active, left, available, strategy, use_tolerance)
        for i, line in enumerate(lines):
            if line.pinned is not None:
                result[i] = line.pinned
        allocated = tuple(result)
        computed = tuple(_run(lines, range(n), available, available, strategy, use_tolerance))
    else:
        allocated = computed = tuple(
            _run(lines, range(n), available, available, strategy, use_tolerance)
        )
    tolerance_used = 0
    for line, given in zip(lines, allocated, strict=True):
        if given > line.quantity:
            tolerance_used += given - line.quantity
    return Allocation(
        strategy=strategy,
        available=available,
        use_tolerance=use_tolerance,
        allocated=allocated,
        computed=computed,
        pinned=pinned,
        surplus=available - sum(allocated),
        tolerance_used=tolerance_used,
    )


def _run(
    lines: Sequence[DemandLine],
    active: Iterable[int],
    amount: int,
    available: int,
    strategy: Strategy,
    use_tolerance: bool,
) -> list[int]:
    """Allocate ``amount`` among the ``active`` lines; inactive (pinned) lines get 0 here."""
    out = [0] * len(lines)
    active = list(active)
    if available == 0 or not active:  # Foodsoft: nothing is handed out from a total of 0
        return out
    if strategy is Strategy.FIFO:
        rows = _fifo_rows(lines, active)
        left = amount
        for _at, _seq, _member, i, q, _t in rows:
            if left <= 0:
                break
            given = q if q < left else left
            out[i] += given
            left -= given
        if use_tolerance and left > 0:
            _fifo_tolerance(out, rows, left)
        return out
    if strategy is Strategy.NONE:
        left = amount
        for i in active:
            out[i] = lines[i].quantity
            left -= out[i]
        if use_tolerance and left > 0:
            _fifo_tolerance(out, _fifo_rows(lines, active), left)
        return out

    firm = sum(lines[i].quantity for i in active)
    spare = sum(lines[i].tolerance for i in active) if use_tolerance else 0
    share = min(amount, firm + spare)
    fill = _largest_remainder if strategy is Strategy.PROPORTIONAL else _water_fill
    if share <= firm:
        fill(out, lines, active, share, firm, "quantity")
    else:
        for i in active:
            out[i] = lines[i].quantity
        fill(out, lines, active, share - firm, spare, "tolerance")
    return out


# One slice in FIFO order: (time, seq, member, line index, quantity, tolerance).
_FifoRow = tuple[datetime, int, int, int, int, int]


def _fifo_rows(lines: Sequence[DemandLine], active: list[int]) -> list[_FifoRow]:
    """All slices of the active lines, sorted once by (time, seq, member, line)."""
    rows: list[_FifoRow] = []
    append = rows.append
    for i in active:
        line = lines[i]
        if line.slices:
            for piece in line.slices:
                append((piece.at, piece.seq, line.member_id, i, piece.quantity, piece.tolerance))
        else:
            append((line.ordered_at, 0, line.member_id, i, line.quantity, line.tolerance))
    rows.sort()
    return rows


def _fifo_tolerance(out: list[int], rows: list[_FifoRow], left: int) -> None:
    """Foodsoft's second pass: tolerance, in the same time order, until ``left`` is used."""
    for _at, _seq, _member, i, _q, t in rows:
        given = t if t < left else left
        out[i] += given
        left -= given
        if left <= 0:
            break


def _largest_remainder(
    out: list[int],
    lines: Sequence[DemandLine],
    active: list[int],
    amount: int,
    total: int,
    field: str,
) -> None:
    """Hamilton apportionment of ``amount`` (<= ``total``) by each line's ``field``, in integers.

    Each line gets floor(w × amount / total); the units left go one each to the largest
    remainders, ties to the earlier ``ordered_at``, then the lower ``member_id``, then input order.
    """
    if amount == 0 or total == 0:
        return
    weight = attrgetter(field)
    given = 0
    remainders: list[tuple[int, datetime, int, int]] = []
    for i in active:
        line = lines[i]
        w = weight(line)
        if not w:
            continue
        floor, remainder = divmod(w * amount, total)
        out[i] += floor
        given += floor
        if remainder:
            remainders.append((-remainder, line.ordered_at, line.member_id, i))
    left = amount - given
    if left:
        remainders.sort()
        for _r, _at, _member, i in remainders[:left]:
            out[i] += 1


def _water_fill(
    out: list[int],
    lines: Sequence[DemandLine],
    active: list[int],
    amount: int,
    total: int,
    field: str,
) -> None:
    """Round robin without looping per unit: ``amount`` (<= ``total``) one unit per line per round.

    After ``level`` full rounds every line has min(w, level); the last partial round gives one
    more unit to the earliest lines (``ordered_at``, ``member_id``, input order) still wanting some.
    """
    if amount == 0 or total == 0:
        return
    weight = attrgetter(field)
    weights = sorted(w for w in map(weight, (lines[i] for i in active)) if w)
    left, level, still = amount, 0, len(weights)
    for w in weights:
        step = (w - level) * still
        if step > left:
            break
        left -= step
        level = w
        still -= 1
    if still:
        level += left // still
        left %= still
    waiting: list[tuple[datetime, int, int]] = []
    for i in active:
        line = lines[i]
        w = weight(line)
        if w > level:
            out[i] += level
            if left:
                waiting.append((line.ordered_at, line.member_id, i))
        else:
            out[i] += w
    if left:
        waiting.sort()
        for _at, _member, i in waiting[:left]:
            out[i] += 1


# --------------------------------------------------------------------------------------------
# Cycle states
# --------------------------------------------------------------------------------------------


class CycleState(StrEnum):
    """Where an order cycle stands; each state is reached from the one before it only."""

    DRAFT = "draft"  # articles being prepared, members cannot order yet
    OPEN = "open"  # members order during the window (box-fill phase after ``boxfill_at``)
    CLOSED = "closed"  # rounded to cases and allocated; the order can be checked
    SENT = "sent"  # the order went to the suppliers
    RECEIVED = "received"  # the delivery was counted and shared out
    SETTLED = "settled"  # members were charged


NEXT_STATE: dict[CycleState, CycleState] = {
    CycleState.DRAFT: CycleState.OPEN,
    CycleState.OPEN: CycleState.CLOSED,
    CycleState.CLOSED: CycleState.SENT,
    CycleState.SENT: CycleState.RECEIVED,
    CycleState.RECEIVED: CycleState.SETTLED,
}


def may_move(current: CycleState | str, target: CycleState | str) -> bool:
    """Only one step forward at a time (receiving again stays ``RECEIVED``)."""
    current, target = CycleState(current), CycleState(target)
    if current is CycleState.RECEIVED and target is CycleState.RECEIVED:
        return True
    return NEXT_STATE.get(current) is target


def phase(
    state: CycleState | str,
    now: datetime,
    *,
    opens_at: datetime,
    closes_at: datetime,
    boxfill_at: datetime | None,
) -> str:
    """What members see of an open cycle: ``upcoming``, ``open``, ``boxfill`` or ``ended``
    (the window is over, the coordinator has not closed yet); other states as they are.

    Box-fill starts strictly after ``boxfill_at``, as in ``check_change``.
    """
    state = CycleState(state)
    if state is not CycleState.OPEN:
        return state.value
    if now < opens_at:
        return "upcoming"
    if now >= closes_at:
        return "ended"
    if boxfill_at is not None and now > boxfill_at:
        return "boxfill"
    return "open"


def may_order(
    state: CycleState | str, now: datetime, *, opens_at: datetime, closes_at: datetime
) -> bool:
    """Members may change their order: the cycle is open and ``opens_at <= now < closes_at``."""
    return CycleState(state) is CycleState.OPEN and opens_at <= now < closes_at
