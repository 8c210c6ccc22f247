"""Receipts and Z reports as text on screen, from the core's JSON-ready dicts
(``selling.Receipt.as_dict()``, ``closing.report_day(...)``): layout only, no arithmetic."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from rich.text import Text

from coop.dates import format_date
from coop.i18n import _
from coop.money import format_money, format_rate
from coop.till.words import means_name
from coop.units import format_quantity

LABEL = 22
"""Receipt columns: quantity 8, label 22, amount 10 (42 characters, the side panel's width)."""
WIDE = 31


def quantity_text(line: dict[str, Any]) -> str:
    """'3' for pieces, '0,750 kg' for weighed goods."""
    weighed = bool(line["weighed"])
    return format_quantity(abs(line["quantity"]) if weighed else line["quantity"], weighed)


def line_label(line: dict[str, Any]) -> str:
    label = line["label"]
    kind = line["kind"]
    if kind == "deposit_charge":
        return _("  deposit: {label}").format(label=label)
    if kind == "deposit_return":
        return _("Returned: {label}").format(label=label)
    if kind == "refund":
        ref = line.get("refund_of") or {}
        return _("Refund (sale {number}, line {line}): {label}").format(
            number=ref.get("sale_number", "?"), line=ref.get("line_no", "?"), label=label
        )
    if line.get("discount_cents"):
        return _("{label} (discount {amount})").format(
            label=label, amount=format_money(line["discount_cents"])
        )
    return label


def vat_lines(vat: list[dict[str, Any]]) -> list[str]:
    return [
        _("VAT {rate}: {vat} (excl. VAT {excl})").format(
            rate=format_rate(Decimal(split["rate"])),
            vat=format_money(split["vat_cents"]),
            excl=format_money(split["excl_vat_cents"]),
        )
        for split in vat
    ]


def receipt_text(data: dict[str, Any], coop_name: str) -> Text:
    """A committed sale as the customer's receipt."""
    text = Text()
    text.append(coop_name + "\n", style="bold")
    text.append(
        _("Sale {number} on till {till}").format(number=data["number"], till=data["till"]) + "\n"
    )
    if data.get("at"):
        moment = datetime.fromisoformat(data["at"])
        text.append(f"{format_date(moment.date())} {moment:%H:%M}\n")
    if data["member"]:
        text.append(
            _("Member {number} — {name}").format(
                number=data["member"]["number"], name=data["member"]["name"]
            )
            + "\n"
        )
    text.append("\n")
    for line in data["lines"]:
        label = line_label(line)[:LABEL]
        amount = format_money(line["amount_cents"])
        text.append(f"{quantity_text(line):>8} {label:<{LABEL}} {amount:>10}\n")
    if data["top_up_cents"]:
        label = _("Top-up of the prepaid account")[:LABEL]
        text.append(f"{'':>8} {label:<{LABEL}} {format_money(data['top_up_cents']):>10}\n")

    def total(label: str, cents: int, style: str = "") -> None:
        text.append(f"{label[:WIDE]:<{WIDE}} {format_money(cents):>10}\n", style=style)

    text.append("\n")
    total(_("TOTAL"), data["total_cents"], "bold")
    for line in vat_lines(data["vat"]):
        text.append(f"  {line}\n")
    for payment in data["payments"]:
        total(payment["name"], payment["amount_cents"])
    if data["cash_tendered_cents"] and data["change_cents"]:
        total(_("Cash given"), data["cash_tendered_cents"])
    if data["change_cents"]:
        total(_("Change given"), data["change_cents"], "bold")
    if data["account_balance_cents"] is not None:
        text.append(
            _("Prepaid account balance: {amount}").format(
                amount=format_money(data["account_balance_cents"])
            )
            + "\n"
        )
    for warning in data["warnings"]:
        text.append(f"! {warning}\n")
    return text


def z_text(report: dict[str, Any], session: dict[str, Any] | None = None) -> Text:
    """A day's figures (the Z, or provisional figures) and the drawer count of the session."""
    from coop.till.sessions import difference_text

    text = Text()
    day = report["start"]
    try:
        from datetime import date

        day = format_date(date.fromisoformat(report["start"]))
    except (TypeError, ValueError):
        pass
    if report.get("provisional"):
        title = _("Till {till}, {day}: provisional figures (no Z yet)").format(
            till=report["till"], day=day
        )
    else:
        title = _("Till {till}, Z no. {number} of {day}").format(
            till=report["till"], number=report["number"], day=day
        )
    text.append(title + "\n\n", style="bold")
    if session is not None and session.get("counted_cents") is not None:
        text.append(
            _("Drawer: counted {counted}, expected {expected}: {difference}").format(
                counted=format_money(session["counted_cents"]),
                expected=format_money(session["expected_cents"]),
                difference=difference_text(session["difference_cents"]),
            )
            + "\n\n",
            style="bold",
        )
    text.append(
        _("Sales: {count} (numbers {first} to {last})").format(
            count=report["sale_count"],
            first=report["first_sale"] or "—",
            last=report["last_sale"] or "—",
        )
        + "\n"
    )
    text.append(
        _("Turnover incl. VAT: {amount}").format(amount=format_money(report["total"])) + "\n"
    )
    for split in report["vat"]:
        text.append(
            "  "
            + _("VAT {rate}: {excl} excl. VAT + {vat} VAT = {incl}").format(
                rate=format_rate(Decimal(split["rate"])),
                excl=format_money(split["excl_vat"]),
                vat=format_money(split["vat"]),
                incl=format_money(split["incl_vat"]),
            )
            + "\n"
        )
    text.append(_("By payment means:") + "\n")
    for total in report["payments"]:
        text.append(f"  {means_name(total['means']):<24} {format_money(total['amount']):>12}\n")
    text.append(
        _("Refunds: {amount}; deposits charged {charged}, returned {returned}").format(
            amount=format_money(report["refunds"]),
            charged=format_money(report["deposits_charged"]),
            returned=format_money(report["deposits_returned"]),
        )
        + "\n"
    )
    text.append(
        _("Discounts: {discounts}; top-ups: {top_ups}").format(
            discounts=format_money(report["discounts"]), top_ups=format_money(report["top_ups"])
        )
        + "\n"
    )
    text.append(
        _("Perpetual grand total: {amount}").format(amount=format_money(report["perpetual"])) + "\n"
    )
    if report.get("hash"):
        text.append(_("Hash: {hash}").format(hash=report["hash"][:32] + "…") + "\n")
    return text
