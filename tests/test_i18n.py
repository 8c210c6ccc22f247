"""Catalogues are complete: every string a person sees has a French and an English translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from coop import i18n

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%\(\w+\)[sr]|%[sr]")


def source_messages() -> set[str]:
    found: set[str] = set()
    for package in ("coop", "tui", "invoices"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, keywords=KEYWORDS, method_map=[("**.py", "python")]
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def catalogue(language: str):
    path = i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_source_string_is_translated(language):
    cat = catalogue(language)
    translated = {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in cat
        if message.id
        and message.string
        and "fuzzy" not in message.flags
        and (all(message.string) if isinstance(message.string, tuple) else True)
    }
    missing = sorted(source_messages() - translated)
    assert not missing, f"untranslated in {language} (run tools/update_catalogues.py): {missing}"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_translations_keep_their_placeholders(language):
    for message in catalogue(language):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string, msgid in zip(strings, ids * len(strings), strict=False):
            expected = sorted(PLACEHOLDER.findall(msgid if len(ids) == 1 else ids[-1]))
            assert sorted(PLACEHOLDER.findall(string)) == expected, (message.id, string)


def test_french_is_the_default_and_english_is_available(monkeypatch):
    monkeypatch.delenv("COOP_LANG", raising=False)
    i18n.set_language(None)
    assert i18n.current_language() == "fr"
    assert i18n._("Members") == "Membres"
    i18n.set_language("en")
    assert i18n._("Members") == "Members"
    i18n.set_language("de_DE")
    assert i18n.current_language() == "fr"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_compiled_catalogue_translates_as_its_po_file(language):
    """``compile_catalogue`` leaves out the entries translated by their own id (all of the
    English ones): every message still reads as the .po file says, singular, plural (n from 0
    to 4, by the language's own rule) and with a context."""
    import gettext
    import io

    path = i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    compiled = gettext.GNUTranslations(io.BytesIO(i18n.compile_catalogue(path, language)))
    po = catalogue(language)
    plural = po.plural_expr
    checked = 0
    for message in po:
        if not message.id or message.fuzzy:
            continue
        if message.pluralizable:
            for n in range(5):
                index = int(eval(plural, {"n": n}))  # the .po file's own plural rule
                wanted = message.string[index]
                if message.context:
                    got = compiled.npgettext(message.context, message.id[0], message.id[1], n)
                else:
                    got = compiled.ngettext(message.id[0], message.id[1], n)
                assert got == wanted, (message.id, n)
        elif message.context:
            assert compiled.pgettext(message.context, message.id) == message.string
        else:
            assert compiled.gettext(message.id) == message.string, message.id
        checked += 1
    assert checked > 2000
    if language == "en":  # English translates each message by its id: only plurals are held
        held = [key for key in compiled._catalog if key]  # type: ignore[attr-defined]
        assert held and all(isinstance(key, tuple) for key in held)
