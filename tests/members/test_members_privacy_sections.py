"""Personal-data sections are registered by the contexts above members, never imported by it.

``coop.members`` must not import shifts, accounts or the till (the arrows point down); each of
those registers its section from its own ``privacy`` module, and ``coop.personal_data`` imports
them all wherever export or erasure runs, so the export still holds every section.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import date
from pathlib import Path

from coop import personal_data
from coop.config import MemberSettings
from coop.members import service

MEMBERS = Path(__file__).resolve().parents[2] / "coop" / "members"
ABOVE_MEMBERS = (
    "coop.shifts",
    "coop.accounts",
    "coop.till",
    "coop.catalog",
    "coop.stock",
    "coop.amap",
)


def test_members_imports_no_context_above_it():
    """Every import in ``coop/members``, function-level ones included (the kernel's own
    imports are the kernel's business)."""
    found = []
    for path in sorted(MEMBERS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            found += [(path.name, n) for n in names if n.startswith(ABOVE_MEMBERS)]
    assert found == []


def test_export_holds_every_registered_section_in_order(session, now, actor):
    member = service.create_member(
        session,
        first_name="Zoé",
        last_name="Lefèvre",
        joined_on=date(2026, 1, 5),
        settings=MemberSettings(),
        actor=actor,
        now=now,
    )
    data = personal_data.export_personal_data(session, member)
    assert list(personal_data.SECTIONS) == ["shifts", "accounts", "sales", "amap"]
    assert list(data)[-4:] == ["shifts", "accounts", "sales", "amap"]
    assert data["member"]["first_name"] == "Zoé"
    assert data["sales"] == []
    assert data["amap"]["subscriptions"] == []


def test_the_export_order_does_not_depend_on_which_context_was_imported_first():
    """An AMAP command imports the AMAP's privacy module before anything else: the export still
    lists the sections in the composition root's order (it failed when the suite ran whole)."""
    script = (
        "import coop.amap.privacy\n"
        "from coop import personal_data\n"
        "print(','.join(personal_data.SECTIONS))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "shifts,accounts,sales,amap"
