"""Subscriptions and contracts as French Excel CSV (``;``, UTF-8 with BOM, decimal comma).

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
from coop.amap.words import subscription_status
from coop.audit import Actor
from coop.clock import local_date
from coop.csvio import Column, RowReader, format_boolean, read_table, write_table
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.members.models import Member
from coop.money import MoneyError, parse_amount

SUBSCRIBERS_LIMIT = 10_000
"""The most subscribers a contract may be limited to (a CSV's ``max``); beyond it, a typo."""

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
    rows = [
        {**row, "status": subscription_status(row["status"])}  # for people: the status in words
        for row in export_rows(session, contract)
    ]
    return write_table(rows, EXPORT_COLUMNS, stream)


CONTRACT_COLUMNS = [
    Column("contract", required=True, aliases=("contrat",)),
    Column("name", aliases=("nom",)),
    Column("producer", aliases=("producteur",)),
    Column("kind", aliases=("type",)),
    Column("start", aliases=("debut", "début")),
    Column("end", aliases=("fin",)),
    Column("places", aliases=("lieux",)),
    Column("cheques", aliases=("chèques", "nombres_de_cheques")),
    Column("strategy", aliases=("repartition", "répartition")),
    Column("cashing", aliases=("encaissements",)),
    Column("size", required=True, aliases=("taille", "produit", "code")),
    Column("label", required=True, aliases=("libelle", "libellé")),
    Column("price", required=True, aliases=("prix",)),
    Column("vat", aliases=("tva",)),
    Column("unit", aliases=("unite", "unité")),
    Column("parts"),
    Column("max", aliases=("maximum",)),
    Column("solidarity_price", aliases=("prix_solidaire",)),
]
"""One row per size or product; the contract's own columns are read from its first row."""

_CONTRACT_FIELDS = ("name", "producer", "kind", "start", "end", "places", "cheques", "strategy")


def _codes(text: str) -> list[str]:
    return [part.strip().upper() for part in re.split(r"[,;/ ]+", text) if part.strip()]


def _dates(text: str) -> list[date]:
    from coop.dates import parse_date

    return [parse_date(part) for part in re.split(r"[,; ]+", text) if part.strip()]


def _vat(text: str) -> int:
    from coop.money import parse_rate, rate_to_bp

    return rate_to_bp(parse_rate(text))


def import_contracts(
    session: Session, path: Path | str, *, actor: Actor, now: datetime
) -> list[str]:
    """Create the contracts of a file (one row per size); returns their codes. All or nothing."""
    from decimal import Decimal

    from coop.amap.contracts import ContractIn, OfferIn, create_contract
    from coop.amap.rules import ContractKind, SplitStrategy

    table = read_table(path, CONTRACT_COLUMNS)
    problems: list[Problem] = []
    heads: dict[str, tuple[RowReader, dict[str, Any]]] = {}
    offers: dict[str, list[OfferIn]] = {}
    for row in table.rows:
        reader = RowReader(table, row, problems)
        code = (reader.text("contract", required=True, max_length=32) or "").upper()
        if code not in heads:
            head = {
                "name": reader.text("name", required=True),
                "producer": reader.text("producer", required=True, max_length=32),
                "kind": reader.choice("kind", [k.value for k in ContractKind]) or "fixed",
                "start": reader.date("start", required=True),
                "end": reader.date("end", required=True),
                "places": reader.custom("places", _codes, required=True),
                "cheques": reader.custom("cheques", lambda t: [int(n) for n in _codes(t)]),
                "strategy": reader.choice("strategy", [s.value for s in SplitStrategy]),
                "cashing": reader.custom("cashing", _dates) or [],
            }
            heads[code] = (reader, head)
        else:
            for column in _CONTRACT_FIELDS:
                if (
                    reader.raw(column)
                    and column in table.columns
                    and reader.raw(column) != heads[code][0].raw(column)
                ):
                    reader.fail(column, _("differs from the contract's first row"))
        parts = reader.custom("parts", lambda t: int(Decimal(t.replace(",", ".")) * 100))
        offers.setdefault(code, []).append(
            OfferIn(
                code=(reader.text("size", required=True, max_length=16) or "").upper(),
                label=reader.text("label", required=True) or "",
                price_cents=reader.custom("price", parse_amount, required=True) or 0,
                vat_bp=reader.custom("vat", _vat) if reader.raw("vat") else 550,
                unit=reader.text("unit", max_length=12) or "piece",
                parts_pct=parts,
                max_subscribers=reader.integer("max", minimum=1, maximum=SUBSCRIBERS_LIMIT),
                solidarity_price_cents=reader.custom("solidarity_price", parse_amount),
            )
        )
    if problems:
        raise InvalidInput(problems)
    created = []
    for code, (reader, head) in heads.items():
        try:
            contract = create_contract(
                session,
                ContractIn(
                    code=code,
                    name=head["name"],
                    producer=head["producer"],
                    kind=ContractKind(head["kind"]),
                    season_start=head["start"],
                    season_end=head["end"],
                    places=head["places"],
                    offers=offers[code],
                    cheque_counts=head["cheques"] or [1, 2, 3],
                    strategy=SplitStrategy(head["strategy"] or "amapress"),
                    cashing_dates=head["cashing"],
                ),
                actor=actor,
                now=now,
            )
        except InvalidInput as error:
            for problem in error.problems:
                reader.fail(
                    problem.column if problem.column in table.headers else None, problem.message
                )
            continue
        created.append(contract.code)
    if problems:
        raise InvalidInput(problems)
    return created
