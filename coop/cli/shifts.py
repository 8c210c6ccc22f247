"""`coop shifts ...` and `coop desk ...`: templates to shifts, bookings, attendance, the daily
run, statuses, leaves, closures, planning help, and the welcome desk check."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from coop.cli.context import Context, context_from, print_json
from coop.clock import SHOP_TIMEZONE, local_date
from coop.dates import DateError, format_date, parse_date
from coop.errors import InvalidInput, Problem
from coop.i18n import _, ngettext


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except DateError as error:
        raise InvalidInput([Problem(str(error), column=option)]) from error


def _required_date(value: str | None, option: str, default: date) -> date:
    return _date(value, option) or default


def _moment(value: str | None, option: str, default: datetime) -> datetime:
    """``2026-11-21``, ``21/11/2026``, with an optional time ``10:30`` (shop time)."""
    if value is None:
        return default
    text = value.strip().replace("T", " ")
    match = re.fullmatch(r"(\S+)(?:\s+(\d{1,2})[:h](\d{2}))?", text)
    if match is None:
        raise InvalidInput(
            [
                Problem(
                    _("“{text}” is not a date and time (expected 2026-11-21 10:30)").format(
                        text=value
                    ),
                    column=option,
                )
            ]
        )
    day = _date(match.group(1), option)
    assert day is not None
    hour, minute = int(match.group(2) or 0), int(match.group(3) or 0)
    if hour > 23 or minute > 59:
        raise InvalidInput([Problem(_("“{text}” is not a time").format(text=value), column=option)])
    return datetime.combine(day, time(hour, minute), tzinfo=SHOP_TIMEZONE)


def _clock_time(value: str | None, option: str) -> time | None:
    if value is None:
        return None
    from coop.shifts.exchange import parse_time

    try:
        return parse_time(value)
    except ValueError as error:
        raise InvalidInput([Problem(str(error), column=option)]) from error


def dispatch(args: argparse.Namespace) -> int:
    context = context_from(args)
    action = args.action
    if action in ("closure", "leave"):
        action = f"{action}-{args.sub}"
    return HANDLERS[action](context, args)


def desk_dispatch(args: argparse.Namespace) -> int:
    context = context_from(args)
    return {"check": desk_check, "grace": desk_grace}[args.action](context, args)


def _settings(context: Context) -> Any:
    return context.settings.shifts


# -- generation, closures --------------------------------------------------------------------


def generate(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.generation import generate as run_generate

    now = context.clock()
    first = _date(args.first, "--from")
    last = _date(args.last, "--to")
    assert first is not None and last is not None
    with context.transaction() as session:
        report = run_generate(
            session,
            first=first,
            last=last,
            settings=_settings(context),
            actor=context.actor,
            now=now,
        )
    data = {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "created": report.created,
        "updated": report.updated,
        "removed": report.removed,
        "cancelled": report.cancelled,
        "unchanged": report.unchanged,
        "closed": report.closed,
        "holders_booked": report.holders_booked,
    }
    if args.json:
        print_json(data)
        return 0
    from coop.shifts.words import generation_words

    print(generation_words(report, first, last))
    return 0


def closure_add(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.cancelling import add_closure

    now = context.clock()
    first = _date(args.first, "--from")
    last = _date(args.last, "--to") or first
    assert first is not None and last is not None
    with context.transaction() as session:
        report = add_closure(
            session,
            starts_on=first,
            ends_on=last,
            label=args.label,
            makeups=args.makeups,
            settings=_settings(context),
            actor=context.actor,
            now=now,
        )
        data = {
            "id": report.closure.id,
            "from": first.isoformat(),
            "to": last.isoformat(),
            "makeups": report.closure.makeups,
            "shifts_cancelled": report.shifts,
            "bookings": report.bookings,
        }
    if args.json:
        print_json(data)
    else:
        print(
            _(
                "Closed from {first} to {last} ({label}): {shifts} shifts cancelled,"
                " {bookings} bookings handled."
            ).format(
                first=format_date(first),
                last=format_date(last),
                label=args.label,
                shifts=report.shifts,
                bookings=report.bookings,
            )
        )
    return 0


def closure_list(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.cancelling import closures

    with context.transaction(dry_run=True) as session:
        rows = [
            {
                "id": c.id,
                "from": c.starts_on.isoformat(),
                "to": c.ends_on.isoformat(),
                "makeups": c.makeups,
                "label": c.label,
            }
            for c in closures(session)
        ]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print(_("No closure."))
    for row in rows:
        print(
            f"{row['id']:>4}  {format_date(date.fromisoformat(row['from']))}"
            f" – {format_date(date.fromisoformat(row['to']))}  {row['label']}"
        )
    return 0


def cancel(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.cancelling import cancel_shift

    with context.transaction() as session:
        cancel_shift(
            session,
            shift_id=args.shift_id,
            reason=args.reason,
            settings=_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
    print(_("Shift {id} is cancelled.").format(id=args.shift_id))
    return 0


def edit(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts import service
    from coop.shifts.cancelling import edit_shift

    with context.transaction() as session:
        shift = service.get_shift(session, args.shift_id)
        start = _clock_time(args.start, "--start")
        end = _clock_time(args.end, "--end")
        edit_shift(
            session,
            shift_id=args.shift_id,
            starts_at=datetime.combine(shift.day, start, tzinfo=SHOP_TIMEZONE) if start else None,
            ends_at=datetime.combine(shift.day, end, tzinfo=SHOP_TIMEZONE) if end else None,
            seats=args.seats,
            settings=_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
    print(_("Shift {id} changed by hand.").format(id=args.shift_id))
    return 0


# -- listing shifts --------------------------------------------------------------------------


def list_shifts(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.planning import shift_rows

    today = local_date(context.clock())
    first = _required_date(args.first, "--from", today)
    last = _required_date(args.last, "--to", first + timedelta(days=13))
    with context.transaction(dry_run=True) as session:
        rows = shift_rows(session, first, last)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print(_("No shift in that period."))
    for row in rows:
        state = (
            _("cancelled: {reason}").format(reason=row["cancel_reason"])
            if row["cancelled"]
            else _("{taken}/{seats} places taken").format(taken=row["taken"], seats=row["seats"])
        )
        print(f"{row['id']:>6}  {row['text']}  — {state}")
    return 0


# -- bookings --------------------------------------------------------------------------------


def book(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.booking import book as run_book
    from coop.shifts.desk import describe_shift

    with context.transaction() as session:
        result = run_book(
            session,
            member_number=args.member,
            shift_id=args.shift_id,
            settings=_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
        data = {
            "member": args.member,
            "shift": describe_shift(result.shift),
            "attendance": result.attendance.id,
            "kind": result.attendance.kind,
            "took_over_from": result.took_over_from,
        }
    if args.json:
        print_json(data)
        return 0
    print(
        _("Member {number} is booked on {shift}.").format(
            number=args.member, shift=data["shift"]["text"]
        )
    )
    if result.took_over_from is not None:
        print(
            _(
                "They take over the place of member {number}, who was looking for a stand-in."
            ).format(number=result.took_over_from)
        )
    return 0


def unbook(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.booking import unbook as run_unbook

    with context.transaction() as session:
        run_unbook(
            session,
            member_number=args.member,
            shift_id=args.shift_id,
            staff=args.staff,
            reason=args.reason,
            settings=_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
    print(
        _("The booking of member {number} on shift {id} is cancelled.").format(
            number=args.member, id=args.shift_id
        )
    )
    return 0


def stand_in(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.booking import seek_stand_in

    with context.transaction() as session:
        seek_stand_in(
            session,
            member_number=args.member,
            shift_id=args.shift_id,
            staff=args.staff,
            settings=_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
    print(
        _(
            "Member {number} is looking for a stand-in on shift {id}: whoever books it takes"
            " their place."
        ).format(number=args.member, id=args.shift_id)
    )
    return 0


def attend(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts import words
    from coop.shifts.attendance import mark

    with context.transaction() as session:
        attendance = mark(
            session,
            shift_id=args.shift_id,
            member_number=args.member,
            state=args.state,
            walk_in=args.walk_in,
            note=args.note,
            settings=_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
        data = {
            "shift": args.shift_id,
            "member": args.member,
            "attendance": attendance.id,
            "kind": attendance.kind,
            "state": attendance.state,
        }
    if args.json:
        print_json(data)
        return 0
    print(
        _("Member {number}, shift {id}: {state}.").format(
            number=args.member, id=args.shift_id, state=words.attendance(attendance.state)
        )
    )
    return 0


# -- fixed slots, modes, roles ---------------------------------------------------------------


def hold(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.slots import hold_slot

    now = context.clock()
    first = _required_date(args.first, "--from", local_date(now))
    with context.transaction() as session:
        hold_slot(
            session,
            member_number=args.member,
            template_code=args.template,
            starts_on=first,
            role=args.role,
            settings=_settings(context),
            actor=context.actor,
            now=now,
        )
    print(
        _("Member {number} holds a place in {code} from {date}.").format(
            number=args.member, code=args.template, date=format_date(first)
        )
    )
    return 0


def release(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.slots import release_slot

    now = context.clock()
    last = _required_date(args.last, "--last-day", local_date(now))
    with context.transaction() as session:
        release_slot(
            session,
            member_number=args.member,
            template_code=args.template,
            last_day=last,
            settings=_settings(context),
            actor=context.actor,
            now=now,
        )
    print(
        _("Member {number} leaves {code} after {date}.").format(
            number=args.member, code=args.template, date=format_date(last)
        )
    )
    return 0


def mode(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts import words
    from coop.shifts.policy import WorkMode
    from coop.shifts.slots import set_mode

    with context.transaction() as session:
        set_mode(
            session,
            member_number=args.member,
            mode=WorkMode(args.mode),
            settings=_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
    print(
        _("Member {number} is now {mode}.").format(number=args.member, mode=words.mode(args.mode))
    )
    return 0


def role(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.slots import set_skill

    with context.transaction() as session:
        roles = set_skill(
            session,
            member_number=args.member,
            role=args.role,
            remove=args.remove,
            actor=context.actor,
            now=context.clock(),
        )
    print(
        _("Roles of member {number}: {roles}").format(
            number=args.member, roles=", ".join(roles) or "—"
        )
    )
    return 0


# -- leaves ----------------------------------------------------------------------------------


def leave_add(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.leaves import add_leave

    first = _date(args.first, "--from")
    last = _date(args.last, "--to")
    assert first is not None
    with context.transaction() as session:
        add_leave(
            session,
            member_number=args.member,
            kind=args.kind,
            starts_on=first,
            ends_on=last,
            reason=args.reason,
            settings=_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
    until = format_date(last) if last else _("no end date")
    print(
        _("Leave recorded for member {number} from {first} ({until}).").format(
            number=args.member, first=format_date(first), until=until
        )
    )
    return 0


def leave_end(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.leaves import end_leave

    now = context.clock()
    back = _required_date(args.back, "--back", local_date(now))
    with context.transaction() as session:
        end_leave(
            session,
            member_number=args.member,
            back_on=back,
            settings=_settings(context),
            actor=context.actor,
            now=now,
        )
    print(
        _("Member {number} is back from {date}.").format(number=args.member, date=format_date(back))
    )
    return 0


def leave_list(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts import service
    from coop.shifts.leaves import leaves_of

    with context.transaction(dry_run=True) as session:
        member = service.worker(session, args.member)
        rows = [
            {
                "kind": leave.kind,
                "from": leave.starts_on.isoformat(),
                "to": leave.ends_on.isoformat() if leave.ends_on else None,
                "reason": leave.reason,
                "cancelled": leave.cancelled,
            }
            for leave in leaves_of(session, member.id)
        ]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print(_("No leave."))
    for row in rows:
        print(f"{row['kind']:<10} {row['from']} – {row['to'] or '…'}  {row['reason'] or ''}")
    return 0


def extend(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.desk import grant_extension

    with context.transaction() as session:
        extension = grant_extension(
            session,
            member_number=args.member,
            reason=args.reason,
            until=_date(args.until, "--until"),
            settings=_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
        end = extension.ends_on
    print(
        _("Member {number} has until {date} to make up their shifts.").format(
            number=args.member, date=format_date(end)
        )
    )
    return 0


def adjust(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts import words
    from coop.shifts.service import manual_entry

    with context.transaction() as session:
        manual_entry(
            session,
            member_number=args.member,
            counter=args.counter,
            delta=args.delta,
            reason=args.reason,
            settings=_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
    print(
        _("Entry of {delta:+d} on the {counter} of member {number} recorded.").format(
            delta=args.delta, counter=words.counter_name(args.counter), number=args.member
        )
    )
    return 0


# -- the daily run, statuses, history --------------------------------------------------------


def run(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.service import run as run_day

    now = context.clock()
    today = _required_date(args.today, "--today", local_date(now))
    with context.transaction() as session:
        report = run_day(
            session, today=today, settings=_settings(context), actor=context.actor, now=now
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
    }
    if args.json:
        print_json(data)
        return 0
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


def status(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts import service, words
    from coop.shifts.policy import Status

    now = context.clock()
    at = _required_date(args.at, "--at", local_date(now))
    settings = _settings(context)
    with context.transaction(dry_run=True) as session:
        if args.member is not None:
            member = service.worker(session, args.member)
            found = service.status_on(session, settings, member, at)
            rows = []
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
                f"  {row['counters']}"
            )
    return 0


def history(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts import service, words

    with context.transaction(dry_run=True) as session:
        member = service.worker(session, args.member)
        rows = [
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
    from coop.shifts.desk import describe_shift
    from coop.shifts.planning import understaffed as find
    from coop.shifts.service import get_shift

    with context.transaction(dry_run=True) as session:
        found = find(session, now=context.clock(), days=args.days)
        rows = [
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
            missing = _("missing: {roles}").format(roles=", ".join(row["missing_roles"]))
            line += f"  ({missing})"
        print(line)
    return 0


def load(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.planning import load as report_load

    today = local_date(context.clock())
    first = _required_date(args.first, "--from", today - timedelta(days=90))
    last = _required_date(args.last, "--to", today)
    with context.transaction(dry_run=True) as session:
        report = report_load(session, first=first, last=last, settings=_settings(context))
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

    at = _moment(args.at, "--at", context.clock())
    with context.transaction(dry_run=True) as session:
        result = check(session, args.query, at=at, settings=_settings(context))
        data = result.as_dict()
    if args.json:
        print_json(data)
        return 0
    verdict = _("MAY SHOP") if data["can_shop"] else _("MAY NOT SHOP")
    print(f"{data['member']['number']}  {data['member']['name']} — {verdict}")
    if not data["shopper"]["main"]:
        print(
            _("{name} shops on the status of member {number}.").format(
                name=data["shopper"]["name"], number=data["member"]["number"]
            )
        )
    print(_("Status: {status}").format(status=data["status_text"]))
    for reason in data["reasons"]:
        print(f"  ✗ {reason['text']}")
    for warning in data["warnings"]:
        print(f"  ! {warning['text']}")
    print(f"  {data['counters_text']}")
    if data["next_shift"]:
        print(_("Next shift: {shift}").format(shift=data["next_shift"]["text"]))
    others = [m for m in data["household"] if m["number"] != data["member"]["number"]]
    if others:
        print(
            _("Household: {people}").format(
                people=", ".join(f"{m['number']} {m['name']}" for m in others)
            )
        )
    if data["grace_possible"]:
        print(
            _("A grace delay can be given: coop desk grace {number} --reason …").format(
                number=data["member"]["number"]
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
            settings=_settings(context),
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


HANDLERS: dict[str, Callable[[Context, argparse.Namespace], int]] = {
    "generate": generate,
    "list": list_shifts,
    "book": book,
    "unbook": unbook,
    "stand-in": stand_in,
    "attend": attend,
    "cancel": cancel,
    "edit": edit,
    "closure-add": closure_add,
    "closure-list": closure_list,
    "hold": hold,
    "release": release,
    "mode": mode,
    "role": role,
    "leave-add": leave_add,
    "leave-end": leave_end,
    "leave-list": leave_list,
    "extend": extend,
    "adjust": adjust,
    "run": run,
    "status": status,
    "history": history,
    "understaffed": understaffed,
    "load": load,
}
