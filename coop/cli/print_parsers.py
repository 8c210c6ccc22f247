"""Options of `coop print DOCUMENT ... --out FILE` (kept light: `coop --help` imports it)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from coop.i18n import _


def add_parsers(
    command: Callable[..., argparse.ArgumentParser], lazy: Callable[[str, str], object]
) -> None:
    """The `print` command: one sub-command per printed document (called by coop.cli.main)."""
    printing = command(
        "print",
        _("print a document to a PDF file (receipts, Z, sign-in sheets, cards, invoices...)"),
        lazy("print", "dispatch"),
    )
    documents = printing.add_subparsers(dest="document", metavar=_("DOCUMENT"), required=True)

    def document(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = documents.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--out", required=True, metavar=_("FILE"), help=_("the PDF file to write"))
        sub.add_argument("--json", action="store_true", help=_("print what was written as JSON"))
        return sub

    def till(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--till", metavar="CODE", help=_("the till (default: this computer's, [till] till)")
        )

    sub = document("receipt", _("a till receipt (A4, or an 80 mm roll with --narrow)"))
    sub.add_argument("number", type=int, metavar=_("SALE_NO"))
    till(sub)
    sub.add_argument("--narrow", action="store_true", help=_("80 mm wide, for a receipt printer"))

    sub = document("z", _("a till's Z report for a day (provisional figures before the Z)"))
    sub.add_argument("--day", metavar="D", help=_("the day (default: today)"))
    till(sub)

    sub = document("sign-in", _("the shift sign-in sheet of a day"))
    sub.add_argument("--day", metavar="D", help=_("the day (default: today)"))

    sub = document("attestation", _("a volunteer-hours attestation for a member over a period"))
    sub.add_argument("member", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("--from", dest="first", required=True, metavar="D")
    sub.add_argument("--to", dest="last", required=True, metavar="D")

    sub = document("cards", _("member cards with their EAN-13 barcode, ten per page"))
    sub.add_argument(
        "members",
        nargs="*",
        type=int,
        metavar=_("MEMBER_NO"),
        help=_("these members only (default: every current member with a card)"),
    )

    sub = document(
        "status-list",
        _("the paper list of who may shop on a day (when the terminal is down)"),
    )
    sub.add_argument("--day", metavar="D", help=_("the day (default: today)"))

    sub = document("invoice", _("a member invoice or credit note"))
    sub.add_argument("code", metavar=_("NUMBER"), help=_("e.g. FA-000042 or AV-000003"))

    sub = document(
        "order-sheet",
        _("the producer order sheets of a closed cycle (PDF and CSV twin, one per supplier)"),
    )
    sub.add_argument("cycle", metavar=_("CYCLE"))
    sub.add_argument(
        "--producer",
        metavar="CODE",
        help=_("this supplier only (--out is then a PDF file; otherwise a folder)"),
    )
    sub.add_argument(
        "--per-member", action="store_true", help=_("add a page of what each household ordered")
    )
    sub.add_argument(
        "--anonymised",
        action="store_true",
        help=_("on that page, number households instead of naming them"),
    )
    sub.add_argument("--no-csv", action="store_true", help=_("do not write the CSV twin"))

    sub = document("packing", _("a packing list of a closed cycle, or the sorting grid"))
    sub.add_argument("cycle", metavar=_("CYCLE"))
    sub.add_argument(
        "--by",
        choices=["article", "household", "matrix"],
        default="article",
        help=_("one block per article, one per household, or the grid for sorting crates"),
    )
    sub.add_argument("--producer", metavar="CODE", help=_("only this supplier's delivery"))
