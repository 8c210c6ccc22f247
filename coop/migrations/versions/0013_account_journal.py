"""account journal: prepaid-account movements hash-chained per account (seq, hash), the
account row keeping the chain's head (last_seq, last_hash); the movements already written are
sealed here, in their order, with a frozen copy of coop.accounts.journal's canonical form.

The lead re-chains this revision at merge (every branch of the session starts from 0010).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 07:00:00
"""

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GENESIS = "0" * 64


def _at(value: Any) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return str(moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))


def _hash(row: Any, seq: int, previous: str) -> str:
    document = {
        "account": row.account_id,
        "seq": seq,
        "at": _at(row.at),
        "kind": row.kind,
        "amount": row.amount_cents,
        "balance_after": row.balance_after_cents,
        "means": row.means,
        "sale": row.sale_id,
        "invoice": row.invoice_id,
        "reference": row.reference,
        "reason": row.reason,
        "actor": row.actor,
        "previous": previous,
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _triggers(create: bool) -> None:
    """The account_movements triggers of 0004, lifted while the existing rows are sealed."""
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute(
            "ALTER TABLE account_movements "
            + ("ENABLE" if create else "DISABLE")
            + " TRIGGER account_movements_inalterable"
        )
        return
    for action in ("UPDATE", "DELETE"):
        name = f"account_movements_no_{action.lower()}"
        if create:
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {action} ON account_movements"
                " BEGIN SELECT RAISE(ABORT, 'comptoir: account_movements rows are inalterable"
                f" ({action} refused)'); END"
            )
        else:
            op.execute(f"DROP TRIGGER {name}")


def upgrade() -> None:
    # plain ADD COLUMN (no batch copy on SQLite, which would drop the table's triggers)
    op.add_column("account_movements", sa.Column("seq", sa.Integer(), nullable=True))
    op.add_column("account_movements", sa.Column("hash", sa.String(length=64), nullable=True))
    op.add_column(
        "member_accounts",
        sa.Column("last_seq", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column("member_accounts", sa.Column("last_hash", sa.String(length=64), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, account_id, at, kind, amount_cents, balance_after_cents, means, sale_id,"
            " invoice_id, reference, reason, actor FROM account_movements"
            " ORDER BY account_id, id"
        )
    ).all()
    if rows:
        _triggers(create=False)
        heads: dict[int, tuple[int, str]] = {}
        for row in rows:
            seq, previous = heads.get(row.account_id, (0, _GENESIS))
            digest = _hash(row, seq + 1, previous)
            bind.execute(
                sa.text("UPDATE account_movements SET seq = :seq, hash = :hash WHERE id = :id"),
                {"seq": seq + 1, "hash": digest, "id": row.id},
            )
            heads[row.account_id] = (seq + 1, digest)
        for account_id, (seq, digest) in heads.items():
            bind.execute(
                sa.text(
                    "UPDATE member_accounts SET last_seq = :seq, last_hash = :hash WHERE id = :id"
                ),
                {"seq": seq, "hash": digest, "id": account_id},
            )
        _triggers(create=True)
    op.create_index(
        "ux_account_movements_account_id_seq",
        "account_movements",
        ["account_id", "seq"],
        unique=True,
    )


def downgrade() -> None:
    # plain DROP COLUMN (SQLite >= 3.35): a batch copy would drop the table's triggers, and
    # member_accounts cannot be copied while account_movements refers to it
    op.drop_index("ux_account_movements_account_id_seq", table_name="account_movements")
    for table, column in (
        ("member_accounts", "last_hash"),
        ("member_accounts", "last_seq"),
        ("account_movements", "hash"),
        ("account_movements", "seq"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
