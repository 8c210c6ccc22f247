"""The till's name for ``coop.row_writer.RowWriter`` (it moved to the kernel so that the stock
can write a sale's moves with it too)."""

from __future__ import annotations

from coop.row_writer import RowWriter

__all__ = ["RowWriter"]
