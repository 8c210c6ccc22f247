"""The coordinator's treasurer panel (Ctrl+T) driven with key presses on the demo data, at
80×24 and 120×40: the outbox's counts, the oldest waiting event, each event needing attention
with its reason; R retries one, M marks one resolved with a reason, through the same core
services as `coop sync retry` / `coop sync resolve` (audited)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coop.audit import AuditEntry
from coop.outbox import OutboxRow
from tests.tui.conftest import press, settle, type_text
from tui.screens.coordinator.forms import FormDialog
from tui.screens.coordinator.hub import CoordinatorScreen
from tui.widgets.scan_field import ScanField


def needs_attention(engine, count: int = 2) -> list[int]:
    """Put the first ``count`` outbox rows of the demo in "needs attention", as a refused push
    leaves them."""
    with Session(engine) as session:
        ids = list(session.scalars(select(OutboxRow.id).order_by(OutboxRow.id).limit(count)))
        for n, row_id in enumerate(ids):
            session.execute(
                update(OutboxRow)
                .where(OutboxRow.id == row_id)
                .values(state="attention", attempts=1, last_error=f"Odoo refused it ({n}): locked")
            )
        session.commit()
    return ids


def state_of(engine, row_id: int) -> tuple[str, str | None]:
    with Session(engine) as session:
        row = session.get(OutboxRow, row_id)
        assert row is not None
        return row.state, row.resolved_by


def audit_of(engine, action: str) -> list[tuple[str, str | None]]:
    with Session(engine) as session:
        return list(
            session.execute(
                select(AuditEntry.entity_id, AuditEntry.reason).where(AuditEntry.action == action)
            ).all()
        )


def panel_text(app) -> str:
    return str(app.screen.query_one("#sync-status").render())


def rows_text(app) -> list[str]:
    rows = app.screen.query_one("#sync-attention")
    return [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_treasurer_sees_retries_and_resolves(counter_app, demo_engine, size):
    first, second = needs_attention(demo_engine)
    app = counter_app(mode="coordinator")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CoordinatorScreen)
        await press(pilot, "ctrl+t")
        await settle(pilot)
        assert app.screen.query_one("#coord-views").current == "coord-sync"
        text = panel_text(app)
        assert "needs attention: 2" in text and "pending: 429" in text
        assert "Oldest waiting: #3" in text
        rows = rows_text(app)
        assert len(rows) == 2
        assert rows[0].startswith(f"#{first} ") and "Odoo refused it (0): locked" in rows[0]
        # R on the first row: pending again, audited.
        await press(pilot, "r")
        await settle(pilot)
        assert state_of(demo_engine, first) == ("pending", None)
        assert f"Row #{first} is pending again" in str(app.screen.query_one("#coord-info").render())
        assert [r[0] for r in audit_of(demo_engine, "sync.retry")] == [str(first)]
        assert len(rows_text(app)) == 1 and "pending: 430" in panel_text(app)
        # M on the other: a reason is asked, then it is marked resolved.
        await press(pilot, "m")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await press(pilot, "enter")  # no reason: refused in the dialog
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await type_text(pilot, "saisi à la main")
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, CoordinatorScreen)
        assert state_of(demo_engine, second)[0] == "posted"
        assert state_of(demo_engine, second)[1]
        assert audit_of(demo_engine, "sync.resolve") == [(str(second), "saisi à la main")]
        assert rows_text(app) == [] and "Nothing needs attention." in panel_text(app)
        # Nothing left to choose: the keys go back to the scan field.
        assert isinstance(app.focused, ScanField)


async def test_escape_in_the_reason_changes_nothing(counter_app, demo_engine):
    [row] = needs_attention(demo_engine, 1)
    app = counter_app(mode="coordinator")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+t")
        await settle(pilot)
        await press(pilot, "m")
        await settle(pilot)
        await press(pilot, "escape")
        await settle(pilot)
        assert state_of(demo_engine, row) == ("attention", None)
        assert "Nothing was changed." in str(app.screen.query_one("#coord-info").render())
