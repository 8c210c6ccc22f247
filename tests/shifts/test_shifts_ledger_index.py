"""Migration 0015: the shift ledger's index led by the ref, and back (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import inspect

from coop import migrate


def _ledger_indexes(engine) -> dict[str, list[str]]:
    return {
        index["name"]: list(index["column_names"])
        for index in inspect(engine).get_indexes("shift_ledger")
    }


def test_the_ledger_index_is_led_by_the_ref_and_the_downgrade_restores_the_old_one(engine):
    """A cycle day's entries share one ref: the daily run's inserts land in one place of an
    index led by the ref (issue 18); the lookups by member and ref still have an index."""
    indexes = _ledger_indexes(engine)
    assert indexes["ix_shift_ledger_ref_member"] == ["ref", "member_id"]
    assert "ix_shift_ledger_member_ref" not in indexes
    assert indexes["ix_shift_ledger_member_day"] == ["member_id", "day"]

    from alembic import command

    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0014")
    engine.dispose()
    indexes = _ledger_indexes(engine)
    assert indexes["ix_shift_ledger_member_ref"] == ["member_id", "ref"]
    assert "ix_shift_ledger_ref_member" not in indexes

    migrate.upgrade(engine)
    engine.dispose()
    assert _ledger_indexes(engine)["ix_shift_ledger_ref_member"] == ["ref", "member_id"]
    assert migrate.is_up_to_date(engine)
