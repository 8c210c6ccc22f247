"""The demo AMAP: two places, four contracts, every state a coordinator meets in a season."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from coop.amap import payments, solidarity, views
from coop.amap.models import Basket, BasketItem, Contract, Delivery, Holder, Payment, Subscription
from coop.amap.sample import season_year
from coop.clock import SHOP_TIMEZONE
from coop.config import Settings, sqlite_url
from coop.db import make_engine, make_session_factory
from coop.demo import build_demo


def test_season_year_is_the_last_ended_season():
    assert season_year(date(2026, 12, 6)) == 2026
    assert season_year(date(2027, 6, 1)) == 2026


def test_demo_amap(tmp_path):
    target = tmp_path / "demo.sqlite3"
    now = datetime(2026, 12, 6, 9, 0, tzinfo=SHOP_TIMEZONE)
    build_demo(target, settings=Settings(database_url=sqlite_url(tmp_path / "real.db")), now=now)
    engine = make_engine(sqlite_url(target))
    with make_session_factory(engine)() as session:
        codes = set(session.scalars(select(Contract.code)))
        assert codes == {"LEG-2026", "OEUFS-2026", "PAIN-2026", "FROMAGE-2026", "LEG-2027"}
        households = session.scalar(select(func.count(func.distinct(Holder.member_id))))
        assert 75 <= households <= 90
        leg = session.scalar(select(Contract).where(Contract.code == "LEG-2026"))
        days = {
            d.on: d for d in session.scalars(select(Delivery).where(Delivery.contract_id == leg.id))
        }
        assert date(2026, 8, 15) not in days and date(2026, 8, 8) in days
        assert [d.on.month for d in days.values() if d.factor == 200] == [9]
        assert min(days).month == 4 and max(days).month == 10
        states = set(session.scalars(select(Payment.state)))
        assert states == {"expected", "received", "handed_over"}
        assert {"cheque", "transfer", "local_currency"} <= set(
            session.scalars(select(Payment.means))
        )
        statuses = set(session.scalars(select(Basket.status)))
        assert statuses == {"due", "absent", "donated"}
        shared = session.scalar(select(func.count()).select_from(Holder).where(Holder.position > 0))
        assert shared >= 5
        solidarity_sub = session.scalar(
            select(Subscription).where(Subscription.solidarity.is_(True))
        )
        assert solidarity_sub is not None
        assert solidarity.fund_balance(session) >= 0
        joiners = session.scalar(
            select(func.count())
            .select_from(Subscription)
            .where(Subscription.contract_id == leg.id, Subscription.starts_on > leg.season_start)
        )
        assert joiners >= 5
        # Variable orders: some cheese baskets differ from the default order.
        cheese = session.scalar(select(Contract).where(Contract.code == "FROMAGE-2026"))
        yaourts = session.scalar(
            select(func.count())
            .select_from(BasketItem)
            .join(Basket, Basket.id == BasketItem.basket_id)
            .join(Subscription, Subscription.id == Basket.subscription_id)
            .where(
                Subscription.contract_id == cheese.id,
                BasketItem.offer_id.in_(select(views.Offer.id).where(views.Offer.code == "YAOURT")),
                BasketItem.quantity > 0,
            )
        )
        assert yaourts > 0
        # The two places both have a distribution on the double-basket day.
        double = next(d for d in days.values() if d.factor == 200).on
        assert views.distribution(session, double, "GERLAND")
        assert views.distribution(session, double, "CROIX")
        paid = [
            payments.balance(session, s).paid
            for s in session.scalars(select(Subscription).where(Subscription.contract_id == leg.id))
        ]
        assert any(paid) and not all(paid)
    engine.dispose()
