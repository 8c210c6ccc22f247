"""What the accounts context holds on a person (``coop members export-data``): their household
account with its movements, and the invoices when they head the household. The section
registers with ``coop.members.privacy`` on import (``coop.personal_data`` imports it).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from coop.accounts.invoicing import invoices_of, view
from coop.accounts.service import holder, movement_dict, statement
from coop.members import privacy
from coop.members.models import Member


def personal_data(session: Session, member: Member) -> dict[str, Any]:
    """What the accounts context holds on a person (``coop members export-data``)."""
    account, movements = statement(session, member)
    return {
        "account": None
        if account is None
        else {
            "holder": holder(member).number,
            "balance_cents": account.balance_cents,
            "overdraft_cents": account.overdraft_cents,
            "movements": [movement_dict(row) for row in reversed(movements)],
        },
        "invoices": [view(session, invoice).as_dict() for invoice in invoices_of(session, member)]
        if holder(member).id == member.id
        else [],
    }


# The section registers itself with members' privacy on import (see ``coop.personal_data``).
privacy.register("accounts", personal_data)
