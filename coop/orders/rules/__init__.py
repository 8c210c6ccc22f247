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

One module per responsibility: ``ledger`` (demand ledger, boxfill), ``cases`` (case rounding),
``sharing`` (allocation), ``cycle`` (cycle states), ``checks`` (argument checks). This package
gathers their public names, so callers write ``rules.allocate`` or
``from coop.orders.rules import CycleState``.
"""

from coop.orders.rules.cases import (
    CaseSummary,
    Rounding,
    foodsoft_cases,
    missing_units,
    summarize,
)
from coop.orders.rules.cycle import (
    NEXT_STATE,
    CycleState,
    may_move,
    may_order,
    phase,
)
from coop.orders.rules.ledger import (
    BoxfillVerdict,
    Demand,
    Folded,
    Increment,
    Slice,
    boxfill_verdict,
    check_change,
    fold,
    increment_for,
)
from coop.orders.rules.sharing import (
    Allocation,
    DemandLine,
    Strategy,
    allocate,
    demand_line,
    demand_line_from_rows,
    pin,
    unpin,
)

__all__ = [
    "NEXT_STATE",
    "Allocation",
    "BoxfillVerdict",
    "CaseSummary",
    "CycleState",
    "Demand",
    "DemandLine",
    "Folded",
    "Increment",
    "Rounding",
    "Slice",
    "Strategy",
    "allocate",
    "boxfill_verdict",
    "check_change",
    "demand_line",
    "demand_line_from_rows",
    "fold",
    "foodsoft_cases",
    "increment_for",
    "may_move",
    "may_order",
    "missing_units",
    "phase",
    "pin",
    "summarize",
    "unpin",
]
