"""``coop.text.fold``: its shortcut for plain ASCII text gives what the full path gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from coop.text import fold


def test_fold_examples() -> None:
    assert fold("Hélène  DUPONT") == "helene dupont"
    assert fold("  Jean-Pierre\tMARTIN \n") == "jean-pierre martin"
    assert fold("Œuvre Cœur") == "oeuvre coeur"
    assert fold("solidarity") == "solidarity"
    assert fold("") == ""


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_shortcut_agrees_with_the_full_path(text: str) -> None:
    # a trailing accented word sends the same text down the full path (NFKD, casefold)
    assert fold(f"{text} é") == f"{fold(text)} e".strip()
