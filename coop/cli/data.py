"""`coop import KIND FILE` and `coop export KIND`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from coop.cli.context import Progress, context_from, print_json
from coop.csvio import write_table
from coop.errors import CoopError
from coop.i18n import _


def _count_lines(path: str) -> int | None:
    try:
        with open(path, "rb") as handle:
            return max(sum(1 for _ in handle) - 1, 0)
    except OSError:
        return None


def do_import(args: argparse.Namespace) -> int:
    context = context_from(args)
    now = context.clock()
    with (
        Progress(_("Importing {file}").format(file=args.file), _count_lines(args.file)) as bar,
        context.transaction(dry_run=args.dry_run) as session,
    ):
        report = _importer(args.kind)(
            session,
            args.file,
            actor=context.actor,
            now=now,
            settings=context.settings,
            progress=bar.advance,
        )
    data = {
        "file": args.file,
        "kind": args.kind,
        "dry_run": args.dry_run,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
    }
    if args.json:
        print_json(data)
        return 0
    message = (
        _(
            "Checked {file}: {created} to create, {updated} to update, {unchanged} unchanged."
            " Nothing was changed (dry run)."
        )
        if args.dry_run
        else _("Imported {file}: {created} created, {updated} updated, {unchanged} unchanged.")
    )
    print(message.format(**data))
    return 0


def _importer(kind: str) -> Callable[..., Any]:
    if kind == "members":
        from coop.members.exchange import import_members

        def run_members(session: Any, path: str, *, settings: Any, **kw: Any) -> Any:
            return import_members(session, path, settings=settings.members, **kw)

        return run_members
    if kind == "shift-templates":
        from coop.shifts.exchange import import_templates

        def run_templates(session: Any, path: str, *, settings: Any, **kw: Any) -> Any:
            return import_templates(session, path, settings=settings.shifts, **kw)

        return run_templates
    from coop.catalog import exchange

    function = exchange.import_producers if kind == "producers" else exchange.import_products

    def run_catalog(session: Any, path: str, *, settings: Any, **kw: Any) -> Any:
        return function(session, path, **kw)

    return run_catalog


def do_export(args: argparse.Namespace) -> int:
    context = context_from(args)
    columns, rows_of = _exporter(args.kind)
    with context.transaction(dry_run=True) as session, _output(args.out, args.format) as stream:
        rows = rows_of(session)
        if args.format == "json":
            json.dump(list(rows), stream, ensure_ascii=False, indent=2, default=str)
            stream.write("\n")
        else:
            write_table(rows, columns, stream)
    return 0


def _exporter(kind: str) -> tuple[list[str], Callable[[Any], Iterable[dict[str, Any]]]]:
    if kind == "members":
        from coop.members.exchange import EXPORT_COLUMNS, export_rows

        return EXPORT_COLUMNS, export_rows
    if kind == "shift-templates":
        from coop.shifts import exchange as shift_exchange

        return shift_exchange.EXPORT_COLUMNS, shift_exchange.export_rows
    from coop.catalog import exchange

    if kind == "producers":
        return exchange.PRODUCER_EXPORT_COLUMNS, exchange.export_producer_rows
    return exchange.PRODUCT_EXPORT_COLUMNS, exchange.export_product_rows


def _remove_stale_parts(target: Path) -> None:
    """Remove what an export killed before its end left beside ``target`` (its process gone)."""
    for part in target.parent.glob(f".{target.name}.*.part"):
        pid = part.name[len(target.name) + 2 : -len(".part")]
        if pid.isdigit() and not _alive(int(pid)):
            part.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def _output(out: str | None, fmt: str) -> Iterator[IO[str]]:
    """stdout, or a file written beside its target and renamed only once complete."""
    if out is None:
        if fmt == "csv":
            sys.stdout.write("\ufeff")  # French Excel needs the BOM to read UTF-8
        yield sys.stdout
        return
    target = Path(out)
    _remove_stale_parts(target)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        handle = temporary.open("w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="")
    except OSError as error:
        raise CoopError(
            _("Cannot write {path}: {reason}.").format(path=target, reason=error.strerror)
        ) from error
    try:
        with handle:
            yield handle
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
