"""Which payment means paid the capital shares and the yearly fee taken at the till (issue 15):
the treasurer matches "parts sociales : espèces 30,00 €, carte 35,00 €" on the Z with the bank
and the cash drawer. Pure: no database, no clock.

The allocation rule, one sale at a time, in whole cents (nothing to round):

1. the money each means booked for the sale (cash net of change) is taken in the means' fixed
   order — cash, card, cheque, local currency, prepaid account (``Means`` declaration order);
2. it pays the sale's parts in the order shares → fee → top-up and goods: the shares first, then
   the fee; what is left is the goods' and the top-up's (never split here);
3. a sale that pays out (total < 0) books no money received, and refunds in the same sale may
   leave less money than the shares and fee: the part no means covered is ``offset`` (set off
   against the sale's refunds), paid by no means. So for each of shares and fees
   ``sum(by means) + offset == the amount on the Z``.

Worked examples (in cents): 3 shares 3000 + jam 235, paid card 2000 and cash 1235 → shares:
cash 1235, card 1765. Shares 1000 + fee 1500 + goods 2000, paid card 2000 and cash 3000
tendered with 500 change (cash 2500) → shares: cash 1000; fee: cash 1500; the card paid the
goods. Shares 1000 with a refund of −800, paid cash 200 → shares: cash 200, offset 800.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from coop.till.closures import MeansTotal
from coop.till.payments import Means
from coop.till.sales import CommittedSale


@dataclass(frozen=True)
class MembershipMeans:
    """Shares and fees by means (in ``Means`` order, only means with money), and the part of
    each that refunds in the same sale set off (paid by no means)."""

    shares: tuple[MeansTotal, ...] = ()
    fees: tuple[MeansTotal, ...] = ()
    share_offset_cents: int = 0
    fee_offset_cents: int = 0

    @property
    def share_cents(self) -> int:
        return sum(t.amount_cents for t in self.shares) + self.share_offset_cents

    @property
    def fee_cents(self) -> int:
        return sum(t.amount_cents for t in self.fees) + self.fee_offset_cents

    def to_data(self) -> dict[str, object]:
        """Plain values for a report (``coop till report --json``)."""
        return {
            "shares": [{"means": t.means, "amount": t.amount_cents} for t in self.shares],
            "fees": [{"means": t.means, "amount": t.amount_cents} for t in self.fees],
            "shares_offset": self.share_offset_cents,
            "fees_offset": self.fee_offset_cents,
        }


def _take(due: int, left: dict[Means, int]) -> tuple[dict[Means, int], int]:
    """Take ``due`` from ``left`` (changed in place) in ``Means`` order; what no means covered."""
    taken: dict[Means, int] = {}
    for means in Means:
        amount = min(due, left.get(means, 0))
        if amount > 0:
            taken[means] = amount
            left[means] -= amount
            due -= amount
    return taken, due


def _totals(amounts: Mapping[Means, int]) -> tuple[MeansTotal, ...]:
    return tuple(MeansTotal(means, amounts[means]) for means in Means if amounts.get(means))


def membership_by_means(
    share_cents: int, fee_cents: int, paid: Mapping[Means, int]
) -> MembershipMeans:
    """One sale's shares and fee by means, from its booked payments per means (``paid``;
    negative amounts, paid out, count as nothing received). See the module's rule."""
    if share_cents < 0 or fee_cents < 0:
        raise ValueError("shares and fees are never negative")
    left = {means: max(amount, 0) for means, amount in paid.items()}
    shares, share_offset = _take(share_cents, left)
    fees, fee_offset = _take(fee_cents, left)
    return MembershipMeans(_totals(shares), _totals(fees), share_offset, fee_offset)


@dataclass
class _Running:
    shares: dict[Means, int] = field(default_factory=dict)
    fees: dict[Means, int] = field(default_factory=dict)
    share_offset: int = 0
    fee_offset: int = 0

    def add(self, part: MembershipMeans) -> None:
        for into, totals in ((self.shares, part.shares), (self.fees, part.fees)):
            for total in totals:
                into[total.means] = into.get(total.means, 0) + total.amount_cents
        self.share_offset += part.share_offset_cents
        self.fee_offset += part.fee_offset_cents


def sales_membership_by_means(sales: Iterable[CommittedSale]) -> MembershipMeans:
    """The sum of ``membership_by_means`` over ``sales`` (a Z's day)."""
    return total_membership_means(
        membership_by_means(sale.sale.share_cents, sale.sale.fee_cents, sale.settlement.by_means())
        for sale in sales
        if sale.sale.share_cents or sale.sale.fee_cents
    )


def total_membership_means(parts: Iterable[MembershipMeans]) -> MembershipMeans:
    """The sum of several splits: a day's sales, or a month's or a year's days."""
    running = _Running()
    for part in parts:
        running.add(part)
    return MembershipMeans(
        _totals(running.shares), _totals(running.fees), running.share_offset, running.fee_offset
    )
