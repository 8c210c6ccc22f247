"""AMAP codes turned into the sentences and words people read (French first, via gettext)."""

from __future__ import annotations

from datetime import date

from coop.amap.rules import Refusal
from coop.dates import format_date
from coop.i18n import _


def refusal(reason: Refusal, on: date, limit: int) -> str:
    """Why an absence or a gift on ``on`` is refused, in one sentence."""
    day = format_date(on)
    return {
        Refusal.PAST: _("{date} is past: it can no longer change").format(date=day),
        Refusal.NOT_DELIVERED: _("there is no basket for this subscription on {date}").format(
            date=day
        ),
        Refusal.OUTSIDE_WINDOW: _("{date} is outside the contract's absence window").format(
            date=day
        ),
        Refusal.LIMIT: _("the contract allows {limit} absences and they are all used").format(
            limit=limit
        ),
        Refusal.DOUBLED: _(
            "{date} is a double delivery (catch-up): it cannot be chosen as an absence"
        ).format(date=day),
        Refusal.ALREADY_ABSENT: _("an absence is already declared on {date}").format(date=day),
        Refusal.ALREADY_DONATED: _("the basket of {date} is already given").format(date=day),
        Refusal.AFTER_DEADLINE: _(
            "the deadline to change the delivery of {date} has passed"
        ).format(date=day),
        Refusal.NO_ABSENCES: _("this contract does not allow absences"),
    }[reason]


def kind(code: str) -> str:
    return {"fixed": _("fixed basket"), "variable": _("variable orders")}.get(code, code)


def basket_status(code: str) -> str:
    return {"due": _("to collect"), "absent": _("absent"), "donated": _("given")}.get(code, code)


def cheque_state(code: str) -> str:
    return {
        "expected": _("expected"),
        "received": _("received"),
        "handed_over": _("handed to the producer"),
    }.get(code, code)


def means(code: str) -> str:
    return {
        "cheque": _("cheque"),
        "transfer": _("bank transfer"),
        "cash": _("cash"),
        "local_currency": _("local currency"),
    }.get(code, code)


def subscription_status(code: str) -> str:
    return {"active": _("active"), "waiting": _("waiting list"), "ended": _("ended")}.get(
        code, code
    )


def strategy(code: str) -> str:
    return {
        "amapress": _("whole euros, remainder on the last cheque"),
        "percentages": _("percentages per cheque"),
        "monthly": _("one cheque per month of deliveries"),
        "amapj": _("whole euros spread evenly, minimum cheque"),
        "equal": _("equal cheques to the cent"),
    }.get(code, code)


def fund_kind(code: str) -> str:
    return {
        "gift": _("gift"),
        "contribution": _("contribution per delivery"),
        "draw": _("solidarity basket"),
    }.get(code, code)


def pickup(code: str) -> str:
    return {
        "collected": _("collected"),
        "partner": _("given to the solidarity partner"),
        "volunteer": _("kept by a volunteer"),
    }.get(code, code)


def reminder(code: str) -> str:
    return {
        "volunteers": _("To the day's volunteers"),
        "vacant": _("To every member: volunteers missing"),
        "producer": _("To the producer and the referent: quantities"),
    }.get(code, code)
