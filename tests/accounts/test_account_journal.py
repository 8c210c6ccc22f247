"""The prepaid accounts' chained journal (issue 17 §1): with the database triggers dropped, a
raised top-up, a deleted, an inserted or a cut-off movement is named by the accounts' verify,
on SQLite and PostgreSQL; an untouched journal holds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, text

from coop.accounts import journal, service
from coop.accounts.models import AccountMovement
from coop.accounts.verify import BAD_HASH, BALANCE, GAP, HEAD, verify_accounts

from .test_accounts import SETTINGS, people, top_up  # noqa: F401  (the fixture)


def _drop_triggers(session) -> None:
    """What someone with write access to the database does first."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("DROP TRIGGER account_movements_inalterable ON account_movements"))
    else:
        session.execute(text("DROP TRIGGER account_movements_no_update"))
        session.execute(text("DROP TRIGGER account_movements_no_delete"))


@pytest.fixture
def ledger(people, actor, now):  # noqa: F811
    """Member 1: top-ups of 200 €, 30 € and 15 €, a withdrawal of 10 €; member 2: one top-up."""
    session = people
    top_up(session, actor, now, 1, 20000)
    top_up(session, actor, now + timedelta(minutes=1), 1, 3000)
    top_up(session, actor, now + timedelta(minutes=2), 1, 1500)
    service.withdraw(
        session,
        member_number=1,
        amount_cents=1000,
        means="cash",
        reason="rendu",
        settings=SETTINGS,
        actor=actor,
        now=now + timedelta(minutes=3),
    )
    top_up(session, actor, now, 2, 500)
    session.commit()
    return session


def _only_break(session) -> dict:
    session.commit()
    verdict = verify_accounts(session)
    assert not verdict.ok
    [broken] = verdict.broken
    assert verdict.messages()[0].startswith("Account of member 1: movement")
    return broken.as_dict()


def test_an_untouched_journal_holds_and_each_movement_is_chained(ledger):
    verdict = verify_accounts(ledger)
    assert verdict.ok and verdict.checked == 5 and verdict.accounts == 2
    rows = ledger.execute(
        text(
            "SELECT m.seq, m.hash, a.last_seq, a.last_hash FROM account_movements m"
            " JOIN member_accounts a ON a.id = m.account_id"
            " JOIN members p ON p.id = a.member_id WHERE p.number = 1 ORDER BY m.seq"
        )
    ).all()
    assert [row.seq for row in rows] == [1, 2, 3, 4]
    assert len({row.hash for row in rows}) == 4
    assert rows[-1].hash == rows[0].last_hash and rows[0].last_seq == 4


def test_a_top_up_raised_from_200_to_2000_euros_is_named(ledger):
    _drop_triggers(ledger)
    ledger.execute(
        text("UPDATE account_movements SET amount_cents = 200000 WHERE amount_cents = 20000")
    )
    account = _account_id(ledger, 1)
    assert _only_break(ledger) == {"member": 1, "account": account, "seq": 1, "reason": BAD_HASH}


def test_a_raised_top_up_with_its_balances_carried_on_is_still_named(ledger):
    _drop_triggers(ledger)
    ledger.execute(
        text("UPDATE account_movements SET amount_cents = 200000 WHERE amount_cents = 20000")
    )
    ledger.execute(
        text(
            "UPDATE account_movements SET balance_after_cents = balance_after_cents + 180000"
            " WHERE account_id = :a"
        ),
        {"a": _account_id(ledger, 1)},
    )
    ledger.execute(
        text("UPDATE member_accounts SET balance_cents = balance_cents + 180000 WHERE id = :a"),
        {"a": _account_id(ledger, 1)},
    )
    assert _only_break(ledger)["reason"] == BAD_HASH


def test_a_deleted_movement_is_named(ledger):
    _drop_triggers(ledger)
    ledger.execute(text("DELETE FROM account_movements WHERE amount_cents = 3000"))
    broken = _only_break(ledger)
    assert (broken["seq"], broken["reason"]) == (3, GAP)


def test_the_last_movement_deleted_is_named(ledger):
    _drop_triggers(ledger)
    ledger.execute(text("DELETE FROM account_movements WHERE amount_cents = -1000"))
    broken = _only_break(ledger)
    assert (broken["seq"], broken["reason"]) == (4, HEAD)


def test_an_inserted_movement_is_named(ledger, now):
    """A forger adds a top-up after the others and moves the account's head and balance."""
    _drop_triggers(ledger)
    account = _account_id(ledger, 1)
    _insert(ledger, account, now, 5, 100000, 122500, "f" * 64)
    ledger.execute(
        text(
            "UPDATE member_accounts SET balance_cents = 122500, last_seq = 5, last_hash = :h"
            " WHERE id = :a"
        ),
        {"a": account, "h": "f" * 64},
    )
    broken = _only_break(ledger)
    assert (broken["seq"], broken["reason"]) == (5, BAD_HASH)


