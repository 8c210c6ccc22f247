"""`coop stock ...`: receipts (CSV or by hand), losses, corrections, levels, reorder
suggestions, reorder settings, history and inventories."""

from __future__ import annotations

import argparse
from typing import Any

from coop.cli import inputs
from coop.cli.context import Context, context_from, print_json
from coop.clock import local_date
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.money import format_money


def dispatch(args: argparse.Namespace) -> int:
    context = context_from(args)
    action = args.action if args.action != "inventory" else f"inventory-{args.sub}"
    return HANDLERS[action](context, args)


def receive(context: Context, args: argparse.Namespace) -> int:
    from coop.stock import exchange as stock_files
    from coop.stock import service

    now = context.clock()
    with context.transaction(dry_run=args.dry_run) as session:
        lines = stock_files.read_receipt(session, args.file)
        report = service.receive(
            session,
            lines,
            actor=context.actor,
            now=now,
            producer_code=args.supplier,
            reference=args.reference,
            update_cost=args.update_cost,
        )
    data = {
        "file": args.file,
        "dry_run": args.dry_run,
        "lines": report.lines,
        "products": report.products,
        "value_cents": report.value_cents,
        "unknown_cost": report.unknown_cost,
    }
    if args.json:
        print_json(data)
        return 0
    message = (
        _("Checked {file}: {lines} lines, {value}. Nothing was changed (dry run).")
        if args.dry_run
        else _("Received {file}: {lines} lines, {products} products, {value}.")
    )
    print(
        message.format(
            file=args.file,
            lines=report.lines,
            products=report.products,
            value=format_money(report.value_cents),
        )
    )
    if report.unknown_cost:
        print(_("{count} lines have no known cost.").format(count=report.unknown_cost))
    return 0


def add(context: Context, args: argparse.Namespace) -> int:
    from coop.stock import service

    cost = inputs.amount(args.cost, "--cost") if args.cost is not None else None
    with context.transaction() as session:
        product = service.product_for(session, args.product)
        try:
            quantity = service.parse_quantity(product, args.quantity)
        except ValueError as error:
            raise InvalidInput([Problem(str(error), column="QUANTITY")]) from error
        service.receive(
            session,
            [service.ReceiptLine(product, quantity, cost)],
            actor=context.actor,
            now=context.clock(),
            producer_code=args.supplier,
            reference=args.reference,
        )
        level = service.level_of(session, product)
        text = service.format_quantity(product, level)
        name = product.name
    print(_("{name}: received, now {quantity} in stock.").format(name=name, quantity=text))
    return 0


def loss(context: Context, args: argparse.Namespace) -> int:
    from coop.stock import service

    with context.transaction() as session:
        service.record_loss(
            session,
            product_code=args.product,
            quantity=args.quantity,
            reason=args.reason,
            note=args.note,
            actor=context.actor,
            now=context.clock(),
        )
        product = service.product_for(session, args.product)
        text = service.format_quantity(product, service.level_of(session, product))
    print(
        _("{name}: loss recorded, now {quantity} in stock.").format(
            name=product.name, quantity=text
        )
    )
    return 0


def correct(context: Context, args: argparse.Namespace) -> int:
    from coop.stock import service

    with context.transaction() as session:
        service.correct(
            session,
            product_code=args.product,
            quantity=args.add if args.add is not None else f"-{args.remove.lstrip('+-')}",
            note=args.note,
            actor=context.actor,
            now=context.clock(),
        )
        product = service.product_for(session, args.product)
        text = service.format_quantity(product, service.level_of(session, product))
    print(_("{name}: corrected, now {quantity} in stock.").format(name=product.name, quantity=text))
    return 0


def levels(context: Context, args: argparse.Namespace) -> int:
    from coop.stock import service

    with context.transaction(dry_run=True) as session:
        rows = service.levels(session, only_low=args.low, category=args.category)
        data = [row.as_dict() for row in rows]
    total = sum(item["value_cents"] or 0 for item in data)
    if args.json:
        print_json({"products": data, "value_cents": total})
        return 0
    for item in data:
        minimum = item["minimum"] if item["minimum"] is not None else ""
        value = format_money(item["value_cents"]) if item["value_cents"] is not None else "?"
        print(
            f"{item['product']:<16} {item['name'][:36]:<36} {item['quantity_text']:>12}"
            f" {minimum!s:>8} {value:>12}"
        )
    print(_("Stock value at cost: {amount}").format(amount=format_money(total)))
    return 0


def reorder(context: Context, args: argparse.Namespace) -> int:
    from coop.stock import service

    today = local_date(context.clock())
    with context.transaction(dry_run=True) as session:
        data = [
            suggestion.as_dict()
            for suggestion in service.reorder_suggestions(
                session, today=today, settings=context.settings.stock, producer_code=args.supplier
            )
        ]
    if args.json:
        print_json(data)
        return 0
    for item in data:
        print(
            f"{item['producer'] or '—':<18} {item['name'][:36]:<36}"
            f" {item['suggested_text']:>12}  "
            + _("({daily} a day, {quantity} in stock)").format(
                daily=_decimal_text(item["daily"]), quantity=item["quantity"]
            )
        )
    if not data:
        print(_("Nothing to reorder."))
    return 0


def _decimal_text(text: str) -> str:
    from decimal import Decimal

    from babel.numbers import format_decimal

    from coop.i18n import babel_locale

    return format_decimal(Decimal(text), locale=babel_locale())


