"""`coop till ...` and `coop barcodes ...`: sessions, selling, closures, verification,
reports, archives, tills, price rules and the barcode nomenclature."""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from coop.cli import inputs
from coop.cli.context import Context, context_from, print_json
from coop.clock import SHOP_TIMEZONE, local_date
from coop.i18n import _
from coop.money import format_money, format_rate
from coop.units import line_quantity


def dispatch(args: argparse.Namespace) -> int:
    context = context_from(args)
    action = args.action if args.action != "price-rule" else f"price-rule-{args.sub}"
    return HANDLERS[action](context, args)


def _till_settings(context: Context) -> Any:
    return context.settings.till


# --- sessions ---------------------------------------------------------------------------------


def open_till(context: Context, args: argparse.Namespace) -> int:
    from coop.till import registry, sessions

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
        till = session.get(registry.Till, row.till_id)
        data = registry.session_dict(row, till)
    if args.json:
        print_json(data)
        return 0
    print(
        _("Till {till} open with a float of {amount}.").format(
            till=data["till"], amount=format_money(data["opening_cents"])
        )
    )
    return 0


def close_till(context: Context, args: argparse.Namespace) -> int:
    from coop.till import closing, registry, sessions

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
        till = session.get(registry.Till, row.till_id)
        data = registry.session_dict(row, till)
        if args.z:
            written = closing.take_day_closure(
                session,
                till_code=till.code,
                day=local_date(now),
                settings=_till_settings(context),
                actor=context.actor,
                now=now,
            )
            data["z"] = closing.report_day(session, day=local_date(now), till_code=till.code)[0]
            data["closures_taken"] = len(written)
    if args.json:
        print_json(data)
        return 0
    print(
        _("Till {till} closed: counted {counted}, expected {expected}, {difference}.").format(
            till=data["till"],
            counted=format_money(data["counted_cents"]),
            expected=format_money(data["expected_cents"]),
            difference=sessions.difference_text(data["difference_cents"]),
        )
    )
    if args.z:
        _print_z(data["z"])
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
    from coop.till import basket_file, selling

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
            token=args.token,
            local_currency=local,
        )
    now = context.clock()
    with context.transaction(dry_run=args.preview) as session:
        use = selling.price_basket if args.preview else selling.commit_sale
        receipt = use(
            session,
            request,
            settings=context.settings,
            actor=context.actor,
            now=now,
            till_code=args.till,
        )
        data = receipt.as_dict()
    if args.json:
        print_json(data)
        return 0
    _print_receipt(data, preview=args.preview)
    return 0


def _quantity(line: dict[str, Any]) -> str:
    return line_quantity(line["quantity"], line["weighed"])


def _print_receipt(data: dict[str, Any], *, preview: bool = False) -> None:
    if preview:
        print(_("Not committed (preview): sale {number} would be").format(number=data["number"]))
    else:
        print(_("Sale {number} on till {till}").format(number=data["number"], till=data["till"]))
    if data["member"]:
        print(
            _("Member {number} — {name}").format(
                number=data["member"]["number"], name=data["member"]["name"]
            )
        )
    for line in data["lines"]:
        print(
            f"  {_quantity(line):>12}  {line['label'][:36]:<36}"
            f" {format_money(line['amount_cents']):>12}"
        )
    top_up_label = _("Top-up of the prepaid account")
    if data["top_up_cents"]:
        print(f"  {'':>12}  {top_up_label:<36} {format_money(data['top_up_cents']):>12}")
    total_label = _("TOTAL")
    print(f"  {total_label:<50} {format_money(data['total_cents']):>12}")
    for split in data["vat"]:
        print(
            "  "
            + _("VAT {rate}: {excl} excl. VAT, {vat} VAT").format(
                rate=format_rate(Decimal(split["rate"])),
                excl=format_money(split["excl_vat_cents"]),
                vat=format_money(split["vat_cents"]),
            )
        )
    for payment in data["payments"]:
        print(f"  {payment['name']:<50} {format_money(payment['amount_cents']):>12}")
    if data["change_cents"]:
        change_label = _("Change given")
        print(f"  {change_label:<50} {format_money(data['change_cents']):>12}")
    if data["account_balance_cents"] is not None:
        print(
            "  "
            + _("Prepaid account balance: {amount}").format(
                amount=format_money(data["account_balance_cents"])
            )
        )
    for warning in data["warnings"]:
        print("  ! " + warning)


