"""The counter's basket as the cashier builds it: immutable values the screen replaces whole.

``Cart`` holds what the cashier did (the member scanned, each scan, containers brought back,
refunds, discounts) and turns it into the core's ``coop.till.selling.SaleRequest``; every
price, rule and check stays in the core (``selling.price_basket`` prices a candidate cart in a
worker, ``selling.commit_sale`` commits it). A change is proposed as a new ``Cart``; the screen
keeps it only when the core accepted it, so a refused scan or discount leaves the basket as it
was.

``rows(preview)`` pairs each line the core priced with what the cashier can act on (the scan
that made it, a container return, a refund), in the core's order: each scan's line followed by
its automatic deposit line, then returns, then refunds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the selling module (ORM models) loads in the first worker, not at start-up
    from coop.till.pricing import Discount
    from coop.till.selling import DepositReturn, ItemRequest, RefundRequest, SaleRequest


def new_token() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Row:
    """One line on screen: what it comes from (``source`` 'item', 'deposit', 'return' or
    'refund') and the index of that thing in the cart; ``line`` is the core's line (as_dict)."""

    source: str
    index: int
    line: dict[str, Any]


@dataclass(frozen=True)
class Cart:
    member: str | None = None
    """The card or number scanned (what the core's desk check reads)."""
    override_reason: str | None = None
    items: tuple[ItemRequest, ...] = ()
    discount_labels: tuple[bool, ...] = ()
    """Per item: a discount label (applies to the item before it; no line of its own)."""
    returns: tuple[DepositReturn, ...] = ()
    refunds: tuple[RefundRequest, ...] = ()
    discount: Discount | None = None
    authorised_by: int | None = None
    token: str = field(default_factory=new_token)

    @property
    def empty(self) -> bool:
        return not (self.items or self.returns or self.refunds)

    def request(self, tenders: tuple = ()) -> SaleRequest:
        from coop.till.selling import SaleRequest

        return SaleRequest(
            items=self.items,
            member=self.member,
            override_reason=self.override_reason,
            returns=self.returns,
            refunds=self.refunds,
            discount=self.discount,
            tenders=tenders,
            authorised_by=self.authorised_by,
            token=self.token,
        )

    # --- changes (each returns a new cart) ----------------------------------------------------

    def with_member(self, member: str) -> Cart:
        return replace(self, member=member, override_reason=None)

    def add_item(self, code: str, *, discount_label: bool = False) -> Cart:
        from coop.till.selling import ItemRequest

        return replace(
            self,
            items=(*self.items, ItemRequest(code)),
            discount_labels=(*self.discount_labels, discount_label),
        )

    def replace_item(self, index: int, item: ItemRequest) -> Cart:
        items = list(self.items)
        items[index] = item
        return replace(self, items=tuple(items))

    def remove_item(self, index: int) -> Cart:
        """The item and the discount labels stuck on it (the scans right after it)."""
        end = index + 1
        while end < len(self.items) and self.discount_labels[end]:
            end += 1
        return replace(
            self,
            items=self.items[:index] + self.items[end:],
            discount_labels=self.discount_labels[:index] + self.discount_labels[end:],
        )

    def add_return(self, code: str, count: int) -> Cart:
        from coop.till.selling import DepositReturn

        return replace(self, returns=(*self.returns, DepositReturn(code, count)))

    def replace_return(self, index: int, count: int) -> Cart:
        returns = list(self.returns)
        returns[index] = replace(returns[index], count=count)
        return replace(self, returns=tuple(returns))

    def remove_return(self, index: int) -> Cart:
        return replace(self, returns=self.returns[:index] + self.returns[index + 1 :])

    def add_refund(self, refund: RefundRequest) -> Cart:
        return replace(self, refunds=(*self.refunds, refund))

    def replace_refund(self, index: int, quantity: int) -> Cart:
        refunds = list(self.refunds)
        refunds[index] = replace(refunds[index], quantity=quantity)
        return replace(self, refunds=tuple(refunds))

    def remove_refund(self, index: int) -> Cart:
        return replace(self, refunds=self.refunds[:index] + self.refunds[index + 1 :])

    def with_discount(self, discount: Discount | None, authorised_by: int | None) -> Cart:
        return replace(self, discount=discount, authorised_by=authorised_by or self.authorised_by)

    def with_line_discount(
        self, index: int, discount: Discount | None, authorised_by: int | None
    ) -> Cart:
        cart = self.replace_item(index, replace(self.items[index], discount=discount))
        return replace(cart, authorised_by=authorised_by or self.authorised_by)

    # --- what is on screen --------------------------------------------------------------------

    def rows(self, lines: list[dict[str, Any]]) -> list[Row]:
        rows: list[Row] = []
        position = 0
        sources = [("item", i) for i, label in enumerate(self.discount_labels) if not label]
        sources += [("return", i) for i in range(len(self.returns))]
        sources += [("refund", i) for i in range(len(self.refunds))]
        for source, index in sources:
            if position >= len(lines):
                break
            rows.append(Row(source, index, lines[position]))
            position += 1
            if (
                source == "item"
                and position < len(lines)
                and lines[position]["kind"] == "deposit_charge"
            ):
                rows.append(Row("deposit", index, lines[position]))
                position += 1
        return rows
