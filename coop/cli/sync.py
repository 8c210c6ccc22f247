"""`coop sync odoo [check]`, `coop sync status|retry|resolve` and `coop export fec`.

The parsers are light (`coop --help` imports this module); the handlers import the sync lazily.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coop.i18n import _

Command = Callable[..., argparse.ArgumentParser]


def add_parsers(command: Command, lazy: Callable[[str, str], object]) -> None:
    sync = command(
        "sync",
        _("accounting: push the outbox to Odoo, see and fix what needs attention"),
        lazy("sync", "dispatch"),
    )
    actions = sync.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    odoo = actions.add_parser(
        "odoo", help=_("push pending entries to Odoo; `coop sync odoo check` checks the setup")
    )
    odoo.add_argument("step", nargs="?", choices=["check"], help=_("only check Odoo's setup"))
    odoo.add_argument(
        "--dry-run", action="store_true", help=_("check and count, create nothing in Odoo")
    )
    odoo.add_argument("--limit", type=int, metavar="N", help=_("push at most N outbox rows"))
    odoo.add_argument(
        "--activate-taxes", action="store_true", help=_("check: activate the archived taxes needed")
    )
    odoo.add_argument(
        "--create-journals", action="store_true", help=_("check: create the missing journals")
    )
    odoo.add_argument(
        "--create-accounts",
        action="store_true",
        help=_("check: create the missing AMAP accounts (the solidarity fund)"),
    )
    odoo.add_argument("--json", action="store_true", help=_("print JSON"))
    status = actions.add_parser("status", help=_("counts per state and what needs attention"))
    status.add_argument("--json", action="store_true", help=_("print JSON"))
    retry = actions.add_parser("retry", help=_("try a row needing attention again"))
    retry.add_argument("id", type=int, metavar="ID")
    resolve = actions.add_parser("resolve", help=_("mark a row as booked by hand"))
    resolve.add_argument("id", type=int, metavar="ID")
    resolve.add_argument("--reason", required=True, help=_("what was done instead"))


def add_fec_arguments(exporting: argparse.ArgumentParser) -> None:
    """`coop export fec --from D --to D --out FILE` (on the existing `export` command)."""
    exporting.add_argument("--from", dest="start", metavar="D", help=_("fec: first day"))
    exporting.add_argument("--to", dest="end", metavar="D", help=_("fec: last day"))


def do_export(args: argparse.Namespace) -> int:
    """`coop export KIND`: the FEC here, every other kind in `coop.cli.data`."""
    if args.kind != "fec":
        from coop.cli.data import do_export as export_data

        return export_data(args)
    from coop.cli import inputs
    from coop.cli.context import context_from
    from coop.money import format_money
    from coop.sync import fec
    from coop.sync.settings import load

    if not args.start or not args.end or not args.out:
        raise inputs.problem(_("the FEC needs --from, --to and --out"), "--out")
    start, end = inputs.day(args.start, "--from"), inputs.day(args.end, "--to")
    if end < start:
        raise inputs.problem(_("--to is before --from"), "--to")
    context = context_from(args)
    chart = load().chart
    with context.transaction(dry_run=True) as session:
        report = fec.export_fec(session, start=start, end=end, chart=chart, out=Path(args.out))
    print(
        _(
            "FEC written to {path}: {entries} entries, {lines} lines, debit = credit = {total}."
        ).format(
            path=args.out,
            entries=report.entries,
            lines=report.lines,
            total=format_money(report.debit_cents),
        )
    )
    for sentence in report.skipped:
        print(_("Left out: {reason}").format(reason=sentence))
    return 0


def dispatch(args: argparse.Namespace) -> int:
    from coop.cli.context import context_from

    context = context_from(args)
    handler: Callable[[Any, argparse.Namespace], int] = {
        "odoo": _odoo,
        "status": _status,
        "retry": _retry,
        "resolve": _resolve,
    }[args.action]
    return handler(context, args)


def _odoo(context: Any, args: argparse.Namespace) -> int:
    from coop.cli.context import print_json
    from coop.sync import push as pushing
    from coop.sync.settings import load

    settings = load()
    context.require_schema()
    if args.step == "check":
        with context.transaction(dry_run=True) as session:
            entries = pushing.pending_entries(session, settings)
        return _check(settings, args, entries)
    report = pushing.push(
        context.engine, settings, now=context.clock, limit=args.limit, dry_run=args.dry_run
    )
    if args.json:
        print_json(report.to_dict())
        return 0
    if report.dry_run:
        print(
            _(
                "Dry run: {rows} outbox rows, {entries} entries would be pushed; Odoo is ready."
            ).format(rows=report.rows, entries=report.created)
        )
        return 0
    print(
        _(
            "{rows} rows: {posted} posted ({created} moves created, {found} already in Odoo),"
            " {attention} need attention."
        ).format(
            rows=report.rows,
            posted=report.posted,
            created=report.created,
            found=report.found,
            attention=report.attention,
        )
    )
    if report.attention:
        print(_("See them with `coop sync status`."))
    return 0


def _check(settings: Any, args: argparse.Namespace, entries: Any) -> int:
    from coop.cli.context import print_json
    from coop.sync.check import check
    from coop.sync.odoo import Odoo, OdooRefused
    from coop.sync.push import accounts_needed, taxes_needed

    if not settings.odoo.configured:
        raise OdooRefused(
            "NotConfigured",
            _("Odoo is not configured: see [sync.odoo] in `coop locate config` and the README."),
        )
    odoo = Odoo(settings.odoo)
    try:
        setup = check(
            odoo,
            settings.chart,
            taxes_needed(entries),
            accounts_needed=accounts_needed(entries),
            activate_taxes=args.activate_taxes,
            create_journals=args.create_journals,
            create_accounts=args.create_accounts,
        )
    finally:
        odoo.close()
    if args.json:
        print_json({"odoo": settings.odoo.public(), **setup.to_dict()})
        return 0 if setup.passes else 2
    print(
        _("Odoo {version} at {url}, database {database}.").format(
            version=setup.version, url=settings.odoo.url, database=settings.odoo.database
        )
    )
    for line in setup.fixed:
        print("  " + line)
    if setup.passes:
        print(_("Everything the push needs is there."))
        return 0
    print(_("Missing before anything can be pushed:"))
    for line in setup.problems:
        print("  - " + line)
    return 2


def _status(context: Any, args: argparse.Namespace) -> int:
    from coop.cli.context import print_json
    from coop.sync import status as outbox_status

    with context.transaction(dry_run=True) as session:
        found = outbox_status.status(session)
    if args.json:
        print_json(found.to_dict())
        return 0
    print(found.counts_text())
    oldest = found.oldest_text()
    if oldest is not None:
        print(oldest)
    for row in found.attention:
        print(
            _("#{id} {kind} {key} ({date}): {reason}").format(
                id=row.id,
                kind=outbox_status.kind_words(row.kind),
                key=row.key,
                date=row.event_date.strftime("%d/%m/%Y"),
                reason=row.last_error or "?",
            )
        )
    if found.attention:
        print(
            _(
                "Fix the cause in Odoo, then `coop sync retry ID`; or book it by hand and"
                ' `coop sync resolve ID --reason "..."`.'
            )
        )
    return 0


def _retry(context: Any, args: argparse.Namespace) -> int:
    from coop.sync import status as outbox_status

    with context.transaction() as session:
        row = outbox_status.retry(session, args.id, actor=context.actor, now=context.clock())
    print(_("Row #{id} is pending again; the next `coop sync odoo` pushes it.").format(id=row.id))
    return 0


def _resolve(context: Any, args: argparse.Namespace) -> int:
    from coop.sync import status as outbox_status

    with context.transaction() as session:
        row = outbox_status.resolve(
            session, args.id, reason=args.reason, actor=context.actor, now=context.clock()
        )
    print(_("Row #{id} is marked as resolved; it will not be pushed.").format(id=row.id))
    return 0
