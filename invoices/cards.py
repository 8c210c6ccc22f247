"""A sheet of member cards (85.6 × 54 mm, ten per A4 page, dashed cutting lines), each with the
coop's name, the member's name and number and the card's EAN-13 barcode.

The barcode is drawn from the 12 first digits (ReportLab computes the check digit); ``coop``
has already refused any code whose 13th digit is wrong, so the printed code is the stored one.
"""

from __future__ import annotations

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.eanbc import Ean13BarcodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

from coop.i18n import _
from coop.members.documents import CardData, MemberCardsSheet
from invoices.base import BOLD, FONT, GREY, INK, RULE, BaseRenderer, clean

CARD_WIDTH = 85.6 * mm
CARD_HEIGHT = 54 * mm
PER_ROW = 2


def fit(text: str, font: str, size: float, width: float) -> str:
    """Cut ``text`` with an ellipsis so that it fits ``width``."""
    text = clean(text)
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


class CardFlowable(Flowable):
    def __init__(self, card: CardData, coop_name: str) -> None:
        super().__init__()
        self.card = card
        self.coop_name = coop_name
        self.width = CARD_WIDTH
        self.height = CARD_HEIGHT

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        card = self.card
        inner = self.width - 10 * mm
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.setDash(2, 2)
        canvas.rect(0, 0, self.width, self.height)
        canvas.setDash()
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, 8)
        canvas.drawString(5 * mm, self.height - 7 * mm, fit(self.coop_name, BOLD, 8, inner))
        canvas.setFont(FONT, 7)
        canvas.setFillColor(GREY)
        canvas.drawRightString(self.width - 5 * mm, self.height - 7 * mm, _("Member card"))
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, 12)
        canvas.drawString(5 * mm, self.height - 15 * mm, fit(card.name, BOLD, 12, inner))
        canvas.setFont(FONT, 9)
        canvas.drawString(
            5 * mm, self.height - 20 * mm, _("Member no. {number}").format(number=card.number)
        )
        if card.household_of:
            canvas.setFont(FONT, 7)
            canvas.drawString(
                5 * mm,
                self.height - 24.5 * mm,
                fit(_("Household of {name}").format(name=card.household_of), FONT, 7, inner),
            )
        widget = Ean13BarcodeWidget(card.barcode[:12])
        widget.barHeight = 14 * mm
        widget.barWidth = 0.33 * mm
        widget.fontName = FONT
        widget.fontSize = 8
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(x1 - x0, y1 - y0)
        drawing.add(widget)
        renderPDF.draw(drawing, canvas, (self.width - (x1 - x0)) / 2, 4 * mm)
        canvas.restoreState()


class CardsRenderer(BaseRenderer):
    document: MemberCardsSheet
    margin_top = 10 * mm
    margin_bottom = 13 * mm
    running_header = 0

    def title(self) -> str:
        return _("Member cards")

    def on_later_page(self, canvas, doc) -> None:  # type: ignore[no-untyped-def]
        """No running header: the page is all cards."""

    def story(self) -> list[Flowable]:
        doc = self.document
        name = doc.letterhead.name
        flowables = [CardFlowable(card, name) for card in doc.cards]
        rows = [flowables[i : i + PER_ROW] for i in range(0, len(flowables), PER_ROW)]
        if rows and len(rows[-1]) < PER_ROW:
            rows[-1] = rows[-1] + [""] * (PER_ROW - len(rows[-1]))
        style = TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ]
        )
        # one small table per row of cards: rows never split, and progress moves row by row
        story: list[Flowable] = []
        for row in rows:
            table = Table(
                [row], colWidths=[CARD_WIDTH + 2 * mm] * PER_ROW, rowHeights=[CARD_HEIGHT]
            )
            table.setStyle(style)
            story.append(table)
        return story
