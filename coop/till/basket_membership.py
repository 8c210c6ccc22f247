"""Capital shares and the yearly fee in an open basket (the counter's dialog, `coop till sell
--shares/--fee`, a JSON basket): what the member owes, and the basket with the amounts set or
taken out. The amounts are checked against the member (``coop.till.membership_sale``) here and
again when the sale is committed.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from sqlalchemy.orm import Session

from coop.clock import local_date
from coop.config import Settings
from coop.members.models import Member
from coop.till import basket as rules
from coop.till import membership_sale
from coop.till.basket import OpenBasket
from coop.till.basket_lines import refused
from coop.till.membership_sale import MembershipDue
from coop.till.refusals import Refused
from coop.till.requests import MembershipAsk


def _member(session: Session, basket: OpenBasket) -> Member | None:
    return session.get(Member, basket.member.member_id) if basket.member is not None else None


def owed(
    session: Session, basket: OpenBasket, *, settings: Settings, now: datetime
) -> MembershipDue | None:
    """What the basket's member still owes (shares, fee); None without a member."""
    member = _member(session, basket)
    if member is None:
        return None
    return membership_sale.owed(session, member, settings.membership, local_date(now))


def set_membership(
    session: Session,
    basket: OpenBasket,
    ask: MembershipAsk,
    *,
    settings: Settings,
    now: datetime,
) -> OpenBasket:
    """The basket paying the shares and fee ``ask`` says (replacing any set before); refused
    with a sentence (``SaleRefused``) for no member, a member who left, more than owed."""
    paid = membership_sale.resolve(
        session, ask, _member(session, basket), settings.membership, local_date(now)
    )
    changed = dataclasses.replace(
        basket, share_cents=paid.share_cents, fee_cents=paid.fee_cents, fee_year=paid.fee_year
    )
    try:
        return rules.priced(changed)
    except Refused as error:
        raise refused(error) from error


def clear_membership(basket: OpenBasket) -> OpenBasket:
    """The basket without shares nor fee."""
    changed = dataclasses.replace(basket, share_cents=0, fee_cents=0, fee_year=None)
    try:
        return rules.priced(changed)
    except Refused as error:
        raise refused(error) from error
