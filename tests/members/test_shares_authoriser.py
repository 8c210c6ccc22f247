"""Share movements and fee payments name the second person who authorised them on the spot
("X, authorised by Y", ``Actor.recorded``), as sales and audit entries do; on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coop.audit import Actor
from coop.config import MemberSettings, MembershipSettings
from coop.members import service, shares
from coop.members.share_models import FeePayment, ShareMovement

MEMBERSHIP = MembershipSettings(shares_required=(("standard", 2),), fees=(("standard", 1500),))
CASHIER = Actor("Zoé Arnaud", member_number=7)
BOTH = CASHIER.with_second(Actor("Thérèse Lebrun", member_number=4))


def test_shares_and_fees_name_both_people(session, actor, now):
    member = service.create_member(
        session,
        actor=actor,
        now=now,
        settings=MemberSettings(),
        first_name="Hélène",
        last_name="Dupont",
        number=42,
        joined_on=date(2026, 1, 5),
    )
    shares.pay_shares(session, member, 2000, means="cash", settings=MEMBERSHIP, actor=BOTH, now=now)
    shares.pay_shares(  # one extra share, by one person
        session, member, 1000, means="cash", settings=MEMBERSHIP, actor=CASHIER, now=now
    )
    shares.pay_fee(
        session, member, year=2026, means="cheque", settings=MEMBERSHIP, actor=BOTH, now=now
    )
    moves = session.scalars(select(ShareMovement).order_by(ShareMovement.id)).all()
    assert [(m.amount_cents, m.actor) for m in moves] == [
        (2000, "Zoé Arnaud (n° 7), authorised by Thérèse Lebrun (n° 4)"),
        (1000, "Zoé Arnaud (n° 7)"),  # one person: the label alone, no "authorised by"
    ]
    (fee,) = session.scalars(select(FeePayment)).all()
    assert fee.actor == "Zoé Arnaud (n° 7), authorised by Thérèse Lebrun (n° 4)"
