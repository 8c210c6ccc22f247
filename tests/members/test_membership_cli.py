"""`coop members add|update|leave|rejoin|welcome|shares|fee|figures`, `coop print register` and
the desk's money reasons, end to end in-process on SQLite and PostgreSQL, in French, with the
commands' clock set by the test. The coop asks 10 shares of 10 € (standard) or 1 (solidarity),
in up to 3 instalments within 6 months, refunds after 1 year, and a 15 € yearly fee
(standard)."""

from __future__ import annotations

import getpass
import json
from datetime import date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from coop import paths
from coop.audit import AuditEntry
from coop.cli.main import main
from coop.clock import SHOP_TIMEZONE
from coop.db import make_engine
from coop.members.models import Member, MemberCard
from coop.members.share_models import FeePayment, ShareMovement
from coop.outbox import OutboxRow

CONFIG = """
[membership]
share_value = "10,00"
shares_required = {standard = 10, solidarity = 1}
instalments = 3
instalment_months = 6
refund_delay_years = 1
fees = {standard = "15,00"}

[shifts]
welcome_session_required = true
"""


@pytest.fixture
def cli(database_url, monkeypatch):
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text(CONFIG, encoding="utf-8")
    now = {"value": datetime(2026, 1, 10, 10, 30, tzinfo=SHOP_TIMEZONE)}
    from coop.cli import context as context_module
    from coop.cli import members_admin, shifts

    original = context_module.context_from

    def with_clock(args):
        context = original(args)
        context.clock = lambda: now["value"]
        return context

    monkeypatch.setattr(members_admin, "context_from", with_clock)
    monkeypatch.setattr(shifts, "context_from", with_clock)

    def run(*args: str) -> int:
        return main(["--lang", "fr", "--database", database_url, *args])

    def at(day: date) -> None:
        now["value"] = datetime(day.year, day.month, day.day, 10, 0, tzinfo=SHOP_TIMEZONE)

    run.at = at  # type: ignore[attr-defined]
    run.url = database_url  # type: ignore[attr-defined]
    assert run("init") == 0
    return run


def output(capsys) -> dict:
    text = capsys.readouterr().out
    return json.loads(text[text.index("{") :])


def count(cli, model) -> int:
    engine = make_engine(cli.url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(model))
    finally:
        engine.dispose()


def add(cli, first: str, last: str, *extra: str) -> int:
    return cli("members", "add", "--first-name", first, "--last-name", last, *extra)


def test_add_registers_member_household_and_card(cli, capsys):
    assert add(cli, "Hélène", "Dupont", "--email", "Helene@Example.org", "--json") == 0
    first = output(capsys)
    assert first["number"] == 1 and first["card"] == "0420000000013"
    assert add(cli, "Marc", "Dupont", "--household", "1", "--print-card", "--json") == 0
    second = output(capsys)
    assert second["main_member"] == 1 and second["card"] == "0420000000020"
    pdf = PdfReader(second["card_pdf"])
    assert "Marc Dupont" in pdf.pages[0].extract_text()
    assert cli("members", "update", "2", "--city", "Lyon", "--no-household", "--json") == 0
    assert output(capsys)["main_member"] is None


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("--first-name", " ", "--last-name", "Dupont"), "--first-name"),
        (("--first-name", "A", "--last-name", "B", "--email", "pas-une-adresse"), "email"),
        (("--first-name", "A", "--last-name", "B", "--household", "99"), "99"),
        (("--first-name", "A", "--last-name", "B", "--joined", "31/02/2026"), "--joined"),
        (("--first-name", "A", "--last-name", "B", "--category", "vip"), "vip"),
    ],
)
def test_bad_input_to_add_exits_2_names_the_field_and_writes_nothing(cli, capsys, args, field):
    capsys.readouterr()
    assert cli("members", "add", *args) == 2
    assert field in capsys.readouterr().err
    assert count(cli, Member) == 0 and count(cli, MemberCard) == 0


def test_instalments_then_extra_whole_shares(cli, capsys):
    add(cli, "Zoé", "Lefèvre")
    capsys.readouterr()
    assert cli("members", "shares", "pay", "1", "--amount", "30", "--means", "cheque") == 0
    assert cli("members", "shares", "pay", "1", "--amount", "30", "--means", "cash") == 0
    # the third instalment is the last one allowed: it must pay the 40 € still due
    assert cli("members", "shares", "pay", "1", "--amount", "30", "--means", "cash") == 2
    err = capsys.readouterr().err
    assert "--amount" in err and "40,00" in err
    assert count(cli, ShareMovement) == 2
    assert cli("members", "shares", "pay", "1", "--amount", "45", "--means", "card") == 2
    assert cli("members", "shares", "pay", "1", "--amount", "50", "--means", "card") == 0
    assert cli("members", "shares", "show", "1", "--json") == 0
    data = output(capsys)
    assert (data["shares"], data["paid_cents"], data["due_cents"]) == (11, 11000, 0)
    assert [m["amount_cents"] for m in data["movements"]] == [3000, 3000, 5000]
    assert count(cli, OutboxRow) == 3  # each payment queued for the accounts
    engine = make_engine(cli.url)
    with engine.connect() as connection:
        audited = connection.execute(
            select(AuditEntry.entity, AuditEntry.actor, AuditEntry.member_id).where(
                AuditEntry.action == "shares.payment"
            )
        ).all()
    engine.dispose()
    assert len(audited) == 3 and {row[0] for row in audited} == {"member"}
    assert {row[1] for row in audited} == {"cli:" + getpass.getuser()}


