"""`coop till ...` and `coop barcodes ...`: sessions, selling, tills, price rules and the barcode
nomenclature; the closures, reports, verification and archives are in ``coop.cli.till_closing``."""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation
from typing import Any

from coop.cli import inputs
from coop.cli.collector import imports_paused
from coop.cli.context import Context, context_from, print_json
from coop.cli.till_closing import (
    archive,
    backup_after_z,
    close_month,
    close_year,
    closures,
    print_z,
    report,
    tell_backup,
    verify,
    z,
)
from coop.clock import SHOP_TIMEZONE, local_date
from coop.i18n import _
from coop.money import format_money


def dispatch(args: argparse.Namespace) -> int:
    context = context_from(args)
    action = args.action if args.action != "price-rule" else f"price-rule-{args.sub}"
    return HANDLERS[action](context, args)


def _till_settings(context: Context) -> Any:
    return context.settings.till


# --- sessions ---------------------------------------------------------------------------------


def open_till(context: Context, args: argparse.Namespace) -> int:
    from coop.till import registry, sessions
    from coop.till.till_models import Till

    count = inputs.cash_count(args.cash, args.coins)
    now = context.clock()
    with context.transaction() as session:
        row = sessions.open_session(
            session,
            till_code=args.till,
            count=count,
            settings=_till_settings(context),
            actor=context.actor,
            now=now,
        )
        till = session.get(Till, row.till_id)
        assert till is not None  # the session's till
        view = registry.session_view(row, till)
    if args.json:
        print_json(view.as_dict())
        return 0
    print(
        _("Till {till} open with a float of {amount}.").format(
            till=view.till, amount=format_money(view.opening_cents)
        )
    )
    return 0


def close_till(context: Context, args: argparse.Namespace) -> int:
    from coop.till import closing, registry, sessions
    from coop.till.till_models import Till

    count = inputs.cash_count(args.cash, args.coins)
    now = context.clock()
    with context.transaction() as session:
        row = sessions.close_session(
            session,
            till_code=args.till,
            counted=count,
            settings=_till_settings(context),
            actor=context.actor,
            now=now,
            note=args.note,
        )
        till = session.get(Till, row.till_id)
        assert till is not None  # the session's till
        view = registry.session_view(row, till)
        z_report: dict[str, Any] | None = None
        taken = 0
        saved = None
        if args.z:
            taken = len(
                closing.take_day_closure(
                    session,
                    till_code=till.code,
                    day=local_date(now),
                    settings=_till_settings(context),
                    actor=context.actor,
                    now=now,
                )
            )
            z_report = closing.report_day(session, day=local_date(now), till_code=till.code)[0]
            saved = backup_after_z(context, session)
    if saved is not None:
        tell_backup(saved)
    if args.json:
        data = view.as_dict()
        if z_report is not None:
            data["z"] = z_report
            data["closures_taken"] = taken
        print_json(data)
        return 0
    print(
        _("Till {till} closed: counted {counted}, expected {expected}, {difference}.").format(
            till=view.till,
            counted=format_money(view.counted_cents or 0),
            expected=format_money(view.expected_cents or 0),
            difference=sessions.difference_text(view.difference_cents or 0),
        )
    )
    if z_report is not None:
        print_z(context, z_report)
    return 0


def cash(context: Context, args: argparse.Namespace) -> int:
    from coop.till import sessions

    if args.cash_in is not None:
        amount = inputs.amount(args.cash_in, "--in")
    else:
        amount = -inputs.amount(args.cash_out, "--out")
    with context.transaction() as session:
        sessions.cash_movement(
            session,
            till_code=args.till,
            amount_cents=amount,
            reason=args.reason,
            settings=_till_settings(context),
            actor=context.actor,
            now=context.clock(),
            note=args.note,
        )
    print(
        _("Recorded: {amount} ({reason}).").format(amount=format_money(amount), reason=args.reason)
    )
    return 0


# --- selling ----------------------------------------------------------------------------------


