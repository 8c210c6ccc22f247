"""`coop orders ...`: order cycles from creation to settling (see the README's "Grouped orders")."""

from __future__ import annotations

import argparse
import re
from datetime import date, datetime, time
from typing import Any

from coop.cli.collector import imports_paused
from coop.cli.context import Context, context_from, print_json
from coop.clock import SHOP_TIMEZONE
from coop.dates import DateError, format_date, parse_date
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.money import format_money
from coop.units import format_quantity


def dispatch(args: argparse.Namespace) -> int:
    context = context_from(args)
    return HANDLERS[args.action](context, args)


def _problem(message: str, option: str) -> InvalidInput:
    return InvalidInput([Problem(message, column=option)])


def _date(value: str, option: str) -> date:
    try:
        return parse_date(value)
    except DateError as error:
        raise _problem(str(error), option) from error


def _moment(value: str | None, option: str) -> datetime | None:
    """``2026-11-21 10:30`` or ``21/11/2026 10h30`` in shop time (a date alone: midnight)."""
    if value is None:
        return None
    text = value.strip().replace("T", " ")
    match = re.fullmatch(r"(\S+)(?:\s+(\d{1,2})[:h](\d{2}))?", text)
    if match is None:
        raise _problem(
            _("“{text}” is not a date and time (expected 2026-11-21 10:30)").format(text=value),
            option,
        )
    day = _date(match.group(1), option)
    hour, minute = int(match.group(2) or 0), int(match.group(3) or 0)
    if hour > 23 or minute > 59:
        raise _problem(_("“{text}” is not a time").format(text=value), option)
    return datetime.combine(day, time(hour, minute), tzinfo=SHOP_TIMEZONE)


def _when(moment: datetime | None) -> str:
    from coop.orders.service import format_moment

    return format_moment(moment) if moment is not None else ""


def _state(state: str) -> str:
    from coop.orders.words import state_word

    if state in ("upcoming", "boxfill", "ended"):
        return {
            "upcoming": _("open soon"),
            "boxfill": _("box-fill phase"),
            "ended": _("window over, to close"),
        }[state]
    return state_word(state)


# --- commands -------------------------------------------------------------------------------


def list_cycles(context: Context, args: argparse.Namespace) -> int:
    from coop.orders import views

    now = context.clock()
    with context.transaction(dry_run=True) as session:
        rows = views.list_view(session, now=now)
    if args.json:
        print_json([views.as_dict(row) for row in rows])
        return 0
    if not rows:
        print(_("No order cycle yet: `coop orders create` starts one."))
        return 0
    for row in rows:
        print(
            f"{row.code:<12} {_state(row.phase):<24} {format_date(row.delivery_on):>10}"
            f"  {', '.join(row.suppliers):<30} {row.name}"
        )
    return 0


def create(context: Context, args: argparse.Namespace) -> int:
    from coop.orders import service

    opens = _moment(args.opens, "--opens")
    closes = _moment(args.closes, "--closes")
    assert opens is not None and closes is not None
    boxfill = _moment(args.boxfill, "--boxfill")
    delivery_on = _date(args.delivery, "--delivery")
    with context.transaction() as session:
        cycle = service.create_cycle(
            session,
            code=args.code,
            name=args.name,
            suppliers=[service.parse_supplier(text) for text in args.supplier],
            opens_at=opens,
            closes_at=closes,
            boxfill_at=boxfill,
            delivery_on=delivery_on,
            delivery_place=args.place,
            strategy=args.strategy,
            use_tolerance=not args.no_tolerance_fill,
            actor=context.actor,
            now=context.clock(),
        )
        code = cycle.code
    if args.json:
        print_json({"code": code, "state": "draft"})
        return 0
    print(
        _(
            "Order cycle {code} created (in preparation): import its articles, then"
            " `coop orders open {code}`."
        ).format(code=code)
    )
    return 0


