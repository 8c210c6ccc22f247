"""Pure rules: the role table, a second person's authorisation, which PINs are acceptable, the
hash and the lock after five wrong tries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coop.rights import Actor, NotAllowed, Right, Role, holds, require
from coop.staff import rules

CASHIER = Actor("Léa", member_number=7, roles=frozenset({Role.CASHIER}))
LEADER = Actor("Karim", member_number=4, roles=frozenset({Role.SHIFT_LEADER}))


@pytest.mark.parametrize(
    ("role", "right", "held"),
    [
        (Role.CASHIER, Right.SELL, True),
        (Role.CASHIER, Right.REFUND, False),
        (Role.CASHIER, Right.OVERRIDE_REFUSAL, False),
        (Role.SHIFT_LEADER, Right.DISCOUNT_ABOVE_LIMIT, True),
        (Role.SHIFT_LEADER, Right.CLOSE_WITH_DIFFERENCE, False),
        (Role.TREASURER, Right.CLOSE_WITH_DIFFERENCE, True),
        (Role.TREASURER, Right.ERASE_MEMBER, False),
        (Role.COORDINATOR, Right.GRANT_GRACE, True),
        (Role.COORDINATOR, Right.CHANGE_ROLES, False),
        (Role.COORDINATOR, Right.MANAGE_SKILLS, True),
        (Role.SHIFT_LEADER, Right.MANAGE_SKILLS, False),
        (Role.ADMINISTRATOR, Right.CHANGE_ROLES, True),
        (Role.ADMINISTRATOR, Right.ERASE_MEMBER, True),
    ],
)
def test_the_role_table(role, right, held):
    assert holds(Actor("x", roles=frozenset({role})), right) is held


def test_a_process_without_a_role_holds_nothing():
    assert not any(holds(Actor("cli:root"), right) for right in Right)


def test_a_second_person_lends_their_rights_and_both_are_named():
    with pytest.raises(NotAllowed) as caught:
        require(CASHIER, Right.REFUND)
    assert "Léa" in str(caught.value) and "shift leader" in str(caught.value)
    both = CASHIER.with_second(LEADER)
    require(both, Right.REFUND)
    assert "Léa (n° 7)" in both.label and "Karim (n° 4)" in both.label


@pytest.mark.parametrize(
    "pin", ["123", "0000", "1111", "1234", "9876", "7890", "3210", "12a4", "１２３４", "1" * 13]
)
def test_weak_or_malformed_pins_are_refused(pin):
    assert rules.pin_problem(pin) is not None


@pytest.mark.parametrize("pin", ["4821", "2468", "1235", "0912", "735901"])
def test_acceptable_pins(pin):
    assert rules.pin_problem(pin) is None


def test_the_hash_is_salted_slow_and_never_the_pin():
    first, second = rules.hash_pin("4821"), rules.hash_pin("4821")
    assert first != second  # a fresh salt each time
    assert "4821" not in first
    assert first.startswith(f"scrypt${rules.SCRYPT_N}$")
    assert rules.pin_matches("4821", first) and rules.pin_matches("4821", second)
    assert not rules.pin_matches("4822", first)
    assert not rules.pin_matches("4821", "garbage")


def test_the_fifth_wrong_try_locks_for_a_while():
    now = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    tries = 0
    for _ in range(rules.MAX_TRIES - 1):
        outcome = rules.after_wrong_try(tries, now)
        assert outcome.locked_until is None
        tries = outcome.failed_tries
    locked = rules.after_wrong_try(tries, now)
    assert locked.locked_until == now + timedelta(minutes=rules.LOCK_MINUTES)
    assert rules.is_locked(locked.locked_until, now + timedelta(minutes=rules.LOCK_MINUTES - 1))
    assert not rules.is_locked(locked.locked_until, now + timedelta(minutes=rules.LOCK_MINUTES))


def test_the_dummy_hash_is_a_real_hash_with_todays_cost():
    # written out in the module (no scrypt at import); it must stay a hash of the same cost as
    # a real PIN's, so that refusing an unknown card takes as long as a wrong PIN
    assert rules.hash_pin("0", salt=b"\0" * 16) == rules.DUMMY_HASH
    assert rules.pin_matches("0", rules.DUMMY_HASH)
