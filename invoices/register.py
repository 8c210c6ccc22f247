"""The register of members and shares (registre des associés), landscape A4: per member their
number, name, category, date in, date out, shares held, amount held and every share movement,
then the totals on top.

The rows are drawn straight on the canvas by one flowable (``RegisterRows``) that measures each
row by its number of lines and splits at a page's end, repeating the header: a ReportLab
``Table`` of 20,000 rows measured every cell and took seven times a bare canvas's time (15 s for
2,000 members on a loaded machine), this takes about twice it. A name or a movement line too
wide for its column wraps (``simpleSplit``) so nothing is cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer

from coop.i18n import _
from coop.members.register import MembersRegister
from coop.members.words import category_words
from invoices.base import (
    BOLD,
    FONT,
    GREY,
    HEADER_FILL,
    INK,
    ZEBRA,
    BaseRenderer,
    clean,
    day_text,
    money,
    para,
)

WIDTHS_MM = (14, 62, 24, 22, 22, 16, 24, 83)
RIGHT = frozenset({0, 5, 6})
SIZE = 8.0
LEADING = 9.6
PAD = 2.2

Cells = list[list[str]]
"""One row: the lines of each column."""


class RegisterRows(Flowable):
    """Rows of text cells with a header, drawn directly; splits between rows."""

    def __init__(
        self,
        header: Sequence[str],
        rows: Sequence[Cells],
        widths: Sequence[float],
        heights: Sequence[float] | None = None,
    ):
        super().__init__()
        self.header = list(header)
        self.rows = list(rows)
        self.widths = list(widths)
        self.heights = (
            list(heights)
            if heights is not None
            else [max(map(len, row)) * LEADING + 2 * PAD for row in self.rows]
        )
        self.header_height = LEADING + 2 * PAD

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = sum(self.widths)
        self.height = self.header_height + sum(self.heights)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        room = available_height - self.header_height
        count = 0
        for height in self.heights:
            if room < height:
                break
            room -= height
            count += 1
        if count == 0 or count == len(self.rows):
            return [] if count == 0 else [self]
        return [
            RegisterRows(self.header, self.rows[:count], self.widths, self.heights[:count]),
            RegisterRows(self.header, self.rows[count:], self.widths, self.heights[count:]),
        ]

    def draw(self) -> None:
        canvas = self.canv
        top = self.height
        canvas.setFillColor(HEADER_FILL)
        canvas.rect(0, top - self.header_height, self.width, self.header_height, stroke=0, fill=1)
        canvas.setFillColor(INK)
        self._line(canvas, [[text] for text in self.header], top, BOLD)
        y = top - self.header_height
        for index, (row, height) in enumerate(zip(self.rows, self.heights, strict=True)):
            if index % 2:
                canvas.setFillColor(ZEBRA)
                canvas.rect(0, y - height, self.width, height, stroke=0, fill=1)
                canvas.setFillColor(INK)
            self._line(canvas, row, y, FONT)
            y -= height
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.3)
        canvas.line(0, y, self.width, y)

    def _line(self, canvas: object, cells: Cells, top: float, font: str) -> None:
        text = canvas.beginText()  # type: ignore[attr-defined]
        text.setFont(font, SIZE)
        x = 0.0
        for column, (lines, width) in enumerate(zip(cells, self.widths, strict=True)):
            for number, line in enumerate(lines):
                y = top - PAD - SIZE - number * LEADING
                if column in RIGHT:
                    left = x + width - PAD - stringWidth(line, font, SIZE)
                else:
                    left = x + PAD
                text.setTextOrigin(left, y)
                text.textOut(line)
            x += width
        canvas.drawText(text)  # type: ignore[attr-defined]


def _wrapped(value: str, width: float) -> list[str]:
    lines: list[str] = []
    for part in clean(value).split("\n"):
        if stringWidth(part, FONT, SIZE) <= width - 2 * PAD:
            lines.append(part)
        else:
            lines.extend(simpleSplit(part, FONT, SIZE, width - 2 * PAD) or [""])
    return lines or [""]


class RegisterRenderer(BaseRenderer):
    document: MembersRegister
    pagesize = landscape(A4)

    def title(self) -> str:
        return _("Register of members and shares on {day}").format(
            day=day_text(self.document.at, "long")
        )

    def story(self) -> list[Flowable]:
        doc = self.document
        widths = [w * mm for w in WIDTHS_MM]
        header = [
            _("No."),
            _("Name"),
            _("Category"),
            _("Date in"),
            _("Date out"),
            _("Shares"),
            _("Held"),
            _("Movements"),
        ]
        day = cache(day_text)  # a register has far fewer distinct days than rows
        rows: list[Cells] = [
            [
                [str(row.number)],
                _wrapped(row.name, widths[1]),
                [clean(category_words(row.category))],
                [day(row.joined_on)],
                [day(row.left_on) if row.left_on else ""],
                [str(row.shares)],
                [money(row.paid_cents)],
                _wrapped(row.movements_text(), widths[7]),
            ]
            for row in doc.rows
        ]
        return [
            para(doc.letterhead.name, "Heading"),
            para(self.title(), "Title"),
            para(
                _("{count} people; {shares} shares of {value} held, {capital} in all.").format(
                    count=len(doc.rows),
                    shares=doc.shares,
                    value=money(doc.share_value_cents),
                    capital=money(doc.capital_cents),
                ),
                "Small",
            ),
            Spacer(1, 3 * mm),
            RegisterRows(header, rows, widths),
        ]
