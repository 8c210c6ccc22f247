"""Alembic environment: runs on the connection Comptoir hands over (coop.migrate), batch mode on."""

from alembic import context
from sqlalchemy import Connection

from coop.db import make_engine
from coop.models import Base

config = context.config
target_metadata = Base.metadata


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only change tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:  # `alembic` command line from a checkout (alembic.ini): use -x url=... or the ini's URL
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("alembic: no database; give one with -x url=... or sqlalchemy.url")
    engine = make_engine(url)
    with engine.connect() as conn:
        run(conn)
