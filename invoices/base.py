"""The base renderer every printed document follows (pretix's shape).

- A4 (or a given page size), margins in millimetres, one embedded TTF family (DejaVu Sans and
  DejaVu Sans Bold, shipped in ``invoices/fonts`` with their licence): it has €, French accents,
  « », the no-break space and the narrow no-break space Babel puts in French amounts.
- ``BaseDocTemplate`` with a first-page template and a later-page template (a running header
  with the coop's name and the document's title); every page ends with the print date and
  "Page X sur Y", drawn at the end by a deferred canvas (``NumberedCanvas``) once the total is
  known.
- Tables repeat their header rows on every page (``repeatRows``).
- User text (member, product, producer names) goes through ``esc``: characters the font lacks
  (emoji) are dropped, the rest is NFC-normalised and escaped for Paragraph markup.
- ``invariant=True`` gives byte-identical output (fixed creation date and document id) for tests.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from coop.clock import SHOP_TIMEZONE
from coop.dates import format_date
from coop.errors import CoopError
from coop.i18n import _, current_language
from coop.money import format_money, format_rate

FONTS_DIR = Path(__file__).parent / "fonts"
FONT = "ComptoirSans"
BOLD = "ComptoirSans-Bold"

INK = colors.HexColor("#1a1a1a")
GREY = colors.HexColor("#6b6b6b")
RULE = colors.HexColor("#9a9a9a")
HEADER_FILL = colors.HexColor("#e4e4e4")
ZEBRA = colors.HexColor("#f4f4f4")
TOTAL_FILL = colors.HexColor("#ececec")

Progress = Callable[[int, int], None]
"""Called with (flowables laid out, flowables in all) while a document is built."""


@cache
def glyphs() -> frozenset[int]:
    """Register the embedded fonts (once) and return the code points both faces draw."""
    regular = TTFont(FONT, str(FONTS_DIR / "DejaVuSans.ttf"))
    bold = TTFont(BOLD, str(FONTS_DIR / "DejaVuSans-Bold.ttf"))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(bold)
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
    return frozenset(regular.face.charToGlyph) & frozenset(bold.face.charToGlyph)


_SPACES = re.compile(r" {2,}")


def clean(text: Any) -> str:
    """Text the font can draw: NFC-normalised, characters without a glyph (emoji, variation
    selectors, joiners) dropped. No-break and narrow no-break spaces are kept."""
    value = "" if text is None else str(text)
    if value.isascii() and value.isprintable():
        return value  # the font draws every printable ASCII character
    value = unicodedata.normalize("NFC", value)
    drawable = glyphs()
    if all(ord(ch) in drawable or ch == "\n" for ch in value):
        return value
    kept = "".join(ch for ch in value if ord(ch) in drawable or ch == "\n")
    return _SPACES.sub(" ", kept).strip()


def esc(text: Any) -> str:
    """User text made safe for Paragraph markup (``<``, ``&``, ``>`` escaped; lines kept)."""
    return escape(clean(text)).replace("\n", "<br/>")


def money(cents: int | None) -> str:
    """ "1 234,50 €" in the current language (cached: sheets repeat the same prices)."""
    return "" if cents is None else _money(cents, current_language())


@lru_cache(maxsize=8192)
def _money(cents: int, language: str) -> str:
    return format_money(cents, language)


def rate(value: Any) -> str:
    """ "5,5 %" in the current language (cached)."""
    return _rate(str(value), current_language())


@lru_cache(maxsize=64)
def _rate(value: str, language: str) -> str:
    from decimal import Decimal

    return format_rate(Decimal(value), language)


def day_text(value: date, style: str = "short") -> str:
    return format_date(value, style)


def moment_text(value: datetime) -> str:
    """ "21/11/2026 10:30" in the shop's time."""
    local = value.astimezone(SHOP_TIMEZONE)
    return f"{format_date(local.date(), 'short')} {local:%H:%M}"


