"""The till's section of a person's data (their sales, right of access), registered with
``coop.members.privacy`` on import (see ``coop.personal_data``)."""

from __future__ import annotations

from coop.members import privacy
from coop.till.sale_reads import personal_data

privacy.register("sales", personal_data)
