"""Prepaid accounts and member invoices, on SQLite and PostgreSQL; figures worked out by hand."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.accounts import invoicing, rules, service
from coop.accounts.models import AccountMovement, Invoice
from coop.audit import Actor
from coop.config import AccountSettings, MemberSettings
from coop.db import make_engine
from coop.errors import InvalidInput
from coop.members import service as members

SETTINGS = AccountSettings()
FIVE = Decimal("5.5")


@pytest.fixture
def people(session, actor, now):
    for number in (1, 2):
        members.create_member(
            session,
            actor=actor,
            now=now,
            settings=MemberSettings(),
            first_name=f"P{number}",
            last_name="Test",
            number=number,
            joined_on=date(2025, 1, 1),
        )
    members.create_member(
        session,
        actor=actor,
        now=now,
        settings=MemberSettings(),
        first_name="Associé",
        last_name="Test",
        number=3,
        joined_on=date(2025, 1, 1),
        main_member=members.get_by_number(session, 1),
    )
    return session


def top_up(session, actor, now, number, cents, means="transfer"):
    return service.top_up(
        session,
        member_number=number,
        amount_cents=cents,
        means=means,
        settings=SETTINGS,
        actor=actor,
        now=now,
    )


def test_top_up_withdraw_adjust_and_the_ledger(people, actor, now):
    session = people
    top_up(session, actor, now, 1, 5000)
    top_up(session, actor, now, 3, 1000)  # an associated person tops up the household's account
    account = service.withdraw(
        session,
        member_number=1,
        amount_cents=1500,
        means="cash",
        reason="départ",
        settings=SETTINGS,
        actor=actor,
        now=now,
    )
    assert account.balance_cents == 4500
    with pytest.raises(service.AccountRefused):
        service.withdraw(
            session,
            member_number=1,
            amount_cents=4501,
            means="cash",
            reason="trop",
            settings=SETTINGS,
            actor=actor,
            now=now,
        )
    with pytest.raises(InvalidInput):
        service.adjust(
            session,
            member_number=1,
            amount_cents=-100,
            reason=" ",
            settings=SETTINGS,
            actor=actor,
            now=now,
        )
    with pytest.raises(service.AccountRefused):  # would go below zero without an overdraft
        service.adjust(
            session,
            member_number=1,
            amount_cents=-4600,
            reason="erreur de saisie",
            settings=SETTINGS,
            actor=actor,
            now=now,
        )
    service.set_overdraft(
        session, member_number=1, overdraft_cents=200, reason="accord", actor=actor, now=now
    )
    service.adjust(
        session,
        member_number=1,
        amount_cents=-4600,
        reason="erreur de saisie",
        settings=SETTINGS,
        actor=actor,
        now=now,
    )
    account, movements = service.statement(session, members.get_by_number(session, 3))
    assert account is not None and account.balance_cents == -100
    assert [(m.kind, m.amount_cents, m.balance_after_cents) for m in reversed(movements)] == [
        ("top_up", 5000, 5000),
        ("top_up", 1000, 6000),
        ("withdrawal", -1500, 4500),
        ("adjustment", -4600, -100),
    ]
    assert service.ledger_matches_cache(session) == []


def test_an_invoice_prices_include_vat(people, actor, now):
    session = people
    top_up(session, actor, now, 1, 5000)
    # Carrots 2,500 kg × 2,40 €/kg = 6,00; oil 2 × 7,45 = 14,90 (both 5,5 %);
    # soap 3 × 3,99 = 11,97 (20 %).
    # 5,5 %: 20,90 incl. → 20,90 / 1,055 = 19,810… → 19,81 excl., 1,09 VAT
    # 20 %: 11,97 incl. → 9,975 → 9,98 excl. (half up), 1,99 VAT. Total 32,87.
    invoice = invoicing.issue_invoice(
        session,
        member_number=3,
        lines=[
            invoicing.invoice_line("Carottes", 2500, 240, FIVE, weighed=True),
            invoicing.invoice_line("Huile d'olive", 2, 745, FIVE),
            invoicing.invoice_line("Savon", 3, 399, Decimal(20)),
        ],
        reference="Commande groupée mars",
        settings=SETTINGS,
        actor=actor,
        now=now,
    )
    assert invoice.code == "FA-000001" and invoice.member_id == members.get_by_number(session, 1).id
    view = invoicing.view(session, invoice).as_dict()
    assert [(v["rate"], v["excl_vat_cents"], v["vat_cents"]) for v in view["vat"]] == [
        ("5.5", 1981, 109),
        ("20", 998, 199),
    ]
    assert (invoice.excl_vat_cents, invoice.vat_cents, invoice.incl_vat_cents) == (2979, 308, 3287)
    assert [line["incl_vat_cents"] for line in view["lines"]] == [600, 1490, 1197]
    account = service.get_account(session, members.get_by_number(session, 1))
    assert account.balance_cents == 5000 - 3287


def test_an_invoice_prices_exclude_vat():
    totals = rules.price_invoice(
        [rules.InvoiceLineIn("Riz 5 kg", 2, 617, FIVE)], prices_include_vat=False
    )
    # 2 × 6,17 = 12,34 excl.; VAT 0,6787 → 0,68; 13,02 incl.
    assert (totals.excl_vat_cents, totals.vat_cents, totals.incl_vat_cents) == (1234, 68, 1302)


def test_gapless_numbers_and_credit_notes_in_their_own_series(people, actor, now):
    session = people
    top_up(session, actor, now, 1, 10000)
    lines = [
        invoicing.invoice_line("Carottes", 2500, 240, FIVE, weighed=True),
        invoicing.invoice_line("Savon", 3, 399, Decimal(20)),
    ]
    first = invoicing.issue_invoice(
        session, member_number=1, lines=lines, settings=SETTINGS, actor=actor, now=now
    )
    second = invoicing.issue_invoice(
        session,
        member_number=2,
        lines=lines[1:],
        charge=False,
        settings=SETTINGS,
        actor=actor,
        now=now,
    )
    assert (first.code, second.code) == ("FA-000001", "FA-000002")
    # 1 kg of the 2,5 kg of carrots (6,00 €): 6,00 × 1 / 2,5 = 2,40
    note = invoicing.issue_credit_note(
        session,
        invoice_code="FA-000001",
        quantities={1: 1000},
        reason="carottes abîmées",
        settings=SETTINGS,
        actor=actor,
        now=now,
    )
    assert note.code == "AV-000001" and note.incl_vat_cents == 240
    # the rest of the invoice: 1,5 kg of carrots (6,00 − 2,40 = 3,60) and the soaps 11,97
    rest = invoicing.issue_credit_note(
        session,
        invoice_code="fa1",
        reason="commande annulée",
        settings=SETTINGS,
        actor=actor,
        now=now,
    )
    assert rest.code == "AV-000002" and rest.incl_vat_cents == 360 + 1197
    assert note.incl_vat_cents + rest.incl_vat_cents == first.incl_vat_cents
    with pytest.raises(InvalidInput, match="already credited"):
        invoicing.issue_credit_note(
            session,
            invoice_code="FA-000001",
            reason="encore",
            settings=SETTINGS,
            actor=actor,
            now=now,
        )
    account = service.get_account(session, members.get_by_number(session, 1))
    assert account.balance_cents == 10000  # charged, then credited back in full
    third = invoicing.issue_invoice(
        session,
        member_number=2,
        lines=lines[1:],
        charge=False,
        settings=SETTINGS,
        actor=actor,
        now=now,
    )
    assert third.code == "FA-000003"


def test_refusals_write_nothing(people, actor, now):
    session = people
    top_up(session, actor, now, 1, 1000)
    with pytest.raises(service.AccountRefused):
        invoicing.issue_invoice(
            session,
            member_number=1,
            lines=[invoicing.invoice_line("Panier", 1, 1001, FIVE)],
            settings=SETTINGS,
            actor=actor,
            now=now,
        )
    with pytest.raises(InvalidInput, match="VAT rate"):
        invoicing.invoice_line("Panier", 1, 100, Decimal(7))
    with pytest.raises(InvalidInput, match="more than zero"):
        invoicing.invoice_line("Panier", 0, 100, FIVE)
    with pytest.raises(InvalidInput, match="at least one line"):
        invoicing.issue_invoice(
            session, member_number=1, lines=[], settings=SETTINGS, actor=actor, now=now
        )
    assert session.scalar(select(Invoice.id)) is None
    assert len(session.scalars(select(AccountMovement)).all()) == 1


def test_credit_note_parts_add_up_to_the_line():
    """A 10,00 € line of 3 pieces credited one piece at a time gives back 3,33, 3,34, 3,33:
    cumulative shares round(10 × 1/3) = 3,33, round(10 × 2/3) = 6,67, then 10,00 — never a
    cent more than invoiced."""
    totals = rules.price_invoice([rules.InvoiceLineIn("Lot de 3 fromages", 1, 1000, FIVE)])
    lot = rules.PricedLine(
        rules.InvoiceLineIn("Lot de 3 fromages", 3, 333, FIVE),
        totals.lines[0].excl_vat_cents,
        totals.lines[0].vat_cents,
    )
    invoice = rules.InvoiceTotals((lot,), totals.vat, True)
    credited: dict[int, int] = {}
    amounts = []
    for _ in range(3):
        note = rules.price_credit_note(invoice, {1: 1}, credited)
        amounts.append(note.incl_vat_cents)
        credited[1] = credited.get(1, 0) + 1
    assert amounts == [333, 334, 333] and sum(amounts) == 1000
    with pytest.raises(rules.InvoiceRuleError):
        rules.price_credit_note(invoice, {1: 1}, credited)


def test_invoice_numbers_stay_gapless_with_two_writers(postgres_database_url, now):
    engine = make_engine(postgres_database_url)
    actor = Actor("test")
    with Session(engine) as session, session.begin():
        for number in (1, 2):
            members.create_member(
                session,
                actor=actor,
                now=now,
                settings=MemberSettings(),
                first_name="P",
                last_name=str(number),
                number=number,
                joined_on=date(2025, 1, 1),
            )
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            barrier.wait()
            for _ in range(10):
                with Session(engine) as session, session.begin():
                    invoicing.issue_invoice(
                        session,
                        member_number=number,
                        lines=[invoicing.invoice_line("Panier", 1, 1200, FIVE)],
                        charge=False,
                        settings=SETTINGS,
                        actor=actor,
                        now=now,
                    )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    with Session(engine) as session:
        numbers = session.scalars(select(Invoice.number).order_by(Invoice.number)).all()
    assert numbers == list(range(1, 21))
    engine.dispose()


def test_movements_and_invoices_name_who_authorised_them(people, now):
    from coop.accounts.verify import verify_accounts

    session = people
    cashier = Actor("Zoé Arnaud", member_number=7)
    both = cashier.with_second(Actor("Thérèse Lebrun", member_number=4))
    expected = "Zoé Arnaud (n° 7), authorised by Thérèse Lebrun (n° 4)"
    top_up(session, both, now, 1, 5000)
    invoice = invoicing.issue_invoice(
        session,
        member_number=1,
        lines=[invoicing.invoice_line("Savon", 1, 399, Decimal(20))],
        reference=None,
        settings=SETTINGS,
        actor=both,
        now=now,
    )
    service.withdraw(
        session,
        member_number=1,
        amount_cents=100,
        means="cash",
        reason="rendu",
        settings=SETTINGS,
        actor=cashier,
        now=now,
    )
    assert invoice.created_by == expected
    rows = session.scalars(select(AccountMovement).order_by(AccountMovement.seq)).all()
    # the top-up, the invoice's charge (movements.py), the withdrawal by one person
    assert [row.actor for row in rows] == [expected, expected, "Zoé Arnaud (n° 7)"]
    assert verify_accounts(session).ok  # the hash chains the very text written
