"""`coop staff`, `coop audit list` and `--as` end to end, in-process: the first set-up, then
every gated command refused without the right (exit code 2, nothing written, the refusal
audited) and allowed with it. PINs come from standard input and ``COOP_PIN`` (no terminal)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop.audit import REFUSED, AuditEntry
from coop.cli.main import main
from coop.db import make_engine
from coop.staff.models import StaffRole
from coop.till.models import Sale

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
BREAD = "PAIN-CAMP-1KG"  # 5,80 €


@pytest.fixture
def cli(database_url, monkeypatch, capsys):
    def run(*args: str, pin: str | None = None, stdin: str = "") -> tuple[int, str, str]:
        if pin is None:
            monkeypatch.delenv("COOP_PIN", raising=False)
        else:
            monkeypatch.setenv("COOP_PIN", pin)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = main(["--database", database_url, *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    assert run("init")[0] == 0
    for kind in ("members", "producers", "products"):  # the first set-up: no administrator yet
        assert run("import", kind, str(SAMPLE / f"{kind}.csv"))[0] == 0
    assert run("staff", "roles", "grant", "1", "administrator")[0] == 0
    assert run("staff", "pin", "set", "1", stdin="4821\n")[0] == 0
    # the set-up is over: from now on the machine's account holds no role
    assert run("--as", "1", "staff", "pin", "set", "2", pin="4821", stdin="6142\n")[0] == 0
    engine = make_engine(database_url)
    run.engine = engine  # type: ignore[attr-defined]
    yield run
    engine.dispose()


def _count(cli, query) -> int:
    with Session(cli.engine) as session:
        return session.scalar(query) or 0


def _refusals(cli) -> list[AuditEntry]:
    with Session(cli.engine) as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == REFUSED)))


def test_after_the_set_up_an_unnamed_command_may_not_change_roles(cli):
    code, _out, err = cli("staff", "roles", "grant", "3", "treasurer")
    assert code == 2 and "may not grant or revoke roles" in err
    assert _count(cli, select(func.count(StaffRole.id))) == 1
    assert len(_refusals(cli)) == 1


def test_as_needs_the_pin_without_a_terminal(cli):
    code, _out, err = cli("--as", "1", "staff", "roles", "grant", "3", "treasurer")
    assert code == 2 and "COOP_PIN" in err
    code, _out, err = cli("--as", "1", "staff", "roles", "grant", "3", "treasurer", pin="1111")
    assert code == 2 and "not recognised" in err
    code, out, _err = cli("--as", "1", "staff", "roles", "grant", "3", "treasurer", pin="4821")
    assert code == 0 and "treasurer" in out


def test_a_role_change_by_a_member_without_the_right(cli):
    code, _out, err = cli("--as", "2", "staff", "roles", "grant", "2", "administrator", pin="6142")
    assert code == 2 and "may not" in err
    assert _count(cli, select(func.count(StaffRole.id))) == 1
    (refusal,) = _refusals(cli)
    assert "(n° 2)" in refusal.actor


def test_erasure_without_the_right(cli):
    code, _out, err = cli("--as", "2", "members", "erase", "5", "--yes", pin="6142")
    assert code == 2 and "may not erase" in err
    assert len(_refusals(cli)) == 1


def test_a_cashier_may_not_read_personal_data_from_the_command_line(cli):
    assert cli("--as", "1", "shifts", "role", "2", "cashier", pin="4821")[0] == 0
    for command in (("members", "show", "5", "--json"), ("members", "export-data", "5")):
        code, out, err = cli("--as", "2", *command, pin="6142")
        assert code == 2 and "may not see members' personal data" in err
        assert "@" not in out  # no e-mail printed
    refusals = _refusals(cli)
    assert len(refusals) == 2 and all("(n° 2)" in entry.actor for entry in refusals)
    assert {entry.after["right"] for entry in refusals} == {"see_personal_data"}
    code, out, _err = cli("--as", "1", "members", "show", "5", "--json", pin="4821")
    assert code == 0 and json.loads(out)["number"] == 5


def test_a_refund_without_the_right_then_with_it(cli):
    code, _out, err = cli("--as", "2", "shifts", "role", "2", "cashier", pin="6142")
    assert code == 2 and "may not give or take a shift role" in err  # not themselves
    assert cli("--as", "1", "shifts", "role", "2", "cashier", pin="4821")[0] == 0
    assert cli("--as", "2", "till", "open", "--cash", "100", pin="6142")[0] == 0
    sold = cli(
        "--as", "2", "till", "sell", BREAD, "--member", "42", "--pay", "cash=5,80", pin="6142"
    )
    assert sold[0] == 0, sold[2]
    refund = ("till", "sell", "--refund", "1/1", "--member", "42", "--pay", "cash=-5,80")
    code, _out, err = cli("--as", "2", *refund, pin="6142")
    assert code == 2 and "may not refund" in err
    assert _count(cli, select(func.count(Sale.id))) == 1
    assert len(_refusals(cli)) == 2  # the shift role, the refund
    assert cli("--as", "1", *refund, pin="4821")[0] == 0
    with Session(cli.engine) as session:
        cashiers = list(session.scalars(select(Sale.cashier).order_by(Sale.number)))
    assert "(n° 2)" in cashiers[0] and "(n° 1)" in cashiers[1]


def test_weak_pins_are_refused(cli):
    for pin in ("123", "0000", "1234"):
        code, _out, _err = cli("--as", "1", "staff", "pin", "set", "3", pin="4821", stdin=pin)
        assert code == 2


def test_the_audit_list_in_words(cli):
    cli("staff", "roles", "grant", "3", "treasurer")  # refused
    code, out, _err = cli("--as", "1", "audit", "list", "--action", "staff", "--json", pin="4821")
    assert code == 0
    lines = json.loads(out)
    assert any(line["action"] == "PIN set" and line["member"].startswith("2 ") for line in lines)
    assert any(
        line["action"] == "role granted" and "administrator" in line["after"] for line in lines
    )
    assert all("staff." not in line["action"] for line in lines)
    code, out, _err = cli("--as", "1", "audit", "list", "--actor", "1", pin="4821")
    assert code == 0 and "PIN set" in out
    code, _out, err = cli("--as", "2", "audit", "list", pin="6142")
    assert code == 2 and "may not read the audit log" in err


def test_the_staff_list(cli):
    code, out, _err = cli("staff", "list", "--json")
    rows = {row["number"]: row for row in json.loads(out)}
    assert code == 0 and rows[1]["roles"] == ["administrator"] and rows[2]["has_pin"]
