"""Translation: one gettext domain ("comptoir"), French by default, English available.

Message ids are English; ``coop/locale/<lang>/LC_MESSAGES/comptoir.po`` holds the catalogues.
They are compiled at first use (Babel) and kept in the user cache folder, so no manual build
step exists; a process start then reads the cached catalogue (``marshal``, no .mo parsing) and,
when it formats with Babel, the locale's merged data (``prime_babel``).
"""

from __future__ import annotations

import gettext
import io
import marshal
import os
from collections.abc import Callable
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gettext import _TranslationsReader

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
    locale = BABEL_LOCALES[normalise_language(language or current_language())]
    prime_babel(locale)
    return locale


@cache
def prime_babel(locale: str) -> None:
    """Give Babel the locale's data merged from the cache folder, once per process.

    Babel reads a locale's data by unpickling it and its parents (``en_GB``: root, en, en_001,
    en_GB) and merging them, ≈ 10 ms of a command's start; the merged result, pickled once per
    Babel version, reads in ≈ 3 ms. It goes where Babel keeps what it loaded
    (``babel.localedata._cache``), so every formatting function uses it as its own; when that
    place is missing (another Babel), Babel loads as usual.
    """
    import pickle  # not at the top: `coop --help` formats nothing

    import babel
    from babel import localedata

    store = getattr(localedata, "_cache", None)
    lock = getattr(localedata, "_cache_lock", None)
    if not isinstance(store, dict) or lock is None or locale in store:
        return
    cached = _cache_dir() / f"babel-{babel.__version__}-{locale}.pickle"
    try:
        with cached.open("rb") as handle:
            data = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        data = None  # none yet, or damaged: Babel's own load, then keep it
    with lock:
        if locale in store:
            return
        if isinstance(data, dict):
            store[locale] = data
            return
    _write_cache(cached, pickle.dumps(localedata.load(locale), protocol=pickle.HIGHEST_PROTOCOL))


class _Catalogue(gettext.GNUTranslations):
    """A catalogue read back from the cache: the messages of the compiled .mo, its header and
    plural rule, stored with ``marshal`` (a process start reads them in well under a millisecond
    instead of parsing the .mo's 2,500 entries). ``_parse`` is gettext's documented hook for
    another file format; the state it sets is what ``GNUTranslations._parse`` sets."""

    def _parse(self, fp: _TranslationsReader) -> None:
        info, charset, catalog = marshal.loads(fp.read())
        self._info, self._charset, self._catalog = info, charset, catalog
        self.plural: Callable[[int], int] = lambda n: int(n != 1)
        plural_forms = info.get("plural-forms")
        if plural_forms:  # the same reading as ``GNUTranslations._parse``
            self.plural = gettext.c2py(plural_forms.split(";")[1].split("plural=")[1])


def _catalogue_bytes(compiled: gettext.GNUTranslations) -> bytes:
    """What ``_Catalogue`` reads: the parsed .mo's header, charset and messages."""
    state = (compiled._info, compiled._charset, compiled._catalog)  # type: ignore[attr-defined]
    return marshal.dumps(state)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The language's catalogue, compiled from its .po at first use (no build step).

    The compiled catalogue is kept in the user cache folder, keyed by the .po's size and mtime,
    so later runs load it with the standard library alone (Babel stays out of `coop --help`).
    """
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return gettext.NullTranslations()
    stat = po_path.stat()
    cached = _cache_dir() / f"{DOMAIN}-{language}-{stat.st_size}-{stat.st_mtime_ns}.cat"
    try:
        with cached.open("rb") as handle:
            return _Catalogue(handle)
    except (OSError, ValueError, EOFError, TypeError):  # none yet, or a damaged file
        pass
    compiled = gettext.GNUTranslations(io.BytesIO(compile_catalogue(po_path, language)))
    _write_cache(cached, _catalogue_bytes(compiled))
    return compiled


def _write_cache(path: Path, data: bytes) -> None:
    """Write a cache file whole (another process never reads half of it)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(data)
        partial.replace(path)
    except OSError:
        pass  # a read-only cache only costs the compilation at each start


def compile_catalogue(po_path: Path, language: str) -> bytes:
    """Compile a .po file to .mo bytes with Babel (fuzzy entries are left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
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
