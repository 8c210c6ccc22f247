"""`coop members show|search|export-data|erase|card-lost`."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from coop.cli.context import Context, context_from, print_json
from coop.dates import format_date
from coop.errors import CoopError
from coop.i18n import _
from coop.members import service
from coop.members.models import Member
from coop.members.service import FoundBy
from coop.members.words import card_end_words


def dispatch(args: argparse.Namespace) -> int:
    from coop.cli.members_parsers import ADMIN_ACTIONS

    if args.action in ADMIN_ACTIONS:
        from coop.cli import members_admin

        return members_admin.dispatch(args)
    context = context_from(args)
    return {
        "show": show,
        "search": search,
        "export-data": export_data,
        "erase": erase,
        "card-lost": card_lost,
    }[args.action](context, args)


def describe(session: Session, member: Member) -> dict[str, Any]:
    card = service.active_card(session, member)
    return {
        "number": member.number,
        "name": member.full_name,
        "email": member.email,
        "phone": member.phone,
        "category": member.category.code,
        "joined_on": member.joined_on.isoformat(),
        "left_on": member.left_on.isoformat() if member.left_on else None,
        "card": card.barcode if card else None,
        "household": [
            {"number": m.number, "name": m.full_name, "main": m.main_member_id is None}
            for m in service.household(session, member)
        ],
    }


def show(context: Context, args: argparse.Namespace) -> int:
    from coop.staff.gates import personal_data

    with context.transaction(dry_run=True) as session:
        personal_data(context.actor, entity_id=args.query)
        found = service.find(session, args.query)
        if found.by is FoundBy.NAME:
            raise CoopError(
                _("Give a member number or a card; to search by name use `coop members search`.")
            )
        member = found.members[0]
        data = describe(session, member)
        if found.card is not None and found.card.ended_on is not None:
            data["scanned_card_ended"] = {
                "on": found.card.ended_on.isoformat(),
                "reason": found.card.end_reason,
            }
    if args.json:
        print_json(data)
        return 0
    print(f"{data['number']}  {data['name']}")
    print(_("Joined on {date}").format(date=format_date(date.fromisoformat(data["joined_on"]))))
    if data["left_on"]:
        print(_("Left on {date}").format(date=format_date(date.fromisoformat(data["left_on"]))))
    print(_("Card: {card}").format(card=data["card"] or _("none")))
    if "scanned_card_ended" in data:
        print(
            _("Warning: the scanned card no longer works ({reason}).").format(
                reason=card_end_words(data["scanned_card_ended"]["reason"])
            )
        )
    others = [m for m in data["household"] if m["number"] != data["number"]]
    if others:
        print(
            _("Household: {people}").format(
                people=", ".join(f"{m['number']} {m['name']}" for m in others)
            )
        )
    return 0


def search(context: Context, args: argparse.Namespace) -> int:
    with context.transaction(dry_run=True) as session:
        found = service.find(session, args.query, limit=args.limit)
        rows = [{"number": m.number, "name": m.full_name, "city": m.city} for m in found.members]
    if args.json:
        print_json(rows)
    elif not rows:
        print(_("No member found."))
    else:
        for row in rows:
            print(f"{row['number']:>6}  {row['name']}  {row['city'] or ''}".rstrip())
    return 0


def export_data(context: Context, args: argparse.Namespace) -> int:
    from coop import personal_data as privacy  # every context's section: loaded only here
    from coop.staff.gates import personal_data

    with context.transaction(dry_run=True) as session:
        personal_data(context.actor, entity_id=args.number)
        member = service.get_by_number(session, args.number)
        data = privacy.export_personal_data(session, member)
    if args.out:
        from coop.cli.data import _output

        with _output(args.out, "json") as stream:
            json.dump(data, stream, ensure_ascii=False, indent=2, default=str)
            stream.write("\n")
        print(
            _("Personal data of member {number} written to {path}.").format(
                number=args.number, path=args.out
            )
        )
    else:
        print_json(data)
    return 0


def erase(context: Context, args: argparse.Namespace) -> int:
    from coop import personal_data as privacy

    if not args.yes:
        if not sys.stdin.isatty():
            raise CoopError(_("Erasing cannot be undone: add --yes to confirm."))
        answer = input(
            _("Erase the personal data of member {number}? This cannot be undone. [y/N] ").format(
                number=args.number
            )
        )
        if answer.strip().lower() not in {"y", "yes", "o", "oui"}:
            print(_("Nothing was changed."))
            return 0
    with context.transaction() as session:
        member = service.get_by_number(session, args.number)
        privacy.erase_member(session, member, actor=context.actor, now=context.clock())
    print(_("The personal data of member {number} was erased.").format(number=args.number))
    return 0


def card_lost(context: Context, args: argparse.Namespace) -> int:
    with context.transaction() as session:
        member = service.get_by_number(session, args.number)
        card = service.replace_lost_card(
            session,
            member,
            actor=context.actor,
            now=context.clock(),
            settings=context.settings.members,
        )
        barcode = card.barcode
    if args.json:
        print_json({"number": args.number, "card": barcode})
    else:
        print(
            _("The lost card is blocked; new card for member {number}: {card}").format(
                number=args.number, card=barcode
            )
        )
    return 0