@cache
def styles() -> StyleSheet1:
    """One stylesheet with named styles, in the embedded font."""
    glyphs()
    sheet = StyleSheet1()
    normal = ParagraphStyle("Normal", fontName=FONT, fontSize=9, leading=11.5, textColor=INK)
    sheet.add(normal)
    sheet.add(ParagraphStyle("Bold", parent=normal, fontName=BOLD))
    sheet.add(ParagraphStyle("Right", parent=normal, alignment=TA_RIGHT))
    sheet.add(ParagraphStyle("BoldRight", parent=normal, fontName=BOLD, alignment=TA_RIGHT))
    sheet.add(ParagraphStyle("Centre", parent=normal, alignment=TA_CENTER))
    sheet.add(ParagraphStyle("Small", parent=normal, fontSize=7.5, leading=9.5))
    sheet.add(ParagraphStyle("Fine", parent=normal, fontSize=7, leading=8.5, textColor=GREY))
    sheet.add(ParagraphStyle("Title", parent=normal, fontName=BOLD, fontSize=16, leading=20))
    sheet.add(
        ParagraphStyle(
            "Heading",
            parent=normal,
            fontName=BOLD,
            fontSize=11.5,
            leading=14,
            spaceBefore=8,
            spaceAfter=4,
        )
    )
    sheet.add(ParagraphStyle("Cell", parent=normal, fontSize=8.5, leading=10.5))
    sheet.add(ParagraphStyle("CellBold", parent=normal, fontName=BOLD, fontSize=8.5, leading=10.5))
    sheet.add(
        ParagraphStyle("CellRight", parent=normal, fontSize=8.5, leading=10.5, alignment=TA_RIGHT)
    )
    sheet.add(ParagraphStyle("CellBoldRight", parent=sheet["CellBold"], alignment=TA_RIGHT))
    sheet.add(ParagraphStyle("CellBoldCentre", parent=sheet["CellBold"], alignment=TA_CENTER))
    sheet.add(ParagraphStyle("Big", parent=normal, fontName=BOLD, fontSize=22, leading=26))
    return sheet


def para(text: str, style: str = "Normal", *, markup: bool = False) -> Paragraph:
    """A paragraph of user text (escaped) or, with ``markup``, of our own trusted markup."""
    return Paragraph(text if markup else esc(text), styles()[style])


def cell(text: Any, width_mm: float, style: str = "Cell") -> Any:
    """A table cell of user text: plain (fast) when it fits the column on one line, otherwise
    a wrapping Paragraph."""
    value = clean(text)
    sheet = styles()[style]
    room = width_mm * mm - 6  # the table's left and right padding
    if "\n" not in value and pdfmetrics.stringWidth(value, sheet.fontName, sheet.fontSize) <= room:
        return value
    return Paragraph(escape(value).replace("\n", "<br/>"), sheet)


def vat_rows(vat: Iterable[Any]) -> list[list[str]]:
    """One row per VAT rate (rate, excl. VAT, VAT, incl. VAT), as every VAT summary prints it."""
    return [
        [rate(row.rate), money(row.excl_vat_cents), money(row.vat_cents), money(row.incl_vat_cents)]
        for row in vat
    ]


def _wrapped_height(row: Sequence[Any], widths_mm: Sequence[float]) -> float:
    """The height the row's wrapping cells (Paragraphs) need, paddings included."""
    tallest = 0.0
    for value, width in zip(row, widths_mm, strict=False):
        if isinstance(value, Paragraph):
            _w, height = value.wrap(width * mm - 6, 1000 * mm)
            tallest = max(tallest, height)
    return tallest + 5  # the table's top and bottom padding


