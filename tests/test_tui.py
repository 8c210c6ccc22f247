"""The app factory the CLI uses opens on the database it is given (driven with Textual's Pilot)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import create_engine
from textual.widgets import DataTable

from coop.clock import fixed_clock
from coop.db import make_session_factory
from coop.demo import build_demo
from tui.app import make_app


async def test_summary_screen_lists_the_demo_data(tmp_path, now):
    from coop.config import Settings

    target = tmp_path / "demo.sqlite3"
    settings = Settings(language="fr")
    build_demo(target, settings=settings, now=now)
    engine = create_engine(f"sqlite:///{target}")
    app = make_app(
        replace(settings, database_url=f"sqlite:///{target}"),
        make_session_factory(engine),
        fixed_clock(now),
    )
    async with app.run_test() as pilot:
        await pilot.pause()
        table = app.query_one(DataTable)
        rows = {table.get_row_at(i)[0]: int(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert rows["Membres"] == 300
        assert rows["Producteurs"] == 12
        await pilot.press("f10")
    assert app.return_code in (0, None)
    engine.dispose()
