"""Use cases of grouped orders' cycles: reading, creating, opening, closing and sending them.

Every function takes a Session and ``now`` and works in the caller's transaction (one user action
= one transaction); a refusal raises ``InvalidInput``/``CoopError`` before anything is written, or
the caller rolls back. A household's order is in ``coop.orders.ordering``; the articles' CSV
in ``coop.orders.articles``. The pure rules are in ``coop.orders.rules``; the allocation runs
(set-based) in ``coop.orders.allocation``; delivery, corrections and charging in
``coop.orders.delivery``; what a person or a printed sheet reads in ``coop.orders.views``.

A cycle goes draft → open → closed → sent → received → settled. While open, members order
between ``opens_at`` and ``closes_at`` (after ``boxfill_at`` only changes that help fill cases).
Closing rounds every article to cases with its supplier's mode and allocates the units ordered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.catalog import service as catalog
from coop.catalog.models import Producer
from coop.clock import local_date
from coop.db import table_of
from coop.errors import CoopError, InvalidInput, NotFound, Problem
from coop.i18n import _
from coop.money import bp_to_rate
from coop.orders import allocation, rules
from coop.orders.models import (
    OrderArticle,
    OrderCycle,
    OrderCycleSupplier,
)
from coop.orders.rules import CycleState, Rounding, Strategy
from coop.orders.words import state_word
from coop.units import GRAMS_PER_KG
from coop.units import format_quantity as units_quantity

CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9_.-]{0,31}")


class OrderRefused(CoopError):
    """A cycle in the wrong state, a window closed, a box-fill rule: nothing was changed."""


def refuse(message: str, column: str | None = None) -> InvalidInput:
    """A refusal of what a person typed, naming the field (exit code 2 on the command line)."""
    return InvalidInput([Problem(message, column=column)])


# --- reading what people type -------------------------------------------------------------------


def parse_quantity(article: OrderArticle, text: str, column: str = "QUANTITY") -> int:
    """A quantity typed for an article: pieces, or for weighed articles ``1,5`` / ``1,5 kg``
    (1500 g) or ``750 g``. Zero is allowed (it cancels an order); negative quantities are not."""
    cleaned = text.strip().lower().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    match = re.fullmatch(r"(-?\d+(?:[.,]\d+)?)(kg|g|l|ml)?", cleaned)
    if match is None:
        raise refuse(_("“{text}” is not a quantity").format(text=text), column)
    number = Decimal(match.group(1).replace(",", "."))
    if number < 0:
        raise refuse(_("a quantity cannot be negative: “{text}”").format(text=text), column)
    suffix = match.group(2)
    if article.by_weight:
        grams = number if suffix in ("g", "ml") else number * GRAMS_PER_KG
        if grams != grams.to_integral_value():
            raise refuse(_("“{text}” is finer than a gram").format(text=text), column)
        return int(grams)
    if suffix is not None or number != number.to_integral_value():
        raise refuse(
            _("“{text}” is not a whole number of pieces ({name} is not sold by weight)").format(
                text=text, name=article.name
            ),
            column,
        )
    return int(number)


def format_quantity(article: OrderArticle, quantity: int) -> str:
    """1500 → "1,500 kg" for a weighed article, "3" for pieces."""
    return units_quantity(quantity, article.by_weight, article.unit)


def format_moment(moment: datetime) -> str:
    """A moment as people read it in the shop's time zone: "21/11/2026 18:00"."""
    from babel.dates import format_datetime

    from coop.clock import SHOP_TIMEZONE
    from coop.i18n import babel_locale

    return format_datetime(
        moment.astimezone(SHOP_TIMEZONE), format="short", locale=babel_locale(None)
    )


# --- cycles -------------------------------------------------------------------------------------


