"""A member's own PIN at the welcome desk (``coop.staff.desk_pin``), on SQLite and PostgreSQL:
a first PIN with the card alone; a change only with the old PIN (a wrong one counted) or a
reset authorised on the spot by someone holding the right (both names audited; a cashier's
authorisation refused and the refusal audited); the PIN rules with a sentence each."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from coop.audit import REFUSED, AuditEntry
from coop.config import MemberSettings
from coop.errors import CoopError
from coop.members import service as members
from coop.rights import NotAllowed
from coop.staff import service
from coop.staff.desk_pin import DifferentPins, OldPinNeeded, WeakPin, change_own_pin
from coop.staff.models import StaffPin
from coop.staff.service import LoginRefused
from tests.staff.test_staff_service import _factory


def _entries(factory, action: str) -> list[AuditEntry]:
    with factory() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _failed_tries(factory, number: int) -> int:
    with factory() as session:
        member = members.get_by_number(session, number)
        held = session.get(StaffPin, member.id)
        assert held is not None
        return held.failed_tries


@pytest.fixture
def newcomer(staff, actor, now):
    """Member 5, no PIN yet."""
    members.create_member(
        staff,
        actor=actor,
        now=now,
        settings=MemberSettings(),
        first_name="Nina",
        last_name="Neuve",
        number=5,
        joined_on=date(2025, 1, 1),
    )
    return _factory(staff)


def test_a_first_pin_with_the_card_alone(newcomer, now):
    changed = change_own_pin(newcomer, "5", "2468", "2468", now=now)
    assert changed.first and changed.authorised_by is None and changed.name == "Nina Neuve"
    assert service.log_in(newcomer, "5", "2468", now=now).member_number == 5
    (entry,) = _entries(newcomer, "staff.pin_set")[-1:]
    assert entry.actor == "Nina Neuve (n° 5)" and entry.entity_id == "5"
    assert "2468" not in repr((entry.before, entry.after, entry.reason))


@pytest.mark.parametrize(
    ("pin", "said"),
    [
        ("123", "4 to 12 digits"),
        ("0000", "repeat one digit"),
        ("3456", "run of digits"),
        ("12a4", "digits only"),
    ],
)
def test_weak_pins_are_refused_with_a_sentence(newcomer, now, pin, said):
    with pytest.raises(WeakPin) as refused:
        change_own_pin(newcomer, "5", pin, pin, now=now)
    assert said in str(refused.value)
    with newcomer() as session:
        assert session.get(StaffPin, members.get_by_number(session, 5).id) is None


def test_the_two_new_pins_must_agree(newcomer, now):
    with pytest.raises(DifferentPins):
        change_own_pin(newcomer, "5", "2468", "2469", now=now)


def test_a_change_asks_the_old_pin_and_counts_a_wrong_one(staff, now):
    factory = _factory(staff)
    with pytest.raises(OldPinNeeded):
        change_own_pin(factory, "3", "2580", "2580", now=now)
    with pytest.raises(LoginRefused):
        change_own_pin(factory, "3", "2580", "2580", old_pin="1111", now=now)
    assert _failed_tries(factory, 3) == 1
    assert service.log_in(factory, "3", "3859", now=now).member_number == 3  # unchanged
    changed = change_own_pin(factory, "3", "2580", "2580", old_pin="3859", now=now)
    assert not changed.first
    assert service.log_in(factory, "3", "2580", now=now).member_number == 3
    assert _entries(factory, "staff.pin_reset")[-1].actor == "Prénom3 Nom3 (n° 3)"


def test_a_forgotten_pin_reset_by_a_coordinator_names_both(staff, now):
    factory = _factory(staff)
    administrator = service.log_in(factory, "1", "4821", now=now)
    changed = change_own_pin(factory, "3", "2580", "2580", authoriser=administrator, now=now)
    assert changed.authorised_by == "Prénom1 Nom1 (n° 1)"
    assert service.log_in(factory, "3", "2580", now=now).member_number == 3
    entry = _entries(factory, "staff.pin_reset")[-1]
    assert "Prénom3 Nom3 (n° 3)" in entry.actor and "Prénom1 Nom1 (n° 1)" in entry.actor


def test_a_cashier_may_not_authorise_a_reset(staff, now):
    factory = _factory(staff)
    cashier = service.log_in(factory, "2", "6142", now=now)
    with pytest.raises(NotAllowed):
        change_own_pin(factory, "3", "2580", "2580", authoriser=cashier, now=now)
    assert service.log_in(factory, "3", "3859", now=now).member_number == 3  # unchanged
    (refusal,) = _entries(factory, REFUSED)
    assert refusal.entity_id == "3" and "Prénom2 Nom2" in refusal.actor


def test_a_member_who_left_or_an_unknown_card(staff, now):
    factory = _factory(staff)
    for card in ("9", "4242"):
        with pytest.raises(CoopError, match="not the card or number of a current member"):
            change_own_pin(factory, card, "2580", "2580", now=now)
