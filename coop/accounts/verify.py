"""Verify the prepaid accounts' chained journal (called by ``coop till verify``).

Set-based: one query reads every movement in (account, seq) order on the driver's cursor, one
reads every account's cached head and balance; each movement's hash is recomputed
(``coop.accounts.journal``) and must be its stored hash; the seqs of an account follow 1, 2,
3... without a gap; each links to the previous movement's hash; each balance is the previous one
plus its amount; the account row's head (``last_seq``, ``last_hash``) and balance are its last
movement's, so a movement cut off the end is found too. The first movement that fails is named
(member number, seq, why) for each account; verification only reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from coop.accounts import journal
from coop.i18n import _

BAD_HASH = "bad_hash"
"""Its values and the previous movement's hash no longer give its sealed hash: it was changed
(an amount raised...), inserted, or the movement before it was."""
GAP = "gap"
"""Its seq is not the next one (a movement deleted, or one inserted with a seq of its own)."""
BALANCE = "balance"
"""Its balance is not the previous balance plus its amount."""
HEAD = "head"
"""The account's head or cached balance is not its last movement's (the end cut off...)."""
UNSEALED = "unsealed"
"""A movement without a seq or a hash."""


def reason_text(reason: str) -> str:
    """The sentence for a reason code (a person never sees the code)."""
    texts = {
        BAD_HASH: _(
            "its seal does not hold: it was changed or inserted, or the movement before it was"
        ),
        GAP: _("its number does not follow the previous one (a movement was removed or inserted)"),
        BALANCE: _("its balance is not the previous balance plus its amount"),
        HEAD: _("the account's last movement or balance is not the one recorded on the account"),
        UNSEALED: _("it carries no seal"),
    }
    return texts.get(reason, reason)


@dataclass(frozen=True)
class AccountBreak:
    """The first movement of an account that does not hold."""

    member: int | None
    account_id: int
    seq: int | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "member": self.member,
            "account": self.account_id,
            "seq": self.seq,
            "reason": self.reason,
        }

    def message(self) -> str:
        return _(
            "Account of member {member}: movement {seq} is the first broken one: {why}"
        ).format(
            member=self.member if self.member is not None else "—",
            seq=self.seq if self.seq is not None else "—",
            why=reason_text(self.reason),
        )


@dataclass(frozen=True)
class AccountsVerdict:
    accounts: int
    checked: int
    broken: list[AccountBreak] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken

    def as_dict(self) -> dict[str, Any]:
        return {
            "journal": "accounts",
            "ok": self.ok,
            "accounts": self.accounts,
            "checked": self.checked,
            "broken": [item.as_dict() for item in self.broken],
        }

    def messages(self) -> list[str]:
        if self.ok:
            return [
                _(
                    "Prepaid accounts: {count} movements of {accounts} accounts checked,"
                    " every chain holds."
                ).format(count=self.checked, accounts=self.accounts)
            ]
        return [item.message() for item in self.broken]


_COLUMNS = ", ".join(journal.SEALED)


def verify_accounts(session: Session) -> AccountsVerdict:
    """Check every account's chain (see the module docstring)."""
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(
            "SELECT a.id, a.last_seq, a.last_hash, a.balance_cents, m.number"
            " FROM member_accounts a LEFT JOIN members m ON m.id = a.member_id"
        )
        heads = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute(
            f"SELECT {_COLUMNS}, hash FROM account_movements ORDER BY account_id, seq, id"
        )
        movements = cursor.fetchall()
    finally:
        cursor.close()
    failed: dict[int, AccountBreak] = {}
    ends: dict[int, tuple[int, str, int]] = {}
    account, seq, previous, balance = None, 0, journal.GENESIS_HASH, 0
    for row in movements:
        values = dict(zip(journal.SEALED, row, strict=False))
        if isinstance(values["at"], str):  # SQLite gives naive UTC text
            values["at"] = datetime.fromisoformat(values["at"])
        account_id = values["account_id"]
        if account_id != account:
            account, seq, previous, balance = account_id, 0, journal.GENESIS_HASH, 0
        if account_id in failed:
            continue
        stored = row[-1]
        reason = None
        if values["seq"] is None or stored is None:
            reason = UNSEALED
        elif values["seq"] != seq + 1:
            reason = GAP
        elif journal.movement_hash(values, previous) != stored:
            # the same values linked to another previous hash: the link is what broke
            reason = BAD_HASH
        elif values["balance_after_cents"] != balance + values["amount_cents"]:
            reason = BALANCE
        if reason is not None:
            failed[account_id] = _break(heads, account_id, values["seq"], reason)
            continue
        seq, previous, balance = values["seq"], stored, values["balance_after_cents"]
        ends[account_id] = (seq, previous, balance)
    for account_id, (last_seq, last_hash, cached, _member) in heads.items():
        if account_id in failed:
            continue
        if ends.get(account_id, (0, None, 0)) != (last_seq or 0, last_hash, cached):
            failed[account_id] = _break(heads, account_id, last_seq, HEAD)
    broken = sorted(failed.values(), key=lambda item: (item.member or 0, item.account_id))
    return AccountsVerdict(len(heads), len(movements), broken)


def _break(heads: dict[int, Any], account_id: int, seq: int | None, reason: str) -> AccountBreak:
    head = heads.get(account_id)
    return AccountBreak(head[3] if head else None, account_id, seq, reason)
