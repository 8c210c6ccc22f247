"""Options of `coop orders ...` (kept light: `coop --help` imports it)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from coop.i18n import _

Command = Callable[..., argparse.ArgumentParser]
STRATEGIES = ["fifo", "proportional", "round_robin", "none"]


def _json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=_("print JSON"))


def _code(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CYCLE", help=_("the order cycle's code"))


def add_parsers(command: Command, lazy: Callable[[str, str], object]) -> None:
    orders = command(
        "orders",
        _("grouped orders: cycles, member orders, cases, delivery, allocation, charges"),
        lazy("orders", "dispatch"),
    )
    actions = orders.add_subparsers(dest="action", metavar=_("ACTION"), required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        return actions.add_parser(name, help=help_text, description=help_text)

    sub = action("list", _("every order cycle with its state"))
    _json(sub)

    sub = action("create", _("a new order cycle (in preparation) for one or several suppliers"))
    _code(sub)
    sub.add_argument("--name", required=True, help=_("what members see, e.g. “Vrac de décembre”"))
    sub.add_argument(
        "--supplier",
        action="append",
        required=True,
        metavar="CODE[:MODE]",
        help=_("a producer code, with its case rounding: foodsoft (default), up, down, manual"),
    )
    sub.add_argument("--opens", required=True, metavar="DATETIME", help=_("e.g. 2026-12-01 09:00"))
    sub.add_argument("--closes", required=True, metavar="DATETIME")
    sub.add_argument(
        "--boxfill", metavar="DATETIME", help=_("from then on, only changes that fill cases")
    )
    sub.add_argument("--delivery", required=True, metavar="D", help=_("delivery date"))
    sub.add_argument("--place", help=_("delivery place"))
    sub.add_argument("--strategy", default="fifo", choices=STRATEGIES)
    sub.add_argument(
        "--no-tolerance-fill",
        action="store_true",
        help=_("at delivery, a surplus does not fill members' tolerance"),
    )
    _json(sub)

    sub = action("import-articles", _("add a supplier's price list (CSV) or catalogue products"))
    _code(sub)
    sub.add_argument("file", nargs="?", metavar=_("FILE"))
    sub.add_argument("--supplier", required=True, metavar="CODE")
    sub.add_argument(
        "--from-catalogue", action="store_true", help=_("the supplier's catalogue products")
    )
    sub.add_argument(
        "--dry-run", action="store_true", help=_("check the file and report, change nothing")
    )
    _json(sub)

    sub = action("open", _("members may order (from the window's opening)"))
    _code(sub)

    sub = action("order", _("set a household's quantity and tolerance for an article"))
    _code(sub)
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("reference", metavar=_("REFERENCE"))
    sub.add_argument(
        "quantity", metavar=_("QUANTITY"), help=_("pieces, or 1,5 (kg) / 750 g; 0 cancels")
    )
    sub.add_argument("--tolerance", default="0", help=_("extra pieces accepted to fill a case"))
    _json(sub)

    sub = action("close", _("end the window: round to cases and allocate"))
    _code(sub)
    _json(sub)

    sub = action("cases", _("decide an article's cases by hand (rounding mode manual)"))
    _code(sub)
    sub.add_argument("reference", metavar=_("REFERENCE"))
    sub.add_argument("cases", type=int, metavar="N")

    sub = action("send", _("mark the order as sent to the suppliers"))
    _code(sub)

    sub = action(
        "receive", _("record the delivery (articles not named arrived as ordered) and share it")
    )
    _code(sub)
    sub.add_argument(
        "quantities", nargs="*", metavar="REF=QTY", help=_("what arrived of an article")
    )
    sub.add_argument("--file", metavar=_("FILE"), help=_("a CSV of reference;quantity"))
    _json(sub)

    sub = action("correct", _("give a household a quantity by hand (kept by later allocations)"))
    _code(sub)
    sub.add_argument("reference", metavar=_("REFERENCE"))
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    way = sub.add_mutually_exclusive_group(required=True)
    way.add_argument("quantity", nargs="?", metavar=_("QUANTITY"))
    way.add_argument("--unpin", action="store_true", help=_("hand the line back to the strategy"))
    sub.add_argument("--note", help=_("why"))

    sub = action("allocate", _("share every article again with a strategy"))
    _code(sub)
    sub.add_argument("--strategy", required=True, choices=STRATEGIES)

    sub = action("settle", _("charge every household's account with an invoice"))
    _code(sub)
    _json(sub)

    sub = action("show", _("a cycle: articles with their cases, households with their lines"))
    _code(sub)
    sub.add_argument("--member", type=int, metavar=_("MEMBER_NO"), help=_("only this household"))
    _json(sub)
