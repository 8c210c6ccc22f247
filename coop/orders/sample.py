"""Three grouped orders for the demo, played through the real use cases.

- ``DISTRI-1``, five weeks ago: Distri'Bio's price list (``sample_data/distribio_tarif.csv``),
  about 25 households order with tolerances (one changes their mind), the cycle is closed
  (Foodsoft rounding), sent, received as ordered except two extra cases of spaghetti that go to
  the shop's stock, and settled: every household gets an invoice on its prepaid account, which
  most had topped up by transfer beforehand;
- ``DISTRI-2``, two weeks ago: the same supplier, a short delivery (spaghetti at 70 %, one case of
  olive oil missing, fewer oranges), shared out again with FIFO, one line corrected by hand;
  received, not settled yet;
- ``VRAC-3``, open now: Distri'Bio with up rounding and the Relais Vrac bulk catalogue at once,
  with orders coming in and a box-fill phase before it closes.

Deterministic for a given "today": ``random.Random`` with a fixed seed.
"""

from __future__ import annotations

import contextlib
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.accounts import service as accounts
from coop.audit import Actor
from coop.clock import SHOP_TIMEZONE, local_date
from coop.config import Settings
from coop.errors import CoopError
from coop.members.models import Member
from coop.orders import articles, delivery, ordering, service
from coop.orders.models import OrderArticle, OrderCycle, OrderIncrement
from coop.orders.service import SupplierIn

SEED = 6
PRICE_LIST = "distribio_tarif.csv"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHOP_TIMEZONE)


def _households(session: Session, today: date, count: int) -> list[int]:
    """Member numbers of households still in the coop (their main member)."""
    return list(
        session.scalars(
            select(Member.number)
            .where(Member.main_member_id.is_(None), Member.left_on.is_(None))
            .order_by(Member.number)
            .limit(count)
        )
    )


