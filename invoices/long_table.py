"""A table of thousands of rows laid out page by page in linear time (issue 18, target 4).

A Platypus ``Table`` of every row is split once per page, and each split copies and measures
the whole rest of the table again: the paper status list of 20,000 people took 9× the time of
5,000. ``long_table`` gives a flowable that, at each page, builds a ``data_table`` of only the
rows that may fit there (the header repeated on top, as before), lets Platypus split that small
table at the page's end, and keeps the rest as an index into the same list of rows. The
printed result is the one table split over pages: the same header on every page, the zebra
stripes starting again on each page (as Platypus split them), per-row styles on their rows.

Use it for any long list printed as a table (the status list, a members register...)::

    story.append(long_table(header, rows, widths_mm, row_extra={5: [("BACKGROUND", 0, -1, GREY)]}))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table

from invoices.base import data_table

RowCommand = tuple[Any, ...]
"""A table style command for one row, with column indexes only:
``("BACKGROUND", first_column, last_column, colour)``."""


class LongTable(Flowable):
    """Rows ``start`` onwards of a long table (see the module docstring)."""

    def __init__(
        self,
        header: Sequence[Any],
        rows: Sequence[Sequence[Any]],
        widths_mm: Sequence[float],
        *,
        row_extra: Mapping[int, Sequence[RowCommand]],
        options: Mapping[str, Any],
        start: int = 0,
    ) -> None:
        super().__init__()
        self.header, self.rows, self.widths_mm = header, rows, widths_mm
        self.row_extra, self.options, self.start = row_extra, options, start
        font_size = float(options.get("font_size", 8.5))
        lowest = font_size + 2 + 5  # leading + top and bottom padding: the shortest row
        if options.get("row_height_mm") is not None:
            lowest = max(lowest, float(options["row_height_mm"]) * mm)
        self.lowest = lowest

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Never drawn whole: taller than any frame, so Platypus asks ``split`` for a page."""
        self.width = sum(self.widths_mm) * mm
        return self.width, available_height + 1

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if self.start >= len(self.rows):
            return []
        # more rows than the shortest could fit: the table built is always cut at the page end
        end = min(len(self.rows), self.start + int(available_height / self.lowest) + 2)
        table = self._table(self.start, end)
        _width, height = table.wrap(available_width, available_height)
        if height <= available_height:
            return [table] if end == len(self.rows) else [table, self._rest(end)]
        parts = table.split(available_width, available_height)
        shown = len(getattr(parts[0], "_cellvalues", ())) - 1 if parts else 0  # no header
        if shown <= 0:
            return []
        return [parts[0], self._rest(self.start + shown)]

    def draw(self) -> None:  # pragma: no cover - split always replaces it
        raise AssertionError("a LongTable is split, never drawn")

    def _rest(self, start: int) -> LongTable:
        return LongTable(
            self.header,
            self.rows,
            self.widths_mm,
            row_extra=self.row_extra,
            options=self.options,
            start=start,
        )

    def _table(self, start: int, end: int) -> Table:
        extra: list[RowCommand] = list(self.options.get("extra", ()))
        for index in range(start, end):
            for name, first, last, *values in self.row_extra.get(index, ()):
                row = index - start + 1  # row 0 is the header
                extra.append((name, (first, row), (last, row), *values))
        options = {key: value for key, value in self.options.items() if key != "extra"}
        return data_table(self.header, self.rows[start:end], self.widths_mm, extra=extra, **options)


def long_table(
    header: Sequence[Any],
    rows: Sequence[Sequence[Any]],
    widths_mm: Sequence[float],
    *,
    row_extra: Mapping[int, Sequence[RowCommand]] | None = None,
    **options: Any,
) -> Flowable:
    """``data_table(header, rows, widths_mm, **options)`` laid out in linear time: ``extra``
    holds column-wide commands (rows 1 to -1), ``row_extra`` the commands of data row i
    (0-based) with column indexes only."""
    return LongTable(header, rows, widths_mm, row_extra=row_extra or {}, options=options)
