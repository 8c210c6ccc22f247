"""Staff use cases on SQLite and PostgreSQL: PINs set and checked, wrong tries counted and
locking, a member who left refused, coop roles granted and revoked with the right only, and the
gated actions of other contexts (erasure, grace, catalogue) refused without the right."""

from __future__ import annotations

import hashlib
import logging
import string
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from coop.audit import REFUSED, AuditEntry, record_refusal
from coop.catalog.exchange import import_products
from coop.config import MemberSettings
from coop.errors import InvalidInput
from coop.members import service as members
from coop.members.privacy import erase_member
from coop.rights import Actor, NotAllowed, Right, Role
from coop.shifts.models import ShiftSkill
from coop.staff import rules, service
from coop.staff.models import StaffPin, StaffRole

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture
def staff(session, actor, now):
    """Members 1 (administrator), 2 (cashier by shift skill), 3 (nothing), 9 (left) with PINs."""
    for number in (1, 2, 3, 9):
        members.create_member(
            session,
            actor=actor,
            now=now,
            settings=MemberSettings(),
            first_name=f"Prénom{number}",
            last_name=f"Nom{number}",
            number=number,
            joined_on=date(2025, 1, 1),
        )
    session.add(ShiftSkill(member_id=members.get_by_number(session, 2).id, role="cashier"))
    for number, pin in ((1, "4821"), (2, "6142"), (3, "3859"), (9, "5937")):
        service.set_pin(session, number, pin, actor=actor, now=now)
    service.change_role(session, 1, "administrator", grant=True, actor=actor, now=now)
    left = members.get_by_number(session, 9)
    members.update_member(session, left, {"left_on": date(2026, 10, 1)}, actor=actor, now=now)
    session.commit()
    return session


def _factory(session):
    """Sessions of their own (a log-in commits its wrong try), the test's transaction ended
    first (on SQLite it holds the writer's lock)."""
    session.commit()
    return sessionmaker(bind=session.get_bind(), expire_on_commit=False)


def test_a_pin_logs_in_with_the_roles_held(staff, now):
    admin = service.log_in(_factory(staff), "1", "4821", now=now)
    assert admin.member_number == 1 and admin.roles == frozenset({Role.ADMINISTRATOR})
    cashier = service.log_in(_factory(staff), "2", "6142", now=now)
    assert cashier.roles == frozenset({Role.CASHIER})
    card = members.active_card(staff, members.get_by_number(staff, 3))
    assert card is not None
    assert service.log_in(_factory(staff), card.barcode, "3859", now=now).member_number == 3


def test_the_pin_is_never_stored_nor_logged(staff, now, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(service.LoginRefused):
        service.log_in(_factory(staff), "1", "7777", now=now)
    service.log_in(_factory(staff), "1", "4821", now=now)
    stored = [row.pin_hash for row in staff.scalars(select(StaffPin))]
    assert stored
    hashed = set()
    for value in stored:
        # scrypt$n$r$p$salt$digest: the salt and digest are random hex, where any four digits
        # may turn up by chance; the PIN must be nowhere else, and the digest must be scrypt's
        scheme, n, r, p, salt, digest = value.split("$")
        assert scheme == "scrypt" and n.isdigit() and r.isdigit() and p.isdigit()
        assert len(salt) == 32 and set(salt + digest) <= set(string.hexdigits.lower())
        assert "4821" not in value.replace(salt, "").replace(digest, "")
        hashed.add(
            hashlib.scrypt(
                b"4821", salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), maxmem=2**26
            ).hex()
            == digest
        )
    assert True in hashed  # member 1's row holds scrypt of the PIN, not its digits
    entries = staff.scalars(select(AuditEntry)).all()
    for entry in entries:
        text = repr((entry.before, entry.after, entry.reason, entry.actor))
        assert "4821" not in text and "7777" not in text
    assert "4821" not in caplog.text and "7777" not in caplog.text


def test_wrong_tries_are_counted_lock_and_say_nothing_about_which(staff, now):
    factory = _factory(staff)
    messages = set()
    for _ in range(rules.MAX_TRIES):
        with pytest.raises(service.LoginRefused) as caught:
            service.log_in(factory, "1", "1357", now=now)
        messages.add(str(caught.value))
    with pytest.raises(service.LoginRefused) as unknown:
        service.log_in(factory, "777", "4821", now=now)  # no such member
    messages.add(str(unknown.value))
    assert len(messages) == 1  # the same sentence whether the card or the PIN was wrong
    with factory() as session:
        held = session.get(StaffPin, members.get_by_number(session, 1).id)
        assert held is not None and held.locked_until is not None
    with pytest.raises(service.LoginRefused):  # the right PIN, but locked
        service.log_in(factory, "1", "4821", now=now + timedelta(minutes=1))
    later = now + timedelta(minutes=rules.LOCK_MINUTES + 1)
    assert service.log_in(factory, "1", "4821", now=later).member_number == 1
    with factory() as session:
        refused = session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "staff.login_refused")
        )
    assert refused == rules.MAX_TRIES + 2


