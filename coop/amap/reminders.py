"""What the anchors would send on a given day (no e-mail yet: a list a coordinator acts on),
after reference §3.7: the day's volunteers a few days before their distribution, the roles still
empty a week before, and the producer's quantities when a variable contract's orders close.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop.amap import distributions, rota, rules
from coop.amap.models import Basket, BasketItem, Contract, Delivery, Offer
from coop.i18n import _, ngettext

VOLUNTEERS_BEFORE = 4
"""Days before a distribution its volunteers are reminded (Cagette's default)."""
VACANT_BEFORE = 7
"""Days before a distribution the roles still empty are announced (Cagette's default)."""
ORDERS_CLOSE_BEFORE = 2
"""Days before delivery a variable contract's orders close when it sets no deadline weekday."""


@dataclass(frozen=True)
class Reminder:
    kind: str
    """volunteers, vacant or producer."""
    on: date
    """The distribution or delivery it is about."""
    place: str | None
    contract: str | None
    members: tuple[int, ...]
    """Who it goes to (member numbers): the day's volunteers; empty for "every member"."""
    lines: tuple[str, ...]
    """What it says, in the current language: "Accueil : FOURNIER Leïla", "2 volunteers
    missing", "12 × TOMME"."""


def _volunteers(session: Session, today: date) -> list[Reminder]:
    on = today + timedelta(days=VOLUNTEERS_BEFORE)
    found = []
    for day, place in distributions.dates_between(session, on, on):
        staff = rota.staffing(session, day, place)
        if staff.volunteers:
            found.append(
                Reminder(
                    "volunteers",
                    day,
                    place,
                    None,
                    tuple(v.member for v in staff.volunteers),
                    tuple(
                        _("{label}: {value}").format(label=v.role_label, value=v.name)
                        for v in staff.volunteers
                    ),
                )
            )
    return found


def _vacant(session: Session, today: date) -> list[Reminder]:
    on = today + timedelta(days=VACANT_BEFORE)
    found = []
    for day, place in distributions.dates_between(session, on, on):
        staff = rota.staffing(session, day, place)
        if staff.missing:
            missing = ngettext(
                "{count} volunteer missing", "{count} volunteers missing", staff.missing
            ).format(count=staff.missing)
            empty = tuple(
                _("{label}: {count}").format(label=r.label, count=r.seats - r.taken)
                for r in staff.roles
                if r.taken < r.seats
            )
            found.append(Reminder("vacant", day, place, None, (), (missing, *empty)))
    return found


def _closes(contract: Contract, delivery: date) -> date:
    if contract.deadline_weekday is not None:
        return rules.change_deadline(delivery, contract.deadline_weekday)
    return delivery - timedelta(days=ORDERS_CLOSE_BEFORE)


def _producer(session: Session, today: date) -> list[Reminder]:
    found = []
    window = today + timedelta(days=14)
    rows = session.execute(
        select(Contract, Delivery)
        .join(Delivery, Delivery.contract_id == Contract.id)
        .where(
            Contract.kind == "variable",
            Delivery.cancelled.is_(False),
            Delivery.on > today,
            Delivery.on <= window,
        )
        .order_by(Delivery.on, Contract.code)
    ).all()
    for contract, delivery in rows:
        if _closes(contract, delivery.on) != today:
            continue
        totals = session.execute(
            select(Offer.code, func.sum(BasketItem.quantity))
            .join(BasketItem, BasketItem.offer_id == Offer.id)
            .join(Basket, Basket.id == BasketItem.basket_id)
            .where(Basket.delivery_id == delivery.id, Basket.status != "absent")
            .group_by(Offer.code)
            .order_by(Offer.code)
        ).all()
        found.append(
            Reminder(
                "producer",
                delivery.on,
                None,
                contract.code,
                (),
                tuple(f"{int(q)} × {code}" for code, q in totals if q),
            )
        )
    return found


def reminders(session: Session, today: date) -> list[Reminder]:
    """Everything due on ``today``, volunteers first, then vacant roles, then producers."""
    return [*_volunteers(session, today), *_vacant(session, today), *_producer(session, today)]
