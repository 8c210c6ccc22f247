"""A million sales written in bulk for ``bench_till``, ``bench_verify`` and ``bench_trust``.

Committing a million sales one by one would take an hour: ``bulk_journal`` writes them on a
third till from 500 basket templates priced by the pure rules (1 to 11 products, weighed goods,
deposits, a member price rule, card and cash), sealed and chained exactly as a commit does,
with a daily Z every 1,500 sales and the monthly and yearly closures, so ``coop till verify``
checks the same things as on a real journal. The same seed writes the same rows.
"""

from __future__ import annotations

import dataclasses
import random
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from _common import log
from sqlalchemy import Engine, func, insert, select, text, update
from sqlalchemy.orm import Session

from coop.audit import Actor
from coop.catalog.models import Product
from coop.clock import SHOP_TIMEZONE
from coop.members.models import Member
from coop.money import rate_to_bp
from coop.rights import Role
from coop.stock.models import StockMove
from coop.till import records, registry
from coop.till.closure_models import TillClosure
from coop.till.closures import day_closure, month_closure, year_closure
from coop.till.journal import RecordKind, canonical_bytes, document_bytes, hash_bytes
from coop.till.models import JournalEntry, Sale, SaleLineRow, SalePayment, SaleVat, Till
from coop.till.payments import Means, Tender, settle
from coop.till.pricing import Item, PriceRule, deposit_line, price_sale, product_line
from coop.till.sales import CommittedSale

ACTOR = Actor("bench", roles=frozenset({Role.ADMINISTRATOR}))
SALES_PER_DAY = 1500


# ------------------------------------------------------------------------------ a million sales


def templates(session: Session, rng: random.Random, count: int) -> list[dict[str, Any]]:
    """Baskets priced by the pure rules, with the rows and sealed data a commit writes."""
    products = list(session.scalars(select(Product).where(Product.active.is_(True))))
    by_id = {p.id: p for p in products}
    deposits = {p.deposit_product_id for p in products if p.deposit_product_id}
    pieces = [p for p in products if not p.by_weight and p.id not in deposits]
    weighed = [p for p in products if p.by_weight]
    members = list(session.scalars(select(Member.id).where(Member.left_on.is_(None))))
    rule = PriceRule("solidarity", Decimal(10))

    def item(product: Product) -> Item:
        return Item(
            product.id, product.name, product.price_cents, product.vat_rate, product.by_weight
        )

    result = []
    for _ in range(count):
        chosen_rule = rule if rng.random() < 0.1 else None
        lines = []
        for product in rng.sample(pieces + weighed, rng.randint(1, 11)):
            if product.by_weight:
                lines.append(
                    product_line(item(product), grams=rng.randrange(100, 3000), rule=chosen_rule)
                )
                continue
            line = product_line(item(product), quantity=rng.randint(1, 3), rule=chosen_rule)
            lines.append(line)
            if product.deposit_product_id:
                lines.append(deposit_line(item(by_id[product.deposit_product_id]), line.quantity))
        priced = price_sale(lines)
        total = priced.total_cents
        if total > 2000 and rng.random() < 0.5:
            tenders = [Tender(Means.CARD, total - 1500), Tender(Means.CASH, 2000)]
        else:
            tenders = [Tender(Means.CARD, total)]
        settlement = settle(total, tenders)
        sale = CommittedSale(
            1,
            1,
            datetime(2024, 1, 1, tzinfo=SHOP_TIMEZONE),
            priced,
            settlement,
            rng.choice(members),
        )
        line_rows = [records.line_values(0, no, line) for no, line in enumerate(priced.lines, 1)]
        result.append(
            {
                "sale": sale,
                "data": canonical_bytes(sale.to_data()),
                "lines": line_rows,
                # what a commit moves: each product line takes its pieces (grams) out of stock
                # (``basket_lines.goods_lines``), deposits move none
                "moves": [
                    (row["product_id"], -row["quantity"])
                    for row in line_rows
                    if row["kind"] == "product"
                ],
                "payments": [
                    {
                        "position": n,
                        "means": p.means.value,
                        "amount_cents": p.amount_cents,
                        "reference": p.reference,
                    }
                    for n, p in enumerate(settlement.payments, 1)
                ],
                "vat": [
                    {
                        "vat_rate_bp": rate_to_bp(s.rate),
                        "excl_vat_cents": s.excl_vat,
                        "vat_cents": s.vat,
                    }
                    for s in priced.vat
                ],
            }
        )
    return result


