"""Use cases for places and contracts: create, offer (sizes/products), referents, cashing
dates, and renewal onto the next season."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from coop import audit
from coop.amap import lookup, rules
from coop.amap.lookup import fail
from coop.amap.models import CashingDate, Contract, ContractPlace, Delivery, Offer, Place, Referent
from coop.audit import Actor
from coop.catalog.models import Producer
from coop.i18n import _
from coop.members.models import Member


@dataclass(frozen=True)
class OfferIn:
    code: str
    label: str
    price_cents: int
    vat_bp: int = 550
    unit: str = "piece"
    parts_pct: int | None = None
    max_subscribers: int | None = None
    solidarity_price_cents: int | None = None


@dataclass(frozen=True)
class ContractIn:
    code: str
    name: str
    producer: str
    kind: rules.ContractKind
    season_start: date
    season_end: date
    places: list[str]
    offers: list[OfferIn]
    referents: list[int] = field(default_factory=list)
    max_subscribers: int | None = None
    cheque_counts: list[int] = field(default_factory=lambda: [1, 2, 3])
    strategy: rules.SplitStrategy = rules.SplitStrategy.AMAPRESS
    percentages: str | None = None
    min_cheque_cents: int = 0
    max_absences: int = 0
    absence_from: date | None = None
    absence_to: date | None = None
    deadline_weekday: int | None = None
    partner: str | None = None
    min_order_cents: int = 0
    min_season_cents: int = 0
    cashing_dates: list[date] = field(default_factory=list)


def create_place(
    session: Session,
    *,
    code: str,
    name: str,
    address: str | None,
    hours: str | None,
    actor: Actor,
    now: datetime,
) -> Place:
    code = code.strip().upper()
    if not code:
        fail(_("a place needs a code"), "code")
    if session.scalar(select(Place.id).where(Place.code == code)) is not None:
        fail(_("a place with the code “{code}” already exists").format(code=code), "code")
    place = Place(code=code, name=name.strip(), address=address, hours=hours)
    session.add(place)
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="amap.place.create",
        entity="amap_place",
        entity_id=place.id,
        after={"code": code, "name": name, "address": address, "hours": hours},
    )
    return place


def _validate(session: Session, data: ContractIn) -> Producer:
    producer = session.scalar(select(Producer).where(Producer.code == data.producer.upper()))
    if producer is None:
        fail(_("no producer has the code “{code}”").format(code=data.producer), "producer")
    if not data.code.strip():
        fail(_("a contract needs a code"), "code")
    if session.scalar(select(Contract.id).where(Contract.code == data.code.upper())) is not None:
        fail(_("a contract with the code “{code}” already exists").format(code=data.code), "code")
    if data.season_end < data.season_start:
        fail(_("the season ends before it starts"), "end")
    if not data.places:
        fail(_("a contract is delivered to at least one place"), "place")
    if not data.offers:
        fail(_("a contract offers at least one size or product"), "size")
    codes = [offer.code.upper() for offer in data.offers]
    if len(set(codes)) != len(codes):
        fail(_("two sizes or products share a code"), "size")
    if not data.cheque_counts or min(data.cheque_counts) < 1:
        fail(_("the allowed numbers of cheques are whole numbers from 1"), "cheques")
    if data.percentages:
        try:
            rules.parse_percentages(data.percentages)
        except ValueError:
            fail(
                _(
                    "“{text}” is not a split (expected 3:50,25,25 — one list per cheque count)"
                ).format(text=data.percentages),
                "percentages",
            )
    outside = rules.outside_season(
        data.cashing_dates, data.season_start, data.season_end + timedelta(days=90)
    )
    if outside:
        fail(_("cashing date {date} is outside the season").format(date=outside[0]), "cashing")
    return producer


def create_contract(session: Session, data: ContractIn, *, actor: Actor, now: datetime) -> Contract:
    producer = _validate(session, data)
    places = [lookup.place(session, code) for code in data.places]
    referents = [lookup.member(session, number, "referent") for number in data.referents]
    contract = Contract(
        code=data.code.strip().upper(),
        name=data.name.strip(),
        producer_id=producer.id,
        kind=data.kind.value,
        season_start=data.season_start,
        season_end=data.season_end,
        max_subscribers=data.max_subscribers,
        cheque_counts=",".join(str(n) for n in sorted(set(data.cheque_counts))),
        strategy=data.strategy.value,
        percentages=data.percentages,
        min_cheque_cents=data.min_cheque_cents,
        max_absences=data.max_absences,
        absence_from=data.absence_from,
        absence_to=data.absence_to,
        deadline_weekday=data.deadline_weekday,
        partner=data.partner,
        min_order_cents=data.min_order_cents,
        min_season_cents=data.min_season_cents,
        created_at=now,
        updated_at=now,
    )
    session.add(contract)
    session.flush()
    session.execute(
        insert(ContractPlace), [{"contract_id": contract.id, "place_id": p.id} for p in places]
    )
    if referents:
        session.execute(
            insert(Referent), [{"contract_id": contract.id, "member_id": m.id} for m in referents]
        )
    session.execute(
        insert(Offer),
        [
            {
                "contract_id": contract.id,
                "code": o.code.strip().upper(),
                "label": o.label,
                "price_cents": o.price_cents,
                "vat_bp": o.vat_bp,
                "unit": o.unit,
                "parts_pct": o.parts_pct,
                "max_subscribers": o.max_subscribers,
                "solidarity_price_cents": o.solidarity_price_cents,
            }
            for o in data.offers
        ],
    )
    set_cashing_dates(session, contract, data.cashing_dates)
    audit.record(
        session,
        actor=actor,
        at=now,
        action="amap.contract.create",
        entity="amap_contract",
        entity_id=contract.id,
        after={"code": contract.code, "name": contract.name, "producer": producer.code},
    )
    return contract


def set_cashing_dates(session: Session, contract: Contract, days: list[date]) -> None:
    session.execute(delete(CashingDate).where(CashingDate.contract_id == contract.id))
    if days:
        session.execute(
            insert(CashingDate), [{"contract_id": contract.id, "on": d} for d in sorted(set(days))]
        )


def cashing_dates(session: Session, contract_id: int) -> list[date]:
    return list(
        session.scalars(
            select(CashingDate.on)
            .where(CashingDate.contract_id == contract_id)
            .order_by(CashingDate.on)
        )
    )


def offers(session: Session, contract_id: int) -> list[Offer]:
    return list(
        session.scalars(select(Offer).where(Offer.contract_id == contract_id).order_by(Offer.id))
    )


def places_of(session: Session, contract_id: int) -> list[Place]:
    return list(
        session.scalars(
            select(Place)
            .join(ContractPlace, ContractPlace.place_id == Place.id)
            .where(ContractPlace.contract_id == contract_id)
            .order_by(Place.code)
        )
    )


def allowed_counts(contract: Contract) -> list[int]:
    return [int(n) for n in contract.cheque_counts.split(",") if n.strip()]


def renew(
    session: Session,
    contract: Contract,
    *,
    code: str,
    actor: Actor,
    now: datetime,
    months: int = 12,
) -> Contract:
    """Duplicate a contract onto the next season: dates shifted, offer, places, referents kept.

    The calendar is shifted too, each date moved to the same ordinal weekday a season later
    (R2), so a Tuesday contract stays on Tuesdays.
    """
    shift = relativedelta(months=months)

    def moved(day: date | None) -> date | None:
        return None if day is None else day + shift

    data = ContractIn(
        code=code,
        name=contract.name.replace(
            str(contract.season_start.year), str((contract.season_start + shift).year)
        ),
        producer=session.get_one(Producer, contract.producer_id).code,
        kind=rules.ContractKind(contract.kind),
        season_start=contract.season_start + shift,
        season_end=contract.season_end + shift,
        places=[p.code for p in places_of(session, contract.id)],
        offers=[
            OfferIn(
                o.code,
                o.label,
                o.price_cents,
                o.vat_bp,
                o.unit,
                o.parts_pct,
                o.max_subscribers,
                o.solidarity_price_cents,
            )
            for o in offers(session, contract.id)
        ],
        referents=[
            number
            for number in session.scalars(
                select(Member.number)
                .join(Referent, Referent.member_id == Member.id)
                .where(Referent.contract_id == contract.id)
            )
        ],
        max_subscribers=contract.max_subscribers,
        cheque_counts=allowed_counts(contract),
        strategy=rules.SplitStrategy(contract.strategy),
        percentages=contract.percentages,
        min_cheque_cents=contract.min_cheque_cents,
        max_absences=contract.max_absences,
        absence_from=moved(contract.absence_from),
        absence_to=moved(contract.absence_to),
        deadline_weekday=contract.deadline_weekday,
        partner=contract.partner,
        min_order_cents=contract.min_order_cents,
        min_season_cents=contract.min_season_cents,
        cashing_dates=[d + shift for d in cashing_dates(session, contract.id)],
    )
    renewed = create_contract(session, data, actor=actor, now=now)
    renewed.renewed_from_id = contract.id
    renewed.recurrence = contract.recurrence
    renewed.every_weeks = contract.every_weeks
    old_days = list(
        session.scalars(
            select(Delivery.on)
            .where(Delivery.contract_id == contract.id, Delivery.cancelled.is_(False))
            .order_by(Delivery.on)
        )
    )
    new_days = sorted(
        {
            d
            for d in (
                rules.nth_weekday(
                    (day + shift).year,
                    (day + shift).month,
                    day.weekday(),
                    rules.weekday_ordinal(day),
                )
                if contract.recurrence == rules.Recurrence.MONTHLY
                else day + timedelta(days=7 * round((shift_days(day, shift)) / 7))
                for day in old_days
            )
            if renewed.season_start <= d <= renewed.season_end
        }
    )
    if new_days:
        session.execute(
            insert(Delivery),
            [
                {"contract_id": renewed.id, "on": d, "cancelled": False, "factor": 100}
                for d in new_days
            ],
        )
    audit.record(
        session,
        actor=actor,
        at=now,
        action="amap.contract.renew",
        entity="amap_contract",
        entity_id=renewed.id,
        before={"from": contract.code},
        after={"code": renewed.code, "deliveries": len(new_days)},
    )
    return renewed


def shift_days(day: date, shift: relativedelta) -> int:
    """Days between a date and the same date a season later (weeks are kept whole)."""
    return ((day + shift) - day).days


def list_contracts(session: Session) -> list[Contract]:
    return list(session.scalars(select(Contract).order_by(Contract.season_start, Contract.code)))


def list_places(session: Session) -> list[Place]:
    return list(session.scalars(select(Place).order_by(Place.code)))
