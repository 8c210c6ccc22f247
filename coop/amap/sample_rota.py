"""The demo AMAP's volunteers: counts per place and contract (R25), sign-ups over last season
(some distributions left short), the first distributions of next season half staffed, and
instructions on a few dates — so the rota, the fair-share report and the sheets show real data.

Played through the real use cases (``rota.sign_up``, ``distributions.set_details``).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.amap import distributions, rota
from coop.amap.models import Contract, Place, Subscription
from coop.audit import Actor
from coop.clock import SHOP_TIMEZONE
from coop.errors import CoopError
from coop.members.models import Member
from coop.rights import Role

DEMO = Actor("demo", roles=frozenset({Role.ADMINISTRATOR}))
COUNTS = {"GERLAND": 2, "CROIX": 1}
"""Volunteers every distribution at the place needs; the vegetable contracts add one."""


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=SHOP_TIMEZONE)


def load_rota(session: Session, rnd: random.Random, year: int) -> None:
    for row in session.scalars(select(Place)):
        row.volunteers = COUNTS.get(row.code, 0)
    for contract in session.scalars(select(Contract).where(Contract.code.like("LEG-%"))):
        contract.volunteers = 1
    session.flush()
    numbers = list(
        session.scalars(
            select(Member.number)
            .join(Subscription, Subscription.member_id == Member.id)
            .distinct()
            .order_by(Member.number)
        )
    )
    last = distributions.dates_between(session, date(year, 1, 1), date(year, 12, 31))
    nxt = distributions.dates_between(session, date(year + 1, 1, 1), date(year + 1, 5, 31))[:6]
    for index, (on, place) in enumerate(last + nxt):
        if index % 7 == 3:
            continue  # a distribution nobody signed up for
        needed = rota.staffing(session, on, place).needed
        fill = needed if on.year == year and index % 5 else max(needed - 1, 1)
        roles = ["WELCOME", "HANDOUT", "HANDOUT", "SETUP", "CLEANUP"]
        for role_code, number in zip(roles[:fill], rnd.sample(numbers, k=fill), strict=True):
            try:
                rota.sign_up(session, on, place, role_code, number, actor=DEMO, now=_at(on))
            except CoopError:
                continue
    if nxt:
        on, place = nxt[0]
        distributions.set_details(
            session,
            on,
            place,
            public_note="Apportez vos sacs et vos boîtes à œufs vides.",
            volunteer_note="Clés de la salle chez le gardien ; rendre la salle balayée à 19 h 45.",
            actor=DEMO,
            now=_at(date(year, 12, 1)),
        )