def test_bad_share_and_fee_inputs(cli, capsys):
    add(cli, "Zoé", "Lefèvre")
    capsys.readouterr()
    assert cli("members", "shares", "pay", "1", "--amount", "dix", "--means", "cash") == 2
    assert "--amount" in capsys.readouterr().err
    assert cli("members", "shares", "pay", "1", "--amount", "-5", "--means", "cash") == 2
    with pytest.raises(SystemExit) as exit_:
        cli("members", "shares", "pay", "1", "--amount", "5", "--means", "bitcoin")
    assert exit_.value.code == 2 and "--means" in capsys.readouterr().err
    assert cli("members", "shares", "pay", "7", "--amount", "5", "--means", "cash") == 2
    assert cli("members", "fee", "pay", "1", "--means", "cash", "--year", "1999") == 2
    assert "--year" in capsys.readouterr().err
    assert count(cli, ShareMovement) == 0 and count(cli, FeePayment) == 0


def test_desk_names_shares_and_fee_due_with_amounts(cli, capsys):
    add(cli, "Zoé", "Lefèvre", "--joined", "10/01/2026")
    assert cli("members", "shares", "pay", "1", "--amount", "30", "--means", "cash") == 0
    capsys.readouterr()
    assert cli("desk", "check", "1", "--json") == 0
    check = output(capsys)
    # within the six months: the shares only warn, the fee refuses
    assert not check["can_shop"]
    assert [r["code"] for r in check["reasons"]] == ["fee_unpaid"]
    assert "15,00" in check["reasons"][0]["text"]
    (share_warning,) = [w for w in check["warnings"] if w["code"] == "shares_due"]
    assert "70,00" in share_warning["text"] and "10/07/2026" in share_warning["text"]
    assert cli("members", "fee", "pay", "1", "--means", "cash") == 0
    assert cli("members", "fee", "pay", "1", "--means", "cash") == 2  # once a year
    cli.at(date(2026, 7, 11))
    capsys.readouterr()
    assert cli("desk", "check", "1", "--json") == 0
    check = output(capsys)
    assert not check["can_shop"] and check["status"] == "unpaid"
    assert [r["text"] for r in check["reasons"]] == ["Parts sociales non réglées : 70,00\xa0€ dus."]
    assert cli("members", "shares", "pay", "1", "--amount", "70", "--means", "cash") == 0
    capsys.readouterr()
    assert cli("desk", "check", "1", "--json") == 0
    assert output(capsys)["can_shop"]
    cli.at(date(2027, 1, 2))
    assert cli("desk", "check", "1", "--json") == 0
    check = output(capsys)
    assert [r["code"] for r in check["reasons"]] == ["fee_unpaid"]  # a new year, a new fee


def test_refund_is_requested_then_paid_after_the_delay_only(cli, capsys):
    add(cli, "Zoé", "Lefèvre", "--category", "solidarity")
    assert cli("members", "shares", "pay", "1", "--amount", "10", "--means", "cash") == 0
    assert cli("members", "shares", "refund-request", "1") == 2  # has not left
    assert cli("members", "leave", "1", "--on", "01/02/2026", "--reason", "départ") == 0
    assert cli("members", "shares", "refund", "1", "--means", "transfer") == 2  # not requested
    assert cli("members", "shares", "refund-request", "1", "--json") == 0
    assert output(capsys)["refundable_from"] == "2027-02-01"
    assert cli("members", "shares", "refund-request", "1") == 2  # once
    cli.at(date(2027, 1, 31))
    capsys.readouterr()
    assert cli("members", "shares", "refund", "1", "--means", "transfer") == 2
    err = capsys.readouterr().err  # a sentence about the member, not a "column “MEMBER_NO”"
    assert err.startswith("Membre 1") and "remboursées à partir du 01/02/2027" in err
    assert "MEMBER" not in err and "colonne" not in err
    cli.at(date(2027, 2, 1))
    assert cli("members", "shares", "refund", "1", "--means", "transfer", "--json") == 0
    data = output(capsys)
    assert data["paid_cents"] == 0
    assert [m["kind"] for m in data["movements"]] == ["payment", "refund_request", "refund"]


