"""Options of `coop members add|update|leave|rejoin|welcome|shares|fee|figures` (kept light:
`coop --help` imports it; the work is in ``coop.cli.members_admin``)."""

from __future__ import annotations

import argparse

from coop.i18n import _

ADMIN_ACTIONS = ("add", "update", "leave", "rejoin", "welcome", "shares", "fee", "figures")
"""The `coop members` actions handled by ``coop.cli.members_admin``."""

MEANS = ("cash", "card", "cheque", "transfer", "local_currency", "other")


def _details(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--first-name", required=required, metavar=_("TEXT"))
    parser.add_argument("--last-name", required=required, metavar=_("TEXT"))
    parser.add_argument("--email", metavar=_("TEXT"))
    parser.add_argument("--phone", metavar=_("TEXT"))
    parser.add_argument("--street", metavar=_("TEXT"))
    parser.add_argument("--postcode", metavar=_("TEXT"))
    parser.add_argument("--city", metavar=_("TEXT"))
    parser.add_argument("--category", metavar=_("CODE"), help=_("standard, solidarity…"))
    parser.add_argument(
        "--household", type=int, metavar=_("MEMBER_NO"), help=_("the main member they live with")
    )


def add_parsers(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The joining, leaving, shares and fee actions of `coop members` (called by main)."""
    sub = actions.add_parser("add", help=_("register a new member with their household and card"))
    _details(sub, required=True)
    sub.add_argument("--number", type=int, metavar=_("MEMBER_NO"), help=_("default: the next"))
    sub.add_argument("--joined", metavar="D", help=_("joining date (default: today)"))
    sub.add_argument("--card", metavar="EAN13", help=_("default: the coop's numbering"))
    sub.add_argument("--print-card", action="store_true", help=_("write the card's PDF at once"))
    sub.add_argument("--json", action="store_true")

    sub = actions.add_parser("update", help=_("change a member's details or household"))
    sub.add_argument("number", type=int, metavar=_("MEMBER_NO"))
    _details(sub, required=False)
    sub.add_argument("--no-household", action="store_true", help=_("leave their household"))
    sub.add_argument("--reason", help=_("why (kept in the audit)"))
    sub.add_argument("--json", action="store_true")

    sub = actions.add_parser(
        "leave", help=_("a member leaves: card ended, shift slot and AMAP subscriptions released")
    )
    sub.add_argument("number", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("--on", metavar="D", help=_("leaving date (default: today)"))
    sub.add_argument("--reason", required=True)
    sub.add_argument("--json", action="store_true")

    sub = actions.add_parser("rejoin", help=_("a member who left comes back (same number)"))
    sub.add_argument("number", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("--on", metavar="D", help=_("default: today"))
    sub.add_argument("--json", action="store_true")

    sub = actions.add_parser("welcome", help=_("record that a member attended the welcome session"))
    sub.add_argument("number", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("--on", metavar="D", help=_("default: today"))

    shares = actions.add_parser("shares", help=_("capital shares: payments and refunds"))
    share_actions = shares.add_subparsers(dest="sub", metavar=_("ACTION"), required=True)
    sub = share_actions.add_parser("pay", help=_("record a share payment (or an instalment)"))
    sub.add_argument("number", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("--amount", required=True, metavar=_("AMOUNT"))
    sub.add_argument("--means", required=True, choices=MEANS)
    sub.add_argument("--reference", metavar=_("TEXT"), help=_("cheque or transfer reference"))
    sub.add_argument("--json", action="store_true")
    sub = share_actions.add_parser(
        "refund-request", help=_("a member who left asks for their shares back")
    )
    sub.add_argument("number", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("--json", action="store_true")
    sub = share_actions.add_parser(
        "refund", help=_("pay the shares back, once the statutes' delay has passed")
    )
    sub.add_argument("number", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("--means", required=True, choices=MEANS)
    sub.add_argument("--amount", metavar=_("AMOUNT"), help=_("default: everything held"))
    sub.add_argument("--reference", metavar=_("TEXT"))
    sub.add_argument("--json", action="store_true")
    sub = share_actions.add_parser("show", help=_("a member's shares, fees and movements"))
    sub.add_argument("number", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("--json", action="store_true")

    fee = actions.add_parser("fee", help=_("the association's yearly fee"))
    fee_actions = fee.add_subparsers(dest="sub", metavar=_("ACTION"), required=True)
    sub = fee_actions.add_parser("pay", help=_("record a member's fee for a year"))
    sub.add_argument("number", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("--means", required=True, choices=MEANS)
    sub.add_argument("--year", type=int, help=_("default: this year"))
    sub.add_argument("--amount", metavar=_("AMOUNT"), help=_("default: the category's fee"))
    sub.add_argument("--reference", metavar=_("TEXT"))
    sub.add_argument("--json", action="store_true")

    sub = actions.add_parser(
        "figures", help=_("the general assembly's figures: members, shares, joined and left")
    )
    sub.add_argument("--at", metavar="D", help=_("default: today"))
    sub.add_argument("--json", action="store_true")
