"""Closures: the daily Z and the monthly and yearly closures of a till, with a perpetual total.

- A daily closure (Z) covers every sale of one calendar day (in the shop's time zone). Its sales
  must be exactly the next sale numbers after the previous Z: a day without its Z, or a sale
  left out, is refused rather than silently skipped. Consequence for the service: once a day's
  Z is taken, that till takes no more sales that day.
- Per VAT rate the Z adds up what each receipt printed (excl. VAT and VAT per sale), so the Z is
  the sum of the tickets to the cent. Per payment means it adds the booked payments (cash net of
  change). Refunds, deposits charged/returned, discounts, top-ups and change are shown apart.
- Turnover (``total_cents``) is the sum of the lines incl. VAT (refunds and deposit returns
  negative); prepaid-account top-ups, capital shares and yearly fees paid at the till are money
  received but not turnover (no VAT either), so payments = turnover + top-ups + shares + fees;
  the shares and fees are shown on their own lines.
- The perpetual grand total is the turnover since the till's first sale: each closure carries
  the previous closure's (of the same period kind) and adds its own.
- A monthly closure aggregates the daily closures of a calendar month; a yearly closure the
  monthly (or the daily) closures of a year starting on any date (the fiscal year). The parts
  must chain without a hole from the previous closure of the same kind.

All closures are frozen values; the journal seals ``Closure.to_data()``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from coop.clock import SHOP_TIMEZONE
from coop.money import VatSplit
from coop.till.journal import JournalRecord, RecordKind, seal
from coop.till.payments import Means
from coop.till.pricing import LineKind
from coop.till.refusals import Refusal, Refused
from coop.till.sales import CommittedSale


class Period(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


RECORD_KINDS = {
    Period.DAY: RecordKind.DAY_CLOSURE,
    Period.MONTH: RecordKind.MONTH_CLOSURE,
    Period.YEAR: RecordKind.YEAR_CLOSURE,
}
_PARTS = {Period.MONTH: (Period.DAY,), Period.YEAR: (Period.MONTH, Period.DAY)}
_MEANS_ORDER = {means: index for index, means in enumerate(Means)}


@dataclass(frozen=True)
class MeansTotal:
    means: Means
    amount_cents: int


@dataclass(frozen=True)
class Closure:
    """The totals of one till over ``start``..``end`` (inclusive), all in cents incl. VAT
    unless named otherwise. ``last_sale_number`` is the highest sale number closed so far
    (carried over a day without sales; 0 before the first sale)."""

    till_id: int
    period: Period
    start: date
    end: date
    sale_count: int
    refund_count: int  # sales with at least one refund line
    refund_cents: int  # the refund lines (≤ 0)
    deposit_charged_cents: int
    deposit_returned_cents: int  # ≤ 0
    discount_cents: int  # line and sale discounts granted (≥ 0, already out of the lines)
    top_up_cents: int
    change_cents: int
    first_sale_number: int | None
    last_sale_number: int
    vat: tuple[VatSplit, ...]
    payments: tuple[MeansTotal, ...]
    previous_perpetual_cents: int
    share_cents: int = 0
    """Capital shares paid at the till (outside turnover)."""
    fee_cents: int = 0
    """Yearly fees paid at the till (outside turnover)."""

    @property
    def total_cents(self) -> int:
        """The period's turnover incl. VAT."""
        return sum(split.incl_vat for split in self.vat)

    @property
    def excl_vat_cents(self) -> int:
        return sum(split.excl_vat for split in self.vat)

    @property
    def vat_cents(self) -> int:
        return sum(split.vat for split in self.vat)

    @property
    def payments_cents(self) -> int:
        return sum(total.amount_cents for total in self.payments)

    @property
    def perpetual_cents(self) -> int:
        """The perpetual grand total: the previous closure's plus this period's turnover."""
        return self.previous_perpetual_cents + self.total_cents

    def payment(self, means: Means) -> int:
        return sum(t.amount_cents for t in self.payments if t.means is means)

    def to_data(self) -> dict[str, Any]:
        """Plain values for the journal (derived totals included, so a record reads alone)."""
        return {
            "period": self.period,
            "start": self.start,
            "end": self.end,
            "sale_count": self.sale_count,
            "refund_count": self.refund_count,
            "refunds": self.refund_cents,
            "deposits_charged": self.deposit_charged_cents,
            "deposits_returned": self.deposit_returned_cents,
            "discounts": self.discount_cents,
            "top_ups": self.top_up_cents,
            **membership_totals(self.share_cents, self.fee_cents),
            "change": self.change_cents,
            "first_sale": self.first_sale_number,
            "last_sale": self.last_sale_number,
            "vat": [
                {"rate": s.rate, "excl_vat": s.excl_vat, "vat": s.vat, "incl_vat": s.incl_vat}
                for s in self.vat
            ],
            "payments": [{"means": t.means, "amount": t.amount_cents} for t in self.payments],
            "excl_vat": self.excl_vat_cents,
            "vat_total": self.vat_cents,
            "total": self.total_cents,
            "previous_perpetual": self.previous_perpetual_cents,
            "perpetual": self.perpetual_cents,
        }