def import_articles(context: Context, args: argparse.Namespace) -> int:
    from coop.orders import articles

    if bool(args.file) == bool(args.from_catalogue):
        raise _problem(_("give a FILE or --from-catalogue (one of them)"), "FILE")
    with context.transaction(dry_run=args.dry_run) as session:
        if args.from_catalogue:
            report = articles.add_catalogue_articles(
                session,
                code=args.code,
                supplier_code=args.supplier,
                actor=context.actor,
                now=context.clock(),
            )
        else:
            report = articles.import_articles(
                session,
                code=args.code,
                supplier_code=args.supplier,
                path=args.file,
                actor=context.actor,
                now=context.clock(),
            )
    if args.json:
        print_json({"articles": report.articles, "linked": report.linked, "dry_run": args.dry_run})
        return 0
    message = (
        _("Checked: {count} articles ({linked} linked to catalogue products). Nothing was changed.")
        if args.dry_run
        else _("Imported {count} articles ({linked} linked to catalogue products).")
    )
    print(message.format(count=report.articles, linked=report.linked))
    return 0


def open_cycle(context: Context, args: argparse.Namespace) -> int:
    from coop.orders import service

    with context.transaction() as session:
        cycle = service.open_cycle(
            session, code=args.code, actor=context.actor, now=context.clock()
        )
        text = _("Order cycle {code} is open for orders from {opens} to {closes}.").format(
            code=cycle.code, opens=_when(cycle.opens_at), closes=_when(cycle.closes_at)
        )
    print(text)
    return 0


def order(context: Context, args: argparse.Namespace) -> int:
    from coop.orders import ordering, service

    with context.transaction() as session:
        cycle = service.get_cycle(session, args.code)
        article = service.get_article(session, cycle, args.reference)
        quantity = service.parse_quantity(article, args.quantity)
        tolerance = service.parse_quantity(article, args.tolerance, "--tolerance")
        result = ordering.order(
            session,
            code=args.code,
            member_number=args.member,
            reference=args.reference,
            quantity=quantity,
            tolerance=tolerance,
            actor=context.actor,
            now=context.clock(),
        )
        by_weight, unit = article.by_weight, article.unit
    data = {
        "reference": result.reference,
        "member": result.member_number,
        "quantity": result.demand.quantity,
        "tolerance": result.demand.tolerance,
        "article_quantity": result.article.quantity,
        "article_tolerance": result.article.tolerance,
        "case_size": result.case_size,
        "cases": result.cases,
        "missing_units": result.missing_units,
        "changed": result.changed,
    }
    if args.json:
        print_json(data)
        return 0
    print(
        _("{name}: household {member} orders {quantity} (+{tolerance} tolerance).").format(
            name=result.name,
            member=result.member_number,
            quantity=format_quantity(result.demand.quantity, by_weight, unit),
            tolerance=result.demand.tolerance,
        )
    )
    if result.case_size > 1 and not by_weight:
        print(
            _(
                "All households: {quantity} (+{tolerance}), cases of {size}: {cases} case(s),"
                " {missing} missing to fill the last one."
            ).format(
                quantity=result.article.quantity,
                tolerance=result.article.tolerance,
                size=result.case_size,
                cases=result.cases,
                missing=result.missing_units,
            )
        )
    return 0


def close(context: Context, args: argparse.Namespace) -> int:
    with imports_paused():  # the orders' use cases and models: the collector paused
        from coop.orders import service, views

    now = context.clock()
    with context.transaction() as session:
        _cycle, result = service.close_with_result(
            session, code=args.code, actor=context.actor, now=now
        )
        # the text lists the articles only: no need to read back every household's lines,
        # nor the ledger the close has just read
        view = views.cycle_view(
            session, args.code, now=now, households=args.json, demand=result.demand
        )
    if args.json:
        print_json(views.as_dict(view))
        return 0
    _print_articles(view)
    print(_("Order cycle {code} closed.").format(code=view.code))
    return 0


