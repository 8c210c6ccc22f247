"""`coop print DOCUMENT ... --out FILE`: build a document's data in one read-only transaction,
then lay it out with ``invoices`` (the one place of ``coop`` that starts ReportLab)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from coop.cli import inputs
from coop.cli.context import Context, Progress, context_from, print_json
from coop.clock import local_date
from coop.i18n import _, ngettext


def dispatch(args: argparse.Namespace) -> int:
    context = context_from(args)
    return HANDLERS[args.document](context, args)


def _write(document: Any, args: argparse.Namespace, *, progress_label: str | None = None) -> int:
    """Render ``document`` to ``--out`` atomically and say what was written."""
    import invoices
    from invoices.base import write_atomically

    if progress_label is not None:
        with Progress(progress_label, None) as bar:
            built = invoices.build(document, progress=bar.update)
    else:
        built = invoices.build(document)
    path = write_atomically(args.out, built.data)
    return _report(args, [(path, built.pages)])


def _report(args: argparse.Namespace, written: list[tuple[Any, int]]) -> int:
    if args.json:
        print_json([{"file": str(path), "pages": pages} for path, pages in written])
        return 0
    for path, pages in written:
        if pages:
            print(
                ngettext(
                    "Wrote {file} ({pages} page).", "Wrote {file} ({pages} pages).", pages
                ).format(file=path, pages=pages)
            )
        else:
            print(_("Wrote {file}.").format(file=path))
    return 0


def _read(context: Context, args: argparse.Namespace, build: Callable[[Any], Any]) -> Any:
    """Build the data in a transaction that changes nothing (``--out`` checked first)."""
    from invoices.base import check_target

    check_target(args.out)
    with context.transaction(dry_run=True) as session:
        return build(session)


def receipt(context: Context, args: argparse.Namespace) -> int:
    from coop.till.documents import load_receipt

    document = _read(
        context,
        args,
        lambda session: load_receipt(
            session,
            args.till,
            args.number,
            settings=context.settings,
            printed_at=context.clock(),
            narrow=args.narrow,
        ),
    )
    return _write(document, args)


def z_report(context: Context, args: argparse.Namespace) -> int:
    from coop.till.documents import z_report_document

    now = context.clock()
    day = inputs.day(args.day, "--day", default=local_date(now))
    document = _read(
        context,
        args,
        lambda session: z_report_document(
            session, day=day, till_code=args.till, settings=context.settings, printed_at=now
        ),
    )
    return _write(document, args)


def sign_in(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.documents import sign_in_sheet

    now = context.clock()
    day = inputs.day(args.day, "--day", default=local_date(now))
    document = _read(
        context,
        args,
        lambda session: sign_in_sheet(session, day, settings=context.settings, printed_at=now),
    )
    return _write(document, args)


def attestation(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.documents import hours_attestation

    first = inputs.day(args.first, "--from")
    last = inputs.day(args.last, "--to")
    document = _read(
        context,
        args,
        lambda session: hours_attestation(
            session,
            args.member,
            first,
            last,
            settings=context.settings,
            printed_at=context.clock(),
        ),
    )
    return _write(document, args)


def cards(context: Context, args: argparse.Namespace) -> int:
    from coop.members.documents import member_cards

    now = context.clock()
    document = _read(
        context,
        args,
        lambda session: member_cards(
            session,
            args.members or None,
            settings=context.settings,
            printed_at=now,
            today=local_date(now),
        ),
    )
    return _write(document, args, progress_label=_("Member cards"))


def status_list(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.documents import status_list as build

    now = context.clock()
    day = inputs.day(args.day, "--day", default=local_date(now))
    document = _read(
        context,
        args,
        lambda session: build(session, day, settings=context.settings, printed_at=now),
    )
    return _write(document, args, progress_label=_("Member status list"))


def invoice(context: Context, args: argparse.Namespace) -> int:
    from coop.accounts.documents import invoice_document

    document = _read(
        context,
        args,
        lambda session: invoice_document(
            session, args.code, settings=context.settings, printed_at=context.clock()
        ),
    )
    return _write(document, args)


def order_sheet(context: Context, args: argparse.Namespace) -> int:
    """One supplier: ``--out`` is the PDF (its CSV twin beside it). All: ``--out`` is a folder
    that receives ``CYCLE-SUPPLIER.pdf`` and ``.csv`` for each supplier."""
    from pathlib import Path

    import invoices
    from coop.errors import CoopError
    from coop.orders.sheets import order_sheet_csv_rows, order_sheets
    from invoices.base import check_target, write_atomically

    out = Path(args.out).expanduser()
    with context.transaction(dry_run=True) as session:  # an unknown cycle is said first
        sheets = order_sheets(
            session,
            args.cycle,
            settings=context.settings,
            printed_at=context.clock(),
            producer=args.producer,
            per_member=args.per_member,
            anonymised=args.anonymised,
        )
    if args.producer is None and not out.is_dir():
        raise CoopError(
            _(
                "Several suppliers: --out must be an existing folder ({path} is not one), or "
                "choose one with --producer."
            ).format(path=out)
        )
    targets = (
        (lambda sheet: out) if args.producer else (lambda sheet: out / f"{sheet.reference}.pdf")
    )
    if args.producer:
        check_target(out)
    written: list[tuple[Any, int]] = []
    with Progress(_("Order sheets"), len(sheets)) as bar:
        for sheet in sheets:
            target = targets(sheet)
            built = invoices.build(sheet)
            written.append((write_atomically(target, built.data), built.pages))
            if not args.no_csv:
                written.append(
                    (invoices.write_csv(order_sheet_csv_rows(sheet), target.with_suffix(".csv")), 0)
                )
            bar.advance()
    return _report(args, written)


def packing(context: Context, args: argparse.Namespace) -> int:
    from coop.orders.sheets import packing_list

    document = _read(
        context,
        args,
        lambda session: packing_list(
            session,
            args.cycle,
            args.by,
            settings=context.settings,
            printed_at=context.clock(),
            producer=args.producer,
        ),
    )
    return _write(document, args, progress_label=_("Packing list"))


HANDLERS: dict[str, Callable[[Context, argparse.Namespace], int]] = {
    "receipt": receipt,
    "z": z_report,
    "sign-in": sign_in,
    "attestation": attestation,
    "cards": cards,
    "status-list": status_list,
    "invoice": invoice,
    "order-sheet": order_sheet,
    "packing": packing,
}
