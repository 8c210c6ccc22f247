"""Members' codes as a person reads them: a member category (``standard``, ``solidarity``) in
words, for the register of members and shares, the general assembly's figures and any screen.

A category the coop created itself (a code we have no sentence for) reads as its code with the
underscores turned into spaces, never as the raw code."""

from __future__ import annotations

from coop.i18n import _


def category_words(code: str) -> str:
    """A member category in words (``standard`` → "standard", ``solidarity`` → "solidaire")."""
    known = {
        "standard": _("standard"),
        "solidarity": _("solidarity"),
    }
    return known.get(code) or code.replace("_", " ")