def get_cycle(session: Session, code: str, *, lock: bool = False) -> OrderCycle:
    """A cycle by its code; ``lock`` holds its row until commit (PostgreSQL), so two
    coordinators never close, receive or settle the same cycle at once."""
    query = select(OrderCycle).where(OrderCycle.code == code.strip().upper())
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    cycle = session.scalar(query)
    if cycle is None:
        raise NotFound(_("No order cycle has the code {code}.").format(code=code))
    return cycle


def list_cycles(session: Session) -> list[OrderCycle]:
    return list(session.scalars(select(OrderCycle).order_by(OrderCycle.opens_at, OrderCycle.id)))


def suppliers_of(session: Session, cycle: OrderCycle) -> list[tuple[Producer, str]]:
    """The cycle's suppliers with their rounding mode, by code."""
    rows = session.execute(
        select(Producer, OrderCycleSupplier.rounding)
        .join(OrderCycleSupplier, OrderCycleSupplier.producer_id == Producer.id)
        .where(OrderCycleSupplier.cycle_id == cycle.id)
        .order_by(Producer.code)
    ).all()
    return [(producer, rounding) for producer, rounding in rows]


def require_state(cycle: OrderCycle, *states: CycleState) -> None:
    if CycleState(cycle.state) not in states:
        raise OrderRefused(
            _("The order cycle {code} is {state}: this is not possible now.").format(
                code=cycle.code, state=state_word(cycle.state)
            )
        )


def advance(cycle: OrderCycle, target: CycleState, *, now: datetime, already: str) -> None:
    """Move one step forward, or refuse (``already``: what to say if it was done before)."""
    current = CycleState(cycle.state)
    if not rules.may_move(current, target):
        order = list(CycleState)
        if order.index(current) >= order.index(target):
            raise OrderRefused(already.format(code=cycle.code, state=state_word(cycle.state)))
        raise OrderRefused(
            _("The order cycle {code} is {state}: it cannot be {target} yet.").format(
                code=cycle.code, state=state_word(cycle.state), target=state_word(target)
            )
        )
    cycle.state = target.value
    cycle.updated_at = now


@dataclass(frozen=True)
class SupplierIn:
    """A supplier of a new cycle: a producer code and its rounding mode."""

    code: str
    rounding: str = Rounding.FOODSOFT.value


def parse_supplier(text: str) -> SupplierIn:
    """``CODE`` or ``CODE:mode`` (foodsoft, up, down, manual) as typed on the command line."""
    code, _sep, mode = text.partition(":")
    return SupplierIn(code.strip().upper(), mode.strip().lower() or Rounding.FOODSOFT.value)