def data_table(
    header: Sequence[Any],
    rows: Sequence[Sequence[Any]],
    widths_mm: Sequence[float],
    *,
    right: Iterable[int] = (),
    centre: Iterable[int] = (),
    repeat: int = 1,
    zebra: bool = True,
    font_size: float = 8.5,
    row_height_mm: float | None = None,
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A table with a bold shaded header repeated on every page, numbers right-aligned.

    String cells are cleaned (never markup); Paragraph cells wrap long names.
    """
    right, centre = set(right), set(centre)

    def heading(column: int, cell: Any) -> Any:
        if not isinstance(cell, str):
            return cell
        style = "CellBold"
        if column in right:
            style = "CellBoldRight"
        elif column in centre:
            style = "CellBoldCentre"
        return para(cell, style)

    head = [heading(column, cell) for column, cell in enumerate(header)]
    body = [[clean(cell) if isinstance(cell, str) else cell for cell in row] for row in rows]
    heights = None
    if row_height_mm is not None:  # a minimum: a row whose wrapped cells need more grows
        heights = [None] + [
            max(row_height_mm * mm, _wrapped_height(row, widths_mm)) for row in body
        ]
    table = Table(
        [head, *body],
        colWidths=[w * mm for w in widths_mm],
        rowHeights=heights,
        repeatRows=repeat,
    )
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), font_size),
        ("LEADING", (0, 0), (-1, -1), font_size + 2),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if zebra and body:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]))
    for column in right:
        commands.append(("ALIGN", (column, 0), (column, -1), "RIGHT"))
    for column in centre:
        commands.append(("ALIGN", (column, 0), (column, -1), "CENTER"))
    commands.extend(extra)
    table.setStyle(TableStyle(commands))
    return table


def key_values(pairs: Sequence[tuple[str, str]], widths_mm: tuple[float, float]) -> Table:
    """A borderless two-column block ("Delivery date: ...") of our labels and user values."""
    table = Table(
        [[para(label, "Bold"), para(value)] for label, value in pairs],
        colWidths=[w * mm for w in widths_mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def numbered_canvas(footer: Callable[[Canvas, int, int], None], counted: list[int]) -> type[Canvas]:
    """A canvas that keeps every page until the end, then draws ``footer(page, total)`` on each
    (the only way to print "Page X sur Y" in one pass)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            # ReportLab's own page reset (private, so not in types-reportlab); the recipe
            # ReportLab documents for "page X of Y".
            self._startPage()  # type: ignore[attr-defined]

        def save(self) -> None:
            total = len(self._pages)
            counted.append(total)
            for state in self._pages:
                self.__dict__.update(state)
                footer(self, self.getPageNumber(), total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


class BaseRenderer:
    """Lays out one document. Subclasses give ``title`` and ``story``; the rest is shared."""

    pagesize: tuple[float, float] = A4
    margin_left = 15 * mm
    margin_right = 15 * mm
    margin_top = 14 * mm
    margin_bottom = 16 * mm
    running_header = 9 * mm
    """Room kept at the top of later pages for the coop's name and the title."""

    def __init__(self, document: Any, *, invariant: bool = False) -> None:
        self.document = document
        self.invariant = invariant
        self.styles = styles()
        self.pages = 0
        """Pages in the last build."""

    # -- what each document gives -------------------------------------------------------------

    def title(self) -> str:
        raise NotImplementedError

    def story(self) -> list[Flowable]:
        raise NotImplementedError

    def coop_name(self) -> str:
        name: str = self.document.letterhead.name
        return name

    def printed_at(self) -> datetime:
        moment: datetime = self.document.printed_at
        return moment

    # -- geometry ------------------------------------------------------------------------------

    def page_size(self) -> tuple[float, float]:
        return self.pagesize

    def frame(self, *, later: bool) -> Frame:
        width, height = self.page_size()
        top = self.margin_top + (self.running_header if later else 0)
        return Frame(
            self.margin_left,
            self.margin_bottom,
            width - self.margin_left - self.margin_right,
            height - top - self.margin_bottom,
            id="later" if later else "first",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    @property
    def width(self) -> float:
        return self.page_size()[0] - self.margin_left - self.margin_right

    # -- page decorations ------------------------------------------------------------------------

    def on_first_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Nothing by default: the story's first flowables carry the letterhead."""

    def on_later_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = self.page_size()
        y = height - self.margin_top - 4 * mm
        canvas.saveState()
        canvas.setFont(BOLD, 8.5)
        canvas.setFillColor(INK)
        canvas.drawString(self.margin_left, y, clean(self.coop_name()))
        canvas.setFont(FONT, 8.5)
        canvas.drawRightString(width - self.margin_right, y, clean(self.title()))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(self.margin_left, y - 2 * mm, width - self.margin_right, y - 2 * mm)
        canvas.restoreState()

    def footer(self, canvas: Canvas, page: int, total: int) -> None:
        width, _height = self.page_size()
        y = self.margin_bottom - 8 * mm
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(GREY)
        canvas.drawString(
            self.margin_left,
            y,
            clean(_("Printed on {moment}").format(moment=moment_text(self.printed_at()))),
        )
        canvas.drawRightString(
            width - self.margin_right,
            y,
            _("Page {page} of {pages}").format(page=page, pages=total),
        )
        canvas.restoreState()

    # -- building --------------------------------------------------------------------------------

    def build(self, progress: Progress | None = None) -> bytes:
        buffer = io.BytesIO()
        size = self.page_size()
        doc = BaseDocTemplate(
            buffer,
            pagesize=size,
            leftMargin=self.margin_left,
            rightMargin=self.margin_right,
            topMargin=self.margin_top,
            bottomMargin=self.margin_bottom,
            title=clean(self.title()),
            author=clean(self.coop_name()),
            creator="Comptoir",
            lang=current_language(),
            invariant=1 if self.invariant else 0,
        )
        doc.addPageTemplates(
            [
                PageTemplate(
                    id="First",
                    frames=[self.frame(later=False)],
                    onPage=self.on_first_page,
                    pagesize=size,
                ),
                PageTemplate(
                    id="Later",
                    frames=[self.frame(later=True)],
                    onPage=self.on_later_page,
                    pagesize=size,
                ),
            ]
        )
        if progress is not None:
            state = {"total": 0}

            def report(kind: str, value: int) -> None:
                if kind == "SIZE_EST":
                    state["total"] = value
                elif kind == "PROGRESS":
                    progress(value, state["total"])

            doc.setProgressCallBack(report)
        counted: list[int] = []
        doc.build(
            [NextPageTemplate("Later"), *self.story()],
            canvasmaker=numbered_canvas(self.footer, counted),
        )
        self.pages = counted[-1] if counted else 0
        return buffer.getvalue()


# -- writing files ------------------------------------------------------------------------------


def check_target(path: str | os.PathLike[str]) -> Path:
    """Refuse at once a path that cannot be written (before any long rendering)."""
    target = Path(path).expanduser()
    folder = target.parent
    if target.is_dir():
        raise CoopError(
            _("Cannot write {path}: it is a folder; give a file name.").format(path=target)
        )
    if not folder.is_dir():
        raise CoopError(
            _("Cannot write {path}: the folder {folder} does not exist.").format(
                path=target, folder=folder
            )
        )
    if not os.access(folder, os.W_OK):
        raise CoopError(
            _("Cannot write {path}: the folder {folder} is not writable.").format(
                path=target, folder=folder
            )
        )
    return target


def write_atomically(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it: a reader never sees a
    half-written file, and a failure leaves nothing behind. Unwritable places are refused with
    a sentence (CoopError: the CLI exits 2)."""
    target = check_target(path)
    folder = target.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as error:
        raise CoopError(
            _("Cannot write {path}: {reason}.").format(path=target, reason=error.strerror)
        ) from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as error:
        _discard(temporary)
        raise CoopError(
            _("Cannot write {path}: {reason}.").format(path=target, reason=error.strerror)
        ) from error
    except BaseException:
        _discard(temporary)
        raise
    return target


def _discard(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


# -- shared blocks ------------------------------------------------------------------------------


def letterhead_lines(head: Any) -> list[Flowable]:
    """The coop's name, address, SIRET and contact, as paragraphs."""
    lines: list[Flowable] = [para(head.name, "Heading")]
    lines.extend(para(line, "Small") for line in head.address)
    if head.siret:
        lines.append(para(_("SIRET {number}").format(number=head.siret), "Small"))
    if getattr(head, "vat_number", ""):
        lines.append(para(_("VAT number {number}").format(number=head.vat_number), "Small"))
    if head.contact:
        lines.append(para(head.contact, "Small"))
    return lines


def two_blocks(left: Sequence[Flowable], right: Sequence[Flowable], width: float) -> Table:
    """Two columns side by side (sender and recipient, coop and member...)."""
    table = Table([[left, right]], colWidths=[width / 2, width / 2])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table
