"""Options of `coop till ...`, `coop stock ...`, `coop accounts ...` and `coop barcodes ...`
(kept light: `coop --help` imports it)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import cast

from coop.cli.whole import Unused
from coop.i18n import _

Command = Callable[..., argparse.ArgumentParser]


def _json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=_("print JSON"))


def _till(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--till", metavar="CODE", help=_("the till (default: this computer's, [till] till)")
    )


def _counted(parser: argparse.ArgumentParser, what: str) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--cash", metavar=_("AMOUNT"), help=what)
    group.add_argument(
        "--coins",
        metavar="COUNT",
        help=_('the same, counted coin by coin and note by note: "20x3 10x2 0,50x10"'),
    )


def add_parsers(
    command: Command, lazy: Callable[[str, str], object], action: str | None = None
) -> None:
    """The commands' parsers; ``action`` named on the line: of `coop till`'s actions, only its
    arguments are built (a sale's start; `coop till --help` builds them all)."""
    _till_parsers(command, lazy, action)
    _stock_parsers(command, lazy)
    _account_parsers(command, lazy)
    barcodes = command(
        "barcodes",
        _("the barcode nomenclature: how scans are read (rules are data the coop edits)"),
        lazy("till", "barcodes_dispatch"),
    )
    actions = barcodes.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    sub = actions.add_parser("list", help=_("the rules, by priority"))
    _json(sub)
    sub = actions.add_parser("set", help=_("add a rule or change the one with this name"))
    sub.add_argument("name", metavar=_("NAME"))
    sub.add_argument(
        "--kind",
        required=True,
        choices=["member_card", "weight", "price", "product", "internal", "discount"],
    )
    sub.add_argument("--priority", type=int, required=True, help=_("lower numbers are tried first"))
    sub.add_argument(
        "--pattern",
        required=True,
        help=_("digits, '.' for any digit, {NNDDD} for the embedded value, e.g. 21.....{NNDDD}"),
    )
    sub.add_argument("--encoding", default="ean13", choices=["ean13", "ean8", "upca", "none"])
    sub.add_argument("--lookup", default="recompute", choices=["recompute", "zero_fill"])
    sub.add_argument(
        "--no-check-digit", action="store_true", help=_("do not verify the check digit")
    )
    sub.add_argument("--length", type=int, help=_("code length, for encoding none"))
    sub = actions.add_parser("remove", help=_("remove a rule"))
    sub.add_argument("name", metavar=_("NAME"))
    sub = actions.add_parser("scan", help=_("what scans name (products, cards, labels)"))
    sub.add_argument("codes", nargs="+", metavar="CODE")
    _json(sub)


def _till_parsers(
    command: Command, lazy: Callable[[str, str], object], only_action: str | None = None
) -> None:
    till = command(
        "till",
        _("the shop's till: sessions, sales, closures (Z), the inalterable journal"),
        lazy("till", "dispatch"),
    )
    actions = till.add_subparsers(dest="action", metavar=_("ACTION"), required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        if only_action is not None and name != only_action:
            actions.add_parser(name, help=help_text, add_help=False)
            return cast(argparse.ArgumentParser, Unused())
        return actions.add_parser(name, help=help_text, description=help_text)

    sub = action("open", _("open the till with the counted float"))
    _till(sub)
    _counted(sub, _("the float counted in the drawer, e.g. 150,00"))
    _json(sub)

    sub = action("close", _("close the till session with the counted cash"))
    _till(sub)
    _counted(sub, _("the cash counted in the drawer, e.g. 352,40"))
    sub.add_argument("--note", help=_("a remark kept with the session"))
    sub.add_argument("--z", action="store_true", help=_("also take today's Z"))
    _json(sub)

    sub = action("cash", _("cash put into or taken out of the drawer without a sale"))
    _till(sub)
    way = sub.add_mutually_exclusive_group(required=True)
    way.add_argument("--in", dest="cash_in", metavar=_("AMOUNT"), help=_("cash put in"))
    way.add_argument(
        "--out", dest="cash_out", metavar=_("AMOUNT"), help=_("cash taken out, e.g. 200,00")
    )
    sub.add_argument(
        "--reason",
        required=True,
        choices=["safe_drop", "bank_deposit", "float_top_up", "petty_expense", "other"],
    )
    sub.add_argument("--note")

    sub = action(
        "sell",
        _("sell a basket: scans and payments as arguments or a JSON file (see the README)"),
    )
    _till(sub)
    sub.add_argument(
        "items",
        nargs="*",
        metavar="SCAN",
        help=_("a barcode, scale label or internal code; CODE:3 for 3 pieces, CODE:750g"),
    )
    sub.add_argument("--file", metavar=_("FILE"), help=_("the basket as JSON"))
    sub.add_argument("--member", metavar=_("CARD_OR_NUMBER"))
    sub.add_argument("--override", metavar=_("REASON"), help=_("let a refused member through"))
    sub.add_argument(
        "--return",
        dest="returns",
        action="append",
        default=[],
        metavar="CODE[:N]",
        help=_("containers brought back (deposit)"),
    )
    sub.add_argument(
        "--refund",
        dest="refunds",
        action="append",
        default=[],
        metavar="[TILL/]SALE/LINE[:QTY]",
        help=_("give back a line of an earlier sale"),
    )
    sub.add_argument(
        "--no-restock", action="store_true", help=_("refunded goods do not go back to stock")
    )
    sub.add_argument("--discount", metavar="10%|2,00", help=_("a discount on the whole sale"))
    sub.add_argument(
        "--reason",
        choices=["damaged", "short_date", "price_error", "goodwill", "other"],
        help=_("why the discount"),
    )
    sub.add_argument("--note", help=_("the discount's note"))
    sub.add_argument("--authorised-by", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("--top-up", metavar=_("AMOUNT"), help=_("money put on the prepaid account"))
    sub.add_argument(
        "--shares",
        nargs="?",
        const="owed",
        metavar="AMOUNT|Np",
        help=_("capital shares paid at the till: what is still owed, N shares (3p) or an amount"),
    )
    sub.add_argument(
        "--fee",
        nargs="?",
        const="due",
        metavar=_("AMOUNT"),
        help=_("the association's yearly fee paid at the till: what is due, or an amount"),
    )
    sub.add_argument(
        "--pay",
        action="append",
        default=[],
        metavar="MEANS=AMOUNT[/REF]",
        help=_("cash, card, cheque, local_currency or account; several allowed"),
    )
    sub.add_argument("--token", help=_("the basket's key: the same key is never sold twice"))
    sub.add_argument(
        "--preview", action="store_true", help=_("price and check only, commit nothing")
    )
    _json(sub)

    sub = action("sale", _("show a committed sale"))
    _till(sub)
    sub.add_argument("number", type=int, metavar=_("NUMBER"))
    _json(sub)

    sub = action("z", _("take the daily closure (Z) of a day"))
    _till(sub)
    sub.add_argument("--day", metavar="D", help=_("default: today"))
    _json(sub)

    sub = action("close-month", _("take the monthly closure of a month that is over"))
    _till(sub)
    sub.add_argument("--month", required=True, metavar="YYYY-MM")
    _json(sub)

    sub = action("close-year", _("take the yearly closure of a fiscal year that is over"))
    _till(sub)
    sub.add_argument("--year", required=True, metavar="D", help=_("its first day"))
    _json(sub)

    sub = action("verify", _("recompute every chain and name the first broken record"))
    _till(sub)
    sub.add_argument(
        "--archive",
        metavar=_("FOLDER"),
        help=_("verify an archive, and compare it with the database"),
    )
    sub.add_argument(
        "--anchor",
        metavar="SEQ:HASH",
        help=_("the journal line printed on a receipt or a Z (needs --till): it must match"),
    )
    _json(sub)

    sub = action("closures", _("list the closures with their totals and hashes"))
    _till(sub)
    sub.add_argument("--period", choices=["day", "month", "year"])
    sub.add_argument("--from", dest="first", metavar="D")
    sub.add_argument("--to", dest="last", metavar="D")
    _json(sub)

    sub = action(
        "report",
        _("a day's Z data (provisional until the Z is taken), or a month's or a year's closure"),
    )
    _till(sub)
    when = sub.add_mutually_exclusive_group()
    when.add_argument("--day", metavar="D", help=_("default: today"))
    when.add_argument("--month", metavar="YYYY-MM", help=_("the monthly closure of a month"))
    when.add_argument(
        "--year", metavar="D", help=_("the yearly closure of a fiscal year (its first day)")
    )
    _json(sub)

    sub = action(
        "archive", _("export a period: journal, sales, closures as JSON and CSV, with hashes")
    )
    _till(sub)
    sub.add_argument("--from", dest="first", required=True, metavar="D")
    sub.add_argument("--to", dest="last", required=True, metavar="D")
    sub.add_argument("--out", required=True, metavar=_("FOLDER"))
    _json(sub)

    sub = action("list", _("the tills with their journal head"))
    _json(sub)

    sub = action("create", _("add a till"))
    sub.add_argument("code", metavar="CODE")
    sub.add_argument("--name")

    sub = action("price-rule", _("member categories' price rules (e.g. a solidarity price)"))
    rules = sub.add_subparsers(dest="sub", metavar=_("ACTION"), required=True)
    rule = rules.add_parser("set", help=_("give a category a price rule"))
    rule.add_argument("category", metavar=_("CATEGORY"))
    rule.add_argument(
        "--percent-off",
        required=True,
        metavar="P",
        help=_("10: 10 % off; -20: 20 % more").replace("%", "%%"),  # argparse formats help with %
    )
    rule.add_argument(
        "--rounding",
        choices=["ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_DOWN", "ROUND_UP"],
    )
    rule = rules.add_parser("remove", help=_("remove a category's price rule"))
    rule.add_argument("category", metavar=_("CATEGORY"))
    rule = rules.add_parser("list", help=_("the price rules"))
    _json(rule)


def _stock_parsers(command: Command, lazy: Callable[[str, str], object]) -> None:
    stock = command(
        "stock",
        _("stock: receipts, losses, inventories, low stock and reorder suggestions"),
        lazy("stock", "dispatch"),
    )
    actions = stock.add_subparsers(dest="action", metavar=_("ACTION"), required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        return actions.add_parser(name, help=help_text, description=help_text)

    sub = action("receive", _("goods received, from a CSV file (all or nothing)"))
    sub.add_argument("file", metavar=_("FILE"))
    sub.add_argument("--supplier", metavar="CODE", help=_("the producer or wholesaler"))
    sub.add_argument("--reference", help=_("the delivery note"))
    sub.add_argument(
        "--update-cost", action="store_true", help=_("the file's costs become the products' costs")
    )
    sub.add_argument("--dry-run", action="store_true", help=_("check the file, change nothing"))
    _json(sub)

    sub = action("add", _("goods received, by hand"))
    sub.add_argument("product", metavar=_("PRODUCT"))
    sub.add_argument("quantity", metavar=_("QUANTITY"), help=_("pieces, or 2,5 (kg) or 750g"))
    sub.add_argument("--cost", metavar=_("AMOUNT"), help=_("cost excl. VAT per piece or per kg"))
    sub.add_argument("--supplier", metavar="CODE")
    sub.add_argument("--reference")

    sub = action("loss", _("goods thrown away, broken, stolen..."))
    sub.add_argument("product", metavar=_("PRODUCT"))
    sub.add_argument("quantity", metavar=_("QUANTITY"))
    sub.add_argument(
        "--reason", required=True, choices=["damaged", "expired", "theft", "tasting", "other"]
    )
    sub.add_argument("--note")

    sub = action("correct", _("a correction with a note: found (--add) or missing (--remove)"))
    sub.add_argument("product", metavar=_("PRODUCT"))
    way = sub.add_mutually_exclusive_group(required=True)
    way.add_argument("--add", metavar=_("QUANTITY"))
    way.add_argument("--remove", metavar=_("QUANTITY"))
    sub.add_argument("--note", required=True)

    sub = action("list", _("current stock and its value"))
    sub.add_argument("--low", action="store_true", help=_("only products at or below minimum"))
    sub.add_argument("--category")
    _json(sub)

    sub = action("reorder", _("what to order, from recent sales and the supplier's delay"))
    sub.add_argument("--supplier", metavar="CODE")
    _json(sub)

    sub = action("set", _("a product's low-stock minimum and supplier delay"))
    sub.add_argument("product", metavar=_("PRODUCT"))
    sub.add_argument("--minimum", metavar=_("QUANTITY"), help=_('a quantity, or "off"'))
    sub.add_argument("--lead-time", type=int, metavar=_("DAYS"))

    sub = action("history", _("a product's stock moves"))
    sub.add_argument("product", metavar=_("PRODUCT"))
    sub.add_argument("--limit", type=int, default=50)
    _json(sub)

    sub = action("inventory", _("count the stock: start, count, report, close"))
    steps = sub.add_subparsers(dest="sub", metavar=_("ACTION"), required=True)
    step = steps.add_parser("start", help=_("start an inventory"))
    step.add_argument("--label", default="")
    step = steps.add_parser("count", help=_("record counted quantities: PRODUCT QUANTITY ..."))
    step.add_argument("counts", nargs="*", metavar="PRODUCT QUANTITY")
    step.add_argument("--file", metavar=_("FILE"), help=_("a CSV with columns product;quantity"))
    step = steps.add_parser("report", help=_("counted, expected, differences and their value"))
    _json(step)
    step = steps.add_parser("close", help=_("book the differences and close the inventory"))
    _json(step)


def _account_parsers(command: Command, lazy: Callable[[str, str], object]) -> None:
    accounts = command(
        "accounts",
        _("member prepaid accounts and invoices"),
        lazy("accounts", "dispatch"),
    )
    actions = accounts.add_subparsers(dest="action", metavar=_("ACTION"), required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        return actions.add_parser(name, help=help_text, description=help_text)

    sub = action("show", _("a household's balance and latest movements"))
    sub.add_argument("member", metavar=_("MEMBER_NO"), type=int)
    sub.add_argument("--limit", type=int, default=20)
    _json(sub)

    sub = action("list", _("every account's balance"))
    sub.add_argument("--nonzero", action="store_true")
    _json(sub)

    means = ["transfer", "cheque", "cash", "card", "other"]
    sub = action("top-up", _("money put on an account outside the till (a transfer...)"))
    sub.add_argument("member", metavar=_("MEMBER_NO"), type=int)
    sub.add_argument("amount", metavar=_("AMOUNT"))
    sub.add_argument("--means", required=True, choices=means)
    sub.add_argument("--reference")

    sub = action("withdraw", _("money given back to a member"))
    sub.add_argument("member", metavar=_("MEMBER_NO"), type=int)
    sub.add_argument("amount", metavar=_("AMOUNT"))
    sub.add_argument("--means", required=True, choices=means)
    sub.add_argument("--reason", required=True)

    sub = action("adjust", _("a correction by the treasurer: --credit or --debit"))
    sub.add_argument("member", metavar=_("MEMBER_NO"), type=int)
    way = sub.add_mutually_exclusive_group(required=True)
    way.add_argument("--credit", metavar=_("AMOUNT"))
    way.add_argument("--debit", metavar=_("AMOUNT"))
    sub.add_argument("--reason", required=True)

    sub = action("limit", _("how far below zero this account may go"))
    sub.add_argument("member", metavar=_("MEMBER_NO"), type=int)
    sub.add_argument("amount", metavar=_("AMOUNT"), help=_('an amount, or "default"'))
    sub.add_argument("--reason", required=True)

    sub = action("invoice", _("invoice a member from a JSON file of lines (see the README)"))
    sub.add_argument("member", metavar=_("MEMBER_NO"), type=int)
    sub.add_argument("file", metavar=_("FILE"))
    sub.add_argument("--excl-vat", action="store_true", help=_("prices exclude VAT"))
    sub.add_argument("--no-charge", action="store_true", help=_("do not debit the account"))
    sub.add_argument("--reference")
    _json(sub)

    sub = action("credit-note", _("a credit note for some lines of an invoice, or all of it"))
    sub.add_argument("invoice", metavar="FA-000001")
    sub.add_argument(
        "--line", action="append", default=[], metavar="N:QTY", help=_("line N, quantity QTY")
    )
    sub.add_argument("--reason", required=True)
    _json(sub)

    sub = action("invoices", _("invoices and credit notes"))
    sub.add_argument("--member", type=int, metavar=_("MEMBER_NO"))
    sub.add_argument("--show", metavar="FA-000001", help=_("one invoice with its lines"))
    _json(sub)
