"""The accounts context's section of a person's data (right of access), registered with
``coop.members.privacy`` on import (see ``coop.personal_data``)."""

from __future__ import annotations

from coop.accounts.service import personal_data
from coop.members import privacy

privacy.register("accounts", personal_data)
