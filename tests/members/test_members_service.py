"""Members, households, cards and search on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from stdnum import ean

from coop import audit
from coop.config import MemberSettings
from coop.errors import InvalidInput, NotFound
from coop.members import rules, search, service
from coop.members.models import MemberCard

SETTINGS = MemberSettings(max_household_size=3, card_prefix="042")


def add(session, now, actor, first, last, **kw):
    return service.create_member(
        session, actor=actor, now=now, settings=SETTINGS, first_name=first, last_name=last, **kw
    )


def test_create_issues_a_valid_card_and_audits(session, now, actor):
    member = add(session, now, actor, "Hélène", "Dupont", number=42, email="Helene@Example.org")
    card = service.active_card(session, member)
    assert card.barcode == "0420000000420"[:12] + ean.calc_check_digit("042000000042")
    assert ean.is_valid(card.barcode)
    assert member.email == "helene@example.org"
    assert member.joined_on == date(2026, 11, 21)
    actions = [e.action for e in audit.history(session, "member", member.id)]
    assert actions == ["member.create", "card.issue"]
    assert audit.history(session, "member", member.id)[0].actor == "test:cashier"


def test_bad_email_is_refused(session, now, actor):
    with pytest.raises(InvalidInput, match="e-mail"):
        add(session, now, actor, "Jean", "Martin", email="jean.martin@")


def test_duplicate_number_is_refused(session, now, actor):
    add(session, now, actor, "Jean", "Martin", number=7)
    with pytest.raises(InvalidInput, match="7"):
        add(session, now, actor, "Paul", "Martin", number=7)


def test_find_by_number_card_and_azerty_scan(session, now, actor):
    member = add(session, now, actor, "Zoé", "Lefèvre", number=12)
    barcode = service.active_card(session, member).barcode
    assert service.find(session, "12").members == [member]
    found = service.find(session, barcode)
    assert (found.by, found.members) == ("card", [member])
    shifted = barcode.translate(str.maketrans("1234567890", "&é\"'(-è_çà"))
    assert service.find(session, shifted).members == [member]
    with pytest.raises(NotFound):
        service.find(session, "999")


def test_name_search_is_accent_insensitive_and_ranks_exact_first(session, now, actor):
    add(session, now, actor, "Helene", "Dupond", number=1)
    target = add(session, now, actor, "Hélène", "Dupont", number=2)
    add(session, now, actor, "Hervé", "Dupuis", number=3)
    results = service.search_by_name(session, "helene dupont")
    assert results[0] == target
    assert service.search_by_name(session, "DUPONT Hélène")[0] == target
    assert service.search_by_name(session, "xyzzy quux") == []


def test_search_index_follows_renames(session, now, actor):
    member = add(session, now, actor, "Anaïs", "Roux", number=5)
    assert service.search_by_name(session, "anais roux")[0] == member
    service.update_member(session, member, {"last_name": "Garnier"}, actor=actor, now=now)
    assert service.search_by_name(session, "anais garnier")[0] == member
    assert search.name_index(session).names == ["anais garnier"]


def test_household_limit_and_no_chains(session, now, actor):
    main = add(session, now, actor, "Marie", "Curie", number=10)
    a = add(session, now, actor, "Pierre", "Curie", number=11, main_member=main)
    add(session, now, actor, "Irène", "Curie", number=12, main_member=main)
    assert [m.number for m in service.household(session, a)] == [10, 11, 12]
    with pytest.raises(InvalidInput, match="at most 3"):
        add(session, now, actor, "Ève", "Curie", number=13, main_member=main)
    assert session.scalar(select(func.count()).where(MemberCard.member_id.is_not(None))) == 3
    loner = add(session, now, actor, "Paul", "Langevin", number=20)
    with pytest.raises(InvalidInput, match="not a main member"):
        service.set_household(session, loner, a, actor=actor, now=now, settings=SETTINGS)


def test_lost_card_replacement_keeps_history(session, now, actor):
    member = add(session, now, actor, "Joël", "N'Diaye", number=77)
    first = service.active_card(session, member).barcode
    new = service.replace_lost_card(session, member, actor=actor, now=now, settings=SETTINGS)
    again = service.replace_lost_card(session, member, actor=actor, now=now, settings=SETTINGS)
    history = service.cards(session, member)
    assert [c.barcode for c in history] == [first, new.barcode, again.barcode]
    assert [c.end_reason for c in history] == ["lost", "lost", None]
    assert len({first, new.barcode, again.barcode}) == 3
    assert all(ean.is_valid(c.barcode) for c in history)
    lookup = service.find_by_card(session, first)
    assert lookup.member == member and not lookup.active


def test_one_active_card_is_enforced_by_the_database(session, now, actor):
    member = add(session, now, actor, "Luc", "Besson", number=3)
    session.add(
        MemberCard(
            member_id=member.id,
            barcode=rules.card_for_number("042", 3, series=5),
            issued_on=date(2026, 1, 1),
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_card_with_wrong_check_digit_is_refused(session, now, actor):
    member = add(session, now, actor, "Luc", "Besson", number=3)
    with pytest.raises(InvalidInput, match="check digit"):
        service.issue_card(session, member, "0420000000031", actor=actor, now=now)


@pytest.mark.parametrize(
    ("number", "series", "expected_body"),
    [(42, 0, "042000000042"), (42, 1, "042100000042"), (12345678, 9, "042912345678")],
)
def test_card_numbering(number, series, expected_body):
    barcode = rules.card_for_number("042", number, series)
    assert barcode[:12] == expected_body
    assert ean.is_valid(barcode)


def test_card_numbering_refuses_numbers_that_do_not_fit():
    with pytest.raises(ValueError):
        rules.card_for_number("042", 123_456_789)
