"""Quantities as stored: pieces, or integer grams (millilitres) for goods sold by weight."""

from __future__ import annotations

GRAMS_PER_KG = 1000


def quantity_text(quantity: int, by_weight: bool, unit: str = "kg") -> str:
    """2500 → "2,500 kg" (or "l" for millilitres) when weighed, "3" for pieces; French
    decimal comma, as the till, stock and order commands print it."""
    if not by_weight:
        return str(quantity)
    sign = "-" if quantity < 0 else ""
    whole, grams = divmod(abs(quantity), GRAMS_PER_KG)
    return f"{sign}{whole},{grams:03d} {'l' if unit == 'l' else 'kg'}"
