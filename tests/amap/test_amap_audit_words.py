"""The AMAP's audit entries in words (``coop.amap.audit_words`` given to the audit viewer), in
French: actions, fields, duty roles and places by their names, statuses, calendar rules, yes/no,
a list of dates, a factor, members by number and name; nothing the checker of untranslated
output (tests/docs/untranslated.py) flags, and no code left (``HANDOUT``, ``every_n_weeks``…)."""

from __future__ import annotations

from datetime import date

from coop.amap import absences, calendar, desk, lookup, rota, solidarity, subscriptions
from coop.amap.audit_words import AmapAuditWords
from coop.amap.subscriptions import SubscriptionIn
from coop.i18n import set_language
from coop.rights import Actor, Role
from coop.staff.audit_view import AuditFilter, entry_lines, list_entries
from tests.docs.untranslated import untranslated

READER = Actor("Leïla Fournier", member_number=3, roles=frozenset({Role.COORDINATOR}))
DAY = date(2026, 4, 14)


def _french_audit(session) -> str:
    set_language("fr")
    try:
        wanted = AuditFilter(action="amap.")
        lines = list_entries(session, wanted, reader=READER, words=[AmapAuditWords(session)])
        return "\n".join("\n".join(entry_lines(line)) for line in lines)
    finally:
        set_language("en")


def test_amap_entries_read_in_french_words(amap, actor, before_season, now):
    session = amap
    contract = lookup.contract(session, "LEG-26")
    sub = subscriptions.subscribe(
        session,
        SubscriptionIn(contract="LEG-26", member=4, place="GERLAND", lines=[("PP", 1)]),
        actor=actor,
        now=before_season,
    )
    absences.declare_absence(session, sub, date(2026, 4, 21), actor=actor, now=before_season)
    calendar.cancel(
        session, contract, date(2026, 6, 30), reason="fête", actor=actor, now=before_season
    )
    calendar.set_factor(
        session,
        contract,
        date(2026, 6, 23),
        factor=200,
        reason="x2",
        actor=actor,
        now=before_season,
    )
    rota.sign_up(session, DAY, "GERLAND", "HANDOUT", 3, actor=actor, now=now)
    desk.tick(session, desk.load(session, DAY, "GERLAND"), 4, actor=actor, now=now)
    solidarity.set_allow_negative(session, True, actor=actor, now=now)
    session.flush()

    text = _french_audit(session)

    # the role and the place by their names (the place's name is the fixture's "MJC Gerland")
    assert "inscription à une permanence de distribution" in text
    assert "rôle : Distribution des paniers" in text and "lieu : MJC Gerland" in text
    assert (
        "calendrier des livraisons créé" in text and "règle du calendrier : chaque semaine" in text
    )
    assert "dates ajoutées : 07/04/2026, 14/04/2026" in text
    assert "annulé : non" in text and "annulé : oui" in text and "motif : fête" in text
    assert "facteur : ×1" in text and "facteur : ×2" in text
    assert "absence déclarée" in text and "statut : absent" in text
    assert "souscription AMAP prise" in text and "statut : active" in text
    assert "paniers récupérés" in text
    member_4 = lookup.member(session, 4)
    assert f"adhérent : 4 {member_4.full_name}" in text
    assert "la caisse peut passer sous zéro : oui" in text
    assert "lieu : GERLAND" not in text  # the place's code shows only as the code it was given
    for code in ("HANDOUT", "weekly", "True", "False", "amap.", "place_id", "AMAP :"):
        assert code not in text, code
    assert untranslated(text) == []


def test_without_the_amap_words_the_viewer_still_reads_its_own(amap, actor, now):
    """The staff's viewer alone (no words given) names the domain, so nothing breaks."""
    solidarity.set_allow_negative(amap, True, actor=actor, now=now)
    lines = list_entries(amap, AuditFilter(action="amap.fund"), reader=READER)
    assert [line.action for line in lines] == ["AMAP: change"]


def test_coop_audit_list_gives_the_amap_words(
    amap, actor, before_season, now, database_url, capsys
):
    from coop.cli.main import main

    subscriptions.subscribe(
        amap,
        SubscriptionIn(contract="LEG-26", member=4, place="GERLAND", lines=[("PP", 1)]),
        actor=actor,
        now=before_season,
    )
    rota.sign_up(amap, DAY, "GERLAND", "HANDOUT", 3, actor=actor, now=now)
    amap.commit()
    assert (
        main(["--lang", "fr", "--database", database_url, "audit", "list", "--limit", "400"]) == 0
    )
    text = capsys.readouterr().out
    assert "inscription à une permanence de distribution" in text
    assert "rôle : Distribution des paniers" in text and "HANDOUT" not in text
    amap_lines = [line for line in text.splitlines() if "AMAP" in line or "lieu" in line]
    assert amap_lines and untranslated("\n".join(amap_lines)) == []
