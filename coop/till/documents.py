"""What a printed till receipt and a printed Z report contain (plain data, cents, words).

``receipt_document`` turns a receipt (``Receipt.as_dict()``, what the counter has in hand after a
sale) into a ``ReceiptDocument``; ``committed_receipt`` reads a committed sale back as its
``Receipt`` and ``load_receipt`` as its document. ``z_document`` turns the day's Z (sealed or
provisional, ``closing.report_day``'s data) into a ``ZReportDocument``, ``z_report_document``
reads it first. The ``invoices`` package lays them out as PDFs, ``coop.till.receipt_text`` as
text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.audit import actor_words
from coop.documents import Letterhead, VatRow, letterhead
from coop.i18n import _, ngettext
from coop.members.models import Member
from coop.money import format_money
from coop.till import registry
from coop.till.payments import Means
from coop.till.receipts import Receipt
from coop.till.refund_reads import sale_barcode
from coop.till.words import means_name, membership_lines
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
    """The sale's EAN-13 (``refund_reads.sale_barcode``): a refund starts by scanning it."""


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


# -- the Z report ------------------------------------------------------------------------------


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