def set_reorder(context: Context, args: argparse.Namespace) -> int:
    from coop.stock import service

    with context.transaction() as session:
        level = service.set_reorder(
            session,
            product_code=args.product,
            minimum=args.minimum,
            lead_time_days=args.lead_time,
            actor=context.actor,
            now=context.clock(),
        )
        minimum, lead = level.minimum, level.lead_time_days
    print(
        _("{product}: minimum {minimum}, supplier delay {days} days.").format(
            product=args.product,
            minimum=minimum if minimum is not None else "—",
            days=lead if lead is not None else context.settings.stock.lead_time_days,
        )
    )
    return 0


def _move_line(move: Any, quantity: str) -> str:
    """One stock move as ``coop stock history`` prints it: local time, kind and reason in words."""
    from coop.clock import SHOP_TIMEZONE
    from coop.dates import format_date
    from coop.stock import words

    at = move.at.astimezone(SHOP_TIMEZONE)
    said = " ".join(part for part in (words.loss_reason(move.reason), move.note or "") if part)
    return (
        f"  {format_date(at.date())} {at:%H:%M}  {words.move_kind(move.kind):<14}"
        f" {quantity:>10}  {said}"
    ).rstrip()


def history(context: Context, args: argparse.Namespace) -> int:
    from coop.stock import service

    with context.transaction(dry_run=True) as session:
        product = service.product_for(session, args.product)
        moves = service.history(session, product, limit=args.limit)
        data: list[dict[str, Any]] = []
        lines: list[str] = []
        if args.json:
            data = [
                {
                    "at": move.at.isoformat(),
                    "kind": move.kind,
                    "quantity": move.quantity,
                    "unit_cost_cents": move.unit_cost_cents,
                    "reason": move.reason,
                    "note": move.note,
                    "reference": move.reference,
                    "actor": move.actor,
                }
                for move in moves
            ]
        else:
            lines = [
                _move_line(move, service.format_quantity(product, move.quantity)) for move in moves
            ]
        level = service.level_of(session, product)
        text = service.format_quantity(product, level)
        name = product.name
    if args.json:
        print_json({"product": args.product, "name": name, "quantity": level, "moves": data})
        return 0
    print(_("{name}: {quantity} in stock").format(name=name, quantity=text))
    for line in lines:
        print(line)
    return 0


def inventory_start(context: Context, args: argparse.Namespace) -> int:
    from coop.stock import inventories

    with context.transaction() as session:
        inventory = inventories.start_inventory(
            session, label=args.label, actor=context.actor, now=context.clock()
        )
        label = inventory.label
    print(_("Inventory “{label}” started: record the counted quantities.").format(label=label))
    return 0


def inventory_count(context: Context, args: argparse.Namespace) -> int:
    from coop.stock import inventories

    counts: dict[str, str] = {}
    if args.file:
        from coop.csvio import Column, read_table

        table = read_table(
            args.file,
            (
                Column("product", required=True, aliases=("produit", "code")),
                Column("quantity", required=True, aliases=("quantite", "quantité", "compte")),
            ),
        )
        counts.update({row.values["product"]: row.values["quantity"] for row in table.rows})
    words = list(args.counts)
    if len(words) % 2:
        raise InvalidInput([Problem(_("give pairs: PRODUCT QUANTITY ..."), column="counts")])
    counts.update(dict(zip(words[::2], words[1::2], strict=True)))
    if not counts:
        raise InvalidInput([Problem(_("nothing counted"), column="counts")])
    with context.transaction() as session:
        rows = inventories.record_counts(session, counts, actor=context.actor, now=context.clock())
        count = len(rows)
    print(_("{count} counts recorded.").format(count=count))
    return 0


def _print_inventory(data: dict[str, Any]) -> None:
    print(
        _("Inventory “{label}”: {counted} products counted, {differences} differences").format(
            label=data["label"], counted=data["counted"], differences=data["differences"]
        )
    )
    if data["differences"]:
        print(
            f"  {_('Article'):<36} {_('Counted'):>10} {_('Expected'):>10}"
            f" {_('Difference'):>11} {_('Amount'):>12}"
        )
    for line in data["lines"]:
        if line["difference"]:
            value = format_money(line["value_cents"]) if line["value_cents"] is not None else "?"
            print(
                f"  {line['name'][:36]:<36} {line['counted_text']:>10} {line['expected_text']:>10}"
                f" {line['difference_text']:>11} {value:>12}"
            )
    print(
        "  "
        + _("Gains {gain}, losses {loss}, net {net}").format(
            gain=format_money(data["gain_cents"]),
            loss=format_money(data["loss_cents"]),
            net=format_money(data["net_cents"]),
        )
    )


def inventory_report(context: Context, args: argparse.Namespace) -> int:
    from coop.stock import inventories

    with context.transaction(dry_run=True) as session:
        data = inventories.inventory_report(session).as_dict()
    if args.json:
        print_json(data)
    else:
        _print_inventory(data)
    return 0


def inventory_close(context: Context, args: argparse.Namespace) -> int:
    from coop.stock import inventories

    with context.transaction() as session:
        data = inventories.close_inventory(
            session, actor=context.actor, now=context.clock()
        ).as_dict()
    if args.json:
        print_json(data)
    else:
        _print_inventory(data)
    return 0


HANDLERS = {
    "receive": receive,
    "add": add,
    "loss": loss,
    "correct": correct,
    "list": levels,
    "reorder": reorder,
    "set": set_reorder,
    "history": history,
    "inventory-start": inventory_start,
    "inventory-count": inventory_count,
    "inventory-report": inventory_report,
    "inventory-close": inventory_close,
}
