"""Payments: how a sale's total is settled, to the cent, with one or several means.

Rules (issue 4, DESIGN §3.2):

- a sale to pay (total > 0) takes positive tenders; the booked payments add up to the total
  exactly. Only cash may exceed what is due, and the excess is given back as change, in cash;
  card (the amount keyed on the external terminal), cheque, local currency and the prepaid account
  never exceed what is left to pay;
- a sale that pays out (total < 0: refunds, deposit returns) takes negative tenders adding up to
  the total exactly, and never gives change;
- a sale of 0 takes no tender;
- the local currency is accepted only when the coop has named it (la Gonette, l'Eusko...);
- the prepaid account needs an account and may not go below ``-overdraft_cents`` (0 by default);
  crediting it (a refund to the account) is always possible. A top-up of the account in the same
  sale cannot be paid from that account.

Every wrong case raises ``Refused`` with its own ``Refusal`` code; nothing is partly booked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from coop.till.pricing import check_int
from coop.till.refusals import Refusal, Refused


class Means(StrEnum):
    """Payment means; declaration order is the order of closures and receipts."""

    CASH = "cash"
    CARD = "card"
    CHEQUE = "cheque"
    LOCAL_CURRENCY = "local_currency"
    ACCOUNT = "account"  # the member's prepaid account (compte adhérent)


@dataclass(frozen=True)
class PaymentPolicy:
    """What the coop accepts. ``local_currency_name`` (e.g. "Gonette") enables that means and is
    what receipts print; ``overdraft_cents`` is how far below zero a prepaid account may go."""

    local_currency_name: str | None = None
    overdraft_cents: int = 0
    accepted: frozenset[Means] = field(default_factory=lambda: frozenset(Means))

    def __post_init__(self) -> None:
        if check_int(self.overdraft_cents, "overdraft_cents") < 0:
            raise Refused(Refusal.AMOUNT_NOT_POSITIVE, "overdraft_cents", self.overdraft_cents)

    def accepts(self, means: Means) -> bool:
        if means is Means.LOCAL_CURRENCY and not self.local_currency_name:
            return False
        return means in self.accepted


@dataclass(frozen=True)
class Tender:
    """What the cashier records: cash handed over (may exceed, for change), the card terminal's
    amount, a cheque... ``reference`` is the terminal ticket or cheque number when there is one."""

    means: Means
    amount_cents: int
    reference: str = ""

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "means", Means(self.means))
        except ValueError:
            raise Refused(Refusal.MEANS_NOT_ACCEPTED, "means", self.means) from None
        check_int(self.amount_cents, "amount_cents")


@dataclass(frozen=True)
class Payment:
    """A booked payment: cash net of change; negative when the till pays out."""

    means: Means
    amount_cents: int
    reference: str = ""


@dataclass(frozen=True)
class Settlement:
    """How a total was settled. ``payments`` add up to ``total_cents`` exactly; cash tendered
    minus change is the one cash payment (merged, placed where the first cash tender was)."""

    total_cents: int
    payments: tuple[Payment, ...]
    cash_tendered_cents: int = 0
    change_cents: int = 0

    def by_means(self) -> dict[Means, int]:
        totals: dict[Means, int] = {}
        for payment in self.payments:
            totals[payment.means] = totals.get(payment.means, 0) + payment.amount_cents
        return totals

    @property
    def cash_cents(self) -> int:
        """Net cash into the drawer (negative when cash was paid out)."""
        return self.by_means().get(Means.CASH, 0)

    @property
    def account_cents(self) -> int:
        """Paid from the prepaid account (negative: credited to it)."""
        return self.by_means().get(Means.ACCOUNT, 0)


def _missing_or_excess(due: int, paid: int) -> None:
    """Amounts are compared as magnitudes, so the codes read the same for payouts."""
    if abs(paid) < abs(due):
        raise Refused(Refusal.UNDERPAID, "tenders", abs(due) - abs(paid))
    if abs(paid) > abs(due):
        raise Refused(Refusal.OVERPAID, "tenders", abs(paid) - abs(due))


def _check_tenders(total: int, tenders: tuple[Tender, ...], policy: PaymentPolicy) -> None:
    """Each tender on its own: its sign against the total's, its means accepted."""
    for tender in tenders:
        amount, means = tender.amount_cents, tender.means
        if total == 0:
            raise Refused(Refusal.NOTHING_TO_PAY, "tenders", amount)
        if total > 0 and amount <= 0:
            raise Refused(Refusal.AMOUNT_NOT_POSITIVE, "amount_cents", amount)
        if total < 0 and amount >= 0:
            raise Refused(Refusal.WRONG_SIGN, "amount_cents", amount)
        if not policy.accepts(means):
            raise Refused(Refusal.MEANS_NOT_ACCEPTED, "means", means)


