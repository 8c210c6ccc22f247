"""The composition root of personal data: imports each context's ``privacy`` module so that
every section registers with ``coop.members.privacy``, in the order of the export (shifts,
accounts, sales, amap). Export (``coop members export-data``) and erasure (``coop members erase``)
go through this module, so no section is ever left out; it sits above every context.
"""

from __future__ import annotations

# The order of these imports is the order of the sections in the export.
# isort: off
import coop.shifts.privacy
import coop.accounts.privacy
import coop.till.privacy
import coop.amap.privacy

# isort: on
from coop.members.privacy import SECTIONS, erase_member, export_personal_data

REGISTERING = (coop.shifts.privacy, coop.accounts.privacy, coop.till.privacy, coop.amap.privacy)
"""The modules that register a section, in export order."""

__all__ = ["REGISTERING", "SECTIONS", "erase_member", "export_personal_data"]