def test_an_inserted_movement_in_the_middle_is_named(ledger, now):
    """Seqs shifted to make room: the movement after the forged one no longer links."""
    _drop_triggers(ledger)
    account = _account_id(ledger, 1)
    ledger.execute(text("DROP INDEX ux_account_movements_account_id_seq"))
    ledger.execute(
        text("UPDATE account_movements SET seq = seq + 1 WHERE account_id = :a AND seq >= 2"),
        {"a": account},
    )
    values = {
        "account_id": account,
        "seq": 2,
        "at": now,
        "kind": "top_up",
        "amount_cents": 100,
        "balance_after_cents": 20100,
        "means": "cash",
        "sale_id": None,
        "invoice_id": None,
        "reference": None,
        "reason": None,
        "actor": "x",
    }
    first = ledger.execute(
        text("SELECT hash FROM account_movements WHERE account_id = :a AND seq = 1"),
        {"a": account},
    ).scalar_one()
    forged = journal.movement_hash(values, first)  # sealed with the project's own function
    _insert(ledger, account, now, 2, 100, 20100, forged)
    broken = _only_break(ledger)
    assert (broken["seq"], broken["reason"]) == (3, BAD_HASH)


def test_a_balance_that_does_not_add_up_is_named(ledger):
    """Balances are sealed too; one that breaks only the arithmetic (seal recomputed by the
    forger) is still named."""
    _drop_triggers(ledger)
    account = _account_id(ledger, 1)
    row = ledger.execute(
        text(
            "SELECT account_id, seq, at, kind, amount_cents, balance_after_cents, means, sale_id,"
            " invoice_id, reference, reason, actor FROM account_movements"
            " WHERE account_id = :a AND seq = 1"
        ),
        {"a": account},
    ).one()
    values = dict(row._mapping) | {"balance_after_cents": 25000}
    if isinstance(values["at"], str):
        from datetime import datetime

        values["at"] = datetime.fromisoformat(values["at"])
    ledger.execute(
        text(
            "UPDATE account_movements SET balance_after_cents = 25000, hash = :h"
            " WHERE account_id = :a AND seq = 1"
        ),
        {"a": account, "h": journal.movement_hash(values, journal.GENESIS_HASH)},
    )
    broken = _only_break(ledger)
    assert (broken["seq"], broken["reason"]) == (1, BALANCE)


def _insert(session, account: int, at, seq: int, amount: int, balance: int, digest: str) -> None:
    session.execute(
        insert(AccountMovement.__table__),
        [
            {
                "account_id": account,
                "at": at,
                "kind": "top_up",
                "amount_cents": amount,
                "balance_after_cents": balance,
                "means": "cash",
                "actor": "x",
                "seq": seq,
                "hash": digest,
            }
        ],
    )


def _account_id(session, number: int) -> int:
    return session.execute(
        text(
            "SELECT a.id FROM member_accounts a JOIN members m ON m.id = a.member_id"
            " WHERE m.number = :n"
        ),
        {"n": number},
    ).scalar_one()


def test_the_triggers_still_refuse_changes(ledger):
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError):
        ledger.execute(text("UPDATE account_movements SET amount_cents = 200000"))
    ledger.rollback()
    with pytest.raises(DBAPIError):
        ledger.execute(text("DELETE FROM account_movements"))
    ledger.rollback()


def test_the_migration_seals_the_movements_written_before_it(ledger, database_url):
    """Down to 0012, just before the chain (0013), and up again: 0013 seals the movements
    already there, in order, exactly as new ones are sealed."""
    from alembic import command

    from coop import migrate
    from coop.db import make_engine

    before = ledger.execute(text("SELECT id, hash FROM account_movements ORDER BY id")).all()
    ledger.close()
    engine = make_engine(database_url)
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0012")
    migrate.upgrade(engine)
    with engine.connect() as connection:
        after = connection.execute(text("SELECT id, hash FROM account_movements ORDER BY id")).all()
        from sqlalchemy.orm import Session

        with Session(bind=connection) as session:
            assert verify_accounts(session).ok
        with pytest.raises(Exception, match="inalterable"):
            connection.execute(text("UPDATE account_movements SET amount_cents = 1"))
    engine.dispose()
    assert after == before


def test_coop_till_verify_names_a_raised_top_up(database_url, capsys):
    from pathlib import Path

    from coop.cli.main import main
    from coop.db import make_engine

    sample = Path(__file__).resolve().parents[2] / "sample_data" / "members.csv"
    assert main(["--database", database_url, "import", "members", str(sample)]) == 0
    top = ["--database", database_url, "accounts", "top-up", "42", "200,00", "--means", "transfer"]
    assert main(top) == 0
    capsys.readouterr()
    assert main(["--database", database_url, "till", "verify"]) == 0
    assert "every chain holds" in capsys.readouterr().out
    engine = make_engine(database_url)
    with engine.begin() as connection:
        from sqlalchemy.orm import Session

        with Session(bind=connection) as session:
            _drop_triggers(session)
            session.execute(text("UPDATE account_movements SET amount_cents = 200000"))
            session.flush()
    engine.dispose()
    assert main(["--database", database_url, "till", "verify"]) == 3
    out = capsys.readouterr().out
    assert "Account of member 42: movement 1 is the first broken one" in out
    assert main(["--database", database_url, "till", "verify", "--json"]) == 3
    import json

    [accounts] = [item for item in json.loads(capsys.readouterr().out) if "journal" in item]
    assert accounts["broken"][0]["member"] == 42 and accounts["broken"][0]["reason"] == BAD_HASH
