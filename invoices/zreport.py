"""The Z report (ticket Z): a till's day, sealed in the journal, or provisional figures."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from coop.i18n import _
from coop.till.documents import chain_head
from coop.till.z_documents import ZReportDocument
from invoices.base import (
    BOLD,
    TOTAL_FILL,
    BaseRenderer,
    cell,
    data_table,
    day_text,
    key_values,
    letterhead_lines,
    moment_text,
    money,
    para,
    two_blocks,
    vat_rows,
)


class ZReportRenderer(BaseRenderer):
    document: ZReportDocument

    def title(self) -> str:
        doc = self.document
        if doc.provisional:
            return _("Till {till}, {day}: provisional figures (no Z yet)").format(
                till=doc.till, day=day_text(doc.day)
            )
        return _("Z report no. {number}, till {till}, {day}").format(
            number=doc.number, till=doc.till, day=day_text(doc.day)
        )

    def story(self) -> list[Flowable]:
        doc = self.document
        story: list[Flowable] = []
        facts = [
            (_("Till"), doc.till),
            (_("Day"), day_text(doc.day, "full")),
            (
                _("Sales"),
                _("{count} (numbers {first} to {last})").format(
                    count=doc.sale_count, first=doc.first_sale or "—", last=doc.last_sale or "—"
                ),
            ),
        ]
        story.append(
            two_blocks(letterhead_lines(doc.letterhead), [key_values(facts, (25, 65))], self.width)
        )
        story.append(Spacer(1, 5 * mm))
        story.append(para(self.title(), "Title"))
        if doc.provisional:
            story.append(
                para(
                    _("Not a Z: the day is not closed yet, these figures may still change."), "Bold"
                )
            )
        story.append(para(_("Turnover by VAT rate"), "Heading"))
        rows = vat_rows(doc.vat)
        rows.append(
            [_("Total"), money(doc.excl_vat_cents), money(doc.vat_cents), money(doc.total_cents)]
        )
        story.append(
            data_table(
                [_("VAT rate"), _("Excl. VAT"), _("VAT"), _("Incl. VAT")],
                rows,
                [45, 45, 45, 45],
                right=range(1, 4),
                extra=[
                    ("FONTNAME", (0, -1), (-1, -1), BOLD),
                    ("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL),
                ],
            )
        )
        story.append(para(_("Payments"), "Heading"))
        paid = [[name, money(amount)] for name, amount in doc.payments]
        paid.append([_("Total"), money(sum(amount for _name, amount in doc.payments))])
        story.append(
            data_table(
                [_("Means"), _("Amount")],
                paid,
                [90, 45],
                right=[1],
                extra=[
                    ("FONTNAME", (0, -1), (-1, -1), BOLD),
                    ("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL),
                ],
            )
        )
        story.append(para(_("Other figures"), "Heading"))
        other = [
            [_("Refunds ({count})").format(count=doc.refund_count), money(doc.refunds_cents)],
            [_("Deposits charged"), money(doc.deposits_charged_cents)],
            [_("Deposits returned"), money(doc.deposits_returned_cents)],
            [_("Discounts"), money(doc.discounts_cents)],
            [_("Prepaid account top-ups"), money(doc.top_ups_cents)],
            [_("Capital shares received"), money(doc.share_cents)],
            [_("Fees received"), money(doc.fee_cents)],
            [_("Change given"), money(doc.change_cents)],
            [_("Perpetual grand total"), money(doc.perpetual_cents)],
        ]
        story.append(
            data_table(
                [_("Figure"), _("Amount")],
                other,
                [90, 45],
                right=[1],
                extra=[("FONTNAME", (0, -1), (-1, -1), BOLD)],
            )
        )
        story += self._membership_means()
        if doc.sessions:
            story.append(para(_("Till sessions"), "Heading"))
            story.append(
                data_table(
                    [
                        _("Opened"),
                        _("By"),
                        _("Closed"),
                        _("Float"),
                        _("Expected"),
                        _("Counted"),
                        _("Difference"),
                    ],
                    [
                        [
                            moment_text(row.opened_at),
                            cell(row.opened_by, 30),
                            moment_text(row.closed_at) if row.closed_at else "—",
                            money(row.opening_cents),
                            money(row.expected_cents),
                            money(row.counted_cents),
                            money(row.difference_cents),
                        ]
                        for row in doc.sessions
                    ],
                    [28, 30, 28, 23, 23, 23, 25],
                    right=range(3, 7),
                )
            )
        if doc.hash:
            story.append(Spacer(1, 4 * mm))
            story.append(para(_("Journal fingerprint: {hash}").format(hash=doc.hash), "Fine"))
            head = chain_head(doc.seq, doc.hash)
            if head:
                story.append(para(_("Journal: {head}").format(head=head), "Fine"))
        story.append(Spacer(1, 10 * mm))
        story.append(
            two_blocks(
                [para(_("Cashier's signature"), "Small")],
                [para(_("Shift leader's signature"), "Small")],
                self.width,
            )
        )
        return story

    def _membership_means(self) -> list[Flowable]:
        """Which means paid the capital shares and fees (nothing on a day without any)."""
        doc = self.document
        if not doc.membership_means:
            return []
        rows = [[r.name, money(r.share_cents), money(r.fee_cents)] for r in doc.membership_means]
        rows.append([_("Total"), money(doc.share_cents), money(doc.fee_cents)])
        return [
            para(_("Capital shares and fees by means"), "Heading"),
            data_table(
                [_("Means"), _("Capital shares"), _("Fees")],
                rows,
                [65, 35, 35],
                right=[1, 2],
                extra=[
                    ("FONTNAME", (0, -1), (-1, -1), BOLD),
                    ("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL),
                ],
            ),
        ]
