"""Forgeries by someone with write access to the database (triggers dropped first), each named
by `coop till verify`: the columns a receipt, a Z or an account shows are sealed or compared
with the sealed record (issue 17 §1)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from coop.till.journal import canonical_bytes, document_bytes, hash_bytes

from .conftest import BEER, JAM, cash, drop_triggers, item
from .test_till_inalterable import broken, day  # noqa: F401  (the fixture)


def _sale_broken(shop, number: int) -> None:
    found = broken(shop)
    assert (found["kind"], found["number"], found["reason"]) == ("sale", number, "rows_mismatch")


def test_two_sale_numbers_swapped_are_found(day):  # noqa: F811
    drop_triggers(day.session)
    day.session.execute(text("UPDATE sales SET number = 100 + number WHERE number IN (1, 2)"))
    day.session.execute(text("UPDATE sales SET number = 103 - number WHERE number > 100"))
    assert day.session.execute(text("SELECT number FROM sales ORDER BY seq")).scalars().all() == [
        2,
        1,
        3,
    ]
    _sale_broken(day, 1)


def test_a_sale_moved_a_day_is_found(day):  # noqa: F811
    drop_triggers(day.session)
    [sale_id] = day.session.execute(text("SELECT id FROM sales WHERE number = 2")).scalars()
    from datetime import timedelta

    from coop.till.models import Sale

    sale = day.session.get(Sale, sale_id)
    sale.at = sale.at + timedelta(days=1)
    day.session.flush()
    _sale_broken(day, 2)


@pytest.mark.parametrize(
    "change",
    [
        "cashier = 'Someone else'",
        "session_id = (SELECT max(id) FROM till_sessions)",
        "override_reason = 'invented'",
        "authorised_by_id = (SELECT min(id) FROM members)",
        "shopper_id = (SELECT max(id) FROM members WHERE id <> sales.shopper_id)",
    ],
)
def test_a_changed_cashier_session_override_or_authoriser_is_found(day, change):  # noqa: F811
    day.later(days=1).open()  # a second session to move the sale to
    drop_triggers(day.session)
    day.session.execute(text(f"UPDATE sales SET {change} WHERE number = 3"))
    _sale_broken(day, 3)


def test_a_till_top_up_raised_tenfold_is_found(shop):
    shop.open()
    shop.sell(BEER, tenders=[cash(20270)], top_up_cents=20000)
    shop.session.commit()
    drop_triggers(shop.session)
    shop.session.execute(
        text("UPDATE account_movements SET amount_cents = 200000 WHERE sale_id IS NOT NULL")
    )
    _sale_broken(shop, 1)


def test_a_sale_stock_move_changed_is_found(day):  # noqa: F811
    drop_triggers(day.session)
    day.session.execute(
        text(
            "UPDATE stock_moves SET quantity = quantity - 5"
            " WHERE sale_id = (SELECT id FROM sales WHERE number = 1)"
        )
    )
    _sale_broken(day, 1)


def _reseal_from(shop, seq: int, data: dict) -> None:
    """The forger's full job: record ``seq`` gets new data, and it and every later record are
    re-hashed and re-linked with the project's own functions, the till's head moved too."""
    session = shop.session
    from coop.till.models import JournalEntry

    rows = session.execute(
        text("SELECT till_id, seq FROM till_journal WHERE seq >= :s ORDER BY seq"), {"s": seq}
    ).all()
    previous = session.execute(
        text("SELECT hash FROM till_journal WHERE seq = :s"), {"s": seq - 1}
    ).scalar()
    previous = previous or "0" * 64
    for till_id, each in rows:
        entry = session.get(JournalEntry, (till_id, each))
        data_bytes = canonical_bytes(data) if each == seq else entry.data.encode()
        digest = hash_bytes(
            document_bytes(till_id, each, entry.kind, entry.number, entry.at, data_bytes, previous)
        )
        session.execute(
            text("UPDATE till_journal SET data = :d, hash = :h, previous_hash = :p WHERE seq = :s"),
            {"d": data_bytes.decode(), "h": digest, "p": previous, "s": each},
        )
        previous = digest
    session.execute(text("UPDATE tills SET last_hash = :h"), {"h": previous})
    session.expire_all()


def test_a_cash_sale_turned_card_with_the_chain_recomputed_fails_its_z(day):  # noqa: F811
    drop_triggers(day.session)
    session = day.session
    session.execute(
        text(
            "UPDATE sale_payments SET means = 'card'"
            " WHERE sale_id = (SELECT id FROM sales WHERE number = 2)"
        )
    )
    data = json.loads(session.execute(text("SELECT data FROM till_journal WHERE seq = 2")).scalar())
    data["payments"][0][0] = "card"
    data["change"] = 0
    session.execute(text("UPDATE sales SET change_cents = 0 WHERE number = 2"))
    _reseal_from(day, 2, data)
    found = broken(day)
    assert (found["seq"], found["kind"], found["reason"]) == (4, "day_closure", "closure_mismatch")
    assert found["expected"]["payments"] == {"cash": 540 + 470, "card": 815}


def test_a_sale_reassigned_with_the_chain_recomputed_breaks_the_paper(day):  # noqa: F811
    """Member changed and the chain recomputed: the rows agree with their records, but the
    chain's head no longer matches the one printed on the Z and the receipts."""
    drop_triggers(day.session)
    session = day.session
    head_before = session.execute(text("SELECT last_hash FROM tills")).scalar()
    other = session.execute(
        text(
            "SELECT min(id) FROM members WHERE id <> (SELECT member_id FROM sales WHERE number = 1)"
        )
    ).scalar()
    session.execute(text("UPDATE sales SET member_id = :m WHERE number = 1"), {"m": other})
    data = json.loads(session.execute(text("SELECT data FROM till_journal WHERE seq = 1")).scalar())
    data["member"] = other
    _reseal_from(day, 1, data)
    session.commit()
    from coop.till import verify

    [verdict] = verify.verify(session)
    assert verdict.ok  # what no unkeyed chain can show...
    assert verdict.last_hash != head_before  # ...the printed head shows
    assert not verify.verify(session, anchors={"CAISSE-1": (4, head_before[:12])})[0].ok


