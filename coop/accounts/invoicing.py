"""Member invoices and credit notes: numbered without gaps per series, priced by the pure
``coop.accounts.rules``, read back as an ``InvoiceView`` for the documents and the commands.

``next_number`` increments the series row under a row lock inside the transaction, so a number
is only used when the invoice is committed and two invoices never get the same one; the grouped
order calls ``issue_invoice`` with its lines.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from coop import audit, outbox
from coop.accounts import rules
from coop.accounts.models import (
    Invoice,
    InvoiceLine,
    InvoiceVat,
    NumberSeries,
)
from coop.accounts.rules import InvoiceLineIn, InvoiceRuleError, InvoiceTotals, PricedLine
from coop.accounts.service import (
    AccountRefused,
    available,
    checked_reason,
    holder,
    lock_account,
    post,
)
from coop.audit import Actor
from coop.clock import local_date
from coop.config import AccountSettings
from coop.errors import InvalidInput, NotFound, Problem
from coop.i18n import _
from coop.members import service as members
from coop.members.models import Member
from coop.money import VAT_RATES, bp_to_rate, format_money, rate_to_bp
from coop.units import format_quantity
from coop.upsert import insert_missing


def next_number(session: Session, series: str) -> int:
    """The next number of a gapless series, taken under a row lock held until commit."""
    insert_missing(session, NumberSeries, {"code": series, "last_number": 0}, keys=["code"])
    return session.execute(
        update(NumberSeries)
        .where(NumberSeries.code == series)
        .values(last_number=NumberSeries.last_number + 1)
        .returning(NumberSeries.last_number)
    ).scalar_one()


_RULE_MESSAGES = {
    "empty_label": lambda value: _("a line needs a label"),
    "not_an_integer": lambda value: _("“{value}” is not a whole number").format(value=value),
    "quantity_not_positive": lambda value: _("the quantity must be more than zero"),
    "negative_price": lambda value: _("a price cannot be negative"),
    "bad_vat_rate": lambda value: _(
        "“{rate}” is not a French VAT rate (expected 0, 2.1, 5.5, 10 or 20)"
    ).format(rate=value),
    "no_lines": lambda value: _("an invoice needs at least one line"),
    "nothing_left": lambda value: _("everything on this invoice was already credited"),
    "unknown_line": lambda value: _("the invoice has no line {value}").format(value=value),
    "exceeds_invoiced": lambda value: _(
        "line {line}: more than was invoiced, {left} left to credit on it"
    ).format(line=value[0], left=format_quantity(value[1], value[2])),
}


def _refusal(error: InvoiceRuleError) -> InvalidInput:
    return InvalidInput([Problem(_RULE_MESSAGES[error.code](error.value), column=error.field)])


def invoice_line(
    label: str,
    quantity: int,
    unit_price_cents: int,
    vat_rate: Decimal,
    *,
    weighed: bool = False,
    product_id: int | None = None,
) -> InvoiceLineIn:
    """A checked invoice line (InvalidInput naming the field otherwise)."""
    if vat_rate != 0 and vat_rate not in VAT_RATES:
        raise InvalidInput([Problem(_RULE_MESSAGES["bad_vat_rate"](vat_rate), column="vat_rate")])
    try:
        return InvoiceLineIn(label, quantity, unit_price_cents, vat_rate, weighed, product_id)
    except InvoiceRuleError as error:
        raise _refusal(error) from error


def _write_invoice(
    session: Session,
    *,
    series: str,
    kind: str,
    member: Member,
    totals: InvoiceTotals,
    reference: str | None,
    credits: Invoice | None,
    charged: bool,
    reason: str | None,
    actor: Actor,
    now: datetime,
) -> Invoice:
    invoice = Invoice(
        series=series,
        number=next_number(session, series),
        kind=kind,
        member_id=member.id,
        issued_on=local_date(now),
        at=now,
        reference=reference,
        credits_invoice_id=credits.id if credits is not None else None,
        prices_include_vat=totals.prices_include_vat,
        excl_vat_cents=totals.excl_vat_cents,
        vat_cents=totals.vat_cents,
        incl_vat_cents=totals.incl_vat_cents,
        charged=charged,
        reason=reason,
        created_by=actor.recorded,
    )
    session.add(invoice)
    session.flush()
    session.execute(insert(cast(Table, InvoiceLine.__table__)), line_rows(invoice.id, totals))
    session.execute(insert(cast(Table, InvoiceVat.__table__)), vat_rows(invoice.id, totals))
    outbox.record(
        session,
        outbox.OutboxKind(kind),
        invoice.code,
        {
            "code": invoice.code,
            "member": member.number,
            "name": member.full_name,
            "email": member.email,
            "reference": reference,
            "credits": credits.code if credits is not None else None,
            "prices_include_vat": totals.prices_include_vat,
            "charged": charged,
            "vat": [[rate_to_bp(v.rate), v.excl_vat, v.vat] for v in totals.vat],
        },
        on=invoice.issued_on,
        now=now,
    )
    return invoice


def line_rows(invoice_id: int, totals: InvoiceTotals) -> list[dict[str, Any]]:
    """An invoice's ``invoice_lines`` rows."""
    bps = {rate: rate_to_bp(rate) for rate in {priced.line.vat_rate for priced in totals.lines}}
    return [
        {
            "invoice_id": invoice_id,
            "line_no": no,
            "label": priced.line.label,
            "product_id": priced.line.product_id,
            "quantity": priced.line.quantity,
            "weighed": priced.line.weighed,
            "unit_price_cents": priced.line.unit_price_cents,
            "vat_rate_bp": bps[priced.line.vat_rate],
            "excl_vat_cents": priced.excl_vat_cents,
            "vat_cents": priced.vat_cents,
            "incl_vat_cents": priced.incl_vat_cents,
            "credited_line_no": priced.credited_line_no,
        }
        for no, priced in enumerate(totals.lines, start=1)
    ]


