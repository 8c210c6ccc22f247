"""Options of `coop print DOCUMENT ... --out FILE`, built from the registry of printable documents
(``coop.printables``, which the Print window reads too). Kept light: `coop --help` imports it,
and the registry is read only when the run is a `coop print` one."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from coop.i18n import _

if TYPE_CHECKING:
    from coop.printables import Field


def add_parsers(
    command: Callable[..., argparse.ArgumentParser], lazy: Callable[[str, str], object]
) -> None:
    """The `print` command: one sub-command per printed document (called by coop.cli.main)."""
    printing = command(
        "print",
        _("print a document to a PDF file (receipts, Z, sign-in sheets, cards, invoices...)"),
        lazy("print", "dispatch"),
    )
    if not isinstance(printing, argparse.ArgumentParser):
        return  # another command's run: `print` is only listed by name
    from coop.printables import PRINTABLES

    documents = printing.add_subparsers(dest="document", metavar=_("DOCUMENT"), required=True)
    for document in PRINTABLES:
        help_text = _(document.help)
        sub = documents.add_parser(document.name, help=help_text, description=help_text)
        sub.add_argument("--out", required=True, metavar=_("FILE"), help=_("the PDF file to write"))
        sub.add_argument("--json", action="store_true", help=_("print what was written as JSON"))
        for field in document.fields:
            add_argument(sub, field)


def add_argument(parser: argparse.ArgumentParser, field: Field) -> None:
    """The argument or option of one field: its kind says how argparse reads it."""
    from coop.printables import Kind

    options: dict[str, Any] = {}
    if field.help:
        options["help"] = _(field.help)
    if field.kind is Kind.YES_NO:
        assert field.option is not None, field.name
        parser.add_argument(field.option, dest=field.name, action="store_true", **options)
        return
    if field.metavar is not None:
        options["metavar"] = _(field.metavar)
    if field.kind is Kind.CHOICE:
        options.update(choices=list(field.choices), default=field.choices[0])
    if field.kind in (Kind.NUMBER, Kind.NUMBERS):
        options["type"] = int
    if field.kind is Kind.NUMBERS:
        options["nargs"] = "*"
    if field.option is None:
        parser.add_argument(field.name, **options)
    else:
        parser.add_argument(field.option, dest=field.name, required=field.required, **options)
