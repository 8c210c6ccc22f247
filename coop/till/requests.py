"""What the till sends: a basket (``SaleRequest``) of scans, containers brought back, refunds
of earlier lines, a sale discount, a top-up and the tenders; plain values, nothing checked yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coop.till.payments import Tender
from coop.till.pricing import Discount


@dataclass(frozen=True)
class ItemRequest:
    """One scan or typed code; ``quantity`` pieces (default 1) or ``grams`` for weighed goods
    without a scale label; a line ``discount`` with its reason."""

    code: str
    quantity: int | None = None
    grams: int | None = None
    discount: Discount | None = None


@dataclass(frozen=True)
class DepositReturn:
    """Containers brought back: the deposit product's code and how many."""

    code: str
    count: int = 1


@dataclass(frozen=True)
class RefundRequest:
    """Give back ``quantity`` (None: all that is left) of line ``line_no`` of sale
    ``sale_number`` of till ``till`` (None: this till). ``restock`` puts the goods back in stock
    (False for goods thrown away)."""

    sale_number: int
    line_no: int
    quantity: int | None = None
    till: str | None = None
    restock: bool = True


@dataclass(frozen=True)
class MembershipAsk:
    """Capital shares and/or the yearly fee paid in the basket. Shares: ``share_cents`` (an
    amount), else ``share_count`` whole shares, else what the member still owes when
    ``shares`` is set. Fee: ``fee_cents``, else what is due this year when ``fee`` is set."""

    shares: bool = False
    share_cents: int | None = None
    share_count: int | None = None
    fee: bool = False
    fee_cents: int | None = None

    @property
    def asked(self) -> bool:
        return self.shares or self.fee


@dataclass(frozen=True)
class SaleRequest:
    items: Sequence[ItemRequest] = ()
    member: str | None = None
    """A card or a member number; None for a non-member (where the coop allows it)."""
    override_reason: str | None = None
    """Why a member the desk check refuses may shop anyway (logged)."""
    returns: Sequence[DepositReturn] = ()
    refunds: Sequence[RefundRequest] = ()
    discount: Discount | None = None
    top_up_cents: int = 0
    membership: MembershipAsk = MembershipAsk()
    tenders: Sequence[Tender] = ()
    authorised_by: int | None = None
    """The member number of whoever authorised a discount beyond the cashier's limit."""
    token: str | None = None
    """The till's key for this basket (a UUID): committing it twice is refused."""
