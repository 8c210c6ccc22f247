"""Use cases after sending: receiving the delivery, manual corrections, another strategy, and
charging the households (settling).

Receiving records what arrived of each article and allocates it again with the cycle's strategy
(the same pure function as at close), keeping every manual correction. What households do not
take is the surplus: for an article that is a catalogue product it becomes real stock moves into
the shop (``coop.stock.moves.apply_moves``, valued at the frozen supplier price); otherwise it
is listed as left over. Receiving again, correcting or changing the strategy moves the stock by
the difference only, so the shop's stock always holds exactly the current surplus.

Settling charges each household's prepaid account with one invoice (``coop.accounts``: gapless
numbers in the invoice series; corrections later are credit notes in their own series), priced
excl. VAT with a VAT summary per rate, and returns the reconciliation of the suppliers' total
with the sum of the charges: it lives in ``coop.orders.settling`` and is named here too
(``delivery.settle``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from coop import audit
from coop.accounts.service import holder
from coop.audit import Actor
from coop.csvio import Column, RowReader, read_table
from coop.db import table_of
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.members import service as members
from coop.orders import allocation
from coop.orders.models import (
    OrderAllocation,
    OrderArticle,
    OrderCycle,
    OrderDelivery,
)
from coop.orders.rules import Allocation, CycleState, Strategy
from coop.orders.service import (
    OrderRefused,
    advance,
    format_quantity,
    get_article,
    get_cycle,
    parse_quantity,
    require_state,
)
from coop.orders.settling import Charge, Settlement, settle
from coop.orders.words import state_word
from coop.stock.moves import apply_moves

__all__ = [
    "Charge",
    "ReceiveReport",
    "Settlement",
    "correct",
    "read_received",
    "reallocate",
    "receive",
    "settle",
]

MAX_RECEIVED_FACTOR = 2
"""Receiving more than twice what was ordered is refused as a probable unit error."""


def _articles(session: Session, cycle: OrderCycle) -> list[OrderArticle]:
    return list(
        session.scalars(
            select(OrderArticle).where(OrderArticle.cycle_id == cycle.id).order_by(OrderArticle.id)
        )
    )


def _deliveries(session: Session, cycle: OrderCycle) -> dict[int, OrderDelivery]:
    return {
        row.article_id: row
        for row in session.scalars(
            select(OrderDelivery)
            .join(OrderArticle, OrderArticle.id == OrderDelivery.article_id)
            .where(OrderArticle.cycle_id == cycle.id)
        )
    }


def _book_surplus(
    session: Session,
    cycle: OrderCycle,
    articles: list[OrderArticle],
    received: Mapping[int, int],
    results: Mapping[int, Allocation],
    *,
    actor: Actor,
    now: datetime,
) -> tuple[int, int]:
    """Store what arrived and where the surplus went; move the stock by the difference.

    Returns (stock moves written, articles with leftovers).
    """
    before = _deliveries(session, cycle)
    rows = []
    moves = []
    reference = _("order {code}").format(code=cycle.code)
    left = 0
    for article in articles:
        if article.id not in received:
            continue
        surplus = max(results[article.id].surplus, 0) if article.id in results else 0
        to_stock = surplus if article.product_id is not None else 0
        left_over = surplus - to_stock
        left += 1 if left_over else 0
        old = before.get(article.id)
        delta = to_stock - (old.to_stock if old is not None else 0)
        if delta:
            moves.append(
                {
                    "product_id": article.product_id,
                    "at": now,
                    "kind": "receipt" if delta > 0 else "correction",
                    "quantity": delta,
                    "unit_cost_cents": article.price_cents,
                    "reason": None,
                    "note": None
                    if delta > 0
                    else _("surplus of the grouped order taken back by households"),
                    "reference": reference,
                    "producer_id": article.producer_id,
                    "sale_id": None,
                    "inventory_id": None,
                    "actor": actor.recorded,
                }
            )
        rows.append(
            {
                "article_id": article.id,
                "received": received[article.id],
                "to_stock": to_stock,
                "left_over": left_over,
                "at": now,
                "actor": actor.recorded,
            }
        )
    ids = [row["article_id"] for row in rows]
    if ids:
        session.execute(
            delete(OrderDelivery)
            .where(OrderDelivery.article_id.in_(ids))
            .execution_options(synchronize_session=False)
        )
        session.execute(insert(table_of(OrderDelivery)), rows)
    apply_moves(session, moves, now=now)
    return len(moves), left


@dataclass(frozen=True)
class ReceiveReport:
    articles: int
    short: int
    """Articles that arrived short of what was ordered."""
    stock_moves: int
    left_over: int
    """Articles with a leftover surplus (no catalogue product to book it into)."""


def receive(
    session: Session,
    *,
    code: str,
    received: Mapping[str, int],
    actor: Actor,
    now: datetime,
) -> ReceiveReport:
    """Record the delivery: ``received`` {reference: quantity}; articles not named arrived as
    ordered (or as already recorded). Refused above twice the order. May be run again."""
    cycle = get_cycle(session, code, lock=True)
    state = CycleState(cycle.state)
    if state not in (CycleState.SENT, CycleState.RECEIVED):
        raise OrderRefused(
            _("The order cycle {code} is {state}: only a sent order can be received.").format(
                code=cycle.code, state=state_word(cycle.state)
            )
        )
    articles = _articles(session, cycle)
    by_ref = {article.reference: article for article in articles}
    before = _deliveries(session, cycle)
    problems: list[Problem] = []
    quantities: dict[int, int] = {}
    for reference, quantity in received.items():
        article = by_ref.get(reference.strip())
        if article is None:
            problems.append(
                Problem(
                    _("the order cycle {code} has no article {reference}").format(
                        code=cycle.code, reference=reference
                    ),
                    column=reference,
                )
            )
            continue
        ordered = article.ordered or 0
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
            problems.append(
                Problem(
                    _("a quantity cannot be negative: “{text}”").format(text=quantity),
                    column=reference,
                )
            )
        elif quantity > MAX_RECEIVED_FACTOR * ordered:
            problems.append(
                Problem(
                    _(
                        "{received} received for {ordered} ordered of {name}: more than twice the"
                        " order is refused (a unit error?)"
                    ).format(
                        received=format_quantity(article, quantity),
                        ordered=format_quantity(article, ordered),
                        name=article.name,
                    ),
                    column=reference,
                )
            )
        else:
            quantities[article.id] = quantity
    if problems:
        raise InvalidInput(problems)
    for article in articles:
        if article.id not in quantities:
            old = before.get(article.id)
            quantities[article.id] = old.received if old is not None else article.ordered or 0
    results = allocation.reallocate(session, cycle, quantities)
    moves, left = _book_surplus(session, cycle, articles, quantities, results, actor=actor, now=now)
    if state is CycleState.SENT:
        advance(cycle, CycleState.RECEIVED, now=now, already="")
    cycle.received_at = now
    cycle.updated_at = now
    short = sum(1 for a in articles if quantities[a.id] < (a.ordered or 0))
    audit.record(
        session,
        actor=actor,
        at=now,
        action="orders.receive",
        entity="order_cycle",
        entity_id=cycle.code,
        after={
            "received": {
                a.reference: quantities[a.id] for a in articles if a.reference in received
            },
            "short": short,
            "stock_moves": moves,
        },
    )
    return ReceiveReport(len(articles), short, moves, left)


def _available(session: Session, cycle: OrderCycle, articles: list[OrderArticle]) -> dict[int, int]:
    """What is shared out: what arrived once received, what was ordered before."""
    if CycleState(cycle.state) is CycleState.RECEIVED:
        deliveries = _deliveries(session, cycle)
        return {
            a.id: deliveries[a.id].received if a.id in deliveries else a.ordered or 0
            for a in articles
        }
    return {a.id: a.ordered or 0 for a in articles}


def correct(
    session: Session,
    *,
    code: str,
    reference: str,
    member_number: int,
    quantity: int | None,
    note: str | None = None,
    actor: Actor,
    now: datetime,
) -> OrderAllocation:
    """Give a household ``quantity`` of an article by hand (kept by every later allocation and
    flagged); ``None`` hands the line back to the strategy. The others share the rest."""
    cycle = get_cycle(session, code, lock=True)
    require_state(cycle, CycleState.CLOSED, CycleState.SENT, CycleState.RECEIVED)
    article = get_article(session, cycle, reference)
    member = holder(members.get_by_number(session, member_number))
    available = _available(session, cycle, [article])[article.id]
    if quantity is not None:
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
            raise InvalidInput(
                [
                    Problem(
                        _("a quantity cannot be negative: “{text}”").format(text=quantity),
                        column="QUANTITY",
                    )
                ]
            )
        if quantity > available:
            raise InvalidInput(
                [
                    Problem(
                        _("only {available} of {name} to share out").format(
                            available=format_quantity(article, available), name=article.name
                        ),
                        column="QUANTITY",
                    )
                ]
            )
    row = session.get(OrderAllocation, (article.id, member.id))
    before = None if row is None else {"quantity": row.quantity, "pinned": row.pinned}
    if row is None:
        if quantity is None:
            raise InvalidInput(
                [Problem(_("nothing to hand back: this household has no line"), column="--unpin")]
            )
        row = OrderAllocation(
            article_id=article.id,
            member_id=member.id,
            cycle_id=cycle.id,
            quantity=quantity,
            computed=0,
            pinned=True,
            note=note,
        )
        session.add(row)
    else:
        row.pinned = quantity is not None
        if quantity is not None:
            row.quantity = quantity
        row.note = note if quantity is not None else None
    session.flush()
    results = allocation.reallocate(
        session, cycle, {article.id: available}, article_ids=[article.id]
    )
    if CycleState(cycle.state) is CycleState.RECEIVED:
        _book_surplus(
            session, cycle, [article], {article.id: available}, results, actor=actor, now=now
        )
    cycle.updated_at = now
    audit.record(
        session,
        actor=actor,
        at=now,
        action="orders.correct",
        entity="order_article",
        entity_id=f"{cycle.code}/{article.reference}",
        member_id=member.id,
        before=before,
        after={"quantity": quantity, "pinned": quantity is not None},
        reason=note,
    )
    session.expire(row)
    result = session.get(OrderAllocation, (article.id, member.id))
    assert result is not None
    return result


def reallocate(
    session: Session, *, code: str, strategy: str, actor: Actor, now: datetime
) -> OrderCycle:
    """Share every article again with another strategy (manual corrections kept)."""
    cycle = get_cycle(session, code, lock=True)
    require_state(cycle, CycleState.CLOSED, CycleState.SENT, CycleState.RECEIVED)
    if strategy not in tuple(Strategy):
        raise InvalidInput(
            [
                Problem(
                    _("“{value}” is not one of: {options}").format(
                        value=strategy, options=", ".join(Strategy)
                    ),
                    column="--strategy",
                )
            ]
        )
    before = cycle.strategy
    cycle.strategy = strategy
    cycle.updated_at = now
    articles = _articles(session, cycle)
    available = _available(session, cycle, articles)
    results = allocation.reallocate(session, cycle, available)
    if CycleState(cycle.state) is CycleState.RECEIVED:
        _book_surplus(session, cycle, articles, available, results, actor=actor, now=now)
    audit.record(
        session,
        actor=actor,
        at=now,
        action="orders.allocate",
        entity="order_cycle",
        entity_id=cycle.code,
        before={"strategy": before},
        after={"strategy": strategy},
    )
    return cycle


RECEIVED_COLUMNS = (
    Column("reference", required=True, aliases=("ref", "référence", "article")),
    Column("quantity", required=True, aliases=("quantité", "quantite", "qté", "reçu", "livré")),
)


def read_received(session: Session, *, code: str, path: Path | str) -> dict[str, int]:
    """A delivery CSV (``reference;quantity``, quantities as members order them: pieces, or kg /
    grams for weighed articles), checked as a whole: {reference: quantity}."""
    cycle = get_cycle(session, code)
    by_ref = {article.reference: article for article in _articles(session, cycle)}
    table = read_table(path, RECEIVED_COLUMNS)
    problems: list[Problem] = []
    out: dict[str, int] = {}
    for row in table.rows:
        reader = RowReader(table, row, problems)
        reference = reader.text("reference", required=True, max_length=64)
        if reference is None:
            continue
        article = by_ref.get(reference)
        if article is None:
            reader.fail(
                "reference",
                _("the order cycle {code} has no article {reference}").format(
                    code=cycle.code, reference=reference
                ),
            )
            continue
        if reference in out:
            reader.fail("reference", _("reference given twice"))
            continue
        quantity = reader.custom("quantity", partial(_quantity, article), required=True)
        if quantity is not None:
            out[reference] = quantity
    if problems:
        raise InvalidInput(problems)
    return out


def _quantity(article: OrderArticle, text: str) -> int:
    try:
        return parse_quantity(article, text)
    except InvalidInput as error:
        raise ValueError(error.problems[0].message) from error
