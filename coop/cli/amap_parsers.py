"""Options of `coop amap ...` (kept light: `coop --help` imports it)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from coop.i18n import _

Command = Callable[..., argparse.ArgumentParser]
STRATEGIES = ["amapress", "percentages", "monthly", "amapj", "equal"]
RULES = ["weekly", "every_n_weeks", "monthly", "list"]


def _json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=_("print JSON"))


def _contract(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("contract", metavar=_("CONTRACT"), help=_("the contract's code"))


def _sub(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("subscription", type=int, metavar=_("SUBSCRIPTION"), help=_("its number"))


def add_parsers(command: Command, lazy: Callable[[str, str], object]) -> None:
    amap = command(
        "amap",
        _("AMAP: contracts, delivery calendars, subscriptions, cheques, the solidarity fund"),
        lazy("amap", "dispatch"),
    )
    groups = amap.add_subparsers(dest="group", metavar=_("GROUP"), required=True)

    def group(name: str, help_text: str) -> Callable[[str, str], argparse.ArgumentParser]:
        sub = groups.add_parser(name, help=help_text, description=help_text)
        actions = sub.add_subparsers(dest="action", metavar=_("ACTION"), required=True)

        def action(action_name: str, action_help: str) -> argparse.ArgumentParser:
            return actions.add_parser(action_name, help=action_help, description=action_help)

        return action

    place = group("place", _("pickup places"))
    sub = place("list", _("every pickup place"))
    _json(sub)
    sub = place("add", _("a new pickup place"))
    sub.add_argument("code")
    sub.add_argument("--name", required=True)
    sub.add_argument("--address")
    sub.add_argument("--hours", help=_("distribution hours, e.g. “mardi 18 h 30 – 19 h 30”"))
    _json(sub)

    contract = group("contract", _("contracts with producers"))
    sub = contract("list", _("every contract with its season and subscribers"))
    _json(sub)
    sub = contract("show", _("a contract: offer, places, calendar, cheques"))
    _contract(sub)
    _json(sub)
    sub = contract("create", _("a new contract for a season"))
    _contract(sub)
    sub.add_argument("--name", required=True)
    sub.add_argument("--producer", required=True, help=_("the producer's code"))
    sub.add_argument("--kind", choices=["fixed", "variable"], default="fixed")
    sub.add_argument("--start", required=True, metavar="D")
    sub.add_argument("--end", required=True, metavar="D")
    sub.add_argument("--place", action="append", required=True, help=_("a place's code"))
    sub.add_argument(
        "--size",
        action="append",
        required=True,
        metavar="CODE|LABEL|PRICE[|key=value…]",
        help=_("a size or product, e.g. “PP|Petit panier|15,00|vat=5,5|max=40|solidarity=7,50”"),
    )
    sub.add_argument("--referent", action="append", type=int, default=[], metavar="MEMBER_NO")
    sub.add_argument("--max", type=int, help=_("maximum subscribers for the contract"))
    sub.add_argument("--cheques", default="1,2,3", help=_("allowed numbers of cheques"))
    sub.add_argument("--strategy", choices=STRATEGIES, default="amapress")
    sub.add_argument("--percentages", help=_("per cheque count, e.g. “3:50,25,25”"))
    sub.add_argument("--min-cheque", default="0", help=_("minimum cheque (amapj)"))
    sub.add_argument(
        "--cashing", action="append", default=[], metavar="D", help=_("a cashing date")
    )
    sub.add_argument("--absences", type=int, default=0, help=_("maximum absences"))
    sub.add_argument("--absence-from", metavar="D")
    sub.add_argument("--absence-to", metavar="D")
    sub.add_argument("--deadline", type=int, choices=range(7), help=_("weekday (0 = Monday)"))
    sub.add_argument("--partner", help=_("the solidarity partner given baskets go to"))
    sub.add_argument("--min-order", default="0", help=_("minimum order per delivery (variable)"))
    sub.add_argument(
        "--min-season", default="0", help=_("minimum over the season, pro-rated (variable)")
    )
    _json(sub)
    sub = contract("renew", _("copy a contract onto the next season"))
    _contract(sub)
    sub.add_argument("--code", required=True, help=_("the new contract's code"))
    sub.add_argument("--months", type=int, default=12)
    _json(sub)

    sub = contract("import", _("contracts from a CSV file, one row per size (all or nothing)"))
    sub.add_argument("file", metavar=_("FILE"))
    sub.add_argument("--dry-run", action="store_true")
    _json(sub)

    cal = group("calendar", _("a contract's delivery dates"))
    sub = cal("show", _("the delivery dates"))
    _contract(sub)
    _json(sub)
    sub = cal("generate", _("add dates from a rule"))
    _contract(sub)
    sub.add_argument("--rule", choices=RULES, default="weekly")
    sub.add_argument("--every", type=int, default=1, help=_("weeks between deliveries"))
    sub.add_argument("--anchor", metavar="D", help=_("a date the rhythm counts from"))
    sub.add_argument("--start", metavar="D")
    sub.add_argument("--end", metavar="D")
    sub.add_argument("--date", action="append", default=[], metavar="D", help=_("(list rule)"))
    sub.add_argument("--skip", action="append", default=[], metavar="D", help=_("no delivery"))
    _json(sub)
    for name, text in (("cancel", _("cancel a delivery")), ("restore", _("restore it"))):
        sub = cal(name, text)
        _contract(sub)
        sub.add_argument("date", metavar="D")
        sub.add_argument("--reason")
        _json(sub)
    sub = cal("move", _("move a delivery to another date or place"))
    _contract(sub)
    sub.add_argument("date", metavar="D")
    sub.add_argument("--to", metavar="D")
    sub.add_argument("--place")
    sub.add_argument("--reason")
    _json(sub)
    sub = cal("factor", _("a quantity factor: 2 = double basket, 0,5 = half"))
    _contract(sub)
    sub.add_argument("date", metavar="D")
    sub.add_argument("factor")
    sub.add_argument("--reason")
    _json(sub)

    subs = group("sub", _("subscriptions"))
    sub = subs("list", _("a contract's subscriptions"))
    _contract(sub)
    _json(sub)
    sub = subs("show", _("one subscription: baskets, payments, balance"))
    _sub(sub)
    _json(sub)
    sub = subs("add", _("subscribe a household"))
    _contract(sub)
    sub.add_argument("member", type=int, metavar="MEMBER_NO")
    sub.add_argument("--place", required=True)
    sub.add_argument("--size", required=True, help=_("e.g. “PP”, “2 GP”, “1 PP + 1 OEUF6”"))
    sub.add_argument("--start", metavar="D")
    sub.add_argument("--end", metavar="D")
    sub.add_argument("--with", dest="co_holders", action="append", type=int, default=[])
    sub.add_argument("--invert", action="store_true", help=_("the co-holder collects first"))
    sub.add_argument("--solidarity", action="store_true")
    sub.add_argument("--contribution", default="0", help=_("added per delivery to the fund"))
    sub.add_argument("--waiting-list", action="store_true")
    _json(sub)
    sub = subs("end", _("unsubscribe from a date on"))
    _sub(sub)
    sub.add_argument("--on", required=True, metavar="D")
    _json(sub)
    sub = subs("change", _("new sizes for the coming deliveries"))
    _sub(sub)
    sub.add_argument("--size", required=True)
    sub.add_argument("--from", dest="from_date", required=True, metavar="D")
    _json(sub)
    sub = subs("holder", _("add a co-holder to a shared basket"))
    _sub(sub)
    sub.add_argument("member", type=int, metavar="MEMBER_NO")
    _json(sub)
    sub = subs("collector", _("who collects a shared basket on a date"))
    _sub(sub)
    sub.add_argument("date", metavar="D")
    sub.add_argument("member", type=int, metavar="MEMBER_NO")
    _json(sub)
    sub = subs("order", _("a variable contract's order for a date"))
    _sub(sub)
    sub.add_argument("date", metavar="D")
    sub.add_argument("--size", required=True, help=_("e.g. “2 TOMME + 1 CHEVRE”"))
    _json(sub)
    sub = subs("waiting", _("a contract's waiting list"))
    _contract(sub)
    _json(sub)
    sub = subs("promote", _("take a household off the waiting list"))
    _sub(sub)
    _json(sub)
    sub = subs("import", _("subscriptions from a CSV file (all or nothing)"))
    sub.add_argument("file", metavar=_("FILE"))
    sub.add_argument("--waiting-list", action="store_true")
    sub.add_argument("--dry-run", action="store_true")
    _json(sub)
    sub = subs("export", _("subscriptions as CSV (French Excel)"))
    sub.add_argument("--contract")
    sub.add_argument("--out", metavar=_("FILE"))

    absence = group("absence", _("declared absences and given baskets"))
    for name, text in (
        ("add", _("declare an absence")),
        ("remove", _("withdraw an absence")),
        ("give", _("give a basket to a keeper or the partner")),
        ("ungive", _("take a gift back")),
    ):
        sub = absence(name, text)
        _sub(sub)
        sub.add_argument("date", metavar="D")
        if name == "give":
            sub.add_argument("--keeper", type=int, metavar="MEMBER_NO")
        _json(sub)

    pay = group("pay", _("payments: cheque plans, receipts, hand-over, balance"))
    sub = pay("plan", _("plan a subscription's cheques"))
    _sub(sub)
    sub.add_argument("--cheques", type=int, required=True)
    sub.add_argument("--amounts", help=_("your own split, e.g. “60,00;70,00;65,00”"))
    sub.add_argument("--issuer")
    sub.add_argument("--bank")
    _json(sub)
    sub = pay("plan-all", _("plan cheques for every subscription without a plan"))
    _contract(sub)
    sub.add_argument("--cheques", type=int, required=True)
    _json(sub)
    sub = pay("show", _("a subscription's payments and balance"))
    _sub(sub)
    _json(sub)
    sub = pay("receive", _("a planned cheque reaches the AMAP"))
    _sub(sub)
    sub.add_argument("position", type=int, metavar="N")
    sub.add_argument("--number")
    sub.add_argument("--bank")
    sub.add_argument("--issuer")
    sub.add_argument("--on", metavar="D")
    _json(sub)
    sub = pay("add", _("a payment by transfer, cash or local currency"))
    _sub(sub)
    sub.add_argument("amount")
    sub.add_argument(
        "--means", choices=["transfer", "cash", "local_currency", "cheque"], required=True
    )
    sub.add_argument("--on", metavar="D")
    _json(sub)
    sub = pay("hand-over", _("hand a cashing date's cheques to the producer"))
    _contract(sub)
    sub.add_argument("date", metavar="D")
    _json(sub)
    sub = pay("balance", _("every subscription's due, received and left"))
    _contract(sub)
    _json(sub)

    fund = group("fund", _("the solidarity fund"))
    sub = fund("show", _("balance and ledger"))
    _json(sub)
    sub = fund("gift", _("a one-off gift to the fund"))
    sub.add_argument("amount")
    sub.add_argument("--member", type=int)
    sub.add_argument("--note")
    sub.add_argument(
        "--means",
        choices=["cash", "cheque", "transfer", "local_currency"],
        default="cash",
        help=_("how the gift was received (for the accounts; default: cash)"),
    )
    _json(sub)
    sub = fund("settings", _("whether the fund may go below zero"))
    sub.add_argument("--allow-negative", action=argparse.BooleanOptionalAction, required=True)
    _json(sub)

    from coop.cli import amap_day_parsers

    amap_day_parsers.add_parsers(group, groups)
