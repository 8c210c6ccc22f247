"""The checker of French output catches what it must and leaves French alone."""

from __future__ import annotations

from .untranslated import english_phrases, untranslated


def test_raw_codes_python_values_and_english_are_caught():
    assert untranslated("Rôles du membre 42 : shift_leader")
    assert untranslated("   4  Thérèse Lebrun  suspendu  {'standard': -2, 'ftop': 0}")
    assert untranslated("Caisse : None")
    assert untranslated("Membre 42 : No shift owed.")
    assert any("shift owed" in phrase for phrase in english_phrases())


def test_french_output_and_code_on_purpose_pass():
    assert not untranslated("Membre 42, créneau du mardi 10 novembre 2026, 10:00–13:00 (n° 100)")
    assert not untranslated("Tapez `coop shifts attend 100 57 --state attended --walk-in`.")
    assert not untranslated("ajoutez coop_siret au fichier /tmp/x_y/config.toml")
    assert not untranslated("Fichier écrit : /tmp/tour/export_membres.csv")
