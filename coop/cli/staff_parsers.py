"""Arguments of `coop staff ...` and `coop audit list` (kept light: `coop --help` imports it)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from coop.i18n import _


def add_parsers(
    command: Callable[..., argparse.ArgumentParser], lazy: Callable[[str, str], object]
) -> None:
    staff = command(
        "staff", _("PINs and roles of the people at the terminals"), lazy("staff", "dispatch")
    )
    what = staff.add_subparsers(dest="what", metavar=_("WHAT"), required=True)
    pin = what.add_parser("pin", help=_("set or reset a member's PIN (asked, never shown)"))
    pin.add_argument("action", choices=["set", "reset"])
    pin.add_argument("number", type=int, metavar=_("MEMBER_NO"))
    roles = what.add_parser("roles", help=_("grant or revoke a coop role"))
    roles.add_argument("action", choices=["grant", "revoke"])
    roles.add_argument("number", type=int, metavar=_("MEMBER_NO"))
    roles.add_argument("role", metavar=_("ROLE"), help="coordinator, treasurer, administrator")
    listing = what.add_parser("list", help=_("members with a PIN or a role"))
    listing.add_argument("--json", action="store_true")

    audit = command("audit", _("read the audit log"), lazy("staff", "audit_list"))
    verbs = audit.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    show = verbs.add_parser("list", help=_("who did what, when (newest first)"))
    show.add_argument("--member", type=int, metavar=_("MEMBER_NO"), help=_("about this member"))
    show.add_argument("--actor", type=int, metavar=_("MEMBER_NO"), help=_("done by this member"))
    show.add_argument(
        "--action", dest="action_filter", metavar=_("ACTION"), help=_("an action or its beginning")
    )
    show.add_argument("--from", dest="start", metavar=_("DATE"), help=_("from this day"))
    show.add_argument("--to", dest="end", metavar=_("DATE"), help=_("up to this day"))
    show.add_argument("--limit", type=int, default=500)
    show.add_argument("--json", action="store_true")