def cases(context: Context, args: argparse.Namespace) -> int:
    from coop.orders import service

    with context.transaction() as session:
        article = service.set_cases(
            session,
            code=args.code,
            reference=args.reference,
            cases=args.cases,
            actor=context.actor,
            now=context.clock(),
        )
        name = article.name
    print(_("{name}: {cases} case(s) to order.").format(name=name, cases=args.cases))
    return 0


def send(context: Context, args: argparse.Namespace) -> int:
    from coop.orders import service

    with context.transaction() as session:
        cycle = service.send(session, code=args.code, actor=context.actor, now=context.clock())
        code = cycle.code
    print(_("Order cycle {code} marked as sent.").format(code=code))
    return 0


def receive(context: Context, args: argparse.Namespace) -> int:
    from coop.orders import delivery, service, views

    now = context.clock()
    with context.transaction() as session:
        quantities: dict[str, int] = {}
        if args.file:
            quantities.update(delivery.read_received(session, code=args.code, path=args.file))
        cycle = service.get_cycle(session, args.code)
        for item in args.quantities:
            reference, sep, text = item.partition("=")
            if not sep:
                raise _problem(_("“{text}” is not REFERENCE=QUANTITY").format(text=item), "REF=QTY")
            article = service.get_article(session, cycle, reference)
            quantities[reference.strip()] = service.parse_quantity(article, text, reference)
        report = delivery.receive(
            session, code=args.code, received=quantities, actor=context.actor, now=now
        )
        view = views.cycle_view(session, args.code, now=now)
    if args.json:
        print_json(views.as_dict(view))
        return 0
    _print_articles(view)
    print(
        _(
            "Delivery recorded: {articles} articles, {short} short; {moves} stock moves;"
            " {left} articles with leftovers."
        ).format(
            articles=report.articles,
            short=report.short,
            moves=report.stock_moves,
            left=report.left_over,
        )
    )
    return 0


def correct(context: Context, args: argparse.Namespace) -> int:
    from coop.orders import delivery, service

    with context.transaction() as session:
        quantity = None
        if not args.unpin:
            cycle = service.get_cycle(session, args.code)
            article = service.get_article(session, cycle, args.reference)
            quantity = service.parse_quantity(article, args.quantity)
        row = delivery.correct(
            session,
            code=args.code,
            reference=args.reference,
            member_number=args.member,
            quantity=quantity,
            note=args.note,
            actor=context.actor,
            now=context.clock(),
        )
        given, computed = row.quantity, row.computed
    if args.unpin:
        print(_("Handed back to the strategy: {quantity}.").format(quantity=given))
    else:
        print(
            _("Corrected by hand: {quantity} (the strategy gives {computed}).").format(
                quantity=given, computed=computed
            )
        )
    return 0


def allocate(context: Context, args: argparse.Namespace) -> int:
    from coop.orders import delivery

    with context.transaction() as session:
        delivery.reallocate(
            session,
            code=args.code,
            strategy=args.strategy,
            actor=context.actor,
            now=context.clock(),
        )
    from coop.orders.words import strategy_words

    print(
        _("Allocated again with the strategy {strategy}.").format(
            strategy=strategy_words(args.strategy)
        )
    )
    return 0


def settle(context: Context, args: argparse.Namespace) -> int:
    from coop.orders import delivery

    with context.transaction() as session:
        settlement = delivery.settle(
            session,
            code=args.code,
            settings=context.settings.accounts,
            actor=context.actor,
            now=context.clock(),
        )
    rec = settlement.reconciliation
    if args.json:
        import dataclasses

        print_json(
            {
                "invoices": [dataclasses.asdict(charge) for charge in settlement.charges],
                "reconciliation": dataclasses.asdict(rec),
            }
        )
        return 0
    for charge in settlement.charges:
        amount = format_money(charge.incl_vat_cents)
        print(f"{charge.member_number:>6}  {charge.invoice:<12} {amount:>12}")
    _print_reconciliation(rec)
    return 0


