"""The report of a monthly or yearly closure (``coop till report --month`` / ``--year``): each
till's sealed closure of the period, and which means paid the capital shares and fees taken over
it (``membership_by_means``). That split is the sum of the period's days' splits, each recomputed
from the day's sales exactly as for one day's report (``closing.report_day``); it is not sealed,
so the sealed closures stay as they are."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from coop.dates import format_date
from coop.i18n import _
from coop.money import format_money
from coop.till import closing, registry
from coop.till.closures import Period
from coop.till.membership_means import (
    MembershipMeans,
    sales_membership_by_means,
    total_membership_means,
)
from coop.till.models import Till
from coop.till.receipt_text import TextLine, membership_means_lines
from coop.till.words import kind_name, means_name
from coop.till.z_documents import membership_means_rows


def _day(value: Any) -> date:
    return date.fromisoformat(str(value)[:10])


def report_period(
    session: Session, *, period: Period, start: date, till_code: str | None = None
) -> list[dict[str, Any]]:
    """The sealed closure of ``period`` (month or year) starting on ``start`` of each till that
    has taken it (or of one till), with ``membership_by_means`` when it holds shares or fees.
    Empty when no till has taken that closure yet."""
    chosen = [registry.get_till(session, till_code)] if till_code else registry.tills(session)
    reports = []
    for till in chosen:
        found = [
            closure
            for closure in closing.list_closures(
                session, till_code=till.code, period=period, first=start, last=start
            )
            if _day(closure["start"]) == start
        ]
        if not found:
            continue
        report = found[0]
        if report.get("shares") or report.get("fees"):
            split = period_membership_means(session, till, start, _day(report["end"]))
            report["membership_by_means"] = split.to_data()
        reports.append(report)
    return reports


def period_membership_means(
    session: Session, till: Till, first: date, last: date
) -> MembershipMeans:
    """The sum of the splits of the days from ``first`` to ``last`` whose Z holds shares or
    fees, each recomputed from that day's sales."""
    days = closing.list_closures(
        session, till_code=till.code, period=Period.DAY, first=first, last=last
    )
    return total_membership_means(
        sales_membership_by_means(closing.day_sales(session, till, _day(day["start"])))
        for day in days
        if day.get("shares") or day.get("fees")
    )


def period_lines(report: dict[str, Any], local_currency: str | None) -> list[TextLine]:
    """A period's closure as text: its figures, then the shares and fees by means."""
    title = _("Till {till}, {kind} no. {number}, {start} to {end}").format(
        till=report["till"],
        kind=kind_name(f"{report['period']}_closure"),
        number=report["number"],
        start=format_date(_day(report["start"])),
        end=format_date(_day(report["end"])),
    )
    lines = [TextLine(title, strong=True), TextLine("")]
    lines.append(
        TextLine(
            _("Sales: {count} (numbers {first} to {last})").format(
                count=report["sale_count"],
                first=report["first_sale"] or "—",
                last=report["last_sale"] or "—",
            )
        )
    )
    turnover = format_money(report["total"])
    lines.append(TextLine(_("Turnover incl. VAT: {amount}").format(amount=turnover)))
    lines.append(TextLine(_("By payment means:")))
    lines += [
        TextLine(
            f"  {means_name(row['means'], local_currency):<24} {format_money(row['amount']):>12}"
        )
        for row in report["payments"]
    ]
    shares, fees = format_money(report.get("shares", 0)), format_money(report.get("fees", 0))
    lines.append(TextLine(_("Capital shares received: {amount}").format(amount=shares)))
    lines.append(TextLine(_("Fees received: {amount}").format(amount=fees)))
    rows = membership_means_rows(report.get("membership_by_means"), local_currency)
    lines += membership_means_lines(rows)
    perpetual = format_money(report["perpetual"])
    lines.append(TextLine(_("Perpetual grand total: {amount}").format(amount=perpetual)))
    lines.append(TextLine(_("Hash: {hash}").format(hash=str(report["hash"])[:32] + "…")))
    return lines
