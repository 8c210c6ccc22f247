"""The cash drawer of a till session: the counted float, the counted closing cash, the difference.

Expected cash = opening float + net cash of every settled sale (cash handed over minus change;
negative when cash was paid out) + cash movements (money put in or taken out without a sale, e.g.
notes taken to the safe). Difference = counted − expected: positive is a surplus, negative a
shortfall. A count is either by coins and notes (euro denominations, in cents) or, when the
coop does not count piece by piece, a declared total.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from coop.till.payments import Settlement
from coop.till.pricing import check_int
from coop.till.refusals import Refusal, Refused

EURO_COINS: tuple[int, ...] = (1, 2, 5, 10, 20, 50, 100, 200)
EURO_NOTES: tuple[int, ...] = (500, 1000, 2000, 5000, 10000, 20000, 50000)
"""The 500 € note is no longer issued but is still legal tender, so a drawer may hold one."""
EURO_DENOMINATIONS: tuple[int, ...] = EURO_COINS + EURO_NOTES


@dataclass(frozen=True)
class CashCount:
    """A counted drawer. ``pieces`` is ((denomination in cents, number), ...) ascending, without
    zero counts, or None for a declared total; build it with ``count_cash`` or ``declared_cash``.
    """

    total_cents: int
    pieces: tuple[tuple[int, int], ...] | None = None


def count_cash(counts: Mapping[int, int]) -> CashCount:
    """A count by denomination: {2000: 1, 1000: 2, 200: 5} is 20 € + 2 × 10 € + 5 × 2 € = 50 €."""
    pieces = []
    for denomination, number in counts.items():
        check_int(denomination, "denomination")
        if denomination not in EURO_DENOMINATIONS:
            raise Refused(Refusal.UNKNOWN_DENOMINATION, "denomination", denomination)
        if check_int(number, str(denomination)) < 0:
            raise Refused(Refusal.NEGATIVE_COUNT, str(denomination), number)
        if number:
            pieces.append((denomination, number))
    pieces.sort()
    return CashCount(total_cents=sum(d * n for d, n in pieces), pieces=tuple(pieces))


def declared_cash(total_cents: int) -> CashCount:
    """A count given as one total (the issue's "optionally by coins and notes")."""
    if check_int(total_cents, "total_cents") < 0:
        raise Refused(Refusal.NEGATIVE_COUNT, "total_cents", total_cents)
    return CashCount(total_cents=total_cents)


class MovementReason(StrEnum):
    """Cash in or out of the drawer without a sale."""

    SAFE_DROP = "safe_drop"  # notes taken to the safe during the day
    BANK_DEPOSIT = "bank_deposit"
    FLOAT_TOP_UP = "float_top_up"  # change brought in
    PETTY_EXPENSE = "petty_expense"  # a small purchase paid from the drawer
    OTHER = "other"


@dataclass(frozen=True)
class CashMovement:
    """``amount_cents`` > 0 puts money in the drawer, < 0 takes it out."""

    amount_cents: int
    reason: MovementReason
    note: str = ""

    def __post_init__(self) -> None:
        check_int(self.amount_cents, "amount_cents")
        object.__setattr__(self, "reason", MovementReason(self.reason))


@dataclass(frozen=True)
class CashReconciliation:
    """The closing of a drawer, every figure in cents.

    expected = opening + tendered − change − paid_out + movements; difference = counted − expected.
    """

    opening_cents: int
    tendered_cents: int  # cash handed over by customers
    change_cents: int  # given back
    paid_out_cents: int  # cash refunds and deposit returns paid in cash (a positive figure)
    movements_cents: int
    counted_cents: int

    @property
    def expected_cents(self) -> int:
        return (
            self.opening_cents
            + self.tendered_cents
            - self.change_cents
            - self.paid_out_cents
            + self.movements_cents
        )

    @property
    def difference_cents(self) -> int:
        return self.counted_cents - self.expected_cents


def reconcile(
    opening: CashCount,
    settlements: Iterable[Settlement],
    counted: CashCount,
    movements: Iterable[CashMovement] = (),
) -> CashReconciliation:
    """Compare the counted closing cash with what the session's sales say should be there."""
    tendered = change = paid_out = 0
    for settlement in settlements:
        if settlement.total_cents >= 0:
            tendered += settlement.cash_tendered_cents
            change += settlement.change_cents
        else:
            paid_out -= settlement.cash_cents
    return CashReconciliation(
        opening_cents=opening.total_cents,
        tendered_cents=tendered,
        change_cents=change,
        paid_out_cents=paid_out,
        movements_cents=sum(movement.amount_cents for movement in movements),
        counted_cents=counted.total_cents,
    )
