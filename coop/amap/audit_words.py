"""The AMAP's audit entries in words for the audit viewer (``coop audit list``, Ctrl+J): each
``amap.*`` action, the fields of its before/after values and their codes (statuses, calendar
rules, means, yes/no, dates listed), the places and duty roles by their names and the members by
number and name. French first, through gettext; ``coop.staff.audit_view`` asks these words first
(``EntryWords``), the staff context being below the AMAP."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.amap import words
from coop.amap.models import DutyRole, Place
from coop.dates import format_date
from coop.i18n import _, babel_locale
from coop.members.models import Member


def _actions() -> dict[str, str]:
    return {
        "amap.calendar.generate": _("delivery calendar generated"),
        "amap.calendar.cancel": _("delivery cancelled"),
        "amap.calendar.restore": _("cancelled delivery restored"),
        "amap.calendar.move": _("delivery moved"),
        "amap.calendar.factor": _("delivery factor changed"),
        "amap.distribution.edit": _("distribution changed"),
        "amap.absence.declare": _("absence declared"),
        "amap.absence.cancel": _("absence cancelled"),
        "amap.donation": _("basket given"),
        "amap.donation.cancel": _("basket gift cancelled"),
        "amap.pickup.collected": _("baskets collected"),
        "amap.pickup.undo": _("baskets' collection taken back"),
        "amap.pickup.partner": _("baskets given to the solidarity partner"),
        "amap.pickup.volunteer": _("baskets kept by a volunteer"),
        "amap.subscription.create": _("AMAP subscription taken"),
        "amap.subscription.promote": _("subscription taken off the waiting list"),
        "amap.subscription.end": _("AMAP subscription ended"),
        "amap.subscription.change": _("AMAP subscription changed"),
        "amap.subscription.collector": _("collector of a shared basket chosen"),
        "amap.subscription.holder": _("co-holder added"),
        "amap.subscription.order": _("order of a delivery changed"),
        "amap.duty.sign_up": _("signed up for a distribution duty"),
        "amap.duty.leave": _("left a distribution duty"),
        "amap.place.create": _("pickup place created"),
        "amap.contract.create": _("AMAP contract created"),
        "amap.contract.renew": _("AMAP contract renewed"),
        "amap.payment.plan": _("cheque plan made"),
        "amap.payment.plan_all": _("cheque plans made for a contract"),
        "amap.payment.receive": _("AMAP payment received"),
        "amap.payment.hand_over": _("cheques handed to the producer"),
        "amap.fund.gift": _("gift to the solidarity fund"),
        "amap.fund.settings": _("solidarity fund settings changed"),
    }


def _fields() -> dict[str, str]:
    return {
        "rule": _("calendar rule"),
        "every": _("every (weeks)"),
        "added": _("dates added"),
        "cancelled": _("cancelled"),
        "on": _("date"),
        "place_id": _("place"),
        "place": _("place"),
        "factor": _("factor"),
        "hours": _("hours"),
        "public_note": _("note for everyone"),
        "volunteer_note": _("note for the volunteers"),
        "extra_volunteers": _("extra volunteers"),
        "status": _("status"),
        "state": _("state"),
        "to": _("given to"),
        "keeper": _("kept by"),
        "contract": _("contract"),
        "lines": _("sizes"),
        "order": _("order"),
        "starts_on": _("starts on"),
        "ends_on": _("ends on"),
        "from": _("from"),
        "co_holders": _("co-holders"),
        "co_holder": _("co-holder"),
        "collector_id": _("collected by"),
        "member": _("member"),
        "role": _("role"),
        "code": _("code"),
        "name": _("name"),
        "address": _("address"),
        "producer": _("producer"),
        "deliveries": _("deliveries"),
        "cheques": _("cheques"),
        "amounts": _("amounts"),
        "subscriptions": _("subscriptions"),
        "number": _("cheque number"),
        "cashing_on": _("cashing date"),
        "note": _("note"),
        "allow_negative": _("the fund may go below zero"),
    }


def _rule(code: str) -> str:
    return {
        "weekly": _("every week"),
        "every_n_weeks": _("every N weeks"),
        "monthly": _("every month"),
        "list": _("a list of dates"),
    }.get(code, code)


def _given_to(code: str) -> str:
    return {"keeper": _("a keeper"), "partner": _("the solidarity partner")}.get(code, code)


def _status(action: str, code: str) -> str:
    if action.startswith("amap.subscription."):
        return words.subscription_status(code)
    return words.basket_status(code)


MEMBER_NUMBERS = frozenset({"member", "keeper", "co_holder"})
"""Fields holding a member's number (``collector_id`` holds the member's row id)."""


@dataclass
class AmapAuditWords:
    """``coop.staff.audit_view.EntryWords`` for the ``amap.`` entries; the places and duty roles
    are read once, the members named as they come."""

    session: Session
    prefix: str = "amap."
    _places: dict[str, str] = field(default_factory=dict)
    _place_ids: dict[int, str] = field(default_factory=dict)
    _roles: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for place in self.session.scalars(select(Place)):
            self._places[place.code] = place.name
            self._place_ids[place.id] = place.name
        self._roles = {role.code: role.label for role in self.session.scalars(select(DutyRole))}

    def action(self, code: str) -> str | None:
        return _actions().get(code)

    def field(self, action: str, key: str) -> str | None:
        if action == "amap.contract.renew" and key == "from":
            return _("renewed from")
        return _fields().get(key)

    def value(self, action: str, key: str, value: Any) -> str | None:
        if value is None or (isinstance(value, int) and key.endswith("_cents")):
            return None  # the viewer's own words: "—", amounts
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if value == "":
            return "—"
        if isinstance(value, int):
            return self._number(key, value)
        if key == "added" and isinstance(value, list):
            return ", ".join(format_date(date.fromisoformat(str(day))) for day in value) or "—"
        coded = self._coded(action).get(key)
        return coded(str(value)) if coded is not None else None

    def _coded(self, action: str) -> dict[str, Callable[[str], str]]:
        """Each field holding a code, and how it reads."""
        return {
            "rule": _rule,
            "to": _given_to,
            "status": lambda code: _status(action, code),
            "state": words.cheque_state,
            "means": words.means,
            "place": lambda code: self._places.get(code, code),
            "role": lambda code: self._roles.get(code, code),
        }

    def _number(self, key: str, value: int) -> str | None:
        if key == "factor":  # kept in hundredths: 200 is "×2"
            return "×" + format_decimal(Decimal(value) / 100, locale=babel_locale())
        if key == "place_id":
            return self._place_ids.get(value, str(value))
        if key == "collector_id":
            return self._member(self.session.get(Member, value), value)
        if key in MEMBER_NUMBERS:
            found = self.session.scalar(select(Member).where(Member.number == value))
            return self._member(found, value)
        return None

    @staticmethod
    def _member(member: Member | None, value: int) -> str:
        if member is None:
            return str(value)
        return f"{member.number} {member.full_name}"
