"""Every migration goes down to an empty database and up again (SQLite and PostgreSQL), and the
schema it builds the second time is the one it built the first."""

from __future__ import annotations

from typing import Any

from alembic import command
from sqlalchemy import Engine, inspect, text

from coop import migrate


def _schema(engine: Engine) -> dict[str, Any]:
    """Every table's columns (name, type, nullability), indexes and foreign keys."""
    inspector = inspect(engine)
    schema: dict[str, Any] = {}
    for table in inspector.get_table_names():
        schema[table] = {
            "columns": [
                (column["name"], str(column["type"]), column["nullable"])
                for column in inspector.get_columns(table)
            ],
            "indexes": sorted(
                (index["name"], tuple(index["column_names"]), bool(index["unique"]))
                for index in inspector.get_indexes(table)
            ),
            "foreign_keys": sorted(
                (tuple(key["constrained_columns"]), key["referred_table"])
                for key in inspector.get_foreign_keys(table)
            ),
        }
    return schema


def _functions(engine: Engine) -> list[str]:
    """The trigger functions migration 0004 creates on PostgreSQL (none on SQLite)."""
    if engine.dialect.name != "postgresql":
        return []
    with engine.connect() as connection:
        return sorted(
            connection.execute(
                text("SELECT proname FROM pg_proc WHERE proname LIKE 'comptoir\\_%'")
            ).scalars()
        )


def test_every_migration_goes_down_to_nothing_and_up_to_the_same_schema(engine: Engine) -> None:
    built = _schema(engine)
    functions = _functions(engine)
    assert "till_journal" in built and "sale_lines" in built
    if engine.dialect.name == "postgresql":
        assert functions == ["comptoir_closed_session", "comptoir_inalterable"]

    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    engine.dispose()
    assert inspect(engine).get_table_names() == ["alembic_version"]
    assert _functions(engine) == []

    migrate.upgrade(engine)
    engine.dispose()
    assert migrate.is_up_to_date(engine)
    assert _schema(engine) == built
    assert _functions(engine) == functions
