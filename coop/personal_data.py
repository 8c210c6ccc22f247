"""The composition root of personal data: imports each context's ``privacy`` module so that
every section registers with ``coop.members.privacy``, in the order of the export (shifts,
accounts, sales, amap). Export (``coop members export-data``) and erasure (``coop members erase``)
go through this module, so no section is ever left out; it sits above every context.
"""

from __future__ import annotations

# isort: off
import coop.shifts.privacy
import coop.accounts.privacy
import coop.till.privacy
import coop.amap.privacy

# isort: on
from coop.members.privacy import SECTIONS, erase_member, export_personal_data

REGISTERING = (coop.shifts.privacy, coop.accounts.privacy, coop.till.privacy, coop.amap.privacy)
"""The modules that register a section."""

EXPORT_ORDER = ("shifts", "accounts", "sales", "amap")
"""The order of the sections in the export. A context's ``privacy`` module may have been
imported earlier by something else (the AMAP's, by an AMAP command), so the order in which the
sections registered is not this one: put them in this order, once, here."""

for _name in EXPORT_ORDER:
    SECTIONS[_name] = SECTIONS.pop(_name)

__all__ = ["EXPORT_ORDER", "REGISTERING", "SECTIONS", "erase_member", "export_personal_data"]
