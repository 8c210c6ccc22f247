"""`coop amap pay ...` and `coop amap fund ...`: cheque plans, receipts, hand-over, the fund."""

from __future__ import annotations

import argparse
import dataclasses
import re
from typing import Any

from coop.cli.amap import _date, _day, _emit, _money
from coop.cli.context import Context
from coop.dates import format_date
from coop.i18n import _, ngettext
from coop.money import format_money

# --- payments --------------------------------------------------------------------------------


def _amounts(text: str | None) -> list[int] | None:
    if text is None:
        return None
    return [_money(part, "--amounts") for part in re.split(r"[;/ ]+", text.strip()) if part]


def pay_plan(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import lookup, payments

    with context.transaction() as session:
        sub = lookup.subscription(session, args.subscription, "SUBSCRIPTION")
        payments.plan(
            session,
            sub,
            count=args.cheques,
            amounts=_amounts(args.amounts),
            issuer=args.issuer,
            bank=args.bank,
            actor=context.actor,
            now=context.clock(),
        )
    return pay_show(context, args)


def pay_show(context: Context, args: argparse.Namespace) -> int:
    from coop.cli.amap_subs import sub_show

    return sub_show(context, args)


def pay_plan_all(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import lookup, payments

    with context.transaction() as session:
        contract = lookup.contract(session, args.contract, "CONTRACT")
        count = payments.plan_all(
            session, contract, count=args.cheques, actor=context.actor, now=context.clock()
        )
    return _emit(
        args,
        {"planned": count},
        lambda: [_("Cheques planned for {n} subscriptions.").format(n=count)],
    )


def pay_receive(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import lookup, payments

    with context.transaction() as session:
        sub = lookup.subscription(session, args.subscription, "SUBSCRIPTION")
        payment = payments.receive(
            session,
            sub,
            args.position,
            number=args.number,
            bank=args.bank,
            issuer=args.issuer,
            on=_date(args.on, "--on"),
            actor=context.actor,
            now=context.clock(),
        )
        result: dict[str, Any] = {
            "id": sub.id,
            "position": payment.position,
            "state": payment.state,
            "amount_cents": payment.amount_cents,
        }
    return _emit(
        args,
        result,
        lambda: [
            _("Cheque {n} received ({amount}).").format(
                n=result["position"], amount=format_money(result["amount_cents"])
            )
        ],
    )


def pay_add(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import lookup, payments, rules

    amount = _money(args.amount, "AMOUNT")
    with context.transaction() as session:
        sub = lookup.subscription(session, args.subscription, "SUBSCRIPTION")
        payments.pay(
            session,
            sub,
            means=rules.Means(args.means),
            amount=amount,
            on=_date(args.on, "--on"),
            actor=context.actor,
            now=context.clock(),
        )
        balance = payments.balance(session, sub)
        result: dict[str, Any] = {
            "id": sub.id,
            "received_cents": balance.received_cents,
            "left_cents": balance.left_cents,
            "paid": balance.paid,
        }
    return _emit(
        args,
        result,
        lambda: [
            _("Received; {left} left to pay.").format(left=format_money(result["left_cents"]))
        ],
    )


def pay_hand_over(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import lookup, payments

    on = _day(args.date, "DATE")
    with context.transaction() as session:
        contract = lookup.contract(session, args.contract, "CONTRACT")
        handed, missing = payments.hand_over(
            session, contract, on, actor=context.actor, now=context.clock()
        )
    return _emit(
        args,
        {"handed_over": handed, "still_expected": missing},
        lambda: [
            ngettext(
                "{n} cheque handed to the producer.", "{n} cheques handed to the producer.", handed
            ).format(n=handed)
            + " "
            + ngettext(
                "{n} cheque still expected for that date.",
                "{n} cheques still expected for that date.",
                missing,
            ).format(n=missing)
        ],
    )


def pay_balance(context: Context, args: argparse.Namespace) -> int:
    from coop.amap.exchange import export_rows

    with context.transaction(dry_run=True) as session:
        from coop.amap import lookup

        lookup.contract(session, args.contract, "CONTRACT")
        rows = [
            {k: r[k] for k in ("member", "name", "amount", "received", "status")}
            for r in export_rows(session, args.contract)
        ]
    return _emit(
        args,
        rows,
        lambda: [
            f"{r['member']:>5} {r['name']:<28} {r['amount']:>10} {r['received']:>10}" for r in rows
        ],
    )


# --- the solidarity fund ---------------------------------------------------------------------


def fund(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import solidarity, words

    now, actor = context.clock(), context.actor
    with context.transaction(dry_run=args.action == "show") as session:
        if args.action == "gift":
            solidarity.gift(
                session,
                amount=_money(args.amount, "AMOUNT"),
                member=args.member,
                note=args.note,
                means=args.means,
                actor=actor,
                now=now,
            )
        elif args.action == "settings":
            solidarity.set_allow_negative(session, args.allow_negative, actor=actor, now=now)
        balance = solidarity.fund_balance(session)
        ledger = solidarity.ledger(session)
    data = {"balance_cents": balance, "entries": [dataclasses.asdict(line) for line in ledger]}
    return _emit(
        args,
        data,
        lambda: (
            [_("Solidarity fund: {balance}").format(balance=format_money(balance))]
            + [
                f"  {format_date(e.on)}  {words.fund_kind(e.kind):<28}"
                f" {format_money(e.amount_cents):>10}  {e.member_number or ''}"
                for e in ledger
            ]
        ),
    )
