"""Account movements written in a batch: the set-based twin of ``service.post``.

``post_many`` appends many movements (to one or many locked accounts) with one INSERT and
moves the cached balances with one UPDATE per account, exactly as the same ``post`` calls one
after the other would (same rows, same order, same balances after). It is the one function
that writes movements in bulk: whatever every movement must carry (a seal chained to the
previous one) is applied here as in ``post``: each movement gets the next number of its
account and a hash chained to the account's previous one (``coop.accounts.journal``), and the
account's head (``last_seq``, ``last_hash``) moves with its balance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from coop.accounts import journal
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
    heads: dict[int, tuple[int, str]] = {}
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
        last_seq, last_hash = heads.get(
            account.id, (account.last_seq or 0, account.last_hash or journal.GENESIS_HASH)
        )
        values: dict[str, Any] = {
            "account_id": account.id,
            "seq": last_seq + 1,
            "at": at,
            "kind": posting.kind,
            "amount_cents": posting.amount_cents,
            "balance_after_cents": balance,
            "means": posting.means,
            "sale_id": posting.sale_id,
            "invoice_id": posting.invoice_id,
            "reference": posting.reference,
            "reason": posting.reason,
            "actor": actor.recorded,
        }
        values["hash"] = journal.movement_hash(values, last_hash)
        heads[account.id] = (last_seq + 1, values["hash"])
        rows.append(values)
    if not rows:
        return rows
    session.execute(insert(cast(Table, AccountMovement.__table__)), rows)
    session.execute(
        update(MemberAccount),
        [
            {
                "id": account_id,
                "balance_cents": balance,
                "updated_at": at,
                "last_seq": heads[account_id][0],
                "last_hash": heads[account_id][1],
            }
            for account_id, balance in balances.items()
        ],
        execution_options={"synchronize_session": False},
    )
    for account_id, balance in balances.items():
        set_committed_value(accounts[account_id], "balance_cents", balance)
        set_committed_value(accounts[account_id], "updated_at", at)
        set_committed_value(accounts[account_id], "last_seq", heads[account_id][0])
        set_committed_value(accounts[account_id], "last_hash", heads[account_id][1])
    return rows
