"""The pricing of a cycle is pure: importing it loads neither SQLAlchemy nor the database layer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_pricing_imports_neither_sqlalchemy_nor_the_database_layer():
    code = (
        "import sys, coop.orders.pricing;"
        "print(sorted(m for m in ('sqlalchemy', 'coop.db', 'coop.catalog.models')"
        " if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
