"""Tables of the AMAP context: places, contracts and their offer, the delivery calendar,
subscriptions with their per-date baskets, payments (ledger and cheque plan), the solidarity fund.

The calendar is stored explicitly (``amap_deliveries``: one row per contract and date, with its
state, place and factor in hundredths). Each subscription's baskets are materialised per date
(``amap_baskets``: collector, status, keeper, amount) with their contents (``amap_basket_items``),
so a distribution is one set-based query: every basket of a date at a place.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from coop.catalog.models import Producer
from coop.db import Base, UTCDateTime
from coop.members.models import Member


def _in(name: str, values: tuple[str, ...]) -> str:
    return f"{name} IN ({', '.join(repr(v) for v in values)})"


class Place(Base):
    """A pickup place (lieu de distribution): name, address, distribution hours."""

    __tablename__ = "amap_places"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    hours: Mapped[str | None] = mapped_column(String(100))
    """Distribution hours as people write them ("mardi 18 h 30 – 19 h 30")."""
    notes: Mapped[str | None] = mapped_column(Text)
    volunteers: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """R25: volunteers every distribution at this place needs (before the contracts' extras)."""


class Contract(Base):
    """A season's agreement with one producer: fixed (same basket) or variable (orders)."""

    __tablename__ = "amap_contracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    producer_id: Mapped[int] = mapped_column(ForeignKey(Producer.id, ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(12))
    season_start: Mapped[date] = mapped_column(Date)
    season_end: Mapped[date] = mapped_column(Date)
    recurrence: Mapped[str] = mapped_column(String(16), default="weekly")
    every_weeks: Mapped[int] = mapped_column(Integer, default=1)
    anchor: Mapped[date | None] = mapped_column(Date)
    max_subscribers: Mapped[int | None] = mapped_column(Integer)
    cheque_counts: Mapped[str] = mapped_column(String(40), default="1,2,3")
    """The allowed numbers of cheques, e.g. "1,3,7"."""
    strategy: Mapped[str] = mapped_column(String(16), default="amapress")
    percentages: Mapped[str | None] = mapped_column(String(200))
    """R12 per cheque count, e.g. "3:50,25,25"."""
    min_cheque_cents: Mapped[int] = mapped_column(Integer, default=0)
    max_absences: Mapped[int] = mapped_column(Integer, default=0)
    absence_from: Mapped[date | None] = mapped_column(Date)
    absence_to: Mapped[date | None] = mapped_column(Date)
    deadline_weekday: Mapped[int | None] = mapped_column(Integer)
    """R20: absences and gifts must be declared by this weekday of the delivery week (0 = Mon)."""
    partner: Mapped[str | None] = mapped_column(String(200))
    """The solidarity partner donated baskets go to (R21), e.g. a food bank."""
    min_order_cents: Mapped[int] = mapped_column(Integer, default=0)
    min_season_cents: Mapped[int] = mapped_column(Integer, default=0)
    volunteers: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """R24/R25: extra volunteers each distribution delivering this contract needs."""
    renewed_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("amap_contracts.id", ondelete="RESTRICT")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        CheckConstraint(_in("kind", ("fixed", "variable")), name="kind_known"),
        CheckConstraint(
            _in("strategy", ("amapress", "percentages", "monthly", "amapj", "equal")),
            name="strategy_known",
        ),
        CheckConstraint("season_end >= season_start", name="season_order"),
        CheckConstraint("every_weeks >= 1", name="every_weeks_positive"),
    )


class ContractPlace(Base):
    __tablename__ = "amap_contract_places"

    contract_id: Mapped[int] = mapped_column(
        ForeignKey("amap_contracts.id", ondelete="CASCADE"), primary_key=True
    )
    place_id: Mapped[int] = mapped_column(
        ForeignKey("amap_places.id", ondelete="RESTRICT"), primary_key=True
    )


class Referent(Base):
    """A member who runs a contract (référent)."""

    __tablename__ = "amap_referents"

    contract_id: Mapped[int] = mapped_column(
        ForeignKey("amap_contracts.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey(Member.id, ondelete="RESTRICT"), primary_key=True
    )


class Offer(Base):
    """A basket size (fixed contract) or a product (variable contract)."""

    __tablename__ = "amap_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("amap_contracts.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(200))
    price_cents: Mapped[int] = mapped_column(Integer)
    """Per delivery, including VAT."""
    vat_bp: Mapped[int] = mapped_column(Integer, default=550)
    unit: Mapped[str] = mapped_column(String(12), default="piece")
    parts_pct: Mapped[int | None] = mapped_column(Integer)
    """Equivalence in hundredths of a "part" (a large basket = 200)."""
    max_subscribers: Mapped[int | None] = mapped_column(Integer)
    solidarity_price_cents: Mapped[int | None] = mapped_column(Integer)
    """Reduced price for solidarity subscriptions; the difference is drawn from the fund."""

    __table_args__ = (
        UniqueConstraint("contract_id", "code"),
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
        CheckConstraint(
            "solidarity_price_cents IS NULL OR solidarity_price_cents <= price_cents",
            name="solidarity_below_price",
        ),
    )


