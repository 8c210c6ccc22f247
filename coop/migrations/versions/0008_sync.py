"""accounting sync: the outbox of accounting events (sync_outbox)

Written by the till's daily closure and the accounts' invoices, credit notes, top-ups and
withdrawals in their own transaction (coop.outbox); read and updated by coop.sync.

Written in parallel with the AMAP tables (0007) and chained after them when both landed.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 04:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import coop.db

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sync_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('created_at', coop.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('odoo_id', sa.Integer(), nullable=True),
    sa.Column('odoo_number', sa.String(length=64), nullable=True),
    sa.Column('updated_at', coop.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=120), nullable=True),
    sa.CheckConstraint("state IN ('pending', 'sent', 'posted', 'attention')", name=op.f('ck_sync_outbox_state_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_outbox')),
    sa.UniqueConstraint('kind', 'key', name='uq_sync_outbox_kind_key')
    )
    with op.batch_alter_table('sync_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_sync_outbox_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_outbox_event_date'), ['event_date'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sync_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_outbox_event_date'))
        batch_op.drop_index('ix_sync_outbox_state_id')
    op.drop_table('sync_outbox')