def sell(context: Context, args: argparse.Namespace) -> int:
    with imports_paused():  # the sale's use cases and models: the collector paused
        from coop.till import basket_file, basket_service

    local = context.settings.till.local_currency or None
    if args.file:
        request = basket_file.read_file(args.file, local_currency=local)
    else:
        request = basket_file.request_from_words(
            items=args.items,
            member=args.member,
            override=args.override,
            returns=args.returns,
            refunds=args.refunds,
            restock=not args.no_restock,
            discount=args.discount,
            reason=args.reason,
            note=args.note,
            authorised_by=args.authorised_by,
            top_up=args.top_up,
            payments=args.pay,
            shares=args.shares,
            fee=args.fee,
            token=args.token,
            local_currency=local,
        )
    now = context.clock()
    with context.transaction(dry_run=args.preview) as session:
        # the counter's own basket API: the same lines, merging and checks as at the screen
        basket = basket_service.from_request(session, request, settings=context.settings, now=now)
        use = basket_service.preview if args.preview else basket_service.commit
        receipt = use(
            session,
            basket,
            tenders=request.tenders,
            settings=context.settings,
            actor=context.actor,
            now=now,
            till_code=args.till,
        )
        data = receipt.as_dict()
    if args.json:
        print_json(data)
        return 0
    _print_receipt(context, data)
    return 0


def _print_receipt(context: Context, data: dict[str, Any]) -> None:
    # the receipt's modules, Babel and its locale data (loaded once, kept for the process):
    # the collector paused, as for the sale's other imports
    with imports_paused():
        from coop.till.documents import receipt_document
        from coop.till.receipt_text import plain, receipt_lines

        document = receipt_document(data, settings=context.settings, printed_at=context.clock())
        text = plain(receipt_lines(document))
    print(text)


def show_sale(context: Context, args: argparse.Namespace) -> int:
    from coop.till.documents import committed_receipt

    with context.transaction(dry_run=True) as session:
        code = args.till or context.settings.till.till
        row, receipt = committed_receipt(
            session, code, args.number, local_currency=context.settings.till.local_currency
        )
        data = receipt.as_dict()
        data["at"] = row.at.astimezone(SHOP_TIMEZONE).isoformat()
        data["cashier"] = row.cashier
    if args.json:
        print_json(data)
        return 0
    _print_receipt(context, data)
    print("  " + _("Hash: {hash}").format(hash=data["hash"]))
    return 0


# --- tills and price rules --------------------------------------------------------------------


def list_tills(context: Context, args: argparse.Namespace) -> int:
    from coop.till import registry

    with context.transaction(dry_run=True) as session:
        data = [
            {
                "code": till.code,
                "name": till.name,
                "records": till.last_seq,
                "last_sale": till.last_sale_number,
                "last_z": till.last_day_closure,
                "closed_until": till.closed_until.isoformat() if till.closed_until else None,
                "last_hash": till.last_hash,
                "open": registry.open_session_of(session, till) is not None,
            }
            for till in registry.tills(session)
        ]
    if args.json:
        print_json(data)
        return 0
    for item in data:
        state = _("open") if item["open"] else _("closed")
        print(
            f"{item['code']:<10} {item['name']:<20} {state:<8} "
            + _("{sales} sales, {records} records").format(
                sales=item["last_sale"], records=item["records"]
            )
        )
    return 0


def create_till(context: Context, args: argparse.Namespace) -> int:
    from coop.till import registry

    with context.transaction() as session:
        till = registry.create_till(
            session, args.code, actor=context.actor, now=context.clock(), name=args.name
        )
        code = till.code
    print(_("Till {code} created.").format(code=code))
    return 0


def price_rule_set(context: Context, args: argparse.Namespace) -> int:
    from coop.till import price_rules

    try:
        percent = Decimal(args.percent_off.replace(",", ".").rstrip("%").strip())
    except InvalidOperation:
        raise inputs.problem(
            _("“{text}” is not a number").format(text=args.percent_off), "--percent-off"
        ) from None
    with context.transaction() as session:
        rule = price_rules.set_price_rule(
            session,
            category=args.category,
            percent_off=percent,
            rounding=args.rounding,
            actor=context.actor,
            now=context.clock(),
        )
    from coop.members.words import category_words
    from coop.till import words

    print(
        _("Category {category}: {percent} % off the unit price ({rounding}).").format(
            category=category_words(args.category),
            percent=rule.percent_off,
            rounding=words.rounding(rule.rounding),
        )
    )
    return 0


