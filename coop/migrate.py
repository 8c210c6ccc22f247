"""Creating and upgrading the schema with the Alembic migrations shipped in the package.

Checking that a database is up to date is on every command's path, so it does not import
Alembic: the package's head is the highest-numbered file in ``migrations/versions`` (each
revision is named after its number; a test holds that to Alembic's own head) and the
database's revision is one ``SELECT`` on ``alembic_version``. Alembic is imported only to
create, upgrade or compare the schema.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"
_NUMBERED = re.compile(r"^(\d{4})_\w+\.py$")


def alembic_config() -> Config:
    from alembic.config import Config

    # Alembic's default output stream is the ``sys.stdout`` of the moment alembic was first
    # imported, which is now lazy (inside a command, or a test capturing its output, whose
    # stream is closed afterwards): the stream of this call is the right one.
    config = Config(stdout=sys.stdout)
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create the schema or bring it up to date (what `coop init` does)."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def check(engine: Engine) -> None:
    """Raise if the models and the migrated schema differ (alembic check)."""
    from alembic import command

    config = alembic_config()
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.check(config)


def stored_revisions(engine: Engine) -> list[str]:
    """The revisions recorded in the database (none before `coop init`), without Alembic."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return []
        rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
        return sorted(str(row[0]) for row in rows)


def current_revision(engine: Engine) -> str | None:
    revisions = stored_revisions(engine)
    return revisions[0] if len(revisions) == 1 else None


@cache
def head_revision() -> str:
    """The newest revision shipped in the package, read from the migration files' names."""
    numbers = [
        match.group(1)
        for path in (MIGRATIONS / "versions").iterdir()
        if (match := _NUMBERED.match(path.name))
    ]
    return max(numbers)


def alembic_head_revision() -> str | None:
    """The head as Alembic computes it by loading every script (for tests and checks)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_up_to_date(engine: Engine) -> bool:
    return stored_revisions(engine) == [head_revision()]
