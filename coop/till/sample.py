"""A week of the shop for the demo, played through the real use cases.

Two weeks before today the shop receives its stock (one receipt per producer) and sets a few
low-stock minimums; the solidarity category gets its 10 % price; a few households put money on
their prepaid account by transfer. Then, on each of the last five opening days (Tuesday to
Saturday) before today, till CAISSE-1 opens with a counted float, sells about twenty-five
baskets (weighed goods with scale labels, bread by its internal code, bottles with their
deposit, bottles brought back, cash, card, cheque and prepaid account), once lets a member the
desk check refuses through with a reason, once refunds a line of an earlier sale, closes with
the counted cash (a few cents off now and then) and takes its Z. Last, a small inventory is
counted and closed, and one member is invoiced for a grouped order charged to their account.
Deterministic for a given "today": ``random.Random`` with a fixed seed.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.accounts import invoicing
from coop.accounts import service as accounts
from coop.audit import Actor
from coop.catalog.models import Producer, Product
from coop.clock import SHOP_TIMEZONE, local_date
from coop.config import Settings
from coop.members.models import Member
from coop.nomenclature import DEFAULT_RULES, embed_value
from coop.rights import Role
from coop.stock import inventories
from coop.stock import service as stock
from coop.till import closing, price_rules, registry, sale_reads, selling, sessions
from coop.till.cash import count_cash
from coop.till.payments import Means, Tender
from coop.till.selling import DepositReturn, ItemRequest, RefundRequest, SaleRefused, SaleRequest

SEED = 4
DAYS = 5
SALES_PER_DAY = 25
FLOAT = {2000: 2, 1000: 4, 500: 6, 200: 10, 100: 12, 50: 10, 20: 10, 10: 10}
"""150 € in the drawer each morning, counted coin by coin."""


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHOP_TIMEZONE)


def _opening_days(today: date) -> list[date]:
    """The last ``DAYS`` Tuesdays-to-Saturdays before today, oldest first."""
    days: list[date] = []
    day = today - timedelta(days=1)
    while len(days) < DAYS:
        if day.weekday() in (1, 2, 3, 4, 5):
            days.append(day)
        day -= timedelta(days=1)
    return sorted(days)


def load_till_history(session: Session, *, settings: Settings, actor: Actor, now: datetime) -> None:
    """See the module docstring."""
    rng = random.Random(SEED)
    today = local_date(now)
    days = _opening_days(today)
    start = _at(days[0] - timedelta(days=14), 8)
    products = list(session.scalars(select(Product).where(Product.active.is_(True))))
    _stock(session, products, rng, actor, start)
    price_rules.set_price_rule(
        session, category="solidarity", percent_off=Decimal(10), actor=actor, now=start
    )
    members = list(
        session.scalars(
            select(Member)
            .where(Member.left_on.is_(None), Member.main_member_id.is_(None))
            .order_by(Member.number)
        )
    )
    for member in rng.sample(members, 20):
        accounts.top_up(
            session,
            member_number=member.number,
            amount_cents=rng.choice((2000, 3000, 5000, 10000)),
            means="transfer",
            reference=f"VIR {member.number:05d}",
            settings=settings.accounts,
            actor=actor,
            now=start + timedelta(hours=1),
        )
    shelf = _Shelf(products)
    for day in days:
        _one_day(session, day, shelf, members, rng, settings, actor)
    _inventory(session, products, rng, actor, _at(days[-1], 20))
    _grouped_order_invoice(session, members, settings, actor, _at(days[-1], 21))


def _stock(
    session: Session, products: list[Product], rng: random.Random, actor: Actor, at: datetime
) -> None:
    by_producer: dict[int | None, list[stock.ReceiptLine]] = {}
    for product in products:
        quantity = rng.randrange(8000, 25000, 250) if product.by_weight else rng.randint(6, 48)
        by_producer.setdefault(product.producer_id, []).append(
            stock.ReceiptLine(product, quantity, product.cost_cents)
        )
    codes = dict(session.execute(select(Producer.id, Producer.code)).all())
    for producer_id, lines in by_producer.items():
        stock.receive(
            session,
            lines,
            actor=actor,
            now=at,
            producer_code=codes.get(producer_id) if producer_id is not None else None,
            reference=f"BL-{at:%Y%m%d}-{producer_id or 0}",
        )
    for product in rng.sample(products, 12):
        stock.set_reorder(
            session,
            product_code=product.code,
            minimum="2 kg" if product.by_weight else "6",
            lead_time_days=rng.choice((None, 2, 3)),
            actor=actor,
            now=at,
        )


class _Shelf:
    def __init__(self, products: list[Product]) -> None:
        deposits = {p.deposit_product_id for p in products if p.deposit_product_id}
        self.deposits = [p for p in products if p.id in deposits]
        self.by_id = {p.id: p for p in products}
        self.pieces = [p for p in products if not p.by_weight and p.id not in deposits]
        self.weighed = [p for p in products if p.by_weight and p.barcode]
        self.bottled = [p for p in self.pieces if p.deposit_product_id]


def _basket(shelf: _Shelf, rng: random.Random) -> list[ItemRequest]:
    items = []
    for product in rng.sample(shelf.weighed, rng.randint(0, 2)):
        grams = rng.randrange(150, 1800)
        items.append(ItemRequest(embed_value(DEFAULT_RULES[2], product.barcode or "", grams)))
    for product in rng.sample(shelf.pieces, rng.randint(2, 9)):
        items.append(ItemRequest(product.code, quantity=rng.choice((1, 1, 1, 2, 3))))
    return items


def _one_day(
    session: Session,
    day: date,
    shelf: _Shelf,
    members: list[Member],
    rng: random.Random,
    settings: Settings,
    actor: Actor,
) -> None:
    cashier = Actor(
        f"caisse:{rng.choice(('Léa', 'Karim', 'Odile', 'Samir'))}",
        roles=frozenset({Role.SHIFT_LEADER, Role.TREASURER}),
    )
    sessions.open_session(
        session,
        till_code=None,
        count=count_cash(FLOAT),
        settings=settings.till,
        actor=cashier,
        now=_at(day, 9),
    )
    overridden = False
    for index in range(SALES_PER_DAY):
        moment = _at(day, 9, 10) + timedelta(minutes=index * 18 + rng.randint(0, 10))
        member = rng.choice(members)
        request = SaleRequest(items=_basket(shelf, rng), member=str(member.number))
        if index == 5 and day.weekday() == 5:  # Saturday: bottles come back
            request = _with(request, returns=[DepositReturn(shelf.deposits[0].code, 3)])
        if index == 12 and shelf.bottled:
            request = _with(
                request,
                items=[*request.items, ItemRequest(rng.choice(shelf.bottled).code, quantity=2)],
            )
        try:
            priced = selling.price_basket(
                session, request, settings=settings, actor=cashier, now=moment
            )
        except SaleRefused as refused:
            if refused.code != "may_not_shop" or overridden:
                continue
            overridden = True
            request = _with(request, override_reason="rattrapage prévu samedi, vu avec l'accueil")
            priced = selling.price_basket(
                session, request, settings=settings, actor=cashier, now=moment
            )
        total = priced.sale.total_cents
        request = _with(request, tenders=_tenders(session, total, member, rng))
        selling.commit_sale(session, request, settings=settings, actor=cashier, now=moment)
    if day.weekday() == 3:  # Thursday: a jar comes back, refunded in cash
        _refund(session, settings, cashier, day, members, rng)
    till = registry.get_till(session, settings.till.till)
    current = registry.open_session_of(session, till)
    assert current is not None
    expected = sessions.expected_cash(session, current)
    off = rng.choice((0, 0, 0, -20, 10, -50))
    sessions.close_session(
        session,
        till_code=None,
        counted=count_cash(_pieces(expected + off)),
        settings=settings.till,
        actor=cashier,
        now=_at(day, 19, 15),
        note="pièce de 50 centimes introuvable" if off == -50 else None,
    )
    closing.take_day_closure(
        session,
        till_code=None,
        day=day,
        settings=settings.till,
        actor=cashier,
        now=_at(day, 19, 30),
    )


def _refund(
    session: Session,
    settings: Settings,
    cashier: Actor,
    day: date,
    members: list[Member],
    rng: random.Random,
) -> None:
    """The first line of an earlier sale of the day comes back (a broken jar): refunded to its
    buyer by the means they paid with, not restocked."""
    till = registry.get_till(session, settings.till.till)
    number = max(till.last_sale_number - 3, 1)
    _row, sale = sale_reads.get_sale(session, till.code, number)
    line = sale.sale.lines[0]
    quantity = 1 if not line.weighed else line.quantity
    buyer = session.get(Member, sale.member_id) if sale.member_id else None
    request = SaleRequest(
        member=str(buyer.number) if buyer is not None else None,
        refunds=[RefundRequest(number, 1, quantity, restock=False)],
    )
    moment = _at(day, 18, 40)
    priced = selling.price_basket(session, request, settings=settings, actor=cashier, now=moment)
    refund = priced.sale.total_cents
    selling.commit_sale(
        session,
        _with(request, tenders=[Tender(sale.settlement.payments[0].means, refund)]),
        settings=settings,
        actor=cashier,
        now=moment,
    )


def _with(request: SaleRequest, **changes: object) -> SaleRequest:
    return replace(request, **changes)  # type: ignore[arg-type]


def _tenders(session: Session, total: int, member: Member, rng: random.Random) -> list[Tender]:
    """Cash with change, card, cheque, or the prepaid account when it holds enough."""
    if total <= 0:
        return [Tender(Means.CASH, total)] if total else []
    account = accounts.get_account(session, member)
    if account is not None and account.balance_cents >= total and rng.random() < 0.7:
        return [Tender(Means.ACCOUNT, total)]
    draw = rng.random()
    if draw < 0.35:
        note = next(n for n in (500, 1000, 2000, 5000, 10000, 20000) if n >= total)
        return [Tender(Means.CASH, note)]
    if draw < 0.85:
        return [Tender(Means.CARD, total, f"TPE {rng.randint(1000, 9999)}")]
    return [Tender(Means.CHEQUE, total, f"chèque {rng.randint(1000000, 9999999)}")]


def _pieces(cents: int) -> dict[int, int]:
    """A plausible drawer holding exactly ``cents`` (big notes first)."""
    counts: dict[int, int] = {}
    left = max(cents, 0)
    for denomination in (5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1):
        counts[denomination], left = divmod(left, denomination)
    return {d: n for d, n in counts.items() if n}


def _inventory(
    session: Session, products: list[Product], rng: random.Random, actor: Actor, at: datetime
) -> None:
    inventories.start_inventory(session, label="Inventaire du rayon vrac", actor=actor, now=at)
    counts = {}
    for product in [p for p in products if p.by_weight][:8]:
        level = stock.level_of(session, product)
        counted = max(level + rng.choice((0, 0, -120, -250, 80)), 0)
        counts[product.code] = f"{counted} g"
    inventories.record_counts(session, counts, actor=actor, now=at)
    inventories.close_inventory(session, actor=actor, now=at + timedelta(minutes=40))


def _grouped_order_invoice(
    session: Session,
    members: list[Member],
    settings: Settings,
    actor: Actor,
    at: datetime,
) -> None:
    holder = next(
        (m for m in members if (a := accounts.get_account(session, m)) and a.balance_cents > 3000),
        None,
    )
    if holder is None:
        return
    invoicing.issue_invoice(
        session,
        member_number=holder.number,
        lines=[
            invoicing.invoice_line("Huile d'olive 5 L (commande groupée)", 1, 3450, Decimal("5.5")),
            invoicing.invoice_line("Riz basmati vrac", 2500, 420, Decimal("5.5"), weighed=True),
        ],
        reference="Commande groupée — grossiste bio",
        settings=settings.accounts,
        actor=actor,
        now=at,
        enforce_limit=False,
    )
