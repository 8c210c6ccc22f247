"""closure totals in 64 bits

A till's perpetual grand total passes 2^31 cents (21.5 million euros) in the life of a busy
shop: on PostgreSQL the closure totals become BIGINT. SQLite's INTEGER already holds 64 bits,
so nothing changes there (and the table, whose rows are inalterable, is not rebuilt).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 07:07:35.137916
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ('total_cents', 'perpetual_cents')


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for column in COLUMNS:
        op.alter_column(
            'till_closures',
            column,
            existing_type=sa.INTEGER(),
            type_=sa.BigInteger(),
            existing_nullable=False,
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for column in COLUMNS:
        op.alter_column(
            'till_closures',
            column,
            existing_type=sa.BigInteger(),
            type_=sa.INTEGER(),
            existing_nullable=False,
        )
