"""What a printed till receipt and a printed Z report contain (plain data, cents, words).

``receipt_document`` turns a receipt (``Receipt.as_dict()``, what the counter has in hand after a
sale) into a ``ReceiptDocument``; ``committed_receipt`` reads a committed sale back as its
``Receipt`` and ``load_receipt`` as its document. The Z report's data is in
``coop.till.z_documents`` (a sale never imports it). The ``invoices`` package lays them out as
PDFs, ``coop.till.receipt_text`` as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.documents import Letterhead, VatRow, letterhead
from coop.i18n import _, ngettext
from coop.members.models import Member
from coop.money import format_money
from coop.till import registry
from coop.till.receipt_code import sale_barcode
from coop.till.receipts import Receipt
from coop.till.words import membership_lines
from coop.units import NBSP, keep_units_together, line_quantity

if TYPE_CHECKING:  # printing a receipt maps no sale class
    from coop.till.models import Sale


@dataclass(frozen=True)
class ReceiptLine:
    label: str
    quantity_text: str
    """ "2 ×" or "1,234 kg"."""
    unit_price_cents: int
    amount_cents: int
    vat_rate: Decimal
    note: str = ""
    """A discount, a deposit returned or a refund, in words."""


SHORT_HASH = 12
"""Hex digits of the chain's head printed on paper: enough that a recomputed chain cannot
match it by chance (48 bits), short enough to type into `coop till verify --anchor`."""


def chain_head(seq: int | None, digest: str | None) -> str | None:
    """The chain's head as printed on a receipt or a Z ("1234:3f9a0c17d2b8"), which
    `coop till verify --anchor SEQ:HASH` checks; None when not sealed (a preview)."""
    if seq is None or not digest:
        return None
    return f"{seq}:{digest[:SHORT_HASH]}"


@dataclass(frozen=True)
class ReceiptDocument:
    letterhead: Letterhead
    till: str
    number: int
    at: datetime
    member: str | None
    lines: tuple[ReceiptLine, ...]
    top_up_cents: int
    total_cents: int
    vat: tuple[VatRow, ...]
    payments: tuple[tuple[str, int], ...]
    change_cents: int
    account_balance_cents: int | None
    hash: str | None
    printed_at: datetime
    narrow: bool = False
    seq: int | None = None
    """The record's position in the till's journal: with the short hash, the chain's head."""
    """80 mm roll instead of A4."""
    committed: bool = True
    """False for a preview: what the sale would be."""
    cash_tendered_cents: int = 0
    warnings: tuple[str, ...] = ()
    barcode: str | None = None
    membership: tuple[tuple[str, int], ...] = ()
    """Capital shares and the yearly fee paid with the sale, in words, outside VAT."""
    refunded_sales: str = ""
    """The original sales a refund gives back ("Refund of sale 127"), empty otherwise."""
    """The sale's EAN-13 (``receipt_code.sale_barcode``): a refund starts by scanning it."""


def quantity_text(quantity: int, weighed: bool) -> str:
    """ "1,234 kg" for grams, "2 ×" for pieces, unbreakable (``coop.units.line_quantity``)."""
    return line_quantity(quantity, weighed, space=NBSP)


def _line_note(line: dict[str, Any]) -> str:
    kind = line["kind"]
    if kind == "deposit_return":
        return _("deposit returned")
    if kind == "refund":
        ref = line.get("refund_of") or {}
        if ref.get("sale_number"):
            return _("refund of sale {number}, line {line}").format(
                number=ref["sale_number"], line=ref.get("line_no", "?")
            )
        return _("refund")
    if line.get("discount_cents"):
        return _("discount {amount}").format(amount=format_money(line["discount_cents"]))
    return ""