def test_a_vat_split_moved_with_the_chain_recomputed_fails_its_z(day):  # noqa: F811
    drop_triggers(day.session)
    session = day.session
    [sale_id] = session.execute(text("SELECT id FROM sales WHERE number = 3")).scalars()
    session.execute(
        text("UPDATE sale_vat SET vat_cents = vat_cents + 1 WHERE sale_id = :s"), {"s": sale_id}
    )
    data = json.loads(session.execute(text("SELECT data FROM till_journal WHERE seq = 3")).scalar())
    data["vat"][0][2] += 1
    _reseal_from(day, 3, data)
    found = broken(day)
    assert (found["seq"], found["reason"]) == (4, "closure_mismatch")


def test_untouched_sales_with_top_up_and_stock_verify(shop):
    shop.open()
    shop.sell(item(JAM, quantity=2), tenders=[cash(10470)], top_up_cents=10000)
    shop.later(minutes=1).sell(BEER, tenders=[cash(270)])
    shop.session.commit()
    from coop.till import verify

    [verdict] = verify.verify(shop.session)
    assert verdict.ok and verdict.checked == 2


@pytest.fixture
def signed_day(shop):
    """A day closed by a Z signed with the key kept outside the database."""
    from coop import signing

    path, created = signing.create_key()
    assert created and oct(path.stat().st_mode & 0o777) == "0o600"
    shop.open()
    shop.sell(item(BEER, quantity=2), tenders=[cash(540)])  # seq 1
    shop.later(minutes=5).sell(JAM, tenders=[cash(235)])  # seq 2
    shop.later(hours=1).close(10775)
    shop.later(minutes=1).z()  # seq 3
    shop.session.commit()
    return shop


def test_signed_closures_verify_and_the_public_key_is_given(signed_day):
    from coop import signing
    from coop.till import verify

    [verdict] = verify.verify(signed_day.session)
    assert verdict.ok and verdict.checked == 3
    assert verdict.as_dict()["public_key"] == signing.public_hex(signing.load_key())


def test_a_chain_recomputed_after_a_change_fails_the_signature(signed_day):
    """The forger rewrites a sale and recomputes the whole chain with the project's functions:
    every hash links, the rows agree, but the Z's signature no longer matches its hash."""
    session = signed_day.session
    drop_triggers(session)
    other = session.execute(
        text(
            "SELECT min(id) FROM members WHERE id <> (SELECT member_id FROM sales WHERE number = 1)"
        )
    ).scalar()
    session.execute(text("UPDATE sales SET member_id = :m WHERE number = 1"), {"m": other})
    data = json.loads(session.execute(text("SELECT data FROM till_journal WHERE seq = 1")).scalar())
    data["member"] = other
    _reseal_from(signed_day, 1, data)
    found = broken(signed_day)
    assert (found["seq"], found["kind"], found["reason"]) == (3, "day_closure", "bad_signature")


def test_a_deleted_signature_or_another_key_is_found(signed_day):
    from coop import signing

    session = signed_day.session
    drop_triggers(session)
    session.execute(text("DELETE FROM till_signatures"))
    assert broken(signed_day)["reason"] == "unsigned"
    other = signing.Ed25519PrivateKey.generate()
    digest = session.execute(text("SELECT hash FROM till_journal WHERE seq = 3")).scalar()
    session.execute(
        text("INSERT INTO till_signatures VALUES (:t, 3, :p, :s)"),
        {
            "t": session.execute(text("SELECT till_id FROM till_journal WHERE seq = 3")).scalar(),
            "p": signing.public_hex(other),
            "s": signing.sign(other, digest),
        },
    )
    assert broken(signed_day)["reason"] == "foreign_key"


def test_an_archive_shows_a_journal_recomputed_since(day, tmp_path):  # noqa: F811
    from coop.till import archive
    from coop.till.archive_compare import compare_with_database

    folder = tmp_path / "archive"
    first = day.session.execute(text("SELECT min(at) FROM sales")).scalar()
    on = first.date() if hasattr(first, "date") else None
    on = on or day.now.date()
    archive.export_archive(day.session, first=on, last=day.now.date(), out=folder, now=day.now)
    assert compare_with_database(day.session, folder) == []
    session = day.session
    drop_triggers(session)
    session.execute(text("UPDATE sales SET cashier = 'Quelqu''un' WHERE number = 2"))
    data = json.loads(session.execute(text("SELECT data FROM till_journal WHERE seq = 2")).scalar())
    data["cashier"] = "Quelqu'un"
    _reseal_from(day, 2, data)
    session.commit()
    from coop.till import verify

    assert verify.verify(session)[0].ok  # unsigned, unanchored: the chain alone holds...
    [problem] = compare_with_database(session, folder)  # ...the archive does not
    assert "record 2" in problem and "differs" in problem
