"""A till receipt, on A4 or on an 80 mm roll (one page as long as the receipt)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from coop.i18n import _
from coop.till.documents import ReceiptDocument, chain_head
from invoices.base import (
    BOLD,
    FONT,
    INK,
    RULE,
    BaseRenderer,
    clean,
    data_table,
    esc,
    moment_text,
    money,
    para,
    rate,
    vat_rows,
)

NARROW_WIDTH = 80 * mm


class ReceiptRenderer(BaseRenderer):
    document: ReceiptDocument

    def __init__(self, document: ReceiptDocument, *, invariant: bool = False) -> None:
        super().__init__(document, invariant=invariant)
        if document.narrow:
            self.margin_left = self.margin_right = 4 * mm
            self.margin_top = 5 * mm
            self.margin_bottom = 12 * mm
            self.running_header = 0

    def title(self) -> str:
        return _("Receipt {till} no. {number}").format(
            till=self.document.till, number=self.document.number
        )

    def page_size(self) -> tuple[float, float]:
        if not self.document.narrow:
            return self.pagesize
        height = sum(f.wrap(NARROW_WIDTH - 8 * mm, 10_000)[1] for f in self._story)
        height += sum(f.getSpaceBefore() + f.getSpaceAfter() for f in self._story)
        return (NARROW_WIDTH, height + self.margin_top + self.margin_bottom + 4 * mm)

    def story(self) -> list[Flowable]:
        return list(self._story)

    @cached_property
    def _story(self) -> list[Flowable]:
        doc = self.document
        narrow = doc.narrow
        width_mm = 72 if narrow else 180
        head = doc.letterhead
        story: list[Flowable] = [para(head.name, "Title" if not narrow else "Heading")]
        story.extend(para(line, "Small") for line in head.address)
        if head.siret:
            story.append(para(_("SIRET {number}").format(number=head.siret), "Small"))
        story.append(Spacer(1, 3 * mm))
        story.append(
            para(esc(self.title()) + "<br/>" + esc(moment_text(doc.at)), "Bold", markup=True)
        )
        if doc.member:
            story.append(para(doc.member))
        if doc.refunded_sales:
            story.append(para(doc.refunded_sales, "Bold"))
        story.append(Spacer(1, 2 * mm))
        if narrow:
            widths = [38, 14, 20]
            header = [_("Item"), _("Qty"), _("Amount")]
        else:
            widths = [86, 24, 24, 18, 28]
            header = [_("Item"), _("Quantity"), _("Unit price"), _("VAT"), _("Amount")]
        rows = []
        for line in doc.lines:
            label = esc(line.label)
            if line.note:
                label += f'<br/><font size="7">{esc(line.note)}</font>'
            cell = para(label, "Cell", markup=True)
            if narrow:
                rows.append([cell, line.quantity_text, money(line.amount_cents)])
            else:
                rows.append(
                    [
                        cell,
                        line.quantity_text,
                        money(line.unit_price_cents),
                        rate(line.vat_rate),
                        money(line.amount_cents),
                    ]
                )
        story.append(
            data_table(header, rows, widths, right=range(1, len(widths)), zebra=not narrow)
        )
        totals = _outside_vat(doc)
        totals.append([_("TOTAL"), money(doc.total_cents)])
        story.append(self._figures(totals, width_mm, bold_last=True))
        story.append(Spacer(1, 2 * mm))
        per_rate = vat_rows(doc.vat)
        vat_widths = [14, 20, 18, 20] if narrow else [30, 40, 40, 40]
        story.append(
            data_table(
                [_("Rate"), _("Excl. VAT"), _("VAT"), _("Incl. VAT")],
                per_rate,
                vat_widths,
                right=range(4),
                zebra=False,
                font_size=7.5,
            )
        )
        story.append(Spacer(1, 2 * mm))
        paid = [[name, money(amount)] for name, amount in doc.payments]
        if doc.change_cents:
            paid.append([_("Change given"), money(doc.change_cents)])
        if paid:
            story.append(self._figures(paid, width_mm))
        if doc.account_balance_cents is not None:
            story.append(
                para(
                    _("Prepaid account balance: {amount}").format(
                        amount=money(doc.account_balance_cents)
                    ),
                    "Small",
                )
            )
        story.append(Spacer(1, 3 * mm))
        if doc.hash:
            story.append(
                para(_("Journal fingerprint: {hash}").format(hash=doc.hash[:16] + "…"), "Fine")
            )
            chain = chain_head(doc.seq, doc.hash) if doc.committed else None
            if chain:
                story.append(para(_("Journal: {head}").format(head=chain), "Fine"))
        if doc.barcode:
            story.append(receipt_barcode(doc.barcode))
        story.append(para(_("Thank you, and see you soon!"), "Centre"))
        return story

    def _figures(self, rows: list[list[str]], width_mm: float, bold_last: bool = False) -> Table:
        style = "Heading" if bold_last else "Normal"
        table = Table(
            [
                [para(label, style if index == len(rows) - 1 else "Normal"), clean(value)]
                for index, (label, value) in enumerate(rows)
            ],
            colWidths=[(width_mm - 26) * mm, 26 * mm],
        )
        commands: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
        if bold_last:
            commands += [
                ("FONTNAME", (0, -1), (-1, -1), BOLD),
                ("FONTSIZE", (0, -1), (-1, -1), 12),
                ("LEADING", (0, -1), (-1, -1), 15),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, RULE),
            ]
        table.setStyle(TableStyle(commands))
        return table


def receipt_barcode(code: str) -> Drawing:
    """The sale's EAN-13 under the receipt: a refund at the counter (F7) starts by scanning it."""
    from reportlab.graphics.barcode import createBarcodeDrawing

    drawing: Drawing = createBarcodeDrawing(  # type: ignore[no-untyped-call]
        "EAN13", value=code, barHeight=10 * mm, barWidth=0.28 * mm, humanReadable=True
    )
    drawing.hAlign = "CENTER"
    return drawing


def _outside_vat(doc: ReceiptDocument) -> list[list[str]]:
    """The receipt's amounts in no VAT line: a top-up, capital shares, the yearly fee."""
    totals: list[list[str]] = []
    if doc.top_up_cents:
        totals.append([_("Top-up of the prepaid account"), money(doc.top_up_cents)])
    for label, cents in doc.membership:
        totals.append([_("{label} (outside VAT)").format(label=label), money(cents)])
    return totals
