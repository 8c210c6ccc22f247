"""The till's pure rules in one place (DESIGN §2: ``rules.py`` is the context's pure room).

No database, no Session, no I/O, no clock: times are parameters. The rules live in small modules
and are re-exported here, so the service and the tests import ``coop.till.rules``:

- ``pricing``: items, member price rules, discounts, sale lines (by piece, by weight, labelled,
  deposits, refunds) and sale totals with the VAT summary;
- ``payments``: payment means, tenders, the settlement of a total (change only from cash);
- ``cash``: euro denominations, cash counts, the drawer's reconciliation;
- ``sales``: a committed sale and the data the journal seals;
- ``journal``: canonical serialisation, the SHA-256 chain and its verification;
- ``closures``: daily (Z), monthly and yearly closures with the perpetual grand total;
- ``membership_means``: which means paid the shares and fees taken at the till (the Z's split);
- ``refusals``: the codes of every refusal.
"""

from coop.till.cash import (
    EURO_COINS,
    EURO_DENOMINATIONS,
    EURO_NOTES,
    CashCount,
    CashMovement,
    CashReconciliation,
    MovementReason,
    count_cash,
    declared_cash,
    reconcile,
)
from coop.till.chain import Anchor, Break, ChainBreak, ChainVerdict, verify_chain
from coop.till.closures import (
    Closure,
    MeansTotal,
    Period,
    day_closure,
    month_closure,
    seal_closure,
    year_closure,
)
from coop.till.journal import (
    GENESIS_HASH,
    JournalRecord,
    RecordKind,
    canonical_bytes,
    record_hash,
    seal,
)
from coop.till.membership_means import (
    MembershipMeans,
    membership_by_means,
    sales_membership_by_means,
    total_membership_means,
)
from coop.till.payments import Means, Payment, PaymentPolicy, Settlement, Tender, settle
from coop.till.pricing import (
    Discount,
    DiscountReason,
    Item,
    LineKind,
    LineRef,
    PricedSale,
    PriceRule,
    SaleLine,
    deposit_line,
    labelled_line,
    price_sale,
    product_line,
    refund_line,
    refunded_quantity,
)
from coop.till.refusals import Refusal, Refused
from coop.till.sales import CommittedSale, seal_sale

__all__ = [
    "EURO_COINS",
    "EURO_DENOMINATIONS",
    "EURO_NOTES",
    "GENESIS_HASH",
    "Anchor",
    "Break",
    "CashCount",
    "CashMovement",
    "CashReconciliation",
    "ChainBreak",
    "ChainVerdict",
    "Closure",
    "CommittedSale",
    "Discount",
    "DiscountReason",
    "Item",
    "JournalRecord",
    "LineKind",
    "LineRef",
    "Means",
    "MeansTotal",
    "MembershipMeans",
    "MovementReason",
    "Payment",
    "PaymentPolicy",
    "Period",
    "PriceRule",
    "PricedSale",
    "RecordKind",
    "Refusal",
    "Refused",
    "SaleLine",
    "Settlement",
    "Tender",
    "canonical_bytes",
    "count_cash",
    "day_closure",
    "declared_cash",
    "deposit_line",
    "labelled_line",
    "membership_by_means",
    "month_closure",
    "price_sale",
    "product_line",
    "reconcile",
    "record_hash",
    "refund_line",
    "refunded_quantity",
    "sales_membership_by_means",
    "seal",
    "seal_closure",
    "seal_sale",
    "settle",
    "total_membership_means",
    "verify_chain",
    "year_closure",
]
