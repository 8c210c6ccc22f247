"""What a printed Z report contains (plain data, cents, words): ``z_document`` turns the day's
Z (sealed or provisional, ``closing.report_day``'s data) into a ``ZReportDocument``,
``z_report_document`` reads it first. The ``invoices`` package lays it out as a PDF,
``coop.till.receipt_text`` as text. Apart from ``coop.till.documents`` (the receipt's), so that
a sale does not create these classes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from coop.audit import actor_words
from coop.documents import Letterhead, VatRow, letterhead
from coop.i18n import _
from coop.till.payments import Means
from coop.till.words import means_name


@dataclass(frozen=True)
class TillSessionRow:
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None
    opening_cents: int
    counted_cents: int | None
    expected_cents: int | None
    difference_cents: int | None


@dataclass(frozen=True)
class MembershipMeansRow:
    """One means' part of the shares and fees on a Z (``coop.till.membership_means``'s rule);
    ``means`` is None for the part refunds in the same sales set off (paid by no means)."""

    name: str
    share_cents: int
    fee_cents: int
    means: str | None = None


@dataclass(frozen=True)
class ZReportDocument:
    letterhead: Letterhead
    till: str
    day: date
    number: int | None
    """None while provisional (no Z taken yet)."""
    sale_count: int
    first_sale: int | None
    last_sale: int | None
    vat: tuple[VatRow, ...]
    total_cents: int
    payments: tuple[tuple[str, int], ...]
    refund_count: int
    refunds_cents: int
    deposits_charged_cents: int
    deposits_returned_cents: int
    discounts_cents: int
    top_ups_cents: int
    change_cents: int
    perpetual_cents: int
    hash: str | None
    sessions: tuple[TillSessionRow, ...]
    printed_at: datetime
    seq: int | None = None
    share_cents: int = 0
    """Capital shares paid at the till: outside turnover, on their own line."""
    fee_cents: int = 0
    """Yearly fees paid at the till: outside turnover, on their own line."""
    membership_means: tuple[MembershipMeansRow, ...] = ()
    """Which means paid the shares and fees (empty on a day without any)."""

    @property
    def provisional(self) -> bool:
        return self.number is None

    @property
    def excl_vat_cents(self) -> int:
        return sum(row.excl_vat_cents for row in self.vat)

    @property
    def vat_cents(self) -> int:
        return sum(row.vat_cents for row in self.vat)


def _moment(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def session_row(row: dict[str, Any]) -> TillSessionRow:
    """A till session as printed, from ``registry.session_dict``."""
    opened_at = _moment(row["opened_at"])
    assert opened_at is not None
    return TillSessionRow(
        opened_at=opened_at,
        opened_by=actor_words(row["opened_by"]),
        closed_at=_moment(row["closed_at"]),
        opening_cents=row["opening_cents"],
        counted_cents=row["counted_cents"],
        expected_cents=row["expected_cents"],
        difference_cents=row["difference_cents"],
    )


def z_report_document(
    session: Session,
    *,
    day: date,
    till_code: str | None,
    settings: Any,
    printed_at: datetime,
) -> ZReportDocument:
    """The day's Z of one till as printed: sealed if taken, otherwise provisional."""
    from coop.till import closing  # the Z's reads and signing: not on a sale's path

    code = till_code or settings.till.till
    report = closing.report_day(session, day=day, till_code=code)[0]
    return z_document(
        report,
        head=letterhead(settings),
        local_currency=settings.till.local_currency or None,
        printed_at=printed_at,
    )


def z_document(
    report: dict[str, Any],
    *,
    head: Letterhead,
    local_currency: str | None,
    printed_at: datetime,
) -> ZReportDocument:
    """A Z (``closing.report_day``'s data for one till) as printed."""
    local = local_currency
    return ZReportDocument(
        letterhead=head,
        till=report["till"],
        day=date.fromisoformat(str(report["start"])[:10]),
        number=None if report.get("provisional") else report["number"],
        sale_count=report["sale_count"],
        first_sale=report["first_sale"],
        last_sale=report["last_sale"],
        vat=tuple(
            VatRow(Decimal(str(split["rate"])), split["excl_vat"], split["vat"])
            for split in report["vat"]
        ),
        total_cents=report["total"],
        payments=tuple((means_name(p["means"], local), p["amount"]) for p in report["payments"]),
        refund_count=report["refund_count"],
        refunds_cents=report["refunds"],
        deposits_charged_cents=report["deposits_charged"],
        deposits_returned_cents=report["deposits_returned"],
        discounts_cents=report["discounts"],
        top_ups_cents=report["top_ups"],
        change_cents=report["change"],
        perpetual_cents=report["perpetual"],
        hash=report.get("hash"),
        seq=report.get("seq"),
        sessions=tuple(session_row(row) for row in report.get("sessions", ())),
        printed_at=printed_at,
        share_cents=report.get("shares", 0),
        fee_cents=report.get("fees", 0),
        membership_means=membership_means_rows(report.get("membership_by_means"), local),
    )


def membership_means_rows(
    split: dict[str, Any] | None, local_currency: str | None
) -> tuple[MembershipMeansRow, ...]:
    """The rows of ``report_day``'s ``membership_by_means``: one per means in the order of the
    means, then the part set off against refunds when there is one."""
    if not split:
        return ()
    shares = {row["means"]: row["amount"] for row in split["shares"]}
    fees = {row["means"]: row["amount"] for row in split["fees"]}
    rows = [
        MembershipMeansRow(
            means_name(means, local_currency), shares.get(means, 0), fees.get(means, 0), str(means)
        )
        for means in Means
        if means in shares or means in fees
    ]
    if split["shares_offset"] or split["fees_offset"]:
        rows.append(
            MembershipMeansRow(
                _("set off against refunds"), split["shares_offset"], split["fees_offset"]
            )
        )
    return tuple(rows)
