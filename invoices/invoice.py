"""A member invoice or credit note: the coop (with SIRET) and the member's address side by side,
number and date, lines with VAT, the totals, the VAT summary per rate, how it was settled."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from coop.accounts.documents import InvoiceDocument
from coop.i18n import _
from invoices.base import (
    BOLD,
    TOTAL_FILL,
    BaseRenderer,
    cell,
    data_table,
    day_text,
    key_values,
    letterhead_lines,
    money,
    para,
    rate,
    two_blocks,
    vat_rows,
)


class InvoiceRenderer(BaseRenderer):
    document: InvoiceDocument

    def title(self) -> str:
        doc = self.document
        if doc.credit_note:
            return _("Credit note {code}").format(code=doc.code)
        return _("Invoice {code}").format(code=doc.code)

    def story(self) -> list[Flowable]:
        doc = self.document
        member = [para(doc.member_name, "Bold")]
        member.extend(para(line) for line in doc.address)
        member.append(para(_("Member no. {number}").format(number=doc.member_number), "Small"))
        story: list[Flowable] = [
            two_blocks(letterhead_lines(doc.letterhead), [Spacer(1, 8 * mm), *member], self.width),
            Spacer(1, 10 * mm),
            para(self.title(), "Title"),
            Spacer(1, 2 * mm),
        ]
        facts = [(_("Date"), day_text(doc.issued_on, "long"))]
        if doc.credits_code:
            facts.append((_("Cancels"), _("invoice {code}").format(code=doc.credits_code)))
        if doc.reference and doc.reference != doc.credits_code:
            facts.append((_("Reference"), doc.reference))
        if doc.reason:
            facts.append((_("Reason"), doc.reason))
        story.append(key_values(facts, (30, 150)))
        story.append(Spacer(1, 5 * mm))
        unit = _("Unit price incl. VAT") if doc.prices_include_vat else _("Unit price excl. VAT")
        rows = [
            [
                cell(line.label, 58),
                line.quantity_text,
                money(line.unit_price_cents),
                rate(line.vat_rate),
                money(line.excl_vat_cents),
                money(line.vat_cents),
                money(line.incl_vat_cents),
            ]
            for line in doc.lines
        ]
        rows.append(
            [
                _("Total"),
                "",
                "",
                "",
                money(doc.excl_vat_cents),
                money(doc.vat_cents),
                money(doc.incl_vat_cents),
            ]
        )
        story.append(
            data_table(
                [
                    _("Item"),
                    _("Quantity"),
                    unit,
                    _("Rate"),
                    _("Excl. VAT"),
                    _("VAT"),
                    _("Incl. VAT"),
                ],
                rows,
                [58, 20, 24, 15, 21, 20, 22],
                right=range(1, 7),
                extra=[
                    ("FONTNAME", (0, -1), (-1, -1), BOLD),
                    ("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL),
                ],
            )
        )
        story.append(para(_("VAT summary"), "Heading"))
        story.append(
            data_table(
                [_("VAT rate"), _("Excl. VAT"), _("VAT"), _("Incl. VAT")],
                vat_rows(doc.vat),
                [30, 35, 35, 35],
                right=range(4),
            )
        )
        story.append(Spacer(1, 5 * mm))
        if doc.charged:
            settled = (
                _("Credited to your member account.")
                if doc.credit_note
                else _("Debited from your member account.")
            )
        else:
            settled = _("To be refunded.") if doc.credit_note else _("To be paid.")
        story.append(para(settled, "Bold"))
        if doc.balance_after_cents is not None:
            story.append(
                para(
                    _("Member account balance after this document: {amount}").format(
                        amount=money(doc.balance_after_cents)
                    )
                )
            )
        return story
