"""Finding AMAP things by what people type (codes, member numbers, ids) and refusing clearly."""

from __future__ import annotations

from typing import NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.amap.models import Contract, Delivery, Offer, Place, Subscription
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.members.models import Member

__all__ = ["Member", "contract", "delivery", "fail", "member", "offer", "place", "subscription"]


def fail(message: str, field: str | None = None) -> NoReturn:
    """Bad input naming the field: the CLI prints it and exits 2, nothing is written."""
    raise InvalidInput([Problem(message, column=field)])


def contract(session: Session, code: str, field: str = "contract") -> Contract:
    found = session.scalar(select(Contract).where(Contract.code == code.strip().upper()))
    if found is None:
        fail(_("no AMAP contract has the code “{code}”").format(code=code), field)
    return found


def place(session: Session, code: str, field: str = "place") -> Place:
    found = session.scalar(select(Place).where(Place.code == code.strip().upper()))
    if found is None:
        fail(_("no pickup place has the code “{code}”").format(code=code), field)
    return found


def member(session: Session, number: int, field: str = "member") -> Member:
    found = session.scalar(select(Member).where(Member.number == number))
    if found is None or found.erased_at is not None:
        fail(_("member {number} does not exist").format(number=number), field)
    return found


def subscription(
    session: Session, subscription_id: int, field: str = "subscription"
) -> Subscription:
    found = session.get(Subscription, subscription_id)
    if found is None:
        fail(_("subscription {id} does not exist").format(id=subscription_id), field)
    return found


def offer(session: Session, contract_id: int, code: str, field: str = "size") -> Offer:
    found = session.scalar(
        select(Offer).where(Offer.contract_id == contract_id, Offer.code == code.strip().upper())
    )
    if found is None:
        fail(_("the contract offers no size or product “{code}”").format(code=code), field)
    return found


def delivery(session: Session, contract_id: int, on: object, field: str = "date") -> Delivery:
    found = session.scalar(
        select(Delivery).where(Delivery.contract_id == contract_id, Delivery.on == on)
    )
    if found is None:
        fail(_("the contract has no delivery on {date}").format(date=on), field)
    return found
