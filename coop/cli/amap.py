"""`coop amap ...`: an AMAP coordinator's season from the command line (README "AMAP").

Every command that changes data runs in one transaction; bad input exits 2 naming the field.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from coop.cli import inputs
from coop.cli.context import Context, context_from, print_json
from coop.dates import format_date
from coop.i18n import _, ngettext
from coop.money import MoneyError, format_money, parse_rate, rate_to_bp


def dispatch(args: argparse.Namespace) -> int:
    context = context_from(args)
    return _handlers()[(args.group, args.action)](context, args)


_bad = inputs.problem


def _date(value: str | None, option: str) -> date | None:
    """An optional date option: None when not given."""
    return None if value is None else inputs.day(value, option)


def _day(value: str, option: str) -> date:
    return inputs.day(value, option)


def _money(value: str, option: str) -> int:
    return inputs.amount(value, option)


def _sizes(value: str, option: str = "--size") -> list[tuple[str, int]]:
    from coop.amap.exchange import parse_sizes

    try:
        return parse_sizes(value)
    except ValueError as error:
        raise _bad(
            _("“{text}” is not a list of sizes (expected “2 GP + 1 PP”)").format(text=value), option
        ) from error


def _plain(data: Any) -> Any:
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        return dataclasses.asdict(data)
    if isinstance(data, list):
        return [_plain(item) for item in data]
    return data


def _emit(args: argparse.Namespace, data: Any, lines: Callable[[], list[str]]) -> int:
    """JSON with --json, else the lines for people."""
    if getattr(args, "json", False):
        print_json(_plain(data))
    else:
        print("\n".join(lines()))
    return 0


# --- places and contracts --------------------------------------------------------------------


def place_list(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import contracts

    with context.transaction(dry_run=True) as session:
        rows = [
            {"code": p.code, "name": p.name, "address": p.address, "hours": p.hours}
            for p in contracts.list_places(session)
        ]
    return _emit(
        args,
        rows,
        lambda: [
            f"{r['code']:<12} {r['name']}  {r['address'] or ''}  {r['hours'] or ''}" for r in rows
        ],
    )


def place_add(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import contracts

    with context.transaction() as session:
        place = contracts.create_place(
            session,
            code=args.code,
            name=args.name,
            address=args.address,
            hours=args.hours,
            actor=context.actor,
            now=context.clock(),
        )
        code = place.code
    return _emit(args, {"code": code}, lambda: [_("Place {code} created.").format(code=code)])


def _offer(text: str) -> Any:
    from coop.amap.contracts import OfferIn

    parts = [p.strip() for p in text.split("|")]
    if len(parts) < 3:
        raise _bad(
            _("“{text}” is not a size (expected CODE|LABEL|PRICE)").format(text=text), "--size"
        )
    extra: dict[str, str] = {}
    for part in parts[3:]:
        key, sep, value = part.partition("=")
        if not sep or key not in ("vat", "max", "parts", "solidarity", "unit"):
            raise _bad(
                _("“{part}” is not one of vat=, max=, parts=, solidarity=, unit=").format(
                    part=part
                ),
                "--size",
            )
        extra[key] = value
    try:
        vat = rate_to_bp(parse_rate(extra.get("vat", "5,5")))
        parts_pct = None
        if "parts" in extra:
            parts_pct = int(Decimal(extra["parts"].replace(",", ".")) * 100)
        maximum = int(extra["max"]) if "max" in extra else None
    except (MoneyError, InvalidOperation, ValueError) as error:
        raise _bad(
            _("“{text}” has a bad VAT rate, maximum or parts").format(text=text), "--size"
        ) from error
    return OfferIn(
        code=parts[0].upper(),
        label=parts[1],
        price_cents=_money(parts[2], "--size"),
        vat_bp=vat,
        unit=extra.get("unit", "piece"),
        parts_pct=parts_pct,
        max_subscribers=maximum,
        solidarity_price_cents=_money(extra["solidarity"], "--size")
        if "solidarity" in extra
        else None,
    )


def contract_create(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import contracts, rules

    try:
        counts = [int(n) for n in args.cheques.split(",") if n.strip()]
    except ValueError as error:
        raise _bad(
            _("“{text}” is not a list of numbers").format(text=args.cheques), "--cheques"
        ) from error
    data = contracts.ContractIn(
        code=args.contract,
        name=args.name,
        producer=args.producer,
        kind=rules.ContractKind(args.kind),
        season_start=_day(args.start, "--start"),
        season_end=_day(args.end, "--end"),
        places=args.place,
        offers=[_offer(text) for text in args.size],
        referents=args.referent,
        max_subscribers=args.max,
        cheque_counts=counts,
        strategy=rules.SplitStrategy(args.strategy),
        percentages=args.percentages,
        min_cheque_cents=_money(args.min_cheque, "--min-cheque"),
        max_absences=args.absences,
        absence_from=_date(args.absence_from, "--absence-from"),
        absence_to=_date(args.absence_to, "--absence-to"),
        deadline_weekday=args.deadline,
        partner=args.partner,
        min_order_cents=_money(args.min_order, "--min-order"),
        min_season_cents=_money(args.min_season, "--min-season"),
        cashing_dates=[_day(d, "--cashing") for d in args.cashing],
    )
    with context.transaction() as session:
        code = contracts.create_contract(
            session, data, actor=context.actor, now=context.clock()
        ).code
    return _emit(
        args,
        {"code": code},
        lambda: [
            _("Contract {code} created: now `coop amap calendar generate {code}`.").format(
                code=code
            )
        ],
    )


def contract_list(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import contracts, views

    with context.transaction(dry_run=True) as session:
        rows = [views.contract_view(session, c) for c in contracts.list_contracts(session)]
    data = [
        {
            k: getattr(v, k)
            for k in (
                "code",
                "name",
                "producer",
                "kind",
                "season_start",
                "season_end",
                "subscribers",
                "waiting",
                "amount_cents",
                "frozen",
            )
        }
        for v in rows
    ]
    return _emit(
        args,
        data,
        lambda: (
            [_contract_line(v) for v in rows]
            or [_("No AMAP contract yet: `coop amap contract create` starts one.")]
        ),
    )


def _contract_line(view: Any) -> str:
    subscribers = _("{n} subscribers").format(n=view.subscribers)
    return (
        f"{view.code:<12} {format_date(view.season_start)} – {format_date(view.season_end)}"
        f"  {subscribers:>18}  {format_money(view.amount_cents):>12}  {view.name}"
    )


def contract_show(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import lookup, views, words

    with context.transaction(dry_run=True) as session:
        view = views.contract_view(session, lookup.contract(session, args.contract, "CONTRACT"))

    def lines() -> list[str]:
        out = [
            f"{view.code} — {view.name} ({view.producer}, {words.kind(view.kind)})",
            _("Season: {start} – {end}").format(
                start=format_date(view.season_start), end=format_date(view.season_end)
            ),
            _("Places: {places}").format(places=", ".join(view.places)),
            _("Cheques: {counts} ({strategy})").format(
                counts=", ".join(map(str, view.cheque_counts)),
                strategy=words.strategy(view.strategy),
            ),
            _("Subscribers: {n} (waiting list: {w}); total due {amount}").format(
                n=view.subscribers, w=view.waiting, amount=format_money(view.amount_cents)
            ),
        ]
        if view.frozen:
            out.append(_("Calendar frozen: subscriptions are paid."))
        out += [
            f"  {o.code:<8} {format_money(o.price_cents):>10}  {o.subscribers:>4}  {o.label}"
            for o in view.offers
        ]
        return out

    return _emit(args, view, lines)


def contract_renew(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import contracts, lookup

    with context.transaction() as session:
        old = lookup.contract(session, args.contract, "CONTRACT")
        new = contracts.renew(
            session,
            old,
            code=args.code,
            actor=context.actor,
            now=context.clock(),
            months=args.months,
        )
        code, start, end = new.code, new.season_start, new.season_end
    return _emit(
        args,
        {"code": code, "season_start": start, "season_end": end},
        lambda: [
            _("Contract {code} created for {start} – {end}.").format(
                code=code, start=format_date(start), end=format_date(end)
            )
        ],
    )


def contract_import(context: Context, args: argparse.Namespace) -> int:
    from coop.amap.exchange import import_contracts

    with context.transaction(dry_run=args.dry_run) as session:
        codes = import_contracts(session, args.file, actor=context.actor, now=context.clock())
    return _emit(
        args,
        {"created": codes},
        lambda: [_("Contracts created: {codes}.").format(codes=", ".join(codes))],
    )


# --- calendar --------------------------------------------------------------------------------


def calendar_show(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import lookup, views

    with context.transaction(dry_run=True) as session:
        view = views.contract_view(session, lookup.contract(session, args.contract, "CONTRACT"))

    def line(d: Any) -> str:
        notes = []
        if d.cancelled:
            notes.append(_("cancelled"))
        if d.factor != 100:
            notes.append(_("factor {f}").format(f=_factor_text(d.factor)))
        if d.moved_from:
            notes.append(_("moved from {date}").format(date=format_date(d.moved_from)))
        if d.place:
            notes.append(_("at {place}").format(place=d.place))
        baskets = _("{n} baskets").format(n=d.baskets)
        return f"{format_date(d.on, 'full'):<28} {baskets:>12}  {'; '.join(notes)}"

    return _emit(args, view.deliveries, lambda: [line(d) for d in view.deliveries])


def _factor_text(factor: int) -> str:
    return (
        str(Decimal(factor) / 100).replace(".", ",").rstrip("0").rstrip(",")
        if factor % 100
        else str(factor // 100)
    )


def _change(args: argparse.Namespace, change: Any) -> int:
    return _emit(
        args,
        change,
        lambda: [
            ngettext(
                "Done. {n} subscription's amount was recomputed.",
                "Done. {n} subscriptions' amounts were recomputed.",
                change.recomputed,
            ).format(n=change.recomputed)
        ],
    )


def calendar_generate(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import calendar, lookup, rules

    with context.transaction() as session:
        contract = lookup.contract(session, args.contract, "CONTRACT")
        change = calendar.generate(
            session,
            contract,
            recurrence=rules.Recurrence(args.rule),
            start=_date(args.start, "--start"),
            end=_date(args.end, "--end"),
            weeks=args.every,
            anchor=_date(args.anchor, "--anchor"),
            dates=[_day(d, "--date") for d in args.date],
            skip=[_day(d, "--skip") for d in args.skip],
            actor=context.actor,
            now=context.clock(),
        )
    return _emit(
        args,
        change,
        lambda: [
            ngettext(
                "{n} delivery date added.", "{n} delivery dates added.", len(change.dates)
            ).format(n=len(change.dates))
            + " "
            + ngettext(
                "{n} subscription's amount recomputed.",
                "{n} subscriptions' amounts recomputed.",
                change.recomputed,
            ).format(n=change.recomputed)
        ],
    )


def calendar_edit(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import calendar, lookup

    on = _day(args.date, "DATE")
    with context.transaction() as session:
        contract = lookup.contract(session, args.contract, "CONTRACT")
        now, actor = context.clock(), context.actor
        if args.action == "cancel":
            change = calendar.cancel(
                session, contract, on, reason=args.reason, actor=actor, now=now
            )
        elif args.action == "restore":
            change = calendar.restore(session, contract, on, actor=actor, now=now)
        elif args.action == "move":
            change = calendar.move(
                session,
                contract,
                on,
                to=_date(args.to, "--to"),
                place=args.place,
                reason=args.reason,
                actor=actor,
                now=now,
            )
        else:
            try:
                factor = Decimal(args.factor.replace(",", "."))
            except InvalidOperation as error:
                raise _bad(
                    _("“{text}” is not a factor (expected 2 or 0,5)").format(text=args.factor),
                    "FACTOR",
                ) from error
            if factor * 100 != int(factor * 100):
                raise _bad(_("a factor has at most two decimals"), "FACTOR")
            change = calendar.set_factor(
                session,
                contract,
                on,
                factor=int(factor * 100),
                reason=args.reason,
                actor=actor,
                now=now,
            )
    return _change(args, change)


def _handlers() -> dict[tuple[str, str], Callable[[Context, argparse.Namespace], int]]:
    from coop.cli.amap_day import HANDLERS as DAY_HANDLERS
    from coop.cli.amap_pay import (
        fund,
        pay_add,
        pay_balance,
        pay_hand_over,
        pay_plan,
        pay_plan_all,
        pay_receive,
        pay_show,
    )
    from coop.cli.amap_subs import (
        absence,
        sub_add,
        sub_edit,
        sub_export,
        sub_import,
        sub_list,
        sub_show,
        sub_waiting,
    )

    return {
        ("place", "list"): place_list,
        ("place", "add"): place_add,
        ("contract", "list"): contract_list,
        ("contract", "show"): contract_show,
        ("contract", "create"): contract_create,
        ("contract", "renew"): contract_renew,
        ("contract", "import"): contract_import,
        ("calendar", "show"): calendar_show,
        ("calendar", "generate"): calendar_generate,
        **{("calendar", a): calendar_edit for a in ("cancel", "restore", "move", "factor")},
        ("sub", "add"): sub_add,
        ("sub", "show"): sub_show,
        ("sub", "list"): sub_list,
        ("sub", "waiting"): sub_waiting,
        **{
            ("sub", a): sub_edit
            for a in ("end", "change", "holder", "collector", "order", "promote")
        },
        ("sub", "import"): sub_import,
        ("sub", "export"): sub_export,
        **{("absence", a): absence for a in ("add", "remove", "give", "ungive")},
        ("pay", "plan"): pay_plan,
        ("pay", "plan-all"): pay_plan_all,
        ("pay", "show"): pay_show,
        ("pay", "receive"): pay_receive,
        ("pay", "add"): pay_add,
        ("pay", "hand-over"): pay_hand_over,
        ("pay", "balance"): pay_balance,
        **{("fund", a): fund for a in ("show", "gift", "settings")},
        **DAY_HANDLERS,
    }
