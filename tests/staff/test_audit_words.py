"""The audit viewer in words (``coop.staff.audit_view``), in French: the demo's actor, a fee
paid by cheque, a day kept as ISO text, a category-free role list; nothing the checker of
untranslated output (tests/docs/untranslated.py) would flag."""

from __future__ import annotations

from coop import audit
from coop.i18n import set_language
from coop.rights import Actor, Role
from coop.staff.audit_view import AuditFilter, entry_lines, list_entries
from tests.docs.untranslated import untranslated

READER = Actor("Leïla Fournier", member_number=3, roles=frozenset({Role.COORDINATOR}))


def test_demo_entries_and_a_fee_read_in_french(session, now):
    audit.record(
        session,
        actor=Actor("demo"),
        at=now,
        action="fee.payment",
        entity="member",
        entity_id=1,
        after={"year": 2026, "amount_cents": 1500, "means": "cheque", "ends_on": "2026-11-23"},
    )
    audit.record(
        session,
        actor=Actor("demo"),
        at=now,
        action="staff.role_granted",
        entity="member",
        entity_id=1,
        before={"roles": []},
        after={"roles": ["coordinator"]},
    )
    set_language("fr")
    try:
        lines = list_entries(session, AuditFilter(), reader=READER)
        text = "\n".join("\n".join(entry_lines(line)) for line in lines)
    finally:
        set_language("en")
    assert {line.actor for line in lines} == {"démo"}
    assert "cotisation annuelle payée" in text and "payé par : chèque" in text
    assert "23/11/2026" in text and "aucun rôle" in text and "coordinateur" in text
    assert "cheque" not in text and "demo " not in text
    assert untranslated(text) == []


def test_a_monthly_closure_reads_in_french(session, now):
    audit.record(
        session,
        actor=Actor("demo"),
        at=now,
        action="till.month_closure",
        entity="till_closure",
        entity_id=1,
        after={
            "till": "CAISSE-1",
            "start": "2026-11-01",
            "end": "2026-11-30",
            "total_cents": 123456,
            "perpetual_cents": 654321,
        },
    )
    set_language("fr")
    try:
        [line] = list_entries(session, AuditFilter(action="till."), reader=READER)
    finally:
        set_language("en")
    assert line.action == "clôture mensuelle faite"
    assert "début le : 01/11/2026; fin le : 30/11/2026" in line.after
    turnover = line.after.split("chiffre d'affaires TTC : ")[1].split(";")[0]
    assert turnover.replace("\u202f", " ").replace("\u00a0", " ") == "1 234,56 €"
    assert "grand total perpétuel" in line.after and "perpetual" not in line.after


def test_a_shift_attendance_reads_in_french(session, now):
    """The coordinator's audit viewer (Ctrl+J) showed "état : pending", "shift : 166",
    "day : …": the codes and the English keys of the entry."""
    audit.record(
        session,
        actor=Actor("demo"),
        at=now,
        action="shift.attendance",
        entity="member",
        entity_id=1,
        before={"state": "pending"},
        after={"state": "excused", "shift": 166, "day": "2026-12-22"},
        reason="Inventaire annuel",
    )
    set_language("fr")
    try:
        [line] = list_entries(session, AuditFilter(action="shift."), reader=READER)
    finally:
        set_language("en")
    assert line.before == "état : inscrit"
    assert "excused" not in line.after and "excusé" in line.after
    assert "créneau : 166" in line.after and "jour : 22/12/2026" in line.after
    assert untranslated(line.before + "\n" + line.after) == []