def _order_round(
    session: Session,
    rnd: random.Random,
    *,
    code: str,
    households: list[int],
    start: datetime,
    end: datetime,
    actor: Actor,
) -> None:
    """Each household orders a few articles at random moments between ``start`` and ``end``."""
    cycle = service.get_cycle(session, code)
    rows = session.execute(
        select(OrderArticle.reference, OrderArticle.by_weight, OrderArticle.case_size)
        .where(OrderArticle.cycle_id == cycle.id)
        .order_by(OrderArticle.reference)
    ).all()
    span = int((end - start).total_seconds())
    orders = []
    for number in households:
        for reference, by_weight, case_size in rnd.sample(rows, rnd.randint(2, 5)):
            if by_weight:
                quantity, tolerance = rnd.choice((500, 1000, 1500, 2000, 2500)), 0
            else:
                quantity = rnd.randint(1, max(2, case_size // 3))
                tolerance = rnd.choice((0, 0, 1, 2)) if case_size > 1 else 0
            moment = start + timedelta(seconds=rnd.randrange(span))
            orders.append((moment, number, reference, quantity, tolerance, by_weight))
    orders.sort()
    for moment, number, reference, quantity, tolerance, _weighed in orders:
        ordering.order(
            session,
            code=code,
            member_number=number,
            reference=reference,
            quantity=quantity,
            tolerance=tolerance,
            actor=actor,
            now=moment,
        )
    # one household changes its mind: less firm, more tolerance (keeps its early place)
    moment, number, reference, quantity, tolerance, weighed = orders[0]
    if quantity > 1 and not weighed:
        ordering.order(
            session,
            code=code,
            member_number=number,
            reference=reference,
            quantity=quantity - 1,
            tolerance=tolerance + 1,
            actor=actor,
            now=moment + timedelta(hours=2),
        )


def load_order_history(
    session: Session, *, folder: Path, settings: Settings, actor: Actor, now: datetime
) -> None:
    today = local_date(now)
    rnd = random.Random(SEED)
    households = _households(session, today, 60)
    price_list = folder / PRICE_LIST

    # DISTRI-1: finished and settled
    first = today - timedelta(days=35)
    service.create_cycle(
        session,
        code="DISTRI-1",
        name="Distri'Bio — épicerie du mois",
        suppliers=[SupplierIn("DISTRIBIO-SE")],
        opens_at=_at(first, 9),
        boxfill_at=_at(first + timedelta(days=4), 12),
        closes_at=_at(first + timedelta(days=5), 18),
        delivery_on=first + timedelta(days=8),
        delivery_place="Local de la coop, 12 rue des Capucins",
        actor=actor,
        now=_at(first - timedelta(days=1), 18),
    )
    articles.import_articles(
        session,
        code="DISTRI-1",
        supplier_code="DISTRIBIO-SE",
        path=price_list,
        actor=actor,
        now=_at(first - timedelta(days=1), 18),
    )
    service.open_cycle(
        session, code="DISTRI-1", actor=actor, now=_at(first - timedelta(days=1), 19)
    )
    buyers = rnd.sample(households, 25)
    _order_round(
        session,
        rnd,
        code="DISTRI-1",
        households=buyers,
        start=_at(first, 9),
        end=_at(first + timedelta(days=4), 11),
        actor=actor,
    )
    service.close(session, code="DISTRI-1", actor=actor, now=_at(first + timedelta(days=5), 18))
    service.send(session, code="DISTRI-1", actor=actor, now=_at(first + timedelta(days=5), 19))
    ordered = dict(
        session.execute(
            select(OrderArticle.reference, OrderArticle.ordered)
            .join_from(OrderArticle, OrderCycle)
            .where(OrderCycle.code == "DISTRI-1")
        ).all()
    )
    spaghetti = ordered.get("DB432039") or 0
    received = {"DB432039": min(spaghetti + 12, 2 * spaghetti)}  # a case too many → stock
    delivery.receive(
        session,
        code="DISTRI-1",
        received=received,
        actor=actor,
        now=_at(first + timedelta(days=8), 10),
    )
    for number in buyers[:20]:  # most households had put money on their account
        accounts.top_up(
            session,
            member_number=number,
            amount_cents=rnd.choice((3000, 5000, 8000)),
            means="transfer",
            settings=settings.accounts,
            actor=actor,
            now=_at(first + timedelta(days=2), 9),
        )
    delivery.settle(
        session,
        code="DISTRI-1",
        settings=settings.accounts,
        actor=actor,
        now=_at(first + timedelta(days=8), 19),
    )

    # DISTRI-2: a short delivery, shared out again, not settled yet
    second = today - timedelta(days=14)
    service.create_cycle(
        session,
        code="DISTRI-2",
        name="Distri'Bio — réassort",
        suppliers=[SupplierIn("DISTRIBIO-SE")],
        opens_at=_at(second, 9),
        closes_at=_at(second + timedelta(days=5), 18),
        delivery_on=second + timedelta(days=8),
        delivery_place="Local de la coop, 12 rue des Capucins",
        actor=actor,
        now=_at(second - timedelta(days=1), 18),
    )
    articles.import_articles(
        session,
        code="DISTRI-2",
        supplier_code="DISTRIBIO-SE",
        path=price_list,
        actor=actor,
        now=_at(second - timedelta(days=1), 18),
    )
    service.open_cycle(
        session, code="DISTRI-2", actor=actor, now=_at(second - timedelta(days=1), 19)
    )
    buyers = rnd.sample(households, 25)
    _order_round(
        session,
        rnd,
        code="DISTRI-2",
        households=buyers,
        start=_at(second, 9),
        end=_at(second + timedelta(days=5), 17),
        actor=actor,
    )
    service.close(session, code="DISTRI-2", actor=actor, now=_at(second + timedelta(days=5), 18))
    service.send(session, code="DISTRI-2", actor=actor, now=_at(second + timedelta(days=5), 19))
    ordered = dict(
        session.execute(
            select(OrderArticle.reference, OrderArticle.ordered)
            .join_from(OrderArticle, OrderCycle)
            .where(OrderCycle.code == "DISTRI-2")
        ).all()
    )
    short = {
        "DB432039": (ordered.get("DB432039") or 0) * 7 // 10,
        "DB508260": max((ordered.get("DB508260") or 0) - 6, 0),
        "DB622668": (ordered.get("DB622668") or 0) * 3 // 4,
    }
    delivery.receive(
        session,
        code="DISTRI-2",
        received=short,
        actor=actor,
        now=_at(second + timedelta(days=8), 10),
    )
    view_members = session.execute(
        select(Member.number)
        .join(OrderIncrement, OrderIncrement.member_id == Member.id)
        .join(OrderArticle, OrderArticle.id == OrderIncrement.article_id)
        .join(OrderCycle, OrderCycle.id == OrderArticle.cycle_id)
        .where(OrderCycle.code == "DISTRI-2", OrderArticle.reference == "DB432039")
        .order_by(OrderIncrement.at.desc())
        .limit(1)
    ).scalar()
    if view_members is not None and short["DB432039"]:
        # the last to order spaghetti had nothing left: the coordinator gives them one by hand
        with contextlib.suppress(CoopError):  # nothing to share: keep the history as it is
            delivery.correct(
                session,
                code="DISTRI-2",
                reference="DB432039",
                member_number=view_members,
                quantity=1,
                note="arrangement à la distribution",
                actor=actor,
                now=_at(second + timedelta(days=8), 11),
            )

    # VRAC-3: open now, two suppliers, box-fill before closing
    third = today - timedelta(days=3)
    service.create_cycle(
        session,
        code="VRAC-3",
        name="Vrac et épicerie — commande en cours",
        suppliers=[SupplierIn("DISTRIBIO-SE", "up"), SupplierIn("RELAIS-VRAC")],
        opens_at=_at(third, 9),
        boxfill_at=_at(today + timedelta(days=2), 12),
        closes_at=_at(today + timedelta(days=3), 18),
        delivery_on=today + timedelta(days=6),
        delivery_place="Local de la coop, 12 rue des Capucins",
        strategy="proportional",
        actor=actor,
        now=_at(third - timedelta(days=1), 18),
    )
    articles.import_articles(
        session,
        code="VRAC-3",
        supplier_code="DISTRIBIO-SE",
        path=price_list,
        actor=actor,
        now=_at(third - timedelta(days=1), 18),
    )
    articles.add_catalogue_articles(
        session,
        code="VRAC-3",
        supplier_code="RELAIS-VRAC",
        actor=actor,
        now=_at(third - timedelta(days=1), 18),
    )
    service.open_cycle(session, code="VRAC-3", actor=actor, now=_at(third - timedelta(days=1), 19))
    _order_round(
        session,
        rnd,
        code="VRAC-3",
        households=rnd.sample(households, 20),
        start=_at(third, 9),
        end=min(now - timedelta(minutes=5), _at(today + timedelta(days=2), 11)),
        actor=actor,
    )