class Writer:
    """Rows buffered and written with one executemany per table every ``size`` sales."""

    def __init__(self, session: Session, size: int = 10_000) -> None:
        self.session = session
        self.size = size
        self.rows: dict[Any, list[dict[str, Any]]] = {
            Sale: [],
            SaleLineRow: [],
            SalePayment: [],
            SaleVat: [],
            StockMove: [],
            TillClosure: [],
            JournalEntry: [],
        }
        self.pending = 0

    def add(self, table: Any, row: dict[str, Any]) -> None:
        self.rows[table].append(row)

    def tick(self) -> None:
        self.pending += 1
        if self.pending >= self.size:
            self.flush()

    def flush(self) -> None:
        for table in (
            Sale,
            SaleLineRow,
            SalePayment,
            SaleVat,
            StockMove,
            TillClosure,
            JournalEntry,
        ):
            if self.rows[table]:
                self.session.execute(insert(table), self.rows[table])
                self.rows[table] = []
        self.session.commit()
        self.pending = 0


def bulk_journal(engine: Engine, total: int, rng: random.Random) -> dict[str, int]:
    """``total`` sales on till CAISSE-3 from 2024-01-01, 1,500 a day, Z every day, month and
    year closures, sealed and chained as the service does."""
    with Session(engine) as session, session.begin():
        till = registry.create_till(
            session, "CAISSE-3", actor=ACTOR, now=datetime.now(SHOP_TIMEZONE)
        )
        till_id = till.id
        session_id = session.execute(
            insert(registry.TillSession).returning(registry.TillSession.id),
            [
                {
                    "till_id": till_id,
                    "opened_at": datetime(2024, 1, 1, tzinfo=SHOP_TIMEZONE),
                    "opened_by": "bench",
                    "opening_cents": 0,
                }
            ],
        ).scalar_one()
    with Session(engine) as session:
        baskets = templates(session, rng, 500)
        for template in baskets:  # what a commit seals beyond the sale itself (issue 17)
            sold = template["sale"]
            context = {
                "cashier": "bench",
                "session_id": session_id,
                "shopper_id": None,
                "authorised_by_id": None,
                "override_reason": None,
                "goods_cents": sold.sale.goods_cents,
            }
            row = tuple(context.get(column) for column in records.SALE_READ_COLUMNS)
            moved = (len(template["moves"]), sum(quantity for _, quantity in template["moves"]))
            template["data"] = canonical_bytes(
                {**sold.to_data(), **records.context_data(row, stock=moved)}
            )
        next_sale_id = (session.scalar(select(func.max(Sale.id))) or 0) + 1
        next_closure_id = (session.scalar(select(func.max(TillClosure.id))) or 0) + 1
    writer = Writer(Session(engine))
    head = {"seq": 0, "hash": "0" * 64, "day": 0, "month": 0, "year": 0}
    counts = {"sales": 0, "lines": 0, "closures": 0}
    state: dict[str, Any] = {"day": None, "month": None, "year": None, "days": [], "months": []}

    def seal(kind: RecordKind, number: int, at: datetime, data_bytes: bytes, **link: Any) -> None:
        head["seq"] += 1
        digest = hash_bytes(
            document_bytes(till_id, head["seq"], kind, number, at, data_bytes, head["hash"])
        )
        writer.add(
            JournalEntry,
            {
                "till_id": till_id,
                "seq": head["seq"],
                "kind": kind.value,
                "number": number,
                "at": at,
                "data": data_bytes.decode("ascii"),
                "previous_hash": head["hash"],
                "hash": digest,
                "sale_id": link.get("sale_id"),
                "closure_id": link.get("closure_id"),
            },
        )
        head["hash"] = digest

    def close(closure: Any, at: datetime) -> None:
        nonlocal next_closure_id
        period = closure.period.value
        head[period] += 1
        closure_id = next_closure_id
        next_closure_id += 1
        writer.add(
            TillClosure,
            {
                "id": closure_id,
                "till_id": till_id,
                "period": period,
                "number": head[period],
                "seq": head["seq"] + 1,
                "starts_on": closure.start,
                "ends_on": closure.end,
                "at": at,
                "sale_count": closure.sale_count,
                "first_sale_number": closure.first_sale_number,
                "last_sale_number": closure.last_sale_number,
                "total_cents": closure.total_cents,
                "perpetual_cents": closure.perpetual_cents,
                "created_by": "bench",
            },
        )
        kinds = {
            "day": RecordKind.DAY_CLOSURE,
            "month": RecordKind.MONTH_CLOSURE,
            "year": RecordKind.YEAR_CLOSURE,
        }
        seal(
            kinds[period],
            head[period],
            at,
            canonical_bytes(closure.to_data()),
            closure_id=closure_id,
        )
        counts["closures"] += 1

    first_day = date(2024, 1, 1)
    day_sales: list[CommittedSale] = []
    started = time.perf_counter()
    for number in range(1, total + 1):
        index = (number - 1) // SALES_PER_DAY
        day = first_day + timedelta(days=index)
        at = datetime.combine(day, datetime.min.time(), tzinfo=SHOP_TIMEZONE) + timedelta(
            hours=8, seconds=24 * ((number - 1) % SALES_PER_DAY)
        )
        template = baskets[number % len(baskets)]
        sale_id = next_sale_id
        next_sale_id += 1
        sale = template["sale"]
        writer.add(
            Sale,
            {
                "id": sale_id,
                "till_id": till_id,
                "number": number,
                "seq": head["seq"] + 1,
                "session_id": session_id,
                "at": at,
                "member_id": sale.member_id,
                "shopper_id": None,
                "cashier": "bench",
                "goods_cents": sale.sale.goods_cents,
                "top_up_cents": 0,
                "total_cents": sale.sale.total_cents,
                "cash_tendered_cents": sale.settlement.cash_tendered_cents,
                "change_cents": sale.settlement.change_cents,
                **records.discount_columns(None),
                "authorised_by_id": None,
                "override_reason": None,
                "token": None,
            },
        )
        for row in template["lines"]:
            writer.add(SaleLineRow, {**row, "sale_id": sale_id})
        for product_id, quantity in template["moves"]:
            writer.add(
                StockMove,
                {
                    "product_id": product_id,
                    "at": at,
                    "kind": "sale",
                    "quantity": quantity,
                    "sale_id": sale_id,
                    "actor": "bench",
                },
            )
        for row in template["payments"]:
            writer.add(SalePayment, {**row, "sale_id": sale_id})
        for row in template["vat"]:
            writer.add(SaleVat, {**row, "sale_id": sale_id})
        seal(RecordKind.SALE, number, at, template["data"], sale_id=sale_id)
        counts["sales"] += 1
        counts["lines"] += len(template["lines"])
        day_sales.append(dataclasses.replace(sale, till_id=till_id, number=number, at=at))
        end_of_day = number % SALES_PER_DAY == 0 or number == total
        if end_of_day:
            evening = at + timedelta(hours=1)
            previous = state["day"]
            z = day_closure(till_id, day, day_sales, previous)
            close(z, evening)
            state["day"] = z
            state["days"].append(z)
            day_sales = []
            tomorrow = day + timedelta(days=1)
            if tomorrow.month != day.month or (number == total and tomorrow.day == 1):
                month = month_closure(till_id, day, state["days"], state["month"])
                close(month, evening)
                state["month"] = month
                state["months"].append(month)
                state["days"] = []
                if tomorrow.year != day.year:
                    year = year_closure(
                        till_id, date(day.year, 1, 1), state["months"], state["year"]
                    )
                    close(year, evening)
                    state["year"] = year
                    state["months"] = []
        writer.tick()
        if number % 100_000 == 0:
            log(f"  {number:,} sales written ({time.perf_counter() - started:.0f} s)")
    writer.flush()
    writer.session.execute(
        update(Till)
        .where(Till.id == till_id)
        .values(
            last_seq=head["seq"],
            last_hash=head["hash"],
            last_sale_number=total,
            last_day_closure=head["day"],
            last_month_closure=head["month"],
            last_year_closure=head["year"],
            closed_until=first_day + timedelta(days=(total - 1) // SALES_PER_DAY),
        )
    )
    writer.session.commit()
    writer.session.close()
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    counts["records"] = head["seq"]
    counts["write_seconds"] = round(time.perf_counter() - started)
    return counts
