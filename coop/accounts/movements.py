"""Account movements written in a batch: the set-based twin of ``service.post``.

``post_many`` appends many movements (to one or many locked accounts) with one INSERT and
moves the cached balances with one UPDATE per account, exactly as the same ``post`` calls one
after the other would (same rows, same order, same balances after). It is the one function
that writes movements in bulk: whatever every movement must carry (a seal chained to the
previous one, say) is applied here as in ``post``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from coop.accounts.models import AccountMovement, MemberAccount
from coop.audit import Actor


@dataclass(frozen=True)
class Posting:
    """One movement to write (the arguments of ``service.post`` for it)."""

    account: MemberAccount
    kind: str
    amount_cents: int
    invoice_id: int | None = None
    sale_id: int | None = None
    means: str | None = None
    reference: str | None = None
    reason: str | None = None


def post_many(
    session: Session, postings: Sequence[Posting], *, at: datetime, actor: Actor
) -> list[dict[str, Any]]:
    """Append the movements in order to their locked accounts (no limit enforced: the caller
    checked what it had to, as ``post(..., enforce_limit=False)``); returns their values."""
    balances: dict[int, int] = {}
    accounts: dict[int, MemberAccount] = {}
    rows = []
    for posting in postings:
        if (
            isinstance(posting.amount_cents, bool)
            or not isinstance(posting.amount_cents, int)
            or posting.amount_cents == 0
        ):
            raise ValueError(f"a movement of {posting.amount_cents!r} cents")
        account = posting.account
        accounts[account.id] = account
        balance = balances.get(account.id, account.balance_cents) + posting.amount_cents
        balances[account.id] = balance
        rows.append(
            {
                "account_id": account.id,
                "at": at,
                "kind": posting.kind,
                "amount_cents": posting.amount_cents,
                "balance_after_cents": balance,
                "means": posting.means,
                "sale_id": posting.sale_id,
                "invoice_id": posting.invoice_id,
                "reference": posting.reference,
                "reason": posting.reason,
                "actor": actor.name,
            }
        )
    if not rows:
        return rows
    session.execute(insert(cast(Table, AccountMovement.__table__)), rows)
    session.execute(
        update(MemberAccount),
        [
            {"id": account_id, "balance_cents": balance, "updated_at": at}
            for account_id, balance in balances.items()
        ],
        execution_options={"synchronize_session": False},
    )
    for account_id, balance in balances.items():
        set_committed_value(accounts[account_id], "balance_cents", balance)
        set_committed_value(accounts[account_id], "updated_at", at)
    return rows
