"""till shares: capital shares and the yearly fee paid at the till, on the sale row
(``share_cents``, ``fee_cents``, ``fee_year``), outside VAT and outside turnover; the sale's
total becomes goods + top-up + shares + fee.

SQLite cannot change a CHECK constraint in place: the documented ``writable_schema`` procedure
rewrites the table's stored SQL (every existing row has shares and fee 0, so it holds), then
bumps the schema version so every connection reads the new text.

The lead re-chains this revision at merge (every branch of the session starts from 0013).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD = "goods_cents + top_up_cents = total_cents"
_NEW = "goods_cents + top_up_cents + share_cents + fee_cents = total_cents"


def _rewrite_sqlite(old: str, new: str) -> None:
    bind = op.get_bind()
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'sales'",
        (old, new),
    )
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name in ("share_cents", "fee_cents"):
        op.add_column("sales", sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
    op.add_column("sales", sa.Column("fee_year", sa.Integer(), nullable=True))
    if postgresql:
        op.execute("ALTER TABLE sales DROP CONSTRAINT ck_sales_total_adds_up")
        op.execute(f"ALTER TABLE sales ADD CONSTRAINT ck_sales_total_adds_up CHECK ({_NEW})")
        op.execute(
            "ALTER TABLE sales ADD CONSTRAINT ck_sales_membership_not_negative"
            " CHECK (share_cents >= 0 AND fee_cents >= 0)"
        )
    else:
        _rewrite_sqlite(
            _OLD,
            _NEW + "),"
            " CONSTRAINT ck_sales_membership_not_negative"
            " CHECK (share_cents >= 0 AND fee_cents >= 0",
        )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute("ALTER TABLE sales DROP CONSTRAINT ck_sales_membership_not_negative")
        op.execute("ALTER TABLE sales DROP CONSTRAINT ck_sales_total_adds_up")
        op.execute(f"ALTER TABLE sales ADD CONSTRAINT ck_sales_total_adds_up CHECK ({_OLD})")
        for name in ("fee_year", "fee_cents", "share_cents"):
            op.drop_column("sales", name)
    else:
        # the check goes back to the old sum (it holds once no sale has shares or a fee), then
        # the columns go: no CHECK names them any more, so SQLite (3.35 or later) drops them in
        # place, and a later upgrade adds them again
        _rewrite_sqlite(
            _NEW + "),"
            " CONSTRAINT ck_sales_membership_not_negative"
            " CHECK (share_cents >= 0 AND fee_cents >= 0",
            _OLD,
        )
        for name in ("fee_year", "fee_cents", "share_cents"):
            op.get_bind().exec_driver_sql(f"ALTER TABLE sales DROP COLUMN {name}")
