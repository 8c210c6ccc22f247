"""trust: the signatures of till closures (till_signatures)

Each closure's hash is signed with the Ed25519 key kept outside the database
(coop.signing); verify checks them.

The lead re-chains this revision at merge (amap's 0007 lands on another branch).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 05:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('till_signatures',
    sa.Column('till_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('signature', sa.String(length=128), nullable=False),
    sa.ForeignKeyConstraint(['till_id', 'seq'], ['till_journal.till_id', 'till_journal.seq'], name=op.f('fk_till_signatures_till_id_till_journal'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('till_id', 'seq', name=op.f('pk_till_signatures'))
    )


def downgrade() -> None:
    op.drop_table('till_signatures')
