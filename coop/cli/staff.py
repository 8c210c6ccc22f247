"""`coop staff pin set|reset N`, `coop staff roles grant|revoke N ROLE`, `coop staff list` and
`coop audit list` (their arguments: ``coop.cli.staff_parsers``)."""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import asdict

from coop.cli.context import Context, context_from, print_json
from coop.errors import CoopError
from coop.i18n import _


def dispatch(args: argparse.Namespace) -> int:
    context = context_from(args)
    if args.what == "pin":
        return _pin(context, args)
    if args.what == "roles":
        return _roles(context, args)
    return _list(context, args)


def _read_pin() -> str:
    """Twice on a terminal (never echoed); one line of standard input otherwise."""
    from coop.cli.acting import on_terminal

    if not on_terminal():
        return sys.stdin.readline().strip()
    first = getpass.getpass(_("New PIN: "))
    if getpass.getpass(_("The same PIN again: ")) != first:
        raise CoopError(_("The two PINs differ; nothing was changed."))
    return first


def _pin(context: Context, args: argparse.Namespace) -> int:
    from coop.staff import service

    actor = context.actor
    pin = _read_pin()
    with context.transaction() as session:
        service.set_pin(session, args.number, pin, actor=actor, now=context.clock())
    print(_("The PIN of member {number} is set.").format(number=args.number))
    return 0


def _roles(context: Context, args: argparse.Namespace) -> int:
    from coop.rights import role_words
    from coop.staff import service

    with context.transaction() as session:
        after = service.change_role(
            session,
            args.number,
            args.role,
            grant=args.action == "grant",
            actor=context.actor,
            now=context.clock(),
        )
    print(
        _("Member {number} now holds: {roles}.").format(
            number=args.number, roles=", ".join(role_words(r) for r in after) or _("no coop role")
        )
    )
    return 0


def _list(context: Context, args: argparse.Namespace) -> int:
    from coop.staff import service

    with context.transaction(dry_run=True) as session:
        rows = service.list_staff(session, now=context.clock())
    if args.json:
        print_json([asdict(row) for row in rows])
        return 0
    for row in rows:
        flags = []
        if row.has_pin:
            flags.append(_("PIN locked") if row.locked else _("PIN set"))
        else:
            flags.append(_("no PIN"))
        print(f"{row.number:>5}  {row.name:<30}  {', '.join(row.roles) or '—'}  ({flags[0]})")
    return 0


def audit_list(args: argparse.Namespace) -> int:
    from coop.amap.audit_words import AmapAuditWords
    from coop.cli.inputs import day
    from coop.staff.audit_view import AuditFilter, entry_lines, list_entries

    context = context_from(args)
    wanted = AuditFilter(
        member=args.member,
        actor=args.actor,
        action=args.action_filter,
        start=day(args.start, "--from") if args.start else None,
        end=day(args.end, "--to") if args.end else None,
        limit=args.limit,
    )
    with context.transaction(dry_run=True) as session:
        words = [AmapAuditWords(session)]
        lines = list_entries(session, wanted, reader=context.actor, words=words)
    if args.json:
        print_json([asdict(line) for line in lines])
        return 0
    for line in lines:
        print("\n".join(entry_lines(line)))
    if not lines:
        print(_("No audit entry matches."))
    return 0
