"""The producer order sheet: the coop (sender) and the supplier side by side, the order's
reference, delivery date and place, the lines by supplier reference with case counts and
supplier prices excluding VAT, totals per VAT rate; optionally a page per household."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from coop.i18n import _
from coop.orders.sheets import OrderSheet
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


class OrderSheetRenderer(BaseRenderer):
    document: OrderSheet

    def title(self) -> str:
        return _("Order {reference}").format(reference=self.document.reference)

    def story(self) -> list[Flowable]:
        doc = self.document
        supplier = [para(_("To:"), "Small"), para(doc.supplier.name, "Heading")]
        supplier.extend(para(line, "Small") for line in doc.supplier.address)
        if doc.supplier.contact:
            supplier.append(para(doc.supplier.contact, "Small"))
        story: list[Flowable] = [
            two_blocks(letterhead_lines(doc.letterhead), supplier, self.width),
            Spacer(1, 6 * mm),
            para(self.title(), "Title"),
            Spacer(1, 2 * mm),
        ]
        facts = [(_("Order cycle"), f"{doc.cycle_code} — {doc.cycle_name}")]
        if doc.sent_on is not None:
            facts.append((_("Sent on"), day_text(doc.sent_on, "long")))
        facts.append((_("Delivery"), day_text(doc.delivery_on, "full")))
        if doc.delivery_place:
            facts.append((_("Delivery place"), doc.delivery_place))
        story.append(key_values(facts, (42, 138)))
        story.append(Spacer(1, 5 * mm))
        rows: list[list[object]] = [
            [
                line.reference,
                cell(line.name, 42),
                cell(line.packaging, 33),
                "—" if line.cases is None else str(line.cases),
                line.quantity_text,
                money(line.unit_price_cents),
                rate(line.vat_rate),
                money(line.excl_vat_cents),
            ]
            for line in doc.lines
        ]
        rows.append([_("Total"), "", "", str(doc.cases), "", "", "", money(doc.excl_vat_cents)])
        story.append(
            data_table(
                [
                    _("Ref."),
                    _("Article"),
                    _("Packaging"),
                    _("Cases"),
                    _("Quantity"),
                    _("Unit price excl. VAT"),
                    _("VAT"),
                    _("Total excl. VAT"),
                ],
                rows,
                [19, 42, 33, 12, 20, 21, 12, 21],
                right=[3, 4, 5, 6, 7],
                extra=[
                    ("FONTNAME", (0, -1), (-1, -1), BOLD),
                    ("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL),
                ],
            )
        )
        story.append(para(_("Totals per VAT rate"), "Heading"))
        totals = vat_rows(doc.vat)
        totals.append(
            [_("Total"), money(doc.excl_vat_cents), money(doc.vat_cents), money(doc.incl_vat_cents)]
        )
        story.append(
            data_table(
                [_("VAT rate"), _("Excl. VAT"), _("VAT"), _("Incl. VAT")],
                totals,
                [30, 35, 35, 35],
                right=range(4),
                extra=[
                    ("FONTNAME", (0, -1), (-1, -1), BOLD),
                    ("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL),
                ],
            )
        )
        story.append(Spacer(1, 4 * mm))
        story.append(
            para(
                _(
                    "Prices excluding VAT, at the supplier's price for this order. "
                    "Thank you for delivering to us!"
                ),
                "Small",
            )
        )
        if doc.per_member:
            story.append(PageBreak())
            heading = _("By household (anonymised)") if doc.anonymised else _("By household")
            story.append(para(heading, "Title"))
            story.append(
                para(_("What each household ordered, to pack it apart if you do."), "Small")
            )
            story.append(Spacer(1, 3 * mm))
            picks: list[list[object]] = []
            extra: list[tuple[object, ...]] = []
            for pick in doc.per_member:
                first = len(picks) + 1
                for index, (reference, name, quantity) in enumerate(pick.lines):
                    picks.append(
                        [
                            cell(pick.label, 50) if index == 0 else "",
                            reference,
                            cell(name, 75),
                            quantity,
                        ]
                    )
                extra.append(("LINEABOVE", (0, first), (-1, first), 0.8, "#1a1a1a"))
            extra.append(("FONTNAME", (0, 1), (0, -1), BOLD))
            story.append(
                data_table(
                    [_("Household"), _("Ref."), _("Article"), _("Quantity")],
                    picks,
                    [50, 25, 75, 30],
                    right=[3],
                    zebra=False,
                    extra=extra,
                )
            )
        return story
