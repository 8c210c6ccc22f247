"""`coop shifts run|status|history|understaffed|load` and `coop desk check|grace`: the daily
run, statuses and the ledger, planning help, and the welcome desk (the other `coop shifts`
actions are in ``coop.cli.shifts``, which dispatches to these)."""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from typing import Any

from coop.cli.context import Context, print_json
from coop.cli.shift_options import moment, required_date, shift_settings
from coop.clock import SHOP_TIMEZONE, local_date
from coop.dates import format_date
from coop.i18n import _, ngettext

# -- the daily run, statuses, history --------------------------------------------------------


def run(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.daily import run as run_day  # not the whole service: a shorter start

    now = context.clock()
    today = required_date(args.today, "--today", local_date(now))
    with context.transaction() as session:
        report = run_day(
            session, today=today, settings=shift_settings(context), actor=context.actor, now=now
        )
    data = {
        "today": today.isoformat(),
        "members": report.members,
        "enrolled": report.enrolled,
        "cycles": report.cycles,
        "entries": report.entries,
        "changed": report.changed,
        "skipped": report.skipped,
        "statuses": report.statuses,
        "actions": report.actions,
        "already_run_at": report.already.at.isoformat() if report.already else None,
    }
    if args.json:
        print_json(data)
        return 0
    if report.already is not None:  # a second run, or the loser of two at once: nothing more
        print(
            _("The daily run for {date} was already done at {time} by {actor}.").format(
                date=format_date(today),
                time=report.already.at.astimezone(SHOP_TIMEZONE).strftime("%H:%M"),
                actor=report.already.actor,
            )
        )
    print(
        _(
            "Daily run for {date}: {members} members, {cycles} cycle starts applied,"
            " {changed} changed."
        ).format(
            date=format_date(today),
            members=report.members,
            cycles=report.cycles,
            changed=report.changed,
        )
    )
    return 0


def counters_text(counters: dict[str, int]) -> str:
    """A member's counters in words ("standard : -2 · volant : 0"), never a Python dict."""
    from coop.shifts import words

    return " · ".join(
        _("{label}: {count}").format(label=words.counter_name(code), count=value)
        for code, value in counters.items()
    )


def status(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts import service, words
    from coop.shifts.policy import Status

    now = context.clock()
    at = required_date(args.at, "--at", local_date(now))
    settings = shift_settings(context)
    with context.transaction(dry_run=True) as session:
        if args.member is not None:
            member = service.worker(session, args.member)
            found = service.status_on(session, settings, member, at)
            rows: list[dict[str, Any]] = []
            if found is not None:
                value, state = found
                rows.append(
                    {
                        "number": member.number,
                        "name": member.full_name,
                        "mode": state.mode.value,
                        "status": value.value,
                        "can_shop": settings.policy.can_shop(value),
                        "counters": {
                            c.value: state.counters.get(c) for c in settings.policy.counters
                        },
                    }
                )
        else:
            rows = [
                {
                    "number": row.number,
                    "name": row.name,
                    "mode": row.mode,
                    "status": row.status.value,
                    "can_shop": row.can_shop,
                    "counters": row.counters,
                }
                for row in service.statuses(session, at=at, settings=settings)
            ]
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["status"]] = totals.get(row["status"], 0) + 1
    if args.json:
        print_json({"at": at.isoformat(), "totals": totals, "members": rows})
        return 0
    print(_("Statuses on {date}:").format(date=format_date(at)))
    for code, count in sorted(totals.items()):
        print("  " + _("{label}: {count}").format(label=words.status(Status(code)), count=count))
    if args.member is not None or args.all:
        for row in rows:
            print(
                f"{row['number']:>6}  {row['name']:<32} {words.status(Status(row['status']))}"
                f"  {counters_text(row['counters'])}"
            )
    return 0


def history(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts import service, words

    with context.transaction(dry_run=True) as session:
        member = service.worker(session, args.member)
        rows: list[dict[str, Any]] = [
            {
                "day": entry.day.isoformat(),
                "counter": entry.counter,
                "delta": entry.delta,
                "kind": entry.kind,
                "detail": entry.detail,
                "text": words.entry(entry.kind, entry.detail),
                "note": entry.note,
                "by": entry.actor,
            }
            for entry in service.ledger_of(session, member.id)
        ]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print(_("No entry yet."))
    for row in rows:
        print(
            f"{format_date(date.fromisoformat(row['day']))}  {row['delta']:+d}"
            f"  {words.counter_name(row['counter'])}  {row['text']}"
            + (f" — {row['note']}" if row["note"] else "")
        )
    return 0


# -- planning --------------------------------------------------------------------------------


def understaffed(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts import words
    from coop.shifts.desk import describe_shift
    from coop.shifts.planning import understaffed as find
    from coop.shifts.service import get_shift

    with context.transaction(dry_run=True) as session:
        found = find(session, now=context.clock(), days=args.days)
        rows: list[dict[str, Any]] = [
            {
                **describe_shift(get_shift(session, item.shift_id)),
                "seats": item.seats,
                "taken": item.taken,
                "free": item.free,
                "missing_roles": list(item.missing_roles),
            }
            for item in found
        ]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print(_("Every shift of the next {days} days is fully staffed.").format(days=args.days))
    for row in rows:
        free = ngettext(
            "{free} free place of {seats}", "{free} free places of {seats}", row["free"]
        ).format(free=row["free"], seats=row["seats"])
        line = f"{row['id']:>6}  {row['text']}  {free}"
        if row["missing_roles"]:
            missing = _("missing: {roles}").format(roles=words.roles(row["missing_roles"]))
            line += f"  ({missing})"
        print(line)
    return 0


def load(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.planning import load as report_load

    today = local_date(context.clock())
    first = required_date(args.first, "--from", today - timedelta(days=90))
    last = required_date(args.last, "--to", today)
    with context.transaction(dry_run=True) as session:
        report = report_load(session, first=first, last=last, settings=shift_settings(context))
    data = {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "shifts_worked": report.shifts_worked,
        "workers": report.workers,
        "members_due": report.members_due,
        "top_tenth_share": report.top_tenth_share,
        "above_due": report.above_due,
        "below_due": report.below_due,
        "concentrated": report.concentrated,
    }
    if args.json:
        print_json(data)
        return 0
    print(
        _(
            "From {first} to {last}: {shifts} shifts worked by {workers} members; the most"
            " active 10 % did {share} % of them."
        ).format(
            first=format_date(first),
            last=format_date(last),
            shifts=report.shifts_worked,
            workers=report.workers,
            share=round(report.top_tenth_share * 100),
        )
    )
    print(
        ngettext(
            "{above} member did far more than their due, {below} far less.",
            "{above} members did far more than their due, {below} far less.",
            len(report.above_due),
        ).format(above=len(report.above_due), below=len(report.below_due))
    )
    for item in report.concentrated:
        print(
            _("Template {code} rests on few people: {share} % of it done by members {who}.").format(
                code=item["template"],
                share=round(float(item["top_two_share"]) * 100),  # type: ignore[arg-type]
                who=", ".join(str(n) for n in item["top_two"]),  # type: ignore[attr-defined]
            )
        )
    return 0


# -- the desk --------------------------------------------------------------------------------


def desk_check(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.desk import check

    at = moment(args.at, "--at", context.clock())
    with context.transaction(dry_run=True) as session:
        result = check(
            session,
            args.query,
            at=at,
            settings=shift_settings(context),
            membership=context.settings.membership,
        )
    if args.json:
        print_json(result.as_dict())
        return 0
    member, shopper = result.member, result.shopper
    verdict = _("MAY SHOP") if result.can_shop else _("MAY NOT SHOP")
    print(f"{member.number}  {member.name} — {verdict}")
    if not shopper.main:
        print(
            _("{name} shops on the status of member {number}.").format(
                name=shopper.name, number=member.number
            )
        )
    if result.left_on is not None:
        print(f"  {result.status_text}")
        return 0
    print(_("Status: {status}").format(status=result.status_text))
    for reason in result.reasons:
        print(f"  ✗ {reason.text}")
    for warning in result.warnings:
        print(f"  ! {warning.text}")
    print(f"  {result.counters_text}")
    if result.next_shift:
        print(_("Next shift: {shift}").format(shift=result.next_shift.text))
    others = [m for m in result.household if m.number != member.number]
    if others:
        print(
            _("Household: {people}").format(
                people=", ".join(f"{m.number} {m.name}" for m in others)
            )
        )
    if result.grace_possible:
        print(
            _("A grace delay can be given: coop desk grace {number} --reason …").format(
                number=member.number
            )
        )
    return 0


def desk_grace(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.desk import grant_grace

    with context.transaction() as session:
        extension = grant_grace(
            session,
            member_number=args.member,
            reason=args.reason,
            settings=shift_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
        data = {
            "member": args.member,
            "from": extension.starts_on.isoformat(),
            "until": extension.ends_on.isoformat(),
            "reason": extension.reason,
        }
    if args.json:
        print_json(data)
        return 0
    print(
        _("Grace given to member {number} until {date}: they may shop meanwhile.").format(
            number=args.member, date=format_date(date.fromisoformat(data["until"]))
        )
    )
    return 0
