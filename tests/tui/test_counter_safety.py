"""The counter driven with key presses: what must not happen (a double Enter selling twice, a
scan leaking out of a dialog, a locked database losing a sale) and the less common means of
payment. The helpers are ``test_counter``'s."""

from __future__ import annotations

from sqlalchemy import func, select

from coop.till.models import Sale
from tests.tui.conftest import (
    AT_TERMINAL,
    MESCLUN,
    SPAGHETTI,
    azerty,
    press,
    scan,
    settle,
    type_text,
)
from tests.tui.test_counter import (
    banner,
    count_lines,
    info,
    open_till,
    payments,
    rows,
    sales,
)
from tui.screens.basket_dialogs import DiscountDialog
from tui.screens.counter import CounterScreen
from tui.screens.dialogs import TextDialog
from tui.screens.payment import PaymentDialog
from tui.widgets.scan_field import ScanField

# --- what must not happen ---------------------------------------------------------------------


async def test_enter_twice_commits_once(counter_app, demo_engine, shopper):
    app = counter_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, shopper)
        await scan(pilot, SPAGHETTI)
        before = len(sales(demo_engine))
        await pilot.press("f9", "enter", "enter", "f9", "enter")
        await settle(pilot)
        assert len(sales(demo_engine)) == before + 1
        assert "Nothing to pay" in info(app)
        assert isinstance(app.screen, CounterScreen)


async def test_a_scan_while_a_dialog_is_open_does_not_leak_into_the_sale(
    counter_app, demo_engine, shopper
):
    app = counter_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, shopper)
        await scan(pilot, SPAGHETTI)
        await press(pilot, "f9")
        await scan(pilot, azerty(MESCLUN))  # typed into the amount field: refused
        assert isinstance(app.screen, PaymentDialog)
        assert "looks like a scan" in str(app.screen.query_one("#dialog-error").render())
        await press(pilot, "enter")  # the exact amount is typed again: settles
        sale = sales(demo_engine)[-1]
        assert sale.total_cents == 215
        assert count_lines(demo_engine, sale.id) == 1
        await scan(pilot, shopper)
        await scan(pilot, SPAGHETTI)
        await press(pilot, "f3")
        await scan(pilot, MESCLUN)  # into the quantity dialog: refused there
        assert isinstance(app.screen, TextDialog)
        await press(pilot, "escape")
        assert [r[1] for r in rows(app)] == ["1"]
        await press(pilot, "f6")
        await scan(pilot, MESCLUN)  # into the discount dialog
        assert isinstance(app.screen, DiscountDialog)
        await press(pilot, "escape")
        assert app.screen.basket.discount is None and len(app.screen.basket.entries) == 1


async def test_escape_backs_out_of_every_dialog_and_the_scan_field_has_the_focus(
    counter_app, shopper
):
    app = counter_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, shopper)
        await scan(pilot, SPAGHETTI)
        for key in ("f2", "f3", "f5", "f6", "f7", "f9", "f10", "ctrl+q"):
            await press(pilot, key)
            assert not isinstance(app.screen, CounterScreen), key
            await press(pilot, "escape")
            assert isinstance(app.screen, CounterScreen), key
            assert isinstance(app.focused, ScanField), key
        assert len(app.screen.basket.entries) == 1


async def test_the_member_search_finds_a_name_without_its_accents(counter_app):
    app = counter_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "f2")
        await type_text(pilot, "eric dumon")
        hits = app.screen.query_one("#member-hits")
        assert "Éric Dumont" in str(hits.get_option_at_index(0).prompt)
        await press(pilot, "enter")
        assert isinstance(app.screen, CounterScreen)
        assert str(banner(app).render()).startswith("MAY SHOP — Member 1 Éric Dumont")
        assert isinstance(app.focused, ScanField)


async def test_a_database_locked_by_another_till_saves_nothing_and_says_so(
    demo_url, now, shopper, monkeypatch
):
    """Another till holds the write lock while this one takes the payment: a clear message,
    nothing written, the basket kept; once the lock is gone, F9 Enter records the sale."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from coop import db
    from coop.clock import fixed_clock
    from coop.config import Settings
    from tui.app import make_app

    if demo_url.startswith("sqlite"):
        monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)
        engine = db.make_engine(demo_url)
    else:
        engine = create_engine(demo_url, connect_args={"options": "-c lock_timeout=200"})
    app = make_app(
        Settings(database_url=demo_url, language="en"),
        db.make_session_factory(engine),
        fixed_clock(now),
        actor=AT_TERMINAL,
    )
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await open_till(pilot)
            await scan(pilot, shopper)
            await scan(pilot, SPAGHETTI)
            before = len(sales(engine))
            other = other_till(demo_url)  # another till in the middle of writing
            await press(pilot, "f9", "enter")
            assert "busy (another till is writing)" in info(app)
            assert "Nothing was recorded" in info(app)
            other.rollback()
            other.close()
            assert len(sales(engine)) == before
            assert len(app.screen.basket.entries) == 1
            await press(pilot, "f9", "enter")
            assert len(sales(engine)) == before + 1
            with Session(engine) as session:
                assert session.scalar(select(func.count()).select_from(Sale)) == before + 1
    finally:
        engine.dispose()


def other_till(url: str):
    """A connection holding the write lock (SQLite) or the tills table (PostgreSQL)."""
    if url.startswith("sqlite"):
        import sqlite3

        connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        return connection
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    connection = psycopg.connect(
        dbname=parsed.database,
        user=parsed.username,
        host=parsed.query.get("host", parsed.host),
        port=parsed.port,
    )
    connection.execute("LOCK TABLE tills IN ACCESS EXCLUSIVE MODE")
    return connection


async def test_cheque_and_the_local_currency_when_the_coop_names_one(
    counter_app, demo_engine, shopper
):
    app = counter_app(local_currency="Gonette")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, shopper)
        await scan(pilot, "3740254259249")  # 4,95 €
        await press(pilot, "f9")
        assert "F4 Gonette" in str(app.screen.query_one("#payment-means-keys").render())
        await press(pilot, "f4", "ctrl+u")
        await type_text(pilot, "3")
        await press(pilot, "enter", "f3", "enter")  # 3,00 in Gonettes, the rest by cheque
        sale = sales(demo_engine)[-1]
        assert payments(demo_engine, sale.id) == [("local_currency", 300), ("cheque", 195)]
    app = counter_app()  # without a local currency, F4 does nothing
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, shopper)
        await scan(pilot, "3740254259249")
        await press(pilot, "f9", "f4")
        assert str(app.screen.query_one("#payment-means").render()) == "Means: cash"
