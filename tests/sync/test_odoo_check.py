"""The setup check against the real Odoo 17: taxes found by the French chart's external ids
(``account.1_tva_…``), a renamed tax still found, the name as the fallback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from coop.sync.check import check, tax_xmlid
from coop.sync.odoo import Odoo
from tests.sync.odoo_helpers import ready

NEEDED = {("sale", 550, True), ("sale", 2000, True), ("purchase", 550, False)}
NEEDED |= {("purchase", 2000, False)}


def res_id(odoo: Odoo, name: str) -> int:
    """Odoo's own answer: the record behind ``account.<name>``."""
    [row] = odoo.search_read(
        "ir.model.data",
        [("module", "=", "account"), ("name", "=", name), ("model", "=", "account.tax")],
        ["res_id"],
    )
    return int(row["res_id"])


@contextmanager
def changed(odoo: Odoo, model: str, record: int, values: dict[str, Any]) -> Iterator[None]:
    """Write ``values`` on a record for the duration of the block, then put the old ones back."""
    [before] = odoo.call(model, "read", [record], list(values), context={"active_test": False})
    odoo.call(model, "write", [record], values)
    try:
        yield
    finally:
        odoo.call(model, "write", [record], {k: before[k] for k in values})


def test_taxes_are_found_by_their_external_ids(sync_settings, odoo):
    ready(sync_settings)
    setup = check(odoo, sync_settings.chart, NEEDED)
    assert setup.passes, setup.problems
    assert setup.taxes[("sale", 550, True)] == res_id(odoo, "1_tva_reduite_ttc")
    assert setup.taxes[("sale", 2000, True)] == res_id(odoo, "1_tva_normale_ttc")
    assert setup.taxes[("purchase", 550, False)] == res_id(odoo, "1_tva_acq_reduite")
    assert setup.taxes[("purchase", 2000, False)] == res_id(odoo, "1_tva_acq_normale")
    assert set(setup.tax_found_by.values()) == {"xmlid"}
    assert setup.to_dict()["taxes_found_by"]["sale:550:incl"] == "xmlid"


def test_a_renamed_tax_is_still_found(sync_settings, odoo, run_id):
    ready(sync_settings)
    tax = res_id(odoo, "1_tva_reduite_ttc")
    with changed(odoo, "account.tax", tax, {"name": f"TVA 5,5 % TTC {run_id}"}):
        setup = check(odoo, sync_settings.chart, NEEDED)
    assert setup.passes, setup.problems
    assert setup.taxes[("sale", 550, True)] == tax
    assert setup.tax_found_by[("sale", 550, True)] == "xmlid"


def test_without_the_external_id_the_name_is_the_fallback(sync_settings, odoo, run_id):
    ready(sync_settings)
    tax = res_id(odoo, "1_tva_acq_reduite")
    [link] = odoo.search_read(
        "ir.model.data", [("module", "=", "account"), ("name", "=", "1_tva_acq_reduite")], ["id"]
    )
    with changed(odoo, "ir.model.data", link["id"], {"name": f"1_tva_acq_reduite_{run_id}"}):
        setup = check(odoo, sync_settings.chart, NEEDED)
    assert setup.taxes[("purchase", 550, False)] == tax
    assert setup.tax_found_by[("purchase", 550, False)] == "name"
    assert setup.tax_found_by[("sale", 550, True)] == "xmlid"


def test_an_external_id_on_another_kind_of_tax_is_not_taken(sync_settings, odoo, run_id):
    """If the treasurer turned the chart's 5.5 % purchase tax into another rate, its external
    id no longer names what we need: the check looks for a tax named “5.5% G” (there is no
    other in this chart) and says so."""
    ready(sync_settings)
    tax = res_id(odoo, "1_tva_acq_reduite")
    with changed(odoo, "account.tax", tax, {"name": f"7% G {run_id}", "amount": 7.0}):
        setup = check(odoo, sync_settings.chart, NEEDED)
    assert ("purchase", 550, False) not in setup.taxes
    assert not setup.passes
    assert [p for p in setup.problems if "5.5% G" in p] == [
        "Odoo has no purchase tax “5.5% G”: create it in Accounting › Configuration › Taxes."
    ]


def test_the_external_ids_per_version():
    assert tax_xmlid(("sale", 550, True), 17, 1) == ("account", "1_tva_reduite_ttc")
    assert tax_xmlid(("sale", 2000, False), 18, 3) == ("account", "3_tva_normale")
    assert tax_xmlid(("sale", 1000, True), 16, 1) == ("l10n_fr", "1_tva_intermediaire_ttc")
    assert tax_xmlid(("purchase", 550, True), 17, 1) == ("account", "1_tva_acq_reduite_TTC")
    assert tax_xmlid(("purchase", 210, False), 17, 1) == ("account", "1_tva_acq_super_reduite")
    assert tax_xmlid(("sale", 0, False), 17, 1) == ("account", "1_tva_sale_good_0")
    assert tax_xmlid(("sale", 850, False), 17, 1) is None
