"""A member invoice or credit note as printed: the coop's and the member's details, the lines
with their VAT, the VAT summary per rate, how it was settled and the account balance after it.

An invoice must name the member's postal address and the coop's name, address and SIRET: a
member without an address, or a config without the coop's legal mentions, is refused with the way
to fix it, rather than printing an invoice that is not valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.documents import (
    Letterhead,
    VatRow,
    address_lines,
    legal_mentions_missing,
    letterhead,
)
from coop.errors import CoopError
from coop.i18n import _
from coop.paths import config_file
from coop.units import NBSP, line_quantity


@dataclass(frozen=True)
class InvoiceLineRow:
    label: str
    quantity_text: str
    unit_price_cents: int
    vat_rate: Decimal
    excl_vat_cents: int
    vat_cents: int
    incl_vat_cents: int


@dataclass(frozen=True)
class InvoiceDocument:
    letterhead: Letterhead
    kind: str
    """ "invoice" or "credit_note"."""
    code: str
    issued_on: date
    member_number: int
    member_name: str
    address: tuple[str, ...]
    reference: str | None
    credits_code: str | None
    prices_include_vat: bool
    lines: tuple[InvoiceLineRow, ...]
    vat: tuple[VatRow, ...]
    excl_vat_cents: int
    vat_cents: int
    incl_vat_cents: int
    charged: bool
    balance_after_cents: int | None
    reason: str | None
    printed_at: datetime

    @property
    def credit_note(self) -> bool:
        return self.kind == "credit_note"


def invoice_document(
    session: Session, code: str, *, settings: Any, printed_at: datetime
) -> InvoiceDocument:
    """The invoice or credit note ``code`` (``FA-000042``) ready to print."""
    from coop.accounts import invoicing
    from coop.accounts.models import AccountMovement, Invoice

    head = letterhead(settings)
    missing = legal_mentions_missing(head)
    if missing:
        raise CoopError(
            _(
                "An invoice must show the coop's name, address and SIRET, and the configuration "
                "lacks {keys}: set them in the config file ({path}), e.g. coop_name = "
                '"Épicerie des Lilas", coop_address = "12 rue des Lilas\\n69001 Lyon", '
                'coop_siret = "123 456 789 00012"; then print {code} again.'
            ).format(
                keys=", ".join(missing),
                path=getattr(settings, "source", None) or config_file(),
                code=code,
            )
        )
    invoice = invoicing.get_invoice(session, code)
    view = invoicing.view(session, invoice)
    member = view.member
    address = address_lines(member)
    if not address:
        raise CoopError(
            _(
                "Member {number} ({name}) has no complete postal address (street, postcode and "
                "city), which an invoice must show: add it to the member's record, then print "
                "{code} again."
            ).format(number=member.number, name=member.full_name, code=invoice.code)
        )
    credited = (
        session.get(Invoice, invoice.credits_invoice_id) if invoice.credits_invoice_id else None
    )
    balance = session.scalar(
        select(AccountMovement.balance_after_cents).where(AccountMovement.invoice_id == invoice.id)
    )
    return InvoiceDocument(
        letterhead=head,
        kind=invoice.kind,
        code=invoice.code,
        issued_on=invoice.issued_on,
        member_number=member.number,
        member_name=member.full_name,
        address=address,
        reference=invoice.reference,
        credits_code=credited.code if credited is not None else None,
        prices_include_vat=invoice.prices_include_vat,
        lines=tuple(
            InvoiceLineRow(
                label=priced.line.label,
                quantity_text=line_quantity(priced.line.quantity, priced.line.weighed, space=NBSP),
                unit_price_cents=priced.line.unit_price_cents,
                vat_rate=priced.line.vat_rate,
                excl_vat_cents=priced.excl_vat_cents,
                vat_cents=priced.vat_cents,
                incl_vat_cents=priced.incl_vat_cents,
            )
            for priced in view.totals.lines
        ),
        vat=tuple(VatRow(split.rate, split.excl_vat, split.vat) for split in view.totals.vat),
        excl_vat_cents=invoice.excl_vat_cents,
        vat_cents=invoice.vat_cents,
        incl_vat_cents=invoice.incl_vat_cents,
        charged=invoice.charged,
        balance_after_cents=balance,
        reason=invoice.reason,
        printed_at=printed_at,
    )
