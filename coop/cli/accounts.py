"""`coop accounts ...`: prepaid account balances and movements, top-ups outside the till,
withdrawals, corrections, limits, invoices and credit notes."""

from __future__ import annotations

import argparse
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from coop.cli import inputs
from coop.cli.context import Context, context_from, print_json
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.money import format_money, format_rate
from coop.units import line_quantity


def dispatch(args: argparse.Namespace) -> int:
    context = context_from(args)
    return HANDLERS[args.action](context, args)


def _settings(context: Context) -> Any:
    return context.settings.accounts


def show(context: Context, args: argparse.Namespace) -> int:
    from coop.accounts import service
    from coop.members import service as members

    with context.transaction(dry_run=True) as session:
        member = members.get_by_number(session, args.member)
        view = service.account_statement(
            session, member, settings=_settings(context), limit=args.limit
        )
    if args.json:
        print_json(view.as_dict())
        return 0
    print(
        _("Prepaid account of {name} (member {number}): {balance}").format(
            name=view.holder.name,
            number=view.holder.number,
            balance=format_money(view.balance_cents),
        )
    )
    from coop.accounts import words
    from coop.clock import SHOP_TIMEZONE
    from coop.dates import format_date

    for row in view.movements:
        at = row.at.astimezone(SHOP_TIMEZONE)
        print(
            f"  {format_date(at.date())} {at:%H:%M}  {words.movement(row.kind):<16}"
            f" {format_money(row.amount_cents):>12}"
            f"  {format_money(row.balance_after_cents):>12}  {row.reference or ''}"
            f" {row.reason or ''}"
        )
    return 0


def list_accounts(context: Context, args: argparse.Namespace) -> int:
    from coop.accounts import service

    with context.transaction(dry_run=True) as session:
        lines = service.balance_lines(session, nonzero=args.nonzero)
    total = sum(line.balance_cents for line in lines)
    if args.json:
        print_json({"accounts": [line.as_dict() for line in lines], "total_cents": total})
        return 0
    for line in lines:
        print(f"{line.number:>6}  {line.name[:40]:<40} {format_money(line.balance_cents):>12}")
    print(_("Total held for members: {amount}").format(amount=format_money(total)))
    return 0


def _balance_line(account: Any) -> None:
    print(_("New balance: {amount}").format(amount=format_money(account.balance_cents)))