def vat_rows(invoice_id: int, totals: InvoiceTotals) -> list[dict[str, Any]]:
    """An invoice's ``invoice_vat`` rows."""
    return [
        {
            "invoice_id": invoice_id,
            "vat_rate_bp": rate_to_bp(split.rate),
            "excl_vat_cents": split.excl_vat,
            "vat_cents": split.vat,
        }
        for split in totals.vat
    ]


def issue_invoice(
    session: Session,
    *,
    member_number: int,
    lines: Sequence[InvoiceLineIn],
    settings: AccountSettings,
    actor: Actor,
    now: datetime,
    prices_include_vat: bool = True,
    reference: str | None = None,
    charge: bool = True,
    enforce_limit: bool = True,
) -> Invoice:
    """Invoice a member (``FA-000001``...). With ``charge`` the total is debited from their
    prepaid account in the same transaction (refused beyond the account's limit unless
    ``enforce_limit`` is False)."""
    member = members.get_by_number(session, member_number)
    try:
        totals = rules.price_invoice(lines, prices_include_vat=prices_include_vat)
    except InvoiceRuleError as error:
        raise _refusal(error) from error
    account = lock_account(session, member, now=now) if charge else None
    if (
        account is not None
        and enforce_limit
        and totals.incl_vat_cents > available(account, settings)
    ):
        raise AccountRefused(
            _(
                "Not enough credit on the account of member {number}: {available} available,"
                " {amount} asked."
            ).format(
                number=holder(member).number,
                available=format_money(available(account, settings)),
                amount=format_money(totals.incl_vat_cents),
            )
        )
    invoice = _write_invoice(
        session,
        series=settings.invoice_series,
        kind="invoice",
        member=holder(member),
        totals=totals,
        reference=reference,
        credits=None,
        charged=charge,
        reason=None,
        actor=actor,
        now=now,
    )
    if account is not None and totals.incl_vat_cents:
        post(
            session,
            account,
            kind="invoice",
            amount_cents=-totals.incl_vat_cents,
            at=now,
            actor=actor,
            settings=settings,
            enforce_limit=False,
            invoice_id=invoice.id,
            reference=invoice.code,
        )
    audit.record(
        session,
        actor=actor,
        at=now,
        action="invoice.issue",
        entity="invoice",
        entity_id=invoice.id,
        member_id=invoice.member_id,
        after={"code": invoice.code, "incl_vat_cents": invoice.incl_vat_cents},
    )
    return invoice


_CODE = re.compile(r"([A-Z0-9][A-Z0-9-]*?)-?0*(\d+)")


def get_invoice(session: Session, code: str) -> Invoice:
    """An invoice or credit note by its printed code (``FA-000042``, ``FA42``)."""
    match = _CODE.fullmatch(code.strip().upper())
    invoice = None
    if match is not None:
        invoice = session.scalar(
            select(Invoice).where(
                Invoice.series == match.group(1).rstrip("-"), Invoice.number == int(match.group(2))
            )
        )
    if invoice is None:
        raise NotFound(_("No invoice has the number {code}.").format(code=code))
    return invoice


def invoice_lines(session: Session, invoice: Invoice) -> list[InvoiceLine]:
    return list(
        session.scalars(
            select(InvoiceLine)
            .where(InvoiceLine.invoice_id == invoice.id)
            .order_by(InvoiceLine.line_no)
        )
    )


def invoice_vat(session: Session, invoice: Invoice) -> list[InvoiceVat]:
    return list(
        session.scalars(
            select(InvoiceVat)
            .where(InvoiceVat.invoice_id == invoice.id)
            .order_by(InvoiceVat.vat_rate_bp)
        )
    )


