"""What the AMAP holds on a person (right of access), and what erasure keeps.

``personal_data`` is the AMAP section of `coop members export-data`: the person's subscriptions
(held or co-held), their baskets, payments, gifts to the solidarity fund. Erasure anonymises the
member row only: subscriptions, payments and fund entries stay, because they are the producer's
and the fund's accounts; cheque issuer names typed for that person are blanked. Both register
with ``coop.members.privacy`` on import (``coop.personal_data`` imports this module).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coop.amap import views
from coop.amap.models import FundEntry, Holder, Payment, Subscription
from coop.members import privacy
from coop.members.models import Member

REDACTED = "[erased]"


def personal_data(session: Session, member: Member) -> dict[str, Any]:
    """JSON-ready: every subscription the person holds or co-holds, and their fund gifts."""
    from dataclasses import asdict

    ids = sorted(
        set(session.scalars(select(Subscription.id).where(Subscription.member_id == member.id)))
        | set(session.scalars(select(Holder.subscription_id).where(Holder.member_id == member.id)))
    )
    subscriptions = []
    for sub_id in ids:
        view = views.subscription_view(session, session.get_one(Subscription, sub_id))
        subscriptions.append(asdict(view))
    gifts = [
        {"on": on.isoformat(), "kind": kind, "amount_cents": amount}
        for on, kind, amount in session.execute(
            select(FundEntry.on, FundEntry.kind, FundEntry.amount_cents)
            .where(FundEntry.member_id == member.id)
            .order_by(FundEntry.id)
        )
    ]
    return {"subscriptions": _jsonable(subscriptions), "solidarity_fund": gifts}


def erase(session: Session, member_id: int) -> None:
    """Blank the cheque issuer names of the person's own subscriptions; amounts stay."""
    own = select(Subscription.id).where(Subscription.member_id == member_id)
    session.execute(
        update(Payment)
        .where(Payment.subscription_id.in_(own), Payment.issuer.is_not(None))
        .values(issuer=REDACTED)
        .execution_options(synchronize_session=False)
    )


def _jsonable(value: Any) -> Any:
    from datetime import date

    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


privacy.register("amap", personal_data, erase=erase)
