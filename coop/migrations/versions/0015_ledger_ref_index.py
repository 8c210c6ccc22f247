"""shift ledger index led by the ref: ``ix_shift_ledger_member_ref`` (member_id, ref) becomes
``ix_shift_ledger_ref_member`` (ref, member_id).

A cycle day's ledger entries all carry one ref (``cycle:<day>``): the daily run inserts them
for every member, and an index led by the member changed about one page per member (9,153
pages at 20,000 members) where one led by the ref changes about a hundred (issue 18, target 3;
measured in ``docs/PERFORMANCE.md``, "The daily run, a fifth time"). The lookups by member and
ref keep an index; the lookups by ref alone (``coop.shifts.cancelling``) gain one; the reads
by member use ``ix_shift_ledger_member_day``.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 16:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index('ix_shift_ledger_member_ref', table_name='shift_ledger')
    op.create_index('ix_shift_ledger_ref_member', 'shift_ledger', ['ref', 'member_id'])


def downgrade() -> None:
    op.drop_index('ix_shift_ledger_ref_member', table_name='shift_ledger')
    op.create_index('ix_shift_ledger_member_ref', 'shift_ledger', ['member_id', 'ref'])