def test_leave_and_rejoin_from_the_command_line(cli, capsys):
    add(cli, "Zoé", "Lefèvre")
    assert cli("members", "leave", "1", "--reason", "  ") == 2
    assert "--reason" in capsys.readouterr().err
    assert cli("members", "leave", "1", "--on", "01/01/2020", "--reason", "x") == 2
    assert cli("members", "leave", "1", "--on", "01/03/2026", "--reason", "départ", "--json") == 0
    data = output(capsys)
    assert (data["left_on"], data["left_reason"], data["card"]) == ("2026-03-01", "départ", None)
    assert cli("members", "leave", "1", "--reason", "encore") == 2
    assert cli("members", "rejoin", "1", "--on", "01/02/2026") == 2  # before leaving
    assert cli("members", "rejoin", "1", "--on", "01/09/2026", "--json") == 0
    data = output(capsys)
    assert data["number"] == 1 and data["left_on"] is None
    assert data["card"] == "0421000000010"  # a new card, the next series of the same number
    assert count(cli, MemberCard) == 2


def test_welcome_session_required_before_booking(cli, capsys, tmp_path):
    add(cli, "Zoé", "Lefèvre")
    templates = tmp_path / "t.csv"
    templates.write_text(
        "code;name;week;weekday;start;end;seats;roles\nMAR;Mardi;;mardi;10:00;13:00;3;\n",
        encoding="utf-8",
    )
    assert cli("import", "shift-templates", str(templates)) == 0
    assert cli("shifts", "generate", "--from", "2026-01-12", "--to", "2026-01-18") == 0
    capsys.readouterr()
    assert cli("shifts", "list", "--json") == 0
    text = capsys.readouterr().out
    shift = json.loads(text[text.index("[") :])[0]["id"]
    assert cli("desk", "check", "1", "--json") == 0
    assert "no_welcome_session" in [w["code"] for w in output(capsys)["warnings"]]
    assert cli("shifts", "book", "1", str(shift)) == 2
    assert "welcome" in capsys.readouterr().err
    assert cli("members", "welcome", "1") == 0
    assert cli("shifts", "book", "1", str(shift)) == 0
    assert cli("desk", "check", "1", "--json") == 0
    assert "no_welcome_session" not in [w["code"] for w in output(capsys)["warnings"]]


def test_figures_at_a_date_and_the_register(cli, capsys, tmp_path):
    add(cli, "Éric", "Dumont", "--joined", "03/01/2019")
    add(cli, "Océane", "Renaud", "--joined", "05/02/2026")
    add(cli, "Léo", "Renaud", "--household", "2", "--joined", "05/02/2026")
    add(cli, "Ana", "Roux", "--joined", "01/06/2025")
    for number in ("1", "2"):
        assert cli("members", "shares", "pay", number, "--amount", "100", "--means", "cash") == 0
    assert cli("members", "fee", "pay", "1", "--means", "cheque") == 0
    cli.at(date(2026, 3, 1))
    assert cli("members", "leave", "4", "--on", "01/03/2026", "--reason", "départ") == 0
    capsys.readouterr()
    assert cli("members", "figures", "--at", "2026-02-01", "--json") == 0
    early = output(capsys)
    assert (early["members"], early["joined_this_year"], early["left_this_year"]) == (2, 0, 0)
    assert cli("members", "figures", "--at", "2026-03-01", "--json") == 0
    late = output(capsys)
    assert (late["members"], late["households"], late["joined_this_year"]) == (3, 2, 2)
    assert late["left_this_year"] == 1
    assert (late["shares"], late["capital_cents"]) == (20, 20000)
    assert late["shares_due_cents"] == 0  # Léo shops on Océane's shares; Ana left
    assert (late["fees_paid_this_year"], late["fees_cents_this_year"]) == (1, 1500)
    assert cli("members", "figures", "--at", "hier") == 2

    out = tmp_path / "registre.pdf"
    assert cli("print", "register", "--day", "2026-03-01", "--out", str(out)) == 0
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Registre des associés" in text
    assert "Ana Roux" in text and "01/03/2026" in text  # date out
    assert "100,00 €" in text
    rows = out.with_suffix(".csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "number;name;category;joined_on;left_on;shares;paid;movements"
    assert rows[4].startswith("4;Ana Roux;standard;01/06/2025;01/03/2026;0;")
    assert len(rows) == 5


def test_erasing_a_member_who_left_blanks_the_leaving_reason(cli, capsys):
    add(cli, "Zoé", "Lefèvre", "--joined", "01/01/2025")
    assert cli("members", "leave", "1", "--on", "01/01/2026", "--reason", "séparation") == 0
    assert cli("members", "export-data", "1") == 0
    assert output(capsys)["member"]["left_reason"] == "séparation"
    assert cli("members", "erase", "1", "--yes") == 0
    engine = make_engine(cli.url)
    with engine.connect() as connection:
        reason = connection.scalar(select(Member.left_reason))
        after = connection.scalar(
            select(AuditEntry.after).where(AuditEntry.action == "member.leave")
        )
    engine.dispose()
    assert reason is None
    assert after["left_reason"] != "séparation" and after["left_on"] == "2026-01-01"
