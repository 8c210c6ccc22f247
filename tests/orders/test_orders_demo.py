"""The demo holds a settled cycle, one received short and one open now."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from coop.clock import SHOP_TIMEZONE
from coop.config import Settings, sqlite_url
from coop.db import make_engine, make_session_factory
from coop.demo import build_demo
from coop.orders import views
from coop.orders.models import OrderCycle


def test_demo_has_a_settled_a_short_and_an_open_cycle(tmp_path):
    target = tmp_path / "demo.sqlite3"
    now = datetime(2026, 11, 21, 0, 10, tzinfo=SHOP_TIMEZONE)  # just after midnight
    build_demo(target, settings=Settings(database_url=sqlite_url(tmp_path / "real.db")), now=now)
    engine = make_engine(sqlite_url(target))
    with make_session_factory(engine)() as session:
        states = dict(session.execute(select(OrderCycle.code, OrderCycle.state)).all())
        assert states == {"DISTRI-1": "settled", "DISTRI-2": "received", "VRAC-3": "open"}
        settled = views.cycle_view(session, "DISTRI-1", now=now)
        assert settled.members and all(m.invoice for m in settled.members if m.incl_vat_cents)
        rec = settled.reconciliation
        assert rec.supplier_incl_vat_cents == (
            rec.members_incl_vat_cents + rec.surplus_incl_vat_cents + rec.rounding_incl_vat_cents
        )
        short = views.cycle_view(session, "DISTRI-2", now=now)
        assert any(a.received is not None and a.received < a.units_ordered for a in short.articles)
        assert any(line.pinned for m in short.members for line in m.lines)
        current = views.cycle_view(session, "VRAC-3", now=now)
        assert current.phase == "open" and len(current.suppliers) == 2
        assert sum(a.households for a in current.articles) > 0
        # the sorting grid lists households by last name, then first name, accents ignored
        from coop.members.models import Member
        from coop.orders.sheets import packing_list
        from coop.text import fold

        grid = packing_list(session, "DISTRI-2", "matrix", settings=Settings(), printed_at=now)
        names = dict(
            session.execute(select(Member.number, Member.last_name + " " + Member.first_name)).all()
        )
        listed = [names[number] for number, _name in grid.matrix.households]
        assert len(listed) > 10 and listed == sorted(listed, key=fold)
        by_first_name = sorted(grid.matrix.households, key=lambda row: fold(row[1]))
        assert list(grid.matrix.households) != by_first_name  # the demo tells the two apart
    engine.dispose()
