"""`coop amap sub ...` and `coop amap absence ...`: subscriptions, shared baskets, absences."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Any

from coop.cli.amap import _date, _day, _emit, _money, _sizes
from coop.cli.context import Context
from coop.dates import format_date
from coop.i18n import _
from coop.money import format_money

# --- subscriptions ---------------------------------------------------------------------------


def sub_add(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import subscriptions

    data = subscriptions.SubscriptionIn(
        contract=args.contract,
        member=args.member,
        place=args.place,
        lines=_sizes(args.size),
        starts_on=_date(args.start, "--start"),
        ends_on=_date(args.end, "--end"),
        co_holders=args.co_holders,
        solidarity=args.solidarity,
        contribution_cents=_money(args.contribution, "--contribution"),
        invert=args.invert,
        waiting_list=args.waiting_list,
    )
    with context.transaction() as session:
        sub = subscriptions.subscribe(session, data, actor=context.actor, now=context.clock())
        result: dict[str, Any] = {
            "id": sub.id,
            "status": sub.status,
            "amount_cents": sub.amount_cents,
        }
    if result["status"] == "waiting":
        text = _("Subscription {id} is on the waiting list.").format(id=result["id"])
    else:
        text = _("Subscription {id} created: {amount} due.").format(
            id=result["id"], amount=format_money(result["amount_cents"])
        )
    return _emit(args, result, lambda: [text])


def sub_show(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import lookup, views, words

    with context.transaction(dry_run=True) as session:
        view = views.subscription_view(
            session, lookup.subscription(session, args.subscription, "SUBSCRIPTION")
        )

    def lines() -> list[str]:
        out = [
            f"#{view.id} {view.contract} — {view.member} {view.name}"
            f" ({view.place}, {words.subscription_status(view.status)})",
            _("Basket: {lines}; holders: {holders}").format(
                lines=view.lines, holders=", ".join(map(str, view.holders))
            ),
            _("Due {due}, received {received}, left {left}").format(
                due=format_money(view.amount_cents),
                received=format_money(view.received_cents),
                left=format_money(view.left_cents),
            ),
        ]
        for b in view.baskets:
            extra = f" → {b.keeper}" if b.keeper else ""
            out.append(
                f"  {format_date(b.on)} {b.place:<10} {words.basket_status(b.status):<12}"
                f" {b.collector:>5}{extra}  {b.items}  {format_money(b.amount_cents)}"
            )
        for p in view.payments:
            out.append(
                f"  {p.position:>2}. {words.means(p.means):<14} {format_money(p.amount_cents):>10}"
                f"  {format_date(p.cashing_on) if p.cashing_on else '':<10}"
                f" {words.cheque_state(p.state)} {p.number or ''}"
            )
        return out

    return _emit(args, view, lines)


def sub_list(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import words
    from coop.amap.exchange import export_rows

    with context.transaction(dry_run=True) as session:
        from coop.amap import lookup

        lookup.contract(session, args.contract, "CONTRACT")
        rows = export_rows(session, args.contract)
    return _emit(
        args,
        rows,
        lambda: [
            f"{r['member']:>5} {r['name']:<28} {r['place']:<10} {r['sizes']:<16}"
            f" {r['amount']:>10} {words.subscription_status(r['status'])}"
            for r in rows
        ],
    )


def sub_waiting(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import lookup, subscriptions

    with context.transaction(dry_run=True) as session:
        contract = lookup.contract(session, args.contract, "CONTRACT")
        rows = [
            {
                "id": s.id,
                "member": session.get_one(lookup.Member, s.member_id).number,
                "since": s.created_at,
            }
            for s in subscriptions.waiting_list(session, contract.id)
        ]
    return _emit(
        args,
        rows,
        lambda: [f"#{r['id']}  {r['member']}" for r in rows] or [_("Nobody is waiting.")],
    )


def sub_edit(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import lookup, subscriptions

    now, actor = context.clock(), context.actor
    with context.transaction() as session:
        sub = lookup.subscription(session, args.subscription, "SUBSCRIPTION")
        if args.action == "end":
            subscriptions.end(session, sub, on=_day(args.on, "--on"), actor=actor, now=now)
        elif args.action == "change":
            subscriptions.change(
                session,
                sub,
                lines=_sizes(args.size),
                from_date=_day(args.from_date, "--from"),
                actor=actor,
                now=now,
            )
        elif args.action == "holder":
            subscriptions.add_holder(session, sub, args.member, actor=actor, now=now)
        elif args.action == "collector":
            subscriptions.set_collector(
                session, sub, _day(args.date, "DATE"), args.member, actor=actor, now=now
            )
        elif args.action == "order":
            subscriptions.set_order(
                session, sub, _day(args.date, "DATE"), _sizes(args.size), actor=actor, now=now
            )
        else:
            subscriptions.promote(session, sub, actor=actor, now=now)
        session.flush()
        session.refresh(sub)
        result: dict[str, Any] = {
            "id": sub.id,
            "status": sub.status,
            "amount_cents": sub.amount_cents,
        }
    return _emit(
        args,
        result,
        lambda: [
            _("Subscription {id}: {amount} due.").format(
                id=result["id"], amount=format_money(result["amount_cents"])
            )
        ],
    )


def sub_import(context: Context, args: argparse.Namespace) -> int:
    from coop.amap.exchange import import_subscriptions

    with context.transaction(dry_run=args.dry_run) as session:
        report = import_subscriptions(
            session,
            args.file,
            actor=context.actor,
            now=context.clock(),
            waiting_list=args.waiting_list,
        )
    return _emit(
        args,
        report,
        lambda: [
            _(
                "{lines} lines: {created} subscriptions, {waiting} on the waiting list,"
                " {planned} cheque plans."
            ).format(**dataclasses.asdict(report))
            + (" " + _("(dry run: nothing was saved)") if args.dry_run else "")
        ],
    )


def sub_export(context: Context, args: argparse.Namespace) -> int:
    from coop.amap.exchange import export_subscriptions

    with context.transaction(dry_run=True) as session:
        if args.out:
            with open(args.out, "w", encoding="utf-8-sig", newline="") as stream:
                export_subscriptions(session, stream, args.contract)
        else:
            export_subscriptions(session, sys.stdout, args.contract)
    return 0


# --- absences and gifts ----------------------------------------------------------------------


def absence(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import absences, lookup

    on = _day(args.date, "DATE")
    now, actor = context.clock(), context.actor
    with context.transaction() as session:
        sub = lookup.subscription(session, args.subscription, "SUBSCRIPTION")
        if args.action == "add":
            absences.declare_absence(session, sub, on, actor=actor, now=now)
        elif args.action == "remove":
            absences.cancel_absence(session, sub, on, actor=actor, now=now)
        elif args.action == "give":
            absences.donate(session, sub, on, keeper=args.keeper, actor=actor, now=now)
        else:
            absences.cancel_donation(session, sub, on, actor=actor, now=now)
        session.refresh(sub)
        result: dict[str, Any] = {"id": sub.id, "date": on, "amount_cents": sub.amount_cents}
    return _emit(
        args,
        result,
        lambda: [
            _("Subscription {id}: {amount} due.").format(
                id=result["id"], amount=format_money(result["amount_cents"])
            )
        ],
    )
