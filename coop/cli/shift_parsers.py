"""Options of `coop shifts ...` and `coop desk ...` (kept light: `coop --help` imports it)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from coop.i18n import _


def add_parsers(
    command: Callable[..., argparse.ArgumentParser], lazy: Callable[[str, str], object]
) -> None:
    """The `shifts` and `desk` commands and their options (called by coop.cli.main)."""
    shifts = command(
        "shifts",
        _("shift templates, bookings, attendance and the work-credit ledger"),
        lazy("shifts", "dispatch"),
    )
    actions = shifts.add_subparsers(dest="action", metavar=_("ACTION"), required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        return actions.add_parser(name, help=help_text, description=help_text)

    def json_flag(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help=_("print JSON"))

    sub = action("generate", _("create the shifts of a period from the templates (idempotent)"))
    sub.add_argument("--from", dest="first", required=True, metavar="D")
    sub.add_argument("--to", dest="last", required=True, metavar="D")
    json_flag(sub)

    sub = action("list", _("list the shifts of a period with their places"))
    sub.add_argument("--from", dest="first", metavar="D")
    sub.add_argument("--to", dest="last", metavar="D")
    json_flag(sub)

    sub = action("book", _("book a member on a shift"))
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("shift_id", type=int, metavar=_("SHIFT_ID"))
    json_flag(sub)

    sub = action("unbook", _("cancel a booking"))
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("shift_id", type=int, metavar=_("SHIFT_ID"))
    sub.add_argument(
        "--staff", action="store_true", help=_("as a coordinator: no notice period applies")
    )
    sub.add_argument("--reason", help=_("why (required with --staff)"))

    sub = action("stand-in", _("a booked member looks for someone to take their place"))
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("shift_id", type=int, metavar=_("SHIFT_ID"))
    sub.add_argument(
        "--staff", action="store_true", help=_("as a coordinator: no notice period applies")
    )

    sub = action("free", _("the shifts of the coming weeks with free places (to book)"))
    sub.add_argument(
        "--member", type=int, metavar=_("MEMBER_NO"), help=_("places this member may take")
    )
    sub.add_argument("--weeks", type=int, default=4, help=_("how many weeks ahead (4)"))
    json_flag(sub)

    sub = action("swap", _("two booked members exchange their shifts"))
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("shift_id", type=int, metavar=_("SHIFT_ID"))
    sub.add_argument("other_member", type=int, metavar=_("OTHER_MEMBER_NO"))
    sub.add_argument("other_shift_id", type=int, metavar=_("OTHER_SHIFT_ID"))

    sub = action(
        "hand-over", _("give a member's booking (their fixed slot's shift too) to a stand-in")
    )
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("shift_id", type=int, metavar=_("SHIFT_ID"))
    sub.add_argument("stand_in", type=int, metavar=_("STAND_IN_NO"))

    sub = action("attend", _("record who came to a shift (replaces an earlier state)"))
    sub.add_argument("shift_id", type=int, metavar=_("SHIFT_ID"))
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("--state", required=True, choices=["attended", "missed", "excused", "pending"])
    sub.add_argument("--walk-in", action="store_true", help=_("the member came without a booking"))
    sub.add_argument("--note", help=_("an excuse or a remark, kept with the record"))
    json_flag(sub)

    sub = action("cancel", _("cancel one shift (fixed-slot holders are treated as for a closure)"))
    sub.add_argument("shift_id", type=int, metavar=_("SHIFT_ID"))
    sub.add_argument("--reason", required=True)

    sub = action("edit", _("change one shift by hand (its template no longer changes it)"))
    sub.add_argument("shift_id", type=int, metavar=_("SHIFT_ID"))
    sub.add_argument("--start", metavar="HH:MM")
    sub.add_argument("--end", metavar="HH:MM")
    sub.add_argument("--seats", type=int, metavar="N")

    closure = action("closure", _("close the shop for a day or a period"))
    closure_actions = closure.add_subparsers(dest="sub", metavar=_("ACTION"), required=True)
    sub = closure_actions.add_parser("add", help=_("close the shop: shifts inside are cancelled"))
    sub.add_argument("--from", dest="first", required=True, metavar="D")
    sub.add_argument("--to", dest="last", metavar="D")
    sub.add_argument("--label", required=True, help=_("what people will read, e.g. “Inventory”"))
    sub.add_argument(
        "--makeups",
        type=int,
        help=_("make-ups an absence costs inside the closure (default: the policy's)"),
    )
    json_flag(sub)
    sub = closure_actions.add_parser("list", help=_("list the closures"))
    json_flag(sub)

    sub = action("hold", _("give a member a fixed place in a template (ABCD)"))
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("template", metavar=_("TEMPLATE_CODE"))
    sub.add_argument("--from", dest="first", metavar="D")
    sub.add_argument("--role", help=_("the role place they take (e.g. shift_leader)"))

    sub = action("release", _("end a member's fixed place in a template"))
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("template", metavar=_("TEMPLATE_CODE"))
    sub.add_argument("--last-day", dest="last", metavar="D")

    sub = action("mode", _("make a member flying or exempt"))
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("mode", choices=["flying", "exempt", "regular"])

    sub = action("role", _("give (or --remove) a role such as cashier or shift_leader"))
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("role")
    sub.add_argument("--remove", action="store_true")

    leave = action("leave", _("leaves (holiday: cannot shop) and exemptions (can shop)"))
    leave_actions = leave.add_subparsers(dest="sub", metavar=_("ACTION"), required=True)
    sub = leave_actions.add_parser("add", help=_("record a leave; bookings inside are released"))
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("--kind", required=True, choices=["holiday", "exemption"])
    sub.add_argument("--from", dest="first", required=True, metavar="D")
    sub.add_argument("--to", dest="last", metavar="D", help=_("last day (none: open-ended)"))
    sub.add_argument("--reason")
    sub = leave_actions.add_parser("end", help=_("the member is back (fixed slot restored)"))
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("--back", metavar="D", help=_("first day back (default: today)"))
    sub = leave_actions.add_parser("list", help=_("a member's leaves"))
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    json_flag(sub)

    sub = action("extend", _("give a member more time to make up their shifts"))
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("--reason", required=True)
    sub.add_argument("--until", metavar="D")

    sub = action("adjust", _("a manual entry on a member's counter, with its reason"))
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument(
        "--counter", required=True, help=_("standard, ftop, regular, compensation or balance")
    )
    sub.add_argument(
        "--delta", type=int, required=True, help=_("shifts to add (negative: to take)")
    )
    sub.add_argument("--reason", required=True)

    sub = action("run", _("daily run: cycle debits and status changes (idempotent)"))
    sub.add_argument("--today", metavar="D")
    json_flag(sub)

    sub = action("status", _("members' statuses on a date"))
    sub.add_argument("--at", metavar="D")
    sub.add_argument("--member", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("--all", action="store_true", help=_("one line per member"))
    json_flag(sub)

    sub = action("history", _("a member's work-credit ledger, in words"))
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    json_flag(sub)

    sub = action("understaffed", _("shifts of the next days with free places"))
    sub.add_argument("--days", type=int, default=14)
    json_flag(sub)

    sub = action("load", _("how the work is shared among members"))
    sub.add_argument("--from", dest="first", metavar="D")
    sub.add_argument("--to", dest="last", metavar="D")
    json_flag(sub)

    desk = command(
        "desk", _("the welcome desk: may this person shop?"), lazy("shifts", "desk_dispatch")
    )
    desk_actions = desk.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    sub = desk_actions.add_parser("check", help=_("scan a card or type a member number"))
    sub.add_argument("query", metavar=_("CARD_OR_MEMBER_NO"))
    sub.add_argument("--at", metavar="DATETIME", help=_("check at another moment"))
    json_flag(sub)
    sub = desk_actions.add_parser("grace", help=_("give a suspended member a logged grace delay"))
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("--reason", required=True)
    json_flag(sub)
