"""Member cards (EAN-13 checked before printing) and the paper list of who may shop; the
volunteer-hours attestation."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coop.clock import SHOP_TIMEZONE
from coop.config import load_settings
from coop.db import make_engine
from coop.errors import InvalidInput
from coop.members.documents import member_cards
from coop.members.models import Member, MemberCard
from coop.shifts.documents import hours_attestation, hours_text, status_list

from .conftest import NOW, page_texts, pages, pdf_text


def _session(cli) -> Session:
    return Session(make_engine(cli.url))


def test_cards_data_sorted_and_checked(cli):
    settings = load_settings(database_url=cli.url)
    with _session(cli) as session:
        sheet = member_cards(
            session, [3, 1, 2], settings=settings, printed_at=NOW, today=NOW.date()
        )
    # Dumont, Fournier, Renaud: by last name, accents ignored
    assert [(c.number, c.name, c.barcode) for c in sheet.cards] == [
        (1, "Éric Dumont", "0420000000013"),
        (3, "Leïla Fournier", "0420000000037"),
        (2, "Océane Renaud", "0420000000020"),
    ]
    with _session(cli) as session:
        everyone = member_cards(session, None, settings=settings, printed_at=NOW, today=NOW.date())
    from coop.members.models import Member
    from coop.text import fold

    with _session(cli) as session:
        names = dict(
            session.execute(select(Member.number, Member.last_name + " " + Member.first_name)).all()
        )
    names = [names[card.number] for card in everyone.cards]
    assert names == sorted(names, key=fold) and len(names) > 200
    assert fold(names[0]) < fold(names[-1])


def test_an_invalid_card_code_refuses_the_sheet(cli, tmp_path):
    with _session(cli) as session:
        session.execute(
            update(MemberCard)
            .where(MemberCard.barcode == "0420000000020")
            .values(barcode="0420000000021")  # wrong check digit
        )
        session.commit()
        with pytest.raises(InvalidInput, match="0420000000021 is not a valid EAN-13"):
            member_cards(
                session,
                [1, 2],
                settings=load_settings(database_url=cli.url),
                printed_at=NOW,
                today=NOW.date(),
            )
    target = tmp_path / "cartes.pdf"
    code, _out, err = cli.out("print", "cards", "1", "2", "--out", str(target))
    assert code == 2 and "member 2 (Océane Renaud)" in err
    assert not target.exists()
    code, _out, err = cli.out("print", "cards", "99999", "--out", str(target))
    assert code == 2 and not target.exists()


def test_cards_pdf(cli, tmp_path):
    target = tmp_path / "cartes.pdf"
    assert cli("print", "cards", "1", "2", "3", "--out", str(target)) == 0
    assert pages(target) == 1
    text = pdf_text(target)
    assert text.index("Éric Dumont") < text.index("Leïla Fournier") < text.index("Océane Renaud")
    assert "Member no. 3" in text
    assert "420000 000037" in text  # the digits under the bars are the stored code's
    all_cards = tmp_path / "toutes.pdf"
    code, out, _err = cli.out("print", "cards", "--out", str(all_cards), "--json")
    assert code == 0
    written = __import__("json").loads(out)[0]
    with _session(cli) as session:
        count = len(
            member_cards(
                session,
                None,
                settings=load_settings(database_url=cli.url),
                printed_at=NOW,
                today=NOW.date(),
            ).cards
        )
    assert written["pages"] == pages(all_cards) == -(-count // 10)  # ten cards a page


def test_status_list_uses_the_desk_verdict(cli, tmp_path):
    # Member 1 leaves: not on the list. Member 5 is associated with member 4.
    with _session(cli) as session:
        session.execute(update(Member).where(Member.number == 1).values(left_on=date(2026, 11, 1)))
        session.commit()
    assert cli("shifts", "generate", "--from", "2026-11-23", "--to", "2026-11-29") == 0
    shifts = cli.data("shifts", "list", "--from", "2026-11-24", "--to", "2026-11-24")
    assert cli("shifts", "book", "3", str(shifts[0]["id"])) == 0
    cli.at(datetime(2026, 11, 24, 14, 0, tzinfo=SHOP_TIMEZONE))
    assert cli("shifts", "attend", str(shifts[0]["id"]), "3", "--state", "missed") == 0
    later = date(2027, 3, 1)
    assert cli("shifts", "run", "--today", later.isoformat()) == 0
    settings = load_settings(database_url=cli.url)
    with _session(cli) as session:
        listing = status_list(session, later, settings=settings, printed_at=NOW)
        from coop.shifts import desk

        verdict = desk.check(
            session,
            "3",
            at=datetime(2027, 3, 1, 12, tzinfo=SHOP_TIMEZONE),
            settings=settings.shifts,
        )
    rows = {row.number: row for row in listing.rows}
    assert 1 not in rows
    assert rows[3].can_shop is verdict.can_shop is False
    assert rows[3].status == verdict.status_text
    assert rows[3].note == verdict.counters_text
    assert rows[5].note.startswith("shops with Thérèse Lebrun (no. 4)")
    assert rows[5].can_shop == rows[4].can_shop
    assert [row.name for row in listing.rows] == sorted(
        (row.name for row in listing.rows), key=lambda n: __import__("coop.text").text.fold(n)
    )
    assert listing.may_shop == sum(row.can_shop for row in listing.rows)
    target = tmp_path / "liste.pdf"
    assert cli("print", "status-list", "--day", "2027-03-01", "--out", str(target)) == 0
    texts = page_texts(target)
    assert len(texts) == pages(target) >= 2
    assert all("No. Name Card May shop Status To tell them" in text for text in texts)
    assert "Fournier Leïla" in " ".join(texts)
    assert f"{listing.may_shop} of {len(listing.rows)} people may shop" in texts[0]


def test_hours_attestation(cli, tmp_path):
    assert cli("shifts", "generate", "--from", "2026-11-23", "--to", "2026-11-29") == 0
    shifts = cli.data("shifts", "list", "--from", "2026-11-24", "--to", "2026-11-25")
    tuesday, wednesday = shifts[0], shifts[2]
    for shift in (tuesday, wednesday):
        assert cli("shifts", "book", "3", str(shift["id"])) == 0
    cli.at(datetime(2026, 11, 25, 20, 0, tzinfo=SHOP_TIMEZONE))
    for shift in (tuesday, wednesday):
        assert cli("shifts", "attend", str(shift["id"]), "3", "--state", "attended") == 0
    settings = load_settings(database_url=cli.url)
    with _session(cli) as session:
        document = hours_attestation(
            session, 3, date(2026, 11, 1), date(2026, 11, 30), settings=settings, printed_at=NOW
        )
        assert document.total_minutes == 6 * 60 and len(document.shifts) == 2
        assert document.address == ("88 Grande Rue de la Guillotière", "69007 Lyon")
        assert document.signed_at == "Lyon"
        only_tuesday = hours_attestation(
            session,
            3,
            date(2026, 11, 24),
            date(2026, 11, 24),
            settings=settings,
            printed_at=NOW,
        )
        assert only_tuesday.total_minutes == 180
    assert hours_text(450) == "7\u00a0h\u00a030"
    target = tmp_path / "attestation.pdf"
    assert (
        cli(
            "--lang",
            "fr",
            "print",
            "attestation",
            "3",
            "--from",
            "01/11/2026",
            "--to",
            "30/11/2026",
            "--out",
            str(target),
        )
        == 0
    )
    text = pdf_text(target)
    assert pages(target) == 1
    assert "Attestation de bénévolat" in text
    assert "Leïla Fournier (membre n° 3)" in text and "2 créneaux de bénévolat" in text
    assert "6 h au total" in text and "Fait à Lyon, le 25 novembre 2026" in text
    code, _out, err = cli.out(
        "print",
        "attestation",
        "3",
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-31",
        "--out",
        str(tmp_path / "vide.pdf"),
    )
    assert code == 2 and "attended no shift" in err
    assert not (tmp_path / "vide.pdf").exists()