def _check_account(
    tenders: tuple[Tender, ...],
    policy: PaymentPolicy,
    account_balance_cents: int | None,
    top_up_cents: int,
) -> None:
    """What the prepaid account pays: an account there is, not topping itself up, within the
    balance plus the overdraft."""
    if not any(t.means is Means.ACCOUNT for t in tenders):
        return
    from_account = sum(t.amount_cents for t in tenders if t.means is Means.ACCOUNT)
    if account_balance_cents is None:
        raise Refused(Refusal.NO_ACCOUNT, "means", Means.ACCOUNT)
    balance = check_int(account_balance_cents, "account_balance_cents")
    if from_account > 0 and top_up_cents > 0:
        raise Refused(Refusal.TOP_UP_FROM_ACCOUNT, "means", Means.ACCOUNT)
    available = max(balance + policy.overdraft_cents, 0)
    if from_account > available:
        raise Refused(Refusal.INSUFFICIENT_CREDIT, "amount_cents", available)


def settle(
    total_cents: int,
    tenders: Iterable[Tender],
    policy: PaymentPolicy | None = None,
    *,
    account_balance_cents: int | None = None,
    top_up_cents: int = 0,
) -> Settlement:
    """Check the tenders against the total and book them, or refuse with the first wrong case.

    ``account_balance_cents`` is the member's prepaid balance before this sale (None: no account).
    Worked example: 47,35 € paid 30,00 € by card and a 20 € note → cash 17,35 €, change 2,65 €.
    """
    policy = policy or PaymentPolicy()
    total = check_int(total_cents, "total_cents")
    check_int(top_up_cents, "top_up_cents")
    tenders = tuple(tenders)
    _check_tenders(total, tenders, policy)
    if total == 0:
        return Settlement(total_cents=0, payments=())
    _check_account(tenders, policy, account_balance_cents, top_up_cents)
    cash = sum(t.amount_cents for t in tenders if t.means is Means.CASH)
    other = sum(t.amount_cents for t in tenders if t.means is not Means.CASH)
    change = 0
    if total > 0:
        if other > total:
            raise Refused(Refusal.NON_CASH_EXCEEDS_TOTAL, "tenders", other - total)
        if other + cash < total:
            raise Refused(Refusal.UNDERPAID, "tenders", total - other - cash)
        if cash > 0 and other == total:
            raise Refused(Refusal.CASH_NOT_NEEDED, "tenders", cash)
        change = other + cash - total
    else:
        _missing_or_excess(total, other + cash)
    payments: list[Payment] = []
    for tender in tenders:
        if tender.means is not Means.CASH:
            payments.append(Payment(tender.means, tender.amount_cents, tender.reference))
        elif not any(p.means is Means.CASH for p in payments):
            references = [t.reference for t in tenders if t.means is Means.CASH and t.reference]
            payments.append(Payment(Means.CASH, cash - change, ", ".join(references)))
    return Settlement(
        total_cents=total,
        payments=tuple(payments),
        cash_tendered_cents=cash,
        change_cents=change,
    )
