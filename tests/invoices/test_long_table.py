"""``invoices.long_table``: a long table laid out page by page prints what one Platypus table
split over the pages printed (same pages, same rows on each, header on every page), while
building only a page's worth of rows at a time (issue 18, target 4)."""

from __future__ import annotations

from datetime import UTC, datetime

from reportlab.lib import colors

from coop.documents import Letterhead
from invoices import long_table as module
from invoices.base import BaseRenderer, cell, data_table, para

from .conftest import page_texts

GREY = colors.HexColor("#d9d9d9")


class _Doc:
    letterhead = Letterhead("Coop test")
    printed_at = datetime(2026, 12, 6, 7, 0, tzinfo=UTC)


def _rows(count: int) -> list[list[object]]:
    return [
        [
            str(number),
            cell(f"Name {number}", 48, "CellBold"),
            "OUI" if number % 7 else "NON",
            para("a note long enough to wrap on two lines of the last column" * (number % 9 == 0)),
        ]
        for number in range(1, count + 1)
    ]


class _Renderer(BaseRenderer):
    long = True

    def title(self) -> str:
        return "Long list"

    def story(self):  # type: ignore[no-untyped-def]
        rows = _rows(700)
        header = ["No.", "Name", "May shop", "Note"]
        widths = [14, 60, 20, 80]
        if not self.long:
            extra = [("BACKGROUND", (0, i), (-1, i), GREY) for i in range(1, 701) if i % 7 == 0]
            return [para("Intro", "Title"), data_table(header, rows, widths, extra=extra)]
        row_extra = {i - 1: [("BACKGROUND", 0, -1, GREY)] for i in range(1, 701) if i % 7 == 0}
        return [
            para("Intro", "Title"),
            module.long_table(header, rows, widths, row_extra=row_extra),
        ]


class _OneTable(_Renderer):
    long = False


def test_the_same_pages_as_one_split_table(monkeypatch):
    built: list[int] = []
    real = module.data_table

    def counting(header, rows, widths, **options):  # type: ignore[no-untyped-def]
        built.append(len(rows))
        return real(header, rows, widths, **options)

    monkeypatch.setattr(module, "data_table", counting)
    long = _Renderer(_Doc(), invariant=True).build()
    one = _OneTable(_Doc(), invariant=True).build()
    assert len(page_texts(long)) == len(page_texts(one)) > 10
    assert page_texts(long) == page_texts(one)
    assert all("No. Name May shop Note" in text for text in page_texts(long))
    # a page's worth of rows at a time, never the whole list again
    assert max(built) < 70 and sum(built) < 2 * 700
