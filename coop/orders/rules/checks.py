"""Argument checks shared by the order rules: quantities are ints in the article's smallest step
(never bool, never float), a case holds at least one step, a minimum is whole cases."""

from __future__ import annotations


def _count(value: object, name: str) -> int:
    """An int >= 0 (never bool, never float: quantities are whole steps)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


def _delta(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    return value


def _case_size(value: object) -> int:
    size = _count(value, "case_size")
    if size == 0:
        raise ValueError("case_size must be >= 1 (1 means no case)")
    return size


def _minimum(value: object, case_size: int) -> int | None:
    """A minimum order quantity in member steps, a whole number of cases (or None)."""
    if value is None:
        return None
    minimum = _count(value, "minimum")
    if minimum % case_size:
        raise ValueError(f"minimum {minimum} must be a whole number of cases of {case_size}")
    return minimum or None
