"""The receipt and the Z laid out as plain text lines, from the same document data as the PDFs
(``coop.till.documents``): the command line prints them, the counter screen shows them.

Each line says whether it stands out (``strong``: the coop's name, the total, the change, the
Z's title); the caller decides how (bold on screen, nothing on a terminal). A receipt is 42
characters wide (quantity 8, label 22, amount 10), the width of the counter's side panel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coop.dates import format_date
from coop.i18n import _
from coop.money import format_money, format_rate
from coop.till.documents import ReceiptDocument, chain_head

if TYPE_CHECKING:  # the Z's data: not created on a sale's path
    from coop.till.z_documents import MembershipMeansRow, TillSessionRow, ZReportDocument

QUANTITY, LABEL, AMOUNT = 8, 22, 10
WIDE = QUANTITY + LABEL
"""A total's label spans the quantity and label columns."""


@dataclass(frozen=True)
class TextLine:
    text: str
    strong: bool = False


def _total(label: str, cents: int, strong: bool = False) -> TextLine:
    return TextLine(f"{label[:WIDE]:<{WIDE}} {format_money(cents):>{AMOUNT}}", strong)


def _item(quantity: str, label: str, cents: int) -> TextLine:
    return TextLine(
        f"{quantity:>{QUANTITY - 1}} {label[:LABEL]:<{LABEL}} {format_money(cents):>{AMOUNT}}"
    )


def receipt_lines(document: ReceiptDocument) -> list[TextLine]:
    """A sale as the customer's receipt (or, not committed, what the sale would be)."""
    lines = [TextLine(document.letterhead.name, strong=True)]
    if document.committed:
        lines.append(
            TextLine(
                _("Sale {number} on till {till}").format(number=document.number, till=document.till)
            )
        )
    else:
        lines.append(
            TextLine(
                _("Not committed (preview): sale {number} would be").format(number=document.number)
            )
        )
    lines.append(TextLine(f"{format_date(document.at.date())} {document.at:%H:%M}"))
    if document.member:
        lines.append(TextLine(document.member))
    if document.refunded_sales:
        lines.append(TextLine(document.refunded_sales, strong=True))
    lines.append(TextLine(""))
    for line in document.lines:
        label = f"{line.label} ({line.note})" if line.note else line.label
        lines.append(_item(line.quantity_text.replace("\u00a0", " "), label, line.amount_cents))
    if document.top_up_cents:
        lines.append(_item("", _("Top-up of the prepaid account"), document.top_up_cents))
    for label, cents in document.membership:
        lines.append(_total(label, cents))
    if document.membership:
        lines.append(TextLine("  " + _("(shares and fee: outside VAT)")))
    lines.append(TextLine(""))
    lines.append(_total(_("TOTAL"), document.total_cents, strong=True))
    for split in document.vat:
        vat_line = _("VAT {rate}: {vat} (excl. VAT {excl})").format(
            rate=format_rate(split.rate),
            vat=format_money(split.vat_cents),
            excl=format_money(split.excl_vat_cents),
        )
        lines.append(TextLine(f"  {vat_line}"))
    for name, cents in document.payments:
        lines.append(_total(name, cents))
    if document.cash_tendered_cents and document.change_cents:
        lines.append(_total(_("Cash given"), document.cash_tendered_cents))
    if document.change_cents:
        lines.append(_total(_("Change given"), document.change_cents, strong=True))
    if document.account_balance_cents is not None:
        balance = format_money(document.account_balance_cents)
        lines.append(TextLine(_("Prepaid account balance: {amount}").format(amount=balance)))
    head = chain_head(document.seq, document.hash) if document.committed else None
    if head:
        lines.append(TextLine(_("Journal: {head}").format(head=head)))
    if document.barcode:
        lines.append(TextLine(_("Receipt code (refunds): {code}").format(code=document.barcode)))
    lines.extend(TextLine(f"! {warning}") for warning in document.warnings)
    return lines


def _z_title(document: ZReportDocument) -> str:
    day = format_date(document.day)
    if document.number is None:
        return _("Till {till}, {day}: provisional figures (no Z yet)").format(
            till=document.till, day=day
        )
    return _("Till {till}, Z no. {number} of {day}").format(
        till=document.till, number=document.number, day=day
    )


