"""Text shared by search, sorting and messages: folding (accents and case never matter to
people) and a message shown on its own as a sentence."""

from __future__ import annotations

import unicodedata


def sentence(text: str) -> str:
    """A message shown on its own, starting with a capital ("the quantity…" → "The quantity…")."""
    return text[:1].upper() + text[1:]


def fold(text: str) -> str:
    """ "Hélène  DUPONT" → "helene dupont": no accents, case-folded, single spaces."""
    if text.isascii():  # nothing to decompose or replace (most names, codes and cells)
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    return " ".join(bare.casefold().split())


def sort_key(text: str) -> tuple[str, str]:
    """Sort "Émile" before "Zoé" (accents ignored), with the original as a stable tie-break."""
    return fold(text), text