def show_sale(context: Context, args: argparse.Namespace) -> int:
    from coop.till import registry, sale_reads, selling

    with context.transaction(dry_run=True) as session:
        code = args.till or context.settings.till.till
        row, sale = sale_reads.get_sale(session, code, args.number)
        from sqlalchemy import select

        from coop.members.models import Member
        from coop.till.models import JournalEntry

        member = session.get(Member, row.member_id) if row.member_id else None
        entry = session.scalars(select(JournalEntry).where(JournalEntry.sale_id == row.id)).one()
        receipt = selling.Receipt(
            till=registry.normalise_code(code),
            number=row.number,
            at=row.at,
            sale=sale.sale,
            settlement=sale.settlement,
            member=member,
            shopper=None,
            hash=entry.hash,
            seq=entry.seq,
            local_currency=context.settings.till.local_currency or None,
        )
        data = receipt.as_dict()
        data["at"] = row.at.astimezone(SHOP_TIMEZONE).isoformat()
        data["cashier"] = row.cashier
    if args.json:
        print_json(data)
        return 0
    _print_receipt(data)
    print("  " + _("Hash: {hash}").format(hash=data["hash"]))
    return 0


# --- closures and reports -------------------------------------------------------------------------


def z(context: Context, args: argparse.Namespace) -> int:
    from coop.till import closing

    now = context.clock()
    day = inputs.day(args.day, "--day", default=local_date(now))
    with context.transaction() as session:
        written = closing.take_day_closure(
            session,
            till_code=args.till,
            day=day,
            settings=_till_settings(context),
            actor=context.actor,
            now=now,
        )
        till = written[-1].till_id
        from coop.till.models import Till

        code = session.get(Till, till).code
        report = closing.report_day(session, day=day, till_code=code)[0]
    if args.json:
        print_json(report)
        return 0
    if len(written) > 1:
        print(
            _("{count} earlier days without their Z were closed first.").format(
                count=len(written) - 1
            )
        )
    _print_z(report)
    return 0


def _day(iso: str) -> str:
    """A report's day as people read it (`21/11/2026`), the JSON keeping ISO."""
    from datetime import date

    from coop.dates import format_date

    return format_date(date.fromisoformat(iso[:10]))


def _print_z(report: dict[str, Any]) -> None:
    from coop.till.words import means_name

    if report.get("provisional"):
        print(
            _("Till {till}, {day}: provisional figures (no Z yet)").format(
                till=report["till"], day=_day(report["start"])
            )
        )
    else:
        print(
            _("Till {till}, Z no. {number} of {day}").format(
                till=report["till"], number=report["number"], day=_day(report["start"])
            )
        )
    print(
        "  "
        + _("Sales: {count} (numbers {first} to {last})").format(
            count=report["sale_count"], first=report["first_sale"] or "—", last=report["last_sale"]
        )
    )
    for split in report["vat"]:
        print(
            "  "
            + _("VAT {rate}: {excl} excl. VAT + {vat} VAT = {incl}").format(
                rate=format_rate(Decimal(split["rate"])),
                excl=format_money(split["excl_vat"]),
                vat=format_money(split["vat"]),
                incl=format_money(split["incl_vat"]),
            )
        )
    print("  " + _("Turnover incl. VAT: {amount}").format(amount=format_money(report["total"])))
    for total in report["payments"]:
        print(f"    {means_name(total['means']):<24} {format_money(total['amount']):>12}")
    print(
        "  "
        + _("Refunds: {amount}; deposits charged {charged}, returned {returned}").format(
            amount=format_money(report["refunds"]),
            charged=format_money(report["deposits_charged"]),
            returned=format_money(report["deposits_returned"]),
        )
    )
    print(
        "  "
        + _("Discounts: {discounts}; top-ups: {top_ups}").format(
            discounts=format_money(report["discounts"]), top_ups=format_money(report["top_ups"])
        )
    )
    print(
        "  " + _("Perpetual grand total: {amount}").format(amount=format_money(report["perpetual"]))
    )
    if report.get("hash"):
        print("  " + _("Hash: {hash}").format(hash=report["hash"]))


def close_month(context: Context, args: argparse.Namespace) -> int:
    from coop.till import closing

    month = inputs.month(args.month, "--month")
    now = context.clock()
    with context.transaction() as session:
        written = closing.take_month_closure(
            session,
            till_code=args.till,
            month=month,
            settings=_till_settings(context),
            actor=context.actor,
            now=now,
        )
        data = [_closure_summary(row) for row in written]
    return _print_closures_taken(data, args.json)


def close_year(context: Context, args: argparse.Namespace) -> int:
    from coop.till import closing

    text = args.year.strip()
    if text.isdigit() and len(text) == 4:  # a year: its fiscal year's first day
        month, first = (int(part) for part in context.settings.till.fiscal_year_start.split("-"))
        start = date(int(text), month, first)
    else:
        start = inputs.day(text, "--year")
    now = context.clock()
    with context.transaction() as session:
        written = closing.take_year_closure(
            session,
            till_code=args.till,
            year_start=start,
            settings=_till_settings(context),
            actor=context.actor,
            now=now,
        )
        data = [_closure_summary(row) for row in written]
    return _print_closures_taken(data, args.json)


