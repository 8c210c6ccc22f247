"""`coop shifts free`, `coop shifts swap` and `coop shifts hand-over`: the places to book in the
coming weeks, two members exchanging their shifts, a booking given to a stand-in
(``coop.shifts.places``, ``coop.shifts.swaps``)."""

from __future__ import annotations

import argparse

from coop.cli.context import Context, print_json
from coop.cli.shift_options import shift_settings
from coop.i18n import _, ngettext


def free(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts import places, service

    with context.transaction(dry_run=True) as session:
        member_id = None
        if args.member is not None:
            member_id = service.worker(session, args.member).id
        found = places.free_places(
            session, now=context.clock(), weeks=args.weeks, member_id=member_id
        )
    if args.json:
        print_json(
            [
                {
                    "shift": place.shift_id,
                    "starts_at": place.starts_at.isoformat(),
                    "text": place.text,
                    "free": place.free,
                    "seats": place.seats,
                }
                for place in found
            ]
        )
        return 0
    if not found:
        print(_("No free place in the coming weeks."))
    for place in found:
        places_free = ngettext("{free} free place", "{free} free places", place.free).format(
            free=place.free
        )
        print(f"{place.shift_id:>6}  {place.text} — {places_free}")
    return 0


def swap(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.swaps import swap as run_swap

    with context.transaction() as session:
        done = run_swap(
            session,
            first_member=args.member,
            first_shift=args.shift_id,
            second_member=args.other_member,
            second_shift=args.other_shift_id,
            settings=shift_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
    print(done.sentence())
    return 0


def hand_over(context: Context, args: argparse.Namespace) -> int:
    from coop.shifts.swaps import hand_over as run_hand_over

    with context.transaction() as session:
        done = run_hand_over(
            session,
            member_number=args.member,
            shift_id=args.shift_id,
            stand_in_number=args.stand_in,
            settings=shift_settings(context),
            actor=context.actor,
            now=context.clock(),
        )
    print(done.sentence())
    return 0
