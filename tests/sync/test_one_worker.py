"""The sync's tests share one real Odoo (its journals, sequences and chart), so under
pytest-xdist they must all run in one worker: tests/conftest.py puts them in the xdist group
"odoo", and ``--dist loadgroup`` sends a group to one worker by the ``@odoo`` suffix it adds to
each test's id. If a pytest or xdist upgrade loses that suffix, this test says so at once
(instead of the Odoo tests failing now and then against each other's changes)."""

from __future__ import annotations

import os

import pytest


def test_the_sync_tests_run_in_one_worker(request: pytest.FixtureRequest) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        # one process (`-n 0`): every test runs in it, one at a time, which is what is wanted
        assert request.config.getoption("dist", "no") == "no"
        return
    assert request.config.getvalue("loadgroup") is True
    assert request.node.nodeid.endswith("@odoo"), request.node.nodeid
