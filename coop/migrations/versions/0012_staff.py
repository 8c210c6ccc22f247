"""Staff log-in and coop roles: one PIN per member (its scrypt hash, the wrong tries and the
lock) and the coop roles granted to members (coordinator, treasurer, administrator).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import coop.db

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('staff_pins',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('pin_hash', sa.String(length=200), nullable=False),
    sa.Column('failed_tries', sa.Integer(), nullable=False),
    sa.Column('locked_until', coop.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('set_at', coop.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_staff_pins_member_id_members'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('member_id', name=op.f('pk_staff_pins'))
    )
    op.create_table('staff_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('granted_at', coop.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_staff_roles_member_id_members'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_roles')),
    sa.UniqueConstraint('member_id', 'role', name=op.f('uq_staff_roles_member_id_role'))
    )
    with op.batch_alter_table('staff_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_roles_member_id'), ['member_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('staff_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_roles_member_id'))
    op.drop_table('staff_roles')
    op.drop_table('staff_pins')