def closure_from_data(till_id: int, data: Mapping[str, Any]) -> Closure:
    """The closure a journal record's (plain, JSON-read) data describes: the inverse of
    ``Closure.to_data`` (derived totals are recomputed, not read)."""
    return Closure(
        till_id=till_id,
        period=Period(data["period"]),
        start=_day(data["start"]),
        end=_day(data["end"]),
        sale_count=data["sale_count"],
        refund_count=data["refund_count"],
        refund_cents=data["refunds"],
        deposit_charged_cents=data["deposits_charged"],
        deposit_returned_cents=data["deposits_returned"],
        discount_cents=data["discounts"],
        top_up_cents=data["top_ups"],
        change_cents=data["change"],
        first_sale_number=data["first_sale"],
        last_sale_number=data["last_sale"],
        vat=tuple(VatSplit(Decimal(str(s["rate"])), s["excl_vat"], s["vat"]) for s in data["vat"]),
        payments=tuple(MeansTotal(Means(t["means"]), t["amount"]) for t in data["payments"]),
        previous_perpetual_cents=data["previous_perpetual"],
        share_cents=data.get("shares", 0),
        fee_cents=data.get("fees", 0),
    )


def membership_totals(share_cents: int, fee_cents: int) -> dict[str, int]:
    """The shares and fees a closure took, in its data only when there are some (a closure
    without them seals what it sealed before they existed)."""
    if not share_cents and not fee_cents:
        return {}
    return {"shares": share_cents, "fees": fee_cents}


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


class _Sums:
    """Running sums shared by daily (from sales) and longer (from closures) closures."""

    def __init__(self) -> None:
        self.sale_count = self.refund_count = self.refund = 0
        self.deposit_charged = self.deposit_returned = self.discount = 0
        self.top_up = self.change = self.share = self.fee = 0
        self.excl: dict[Any, int] = {}
        self.vat: dict[Any, int] = {}
        self.means: dict[Means, int] = {}

    def add_vat(self, splits: Iterable[VatSplit]) -> None:
        for split in splits:
            self.excl[split.rate] = self.excl.get(split.rate, 0) + split.excl_vat
            self.vat[split.rate] = self.vat.get(split.rate, 0) + split.vat

    def add_means(self, means: Means, cents: int) -> None:
        self.means[means] = self.means.get(means, 0) + cents

    def closure(
        self,
        till_id: int,
        period: Period,
        start: date,
        end: date,
        first_sale: int | None,
        last_sale: int,
        previous: Closure | None,
    ) -> Closure:
        return Closure(
            till_id=till_id,
            period=period,
            start=start,
            end=end,
            sale_count=self.sale_count,
            refund_count=self.refund_count,
            refund_cents=self.refund,
            deposit_charged_cents=self.deposit_charged,
            deposit_returned_cents=self.deposit_returned,
            discount_cents=self.discount,
            top_up_cents=self.top_up,
            change_cents=self.change,
            first_sale_number=first_sale,
            last_sale_number=last_sale,
            vat=tuple(VatSplit(r, self.excl[r], self.vat[r]) for r in sorted(self.excl)),
            payments=tuple(
                MeansTotal(means, cents)
                for means, cents in sorted(self.means.items(), key=lambda i: _MEANS_ORDER[i[0]])
            ),
            previous_perpetual_cents=previous.perpetual_cents if previous is not None else 0,
            share_cents=self.share,
            fee_cents=self.fee,
        )


def _check_previous(till_id: int, period: Period, start: date, previous: Closure | None) -> None:
    if previous is None:
        return
    if previous.till_id != till_id:
        raise Refused(Refusal.WRONG_TILL, "previous", previous.till_id)
    if previous.period is not period:
        raise Refused(Refusal.WRONG_PERIOD, "previous", previous.period)
    if previous.end >= start:
        raise Refused(Refusal.NOT_AFTER_PREVIOUS, "previous", previous.end)


