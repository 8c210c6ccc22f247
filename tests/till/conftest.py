"""A small shop on a real database (SQLite and PostgreSQL) for the till's use cases.

Prices are chosen so the expected totals can be worked out by hand in the tests' comments.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text

from coop.audit import Actor
from coop.catalog.models import Product
from coop.clock import SHOP_TIMEZONE
from coop.config import MemberSettings, Settings, TillSettings
from coop.members import service as members
from coop.nomenclature import DEFAULT_RULES, embed_value
from coop.shifts.models import ShiftSkill
from coop.till import closing, selling, sessions
from coop.till.cash import CashCount, declared_cash
from coop.till.payments import Means, Tender
from coop.till.selling import ItemRequest, SaleRequest

DEPOSIT = "2000000000015"  # Consigne bouteille, 0,10 €, VAT 20
BEER = "3766469236639"  # Bière blonde 33 cl, 2,60 €, VAT 20, with a bottle deposit
JAM = "3017620422003"  # Confiture, 2,35 €, VAT 5.5, cost 1,50
APPLES = "2101001000001"  # Pommes, 3,20 €/kg, by weight, VAT 5.5, cost 2,00 €/kg
LENTILS = "VRAC-LENTILLES"  # internal code, 3,90 €/kg, by weight, VAT 5.5
BREAD = "PAIN-CAMP"  # internal code, 5,80 €, VAT 5.5
CHEESE = "2305000000004"  # price-labelled cheese (any weight), VAT 5.5
OLD = "3000000000007"  # no longer sold
WEIGHT_RULE = DEFAULT_RULES[2]
PRICE_RULE = DEFAULT_RULES[3]


def scale_label(base: str, grams: int) -> str:
    return embed_value(WEIGHT_RULE, base, grams)


def price_label(base: str, cents: int) -> str:
    return embed_value(PRICE_RULE, base, cents)


def cash(cents: int) -> Tender:
    return Tender(Means.CASH, cents)


def card(cents: int) -> Tender:
    return Tender(Means.CARD, cents)


def item(code: str, **kw: Any) -> ItemRequest:
    return ItemRequest(code, **kw)


INALTERABLE = (
    "sales",
    "sale_lines",
    "sale_payments",
    "sale_vat",
    "till_journal",
    "till_closures",
    "till_cash_movements",
    "account_movements",
    "invoices",
    "invoice_lines",
    "invoice_vat",
    "stock_moves",
)


def drop_triggers(session) -> None:
    """What someone tampering with the file or the server would do first."""
    if session.get_bind().dialect.name == "postgresql":
        for table in INALTERABLE:
            session.execute(text(f"DROP TRIGGER {table}_inalterable ON {table}"))
        session.execute(text("DROP TRIGGER till_sessions_closed ON till_sessions"))
    else:
        for table in INALTERABLE:
            for action in ("update", "delete"):
                session.execute(text(f"DROP TRIGGER {table}_no_{action}"))
        session.execute(text("DROP TRIGGER till_sessions_closed"))
        session.execute(text("DROP TRIGGER till_sessions_no_delete"))


class Shop:
    """A catalogue, a few members and a clock; ``sell`` commits a basket at the till."""

    def __init__(self, session, actor: Actor, now: datetime, settings: Settings) -> None:
        self.session = session
        self.actor = actor
        self.now = now
        self.settings = settings
        self.products: dict[str, Product] = {}
        deposit = self.product(DEPOSIT, "Consigne bouteille", 10, 2000, cost=8)
        self.product(BEER, "Bière blonde 33 cl", 260, 2000, cost=179, deposit=deposit)
        self.product(JAM, "Confiture de fraises", 235, 550, cost=150)
        self.product(APPLES, "Pommes Golden", 320, 550, cost=200, weighed=True)
        self.product(LENTILS, "Lentilles vertes", 390, 550, cost=250, weighed=True)
        self.product(BREAD, "Pain de campagne", 580, 550, cost=400)
        self.product(CHEESE, "Tomme au lait cru", 2400, 550, cost=1500, weighed=True)
        self.product(OLD, "Ancien produit", 100, 550, active=False)
        for number, category in ((42, "standard"), (43, "solidarity"), (46, "standard")):
            members.create_member(
                session,
                actor=actor,
                now=now,
                settings=MemberSettings(),
                first_name=f"Prénom{number}",
                last_name=f"Nom{number}",
                number=number,
                category=category,
                joined_on=date(2025, 1, 1),
            )
        members.create_member(
            session,
            actor=actor,
            now=now,
            settings=MemberSettings(),
            first_name="Associée",
            last_name="Nom42",
            number=44,
            joined_on=date(2025, 1, 1),
            main_member=members.get_by_number(session, 42),
        )
        gone = members.get_by_number(session, 46)
        members.update_member(session, gone, {"left_on": date(2026, 10, 1)}, actor=actor, now=now)
        leader = members.get_by_number(session, 43)
        session.add(ShiftSkill(member_id=leader.id, role="shift_leader"))
        session.flush()

    def product(
        self,
        code: str,
        name: str,
        price: int,
        vat_bp: int,
        *,
        cost: int | None = None,
        weighed: bool = False,
        deposit: Product | None = None,
        active: bool = True,
    ) -> Product:
        barcode = code if code.isdigit() else None
        product = Product(
            barcode=barcode,
            internal_code=None if barcode else code,
            name=name,
            unit="kg" if weighed else "piece",
            by_weight=weighed,
            price_cents=price,
            vat_rate_bp=vat_bp,
            cost_cents=cost,
            deposit_product_id=deposit.id if deposit else None,
            active=active,
            created_at=self.now,
            updated_at=self.now,
        )
        self.session.add(product)
        self.session.flush()
        self.products[code] = product
        return product

    def configure(self, **till: Any) -> Shop:
        self.settings = replace(self.settings, till=replace(self.settings.till, **till))
        return self

    def at(self, when: datetime) -> Shop:
        self.now = when
        return self

    def later(self, **delta: int) -> Shop:
        self.now = self.now + timedelta(**delta)
        return self

    def open(self, count: CashCount | int = 10000, till: str | None = None):
        counted = declared_cash(count) if isinstance(count, int) else count
        return sessions.open_session(
            self.session,
            till_code=till,
            count=counted,
            settings=self.settings.till,
            actor=self.actor,
            now=self.now,
        )

    def close(self, count: CashCount | int, till: str | None = None, note: str | None = None):
        counted = declared_cash(count) if isinstance(count, int) else count
        return sessions.close_session(
            self.session,
            till_code=till,
            counted=counted,
            settings=self.settings.till,
            actor=self.actor,
            now=self.now,
            note=note,
        )

    def request(self, *items: str | ItemRequest, **kw: Any) -> SaleRequest:
        kw.setdefault("member", "42")
        return SaleRequest(
            items=[i if isinstance(i, ItemRequest) else ItemRequest(i) for i in items], **kw
        )

    def sell(self, *items: str | ItemRequest, till: str | None = None, **kw: Any):
        receipt = selling.commit_sale(
            self.session,
            self.request(*items, **kw),
            settings=self.settings,
            actor=self.actor,
            now=self.now,
            till_code=till,
        )
        self.session.flush()
        return receipt

    def preview(self, *items: str | ItemRequest, **kw: Any):
        return selling.price_basket(
            self.session,
            self.request(*items, **kw),
            settings=self.settings,
            actor=self.actor,
            now=self.now,
        )

    def z(self, day: date | None = None, till: str | None = None):
        return closing.take_day_closure(
            self.session,
            till_code=till,
            day=day or self.now.date(),
            settings=self.settings.till,
            actor=self.actor,
            now=self.now,
        )

    def count(self, table: str) -> int:
        return self.session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()

    def counts(self) -> dict[str, int]:
        return {
            table: self.count(table)
            for table in (
                "sales",
                "sale_lines",
                "sale_payments",
                "till_journal",
                "stock_moves",
                "account_movements",
                "member_accounts",
            )
        }

    def stock(self, code: str) -> int:
        from coop.stock.models import StockLevel

        return (
            self.session.scalar(
                select(StockLevel.quantity).where(StockLevel.product_id == self.products[code].id)
            )
            or 0
        )

    def balance(self, number: int) -> int:
        from coop.accounts import service as accounts

        account = accounts.get_account(self.session, members.get_by_number(self.session, number))
        return account.balance_cents if account else 0

    def journal_count(self) -> int:
        from coop.till.models import JournalEntry

        return self.session.scalar(select(func.count()).select_from(JournalEntry)) or 0


SATURDAY = datetime(2026, 11, 21, 9, 0, tzinfo=SHOP_TIMEZONE)


@pytest.fixture
def shop(session, actor) -> Shop:
    settings = Settings(till=TillSettings(local_currency="Gonette"))
    return Shop(session, actor, SATURDAY, settings)
