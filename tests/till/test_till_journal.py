"""The inalterable journal: canonical bytes, the SHA-256 chain, and what tampering looks like.

Canonical bytes are written out by hand; hashes are recomputed here with hashlib over those
hand-written bytes, not taken from the code under test.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coop.till.journal import record_document
from coop.till.rules import (
    GENESIS_HASH,
    Anchor,
    Break,
    CommittedSale,
    Item,
    JournalRecord,
    Means,
    RecordKind,
    Tender,
    canonical_bytes,
    day_closure,
    deposit_line,
    price_sale,
    product_line,
    record_hash,
    seal,
    seal_closure,
    seal_sale,
    settle,
    verify_chain,
)
from coop.till.sales import LINE_FIELDS

PARIS = ZoneInfo("Europe/Paris")
SATURDAY = datetime(2026, 4, 11, 9, 15, tzinfo=PARIS)  # 07:15 UTC (summer time)
LENTILS = Item(1, "Lentilles vertes", 390, Decimal("5.5"), by_weight=True)
WINE = Item(3, "Vin rouge", 750, Decimal(20))
BOTTLE = Item(9, "Consigne bouteille", 20, Decimal(0))


# --- canonical serialisation ---------------------------------------------------------------------


def test_canonical_bytes_by_hand():
    document = {
        "b": 1,
        "a": [Decimal("5.50"), date(2026, 4, 11)],
        "é": "café",
        "t": SATURDAY,
        "n": None,
        "f": True,
        "k": Means.CASH,
        "z": (-3, "x"),
    }
    # keys sorted by code point (é, U+00E9, after every ASCII letter), no spaces, ASCII only,
    # Decimal as a plain string, the time in UTC with microseconds, the enum as its value
    assert canonical_bytes(document) == (
        b'{"a":["5.5","2026-04-11"],"b":1,"f":true,"k":"cash","n":null,'
        b'"t":"2026-04-11T07:15:00.000000Z","z":[-3,"x"],"\\u00e9":"caf\\u00e9"}'
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal(20), b'"20"'),
        (Decimal("2E+1"), b'"20"'),
        (Decimal("20.00"), b'"20"'),
        (Decimal("0.00"), b'"0"'),
        (Decimal("-0"), b'"0"'),
        (Decimal("2.10"), b'"2.1"'),
        (Decimal("-12.5"), b'"-12.5"'),
        (datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC), b'"2026-01-02T03:04:05.000006Z"'),
        ("😀", b'"\\ud83d\\ude00"'),
    ],
)
def test_canonical_forms(value, text):
    assert canonical_bytes(value) == text


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (1.5, TypeError),
        ({"amount": 2.0}, TypeError),
        (datetime(2026, 4, 11, 9, 15), ValueError),  # naive
        (Decimal("NaN"), ValueError),
        (Decimal("Infinity"), ValueError),
        ({1: "x"}, TypeError),
        (frozenset({1}), TypeError),
        (b"bytes", TypeError),
    ],
)
def test_canonical_refuses_what_has_no_single_form(value, error):
    with pytest.raises(error):
        canonical_bytes(value)


def test_record_hash_by_hand():
    first = seal(1, RecordKind.SALE, 1, SATURDAY, {"total": 293}, None)
    written = (
        b'{"at":"2026-04-11T07:15:00.000000Z","data":{"total":293},"kind":"sale","number":1,'
        b'"previous":"' + b"0" * 64 + b'","seq":1,"till":1}'
    )
    assert (first.seq, first.previous_hash) == (1, GENESIS_HASH)
    assert first.hash == hashlib.sha256(written).hexdigest()
    second = seal(1, RecordKind.SALE, 2, SATURDAY, {"total": 750}, first)
    written_2 = (
        b'{"at":"2026-04-11T07:15:00.000000Z","data":{"total":750},"kind":"sale","number":2,'
        b'"previous":"' + first.hash.encode() + b'","seq":2,"till":1}'
    )
    assert (second.seq, second.previous_hash) == (2, first.hash)
    assert second.hash == hashlib.sha256(written_2).hexdigest()
    assert json.loads(canonical_bytes(record_document(1, 2, "sale", 2, SATURDAY, {}, "x"))) == {
        "at": "2026-04-11T07:15:00.000000Z",
        "data": {},
        "kind": "sale",
        "number": 2,
        "previous": "x",
        "seq": 2,
        "till": 1,
    }


def test_seal_refuses_another_tills_previous():
    first = seal(1, RecordKind.SALE, 1, SATURDAY, {}, None)
    with pytest.raises(ValueError):
        seal(2, RecordKind.SALE, 1, SATURDAY, {}, first)


# --- a day of sales and its Z --------------------------------------------------------------------


def sale(number: int, minutes: int, lines, tenders) -> CommittedSale:
    priced = price_sale(lines)
    return CommittedSale(
        till_id=1,
        number=number,
        at=SATURDAY + timedelta(minutes=minutes),
        sale=priced,
        settlement=settle(priced.total_cents, tenders),
        member_id=42,
    )


def day_of_sales() -> list[CommittedSale]:
    return [
        sale(1, 0, [product_line(LENTILS, grams=750)], [Tender(Means.CASH, 500)]),
        sale(2, 5, [product_line(WINE), deposit_line(BOTTLE, 1)], [Tender(Means.CARD, 770)]),
        sale(3, 9, [product_line(WINE, quantity=2)], [Tender(Means.CHEQUE, 1500)]),
        sale(4, 12, [deposit_line(BOTTLE, 3, returned=True)], [Tender(Means.CASH, -60)]),
        sale(5, 20, [product_line(LENTILS, grams=1200)], [Tender(Means.CASH, 1000)]),
    ]


def build_chain() -> list[JournalRecord]:
    records: list[JournalRecord] = []
    sales = day_of_sales()
    for committed in sales:
        records.append(seal_sale(committed, records[-1] if records else None))
    z = day_closure(1, SATURDAY.date(), sales)
    records.append(seal_closure(z, 1, SATURDAY + timedelta(hours=10), records[-1]))
    return records


CHAIN = build_chain()


def resealed(record: JournalRecord, **changes) -> JournalRecord:
    """What an attacker who knows the (public) algorithm does: change fields, redo the hash."""
    changed = dataclasses.replace(record, **changes)
    return dataclasses.replace(changed, hash=record_hash(*_fields(changed)))


def with_amount(record: JournalRecord, amount: int) -> JournalRecord:
    data = json.loads(json.dumps(record.data))
    data["lines"][0][LINE_FIELDS.index("amount")] = amount
    return dataclasses.replace(record, data=data)


def test_a_clean_chain_verifies():
    assert [r.seq for r in CHAIN] == [1, 2, 3, 4, 5, 6]
    assert [r.kind for r in CHAIN] == [RecordKind.SALE] * 5 + [RecordKind.DAY_CLOSURE]
    assert all(r.previous_hash == p.hash for p, r in itertools.pairwise(CHAIN))
    verdict = verify_chain(CHAIN)
    assert verdict.ok
    assert (verdict.till_id, verdict.checked, verdict.last_hash) == (1, 6, CHAIN[-1].hash)
    assert verify_chain(iter(CHAIN)).ok  # a stream read once is enough
    assert verify_chain([]).ok


def test_the_sale_record_holds_what_was_sold():
    data = CHAIN[1].data
    # the wine 7,50 € at 20 % and a bottle 0,20 € at 0 %, paid 7,70 € by card
    assert data["total"] == 770
    wine, bottle = (dict(zip(LINE_FIELDS, row, strict=True)) for row in data["lines"])
    assert wine == {
        "no": 1,
        "kind": "product",
        "product": 3,
        "label": "Vin rouge",
        "vat_rate": "20",
        "quantity": 1,
        "weighed": False,
        "list_price": 750,
        "unit_price": 750,
        "rule": None,
        "gross": 750,
        "line_discount": 0,
        "line_discount_terms": None,
        "sale_discount": 0,
        "amount": 750,
        "refund_of": None,
    }
    assert (bottle["kind"], bottle["vat_rate"], bottle["amount"]) == ("deposit_charge", "0", 20)
    assert len(LINE_FIELDS) == 16
    assert data["payments"] == [["card", 770, ""]]
    assert data["vat"] == [["0", 20, 0], ["20", 625, 125]]  # 7,50 / 1,2 = 6,25
    assert data["member"] == 42


def test_rebuilt_data_hashes_like_the_sealed_data():
    # the service rebuilds a sale's data from its rows with to_data(): Decimals, enums and
    # tuples must give exactly the bytes of the plain values that were sealed
    sales = day_of_sales()
    for record, committed in zip(CHAIN, sales, strict=False):
        assert canonical_bytes(committed.to_data()) == canonical_bytes(record.data)
        rebuilt = dataclasses.replace(record, data=committed.to_data())
        assert record_hash(*_fields(rebuilt)) == record.hash
    assert verify_chain(
        [dataclasses.replace(r, data=s.to_data()) for r, s in zip(CHAIN, sales, strict=False)]
        + CHAIN[5:]
    ).ok


def _fields(record: JournalRecord) -> tuple:
    return (
        record.till_id,
        record.seq,
        record.kind,
        record.number,
        record.at,
        record.data,
        record.previous_hash,
    )


def test_changing_one_amount_in_the_middle_names_that_record():
    tampered = [*CHAIN]
    tampered[2] = with_amount(CHAIN[2], 1)  # sale 3: 15,00 € → 0,01 €
    broken = verify_chain(tampered).broken
    assert broken is not None
    assert (broken.position, broken.seq, broken.number) == (2, 3, 3)
    assert broken.reason is Break.HASH_MISMATCH
    assert broken.found == CHAIN[2].hash
    assert verify_chain(tampered).checked == 2


def test_changing_an_amount_and_redoing_its_hash_breaks_the_next_link():
    tampered = [*CHAIN]
    tampered[2] = resealed(with_amount(CHAIN[2], 1))
    broken = verify_chain(tampered).broken
    assert broken is not None
    assert (broken.seq, broken.reason) == (4, Break.BROKEN_LINK)
    assert (broken.expected, broken.found) == (tampered[2].hash, CHAIN[2].hash)


def test_changing_any_field_is_seen():
    for changes in (
        {"number": 9},
        {"at": SATURDAY + timedelta(seconds=1)},
        {"kind": RecordKind.MONTH_CLOSURE},
        {"previous_hash": "f" * 64},
    ):
        tampered = [*CHAIN]
        tampered[3] = dataclasses.replace(CHAIN[3], **changes)
        broken = verify_chain(tampered).broken
        assert broken is not None and (broken.seq, broken.reason) == (4, Break.HASH_MISMATCH)


def test_deleting_a_record_leaves_a_gap():
    broken = verify_chain(CHAIN[:3] + CHAIN[4:]).broken
    assert broken is not None
    assert (broken.position, broken.reason, broken.expected, broken.found) == (3, Break.GAP, 4, 5)


def test_deleting_the_first_record_leaves_a_gap_at_the_start():
    broken = verify_chain(CHAIN[1:]).broken
    assert broken is not None
    assert (broken.position, broken.reason, broken.expected, broken.found) == (0, Break.GAP, 1, 2)


def test_reordering_breaks_the_link():
    # the attacker swaps sales 3 and 4, renumbers their positions and redoes their hashes
    third, fourth = CHAIN[2], CHAIN[3]
    tampered = [*CHAIN]
    tampered[2] = resealed(fourth, seq=3)
    tampered[3] = resealed(third, seq=4)
    broken = verify_chain(tampered).broken
    assert broken is not None
    assert (broken.position, broken.seq, broken.reason) == (2, 3, Break.BROKEN_LINK)
    # read in the wrong order as stored, the chain shows a hole where the order changes
    swapped = [CHAIN[0], CHAIN[1], fourth, third, *CHAIN[4:]]
    assert verify_chain(swapped).broken.reason is Break.GAP


def test_a_deleted_sale_rechained_shows_a_hole_in_the_sale_numbers():
    # sale 3 removed and everything after it re-sealed: positions and links are perfect again,
    # but receipt numbers jump from 2 to 4
    records = CHAIN[:2]
    for record in CHAIN[3:]:
        records.append(resealed(record, seq=records[-1].seq + 1, previous_hash=records[-1].hash))
    broken = verify_chain(records).broken
    assert broken is not None
    assert (broken.seq, broken.reason, broken.expected, broken.found) == (
        3,
        Break.NUMBER_GAP,
        3,
        4,
    )


def test_a_cut_tail_needs_an_anchor_noted_elsewhere():
    anchor = Anchor(seq=6, hash=CHAIN[5].hash)  # e.g. printed on the Z report
    assert verify_chain(CHAIN[:5]).ok  # a chain cannot know its own end
    verdict = verify_chain(CHAIN[:5], anchor=anchor)
    assert verdict.broken is not None and verdict.broken.reason is Break.TRUNCATED
    assert verify_chain(CHAIN, anchor=anchor).ok
    wrong = verify_chain(CHAIN, anchor=Anchor(seq=6, hash="0" * 64)).broken
    assert wrong is not None and wrong.reason is Break.ANCHOR_MISMATCH


def test_other_tills_and_unreadable_records():
    stranger = seal(2, RecordKind.SALE, 1, SATURDAY, {}, None)
    broken = verify_chain([*CHAIN[:2], stranger]).broken
    assert broken is not None and (broken.position, broken.reason) == (2, Break.WRONG_TILL)
    broken = verify_chain(CHAIN, till_id=2).broken
    assert broken is not None and (broken.position, broken.reason) == (0, Break.WRONG_TILL)
    floaty = dataclasses.replace(CHAIN[1], data={**CHAIN[1].data, "total": 7.7})
    broken = verify_chain([CHAIN[0], floaty]).broken
    assert broken is not None and broken.reason is Break.UNREADABLE


@settings(max_examples=60)
@given(st.integers(2, 25), st.data())
def test_any_single_change_or_deletion_is_named(length, data):
    records: list[JournalRecord] = []
    for n in range(1, length + 1):
        records.append(
            seal(
                7,
                RecordKind.SALE,
                n,
                SATURDAY + timedelta(minutes=n),
                {"total": n * 100},
                records[-1] if records else None,
            )
        )
    assert verify_chain(records).ok
    index = data.draw(st.integers(0, length - 1))
    delta = data.draw(st.integers(1, 10**6))
    changed = [*records]
    changed[index] = dataclasses.replace(records[index], data={"total": (index + 1) * 100 + delta})
    broken = verify_chain(changed).broken
    assert broken is not None and (broken.position, broken.reason) == (index, Break.HASH_MISMATCH)
    removed = records[:index] + records[index + 1 :]
    broken = verify_chain(removed).broken
    if index == length - 1:
        assert broken is None  # the tail: only an anchor tells (see above)
    else:
        assert broken is not None and (broken.position, broken.reason) == (index, Break.GAP)


@settings(max_examples=300, deadline=None)
@given(
    till=st.integers(1, 10**6),
    seq=st.integers(1, 10**9),
    kind=st.sampled_from(list(RecordKind)),
    number=st.integers(1, 10**9),
    at=st.datetimes(
        min_value=datetime(1990, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.sampled_from([UTC, ZoneInfo("Europe/Paris"), ZoneInfo("America/Cayenne")]),
    ),
    data=st.dictionaries(st.text(max_size=5), st.one_of(st.integers(), st.text(max_size=8))),
    previous=st.one_of(
        st.text(alphabet="0123456789abcdef", min_size=64, max_size=64), st.text(max_size=70)
    ),
)
def test_document_bytes_are_the_canonical_document(till, seq, kind, number, at, data, previous):
    """The fast assembly from stored data bytes gives exactly the canonical bytes."""
    from coop.till.journal import document_bytes

    expected = canonical_bytes(record_document(till, seq, kind, number, at, data, previous))
    assert document_bytes(till, seq, kind, number, at, canonical_bytes(data), previous) == expected