def create_cycle(
    session: Session,
    *,
    code: str,
    name: str,
    suppliers: Sequence[SupplierIn],
    opens_at: datetime,
    closes_at: datetime,
    delivery_on: date,
    boxfill_at: datetime | None = None,
    delivery_place: str | None = None,
    strategy: str = Strategy.FIFO.value,
    use_tolerance: bool = True,
    actor: Actor,
    now: datetime,
) -> OrderCycle:
    """A new cycle in preparation (draft) for one or several suppliers."""
    problems: list[Problem] = []
    code = code.strip().upper()
    if not CODE_PATTERN.fullmatch(code):
        problems.append(
            Problem(
                _("“{code}” is not a cycle code (letters, digits, - _ ., at most 32)").format(
                    code=code
                ),
                column="CODE",
            )
        )
    elif session.scalar(select(OrderCycle.id).where(OrderCycle.code == code)) is not None:
        problems.append(
            Problem(
                _("an order cycle already has the code {code}").format(code=code), column="CODE"
            )
        )
    if not name.strip():
        problems.append(Problem(_("a value is required"), column="--name"))
    if closes_at <= opens_at:
        problems.append(Problem(_("the window must close after it opens"), column="--closes"))
    if boxfill_at is not None and not opens_at <= boxfill_at <= closes_at:
        problems.append(
            Problem(_("the box-fill time must be inside the ordering window"), column="--boxfill")
        )
    if delivery_on < local_date(closes_at):
        problems.append(
            Problem(_("the delivery cannot be before the window closes"), column="--delivery")
        )
    if strategy not in tuple(Strategy):
        problems.append(
            Problem(
                _("“{value}” is not one of: {options}").format(
                    value=strategy, options=", ".join(Strategy)
                ),
                column="--strategy",
            )
        )
    if not suppliers:
        problems.append(Problem(_("give at least one supplier"), column="--supplier"))
    producers: list[tuple[Producer, str]] = []
    for supplier in suppliers:
        producer = catalog.producer_by_code(session, supplier.code)
        if producer is None:
            problems.append(
                Problem(
                    _("no producer has the code {code}").format(code=supplier.code),
                    column="--supplier",
                )
            )
        elif supplier.rounding not in tuple(Rounding):
            problems.append(
                Problem(
                    _("“{value}” is not one of: {options}").format(
                        value=supplier.rounding, options=", ".join(Rounding)
                    ),
                    column="--supplier",
                )
            )
        elif any(p.id == producer.id for p, _mode in producers):
            problems.append(
                Problem(
                    _("supplier {code} given twice").format(code=supplier.code),
                    column="--supplier",
                )
            )
        else:
            producers.append((producer, supplier.rounding))
    if problems:
        raise InvalidInput(problems)
    cycle = OrderCycle(
        code=code,
        name=name.strip(),
        state=CycleState.DRAFT.value,
        strategy=strategy,
        opens_at=opens_at,
        closes_at=closes_at,
        boxfill_at=boxfill_at,
        delivery_on=delivery_on,
        delivery_place=(delivery_place or "").strip() or None,
        use_tolerance=use_tolerance,
        created_at=now,
        updated_at=now,
        created_by=actor.recorded,
    )
    session.add(cycle)
    session.flush()
    session.execute(
        insert(table_of(OrderCycleSupplier)),
        [
            {"cycle_id": cycle.id, "producer_id": producer.id, "rounding": mode}
            for producer, mode in producers
        ],
    )
    audit.record(
        session,
        actor=actor,
        at=now,
        action="orders.create",
        entity="order_cycle",
        entity_id=cycle.code,
        after={
            "name": cycle.name,
            "suppliers": [f"{p.code}:{mode}" for p, mode in producers],
            "opens_at": opens_at.isoformat(),
            "closes_at": closes_at.isoformat(),
            "delivery_on": delivery_on.isoformat(),
            "strategy": strategy,
        },
    )
    return cycle


def open_cycle(session: Session, *, code: str, actor: Actor, now: datetime) -> OrderCycle:
    """Members may order (from ``opens_at``); the cycle needs articles."""
    cycle = get_cycle(session, code, lock=True)
    count = session.scalar(
        select(func.count(OrderArticle.id)).where(OrderArticle.cycle_id == cycle.id)
    )
    if CycleState(cycle.state) is CycleState.DRAFT and not count:
        raise OrderRefused(
            _("The order cycle {code} has no articles yet: import some first.").format(
                code=cycle.code
            )
        )
    advance(
        cycle, CycleState.OPEN, now=now, already=_("The order cycle {code} is already {state}.")
    )
    audit.record(
        session,
        actor=actor,
        at=now,
        action="orders.open",
        entity="order_cycle",
        entity_id=cycle.code,
        after={"articles": count},
    )
    return cycle


# --- member orders ------------------------------------------------------------------------------


def get_article(session: Session, cycle: OrderCycle, reference: str) -> OrderArticle:
    article = session.scalar(
        select(OrderArticle).where(
            OrderArticle.cycle_id == cycle.id, OrderArticle.reference == reference.strip()
        )
    )
    if article is None:
        raise NotFound(
            _("The order cycle {code} has no article {reference}.").format(
                code=cycle.code, reference=reference
            )
        )
    return article