class CashingDate(Base):
    """A planned cheque-cashing date of a contract (R13, R14)."""

    __tablename__ = "amap_cashing_dates"

    contract_id: Mapped[int] = mapped_column(
        ForeignKey("amap_contracts.id", ondelete="CASCADE"), primary_key=True
    )
    on: Mapped[date] = mapped_column(Date, primary_key=True)


class Delivery(Base):
    """One date of a contract's calendar: scheduled or cancelled, maybe moved, with a factor."""

    __tablename__ = "amap_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("amap_contracts.id", ondelete="CASCADE"))
    on: Mapped[date] = mapped_column(Date)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("amap_places.id", ondelete="RESTRICT"))
    """Set when the delivery was moved to another place; otherwise each subscriber's own place."""
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    factor: Mapped[int] = mapped_column(Integer, default=100)
    moved_from: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        UniqueConstraint("contract_id", "on"),
        CheckConstraint("factor >= 0", name="factor_not_negative"),
        Index("ix_amap_deliveries_on", "on"),
    )


class Subscription(Base):
    """A household's subscription to a contract (souscription), or its place on the waiting list."""

    __tablename__ = "amap_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("amap_contracts.id", ondelete="RESTRICT"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey(Member.id, ondelete="RESTRICT"), index=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("amap_places.id", ondelete="RESTRICT"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="active")
    invert: Mapped[bool] = mapped_column(Boolean, default=False)
    solidarity: Mapped[bool] = mapped_column(Boolean, default=False)
    contribution_cents: Mapped[int] = mapped_column(Integer, default=0)
    """Solidarity contribution added per delivery (Amapress "don par distribution")."""
    amount_cents: Mapped[int] = mapped_column(Integer, default=0)
    """R7/R17: what the household owes, kept equal to the sum of its baskets."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        CheckConstraint(_in("status", ("active", "waiting", "ended")), name="status_known"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_order"),
    )


class SubscriptionLine(Base):
    """A size and quantity (fixed) or a product of the default order (variable)."""

    __tablename__ = "amap_subscription_lines"

    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("amap_subscriptions.id", ondelete="CASCADE"), primary_key=True
    )
    offer_id: Mapped[int] = mapped_column(
        ForeignKey("amap_offers.id", ondelete="RESTRICT"), primary_key=True
    )
    quantity: Mapped[int] = mapped_column(Integer)

    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)


class Holder(Base):
    """A co-holder of a shared basket; position 0 is the subscribing household."""

    __tablename__ = "amap_holders"

    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("amap_subscriptions.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey(Member.id, ondelete="RESTRICT"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)


class Basket(Base):
    """One subscription at one delivery: who collects, absent or given, what it costs."""

    __tablename__ = "amap_baskets"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("amap_subscriptions.id", ondelete="CASCADE")
    )
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("amap_deliveries.id", ondelete="CASCADE"), index=True
    )
    collector_id: Mapped[int] = mapped_column(ForeignKey(Member.id, ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(10), default="due")
    donated_to: Mapped[str | None] = mapped_column(String(10))
    keeper_id: Mapped[int | None] = mapped_column(ForeignKey(Member.id, ondelete="RESTRICT"))
    amount_cents: Mapped[int] = mapped_column(Integer, default=0)
    """What the household pays for this basket (0 when absent)."""
    draw_cents: Mapped[int] = mapped_column(Integer, default=0)
    """Drawn from the solidarity fund for a solidarity subscription."""

    __table_args__ = (
        UniqueConstraint("subscription_id", "delivery_id"),
        CheckConstraint(_in("status", ("due", "absent", "donated")), name="status_known"),
        CheckConstraint(
            "donated_to IS NULL OR donated_to IN ('keeper', 'partner')", name="donated_to_known"
        ),
        CheckConstraint(
            "(status = 'donated') = (donated_to IS NOT NULL)", name="donated_has_target"
        ),
    )


class BasketItem(Base):
    """What a basket holds: size codes (fixed) or the order of that date (variable)."""

    __tablename__ = "amap_basket_items"

    basket_id: Mapped[int] = mapped_column(
        ForeignKey("amap_baskets.id", ondelete="CASCADE"), primary_key=True
    )
    offer_id: Mapped[int] = mapped_column(
        ForeignKey("amap_offers.id", ondelete="RESTRICT"), primary_key=True
    )
    quantity: Mapped[int] = mapped_column(Integer)

    __table_args__ = (CheckConstraint("quantity >= 0", name="quantity_not_negative"),)


class Payment(Base):
    """A payment of a subscription: a planned or received cheque, a transfer, cash, local money."""

    __tablename__ = "amap_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("amap_subscriptions.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=1)
    means: Mapped[str] = mapped_column(String(16))
    amount_cents: Mapped[int] = mapped_column(Integer)
    cashing_on: Mapped[date | None] = mapped_column(Date, index=True)
    number: Mapped[str | None] = mapped_column(String(40))
    bank: Mapped[str | None] = mapped_column(String(80))
    issuer: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(12))
    received_on: Mapped[date | None] = mapped_column(Date)
    handed_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint(
            _in("means", ("cheque", "transfer", "cash", "local_currency")), name="means_known"
        ),
        CheckConstraint(_in("state", ("expected", "received", "handed_over")), name="state_known"),
        CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
    )


class FundEntry(Base):
    """The solidarity fund's ledger: gifts and contributions in, solidarity draws out.

    Contributions and draws of a subscription are one row each, updated in place (as R17's debt).
    """

    __tablename__ = "amap_fund_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("amap_subscriptions.id", ondelete="RESTRICT")
    )
    member_id: Mapped[int | None] = mapped_column(ForeignKey(Member.id, ondelete="RESTRICT"))
    amount_cents: Mapped[int] = mapped_column(Integer)
    """Positive into the fund, negative out of it."""
    on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        UniqueConstraint("subscription_id", "kind"),
        CheckConstraint(_in("kind", ("gift", "contribution", "draw")), name="kind_known"),
    )


class FundSettings(Base):
    """One row: whether the coop lets the solidarity fund go below zero."""

    __tablename__ = "amap_fund_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    allow_negative: Mapped[bool] = mapped_column(Boolean, default=False)


class Distribution(Base):
    """One date at one place, once someone gave it hours, instructions or extra volunteers.

    A distribution exists whenever a contract delivers there that day; this row only holds what
    the coordinator adds to it.
    """

    __tablename__ = "amap_distributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("amap_places.id", ondelete="RESTRICT"))
    on: Mapped[date] = mapped_column(Date)
    hours: Mapped[str | None] = mapped_column(String(100))
    public_note: Mapped[str | None] = mapped_column(Text)
    """Instructions every household reads (printed on the émargement)."""
    volunteer_note: Mapped[str | None] = mapped_column(Text)
    """Instructions for the volunteers of the day."""
    extra_volunteers: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        UniqueConstraint("place_id", "on"),
        CheckConstraint("extra_volunteers >= 0", name="extra_not_negative"),
    )


class DutyRole(Base):
    """A volunteer role at distributions (set-up, welcome, handing out, clean-up…)."""

    __tablename__ = "amap_duty_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    seats: Mapped[int] = mapped_column(Integer, default=1)
    """How many people the role takes at one distribution."""
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (CheckConstraint("seats >= 1", name="seats_positive"),)


class Duty(Base):
    """A member signed up for a role at a distribution (leaving deletes the row, audited)."""

    __tablename__ = "amap_duties"

    id: Mapped[int] = mapped_column(primary_key=True)
    distribution_id: Mapped[int] = mapped_column(
        ForeignKey("amap_distributions.id", ondelete="CASCADE"), index=True
    )
    role_id: Mapped[int] = mapped_column(ForeignKey("amap_duty_roles.id", ondelete="RESTRICT"))
    member_id: Mapped[int] = mapped_column(ForeignKey(Member.id, ondelete="RESTRICT"), index=True)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("distribution_id", "role_id", "member_id"),)


PICKUP_ACTOR_WIDTH = 100
"""The pickups' "by" column is 100 characters wide (migration 0010), narrower than the 120 of the
other "by" columns: the label written there is cut to this width."""


class Pickup(Base):
    """What happened to a basket at the desk: collected, or (not collected) given to the
    solidarity partner or kept by a volunteer."""

    __tablename__ = "amap_pickups"

    basket_id: Mapped[int] = mapped_column(
        ForeignKey("amap_baskets.id", ondelete="CASCADE"), primary_key=True
    )
    outcome: Mapped[str] = mapped_column(String(10))
    keeper_id: Mapped[int | None] = mapped_column(ForeignKey(Member.id, ondelete="RESTRICT"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(PICKUP_ACTOR_WIDTH))

    __table_args__ = (
        CheckConstraint(
            _in("outcome", ("collected", "partner", "volunteer")), name="outcome_known"
        ),
    )
