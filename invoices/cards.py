"""A sheet of member cards (85.6 × 54 mm, ten per A4 page, dashed cutting lines), each with the
coop's name, the member's name and number and the card's EAN-13 barcode.

The EAN-13 bars are drawn straight on the canvas from the standard's code tables (a tenth of
the time of ReportLab's barcode widget, which matters for 2,000 cards; the tests check that the
bars are the widget's). ``coop`` has already refused any code whose check digit is wrong, and
all 13 digits are encoded, so the printed code is the stored one.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

from coop.i18n import _
from coop.members.documents import CardData, MemberCardsSheet
from invoices.base import BOLD, FONT, GREY, INK, RULE, BaseRenderer, clean

_L = (
    "0001101",
    "0011001",
    "0010011",
    "0111101",
    "0100011",
    "0110001",
    "0101111",
    "0111011",
    "0110111",
    "0001011",
)
_R = tuple("".join("1" if bit == "0" else "0" for bit in code) for code in _L)
_G = tuple(code[::-1] for code in _R)
_PARITY = (
    "LLLLLL",
    "LLGLGG",
    "LLGGLG",
    "LLGGGL",
    "LGLLGG",
    "LGGLLG",
    "LGGGLL",
    "LGLGLG",
    "LGLGGL",
    "LGGLGL",
)
GUARDS = frozenset((0, 1, 2, 45, 46, 47, 48, 49, 92, 93, 94))
"""Modules of the start, centre and end guards (drawn longer)."""


def ean13_modules(code: str) -> str:
    """The 95 modules ("1" a bar) of a 13-digit EAN-13 code."""
    digits = [int(ch) for ch in code]
    left = "".join(
        (_L if parity == "L" else _G)[digit]
        for parity, digit in zip(_PARITY[digits[0]], digits[1:7], strict=True)
    )
    right = "".join(_R[digit] for digit in digits[7:13])
    return "101" + left + "01010" + right + "101"


def ean13_bars(code: str) -> list[tuple[int, int, bool]]:
    """(first module, width in modules, guard bar) of each bar."""
    modules = ean13_modules(code)
    bars = []
    start = None
    for index, bit in enumerate(modules + "0"):
        if bit == "1" and start is None:
            start = index
        elif bit != "1" and start is not None:
            bars.append((start, index - start, start in GUARDS))
            start = None
    return bars


def draw_ean13(canvas, code: str, x: float, y: float, module: float, height: float) -> None:  # type: ignore[no-untyped-def]
    """Bars with their digits underneath, the first digit to the left (bottom-left at x, y)."""
    text = 7.5
    digits_room = text + 1
    for start, width, guard in ean13_bars(code):
        bottom = y if guard else y + digits_room
        canvas.rect(
            x + start * module, bottom, width * module, height - (bottom - y), stroke=0, fill=1
        )
    canvas.setFont(FONT, text)
    canvas.drawRightString(x - 1.5, y + 1, code[0])
    canvas.drawCentredString(x + 24 * module, y + 1, code[1:7])
    canvas.drawCentredString(x + 71 * module, y + 1, code[7:13])


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
        module = 0.33 * mm
        draw_ean13(canvas, card.barcode, (self.width - 95 * module) / 2, 4 * mm, module, 17 * mm)
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
        flowables: list[CardFlowable | str] = [CardFlowable(card, name) for card in doc.cards]
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
