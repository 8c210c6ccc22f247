"""Receipts and Z reports on screen: the core's text layout (``coop.till.receipt_text``, the same
document data as the PDFs) with its strong lines in bold; and the basket's line words (quantity,
label, VAT lines) for the counter's table."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from rich.text import Text

from coop.documents import Letterhead
from coop.i18n import _
from coop.money import format_money, format_rate
from coop.till.documents import receipt_document
from coop.till.receipt_text import TextLine, receipt_lines, z_lines
from coop.till.z_documents import session_row, z_document
from coop.units import format_quantity


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
    return str(label)


def vat_lines(vat: list[dict[str, Any]]) -> list[str]:
    return [
        _("VAT {rate}: {vat} (excl. VAT {excl})").format(
            rate=format_rate(Decimal(split["rate"])),
            vat=format_money(split["vat_cents"]),
            excl=format_money(split["excl_vat_cents"]),
        )
        for split in vat
    ]


def _styled(lines: list[TextLine]) -> Text:
    text = Text()
    for line in lines:
        text.append(line.text + "\n", style="bold" if line.strong else "")
    return text


def receipt_text(data: dict[str, Any], coop_name: str) -> Text:
    """A committed sale as the customer's receipt (laid out by ``coop.till.receipt_text``)."""
    at = data.get("at")
    moment = datetime.fromisoformat(at) if isinstance(at, str) else (at or datetime.now(UTC))
    document = receipt_document(data, printed_at=moment, head=Letterhead(coop_name))
    return _styled(receipt_lines(document))


def z_text(report: dict[str, Any], session: dict[str, Any] | None = None) -> Text:
    """A day's figures (the Z, or provisional figures) and the drawer count of the session."""
    document = z_document(
        {**report, "sessions": []},
        head=Letterhead(""),
        local_currency=None,
        printed_at=datetime.now(UTC),
    )
    return _styled(z_lines(document, session_row(session) if session is not None else None))
