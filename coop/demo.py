"""The demo: a fresh SQLite database loaded from sample_data/, never the coop's real one."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from coop import migrate, paths
from coop.audit import Actor
from coop.config import MembershipSettings, Settings, sqlite_url
from coop.db import make_engine, make_session_factory, transaction
from coop.errors import CoopError
from coop.i18n import _
from coop.rights import Role

DEMO_ACTOR = Actor("demo", roles=frozenset({Role.ADMINISTRATOR}))


def build_demo(
    target: Path, *, settings: Settings, now: datetime, real: Settings | None = None
) -> dict[str, int]:
    """Delete and rebuild the demo database at ``target`` (never the one ``real``, the coop's
    own settings, names); returns what was loaded."""
    own = real if real is not None else settings
    real_path = Path(own.resolved_database_url().removeprefix("sqlite:///"))
    if real_path.resolve() == target.resolve():
        raise CoopError(
            _("The demo never overwrites the coop's own database ({path}).").format(path=real_path)
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    engine = make_engine(sqlite_url(target))
    try:
        migrate.upgrade(engine)
        settings = replace(settings, database_url=sqlite_url(target))
        load_sample_data(make_session_factory(engine), settings=settings, now=now)
        return summary(make_session_factory(engine))
    finally:
        engine.dispose()


def load_sample_data(factory: sessionmaker[Session], *, settings: Settings, now: datetime) -> None:
    """Import every sample CSV in one transaction, in dependency order."""
    from coop.amap.sample import load_amap
    from coop.catalog.exchange import import_producers, import_products
    from coop.members.exchange import import_members
    from coop.orders.sample import load_order_history
    from coop.shifts.sample import load_shift_history
    from coop.staff.sample import load_staff
    from coop.till.sample import load_till_history

    folder = paths.sample_data_dir()
    # the past sales and orders were made before any share or fee was due: the desk check
    # they pass through must not refuse them under the coop's [membership] rules
    history = replace(settings, membership=MembershipSettings())
    with transaction(factory) as session:
        import_members(
            session, folder / "members.csv", actor=DEMO_ACTOR, now=now, settings=settings.members
        )
        import_producers(session, folder / "producers.csv", actor=DEMO_ACTOR, now=now)
        import_products(session, folder / "products.csv", actor=DEMO_ACTOR, now=now)
        load_shift_history(
            session, folder=folder, settings=settings.shifts, actor=DEMO_ACTOR, now=now
        )
        # the grouped orders are the older history (their invoices are dated weeks ago): loaded
        # first, their invoice numbers come before the till's (numbers follow the dates)
        load_order_history(session, folder=folder, settings=history, actor=DEMO_ACTOR, now=now)
        load_till_history(session, settings=history, actor=DEMO_ACTOR, now=now)
        load_amap(session, now=now)
        load_membership(session, settings=settings, now=now)
        load_staff(session, actor=DEMO_ACTOR, now=now)


def load_membership(session: Session, *, settings: Settings, now: datetime) -> None:
    """Share payments (some households still owe part), three households who left this year
    (their card, slot and baskets released) and the AMAP subscribers' fees of the year."""
    from datetime import timedelta

    from coop import membership
    from coop.amap.models import Subscription
    from coop.clock import local_date
    from coop.members import shares
    from coop.members.models import Member
    from coop.members.sample import demo_settings, load_share_history

    load_share_history(session, settings=settings.membership, actor=DEMO_ACTOR, now=now)
    subscribers = set(session.scalars(select(Subscription.member_id)))
    households = set(
        session.scalars(select(Member.main_member_id).where(Member.main_member_id.is_not(None)))
    )
    leavers = session.scalars(
        select(Member)
        .where(
            Member.main_member_id.is_(None),
            Member.left_on.is_(None),
            Member.id.not_in(subscribers | households),
        )
        .order_by(Member.number.desc())
        .limit(3)
    ).all()
    reasons = ("déménagement", "raisons personnelles", "ne fait plus ses courses ici")
    today = local_date(now)
    for days, member, reason in zip((75, 40, 12), leavers, reasons, strict=False):
        on = max(today - timedelta(days=days), member.joined_on)
        membership.leave(
            session, member, on=on, reason=reason, settings=settings, actor=DEMO_ACTOR, now=now
        )
    fees = demo_settings(settings.membership)
    for member in session.scalars(
        select(Member).where(Member.id.in_(subscribers)).order_by(Member.number)
    ):
        if member.left_on is None and member.number % 6 != 1:  # a few have not paid yet
            shares.pay_fee(
                session,
                member,
                year=today.year,
                means="cheque",
                settings=fees,
                amount_cents=fees.fee_cents(member.category.code) or 1500,
                actor=DEMO_ACTOR,
                now=now,
            )


def summary(factory: sessionmaker[Session]) -> dict[str, int]:
    """Counts of what a database holds, labelled for people."""
    from coop.accounts.models import MemberAccount
    from coop.catalog.models import Producer, Product
    from coop.members.models import Member, MemberCard
    from coop.orders.models import OrderAllocation, OrderCycle
    from coop.shifts import words
    from coop.shifts.models import Shift, ShiftLedgerEntry, ShiftMemberState, ShiftTemplate
    from coop.shifts.policy import Status
    from coop.stock.models import StockMove
    from coop.till.closure_models import TillClosure
    from coop.till.models import Sale

    with factory() as session:
        members = session.scalar(select(func.count(Member.id))) or 0
        households = (
            session.scalar(select(func.count(Member.id)).where(Member.main_member_id.is_(None)))
            or 0
        )
        cards = (
            session.scalar(select(func.count(MemberCard.id)).where(MemberCard.ended_on.is_(None)))
            or 0
        )
        producers = session.scalar(select(func.count(Producer.id))) or 0
        products = session.scalar(select(func.count(Product.id))) or 0
        by_weight = (
            session.scalar(select(func.count(Product.id)).where(Product.by_weight.is_(True))) or 0
        )
        templates = session.scalar(select(func.count(ShiftTemplate.id))) or 0
        shifts = session.scalar(select(func.count(Shift.id))) or 0
        entries = session.scalar(select(func.count(ShiftLedgerEntry.id))) or 0
        sales = session.scalar(select(func.count(Sale.id))) or 0
        closures = (
            session.scalar(select(func.count(TillClosure.id)).where(TillClosure.period == "day"))
            or 0
        )
        moves = session.scalar(select(func.count(StockMove.id))) or 0
        accounts = (
            session.scalar(
                select(func.count(MemberAccount.id)).where(MemberAccount.balance_cents != 0)
            )
            or 0
        )
        cycles = session.scalar(select(func.count(OrderCycle.id))) or 0
        order_lines = session.scalar(select(func.count()).select_from(OrderAllocation)) or 0
        statuses = dict(
            session.execute(
                select(ShiftMemberState.status, func.count())
                .group_by(ShiftMemberState.status)
                .order_by(ShiftMemberState.status)
            ).all()
        )
    return {
        _("Members"): members,
        _("Households"): households,
        _("Active member cards"): cards,
        _("Producers"): producers,
        _("Products"): products,
        _("Products sold by weight"): by_weight,
        _("Shift templates"): templates,
        _("Shifts"): shifts,
        _("Work-credit entries"): entries,
        _("Sales"): sales,
        _("Daily closures (Z)"): closures,
        _("Stock moves"): moves,
        _("Prepaid accounts in use"): accounts,
        _("Order cycles"): cycles,
        _("Allocated order lines"): order_lines,
        **{
            _("Members {status}").format(status=words.status(Status(code))): count
            for code, count in statuses.items()
        },
    }
