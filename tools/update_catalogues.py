"""Extract every translatable string and update the French and English catalogues.

Run after changing user-facing strings: `python tools/update_catalogues.py`. New French entries
come out empty (and the test suite fails until they are translated); English entries are filled
with their message id, since message ids are English.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "coop" / "locale"
POT = LOCALE / "comptoir.pot"
KEYWORDS = ["-k", "_", "-k", "N_", "-k", "ngettext:1,2", "-k", "pgettext:1c,2"]


def main() -> int:
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]
    LOCALE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            *pybabel,
            "extract",
            "-F",
            "babel.cfg",
            "--no-location",
            "--sort-output",
            "--project",
            "comptoir",
            "--copyright-holder",
            "Comptoir contributors",
            *KEYWORDS,
            "-o",
            str(POT),
            "coop",
            "tui",
            "invoices",
        ],
        cwd=ROOT,
        check=True,
    )
    for language in ("fr", "en"):
        po = LOCALE / language / "LC_MESSAGES" / "comptoir.po"
        command = "update" if po.exists() else "init"
        subprocess.run(
            [
                *pybabel,
                command,
                "-D",
                "comptoir",
                "-i",
                str(POT),
                "-d",
                str(LOCALE),
                "-l",
                language,
                "--no-wrap",
                *(["--no-fuzzy-matching", "--ignore-obsolete"] if command == "update" else []),
            ],
            cwd=ROOT,
            check=True,
        )
    english = LOCALE / "en" / "LC_MESSAGES" / "comptoir.po"
    with english.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        empty = not message.string or (
            isinstance(message.string, tuple) and not all(message.string)
        )
        if message.id and empty:
            message.string = message.id  # a plural's (singular, plural) pair too
    with english.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
