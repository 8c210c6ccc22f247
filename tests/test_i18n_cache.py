"""The start-up caches of ``coop.i18n``: the catalogue read back from the cache folder and
Babel's merged locale data give exactly what compiling the .po and Babel's own load give."""

from __future__ import annotations

import gettext
import io
import pickle
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel import localedata
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from coop import i18n


def _fresh(language: str) -> gettext.GNUTranslations:
    po_path = i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    return gettext.GNUTranslations(io.BytesIO(i18n.compile_catalogue(po_path, language)))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_cached_catalogue_reads_back_as_the_compiled_one(language: str) -> None:
    i18n.translations.cache_clear()
    try:
        first = i18n.translations(language)  # compiles the .po, writes the cache
        cached = list(Path(i18n._cache_dir()).glob(f"{i18n.DOMAIN}-{language}-*.cat"))
        assert len(cached) == 1
        i18n.translations.cache_clear()
        again = i18n.translations(language)  # reads the cache file
    finally:
        i18n.translations.cache_clear()
    assert isinstance(again, i18n._Catalogue)
    fresh = _fresh(language)
    assert again._catalog == fresh._catalog  # type: ignore[attr-defined]
    assert again.info() == fresh.info() == first.info()
    assert again.charset() == fresh.charset()
    for n in (0, 1, 2, 5, 21):
        assert again.plural(n) == fresh.plural(n)  # type: ignore[attr-defined]
        words = (
            "Member {number}: {count} detail changed.",
            "Member {number}: {count} details changed.",
        )
        assert again.ngettext(*words, n) == fresh.ngettext(*words, n)
        assert fresh.ngettext(*words, n) not in words or language == "en"


def test_a_damaged_cache_file_is_compiled_again() -> None:
    i18n.translations.cache_clear()
    try:
        i18n.translations("fr")
        (cached,) = Path(i18n._cache_dir()).glob(f"{i18n.DOMAIN}-fr-*.cat")
        cached.write_bytes(b"not marshal")
        i18n.translations.cache_clear()
        again = i18n.translations("fr")
        assert again.gettext("TOTAL") == _fresh("fr").gettext("TOTAL")
        assert again.gettext("Cash given") != "Cash given"  # French, not the message id
        i18n.translations.cache_clear()
        assert isinstance(i18n.translations("fr"), i18n._Catalogue)  # rewritten whole
    finally:
        i18n.translations.cache_clear()


def _formatted(locale: str) -> list[str]:
    return [
        format_currency(Decimal("1234.5"), "EUR", locale=locale),
        format_currency(Decimal("-0.09"), "EUR", locale=locale),
        format_decimal(Decimal("5.5"), locale=locale),
        format_date(date(2026, 12, 6), format="short", locale=locale),
        format_date(date(2026, 1, 1), format="full", locale=locale),
    ]


@pytest.mark.parametrize("locale", ["fr_FR", "en_GB"])
def test_babel_primed_from_the_cache_formats_as_babel_alone(locale: str) -> None:
    prime = i18n.prime_babel.__wrapped__  # type: ignore[attr-defined]
    localedata.clear_caches()
    expected_data = localedata.load(locale)
    expected = _formatted(locale)
    localedata.clear_caches()
    prime(locale)  # no cache file yet: Babel's own load, then written
    (written,) = Path(i18n._cache_dir()).glob(f"babel-*-{locale}.pickle")
    localedata.clear_caches()
    prime(locale)  # read from the file
    try:
        # patterns and aliases compare by identity: the same bytes, the same data
        assert pickle.dumps(localedata._cache[locale]) == pickle.dumps(expected_data)
        assert _formatted(locale) == expected
        assert written.stat().st_size > 10_000
    finally:
        localedata.clear_caches()
