"""The core stays free of the UI and the PDF renderer, and `coop --help` stays light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_core_and_cli_start_without_textual_or_reportlab():
    code = (
        "import sys, coop.cli.main, coop.members.service, coop.members.exchange, coop.money;"
        "coop.cli.main.build_parser();"
        "bad = [m for m in ('textual', 'reportlab', 'tui', 'invoices', 'sqlalchemy', 'babel')"
        " if m in sys.modules];"
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    # The service modules need SQLAlchemy; what must never load is the UI and the PDF stack.
    loaded = set(filter(None, result.stdout.strip().split(",")))
    assert loaded.isdisjoint({"textual", "reportlab", "tui", "invoices"})


def test_help_loads_neither_the_database_layer_nor_babel():
    code = (
        "import sys, coop.cli.main; coop.cli.main.build_parser();"
        "heavy = ('sqlalchemy', 'textual', 'reportlab', 'rapidfuzz', 'babel');"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    # The first run compiles the French catalogue into the cache; later runs only read it.
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
