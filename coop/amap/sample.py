"""The demo AMAP, played through the real use cases: about 80 households at two places.

Season Y is the last one that ended before today (today 2026-12-06 → 2026), season Y+1 the next:

- ``LEG-Y`` vegetables from the Ferme du Moulin, small (PP) and large (GP) baskets, every week
  from April to October on the weekday of 15 August, which is skipped and made up by one double
  basket in September; shared baskets, mid-season joiners, absences in summer, baskets given to a
  keeper or to the Restos du Cœur, two solidarity baskets paid in part by the solidarity fund;
- ``OEUFS-Y`` eggs every two weeks, ``PAIN-Y`` bread once a month (same ordinal weekday);
- ``FROMAGE-Y`` a variable cheese contract with per-delivery orders;
- cheques in every state (handed to the producer, received, still expected), transfers, cash
  and local currency; gifts and per-delivery contributions to the solidarity fund;
- ``LEG-Y+1`` renewed for next season, with its first subscriptions and cheques expected.

Deterministic for a given "today": ``random.Random`` with a fixed seed.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.amap import absences, baskets, calendar, contracts, payments, solidarity, subscriptions
from coop.amap.contracts import ContractIn, OfferIn
from coop.amap.models import Contract, Payment, Subscription
from coop.amap.rules import ContractKind, Means, Recurrence, SplitStrategy
from coop.amap.subscriptions import SubscriptionIn
from coop.audit import Actor
from coop.clock import SHOP_TIMEZONE, local_date
from coop.errors import CoopError
from coop.members.models import Member, MemberCategory
from coop.rights import Role

SEED = 12
PARTNER = "Restos du Cœur – antenne Gerland"


def _at(day: date, hour: int = 19) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHOP_TIMEZONE)


def season_year(today: date) -> int:
    """The last season (April–October) that ended before today."""
    return today.year if today >= date(today.year, 11, 1) else today.year - 1


def _first(year: int, month: int, weekday: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _last(year: int, month: int, weekday: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _contract(
    session: Session,
    code: str,
    name: str,
    producer: str,
    kind: ContractKind,
    year: int,
    weekday: int,
    offers: list[OfferIn],
    referent: int,
    **options: object,
) -> Contract:
    start, end = _first(year, 4, weekday), _last(year, 10, weekday)
    data = ContractIn(
        code=code,
        name=name,
        producer=producer,
        kind=kind,
        season_start=start,
        season_end=end,
        places=["GERLAND", "CROIX"],
        offers=offers,
        referents=[referent],
        cashing_dates=[date(year, m, 5) for m in range(4, 11)],
        **options,  # type: ignore[arg-type]
    )
    return contracts.create_contract(session, data, actor=DEMO, now=_at(date(year, 2, 1)))


DEMO = Actor("demo", roles=frozenset({Role.ADMINISTRATOR}))


def _households(session: Session) -> tuple[list[int], list[int]]:
    """(standard households, solidarity households) still in the coop, by member number."""
    rows = session.execute(
        select(Member.number, MemberCategory.code)
        .join(MemberCategory, MemberCategory.id == Member.category_id)
        .where(Member.main_member_id.is_(None), Member.left_on.is_(None))
        .order_by(Member.number)
    ).all()
    return [n for n, c in rows if c != "solidarity"], [n for n, c in rows if c == "solidarity"]


def load_amap(session: Session, *, now: datetime) -> None:
    """Build the demo AMAP (see the module's docstring)."""
    rnd = random.Random(SEED)
    year = season_year(local_date(now))
    before = _at(date(year, 3, 1))
    for code, name, address, hours in (
        ("GERLAND", "MJC de Gerland", "4 rue de Gerland, 69007 Lyon", "18 h 30 – 19 h 30"),
        ("CROIX", "Salle des Canuts", "12 rue d'Austerlitz, 69004 Lyon", "18 h – 19 h"),
    ):
        contracts.create_place(
            session, code=code, name=name, address=address, hours=hours, actor=DEMO, now=before
        )
    weekday = date(year, 8, 15).weekday()  # so that 15 August is a delivery day to skip
    leg = _contract(
        session,
        f"LEG-{year}",
        f"Légumes {year}",
        "FERME-MOULIN",
        ContractKind.FIXED,
        year,
        weekday,
        [
            OfferIn("PP", "Petit panier", 1500, 550, solidarity_price_cents=750, parts_pct=100),
            OfferIn("GP", "Grand panier", 2500, 550, parts_pct=200),
        ],
        referent=2,
        cheque_counts=[1, 3, 7],
        strategy=SplitStrategy.AMAPRESS,
        max_absences=3,
        absence_from=date(year, 7, 1),
        absence_to=date(year, 8, 31),
        partner=PARTNER,
    )
    eggs = _contract(
        session,
        f"OEUFS-{year}",
        f"Œufs {year}",
        "FERME-GRILLONS",
        ContractKind.FIXED,
        year,
        weekday,
        [OfferIn("OEUF6", "6 œufs", 360, 550), OfferIn("OEUF12", "12 œufs", 700, 550)],
        referent=3,
        cheque_counts=[1, 2],
        strategy=SplitStrategy.EQUAL,
    )
    bread = _contract(
        session,
        f"PAIN-{year}",
        f"Pain {year}",
        "PETRIN-PARTAGE",
        ContractKind.FIXED,
        year,
        weekday,
        [
            OfferIn("PAIN1", "1 pain de campagne 1 kg", 450, 550),
            OfferIn("PAIN2", "2 pains", 880, 550),
        ],
        referent=4,
        cheque_counts=[1, 2, 3],
        strategy=SplitStrategy.AMAPJ,
        min_cheque_cents=1000,
    )
    cheese = _contract(
        session,
        f"FROMAGE-{year}",
        f"Fromages {year}",
        "FROMAGERIE-MONTS",
        ContractKind.VARIABLE,
        year,
        weekday,
        [
            OfferIn("TOMME", "Tomme des Monts 300 g", 650, 550),
            OfferIn("CHEVRE", "Crottin de chèvre", 320, 550),
            OfferIn("YAOURT", "4 yaourts au lait entier", 240, 550),
        ],
        referent=6,
        cheque_counts=[1, 2, 3, 4, 5, 6, 7],
        strategy=SplitStrategy.MONTHLY,
        min_order_cents=300,
    )
    skip = [date(year, 8, 15)]
    calendar.generate(session, leg, recurrence=Recurrence.WEEKLY, skip=skip, actor=DEMO, now=before)
    calendar.generate(
        session,
        eggs,
        recurrence=Recurrence.EVERY_N_WEEKS,
        weeks=2,
        skip=skip,
        actor=DEMO,
        now=before,
    )
    calendar.generate(session, bread, recurrence=Recurrence.MONTHLY, actor=DEMO, now=before)
    calendar.generate(
        session,
        cheese,
        recurrence=Recurrence.EVERY_N_WEEKS,
        weeks=2,
        skip=skip,
        actor=DEMO,
        now=before,
    )
    september = [d.on for d in calendar.deliveries(session, leg.id) if d.on.month == 9]
    calendar.set_factor(
        session,
        leg,
        september[1],
        factor=200,
        reason="rattrapage du 15 août",
        actor=DEMO,
        now=before,
    )
    solidarity.gift(
        session, amount=30000, member=None, note="Vide-grenier de l'AMAP", actor=DEMO, now=before
    )
    standard, poor = _households(session)
    rnd.shuffle(standard)
    people = standard[:78]
    _subscribe_all(session, rnd, people, poor[:2], leg, eggs, bread, cheese, year)
    _season(session, rnd, leg, eggs, bread, cheese, year)
    _next_season(session, rnd, leg, people, year)
    from coop.amap.sample_rota import load_rota

    load_rota(session, rnd, year)


def _sub(session: Session, when: datetime, **values: Any) -> Subscription:
    return subscriptions.subscribe(
        session, SubscriptionIn(**values), actor=DEMO, now=when, refresh=False
    )


def _subscribe_all(
    session: Session,
    rnd: random.Random,
    people: list[int],
    poor: list[int],
    leg: Contract,
    eggs: Contract,
    bread: Contract,
    cheese: Contract,
    year: int,
) -> None:
    before = _at(date(year, 3, 1))
    place = {
        number: ("GERLAND" if index % 3 else "CROIX") for index, number in enumerate(people + poor)
    }
    shared_pairs = [(people[i], people[i + 1]) for i in range(60, 70, 2)]  # five shared baskets
    partners = {b for _a, b in shared_pairs}
    joiners = set(people[50:56])
    for index, number in enumerate(people[:60] + [a for a, _b in shared_pairs]):
        start = None
        when = before
        if number in joiners:
            start = date(year, 6 + index % 2, 1)
            when = _at(start - timedelta(days=10))
        co = [b for a, b in shared_pairs if a == number]
        _sub(
            session,
            when,
            contract=leg.code,
            member=number,
            place=place[number],
            lines=[("GP" if index % 3 == 0 else "PP", 1)],
            starts_on=start,
            co_holders=co,
            contribution_cents=100 if index % 7 == 0 else 0,
        )
    for number in poor:
        _sub(
            session,
            before,
            contract=leg.code,
            member=number,
            place="GERLAND",
            lines=[("PP", 1)],
            solidarity=True,
        )
    for contract, members, big, small, odds in (
        (eggs, people[48:78], "OEUF12", "OEUF6", 0.4),
        (bread, people[20:45], "PAIN2", "PAIN1", 0.3),
    ):
        for number in members:
            size = big if rnd.random() < odds else small
            _sub(
                session,
                before,
                contract=contract.code,
                member=number,
                place=place[number],
                lines=[(size, 1)],
            )
    for number in [n for n in people[35:60] if n not in partners][:20]:
        default = [("TOMME", 1)] if rnd.random() < 0.5 else [("CHEVRE", 2)]
        _sub(
            session, before, contract=cheese.code, member=number, place=place[number], lines=default
        )
    ids = [leg.id, eggs.id, bread.id, cheese.id]
    baskets.refresh(session, ids, today=before.date())


def _season(
    session: Session,
    rnd: random.Random,
    leg: Contract,
    eggs: Contract,
    bread: Contract,
    cheese: Contract,
    year: int,
) -> None:
    subs = {
        c.id: list(
            session.scalars(
                select(Subscription)
                .where(Subscription.contract_id == c.id)
                .order_by(Subscription.id)
            )
        )
        for c in (leg, eggs, bread, cheese)
    }
    # Per-delivery cheese orders (a week before each date).
    for sub in subs[cheese.id]:
        days = [d.on for d in calendar.deliveries(session, cheese.id) if d.on >= sub.starts_on]
        for day in rnd.sample(days, k=min(4, len(days))):
            order = [
                ("TOMME", rnd.randint(0, 2)),
                ("CHEVRE", rnd.randint(0, 3)),
                ("YAOURT", rnd.randint(0, 2)),
            ]
            if sum(q for _c, q in order) == 0:
                order[0] = ("TOMME", 1)
            try:
                subscriptions.set_order(
                    session, sub, day, order, actor=DEMO, now=_at(day - timedelta(days=7))
                )
            except CoopError:
                continue  # below the minimum per delivery: the member did not order that week
    # Summer absences and gifts on vegetables.
    summer = [
        d.on
        for d in calendar.deliveries(session, leg.id)
        if d.on.month in (7, 8) and d.factor == 100
    ]
    for sub in subs[leg.id][5:17]:
        for day in rnd.sample(summer, k=rnd.randint(1, 2)):
            try:
                absences.declare_absence(
                    session, sub, day, actor=DEMO, now=_at(day - timedelta(days=14))
                )
            except CoopError:
                continue
    autumn = [d.on for d in calendar.deliveries(session, leg.id) if d.on.month in (9, 10)]
    for offset, sub in enumerate(subs[leg.id][20:27]):
        keeper = (
            None if offset < 3 else session.get_one(Member, subs[leg.id][offset].member_id).number
        )
        day = autumn[offset]
        try:
            absences.donate(
                session, sub, day, keeper=keeper, actor=DEMO, now=_at(day - timedelta(days=3))
            )
        except CoopError:
            continue
    _payments(session, rnd, subs, leg, eggs, bread, cheese, year)


def _payments(
    session: Session,
    rnd: random.Random,
    subs: dict[int, list[Subscription]],
    leg: Contract,
    eggs: Contract,
    bread: Contract,
    cheese: Contract,
    year: int,
) -> None:
    counts = {leg.id: [1, 3, 7], eggs.id: [1, 2], bread.id: [1, 2, 3], cheese.id: [3]}
    for contract_id, rows in subs.items():
        for index, sub in enumerate(rows):
            session.refresh(sub)
            if sub.amount_cents <= 0 or sub.status != "active":
                continue
            when = _at(max(date(year, 3, 15), sub.starts_on - timedelta(days=7)))
            other = {4: Means.TRANSFER, 6: Means.LOCAL_CURRENCY}.get(index % 11)
            if other is not None:
                payments.pay(
                    session,
                    sub,
                    means=other,
                    amount=sub.amount_cents,
                    on=None,
                    actor=DEMO,
                    now=when,
                )
                continue
            count = rnd.choice(counts[contract_id])
            member = session.get_one(Member, sub.member_id)
            plan = payments.plan(
                session,
                sub,
                count=count,
                issuer=member.full_name,
                bank=rnd.choice(["CCF", "Crédit Mutuel", "La Banque Postale", "Crédit Agricole"]),
                actor=DEMO,
                now=when,
            )
            late = index % 9 == 8
            for cheque in plan:
                if late and cheque.position == len(plan):
                    continue  # still expected: the member has not brought the last cheque
                payments.receive(
                    session,
                    sub,
                    cheque.position,
                    number=f"{rnd.randint(1000000, 9999999)}",
                    bank=None,
                    issuer=None,
                    on=when.date(),
                    actor=DEMO,
                    now=when,
                )
    # Cheques handed to each producer at every cashing date but the last (still at the AMAP).
    for contract in (leg, eggs, bread, cheese):
        dates: list[date] = sorted(
            {
                day
                for day in session.scalars(
                    select(Payment.cashing_on)
                    .join(Subscription, Subscription.id == Payment.subscription_id)
                    .where(
                        Subscription.contract_id == contract.id,
                        Payment.state == "received",
                        Payment.cashing_on.is_not(None),
                    )
                )
                if day is not None
            }
        )
        for day in dates[:-1]:
            payments.hand_over(session, contract, day, actor=DEMO, now=_at(day + timedelta(days=2)))


def _next_season(
    session: Session, rnd: random.Random, leg: Contract, people: list[int], year: int
) -> None:
    when = _at(date(year, 11, 15))
    renewed = contracts.renew(session, leg, code=f"LEG-{year + 1}", actor=DEMO, now=when)
    for index, number in enumerate(people[:15]):
        _sub(
            session,
            when,
            contract=renewed.code,
            member=number,
            place="GERLAND" if index % 3 else "CROIX",
            lines=[("GP" if index % 4 == 0 else "PP", 1)],
        )
    baskets.refresh(session, [renewed.id], today=when.date())
    for index, sub in enumerate(
        session.scalars(
            select(Subscription)
            .where(Subscription.contract_id == renewed.id)
            .order_by(Subscription.id)
        )
    ):
        plan = payments.plan(session, sub, count=rnd.choice([1, 3, 7]), actor=DEMO, now=when)
        if index % 3 == 0:
            payments.receive(
                session,
                sub,
                plan[0].position,
                number=f"{rnd.randint(1000000, 9999999)}",
                bank="CCF",
                issuer=None,
                on=when.date(),
                actor=DEMO,
                now=when,
            )
