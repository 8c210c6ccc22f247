"""Translation: one gettext domain ("comptoir"), French by default, English available.

Message ids are English; ``coop/locale/<lang>/LC_MESSAGES/comptoir.po`` holds the catalogues.
They are compiled to ``.mo`` at first use (in memory), so no manual build step exists.
"""

from __future__ import annotations

import gettext
import io
import os
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DOMAIN = "comptoir"
LOCALE_DIR = Path(__file__).parent / "locale"
SUPPORTED = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
BABEL_LOCALES = {"fr": "fr_FR", "en": "en_GB"}

_current: ContextVar[str] = ContextVar("coop_language", default="")


def normalise_language(value: str | None) -> str:
    """Map "fr_FR.UTF-8", "en-GB", "EN"... to a supported language code (French otherwise)."""
    if not value:
        return DEFAULT_LANGUAGE
    code = value.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    return code if code in SUPPORTED else DEFAULT_LANGUAGE


def current_language() -> str:
    """The active language: set_language(), else COOP_LANG, else French."""
    return _current.get() or normalise_language(os.environ.get("COOP_LANG"))


def set_language(language: str | None) -> str:
    """Choose the language for this context (CLI run, TUI app, test); returns the code used."""
    code = normalise_language(language)
    _current.set(code)
    return code


def babel_locale(language: str | None = None) -> str:
    """The Babel locale that formats numbers, money and dates for a language."""
    return BABEL_LOCALES[normalise_language(language or current_language())]


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The language's catalogue, compiled from its .po at first use (no build step).

    The compiled .mo is kept in the user cache folder, keyed by the .po's size and mtime, so
    later runs load it with the standard library alone (Babel stays out of `coop --help`).
    """
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return gettext.NullTranslations()
    stat = po_path.stat()
    cached = _cache_dir() / f"{DOMAIN}-{language}-{stat.st_size}-{stat.st_mtime_ns}.mo"
    try:
        with cached.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    except OSError:
        pass
    compiled = compile_catalogue(po_path, language)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(compiled)
        partial.replace(cached)
    except OSError:
        pass  # a read-only cache only costs the compilation at each start
    return gettext.GNUTranslations(io.BytesIO(compiled))


def compile_catalogue(po_path: Path, language: str) -> bytes:
    """Compile a .po file to .mo bytes with Babel. Fuzzy entries are left out, and so are the
    entries translated by their own message id (every one of the English catalogue's): gettext
    gives a message it does not hold as it is, the same text, and a start then reads a
    catalogue of the messages that differ only (English: its header alone, not 2,400 entries
    parsed at each start). Plural entries are kept: without them gettext would choose the
    singular or the plural by the English rule, not the language's."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    for message in list(catalog):
        if message.id and not message.pluralizable and message.string == message.id:
            catalog.delete(message.id, context=message.context)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _cache_dir() -> Path:
    from platformdirs import user_cache_path

    return Path(os.environ.get("COOP_CACHE_DIR") or user_cache_path("comptoir", appauthor=False))


def _(message: str) -> str:
    """Translate a message into the current language."""
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a plural form chosen by ``n``."""
    return translations(current_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate a message whose wording depends on where it appears (screen, paper...)."""
    return translations(current_language()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark a message for extraction without translating it yet (module-level constants)."""
    return message
