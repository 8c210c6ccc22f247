"""Receipts and Z reports on screen: the core's text layout (``coop.till.receipt_text``, the same
document data as the PDFs) with its strong lines in bold; and the basket's words (a line's
quantity, the VAT lines) for the counter's table and dialogs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text

from coop.documents import Letterhead
from coop.i18n import _
from coop.money import VatSplit, format_money, format_rate
from coop.till.documents import receipt_document
from coop.till.receipt_text import TextLine, receipt_lines, z_lines
from coop.till.z_documents import session_row, z_document
from coop.units import format_quantity

if TYPE_CHECKING:
    from coop.till.registry import SessionView


def quantity_text(quantity: int, weighed: bool) -> str:
    """'3' for pieces, '0,750 kg' for weighed goods (grams; a return's weight shown positive)."""
    return format_quantity(abs(quantity) if weighed else quantity, weighed)


def vat_lines(vat: Iterable[VatSplit]) -> list[str]:
    return [
        _("VAT {rate}: {vat} (excl. VAT {excl})").format(
            rate=format_rate(split.rate),
            vat=format_money(split.vat),
            excl=format_money(split.excl_vat),
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


def z_text(report: dict[str, Any], session: SessionView | None = None) -> Text:
    """A day's figures (the Z, or provisional figures) and the drawer count of the session."""
    document = z_document(
        {**report, "sessions": []},
        head=Letterhead(""),
        local_currency=None,
        printed_at=datetime.now(UTC),
    )
    return _styled(
        z_lines(document, session_row(session.as_dict()) if session is not None else None)
    )
