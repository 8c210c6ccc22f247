"""`coop export fec`, `coop sync status|retry|resolve|odoo [check]` from the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.audit import AuditEntry
from coop.cli.main import main
from coop.outbox import OutboxRow, OutboxState
from tests.sync.conftest import odoo_settings_from_env
from tests.sync.odoo_helpers import fill


def coop(url: str, *args: str) -> int:
    return main(["--lang", "en", "--database", url, *args])


def test_fec_export_and_its_bad_input(database_url, engine, tmp_path, capsys):
    with Session(engine) as session:
        fill(session, 2, 3)
    out = tmp_path / "FEC.txt"
    assert (
        coop(
            database_url,
            "export",
            "fec",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--out",
            str(out),
        )
        == 0
    )
    said = capsys.readouterr().out
    # Zs: 2 × (2 rates × 2 lines + cash + card) = 12 lines; invoices: 3 × (411 + 2 × 2) = 15.
    # Debit = 2 × (105,50 + 12,00) + 3 × 7,20 = 256,60 €.
    assert "5 entries, 27 lines, debit = credit = €256.60" in said
    assert out.read_bytes().count(b"\r\n") == 28
    for args, where in (
        (["--from", "2026-11-30", "--to", "2026-11-01", "--out", str(out)], "--to"),
        (["--from", "30/02/2026", "--to", "2026-11-01", "--out", str(out)], "--from"),
        (["--from", "2026-11-01", "--to", "2026-11-30"], "--out"),
    ):
        assert coop(database_url, "export", "fec", *args) == 2
        assert where in capsys.readouterr().err


def test_status_retry_and_resolve(database_url, engine, capsys):
    with Session(engine) as session:
        fill(session, 1, 2)
        rows = list(session.scalars(select(OutboxRow).order_by(OutboxRow.id)))
        rows[1].state, rows[1].last_error = (
            OutboxState.ATTENTION.value,
            "Odoo refused FA-000001: period locked",
        )
        rows[2].state, rows[2].last_error = OutboxState.ATTENTION.value, "No accounting mapping"
        session.commit()
        ids = [row.id for row in rows]
    assert coop(database_url, "sync", "status", "--json") == 0
    status = json.loads(capsys.readouterr().out)
    assert status["counts"] == {"pending": 1, "sent": 0, "posted": 0, "attention": 2}
    assert status["oldest_pending"]["key"] == "C1-2026-11-21"
    assert [row["last_error"] for row in status["attention"]] == [
        "Odoo refused FA-000001: period locked",
        "No accounting mapping",
    ]
    assert coop(database_url, "--lang", "fr", "sync", "status") == 0
    counts = capsys.readouterr().out.splitlines()[0]  # French puts a space before the colon
    assert counts.startswith("en attente\u00a0: 1  ") and "à traiter\u00a0: 2" in counts
    assert coop(database_url, "sync", "status") == 0
    text = capsys.readouterr().out
    assert (
        f"#{ids[1]} invoice FA-000001 (21/11/2026): Odoo refused FA-000001: period locked" in text
    )
    assert coop(database_url, "sync", "retry", str(ids[1])) == 0
    assert coop(database_url, "sync", "resolve", str(ids[2]), "--reason", "booked by hand") == 0
    assert coop(database_url, "sync", "retry", str(ids[0])) == 2  # pending: nothing to retry
    assert "not waiting for attention" in capsys.readouterr().err
    assert coop(database_url, "sync", "retry", "999") == 2
    with Session(engine) as session:
        states = [session.get(OutboxRow, i).state for i in ids]
        assert states == ["pending", "pending", "posted"]
        assert session.get(OutboxRow, ids[2]).resolved_by.startswith("cli:")
        actions = list(
            session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "sync_outbox"))
        )
        assert actions == ["sync.retry", "sync.resolve"]


def test_push_without_configuration_is_one_sentence(database_url, capsys):
    assert coop(database_url, "sync", "odoo") == 2
    assert "Odoo is not configured" in capsys.readouterr().err


def write_config(folder: Path, namespace: str) -> None:
    settings = odoo_settings_from_env()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(
        f'[sync]\nnamespace = "{namespace}"\n[sync.odoo]\nurl = "{settings.url}"\n'
        f'database = "{settings.database}"\nlogin = "{settings.login}"\n',
        encoding="utf-8",
    )


def test_check_then_push_from_the_command_line(database_url, engine, run_id, capsys, monkeypatch):
    write_config(Path(os.environ["COOP_CONFIG_DIR"]), f"cli{run_id}_")
    monkeypatch.setenv("COOP_ODOO_API_KEY", odoo_settings_from_env().api_key)
    with Session(engine) as session:
        fill(session, 2, 2)
    assert coop(database_url, "sync", "odoo", "check", "--activate-taxes", "--create-journals") == 0
    assert "Everything the push needs is there." in capsys.readouterr().out
    assert coop(database_url, "sync", "odoo", "check", "--json") == 0
    checked = json.loads(capsys.readouterr().out)
    assert (
        checked["passes"] and checked["version"] == "17.0" and checked["odoo"]["api_key"] == "***"
    )
    assert coop(database_url, "sync", "odoo", "--dry-run") == 0
    assert "4 outbox rows, 4 entries would be pushed" in capsys.readouterr().out
    assert coop(database_url, "sync", "odoo", "--limit", "3") == 0
    assert (
        "3 rows: 3 posted (3 moves created, 0 already in Odoo), 0 need attention."
        in capsys.readouterr().out
    )
    assert coop(database_url, "sync", "odoo", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["rows"], report["posted"], report["created"]) == (1, 1, 1)


@pytest.mark.parametrize("lang", ["fr"])
def test_the_setup_check_speaks_french(database_url, run_id, capsys, monkeypatch, lang):
    write_config(Path(os.environ["COOP_CONFIG_DIR"]), f"fr{run_id}_")
    config = Path(os.environ["COOP_CONFIG_DIR"]) / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '[sync.journals]\ntill = "ZQ"\n', encoding="utf-8"
    )
    monkeypatch.setenv("COOP_ODOO_API_KEY", odoo_settings_from_env().api_key)
    assert main(["--lang", lang, "--database", database_url, "sync", "odoo", "check"]) == 2
    out = capsys.readouterr().out
    assert "Il manque, avant de pouvoir envoyer quoi que ce soit :" in out
    assert (
        "Le journal ZQ n’existe pas dans Odoo : lancez `coop sync odoo check --create-journals`"
        in out
    )
