"""Options of `coop amap distribution|rota|desk|reminders ...` (kept light: `coop --help`
imports it)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from coop.i18n import _

Group = Callable[[str, str], Callable[[str, str], argparse.ArgumentParser]]


def _json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=_("print JSON"))


def _day(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("date", metavar="D", help=_("the distribution's date"))
    parser.add_argument(
        "--place", metavar="CODE", help=_("the pickup place (needed when several distribute)")
    )


def _member(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("member", type=int, metavar=_("MEMBER_NO"))


def add_parsers(group: Group, groups: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    distribution = group("distribution", _("distribution days: households, hours, instructions"))
    sub = distribution("list", _("the distributions between two dates and their volunteers"))
    sub.add_argument("--from", dest="first", metavar="D", required=True)
    sub.add_argument("--to", dest="last", metavar="D", required=True)
    _json(sub)
    sub = distribution("show", _("a distribution: who collects what, notes, volunteers"))
    _day(sub)
    _json(sub)
    sub = distribution("set", _("a distribution's hours, instructions or extra volunteers"))
    _day(sub)
    sub.add_argument("--hours")
    sub.add_argument("--note", help=_("instructions for every household"))
    sub.add_argument("--volunteer-note", help=_("instructions for the volunteers"))
    sub.add_argument("--extra", type=int, help=_("volunteers needed on top of the usual count"))
    _json(sub)

    rota = group("rota", _("the volunteers of the distributions"))
    sub = rota("roles", _("the volunteer roles and how many each takes"))
    _json(sub)
    sub = rota("show", _("who volunteers at a distribution and how many are missing"))
    _day(sub)
    _json(sub)
    sub = rota("signup", _("sign a member up for a role"))
    _day(sub)
    sub.add_argument("role", metavar=_("ROLE"), help=_("a role's code, e.g. WELCOME"))
    _member(sub)
    _json(sub)
    sub = rota("leave", _("a member leaves a role, with a reason"))
    _day(sub)
    sub.add_argument("role", metavar=_("ROLE"))
    _member(sub)
    sub.add_argument("--reason", required=True)
    _json(sub)
    sub = rota("missing", _("the coming distributions still short of volunteers"))
    sub.add_argument("--from", dest="first", metavar="D", help=_("default: today"))
    sub.add_argument("--weeks", type=int, default=4, help=_("how many weeks ahead (default 4)"))
    _json(sub)
    sub = rota("shares", _("each household's fair share of duties over a period, and what it did"))
    sub.add_argument("--from", dest="first", metavar="D", required=True)
    sub.add_argument("--to", dest="last", metavar="D", required=True)
    sub.add_argument(
        "--per-year", type=int, help=_("also the work quota: duties a year, pro rata (R27)")
    )
    _json(sub)

    desk = group("desk", _("the distribution desk from the command line"))
    sub = desk("find", _("find a household by card, number or a few letters of a name"))
    _day(sub)
    sub.add_argument("text", metavar=_("TEXT"))
    _json(sub)
    for name, text in (
        ("tick", _("tick a household's baskets collected")),
        ("undo", _("take back what was recorded for a household")),
    ):
        sub = desk(name, text)
        _day(sub)
        _member(sub)
        _json(sub)
    sub = desk("count", _("baskets collected and expected per contract and size"))
    _day(sub)
    _json(sub)
    sub = desk("left", _("the households that did not come"))
    _day(sub)
    _json(sub)
    sub = desk("settle", _("what happened to an absent household's baskets"))
    _day(sub)
    _member(sub)
    sub.add_argument("outcome", choices=["partner", "volunteer"])
    sub.add_argument("--keeper", type=int, metavar=_("MEMBER_NO"))
    _json(sub)

    reminders = groups.add_parser(
        "reminders",
        help=_("what the reminders of a day would say (volunteers, empty roles, producers)"),
    )
    reminders.set_defaults(action="list")
    reminders.add_argument("--today", metavar="D", help=_("default: today"))
    _json(reminders)