def _refunded_sales(lines: list[dict[str, Any]]) -> str:
    numbers = sorted({line["refund_of"]["sale_number"] for line in lines if line.get("refund_of")})
    if not numbers:
        return ""
    return ngettext("Refund of sale {numbers}", "Refund of sales {numbers}", len(numbers)).format(
        numbers=", ".join(str(number) for number in numbers)
    )


def receipt_document(
    data: dict[str, Any],
    *,
    settings: Any = None,
    printed_at: datetime,
    narrow: bool = False,
    head: Letterhead | None = None,
) -> ReceiptDocument:
    """A receipt ready to print from ``Receipt.as_dict()`` (live sale or read back); ``head``:
    the letterhead when the caller has it instead of the settings."""
    at = data["at"]
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    member = data.get("member")
    return ReceiptDocument(
        letterhead=head if head is not None else letterhead(settings),
        till=data["till"],
        number=data["number"],
        at=moment,
        member=None
        if not member
        else _("Member {number} — {name}").format(number=member["number"], name=member["name"]),
        lines=tuple(
            ReceiptLine(
                label=keep_units_together(line["label"]),
                quantity_text=quantity_text(line["quantity"], line["weighed"]),
                unit_price_cents=line["unit_price_cents"],
                amount_cents=line["amount_cents"],
                vat_rate=Decimal(line["vat_rate"]),
                note=_line_note(line),
            )
            for line in data["lines"]
        ),
        top_up_cents=data["top_up_cents"],
        total_cents=data["total_cents"],
        vat=tuple(
            VatRow(Decimal(split["rate"]), split["excl_vat_cents"], split["vat_cents"])
            for split in data["vat"]
        ),
        payments=tuple((p["name"], p["amount_cents"]) for p in data["payments"]),
        change_cents=data["change_cents"],
        account_balance_cents=data.get("account_balance_cents"),
        hash=data.get("hash"),
        seq=data.get("seq"),
        printed_at=printed_at,
        narrow=narrow,
        committed=data.get("committed", True),
        cash_tendered_cents=data.get("cash_tendered_cents") or 0,
        warnings=tuple(data.get("warnings") or ()),
        refunded_sales=_refunded_sales(data["lines"]),
        membership=membership_lines(
            data.get("share_cents", 0),
            data.get("fee_cents", 0),
            data.get("fee_year"),
            data.get("share_value_cents")
            or (settings.membership.share_value_cents if settings is not None else None),
        ),
        barcode=sale_barcode(data["till_id"], data["number"])
        if data.get("till_id") and data.get("committed", True)
        else None,
    )


def committed_receipt(
    session: Session, till_code: str, number: int, *, local_currency: str | None
) -> tuple[Sale, Receipt]:
    """Sale ``number`` of till ``till_code`` read back as its receipt (sealed, with its hash)."""
    from coop.till import sale_reads
    from coop.till.models import JournalEntry

    row, sale = sale_reads.get_sale(session, till_code, number)
    member = session.get(Member, row.member_id) if row.member_id else None
    entry = session.scalars(select(JournalEntry).where(JournalEntry.sale_id == row.id)).one()
    receipt = Receipt(
        till=registry.normalise_code(till_code),
        number=row.number,
        at=row.at,
        sale=sale.sale,
        settlement=sale.settlement,
        member=member,
        shopper=None,
        hash=entry.hash,
        seq=entry.seq,
        local_currency=local_currency or None,
        till_id=row.till_id,
    )
    return row, receipt


def load_receipt(
    session: Session,
    till_code: str | None,
    number: int,
    *,
    settings: Any,
    printed_at: datetime,
    narrow: bool = False,
) -> ReceiptDocument:
    """A committed sale read back (``coop print receipt NUMBER``); unknown numbers refused."""
    code = till_code or settings.till.till
    row, receipt = committed_receipt(
        session, code, number, local_currency=settings.till.local_currency
    )
    data = receipt.as_dict()
    data["at"] = row.at
    return receipt_document(data, settings=settings, printed_at=printed_at, narrow=narrow)
