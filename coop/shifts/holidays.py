"""The French public holidays as codes (``Holiday``), apart from the calendar's date rules so
that the words (``coop.shifts.words``), which a sale's desk check imports, need not load the
calendar (``dateutil``'s rules, the templates' dataclasses); ``coop.shifts.calendar`` computes
their dates and re-exports the class."""

from __future__ import annotations

from enum import StrEnum


class Holiday(StrEnum):
    """French public holidays (jours fériés), as codes; names come from gettext."""

    NEW_YEAR = "new_year"
    GOOD_FRIDAY = "good_friday"  # Alsace-Moselle only
    EASTER_MONDAY = "easter_monday"
    LABOUR_DAY = "labour_day"
    VICTORY_1945 = "victory_1945"
    ASCENSION = "ascension"
    WHIT_MONDAY = "whit_monday"
    BASTILLE_DAY = "bastille_day"
    ASSUMPTION = "assumption"
    ALL_SAINTS = "all_saints"
    ARMISTICE = "armistice"
    CHRISTMAS = "christmas"
    SAINT_STEPHEN = "saint_stephen"  # Alsace-Moselle only
