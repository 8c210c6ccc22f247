"""Subscriptions as a French Excel CSV (``;``, UTF-8 with BOM, decimal comma), in and out.

Most AMAPs keep their subscriptions in a spreadsheet: the same columns go both ways, so a file
exported, edited and imported again works. Unknown columns are an error; every problem names
the file, line and column; the import is all or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop.amap import baskets, lookup, payments, subscriptions
from coop.amap.models import (
    Contract,
    Holder,
    Offer,
    Payment,
    Place,
    Subscription,
    SubscriptionLine,
)
from coop.audit import Actor
from coop.clock import local_date
from coop.csvio import Column, RowReader, format_boolean, read_table, write_table
from coop.errors import InvalidInput, Problem
from coop.members.models import Member
from coop.money import MoneyError, parse_amount

COLUMNS = [
    Column("contract", required=True, aliases=("contrat",)),
    Column("member", required=True, aliases=("adherent", "adhérent", "numero", "numéro")),
    Column("place", required=True, aliases=("lieu",)),
    Column("sizes", required=True, aliases=("paniers", "tailles", "produits")),
    Column("start", aliases=("debut", "début")),
    Column("end", aliases=("fin",)),
    Column("co_holders", aliases=("coadherents", "coadhérents", "co-adhérents")),
    Column("solidarity", aliases=("solidaire",)),
    Column("contribution", aliases=("don_par_distribution",)),
    Column("cheques", aliases=("nombre_de_cheques", "chèques")),
    Column("name", aliases=("nom",)),
    Column("amount", aliases=("montant",)),
    Column("received", aliases=("recu", "reçu")),
    Column("status", aliases=("statut",)),
]
"""``name``, ``amount``, ``received`` and ``status`` are written by the export for people to read;
the import ignores them (the amount is always computed from the deliveries)."""

EXPORT_COLUMNS = [c.name for c in COLUMNS]
_SIZE = re.compile(r"^\s*(?:(\d+)\s*[x×*]?\s*)?([A-Za-z0-9_-]+)\s*$")


def parse_sizes(text: str) -> list[tuple[str, int]]:
    """ "PP", "2 × GP", "1 PP + 1 OEUF6" → [(code, quantity)]."""
    out = []
    for part in re.split(r"[+,]", text):
        if not part.strip():
            continue
        match = _SIZE.match(part)
        if match is None:
            raise ValueError(part)
        out.append((match.group(2).upper(), int(match.group(1) or 1)))
    if not out:
        raise ValueError(text)
    return out


def _members(text: str) -> list[int]:
    return [int(n) for n in re.split(r"[\s,;/]+", text.strip()) if n]


@dataclass
class ImportReport:
    lines: int = 0
    created: int = 0
    waiting: int = 0
    planned: int = 0


def import_subscriptions(
    session: Session, path: Path | str, *, actor: Actor, now: datetime, waiting_list: bool = False
) -> ImportReport:
    """Create one subscription per row; refuse the whole file on the first bad row's problems."""
    table = read_table(path, COLUMNS)
    problems: list[Problem] = []
    report = ImportReport(lines=len(table.rows))
    touched: set[int] = set()
    to_plan: list[tuple[int, int, RowReader]] = []
    for row in table.rows:
        reader = RowReader(table, row, problems)
        before = len(problems)
        member = reader.integer("member", required=True, minimum=1)
        start, end = reader.date("start"), reader.date("end")
        sizes = reader.custom("sizes", parse_sizes, required=True)
        co = reader.custom("co_holders", _members)
        solidarity = reader.boolean("solidarity")
        contribution = reader.custom("contribution", parse_amount) or 0
        cheques = reader.integer("cheques", minimum=1)
        if len(problems) > before or member is None:
            continue
        try:
            sub = subscriptions.subscribe(
                session,
                subscriptions.SubscriptionIn(
                    contract=reader.raw("contract"),
                    member=member,
                    place=reader.raw("place"),
                    lines=sizes,
                    starts_on=start,
                    ends_on=end,
                    co_holders=co or [],
                    solidarity=solidarity,
                    contribution_cents=contribution,
                    waiting_list=waiting_list,
                ),
                actor=actor,
                now=now,
                refresh=False,
            )
        except (InvalidInput, MoneyError) as error:
            found = error.problems if isinstance(error, InvalidInput) else [Problem(str(error))]
            for problem in found:
                column = problem.column if problem.column in table.headers else None
                reader.fail(column or _guess_column(problem.column), problem.message)
            continue
        touched.add(sub.contract_id)
        report.created += sub.status == "active"
        report.waiting += sub.status == "waiting"
        if cheques:
            to_plan.append((sub.id, cheques, reader))
    if problems:
        raise InvalidInput(problems)
    baskets.refresh(session, sorted(touched), today=local_date(now))
    for sub_id, count, reader in to_plan:
        try:
            payments.plan(
                session, lookup.subscription(session, sub_id), count=count, actor=actor, now=now
            )
            report.planned += 1
        except InvalidInput as error:
            for problem in error.problems:
                reader.fail("cheques", problem.message)
    if problems:
        raise InvalidInput(problems)
    return report