def _session_line(row: TillSessionRow) -> str:
    return _("Session {opened} – {closed}: float {opening}, counted {counted}").format(
        opened=f"{row.opened_at:%H:%M}",
        closed=f"{row.closed_at:%H:%M}" if row.closed_at is not None else "…",
        opening=format_money(row.opening_cents),
        counted=format_money(row.counted_cents) if row.counted_cents is not None else "—",
    )


def drawer_line(row: TillSessionRow) -> TextLine | None:
    """What the drawer count of a closed session says (counted, expected, difference)."""
    if row.counted_cents is None or row.expected_cents is None or row.difference_cents is None:
        return None
    # the sessions' use cases are not on a sale receipt's path
    from coop.till.sessions import difference_text

    return TextLine(
        _("Drawer: counted {counted}, expected {expected}: {difference}").format(
            counted=format_money(row.counted_cents),
            expected=format_money(row.expected_cents),
            difference=difference_text(row.difference_cents),
        ),
        strong=True,
    )


def z_lines(document: ZReportDocument, drawer: TillSessionRow | None = None) -> list[TextLine]:
    """A day's figures (the Z, or provisional figures), the drawer count of the session just
    closed (``drawer``) and the day's sessions."""
    lines = [TextLine(_z_title(document), strong=True), TextLine("")]
    counted = drawer_line(drawer) if drawer is not None else None
    if counted is not None:
        lines += [counted, TextLine("")]
    lines.append(
        TextLine(
            _("Sales: {count} (numbers {first} to {last})").format(
                count=document.sale_count,
                first=document.first_sale or "—",
                last=document.last_sale or "—",
            )
        )
    )
    turnover = format_money(document.total_cents)
    lines.append(TextLine(_("Turnover incl. VAT: {amount}").format(amount=turnover)))
    for split in document.vat:
        lines.append(
            TextLine(
                "  "
                + _("VAT {rate}: {excl} excl. VAT + {vat} VAT = {incl}").format(
                    rate=format_rate(split.rate),
                    excl=format_money(split.excl_vat_cents),
                    vat=format_money(split.vat_cents),
                    incl=format_money(split.incl_vat_cents),
                )
            )
        )
    lines.append(TextLine(_("By payment means:")))
    lines += [
        TextLine(f"  {name:<24} {format_money(cents):>12}") for name, cents in document.payments
    ]
    lines.append(
        TextLine(
            _("Refunds: {amount}; deposits charged {charged}, returned {returned}").format(
                amount=format_money(document.refunds_cents),
                charged=format_money(document.deposits_charged_cents),
                returned=format_money(document.deposits_returned_cents),
            )
        )
    )
    lines.append(
        TextLine(
            _("Discounts: {discounts}; top-ups: {top_ups}").format(
                discounts=format_money(document.discounts_cents),
                top_ups=format_money(document.top_ups_cents),
            )
        )
    )
    lines.append(
        TextLine(
            _("Capital shares received: {amount}").format(amount=format_money(document.share_cents))
        )
    )
    lines.append(
        TextLine(_("Fees received: {amount}").format(amount=format_money(document.fee_cents)))
    )
    lines += _membership_means_lines(document)
    perpetual = format_money(document.perpetual_cents)
    lines.append(TextLine(_("Perpetual grand total: {amount}").format(amount=perpetual)))
    if document.hash:
        lines.append(TextLine(_("Hash: {hash}").format(hash=document.hash[:32] + "…")))
        head = chain_head(document.seq, document.hash)
        if head:
            lines.append(TextLine(_("Journal: {head}").format(head=head)))
    lines += [TextLine("  " + _session_line(row)) for row in document.sessions]
    return lines


def _membership_means_lines(document: ZReportDocument) -> list[TextLine]:
    return membership_means_lines(document.membership_means)


def membership_means_lines(rows: tuple[MembershipMeansRow, ...]) -> list[TextLine]:
    """Which means paid the shares and fees: one line per means (none on a day or a period
    without any)."""
    if not rows:
        return []
    head = TextLine(_("Capital shares and fees by means (shares, fees):"))
    return [head] + [
        TextLine(
            f"  {row.name:<24} {format_money(row.share_cents):>12}"
            f" {format_money(row.fee_cents):>12}"
        )
        for row in rows
    ]


def plain(lines: list[TextLine]) -> str:
    """The lines as a terminal prints them."""
    return "\n".join(line.text for line in lines)