def price_rule_remove(context: Context, args: argparse.Namespace) -> int:
    from coop.till import price_rules

    with context.transaction() as session:
        price_rules.remove_price_rule(
            session, category=args.category, actor=context.actor, now=context.clock()
        )
    print(_("Category {category}: list prices.").format(category=args.category))
    return 0


def price_rule_list(context: Context, args: argparse.Namespace) -> int:
    from coop.members.words import category_words
    from coop.till import price_rules, words
    from coop.till.records import decimal_text

    with context.transaction(dry_run=True) as session:
        data = [
            {
                "category": category.code,
                "code": rule.code,
                "percent_off": decimal_text(rule.percent_off),
                "rounding": rule.rounding,
            }
            for category, rule in price_rules.price_rules(session)
        ]
    if args.json:
        print_json(data)
        return 0
    for item in data:
        print(
            f"{category_words(item['category']):<16} {item['percent_off']:>6} %"
            f"  {words.rounding(item['rounding'])}"
        )
    if not data:
        print(_("No price rule: everyone pays the list prices."))
    return 0


HANDLERS = {
    "open": open_till,
    "close": close_till,
    "cash": cash,
    "sell": sell,
    "sale": show_sale,
    "z": z,
    "close-month": close_month,
    "close-year": close_year,
    "closures": closures,
    "report": report,
    "verify": verify,
    "archive": archive,
    "list": list_tills,
    "create": create_till,
    "price-rule-set": price_rule_set,
    "price-rule-remove": price_rule_remove,
    "price-rule-list": price_rule_list,
}


# --- barcodes -----------------------------------------------------------------------------------


def barcodes_dispatch(args: argparse.Namespace) -> int:
    from coop import nomenclature as barcodes
    from coop.catalog import scan

    context = context_from(args)
    if args.action == "list":
        with context.transaction(dry_run=True) as session:
            mappings = [barcodes.rule_to_mapping(rule) for rule in scan.load_rules(session)]
        if args.json:
            print_json(mappings)
            return 0
        from coop.catalog import words

        for rule in mappings:
            print(
                f"{rule['priority']:>4}  {words.kind(str(rule['kind'])):<22} "
                f"{words.encoding(str(rule['encoding'])):<7} "
                f"{rule['pattern'] or '—':<16} {words.rule_name(str(rule['name']))}"
            )
        return 0
    if args.action == "set":
        values = {
            "name": args.name,
            "kind": args.kind,
            "priority": args.priority,
            "pattern": args.pattern,
            "encoding": args.encoding,
            "lookup": args.lookup,
            "verify_check_digit": not args.no_check_digit,
            "length": args.length,
        }
        with context.transaction() as session:
            scan.set_rule(session, values, actor=context.actor, now=context.clock())
        print(_("Barcode rule “{name}” saved.").format(name=args.name))
        return 0
    if args.action == "remove":
        with context.transaction() as session:
            scan.remove_rule(session, args.name, actor=context.actor, now=context.clock())
        print(_("Barcode rule “{name}” removed.").format(name=args.name))
        return 0
    with context.transaction(dry_run=True) as session:
        rules = scan.load_rules(session)
        found = [item.as_dict() for item in scan.resolve_many(session, args.codes, rules)]
    if args.json:
        print_json(found)
    else:
        for item in found:
            if item["problem"]:
                print(f"{item['scan']}: {item['message']}")
            elif item["product"]:
                extra = ""
                if item["grams"] is not None:
                    extra = f" — {item['grams']} g"
                elif item["price_cents"] is not None:
                    extra = f" — {format_money(item['price_cents'])}"
                print(f"{item['scan']}: {item['product']['name']}{extra}")
            elif item["member"]:
                print(f"{item['scan']}: {item['member']['number']} {item['member']['name']}")
            else:
                print(f"{item['scan']}: -{item['discount_percent']} %")
    return 0 if all(not item["problem"] for item in found) else 2
