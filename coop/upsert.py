"""One ``INSERT … ON CONFLICT`` for both databases: the dialect's insert construct (PostgreSQL's
or SQLite's, which share ``on_conflict_do_nothing`` / ``on_conflict_do_update`` and
``excluded``), and the common case of a row created only when it is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session


def insert_for(session: Session, table: Any) -> Any:
    """``insert(table)`` of the session's dialect, with its ``ON CONFLICT`` clauses (the dialect
    imported only when used: PostgreSQL's loads asyncio and ssl, ≈ 40 ms of a SQLite process)."""
    return dialect_insert(session.get_bind().dialect.name, table)


def dialect_insert(dialect_name: str, table: Any) -> Any:
    """``insert_for`` given the dialect's name ("postgresql" or "sqlite")."""
    if dialect_name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table)


def insert_missing(
    session: Session, table: Any, values: dict[str, Any], *, keys: Sequence[str]
) -> None:
    """Insert ``values`` unless a row with the same ``keys`` (a unique index) exists."""
    session.execute(
        insert_for(session, table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=list(keys))
    )