def totals_of(session: Session, invoice: Invoice) -> InvoiceTotals:
    """An invoice's lines and summary as stored, as the pure rules' value."""
    from coop.money import VatSplit

    lines = tuple(
        PricedLine(
            InvoiceLineIn(
                row.label,
                row.quantity,
                row.unit_price_cents,
                bp_to_rate(row.vat_rate_bp),
                row.weighed,
                row.product_id,
            ),
            row.excl_vat_cents,
            row.vat_cents,
            row.credited_line_no,
        )
        for row in invoice_lines(session, invoice)
    )
    vat = tuple(
        VatSplit(bp_to_rate(row.vat_rate_bp), row.excl_vat_cents, row.vat_cents)
        for row in invoice_vat(session, invoice)
    )
    return InvoiceTotals(lines, vat, invoice.prices_include_vat)


def credited_so_far(session: Session, invoice: Invoice) -> dict[int, int]:
    """{line_no: quantity} already credited by earlier credit notes of ``invoice``."""
    query = (
        select(InvoiceLine.credited_line_no, func.sum(InvoiceLine.quantity))
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(Invoice.credits_invoice_id == invoice.id)
        .group_by(InvoiceLine.credited_line_no)
    )
    return {int(no): int(total) for no, total in session.execute(query) if no is not None}


def issue_credit_note(
    session: Session,
    *,
    invoice_code: str,
    reason: str,
    settings: AccountSettings,
    actor: Actor,
    now: datetime,
    quantities: Mapping[int, int] | None = None,
) -> Invoice:
    """A credit note (``AV-000001``...) for some lines of an invoice, or all that is left.
    A charged invoice's credit note is credited back on the account."""
    original = get_invoice(session, invoice_code)
    if original.kind != "invoice":
        raise InvalidInput([Problem(_("only an invoice can be credited, not a credit note"))])
    # Two credit notes of one invoice at once: the second waits here, then reads what is left.
    session.execute(select(Invoice.id).where(Invoice.id == original.id).with_for_update())
    try:
        totals = rules.price_credit_note(
            totals_of(session, original), quantities, credited_so_far(session, original)
        )
    except InvoiceRuleError as error:  # the message names the line: no input column to name
        raise InvalidInput([Problem(_RULE_MESSAGES[error.code](error.value))]) from error
    member = session.get(Member, original.member_id)
    assert member is not None
    note = _write_invoice(
        session,
        series=settings.credit_note_series,
        kind="credit_note",
        member=member,
        totals=totals,
        reference=original.code,
        credits=original,
        charged=original.charged,
        reason=checked_reason(reason),
        actor=actor,
        now=now,
    )
    if original.charged and totals.incl_vat_cents:
        account = lock_account(session, member, now=now)
        post(
            session,
            account,
            kind="credit_note",
            amount_cents=totals.incl_vat_cents,
            at=now,
            actor=actor,
            settings=settings,
            invoice_id=note.id,
            reference=note.code,
        )
    audit.record(
        session,
        actor=actor,
        at=now,
        action="invoice.credit_note",
        entity="invoice",
        entity_id=note.id,
        member_id=note.member_id,
        after={"code": note.code, "credits": original.code, "incl_vat_cents": note.incl_vat_cents},
        reason=note.reason,
    )
    return note


@dataclass(frozen=True)
class InvoiceView:
    invoice: Invoice
    member: Member
    totals: InvoiceTotals

    def as_dict(self) -> dict[str, Any]:
        invoice = self.invoice
        return {
            "code": invoice.code,
            "kind": invoice.kind,
            "member": {"number": self.member.number, "name": self.member.full_name},
            "issued_on": invoice.issued_on.isoformat(),
            "reference": invoice.reference,
            "prices_include_vat": invoice.prices_include_vat,
            "lines": [
                {
                    "line_no": no,
                    "label": priced.line.label,
                    "quantity": priced.line.quantity,
                    "weighed": priced.line.weighed,
                    "unit_price_cents": priced.line.unit_price_cents,
                    "vat_rate": str(priced.line.vat_rate),
                    "excl_vat_cents": priced.excl_vat_cents,
                    "vat_cents": priced.vat_cents,
                    "incl_vat_cents": priced.incl_vat_cents,
                    "credited_line_no": priced.credited_line_no,
                }
                for no, priced in enumerate(self.totals.lines, start=1)
            ],
            "vat": [
                {
                    "rate": str(split.rate),
                    "excl_vat_cents": split.excl_vat,
                    "vat_cents": split.vat,
                    "incl_vat_cents": split.incl_vat,
                }
                for split in self.totals.vat
            ],
            "excl_vat_cents": invoice.excl_vat_cents,
            "vat_cents": invoice.vat_cents,
            "incl_vat_cents": invoice.incl_vat_cents,
            "charged": invoice.charged,
            "reason": invoice.reason,
        }


def view(session: Session, invoice: Invoice) -> InvoiceView:
    member = session.get(Member, invoice.member_id)
    assert member is not None
    return InvoiceView(invoice, member, totals_of(session, invoice))


def invoices_of(session: Session, member: Member) -> list[Invoice]:
    return list(
        session.scalars(
            select(Invoice)
            .where(Invoice.member_id == holder(member).id)
            .order_by(Invoice.issued_on, Invoice.series, Invoice.number)
        )
    )
