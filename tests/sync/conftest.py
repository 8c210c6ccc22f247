"""The real Odoo 17 for the sync's tests (``../shared/odoo``; `.ci/run` starts it).

Without ODOO_URL those tests skip with a message; under CI a missing server is a failure, as
for PostgreSQL. Every test pushes under its own namespace (a fresh prefix of external ids) and
its own till code and invoice series, so runs never meet each other's moves in Odoo.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import replace

import pytest

from coop.sync.odoo import Odoo
from coop.sync.rules import Chart
from coop.sync.settings import OdooSettings, SyncSettings

IN_CI = bool(os.environ.get("CI"))


def odoo_settings_from_env() -> OdooSettings:
    url = os.environ.get("ODOO_URL", "")
    if not url:
        if IN_CI:
            pytest.fail("ODOO_URL is not set: CI must test the sync against the real Odoo")
        pytest.skip("no Odoo server (start ../shared/odoo/start and set ODOO_URL, ODOO_DB...)")
    return OdooSettings(
        url=url,
        database=os.environ["ODOO_DB"],
        login=os.environ["ODOO_LOGIN"],
        api_key=os.environ["ODOO_PASSWORD"],
        backoff=0.05,
        retries=2,
    )


@pytest.fixture
def run_id() -> str:
    return uuid.uuid4().hex[:8].upper()


@pytest.fixture
def sync_settings(run_id: str) -> SyncSettings:
    """The real server, our namespace, and the setup the push needs (taxes, journal)."""
    odoo_settings = odoo_settings_from_env()
    settings = SyncSettings(odoo=odoo_settings, chart=replace(Chart(), namespace=f"t{run_id}_"))
    return settings


@pytest.fixture
def odoo(sync_settings: SyncSettings):
    link = Odoo(sync_settings.odoo)
    yield link
    link.close()