def rounding_of(session: Session, cycle: OrderCycle, producer_id: int) -> Rounding:
    """The case rounding mode of a supplier in a cycle (Foodsoft's when none was chosen)."""
    mode = session.scalar(
        select(OrderCycleSupplier.rounding).where(
            OrderCycleSupplier.cycle_id == cycle.id,
            OrderCycleSupplier.producer_id == producer_id,
        )
    )
    return Rounding(mode or Rounding.FOODSOFT.value)


# --- closing and sending ------------------------------------------------------------------------


def close(session: Session, *, code: str, actor: Actor, now: datetime) -> OrderCycle:
    """End the window: round every article to cases and allocate what is ordered (one pass).

    Closing twice is refused. The window may be closed early by the coordinator.
    """
    return close_with_result(session, code=code, actor=actor, now=now)[0]


def close_with_result(
    session: Session, *, code: str, actor: Actor, now: datetime
) -> tuple[OrderCycle, allocation.CloseResult]:
    """``close``, with what the allocation did and read (the demand), so that a view of the
    closed cycle needs not read the ledger again."""
    cycle = get_cycle(session, code, lock=True)
    advance(
        cycle,
        CycleState.CLOSED,
        now=now,
        already=_("The order cycle {code} is already {state}: it cannot be closed again."),
    )
    cycle.closed_at = now
    result = allocation.close_cycle(session, cycle)
    audit.record(
        session,
        actor=actor,
        at=now,
        action="orders.close",
        entity="order_cycle",
        entity_id=cycle.code,
        after={
            "articles": result.articles,
            "cases": result.cases,
            "lines": result.lines,
            "strategy": cycle.strategy,
        },
    )
    return cycle, result


def set_cases(
    session: Session, *, code: str, reference: str, cases: int, actor: Actor, now: datetime
) -> OrderArticle:
    """The coordinator decides an article's cases (suppliers in ``manual`` rounding mode), after
    closing and before sending; the article is allocated again."""
    cycle = get_cycle(session, code, lock=True)
    require_state(cycle, CycleState.CLOSED)
    article = get_article(session, cycle, reference)
    if rounding_of(session, cycle, article.producer_id) is not Rounding.MANUAL:
        raise OrderRefused(
            _(
                "{name}: its supplier's cases are rounded automatically (mode manual is needed"
                " to decide them by hand)."
            ).format(name=article.name)
        )
    if isinstance(cases, bool) or not isinstance(cases, int) or cases < 0:
        raise refuse(_("a quantity cannot be negative: “{text}”").format(text=cases), "CASES")
    before = article.manual_cases
    article.manual_cases = cases
    allocation.close_cycle(session, cycle, article_ids=[article.id])
    audit.record(
        session,
        actor=actor,
        at=now,
        action="orders.cases",
        entity="order_article",
        entity_id=f"{cycle.code}/{article.reference}",
        before={"cases": before},
        after={"cases": cases},
    )
    return article


def send(session: Session, *, code: str, actor: Actor, now: datetime) -> OrderCycle:
    """The order went to the suppliers; refused while a manual article awaits its cases."""
    cycle = get_cycle(session, code, lock=True)
    if CycleState(cycle.state) is CycleState.CLOSED:
        waiting = allocation.undecided_articles(session, cycle)
        if waiting:
            raise OrderRefused(
                _(
                    "Decide the cases of {references} first (manual rounding:"
                    " `coop orders cases {code} REFERENCE N`)."
                ).format(references=", ".join(waiting), code=cycle.code)
            )
    advance(
        cycle, CycleState.SENT, now=now, already=_("The order cycle {code} is already {state}.")
    )
    cycle.sent_at = now
    audit.record(
        session,
        actor=actor,
        at=now,
        action="orders.send",
        entity="order_cycle",
        entity_id=cycle.code,
    )
    return cycle


def vat_rate(article: OrderArticle) -> Decimal:
    return bp_to_rate(article.vat_rate_bp)