def test_a_member_who_left_cannot_log_in(staff, now):
    with pytest.raises(service.LoginRefused):
        service.log_in(_factory(staff), "9", "5937", now=now)


@pytest.mark.parametrize("pin", ["123", "0000", "1234"])
def test_weak_pins_are_refused_and_nothing_changes(staff, now, actor, pin):
    before = staff.get(StaffPin, members.get_by_number(staff, 3).id).pin_hash
    with pytest.raises(InvalidInput):
        service.set_pin(staff, 3, pin, actor=actor, now=now)
    staff.rollback()
    assert staff.get(StaffPin, members.get_by_number(staff, 3).id).pin_hash == before


def test_only_a_coordinator_sets_another_members_pin(staff, now):
    cashier = service.log_in(_factory(staff), "2", "6142", now=now)
    with pytest.raises(NotAllowed):
        service.set_pin(staff, 3, "2580", actor=cashier, now=now)
    staff.rollback()
    service.set_pin(staff, 2, "2580", actor=cashier, now=now)  # their own
    staff.commit()
    assert service.log_in(_factory(staff), "2", "2580", now=now).member_number == 2


def test_roles_change_with_the_right_only_and_are_audited(staff, now):
    cashier = service.log_in(_factory(staff), "2", "6142", now=now)
    with pytest.raises(NotAllowed) as caught:
        service.change_role(staff, 3, "treasurer", grant=True, actor=cashier, now=now)
    staff.rollback()
    assert staff.scalar(select(func.count(StaffRole.id))) == 1  # the administrator's only
    with _factory(staff)() as other, other.begin():
        record_refusal(other, caught.value, at=now)
    refusal = staff.scalar(select(AuditEntry).where(AuditEntry.action == REFUSED))
    assert refusal is not None and refusal.after == {"right": Right.CHANGE_ROLES.value}
    assert "Prénom2 Nom2" in refusal.actor
    admin = service.log_in(_factory(staff), "1", "4821", now=now)
    assert service.change_role(staff, 3, "treasurer", grant=True, actor=admin, now=now) == [
        "treasurer"
    ]
    assert service.change_role(staff, 3, "treasurer", grant=False, actor=admin, now=now) == []
    actions = staff.scalars(
        select(AuditEntry.action).where(AuditEntry.action.like("staff.role_%"))
    ).all()
    assert actions.count("staff.role_granted") == 2 and "staff.role_revoked" in actions
    with pytest.raises(InvalidInput):  # shift skills are not granted here
        service.change_role(staff, 3, "cashier", grant=True, actor=admin, now=now)


def test_erasure_needs_the_right(staff, now):
    cashier = service.log_in(_factory(staff), "2", "6142", now=now)
    left = members.get_by_number(staff, 9)
    with pytest.raises(NotAllowed):
        erase_member(staff, left, actor=cashier, now=now)
    staff.rollback()
    assert members.get_by_number(staff, 9).erased_at is None
    admin = service.log_in(_factory(staff), "1", "4821", now=now)
    assert erase_member(staff, members.get_by_number(staff, 9), actor=admin, now=now).erased_at


def test_catalogue_and_grace_need_the_right(staff, now):
    from coop.config import ShiftSettings
    from coop.shifts import desk

    cashier = service.log_in(_factory(staff), "2", "6142", now=now)
    with pytest.raises(NotAllowed) as caught:
        import_products(staff, SAMPLE / "products.csv", actor=cashier, now=now)
    assert caught.value.right is Right.EDIT_CATALOGUE
    with pytest.raises(NotAllowed) as caught:
        desk.grant_grace(
            staff,
            member_number=3,
            reason="malade",
            settings=ShiftSettings(),
            actor=cashier,
            now=now,
        )
    assert caught.value.right is Right.GRANT_GRACE


def test_the_staff_list(staff, now):
    rows = {row.number: row for row in service.list_staff(staff, now=now)}
    assert rows[1].roles == ("administrator",) and rows[1].has_pin
    assert rows[2].roles == ("cashier",)
    assert not rows[1].locked


def test_a_process_is_not_an_actor_with_rights(staff, now):
    with pytest.raises(NotAllowed):
        service.change_role(staff, 3, "treasurer", grant=True, actor=Actor("cli:x"), now=now)