def show(context: Context, args: argparse.Namespace) -> int:
    from coop.orders import views

    now = context.clock()
    with context.transaction(dry_run=True) as session:
        view = views.cycle_view(session, args.code, now=now, member_number=args.member)
    if args.json:
        print_json(views.as_dict(view))
        return 0
    print(f"{view.code} — {view.name} ({_state(view.phase)})")
    print(
        _("Window: {opens} → {closes}; delivery {day} {place}")
        .format(
            opens=_when(view.opens_at),
            closes=_when(view.closes_at),
            day=format_date(view.delivery_on),
            place=view.delivery_place or "",
        )
        .rstrip()
    )
    if args.member is None:
        _print_articles(view)
    for member in view.members:
        print()
        print(f"{member.number:>6}  {member.name}  {member.invoice or ''}".rstrip())
        for line in member.lines:
            got = (
                "—"
                if line.allocated is None
                else format_quantity(line.allocated, line.by_weight, line.unit)
            )
            flag = " *" if line.pinned else ""
            print(
                f"        {line.reference:<12} {line.name[:30]:<30}"
                f" {format_quantity(line.quantity, line.by_weight, line.unit):>10}"
                f" +{line.tolerance:<3} → {got:>10}{flag}  {format_money(line.excl_vat_cents):>10}"
            )
        if member.incl_vat_cents:
            print(
                "        "
                + _("Total: {excl} excl. VAT, {vat} VAT, {incl} incl. VAT").format(
                    excl=format_money(member.excl_vat_cents),
                    vat=format_money(member.vat_cents),
                    incl=format_money(member.incl_vat_cents),
                )
            )
    if args.member is None and view.state not in ("draft", "open"):
        print()
        _print_reconciliation(view.reconciliation)
    return 0


def _print_articles(view: Any) -> None:
    titles = (
        _("Reference"),
        _("Article"),
        _("Cases"),
        _("Missing"),
        _("Surplus"),
        _("Short"),
        _("Received"),
    )
    reference, article, cases, missing, surplus, short, received = titles
    print(
        f"{reference:<12} {article:<30} {'Q':>8} {'T':>5} {'U':>6} {cases:>6}"
        f" {missing:>8} {surplus:>8} {short:>9} {received:>10}"
    )
    for a in view.articles:
        received = "" if a.received is None else format_quantity(a.received, a.by_weight, a.unit)
        flag = " !" if a.needs_decision else ""
        loose = a.by_weight and a.case_size == 1  # weighed without a case: no case figures
        size = "—" if loose else format_quantity(a.case_size, a.by_weight, a.unit)
        count = "—" if loose else str(a.cases)
        missing, surplus, short = (
            format_quantity(value, a.by_weight, a.unit)
            for value in (a.missing_units, a.surplus, a.shortfall)
        )
        print(
            f"{a.reference:<12} {a.name[:30]:<30}"
            f" {format_quantity(a.quantity, a.by_weight, a.unit):>8} {a.tolerance:>5}"
            f" {size:>6} {count:>6} {missing:>8} {surplus:>8}"
            f" {short:>9} {received:>10}{flag}"
        )


def _print_reconciliation(rec: Any) -> None:
    print(
        _(
            "Suppliers: {supplier} incl. VAT; households charged: {members}; surplus (stock,"
            " leftovers): {surplus}; rounding difference: {rounding}."
        ).format(
            supplier=format_money(rec.supplier_incl_vat_cents),
            members=format_money(rec.members_incl_vat_cents),
            surplus=format_money(rec.surplus_incl_vat_cents),
            rounding=format_money(rec.rounding_incl_vat_cents),
        )
    )


HANDLERS = {
    "list": list_cycles,
    "create": create,
    "import-articles": import_articles,
    "open": open_cycle,
    "order": order,
    "close": close,
    "cases": cases,
    "send": send,
    "receive": receive,
    "correct": correct,
    "allocate": allocate,
    "settle": settle,
    "show": show,
}