def _closure_summary(row: Any) -> dict[str, Any]:
    return {
        "period": row.period,
        "number": row.number,
        "start": row.starts_on.isoformat(),
        "end": row.ends_on.isoformat(),
        "sale_count": row.sale_count,
        "total": row.total_cents,
        "perpetual": row.perpetual_cents,
    }


def _print_closures_taken(data: list[dict[str, Any]], as_json: bool) -> int:
    from coop.till.verify import kind_name

    if as_json:
        print_json(data)
        return 0
    for item in data:
        print(
            _("{kind} no. {number}, {start} to {end}: {count} sales, {total}").format(
                kind=kind_name(f"{item['period']}_closure"),
                number=item["number"],
                start=item["start"],
                end=item["end"],
                count=item["sale_count"],
                total=format_money(item["total"]),
            )
        )
    return 0


def closures(context: Context, args: argparse.Namespace) -> int:
    from coop.till import closing
    from coop.till.closures import Period

    first = inputs.day(args.first, "--from") if args.first else None
    last = inputs.day(args.last, "--to") if args.last else None
    with context.transaction(dry_run=True) as session:
        data = closing.list_closures(
            session,
            till_code=args.till,
            period=Period(args.period) if args.period else None,
            first=first,
            last=last,
        )
    if args.json:
        print_json(data)
        return 0
    for item in data:
        print(
            f"{item['till']:<10} {item['period']:<6} {item['number']:>5}  {item['start']}"
            f"  {item['end']}  {item['sale_count']:>6}  {format_money(item['total']):>14}"
            f"  {format_money(item['perpetual']):>16}  {item['hash'][:16]}"
        )
    if not data:
        print(_("No closure yet."))
    return 0


def report(context: Context, args: argparse.Namespace) -> int:
    from coop.till import closing

    day = inputs.day(args.day, "--day", default=local_date(context.clock()))
    with context.transaction(dry_run=True) as session:
        data = closing.report_day(session, day=day, till_code=args.till)
    if args.json:
        print_json(data if args.till is None else data[0])
        return 0
    for item in data:
        _print_z(item)
        for row in item["sessions"]:
            print(
                "  "
                + _("Session {opened} – {closed}: float {opening}, counted {counted}").format(
                    opened=row["opened_at"],
                    closed=row["closed_at"] or "…",
                    opening=format_money(row["opening_cents"]),
                    counted=format_money(row["counted_cents"])
                    if row["counted_cents"] is not None
                    else "—",
                )
            )
    return 0


def verify(context: Context, args: argparse.Namespace) -> int:
    if args.archive:
        from coop.till.archive import verify_archive

        check = verify_archive(args.archive)
        if args.json:
            print_json(check.as_dict())
        elif check.ok:
            print(
                _("Archive {folder}: {count} records checked, every hash holds.").format(
                    folder=args.archive, count=check.records
                )
            )
        else:
            for problem in check.problems:
                print(problem)
        return 0 if check.ok else 3
    from coop.till import verify as verifier

    with context.transaction(dry_run=True) as session:
        verdicts = verifier.verify(session, till_code=args.till)
    if args.json:
        print_json([verdict.as_dict() for verdict in verdicts])
    else:
        for verdict in verdicts:
            print(verdict.message())
        if not verdicts:
            print(_("No till yet: nothing to verify."))
    return 0 if all(verdict.ok for verdict in verdicts) else 3


def archive(context: Context, args: argparse.Namespace) -> int:
    from coop.till.archive import export_archive

    first = inputs.day(args.first, "--from")
    last = inputs.day(args.last, "--to")
    with context.transaction(dry_run=True) as session:
        manifest = export_archive(
            session,
            first=first,
            last=last,
            out=Path(args.out),
            now=context.clock(),
            till_code=args.till,
        )
    if args.json:
        print_json(manifest)
        return 0
    records = sum(chain["records"] for chain in manifest["tills"])
    print(
        _("Archive written to {folder}: {count} journal records, {files} files.").format(
            folder=args.out, count=records, files=len(manifest["files"]) + 2
        )
    )
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
    print(
        _("Category {category}: {percent} % off the unit price ({rounding}).").format(
            category=args.category, percent=rule.percent_off, rounding=rule.rounding
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
    from coop.till import price_rules
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
        print(f"{item['category']:<16} {item['percent_off']:>6} %  {item['rounding']}")
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
    from coop import scanning as barcodes
    from coop.catalog import scan

    context = context_from(args)
    if args.action == "list":
        with context.transaction(dry_run=True) as session:
            rules = [barcodes.rule_to_mapping(rule) for rule in scan.load_rules(session)]
        if args.json:
            print_json(rules)
            return 0
        for rule in rules:
            print(
                f"{rule['priority']:>4}  {rule['kind']:<12} {rule['encoding']:<6} "
                f"{rule['pattern'] or '—':<16} {rule['name']}"
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
