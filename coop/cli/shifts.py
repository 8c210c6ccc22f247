"""`coop shifts ...` and `coop desk ...`: templates to shifts, bookings, attendance, the daily
run, statuses, leaves, closures, planning help, and the welcome desk check."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from coop.cli import shift_reports as reports
from coop.cli import shift_swaps as swaps
from coop.cli.context import Context, context_from, print_json
from coop.cli.shift_options import clock_time, option_date, required_date, shift_settings
from coop.clock import SHOP_TIMEZONE, local_date
from coop.dates import format_date
from coop.i18n import _


def dispatch(args: argparse.Namespace) -> int:
    context = context_from(args)
    action = args.action
    if action in ("closure", "leave"):
        action = f"{action}-{args.sub}"
    return HANDLERS[action](context, args)


def desk_dispatch(args: argparse.Namespace) -> int:
    context = context_from(args)
    return {"check": reports.desk_check, "grace": reports.desk_grace}[args.action](context, args)


# -- generation, closures --------------------------------------------------------------------


def generate(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.generation import generate as run_generate

    now = context.clock()
    first = option_date(args.first, "--from")
    last = option_date(args.last, "--to")
    assert first is not None and last is not None
    with context.transaction() as session:
        report = run_generate(
            session,
            first=first,
            last=last,
            settings=shift_settings(context),
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
    first = option_date(args.first, "--from")
    last = option_date(args.last, "--to") or first
    assert first is not None and last is not None
    with context.transaction() as session:
        report = add_closure(
            session,
            starts_on=first,
            ends_on=last,
            label=args.label,
            makeups=args.makeups,
            settings=shift_settings(context),
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
        rows: list[dict[str, Any]] = [
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
            settings=shift_settings(context),
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
        start = clock_time(args.start, "--start")
        end = clock_time(args.end, "--end")
        edit_shift(
            session,
            shift_id=args.shift_id,
            starts_at=datetime.combine(shift.day, start, tzinfo=SHOP_TIMEZONE) if start else None,
            ends_at=datetime.combine(shift.day, end, tzinfo=SHOP_TIMEZONE) if end else None,
            seats=args.seats,
            settings=shift_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
    print(_("Shift {id} changed by hand.").format(id=args.shift_id))
    return 0


# -- listing shifts --------------------------------------------------------------------------


def list_shifts(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.planning import shift_rows

    today = local_date(context.clock())
    first = required_date(args.first, "--from", today)
    last = required_date(args.last, "--to", first + timedelta(days=13))
    with context.transaction(dry_run=True) as session:
        rows = shift_rows(session, first, last)
    if args.json:
        print_json([row.as_dict() for row in rows])
        return 0
    if not rows:
        print(_("No shift in that period."))
    for row in rows:
        state = (
            _("cancelled: {reason}").format(reason=row.cancel_reason)
            if row.cancelled
            else _("{taken}/{seats} places taken").format(taken=row.taken, seats=row.seats)
        )
        print(f"{row.shift.id:>6}  {row.shift.text}  — {state}")
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
            settings=shift_settings(context),
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
            settings=shift_settings(context),
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
            settings=shift_settings(context),
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
            settings=shift_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
        from coop.shifts.service import get_shift

        shift_text = words.shift_ref(get_shift(session, args.shift_id))
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
            number=args.member, id=shift_text, state=words.attendance(attendance.state)
        )
    )
    return 0


# -- fixed slots, modes, roles ---------------------------------------------------------------


def hold(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.slots import hold_slot

    now = context.clock()
    first = required_date(args.first, "--from", local_date(now))
    with context.transaction() as session:
        hold_slot(
            session,
            member_number=args.member,
            template_code=args.template,
            starts_on=first,
            role=args.role,
            settings=shift_settings(context),
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
    last = required_date(args.last, "--last-day", local_date(now))
    with context.transaction() as session:
        release_slot(
            session,
            member_number=args.member,
            template_code=args.template,
            last_day=last,
            settings=shift_settings(context),
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
            settings=shift_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
    print(
        _("Member {number} is now {mode}.").format(number=args.member, mode=words.mode(args.mode))
    )
    return 0


def role(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts import words
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
        _("Roles of member {number}: {roles}").format(number=args.member, roles=words.roles(roles))
    )
    return 0


# -- leaves ----------------------------------------------------------------------------------


def leave_add(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.leaves import add_leave

    first = option_date(args.first, "--from")
    last = option_date(args.last, "--to")
    assert first is not None
    with context.transaction() as session:
        add_leave(
            session,
            member_number=args.member,
            kind=args.kind,
            starts_on=first,
            ends_on=last,
            reason=args.reason,
            settings=shift_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
    if last is None:
        said = _("Leave recorded for member {number} from {first}, with no end date.")
    else:
        said = _("Leave recorded for member {number} from {first} to {last}.")
    print(
        said.format(
            number=args.member, first=format_date(first), last=format_date(last) if last else ""
        )
    )
    return 0


def leave_end(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.leaves import end_leave

    now = context.clock()
    back = required_date(args.back, "--back", local_date(now))
    with context.transaction() as session:
        end_leave(
            session,
            member_number=args.member,
            back_on=back,
            settings=shift_settings(context),
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
        rows: list[dict[str, Any]] = [
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
            until=option_date(args.until, "--until"),
            settings=shift_settings(context),
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
            settings=shift_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
    print(
        _("Entry of {delta:+d} on the {counter} of member {number} recorded.").format(
            delta=args.delta, counter=words.counter_name(args.counter), number=args.member
        )
    )
    return 0


HANDLERS: dict[str, Callable[[Context, argparse.Namespace], int]] = {
    "generate": generate,
    "list": list_shifts,
    "book": book,
    "unbook": unbook,
    "stand-in": stand_in,
    "free": swaps.free,
    "swap": swaps.swap,
    "hand-over": swaps.hand_over,
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
    "run": reports.run,
    "status": reports.status,
    "history": reports.history,
    "understaffed": reports.understaffed,
    "load": reports.load,
}
