"""Members' codes as a person reads them: a member category (``standard``, ``solidarity``) in
words, why a card no longer works, and how a share or fee was paid, for the register of members
and shares, the general assembly's figures, the audit log and any screen.

A code we have no sentence for (a category the coop created itself) reads as its code with
the underscores turned into spaces, never as the raw code."""

from __future__ import annotations

from coop.i18n import _


def category_words(code: str) -> str:
    """A member category in words (``standard`` → "standard", ``solidarity`` → "solidaire")."""
    known = {
        "standard": _("standard"),
        "solidarity": _("solidarity"),
    }
    return known.get(code) or code.replace("_", " ")


def means_words(code: str) -> str:
    """How a share or a fee was paid (``coop.members.shares.MEANS``), in words."""
    known = {
        "cash": _("cash"),
        "card": _("bank card"),
        "cheque": _("cheque"),
        "transfer": _("bank transfer"),
        "local_currency": _("local currency"),
        "other": _("other means"),
    }
    return known.get(code) or code.replace("_", " ")


def card_end_words(code: str | None) -> str:
    """Why a card no longer works (``coop.members.rules.CardEndReason``), in words."""
    known = {
        "lost": _("declared lost"),
        "replaced": _("replaced by a new card"),
        "left": _("the member left"),
        "erased": _("personal data erased"),
    }
    return known.get(code or "") or (code or "").replace("_", " ")
