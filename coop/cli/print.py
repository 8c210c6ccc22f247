"""`coop print DOCUMENT ... --out FILE`: build a document's data in one read-only transaction,
then lay it out with ``invoices`` (the one place of ``coop`` that starts ReportLab).

The documents, their options (``coop.cli.print_parsers``) and how each is read come from the
registry ``coop.printables``; the data is built by ``coop.printouts``, as for the Print window.
Every document is one PDF at ``--out``, but the order sheets: one PDF and its CSV twin per
supplier (``order_sheet``).
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import Any

from coop.cli import inputs
from coop.cli.context import Context, Progress, context_from, print_json
from coop.clock import local_date
from coop.i18n import _, ngettext
from coop.printables import DOCUMENTS, Default, Kind, Printable


def dispatch(args: argparse.Namespace) -> int:
    context = context_from(args)
    document = DOCUMENTS[args.document]
    now = context.clock()
    values = read_values(document, args, now)
    if document.name == "order-sheet":
        return order_sheet(context, args, values, now)
    return _print(context, args, document, values, now)


def read_values(document: Printable, args: argparse.Namespace, now: datetime) -> dict[str, Any]:
    """The document's fields from the command line: days parsed (today by default where the
    registry says so), the rest as argparse read them."""
    values: dict[str, Any] = {}
    for field in document.fields:
        value = getattr(args, field.name)
        if field.kind is Kind.DAY:
            default = local_date(now) if field.default is Default.TODAY else None
            value = inputs.day(value, field.option or field.name, default=default)
        values[field.name] = value
    return values


def _print(
    context: Context,
    args: argparse.Namespace,
    document: Printable,
    values: dict[str, Any],
    now: datetime,
) -> int:
    """Check ``--out``, build the data in a transaction that changes nothing, render the PDF
    atomically and say what was written."""
    import invoices
    from coop.printouts import CSV_TWINS, build
    from invoices.base import check_target, write_atomically

    check_target(args.out)
    with context.transaction(dry_run=True) as session:
        data = build(session, document.name, values, settings=context.settings, now=now)
    if document.progress:
        with Progress(_(document.progress), None) as bar:
            built = invoices.build(data, progress=bar.update)
    else:
        built = invoices.build(data)
    path = write_atomically(args.out, built.data)
    written: list[tuple[Any, int]] = [(path, built.pages)]
    if document.name in CSV_TWINS and not getattr(args, "no_csv", False):
        written.append((invoices.write_csv_twin(document.name, data, path.with_suffix(".csv")), 0))
    return _report(args, written)


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


def order_sheet(
    context: Context, args: argparse.Namespace, values: dict[str, Any], now: datetime
) -> int:
    """One supplier: ``--out`` is the PDF (its CSV twin beside it). All: ``--out`` is a folder
    that receives ``CYCLE-SUPPLIER.pdf`` and ``.csv`` for each supplier."""
    import invoices
    from coop.errors import CoopError
    from coop.orders.sheets import (
        OrderSheet,
        household_key_csv_rows,
        household_key_file,
        order_sheet_csv_rows,
    )
    from coop.printouts import build
    from invoices.base import check_target, write_atomically

    out = Path(args.out).expanduser()
    with context.transaction(dry_run=True) as session:  # an unknown cycle is said first
        sheets: list[OrderSheet] = build(
            session, "order-sheet", values, settings=context.settings, now=now
        )
    if args.producer is None and not out.is_dir():
        raise CoopError(
            _(
                "Several suppliers: --out must be an existing folder ({path} is not one), or "
                "choose one with --producer."
            ).format(path=out)
        )

    def target_of(sheet: OrderSheet) -> Path:
        return out if args.producer else out / f"{sheet.reference}.pdf"

    if args.producer:
        check_target(out)
    written: list[tuple[Any, int]] = []
    with Progress(_(DOCUMENTS["order-sheet"].progress), len(sheets)) as bar:
        for sheet in sheets:
            target = target_of(sheet)
            built = invoices.build(sheet)
            written.append((write_atomically(target, built.data), built.pages))
            if not args.no_csv:
                written.append(
                    (invoices.write_csv(order_sheet_csv_rows(sheet), target.with_suffix(".csv")), 0)
                )
            if sheet.household_key:  # for the coordinator only: never sent with the sheet
                key = target.with_name(household_key_file(target.name))
                written.append((invoices.write_csv(household_key_csv_rows(sheet), key), 0))
            bar.advance()
    return _report(args, written)
