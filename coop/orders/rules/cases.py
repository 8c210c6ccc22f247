"""Case rounding (reference/orders.md §2.1, §2.11): how many cases to order for an article's
firm quantity and tolerance, and the per-article summary the coordinator sees."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from coop.orders.rules.checks import _case_size, _count, _minimum


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