def top_up(context: Context, args: argparse.Namespace) -> int:
    from coop.accounts import service

    amount = inputs.amount(args.amount, "AMOUNT")
    with context.transaction() as session:
        account = service.top_up(
            session,
            member_number=args.member,
            amount_cents=amount,
            means=args.means,
            reference=args.reference,
            settings=_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
        _balance_line(account)
    return 0


def withdraw(context: Context, args: argparse.Namespace) -> int:
    from coop.accounts import service

    amount = inputs.amount(args.amount, "AMOUNT")
    with context.transaction() as session:
        account = service.withdraw(
            session,
            member_number=args.member,
            amount_cents=amount,
            means=args.means,
            reason=args.reason,
            settings=_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
        _balance_line(account)
    return 0


def adjust(context: Context, args: argparse.Namespace) -> int:
    from coop.accounts import service

    if args.credit is not None:
        amount = inputs.amount(args.credit, "--credit")
    else:
        amount = -inputs.amount(args.debit, "--debit")
    with context.transaction() as session:
        account = service.adjust(
            session,
            member_number=args.member,
            amount_cents=amount,
            reason=args.reason,
            settings=_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
        _balance_line(account)
    return 0


def limit(context: Context, args: argparse.Namespace) -> int:
    from coop.accounts import service

    overdraft = None if args.amount == "default" else inputs.amount(args.amount, "AMOUNT")
    with context.transaction() as session:
        service.set_overdraft(
            session,
            member_number=args.member,
            overdraft_cents=overdraft,
            reason=args.reason,
            actor=context.actor,
            now=context.clock(),
        )
    shown = (
        format_money(overdraft)
        if overdraft is not None
        else format_money(_settings(context).overdraft_cents)
    )
    print(_("Overdraft of member {number}: {amount}.").format(number=args.member, amount=shown))
    return 0


_LINE_KEYS = {"label", "quantity", "grams", "unit_price", "unit_price_cents", "vat_rate", "product"}


def read_lines(path: str) -> list[Any]:
    """Invoice lines from a JSON file: a list of {label, quantity | grams, unit_price (euros as
    text) or unit_price_cents, vat_rate ("5,5"), product (optional code)}."""
    from coop.accounts import invoicing
    from coop.money import MoneyError, parse_amount, parse_rate

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput([Problem(str(error), source=path)]) from error
    if isinstance(data, dict):
        data = data.get("lines")
    if not isinstance(data, list):
        raise InvalidInput([Problem(_("expected a list [...]"), source=path, column="lines")])
    problems: list[Problem] = []
    lines = []
    for index, entry in enumerate(data, start=1):
        where = f"lines[{index}]"
        if not isinstance(entry, dict) or set(entry) - _LINE_KEYS:
            problems.append(
                Problem(
                    _("expected an object with {keys}").format(keys=", ".join(sorted(_LINE_KEYS))),
                    source=path,
                    column=where,
                )
            )
            continue
        try:
            if "unit_price_cents" in entry:
                price = entry["unit_price_cents"]
            else:
                price = parse_amount(str(entry.get("unit_price", "")))
            rate = parse_rate(str(entry.get("vat_rate", "")))
            weighed = "grams" in entry
            quantity = entry["grams"] if weighed else entry.get("quantity", 1)
            lines.append(
                invoicing.invoice_line(
                    str(entry.get("label", "")), quantity, price, rate, weighed=weighed
                )
            )
        except (MoneyError, InvalidOperation) as error:
            problems.append(Problem(str(error), source=path, column=where))
        except InvalidInput as error:
            problems.extend(
                Problem(p.message, source=path, column=f"{where}.{p.column}")
                for p in error.problems
            )
    if problems:
        raise InvalidInput(problems)
    return lines


def invoice(context: Context, args: argparse.Namespace) -> int:
    from coop.accounts import invoicing

    lines = read_lines(args.file)
    with context.transaction() as session:
        issued = invoicing.issue_invoice(
            session,
            member_number=args.member,
            lines=lines,
            prices_include_vat=not args.excl_vat,
            reference=args.reference,
            charge=not args.no_charge,
            settings=_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
        data = invoicing.view(session, issued).as_dict()
    return _print_invoice(data, args.json)


def _print_invoice(data: dict[str, Any], as_json: bool) -> int:
    if as_json:
        print_json(data)
        return 0
    title = _("Invoice") if data["kind"] == "invoice" else _("Credit note")
    print(f"{title} {data['code']} — {data['member']['number']} {data['member']['name']}")
    for line in data["lines"]:
        quantity = line_quantity(line["quantity"], line["weighed"])
        print(
            f"  {line['label'][:40]:<40} {quantity:>10} {format_money(line['incl_vat_cents']):>12}"
        )
    for split in data["vat"]:
        print(
            "  "
            + _("VAT {rate}: {excl} excl. VAT, {vat} VAT").format(
                rate=format_rate(Decimal(split["rate"])),
                excl=format_money(split["excl_vat_cents"]),
                vat=format_money(split["vat_cents"]),
            )
        )
    print("  " + _("Total incl. VAT: {amount}").format(amount=format_money(data["incl_vat_cents"])))
    return 0


def _line_quantities(session: Any, code: str, typed: dict[int, str]) -> dict[int, int]:
    """``--line N:QTY`` in the line's unit: pieces, or kg for a weighed line (``0,5`` or
    ``500 g`` are 500 g), as a quantity is typed everywhere else."""
    from coop.accounts import invoicing
    from coop.stock.rules import parse_quantity

    lines = invoicing.totals_of(session, invoicing.get_invoice(session, code)).lines
    quantities = {}
    for no, text in typed.items():
        line = lines[no - 1].line if 1 <= no <= len(lines) else None
        try:
            quantities[no] = parse_quantity(
                text,
                by_weight=line is not None and line.weighed,
                name=line.label if line is not None else str(no),
            )
        except ValueError as error:
            raise inputs.problem(f"{no}:{text}: {error}", "--line") from None
    return quantities


def credit_note(context: Context, args: argparse.Namespace) -> int:
    from coop.accounts import invoicing

    typed: dict[int, str] = {}
    for word in args.line or ():
        match = re.fullmatch(r"([0-9]+):(\S+)", word.strip(), re.ASCII)
        if match is None:
            raise inputs.problem(_("“{text}” is not N:QUANTITY").format(text=word), "--line")
        typed[int(match.group(1))] = match.group(2)
    with context.transaction() as session:
        quantities = _line_quantities(session, args.invoice, typed) if typed else None
        note = invoicing.issue_credit_note(
            session,
            invoice_code=args.invoice,
            quantities=quantities,
            reason=args.reason,
            settings=_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
        data = invoicing.view(session, note).as_dict()
    return _print_invoice(data, args.json)


def invoices(context: Context, args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from coop.accounts import invoicing
    from coop.accounts.models import Invoice
    from coop.members import service as members

    with context.transaction(dry_run=True) as session:
        if args.show:
            data: Any = invoicing.view(session, invoicing.get_invoice(session, args.show)).as_dict()
            return _print_invoice(data, args.json)
        if args.member is not None:
            rows = invoicing.invoices_of(session, members.get_by_number(session, args.member))
        else:
            rows = list(session.scalars(select(Invoice).order_by(Invoice.series, Invoice.number)))
        data = [
            {
                "code": row.code,
                "kind": row.kind,
                "issued_on": row.issued_on.isoformat(),
                "member_id": row.member_id,
                "incl_vat_cents": row.incl_vat_cents,
                "reference": row.reference,
            }
            for row in rows
        ]
    if args.json:
        print_json(data)
        return 0
    for item in data:
        print(
            f"{item['code']:<12} {item['issued_on']}  {format_money(item['incl_vat_cents']):>12}"
            f"  {item['reference'] or ''}"
        )
    return 0


HANDLERS = {
    "show": show,
    "list": list_accounts,
    "top-up": top_up,
    "withdraw": withdraw,
    "adjust": adjust,
    "limit": limit,
    "invoice": invoice,
    "credit-note": credit_note,
    "invoices": invoices,
}
