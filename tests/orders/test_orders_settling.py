"""Settling computes its reconciliation and the suppliers' bills from the rows it reads and the
invoices it has just priced, without reading the cycle back (``coop.orders.settling``): the
figures must be the ones the settled cycle's view (``views.cycle_view``, which prices every
household again from the allocations) shows, whatever arrived (issue 18, target 2)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime

import pytest
from sqlalchemy import select

from coop.accounts.models import Invoice
from coop.orders import views
from coop.outbox import OutboxRow

from .conftest import settle_two_suppliers


@pytest.mark.parametrize(
    "received",
    [
        {},  # as ordered
        {"DB100": 4, "FE10": 3100},  # short: spaghetti and carrots
        {"DB300": 5, "FE20": 2},  # more soap than ordered (surplus), less cider
    ],
)
def test_the_settlement_shows_what_the_settled_cycle_shows(coop, received):
    settlement = settle_two_suppliers(coop, **received)
    view = views.cycle_view(coop.session, "D49")
    assert view.state == "settled"
    assert settlement.reconciliation == view.reconciliation
    # each household's charge is its invoice, and the view prices the same amounts
    invoices = dict(coop.session.execute(select(Invoice.number, Invoice.incl_vat_cents)).all())
    charged = {c.member_number: c.incl_vat_cents for c in settlement.charges}
    assert charged == {m.number: m.incl_vat_cents for m in view.members if m.incl_vat_cents}
    assert sorted(charged.values()) == sorted(invoices.values())
    # one bill per supplier, with the view's figures per rate
    bills = {
        row.key: row.snapshot["vat"]
        for row in coop.session.scalars(select(OutboxRow).where(OutboxRow.kind == "supplier_bill"))
    }
    assert bills == {f"D49-{s.code}": [list(part) for part in s.vat] for s in view.suppliers}


def test_what_arrived_changes_the_supplier_side(coop):
    settlement = settle_two_suppliers(coop, DB100=4)
    rec = settlement.reconciliation
    # 4 spaghetti arrived of 6: 4 × 1,60 = 6,40 (VAT 0,352 → 0,35) + soap 7,50 (1,50)
    # + carrots 8,40 (0,46) + cider 10,05 (2,01), VAT once per rate over the suppliers:
    # 5.5 %: 6,40 + 8,40 = 14,80 → 0,814 → 0,81; 20 %: 17,55 → 3,51
    assert (rec.supplier_excl_vat_cents, rec.supplier_vat_cents) == (3235, 81 + 351)


def test_the_json_of_a_settled_cycle_is_the_dataclasses_one(coop):
    """``views.as_dict`` (read field by field) gives what ``dataclasses.asdict`` gives, with
    tuples as lists and times in ISO 8601."""
    settle_two_suppliers(coop, DB100=4)
    view = views.cycle_view(coop.session, "D49")

    def iso(value):
        if isinstance(value, datetime | date):
            return value.isoformat()
        raise TypeError(value)

    expected = json.loads(json.dumps(dataclasses.asdict(view), default=iso))
    assert views.as_dict(view) == expected
    assert views.as_dict(view)["members"][0]["lines"][0]["reference"]  # nested all the way
    assert isinstance(views.as_dict(view)["opens_at"], str)
