"""Allocation (reference/orders.md §2.2, §2.3, §2.10): sharing the units available among the
members' demand lines by FIFO, proportional or round-robin strategy, with manual pins; one
function for order close and for delivery."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from operator import attrgetter

from coop.orders.rules.checks import _count, _delta
from coop.orders.rules.ledger import Increment, Slice, fold


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
