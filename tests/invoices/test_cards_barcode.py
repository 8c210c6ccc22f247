"""The EAN-13 bars drawn on cards are exactly ReportLab's barcode widget's for the same code."""

from __future__ import annotations

import pytest
from reportlab.graphics.barcode.eanbc import Ean13BarcodeWidget
from reportlab.graphics.shapes import Rect

from invoices.cards import ean13_bars, ean13_modules


def _widget_bars(code: str) -> list[tuple[int, int]]:
    widget = Ean13BarcodeWidget(code[:12])
    widget.barWidth = 1

    def walk(node):
        if isinstance(node, Rect):
            yield node
        for child in getattr(node, "contents", []):
            yield from walk(child)

    rects = list(walk(widget.draw()))[1:]  # the first is the white background
    quiet = 9  # modules of quiet zone before the start guard
    return [(int(rect.x) - quiet, int(rect.width)) for rect in rects]


@pytest.mark.parametrize(
    "code", ["5901234123457", "0420000000013", "3017620422003", "4006381333931", "9780201379624"]
)
def test_bars_match_reportlab(code):
    assert [(start, width) for start, width, _guard in ean13_bars(code)] == _widget_bars(code)
    assert len(ean13_modules(code)) == 95


def test_guards_are_long_bars():
    guards = [(start, width) for start, width, guard in ean13_bars("5901234123457") if guard]
    assert guards == [(0, 1), (2, 1), (46, 1), (48, 1), (92, 1), (94, 1)]
