"""AMAP fixtures: the sample members and producers, two places and a weekly vegetable contract."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from coop.amap import calendar, contracts
from coop.amap.contracts import ContractIn, OfferIn
from coop.amap.rules import ContractKind, Recurrence, SplitStrategy
from coop.audit import Actor
from coop.catalog.exchange import import_producers
from coop.clock import SHOP_TIMEZONE
from coop.config import MemberSettings
from coop.members.exchange import import_members

SAMPLE = Path(__file__).resolve().parent.parent.parent / "sample_data"


@pytest.fixture
def before_season() -> datetime:
    return datetime(2026, 3, 1, 10, 0, tzinfo=SHOP_TIMEZONE)


@pytest.fixture
def amap(session: Session, actor: Actor, before_season: datetime) -> Session:
    """Members, producers, places GERLAND and CROIX, contract LEG-26 (Tuesdays Apr–Jun 2026)."""
    now = before_season
    import_members(session, SAMPLE / "members.csv", actor=actor, now=now, settings=MemberSettings())
    import_producers(session, SAMPLE / "producers.csv", actor=actor, now=now)
    contracts.create_place(
        session,
        code="GERLAND",
        name="MJC Gerland",
        address="4 rue de Gerland",
        hours="mardi 18 h 30",
        actor=actor,
        now=now,
    )
    contracts.create_place(
        session, code="CROIX", name="Croix-Rousse", address=None, hours=None, actor=actor, now=now
    )
    contract = contracts.create_contract(
        session,
        ContractIn(
            code="LEG-26",
            name="Légumes 2026",
            producer="FERME-MOULIN",
            kind=ContractKind.FIXED,
            season_start=date(2026, 4, 7),
            season_end=date(2026, 6, 30),
            places=["GERLAND", "CROIX"],
            offers=[
                OfferIn("PP", "Petit panier", 1500, solidarity_price_cents=750, max_subscribers=3),
                OfferIn("GP", "Grand panier", 2500, parts_pct=200),
            ],
            referents=[2],
            cheque_counts=[1, 3, 6],
            strategy=SplitStrategy.AMAPRESS,
            max_absences=2,
            partner="Restos du Cœur",
            cashing_dates=[date(2026, 4, 10), date(2026, 5, 10), date(2026, 6, 10)],
        ),
        actor=actor,
        now=now,
    )
    calendar.generate(session, contract, recurrence=Recurrence.WEEKLY, actor=actor, now=now)
    session.flush()
    return session
