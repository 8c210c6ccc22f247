"""Finds what should never reach a French screen or CLI line: raw codes (``shift_leader``),
Python reprs (``{'standard': -2}``, ``None``) and English sentences of the catalogue whose
French translation differs. Used on every output of the README's tour (``test_readme_tour``)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from coop.config import Settings

ROOT = Path(__file__).resolve().parents[2]
FRENCH = ROOT / "coop" / "locale" / "fr" / "LC_MESSAGES" / "comptoir.po"
SNAKE = re.compile(r"(?<![\w./@-])[a-z]+(?:_[a-z0-9]+)+(?![\w./@-])")
REPR = re.compile(r"\{'|\[\]|\bNone\b|\bTrue\b|\bFalse\b|<[\w.]+ object at 0x")
PLACEHOLDER = re.compile(r"\{[^}]*\}|%\(?\w*\)?[sd]")
ALLOWED = frozenset(
    {field for field in Settings.__dataclass_fields__} | {"coordinator_pin", "non_members"}
)
"""Configuration keys: a message telling what to set names them as they are written."""


@cache
def english_phrases() -> tuple[str, ...]:
    """Pieces of English sentences (three words or more, between placeholders) whose French
    translation is different: if one shows in French output, something bypassed gettext."""
    with FRENCH.open("rb") as handle:
        catalogue = read_po(handle)
    phrases: set[str] = set()
    for message in catalogue:
        if not message.id or not isinstance(message.id, str) or not message.string:
            continue
        if message.string == message.id:
            continue
        for piece in PLACEHOLDER.split(message.id):
            piece = piece.strip(" .,:;()“”\"'—–-")
            if len(piece.split()) >= 3 and len(piece) >= 12 and piece not in message.string:
                phrases.add(piece)
    return tuple(sorted(phrases))


def _readable(line: str) -> str:
    """The line without what is code on purpose: `backticked commands`, --options, paths,
    addresses and e-mails."""
    line = re.sub(r"`[^`]*`", " ", line)
    line = re.sub(r"(?<!\w)--[\w-]+", " ", line)
    line = re.sub(r"\S*[/\\]\S*", " ", line)
    return re.sub(r"\S+@\S+", " ", line)


def untranslated(text: str) -> list[str]:
    """Each problem found in ``text``, with its line."""
    problems = []
    for line in text.splitlines():
        readable = _readable(line)
        codes = [code for code in SNAKE.findall(readable) if code not in ALLOWED]
        if codes:
            problems.append(f"raw code {codes[0]!r} in: {line}")
        if REPR.search(readable):
            problems.append(f"Python value in: {line}")
        for phrase in english_phrases():
            if phrase in readable:
                problems.append(f"English {phrase!r} in: {line}")
                break
    return problems
