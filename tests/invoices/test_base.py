"""The base renderer's text handling: what the embedded font draws, what markup escapes."""

from __future__ import annotations

from invoices.base import clean, esc, glyphs


def test_the_font_has_euro_accents_and_french_spaces():
    drawable = glyphs()
    for ch in "€éèêàçœŒ«»’\u00a0\u202f":
        assert ord(ch) in drawable, ch


def test_clean_keeps_french_spaces_and_drops_what_the_font_lacks():
    amount = "1\u202f234,50\u00a0€"
    assert clean(amount) == amount
    assert clean("Pommes 🍎 bio") == "Pommes bio"  # no doubled space left behind
    assert clean("e\u0301") == "é"  # combining accent composed (NFC)
    assert clean(None) == ""


def test_esc_makes_user_text_safe_for_markup():
    assert esc("<b>Tom & Jerry</b>\nBât. 2") == "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;<br/>Bât. 2"


def test_a_minimum_row_height_grows_for_a_cell_that_wraps() -> None:
    """A fixed row height (sign-in sheets) is a minimum: a cell wrapped on three lines (an AMAP
    cheese order) gets a taller row instead of overflowing into the next one."""
    from reportlab.lib.units import mm as points_per_mm

    from invoices.base import cell, data_table

    wrapped = cell("2×TOMME, 2×CHEVRE, 1×YAOURT", 20)
    table = data_table(
        ["A", "B"], [["one line", "x"], ["other", wrapped]], [40, 20], row_height_mm=8
    )
    heights = table._argH  # ReportLab keeps the given row heights here
    assert heights[1] == 8 * points_per_mm
    assert heights[2] > 8 * points_per_mm