def day_closure(
    till_id: int,
    day: date,
    sales: Iterable[CommittedSale],
    previous: Closure | None = None,
    *,
    tz: ZoneInfo = SHOP_TIMEZONE,
) -> Closure:
    """The Z of ``day``: every sale of that day, which must follow the previous Z's last sale
    number without a hole (``SALE_NUMBER_GAP``, ``value``: the number expected)."""
    _check_previous(till_id, Period.DAY, day, previous)
    last = previous.last_sale_number if previous is not None else 0
    first: int | None = None
    sums = _Sums()
    for sale in sorted(sales, key=lambda sale: sale.number):
        if sale.till_id != till_id:
            raise Refused(Refusal.WRONG_TILL, "sales", sale.till_id)
        if sale.at.astimezone(tz).date() != day:
            raise Refused(Refusal.OUT_OF_PERIOD, "sales", sale.number)
        if sale.number != last + 1:
            raise Refused(Refusal.SALE_NUMBER_GAP, "sales", last + 1)
        first = sale.number if first is None else first
        last = sale.number
        priced = sale.sale
        sums.sale_count += 1
        sums.refund_count += sale.has_refund
        sums.refund += priced.refund_cents
        sums.deposit_charged += priced.kind_cents(LineKind.DEPOSIT_CHARGE)
        sums.deposit_returned += priced.kind_cents(LineKind.DEPOSIT_RETURN)
        sums.discount += priced.discount_cents
        sums.top_up += priced.top_up_cents
        sums.share += priced.share_cents
        sums.fee += priced.fee_cents
        sums.change += sale.settlement.change_cents
        sums.add_vat(priced.vat)
        for payment in sale.settlement.payments:
            sums.add_means(payment.means, payment.amount_cents)
    return sums.closure(till_id, Period.DAY, day, day, first, last, previous)


def _aggregate(
    till_id: int,
    period: Period,
    start: date,
    end: date,
    parts: Sequence[Closure],
    previous: Closure | None,
) -> Closure:
    _check_previous(till_id, period, start, previous)
    kinds = {part.period for part in parts}
    for part in parts:
        if part.till_id != till_id:
            raise Refused(Refusal.WRONG_TILL, "parts", part.till_id)
        if part.period not in _PARTS[period] or len(kinds) > 1:
            raise Refused(Refusal.WRONG_PERIOD, "parts", part.period)
        if part.start < start or part.end > end:
            raise Refused(Refusal.OUT_OF_PERIOD, "parts", part.start)
    perpetual = previous.perpetual_cents if previous is not None else 0
    last = previous.last_sale_number if previous is not None else 0
    first: int | None = None
    sums = _Sums()
    for part in sorted(parts, key=lambda part: part.start):
        starts_right = part.first_sale_number in (None, last + 1)
        if part.previous_perpetual_cents != perpetual or not starts_right:
            raise Refused(Refusal.CLOSURE_MISSING, "parts", part.start)
        perpetual = part.perpetual_cents
        last = part.last_sale_number
        if first is None:
            first = part.first_sale_number
        sums.sale_count += part.sale_count
        sums.refund_count += part.refund_count
        sums.refund += part.refund_cents
        sums.deposit_charged += part.deposit_charged_cents
        sums.deposit_returned += part.deposit_returned_cents
        sums.discount += part.discount_cents
        sums.top_up += part.top_up_cents
        sums.share += part.share_cents
        sums.fee += part.fee_cents
        sums.change += part.change_cents
        sums.add_vat(part.vat)
        for total in part.payments:
            sums.add_means(total.means, total.amount_cents)
    return sums.closure(till_id, period, start, end, first, last, previous)


def month_closure(
    till_id: int, month: date, days: Sequence[Closure], previous: Closure | None = None
) -> Closure:
    """The closure of the calendar month containing ``month``, from its daily closures."""
    start = month.replace(day=1)
    end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return _aggregate(till_id, Period.MONTH, start, end, days, previous)


def year_closure(
    till_id: int, year_start: date, parts: Sequence[Closure], previous: Closure | None = None
) -> Closure:
    """The closure of the (fiscal) year starting on ``year_start``, from its monthly closures
    or from its daily closures (not a mix)."""
    try:
        next_start = year_start.replace(year=year_start.year + 1)
    except ValueError:  # a year starting on 29 February
        next_start = date(year_start.year + 1, 3, 1)
    return _aggregate(
        till_id, Period.YEAR, year_start, next_start - timedelta(days=1), parts, previous
    )


def seal_closure(
    closure: Closure, number: int, at: datetime, previous: JournalRecord | None
) -> JournalRecord:
    """The journal record of a closure (``number``: gapless among closures of its period)."""
    return seal(
        closure.till_id, RECORD_KINDS[closure.period], number, at, closure.to_data(), previous
    )
