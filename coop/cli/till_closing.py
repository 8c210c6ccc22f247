"""`coop till z|close-month|close-year|closures|report|verify|archive`: the closures, the day's
figures, the journal's verification and the archives (the Z printed as ``coop.till.receipt_text``
lays it out)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coop.cli import inputs
from coop.cli.context import Context, print_json
from coop.clock import local_date
from coop.dates import format_date
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.money import format_money

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coop.till.z_backup import ZBackup


def z(context: Context, args: argparse.Namespace) -> int:
    from coop.till import closing

    now = context.clock()
    day = inputs.day(args.day, "--day", default=local_date(now))
    with context.transaction() as session:
        written = closing.take_day_closure(
            session,
            till_code=args.till,
            day=day,
            settings=context.settings.till,
            actor=context.actor,
            now=now,
        )
        till = written[-1].till_id
        from coop.till.models import Till

        found = session.get(Till, till)
        assert found is not None  # the closure just written is on it
        code = found.code
        report = closing.report_day(session, day=day, till_code=code)[0]
        saved = backup_after_z(context, session)
    tell_backup(saved)
    if args.json:
        print_json(report)
        return 0
    if len(written) > 1:
        print(
            _("{count} earlier days without their Z were closed first.").format(
                count=len(written) - 1
            )
        )
    print_z(context, report)
    return 0


def backup_after_z(context: Context, session: Session) -> ZBackup:
    """The automatic backup after a Z, written once the command's transaction commits
    (``coop.till.z_backup``: ``[till] backups_kept`` in the data folder's ``backups/``)."""
    from coop import paths
    from coop.till import z_backup

    return z_backup.after_commit(
        session,
        folder=paths.data_dir() / "backups",
        keep=context.settings.till.backups_kept,
        now=context.clock(),
    )


def tell_backup(outcome: ZBackup) -> None:
    """The Z stands even if its backup could not be written: the person is told."""
    warning = outcome.warning()
    if warning is not None:
        print(warning, file=sys.stderr)


def print_z(context: Context, report: dict[str, Any]) -> None:
    from coop.documents import letterhead
    from coop.till.receipt_text import plain, z_lines
    from coop.till.z_documents import z_document

    document = z_document(
        report,
        head=letterhead(context.settings),
        local_currency=context.settings.till.local_currency or None,
        printed_at=context.clock(),
    )
    print(plain(z_lines(document)))


def close_month(context: Context, args: argparse.Namespace) -> int:
    from coop.till import closing

    month = inputs.month(args.month, "--month")
    now = context.clock()
    with context.transaction() as session:
        written = closing.take_month_closure(
            session,
            till_code=args.till,
            month=month,
            settings=context.settings.till,
            actor=context.actor,
            now=now,
        )
        data = [_closure_summary(row) for row in written]
    return _print_closures_taken(data, args.json)


def close_year(context: Context, args: argparse.Namespace) -> int:
    from coop.till import closing

    start = _year_start(context, args.year)
    now = context.clock()
    with context.transaction() as session:
        written = closing.take_year_closure(
            session,
            till_code=args.till,
            year_start=start,
            settings=context.settings.till,
            actor=context.actor,
            now=now,
        )
        data = [_closure_summary(row) for row in written]
    return _print_closures_taken(data, args.json)


def _year_start(context: Context, text: str) -> date:
    """``--year``: a year (its fiscal year's first day) or a fiscal year's first day."""
    text = text.strip()
    if text.isdigit() and len(text) == 4:
        month, first = (int(part) for part in context.settings.till.fiscal_year_start.split("-"))
        return date(int(text), month, first)
    return inputs.day(text, "--year")


def _closure_summary(row: Any) -> dict[str, Any]:
    return {
        "period": row.period,
        "number": row.number,
        "start": row.starts_on.isoformat(),
        "end": row.ends_on.isoformat(),
        "sale_count": row.sale_count,
        "total": row.total_cents,
        "perpetual": row.perpetual_cents,
    }


def _print_closures_taken(data: list[dict[str, Any]], as_json: bool) -> int:
    from coop.till.words import kind_name

    if as_json:
        print_json(data)
        return 0
    for item in data:
        print(
            _("{kind} no. {number}, {start} to {end}: {count} sales, {total}").format(
                kind=kind_name(f"{item['period']}_closure"),
                number=item["number"],
                start=item["start"],
                end=item["end"],
                count=item["sale_count"],
                total=format_money(item["total"]),
            )
        )
    return 0


def closures(context: Context, args: argparse.Namespace) -> int:
    from coop.till import closing
    from coop.till.closures import Period

    first = inputs.day(args.first, "--from") if args.first else None
    last = inputs.day(args.last, "--to") if args.last else None
    with context.transaction(dry_run=True) as session:
        data = closing.list_closures(
            session,
            till_code=args.till,
            period=Period(args.period) if args.period else None,
            first=first,
            last=last,
        )
    if args.json:
        print_json(data)
        return 0
    for item in data:
        print(
            f"{item['till']:<10} {item['period']:<6} {item['number']:>5}  {item['start']}"
            f"  {item['end']}  {item['sale_count']:>6}  {format_money(item['total']):>14}"
            f"  {format_money(item['perpetual']):>16}  {item['hash'][:16]}"
        )
    if not data:
        print(_("No closure yet."))
    return 0


def report(context: Context, args: argparse.Namespace) -> int:
    from coop.till import closing

    if args.month or args.year:
        return period_report(context, args)
    day = inputs.day(args.day, "--day", default=local_date(context.clock()))
    with context.transaction(dry_run=True) as session:
        data = closing.report_day(session, day=day, till_code=args.till)
    if args.json:
        print_json(data if args.till is None else data[0])
        return 0
    for item in data:
        print_z(context, item)
    return 0


def period_report(context: Context, args: argparse.Namespace) -> int:
    """``coop till report --month`` / ``--year``: the period's sealed closures, with the shares
    and fees by means summed over its days."""
    from coop.till.closures import Period
    from coop.till.period_report import period_lines, report_period
    from coop.till.receipt_text import plain

    if args.month:
        period, start, option = Period.MONTH, inputs.month(args.month, "--month"), "--month"
        missing = _(
            "no monthly closure of {month} yet: take it with `coop till close-month`"
        ).format(month=start.strftime("%m/%Y"))
    else:
        period, start, option = Period.YEAR, _year_start(context, args.year), "--year"
        missing = _(
            "no yearly closure starting on {day} yet: take it with `coop till close-year`"
        ).format(day=format_date(start))
    with context.transaction(dry_run=True) as session:
        data = report_period(session, period=period, start=start, till_code=args.till)
    if not data:
        raise InvalidInput([Problem(missing, column=option)])
    if args.json:
        print_json(data if args.till is None else data[0])
        return 0
    local = context.settings.till.local_currency or None
    print("\n\n".join(plain(period_lines(item, local)) for item in data))
    return 0


def verify(context: Context, args: argparse.Namespace) -> int:
    if args.archive:
        from coop.till.archive import verify_archive

        check = verify_archive(args.archive)
        if check.ok:  # the archive holds: does the live database still agree with it?
            from coop.till.archive_compare import compare_with_database

            with context.transaction(dry_run=True) as session:
                check.problems.extend(compare_with_database(session, args.archive))
        if args.json:
            print_json(check.as_dict())
        elif check.ok:
            print(
                _("Archive {folder}: {count} records checked, every hash holds.").format(
                    folder=args.archive, count=check.records
                )
            )
        else:
            for problem in check.problems:
                print(problem)
        return 0 if check.ok else 3
    from coop.till import verify as verifier

    anchors = None
    if args.anchor:
        seq, _sep, short = args.anchor.partition(":")
        if not args.till or not seq.isdigit() or not short:
            raise inputs.problem(_("expected --till CODE and SEQ:HASH as printed"), "--anchor")
        anchors = {args.till.upper(): (int(seq), short.strip())}
    from coop.accounts.verify import verify_accounts

    with context.transaction(dry_run=True) as session:
        verdicts = verifier.verify(session, till_code=args.till, anchors=anchors)
        # the prepaid accounts' own chain, checked with every till (not for one till alone)
        accounts = None if args.till else verify_accounts(session)
    if args.json:
        print_json(
            [verdict.as_dict() for verdict in verdicts] + ([accounts.as_dict()] if accounts else [])
        )
    else:
        for verdict in verdicts:
            print(verdict.message())
        if not verdicts:
            print(_("No till yet: nothing to verify."))
        for line in accounts.messages() if accounts else []:
            print(line)
    holds = all(verdict.ok for verdict in verdicts) and (accounts is None or accounts.ok)
    return 0 if holds else 3


def archive(context: Context, args: argparse.Namespace) -> int:
    from coop.till.archive import export_archive

    first = inputs.day(args.first, "--from")
    last = inputs.day(args.last, "--to")
    with context.transaction(dry_run=True) as session:
        manifest = export_archive(
            session,
            first=first,
            last=last,
            out=Path(args.out),
            now=context.clock(),
            till_code=args.till,
        )
    if args.json:
        print_json(manifest)
        return 0
    records = sum(chain["records"] for chain in manifest["tills"])
    print(
        _("Archive written to {folder}: {count} journal records, {files} files.").format(
            folder=args.out, count=records, files=len(manifest["files"]) + 2
        )
    )
    return 0