def _guess_column(field: str | None) -> str | None:
    return {
        "size": "sizes",
        "quantity": "sizes",
        "co-holder": "co_holders",
        "solidarity": "solidarity",
        "start": "start",
        "end": "end",
    }.get(field or "")


def export_rows(session: Session, contract: str | None = None) -> list[dict[str, Any]]:
    """One row per subscription, in the import's columns (French decimal comma for amounts)."""
    from coop.money import cents_to_decimal

    query = (
        select(
            Subscription,
            Contract.code,
            Member.number,
            Member.first_name,
            Member.last_name,
            Place.code,
        )
        .join(Contract, Contract.id == Subscription.contract_id)
        .join(Member, Member.id == Subscription.member_id)
        .join(Place, Place.id == Subscription.place_id)
        .order_by(Contract.code, Member.number)
    )
    if contract:
        query = query.where(Contract.code == contract.upper())
    rows = session.execute(query).all()
    ids = [row[0].id for row in rows]
    sizes: dict[int, list[str]] = {}
    for sub_id, code, quantity in session.execute(
        select(SubscriptionLine.subscription_id, Offer.code, SubscriptionLine.quantity)
        .join(Offer, Offer.id == SubscriptionLine.offer_id)
        .where(SubscriptionLine.subscription_id.in_(ids))
        .order_by(SubscriptionLine.subscription_id, Offer.id)
    ):
        sizes.setdefault(sub_id, []).append(f"{quantity} {code}")
    holders: dict[int, list[str]] = {}
    for sub_id, number in session.execute(
        select(Holder.subscription_id, Member.number)
        .join(Member, Member.id == Holder.member_id)
        .where(Holder.subscription_id.in_(ids), Holder.position > 0)
        .order_by(Holder.subscription_id, Holder.position)
    ):
        holders.setdefault(sub_id, []).append(str(number))
    received = dict(
        session.execute(
            select(Payment.subscription_id, func.sum(Payment.amount_cents))
            .where(Payment.state.in_(("received", "handed_over")))
            .group_by(Payment.subscription_id)
        ).all()
    )

    def euros(cents: int) -> str:
        return f"{cents_to_decimal(cents):.2f}".replace(".", ",")

    def day(value: date | None) -> str:
        return value.strftime("%d/%m/%Y") if value else ""

    return [
        {
            "contract": code,
            "member": number,
            "place": place,
            "sizes": " + ".join(sizes.get(sub.id, [])),
            "start": day(sub.starts_on),
            "end": day(sub.ends_on),
            "co_holders": ", ".join(holders.get(sub.id, [])),
            "solidarity": format_boolean(sub.solidarity),
            "contribution": euros(sub.contribution_cents) if sub.contribution_cents else "",
            "cheques": "",
            "name": f"{first} {last}",
            "amount": euros(sub.amount_cents),
            "received": euros(int(received.get(sub.id, 0) or 0)),
            "status": sub.status,
        }
        for sub, code, number, first, last, place in rows
    ]


def export_subscriptions(session: Session, stream: IO[str], contract: str | None = None) -> int:
    return write_table(export_rows(session, contract), EXPORT_COLUMNS, stream)
