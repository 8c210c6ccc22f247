"""`coop amap distribution|rota|desk|reminders ...`: the distribution day from the command line
(README "A distribution volunteer's tour"). Changes are one transaction each, with the actor;
bad input exits 2 and writes nothing."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

from coop.cli import inputs
from coop.cli.amap import _emit
from coop.cli.context import Context
from coop.clock import local_date
from coop.dates import format_date
from coop.i18n import _, ngettext

Handler = Callable[[Context, argparse.Namespace], int]


def _on(args: argparse.Namespace) -> date:
    return inputs.day(args.date, "date")


def _share_text(share: Any) -> str:
    from coop.amap import words

    text = f"{share.contract} {share.items}"
    if share.status != "due":
        text += f" ({words.basket_status(share.status)})"
    if share.keeper:
        text += " " + _("collected by {keeper}").format(keeper=share.keeper)
    if share.outcome:
        text += f" [{words.pickup(share.outcome)}]"
    return text


def _household_line(household: Any) -> str:
    shares = "; ".join(_share_text(s) for s in household.shares)
    line = f"{household.member:>5}  {household.names}  —  {shares}"
    if household.overdue:
        line += "  " + _("(payment overdue: {codes})").format(codes=", ".join(household.overdue))
    if household.other_turn:
        line += "  " + _("(other holder's turn: {codes})").format(
            codes=", ".join(household.other_turn)
        )
    return line


def _staff_lines(staff: Any) -> list[str]:
    lines = [
        ngettext(
            "Volunteers: {signed} of {needed} ({missing} missing)",
            "Volunteers: {signed} of {needed} ({missing} missing)",
            staff.missing,
        ).format(signed=len(staff.volunteers), needed=staff.needed, missing=staff.missing)
    ]
    lines += [
        "  " + _("{label}: {value}").format(label=v.role_label, value=f"{v.name} ({v.member})")
        for v in staff.volunteers
    ]
    return lines


def distribution_list(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import distributions, rota

    first, last = inputs.day(args.first, "--from"), inputs.day(args.last, "--to")
    with context.transaction(dry_run=True) as session:
        data: list[dict[str, Any]] = [
            {
                "date": on.isoformat(),
                "place": place,
                "households": len(distributions.households(session, on, place)),
                "needed": (staff := rota.staffing(session, on, place)).needed,
                "volunteers": len(staff.volunteers),
                "missing": staff.missing,
            }
            for on, place in distributions.dates_between(session, first, last)
        ]

    def lines() -> list[str]:
        return [
            _(
                "{date}  {place:<8} {households:>3} households, volunteers {volunteers}/{needed}"
            ).format(**{**row, "date": format_date(date.fromisoformat(row["date"]))})
            for row in data
        ]

    return _emit(args, data, lines)


def distribution_show(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import distributions, rota

    with context.transaction(dry_run=True) as session:
        day = distributions.day(session, _on(args), args.place)
        staff = rota.staffing(session, day.on, day.place)

    def lines() -> list[str]:
        head = [
            f"{format_date(day.on, 'full')} — {day.place_name} ({day.place})",
            *([day.hours] if day.hours else []),
            _("Contracts: {codes}").format(codes=", ".join(c for c, _n in day.contracts)),
            *([_("Instructions: {text}").format(text=day.public_note)] if day.public_note else []),
            *(
                [_("For the volunteers: {text}").format(text=day.volunteer_note)]
                if day.volunteer_note
                else []
            ),
            *_staff_lines(staff),
            _("{count} households:").format(count=len(day.households)),
        ]
        return head + [_household_line(h) for h in day.households]

    return _emit(args, {"day": asdict(day), "staffing": asdict(staff)}, lines)


def distribution_set(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import distributions

    with context.transaction() as session:
        row = distributions.set_details(
            session,
            _on(args),
            args.place,
            hours=args.hours,
            public_note=args.note,
            volunteer_note=args.volunteer_note,
            extra_volunteers=args.extra,
            actor=context.actor,
            now=context.clock(),
        )
        data = {"date": row.on.isoformat(), "hours": row.hours, "extra": row.extra_volunteers}
    return _emit(args, data, lambda: [_("Distribution updated.")])


def rota_roles(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import rota

    with context.transaction(dry_run=True) as session:
        data = [{"code": r.code, "label": r.label, "seats": r.seats} for r in rota.roles(session)]
    return _emit(args, data, lambda: [f"{r['code']:<10} {r['label']} ({r['seats']})" for r in data])


def rota_show(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import rota

    with context.transaction(dry_run=True) as session:
        staff = rota.staffing(session, _on(args), args.place)

    def lines() -> list[str]:
        free = [
            f"  {r.code:<10} "
            + _("{label}: {value}").format(label=r.label, value=f"{r.taken}/{r.seats}")
            for r in staff.roles
        ]
        return [f"{format_date(staff.on, 'full')} — {staff.place}", *_staff_lines(staff), *free]

    return _emit(args, staff, lines)


def rota_signup(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import rota

    with context.transaction() as session:
        rota.sign_up(
            session,
            _on(args),
            args.place,
            args.role,
            args.member,
            actor=context.actor,
            now=context.clock(),
        )
        staff = rota.staffing(session, _on(args), args.place)
    return _emit(args, staff, lambda: _staff_lines(staff))


def rota_leave(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import rota

    with context.transaction() as session:
        rota.leave(
            session,
            _on(args),
            args.place,
            args.role,
            args.member,
            reason=args.reason,
            actor=context.actor,
            now=context.clock(),
        )
        staff = rota.staffing(session, _on(args), args.place)
    return _emit(args, staff, lambda: _staff_lines(staff))


def rota_missing(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import rota

    first = inputs.day(args.first, "--from", default=local_date(context.clock()))
    if args.weeks < 1:
        raise inputs.problem(_("expected a whole number of weeks, 1 or more"), "--weeks")
    with context.transaction(dry_run=True) as session:
        short = rota.short_of_volunteers(session, first, first + timedelta(weeks=args.weeks))

    def lines() -> list[str]:
        if not short:
            return [_("Every distribution has its volunteers.")]
        return [
            ngettext(
                "{date}  {place:<8} {missing} missing ({signed} of {needed})",
                "{date}  {place:<8} {missing} missing ({signed} of {needed})",
                s.missing,
            ).format(
                date=format_date(s.on),
                place=s.place,
                missing=s.missing,
                signed=len(s.volunteers),
                needed=s.needed,
            )
            for s in short
        ]

    return _emit(args, short, lines)


def rota_shares(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import rota

    first, last = inputs.day(args.first, "--from"), inputs.day(args.last, "--to")
    with context.transaction(dry_run=True) as session:
        shares = rota.fair_shares(session, first, last, per_year=args.per_year)

    def lines() -> list[str]:
        out = []
        for line in shares:
            if line.balance > 0:
                state = _("owes {count}").format(count=line.balance)
            elif line.balance < 0:
                state = _("{count} more than the share").format(count=-line.balance)
            else:
                state = _("share done")
            quota = "" if line.quota is None else "  " + _("quota {count}").format(count=line.quota)
            out.append(
                f"{line.member:>5}  {line.name:<32} "
                + _("share {owed}, done {done}: {state}").format(
                    owed=line.owed, done=line.done, state=state
                )
                + quota
            )
        return out

    return _emit(args, [{**s.__dict__, "balance": s.balance} for s in shares], lines)


def _desk_change(context: Context, args: argparse.Namespace, change: str) -> int:
    from coop.amap import desk

    with context.transaction() as session:
        day = desk.load(session, _on(args), args.place)
        now, actor = context.clock(), context.actor
        if change == "tick":
            count = desk.tick(session, day, args.member, actor=actor, now=now)
        elif change == "undo":
            count = desk.undo(session, day, args.member, actor=actor, now=now)
        else:
            count = desk.settle(
                session, day, args.member, args.outcome, keeper=args.keeper, actor=actor, now=now
            )
    return _emit(
        args,
        {"member": args.member, "baskets": count},
        lambda: [_desk_said(change, args, count)],
    )


def _desk_said(change: str, args: argparse.Namespace, count: int) -> str:
    """What the desk did, in a sentence: collected, taken back, given or kept."""
    if change == "tick":
        said = ngettext(
            "{count} basket collected by member {member}.",
            "{count} baskets collected by member {member}.",
            count,
        )
    elif change == "undo":
        said = ngettext(
            "Taken back: {count} basket of member {member} is to collect again.",
            "Taken back: {count} baskets of member {member} are to collect again.",
            count,
        )
    elif args.outcome == "partner":
        said = ngettext(
            "{count} basket of member {member} given to the solidarity partner.",
            "{count} baskets of member {member} given to the solidarity partner.",
            count,
        )
    else:
        said = ngettext(
            "{count} basket of member {member} kept by member {keeper}.",
            "{count} baskets of member {member} kept by member {keeper}.",
            count,
        )
    return said.format(count=count, member=args.member, keeper=getattr(args, "keeper", None))


def desk_tick(context: Context, args: argparse.Namespace) -> int:
    return _desk_change(context, args, "tick")


def desk_undo(context: Context, args: argparse.Namespace) -> int:
    return _desk_change(context, args, "undo")


def desk_settle(context: Context, args: argparse.Namespace) -> int:
    return _desk_change(context, args, "settle")


def desk_find(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import desk

    with context.transaction(dry_run=True) as session:
        day = desk.load(session, _on(args), args.place)
        found = desk.find(session, day, args.text)

    def lines() -> list[str]:
        return ([found.message] if found.message else []) + [
            _household_line(h) for h in found.households
        ]

    return _emit(args, found, lines)


def desk_count(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import desk

    with context.transaction(dry_run=True) as session:
        counts = desk.counts(desk.load(session, _on(args), args.place))
    return _emit(
        args,
        counts,
        lambda: [f"{c.contract:<14} {c.size:<8} {c.collected:>3} / {c.expected}" for c in counts],
    )


def desk_left(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import desk

    with context.transaction(dry_run=True) as session:
        left = desk.no_shows(desk.load(session, _on(args), args.place))
    return _emit(
        args,
        left,
        lambda: [_household_line(h) for h in left] or [_("Every household came.")],
    )


def reminders(context: Context, args: argparse.Namespace) -> int:
    from coop.amap import reminders as found
    from coop.amap import words

    today = inputs.day(args.today, "--today", default=local_date(context.clock()))
    with context.transaction(dry_run=True) as session:
        data = found.reminders(session, today)

    def lines() -> list[str]:
        if not data:
            return [_("Nothing to send on {date}.").format(date=format_date(today))]
        out = []
        for item in data:
            where = item.place or item.contract or ""
            out.append(f"{words.reminder(item.kind)} — {format_date(item.on)} {where}")
            out += [f"  {line}" for line in item.lines]
        return out

    return _emit(args, data, lines)


HANDLERS: dict[tuple[str, str], Handler] = {
    ("distribution", "list"): distribution_list,
    ("distribution", "show"): distribution_show,
    ("distribution", "set"): distribution_set,
    ("rota", "roles"): rota_roles,
    ("rota", "show"): rota_show,
    ("rota", "signup"): rota_signup,
    ("rota", "leave"): rota_leave,
    ("rota", "missing"): rota_missing,
    ("rota", "shares"): rota_shares,
    ("desk", "find"): desk_find,
    ("desk", "tick"): desk_tick,
    ("desk", "undo"): desk_undo,
    ("desk", "count"): desk_count,
    ("desk", "left"): desk_left,
    ("desk", "settle"): desk_settle,
    ("reminders", "list"): reminders,
}
