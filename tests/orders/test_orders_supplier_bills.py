"""Settling a cycle writes one supplier bill per supplier to the accounting outbox (issue 14),
in the settling transaction, with the figures of the order sheet (or of what arrived)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coop.config import Settings
from coop.errors import CoopError
from coop.orders import delivery
from coop.orders.sheets import order_sheets
from coop.outbox import OutboxRow

from .conftest import CLOSES, settle_two_suppliers


def bills(session) -> dict[str, OutboxRow]:
    rows = session.scalars(select(OutboxRow).where(OutboxRow.kind == "supplier_bill"))
    return {row.key: row for row in rows}


def test_one_bill_per_supplier_with_the_order_sheet_figures(coop):
    settle_two_suppliers(coop)
    found = bills(coop.session)
    assert sorted(found) == ["D49-DISTRI", "D49-FERME"]
    # By hand: spaghetti 6 × 1,60 = 9,60 at 5.5 % (VAT 0,528 → 0,53); soap 3 × 2,50 = 7,50 at
    # 20 % (1,50). Carrots 4 kg × 2,10 = 8,40 at 5.5 % (0,462 → 0,46); cider 3 × 3,35 = 10,05
    # at 20 % (2,01).
    assert found["D49-DISTRI"].snapshot["vat"] == [[550, 960, 53], [2000, 750, 150]]
    assert found["D49-FERME"].snapshot["vat"] == [[550, 840, 46], [2000, 1005, 201]]
    distri = found["D49-DISTRI"].snapshot
    assert (distri["supplier"], distri["name"], distri["reference"]) == (
        "DISTRI",
        "Distri'Bio",
        "D49-DISTRI",
    )
    assert found["D49-DISTRI"].state == "pending"
    # The printed order sheets say the same, rate by rate, under the same reference.
    sheets = order_sheets(coop.session, "D49", settings=Settings(), printed_at=CLOSES)
    for sheet in sheets:
        row = found[sheet.reference].snapshot
        assert [[int(v.rate * 100), v.excl_vat_cents, v.vat_cents] for v in sheet.vat] == row["vat"]
        assert sum(e + v for _r, e, v in row["vat"]) == sheet.incl_vat_cents


def test_a_short_delivery_is_billed_as_received(coop):
    settlement = settle_two_suppliers(coop, FE20=2)
    found = bills(coop.session)
    # Cider: 2 × 3,35 = 6,70 at 20 % (1,34); the wholesaler's bill does not change.
    assert found["D49-FERME"].snapshot["vat"] == [[550, 840, 46], [2000, 670, 134]]
    assert found["D49-DISTRI"].snapshot["vat"] == [[550, 960, 53], [2000, 750, 150]]
    # The bills add up to the reconciliation's suppliers' total.
    total = sum(e + v for row in found.values() for _r, e, v in row.snapshot["vat"])
    assert (
        total
        == settlement.reconciliation.supplier_incl_vat_cents
        == 960 + 53 + 750 + 150 + (840 + 46 + 670 + 134)
    )


def test_nothing_received_from_a_supplier_means_no_bill(coop):
    settle_two_suppliers(coop, FE10=0, FE20=0)
    assert sorted(bills(coop.session)) == ["D49-DISTRI"]


def test_the_bills_belong_to_the_settling_transaction(coop):
    settle_two_suppliers(coop)
    coop.session.rollback()
    assert bills(coop.session) == {}


def test_settling_twice_is_refused_and_writes_no_second_bill(coop):
    settle_two_suppliers(coop)
    with pytest.raises(CoopError, match="already settled"):
        delivery.settle(
            coop.session, code="D49", settings=Settings().accounts, actor=coop.actor, now=CLOSES
        )
    assert len(bills(coop.session)) == 2
