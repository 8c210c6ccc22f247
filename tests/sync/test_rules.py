"""The pure mapping: accounting events → balanced entries on the French chart (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coop.money import split_vat
from coop.sync import rules
from coop.sync.fec import COLUMNS, amount_text, fec_rows
from coop.sync.rules import Chart, MappingRefused, entries_of, expected_totals
from tests.sync.odoo_helpers import z_snapshot

CHART = Chart()
DAY = date(2026, 11, 21)


def test_a_saturday_z_by_hand():
    # 105,50 € incl. at 5.5 % = 100,00 + 5,50; 12,00 € incl. at 20 % = 10,00 + 2,00.
    # Paid 50 € cash, 60 € card, 12,50 € from accounts; 5 € of top-ups taken in cash (in the 50).
    vat = [split_vat(10550, Decimal("5.5")), split_vat(1200, Decimal(20))]
    snap = z_snapshot(vat, [("cash", 5000), ("card", 6000), ("account", 1250)], top_ups=500)
    [entry] = entries_of("till_day", "CAISSE-1-2026-11-21", snap, DAY, CHART)
    got = {(line.account, line.label): (line.debit, line.credit) for line in entry.lines}
    assert got == {
        ("707100", "Ventes TVA 5,5 %"): (0, 10000),
        ("445710", "TVA collectée 5,5 %"): (0, 550),
        ("707100", "Ventes TVA 20 %"): (0, 1000),
        ("445710", "TVA collectée 20 %"): (0, 200),
        ("530001", "Encaissements espèces"): (5000, 0),
        ("512001", "Encaissements carte bancaire"): (6000, 0),
        ("419100", "Encaissements compte adhérent"): (1250, 0),
        ("419100", "Recharges de comptes adhérents"): (0, 500),
    }
    assert entry.debit == entry.credit == 12250
    assert entry.journal == "CAIS" and entry.on == DAY
    assert entry.reference == "Z000007 CAISSE-1"
    assert entry.xmlid == "till_day_CAISSE-1-2026-11-21"
    assert entry.odoo_ref == "Z000007 CAISSE-1 [coopsync.till_day_CAISSE-1-2026-11-21]"


def test_a_day_of_refunds_swaps_sides_and_an_empty_day_has_no_entry():
    vat = [split_vat(-1055, Decimal("5.5"))]
    [entry] = entries_of("till_day", "k", z_snapshot(vat, [("cash", -1055)]), DAY, CHART)
    sides = {line.account: (line.debit, line.credit) for line in entry.lines}
    assert sides == {"707100": (1000, 0), "445710": (55, 0), "530001": (0, 1055)}
    assert entries_of("till_day", "k", z_snapshot([], []), DAY, CHART) == []


def invoice_snapshot(vat, *, charged=True, code="FA-000001", include=True):
    return {
        "code": code,
        "member": 42,
        "name": "Camille Martin",
        "email": None,
        "reference": None,
        "credits": None,
        "prices_include_vat": include,
        "charged": charged,
        "vat": vat,
    }


def test_an_invoice_charged_to_the_account_and_its_credit_note():
    snap = invoice_snapshot([[550, 1000, 55], [2000, 500, 100]])
    invoice, settle = entries_of("invoice", "FA-000001", snap, DAY, CHART)
    assert invoice.move_type == "out_invoice" and invoice.journal == "INV"
    assert invoice.partner == rules.Partner("member_42", "Camille Martin")
    lines = {(line.account, line.label): (line.debit, line.credit) for line in invoice.lines}
    assert lines[("411100", "Facture FA-000001")] == (1655, 0)
    assert lines[("707100", "Ventes TVA 5,5 %")] == (0, 1000)
    assert lines[("445710", "TVA collectée 20 %")] == (0, 100)
    assert expected_totals(invoice) == rules.Totals(1500, 155, 1655)
    assert [(line.account, line.debit, line.credit) for line in settle.lines] == [
        ("419100", 1655, 0),
        ("411100", 0, 1655),
    ]
    assert settle.xmlid == "invoice_FA-000001_settle" and settle.journal == "MISC"
    note = invoice_snapshot([[550, 1000, 55]], code="AV-000001")
    credit, back = entries_of("credit_note", "AV-000001", note, DAY, CHART)
    assert credit.move_type == "out_refund"
    assert {(line.account, line.debit, line.credit) for line in credit.lines} == {
        ("411100", 0, 1055),
        ("707100", 1000, 0),
        ("445710", 55, 0),
    }
    assert [(line.account, line.debit, line.credit) for line in back.lines] == [
        ("419100", 0, 1055),
        ("411100", 1055, 0),
    ]
    not_charged = entries_of(
        "invoice", "x", invoice_snapshot([[550, 1000, 55]], charged=False), DAY, CHART
    )
    assert len(not_charged) == 1


def test_top_ups_withdrawals_and_supplier_bills():
    snap = {"member": 42, "name": "Camille Martin", "amount": 3000, "means": "cheque"}
    [top] = entries_of("top_up", "M12", snap, DAY, CHART)
    assert [(line.account, line.debit, line.credit) for line in top.lines] == [
        ("511200", 3000, 0),
        ("419100", 0, 3000),
    ]
    [back] = entries_of("withdrawal", "M13", {**snap, "means": "transfer"}, DAY, CHART)
    assert [(line.account, line.debit, line.credit) for line in back.lines] == [
        ("512001", 0, 3000),
        ("419100", 3000, 0),
    ]
    bill = {
        "supplier": "FERME",
        "name": "Ferme du Coin",
        "reference": "F-88",
        "vat": [[550, 2000, 110]],
    }
    [entry] = entries_of("supplier_bill", "C1-FERME", bill, DAY, CHART)
    assert entry.move_type == "in_invoice" and entry.partner.supplier
    assert {(line.account, line.debit, line.credit) for line in entry.lines} == {
        ("401100", 0, 2110),
        ("607100", 2000, 0),
        ("445660", 110, 0),
    }


def test_configured_codes_and_the_amap_hook():
    chart = Chart(sales="707000", cash="531000", till_journal="CA")
    vat = [split_vat(1200, Decimal(20))]
    [entry] = entries_of("till_day", "k", z_snapshot(vat, [("cash", 1200)]), DAY, chart)
    assert {line.account for line in entry.lines} == {"707000", "445710", "531000"}
    assert entry.journal == "CA"
    with pytest.raises(MappingRefused, match="No accounting mapping for “loan”"):
        entries_of("loan", "x", {}, DAY, CHART)
    with pytest.raises(MappingRefused, match="incomplete"):
        entries_of("amap", "x", {"event": "raffle", "amount": 100}, DAY, CHART)
    with pytest.raises(MappingRefused, match="incomplete"):
        entries_of("invoice", "x", {"code": "FA-1"}, DAY, CHART)


RATES = st.sampled_from([Decimal(0), Decimal("2.1"), Decimal("5.5"), Decimal(10), Decimal(20)])
MEANS = st.sampled_from(["cash", "card", "cheque", "local_currency", "account"])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(RATES, st.integers(-50_000, 500_000)), max_size=5),
    st.lists(st.tuples(MEANS, st.integers(-50_000, 500_000)), max_size=5),
    st.integers(0, 100_000),
)
def test_every_z_balances_to_the_cent(turnover, payments, top_ups):
    vat = [split_vat(incl, rate) for rate, incl in turnover]
    total = sum(s.incl_vat for s in vat) + top_ups
    # The Z's rule: payments = turnover + top-ups; the last means takes what is left.
    paid = payments[:-1] if payments else []
    paid.append(("cash", total - sum(amount for _, amount in paid)))
    entries = entries_of("till_day", "k", z_snapshot(vat, paid, top_ups), DAY, CHART)
    for entry in entries:
        assert entry.debit == entry.credit
        assert all((line.debit > 0) != (line.credit > 0) for line in entry.lines)
        sales = sum(line.credit - line.debit for line in entry.lines if line.account == "707100")
        assert sales == sum(s.excl_vat for s in vat)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([0, 210, 550, 1000, 2000]), st.integers(1, 10**7)),
        min_size=1,
        max_size=5,
        unique_by=lambda t: t[0],
    ),
    st.booleans(),
    st.booleans(),
)
def test_every_invoice_and_credit_note_balances(parts, charged, credit_note):
    vat = [[bp, excl, (excl * bp + 5000) // 10000] for bp, excl in parts]
    snap = invoice_snapshot(vat, charged=charged)
    kind = "credit_note" if credit_note else "invoice"
    entries = entries_of(kind, "k", snap, DAY, CHART)
    assert len(entries) == (2 if charged else 1)
    for entry in entries:
        assert entry.debit == entry.credit
    assert entries[0].debit == sum(excl + v for _, excl, v in vat)
    # The FEC of these entries balances per entry and in all.
    rows = fec_rows(entries, CHART)
    assert all(len(row) == len(COLUMNS) == 18 for row in rows)


def test_amount_text_uses_a_decimal_comma():
    assert [amount_text(c) for c in (0, 5, 123456, -1050)] == ["0,00", "0,05", "1234,56", "-10,50"]


def amap_payment(amount: int, means: str = "transfer") -> dict[str, object]:
    """What ``coop.amap.payments.pay`` queues."""
    return {
        "event": "payment",
        "payment": 12,
        "contract": "LEG-26",
        "producer": "FERME-MOULIN",
        "producer_name": "Ferme du Moulin",
        "member": 3,
        "name": "Claire Martin",
        "means": means,
        "amount": amount,
    }


def amap_gift(amount: int, means: str = "cash", member: int | None = 2) -> dict[str, object]:
    """What ``coop.amap.solidarity.gift`` queues."""
    name = "Paul Durand" if member is not None else None
    return {"event": "fund_gift", "gift": 4, "member": member, "name": name} | {
        "means": means,
        "amount": amount,
        "note": None,
    }


def test_amap_money_by_hand():
    # 75,00 € by transfer for the vegetable contract: the bank gets it, the producer is owed it.
    [entry] = entries_of("amap", "payment-12", amap_payment(7500), DAY, CHART)
    assert (entry.journal, entry.reference, entry.move_type) == ("MISC", "AMAP-P12", "entry")
    assert {(line.account, line.debit, line.credit) for line in entry.lines} == {
        ("512001", 7500, 0),
        ("467000", 0, 7500),
    }
    owed = next(line for line in entry.lines if line.account == "467000")
    assert owed.partner is not None and owed.partner.supplier
    assert owed.partner.key == "supplier_FERME-MOULIN"
    # 200,00 € given to the solidarity fund by cheque: cheques to cash, the fund's account.
    [gift] = entries_of("amap", "gift-4", amap_gift(20000, "cheque"), DAY, CHART)
    assert {(line.account, line.debit, line.credit) for line in gift.lines} == {
        ("511200", 20000, 0),
        ("467100", 0, 20000),
    }
    assert gift.reference == "AMAP-D4" and "Paul Durand" in gift.label
    # An anonymous gift in cash has no partner; configured codes are used.
    chart = Chart(amap_fund="468000", cash="531000")
    [cash_gift] = entries_of("amap", "gift-5", amap_gift(500, member=None), DAY, chart)
    assert {(line.account, line.partner) for line in cash_gift.lines} == {
        ("531000", None),
        ("468000", None),
    }


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["payment", "fund_gift"]),
    st.sampled_from(["cash", "cheque", "transfer", "local_currency", "other"]),
    st.integers(-(10**7), 10**7),
)
def test_every_amap_entry_balances(event, means, amount):
    snap = amap_payment(amount, means) if event == "payment" else amap_gift(amount, means)
    entries = entries_of("amap", "k", snap, DAY, CHART)
    assert len(entries) == (0 if amount == 0 else 1)
    for entry in entries:
        assert entry.debit == entry.credit == abs(amount)
        assert all(line.debit >= 0 and line.credit >= 0 for line in entry.lines)
        rows = fec_rows(entries, CHART)
        assert all(len(row) == 18 for row in rows)


def test_capital_shares_and_fees_by_hand():
    # 100,00 € of shares by cheque: cheques to cash, the capital account credited for the member.
    snap = {"event": "share_payment", "member": 4, "name": "Thérèse Lebrun", "amount": 10000}
    [entry] = entries_of("membership", "share-7", {**snap, "means": "cheque"}, DAY, CHART)
    assert (entry.journal, entry.reference) == ("MISC", "PS-7")
    assert {(line.account, line.debit, line.credit) for line in entry.lines} == {
        ("511200", 10000, 0),
        ("101300", 0, 10000),
    }
    capital = next(line for line in entry.lines if line.account == "101300")
    assert capital.partner is not None and capital.partner.key == "member_4"
    # A refund by transfer swaps the sides.
    refund = {**snap, "event": "share_refund", "amount": -10000, "means": "transfer"}
    [back] = entries_of("membership", "share-9", refund, DAY, CHART)
    assert {(line.account, line.debit, line.credit) for line in back.lines} == {
        ("512001", 0, 10000),
        ("101300", 10000, 0),
    }
    assert "Remboursement de parts sociales" in back.label
    # This year's fee in cash, on a configured account.
    fee = {"event": "fee", "member": 4, "name": "Thérèse Lebrun", "amount": 1500, "year": 2026}
    [paid] = entries_of("membership", "fee-3", {**fee, "means": "cash"}, DAY, Chart(fees="756100"))
    assert {(line.account, line.debit, line.credit) for line in paid.lines} == {
        ("530001", 1500, 0),
        ("756100", 0, 1500),
    }
    assert paid.reference == "COT-3" and "Cotisation 2026" in paid.label
    with pytest.raises(MappingRefused, match="incomplete"):
        entries_of("membership", "x", {**snap, "event": "gift"}, DAY, CHART)


def test_amounts_cross_to_odoo_as_exact_decimal_numbers():
    """No float between our cents and Odoo's JSON: ``euros`` is exact even past 2**53 cents
    (where a float would round), and the request body writes it as a JSON number."""
    import simplejson

    from coop.sync.odoo_values import cents, euros

    assert euros(1230) == Decimal("12.30") and euros(-5) == Decimal("-0.05")
    big = 2**53 + 1
    assert euros(big) * 100 == big
    assert simplejson.dumps({"debit": euros(1230)}, use_decimal=True) == '{"debit": 12.30}'
    assert cents(12.3) == 1230 and cents(0.1 + 0.2) == 30
