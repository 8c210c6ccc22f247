"""`coop members add|update|leave|rejoin|welcome|shares …|fee pay|figures`: joining, leaving,
capital shares and fees from the command line. One command is one transaction: a refusal
(exit code 2, a sentence naming the option) leaves nothing written."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from coop.cli import inputs
from coop.cli.context import Context, context_from, print_json
from coop.clock import local_date
from coop.dates import format_date
from coop.i18n import _
from coop.members import joining, register, service, shares
from coop.members.models import Member
from coop.money import format_money

DETAILS = ("first_name", "last_name", "email", "phone", "street", "postcode", "city")


def dispatch(args: argparse.Namespace) -> int:
    context = context_from(args)
    if args.action in ("shares", "fee"):
        handler = {
            ("shares", "pay"): pay_shares,
            ("shares", "refund-request"): request_refund,
            ("shares", "refund"): refund,
            ("shares", "show"): show_shares,
            ("fee", "pay"): pay_fee,
        }[(args.action, args.sub)]
        return handler(context, args)
    return {
        "add": add,
        "update": update,
        "leave": leave,
        "rejoin": rejoin,
        "welcome": welcome,
        "figures": figures,
    }[args.action](context, args)


def _summary(session: Session, member: Member) -> dict[str, Any]:
    card = service.active_card(session, member)
    return {
        "number": member.number,
        "name": member.full_name,
        "category": member.category.code,
        "joined_on": member.joined_on.isoformat(),
        "left_on": member.left_on.isoformat() if member.left_on else None,
        "left_reason": member.left_reason,
        "card": card.barcode if card else None,
        "main_member": member.main_member.number if member.main_member else None,
    }


def add(context: Context, args: argparse.Namespace) -> int:
    now = context.clock()
    details = {key: getattr(args, key) for key in DETAILS[2:] if getattr(args, key)}
    joined = inputs.day(args.joined, "--joined", local_date(now))
    with context.transaction() as session:
        member = joining.add(
            session,
            actor=context.actor,
            now=now,
            settings=context.settings.members,
            first_name=args.first_name,
            last_name=args.last_name,
            main_member_number=args.household,
            number=args.number,
            category=args.category,
            joined_on=joined,
            card=args.card,
            **details,
        )
        data = _summary(session, member)
    if args.print_card:
        data["card_pdf"] = str(_print_card(context, member.number))
    if args.json:
        print_json(data)
        return 0
    print(
        _("Member {number} {name} registered; card {card}.").format(
            number=data["number"], name=data["name"], card=data["card"]
        )
    )
    if "card_pdf" in data:
        print(_("Card written to {path}.").format(path=data["card_pdf"]))
    return 0


def _print_card(context: Context, number: int) -> Any:
    import invoices
    from coop.paths import data_dir
    from coop.printouts import build

    now = context.clock()
    with context.transaction(dry_run=True) as session:
        document = build(
            session, "cards", {"members": [number]}, settings=context.settings, now=now
        )
    folder = data_dir() / "prints"
    folder.mkdir(parents=True, exist_ok=True)
    return invoices.render_to_file(document, folder / f"cartes-{number}.pdf")


def update(context: Context, args: argparse.Namespace) -> int:
    now = context.clock()
    changes: dict[str, Any] = {
        key: getattr(args, key) for key in DETAILS if getattr(args, key) is not None
    }
    for key in ("first_name", "last_name"):
        if key in changes and not changes[key].strip():
            raise inputs.problem(_("this field is required"), "--" + key.replace("_", "-"))
    if args.category:
        changes["category"] = args.category
    with context.transaction() as session:
        member = service.get_by_number(session, args.number)
        if changes:
            service.update_member(
                session, member, changes, actor=context.actor, now=now, reason=args.reason
            )
        if args.household is not None or args.no_household:
            main = service.get_by_number(session, args.household) if args.household else None
            service.set_household(
                session,
                member,
                main,
                actor=context.actor,
                now=now,
                settings=context.settings.members,
            )
        data = _summary(session, member)
    if args.json:
        print_json(data)
    else:
        print(_("Member {number} updated.").format(number=data["number"]))
    return 0


def leave(context: Context, args: argparse.Namespace) -> int:
    from coop import membership

    now = context.clock()
    on = inputs.day(args.on, "--on", local_date(now))
    with context.transaction() as session:
        member = service.get_by_number(session, args.number)
        departure = membership.leave(
            session,
            member,
            on=on,
            reason=args.reason,
            settings=context.settings,
            actor=context.actor,
            now=now,
        )
        data = _summary(session, member) | {
            "slots_released": departure.slots_released,
            "subscriptions_ended": departure.subscriptions_ended,
            "shares_refundable_from": departure.refund_from.isoformat(),
        }
    if args.json:
        print_json(data)
        return 0
    print(
        _("Member {number} leaves on {date}; card ended.").format(
            number=data["number"], date=format_date(on)
        )
    )
    print(
        _("Fixed shift slots released: {slots}; AMAP subscriptions ended: {subs}.").format(
            slots=departure.slots_released, subs=departure.subscriptions_ended
        )
    )
    print(_("Shares refundable from {date}.").format(date=format_date(departure.refund_from)))
    return 0


def rejoin(context: Context, args: argparse.Namespace) -> int:
    now = context.clock()
    on = inputs.day(args.on, "--on", local_date(now))
    with context.transaction() as session:
        member = service.get_by_number(session, args.number)
        joining.rejoin(
            session,
            member,
            on=on,
            actor=context.actor,
            now=now,
            settings=context.settings.members,
        )
        data = _summary(session, member)
    if args.json:
        print_json(data)
    else:
        print(
            _("Member {number} is back from {date}; card {card}.").format(
                number=data["number"], date=format_date(on), card=data["card"]
            )
        )
    return 0


def welcome(context: Context, args: argparse.Namespace) -> int:
    now = context.clock()
    on = inputs.day(args.on, "--on", local_date(now))
    with context.transaction() as session:
        member = service.get_by_number(session, args.number)
        joining.record_welcome(session, member, on=on, actor=context.actor, now=now)
    print(
        _("Member {number} attended the welcome session on {date}.").format(
            number=args.number, date=format_date(on)
        )
    )
    return 0


def _standing(session: Session, member: Member, context: Context) -> dict[str, Any]:
    today = local_date(context.clock())
    dues = shares.dues(session, member, context.settings.membership, today)
    return {
        "number": member.number,
        "name": member.full_name,
        "lines": shares.standing_lines(member, dues),
        "shares": dues.shares.shares_held,
        "paid_cents": dues.shares.paid_cents,
        "due_cents": dues.shares.due_cents,
        "deadline": dues.shares.deadline.isoformat() if dues.shares.deadline else None,
        "overdue": dues.shares.overdue,
        "fee_due_cents": dues.fee_cents,
        "movements": [
            {
                "on": m.on.isoformat(),
                "kind": m.kind,
                "amount_cents": m.amount_cents,
                "means": m.means,
                "actor": m.actor,
            }
            for m in shares.movements(session, member)
        ],
    }


def _print_standing(data: dict[str, Any]) -> None:
    for line in data["lines"]:
        print(line)


def pay_shares(context: Context, args: argparse.Namespace) -> int:
    now = context.clock()
    amount = inputs.amount(args.amount, "--amount")
    with context.transaction() as session:
        member = service.get_by_number(session, args.number)
        shares.pay_shares(
            session,
            member,
            amount,
            means=args.means,
            reference=args.reference,
            settings=context.settings.membership,
            actor=context.actor,
            now=now,
        )
        data = _standing(session, member, context)
    if args.json:
        print_json(data)
    else:
        _print_standing(data)
    return 0


def request_refund(context: Context, args: argparse.Namespace) -> int:
    from coop.members.share_rules import refund_date

    with context.transaction() as session:
        member = service.get_by_number(session, args.number)
        shares.request_refund(session, member, actor=context.actor, now=context.clock())
        assert member.left_on is not None
        due_on = refund_date(member.left_on, context.settings.membership.refund_delay_years)
        data = _standing(session, member, context) | {"refundable_from": due_on.isoformat()}
    if args.json:
        print_json(data)
    else:
        print(
            _("Refund of member {number}'s shares requested; payable from {date}.").format(
                number=args.number, date=format_date(due_on)
            )
        )
    return 0


def refund(context: Context, args: argparse.Namespace) -> int:
    amount = inputs.amount(args.amount, "--amount") if args.amount else None
    with context.transaction() as session:
        member = service.get_by_number(session, args.number)
        shares.refund(
            session,
            member,
            means=args.means,
            amount_cents=amount,
            reference=args.reference,
            settings=context.settings.membership,
            actor=context.actor,
            now=context.clock(),
        )
        data = _standing(session, member, context)
    if args.json:
        print_json(data)
    else:
        _print_standing(data)
    return 0


def show_shares(context: Context, args: argparse.Namespace) -> int:
    with context.transaction(dry_run=True) as session:
        member = service.get_by_number(session, args.number)
        data = _standing(session, member, context)
    if args.json:
        print_json(data)
        return 0
    _print_standing(data)
    for move in data["movements"]:
        print(
            "  "
            + format_date(date.fromisoformat(move["on"]))
            + f"  {register.movement_word(move['kind'])}"
            + (f"  {format_money(move['amount_cents'])}" if move["amount_cents"] else "")
        )
    return 0


def pay_fee(context: Context, args: argparse.Namespace) -> int:
    now = context.clock()
    amount = inputs.amount(args.amount, "--amount") if args.amount else None
    with context.transaction() as session:
        member = service.get_by_number(session, args.number)
        row = shares.pay_fee(
            session,
            member,
            year=args.year or local_date(now).year,
            means=args.means,
            amount_cents=amount,
            reference=args.reference,
            settings=context.settings.membership,
            actor=context.actor,
            now=now,
        )
        data = {"number": member.number, "year": row.year, "amount_cents": row.amount_cents}
    if args.json:
        print_json(data)
    else:
        print(
            _("Fee of {year} paid by member {number}: {amount}.").format(
                year=data["year"], number=data["number"], amount=format_money(data["amount_cents"])
            )
        )
    return 0


def figures(context: Context, args: argparse.Namespace) -> int:
    at = inputs.day(args.at, "--at", local_date(context.clock()))
    with context.transaction(dry_run=True) as session:
        result = register.figures(session, at=at, membership=context.settings.membership)
    if args.json:
        print_json(result.as_dict())
        return 0
    print(register.figures_text(result))
    return 0
