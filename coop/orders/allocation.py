"""Running the allocation on a cycle, set-based: one query per kind of row, never one per line.

``load_demand`` reads the whole demand ledger of a cycle (or of some articles) in one query and
folds it into ``DemandLine`` values with the manual corrections (pins) already stored;
``close_cycle`` rounds every article with its supplier's mode and allocates the units ordered;
``reallocate`` allocates given quantities (what was received) again, keeping the pins. Both
replace the stored allocations with one DELETE and one multi-row INSERT. Everything between
is the pure ``coop.orders.rules`` code, linear in the number of ledger rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from coop.collector import paused_gc
from coop.db import table_of
from coop.orders import rules
from coop.orders.models import (
    OrderAllocation,
    OrderArticle,
    OrderCycle,
    OrderCycleSupplier,
    OrderIncrement,
)
from coop.orders.rules import Allocation, DemandLine, Rounding, Strategy


@dataclass(frozen=True)
class Pin:
    quantity: int
    note: str | None


@dataclass
class ArticleDemand:
    """One article's demand lines (one per household), with the stored pins applied."""

    lines: list[DemandLine]
    notes: dict[int, str | None]

    @property
    def quantity(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def tolerance(self) -> int:
        return sum(line.tolerance for line in self.lines)


def _article_filter(query, column, article_ids: Iterable[int] | None):  # type: ignore[no-untyped-def]
    return query if article_ids is None else query.where(column.in_(list(article_ids)))


def load_demand(
    session: Session,
    cycle: OrderCycle,
    *,
    article_ids: Sequence[int] | None = None,
    with_pins: bool = True,
) -> dict[int, ArticleDemand]:
    """{article id: its demand}, from one query on the ledger and one on the pins."""
    query = (
        select(
            OrderIncrement.article_id,
            OrderIncrement.member_id,
            OrderIncrement.quantity,
            OrderIncrement.tolerance,
            OrderIncrement.at,
            OrderIncrement.id,
        )
        .join(OrderArticle, OrderArticle.id == OrderIncrement.article_id)
        .where(OrderArticle.cycle_id == cycle.id)
        .order_by(
            OrderIncrement.article_id,
            OrderIncrement.member_id,
            OrderIncrement.at,
            OrderIncrement.id,
        )
    )
    # Core rows straight from the connection: no ORM loading for tens of thousands of tuples
    rows = (
        session.connection()
        .execute(_article_filter(query, OrderIncrement.article_id, article_ids))
        .all()
    )
    pins: dict[tuple[int, int], Pin] = {}
    if with_pins:
        pin_query = select(
            OrderAllocation.article_id,
            OrderAllocation.member_id,
            OrderAllocation.quantity,
            OrderAllocation.note,
        ).where(OrderAllocation.cycle_id == cycle.id, OrderAllocation.pinned.is_(True))
        for article_id, member_id, quantity, note in session.execute(
            _article_filter(pin_query, OrderAllocation.article_id, article_ids)
        ):
            pins[(article_id, member_id)] = Pin(quantity, note)
    demand: dict[int, ArticleDemand] = {}
    for article_id, article_rows in groupby(rows, key=itemgetter(0)):
        lines: list[DemandLine] = []
        notes: dict[int, str | None] = {}
        for member_id, group in groupby(article_rows, key=itemgetter(1)):
            member_rows = list(group)
            pin = pins.pop((article_id, member_id), None)
            pinned = pin.quantity if pin is not None else None
            line = rules.demand_line_from_rows(
                member_id, [row[2:] for row in member_rows], pinned=pinned
            )
            if line.quantity or line.tolerance or line.pinned is not None:
                lines.append(line)
                notes[member_id] = pin.note if pin is not None else None
        demand[article_id] = ArticleDemand(lines, notes)
    # a household given goods by hand without having ordered any
    for (article_id, member_id), pin in sorted(pins.items()):
        entry = demand.setdefault(article_id, ArticleDemand([], {}))
        entry.lines.append(DemandLine(member_id, 0, 0, cycle.closes_at, pinned=pin.quantity))
        entry.notes[member_id] = pin.note
    return demand


def rounding_modes(session: Session, cycle: OrderCycle) -> dict[int, Rounding]:
    """{producer id: rounding mode} of the cycle's suppliers."""
    return {
        producer_id: Rounding(mode)
        for producer_id, mode in session.execute(
            select(OrderCycleSupplier.producer_id, OrderCycleSupplier.rounding).where(
                OrderCycleSupplier.cycle_id == cycle.id
            )
        )
    }


def summarize_article(
    article: OrderArticle, mode: Rounding, quantity: int, tolerance: int
) -> rules.CaseSummary:
    return rules.summarize(
        quantity,
        tolerance,
        article.case_size,
        mode=mode,
        minimum=article.minimum,
        manual_cases=article.manual_cases if mode is Rounding.MANUAL else None,
    )


_COLUMNS = ("member_id", "quantity", "computed", "pinned", "note")
# One stored allocation row, in the order of _COLUMNS.
_Row = tuple[int, int, int, bool, str | None]


def stored_allocations(
    session: Session, cycle: OrderCycle, article_ids: Sequence[int] | None
) -> dict[int, set[_Row]]:
    """{article id: its stored allocation rows as tuples (member id, quantity, computed,
    pinned, note)}, one query (``None``: every article)."""
    query = select(
        OrderAllocation.article_id,
        OrderAllocation.member_id,
        OrderAllocation.quantity,
        OrderAllocation.computed,
        OrderAllocation.pinned,
        OrderAllocation.note,
    ).where(OrderAllocation.cycle_id == cycle.id)
    stored: dict[int, set[_Row]] = {}
    for article_id, *values in session.connection().execute(
        _article_filter(query, OrderAllocation.article_id, article_ids)
    ):
        stored.setdefault(article_id, set()).add(
            (values[0], values[1], values[2], bool(values[3]), values[4])
        )
    return stored


def _write(
    session: Session,
    cycle: OrderCycle,
    results: Mapping[int, tuple[ArticleDemand, Allocation]],
    *,
    article_ids: Sequence[int] | None,
) -> int:
    """Store the allocations of these articles (all of the cycle's when None): only the articles
    whose rows changed are rewritten (one DELETE, one multi-row INSERT), so a delivery that
    mostly arrived as ordered writes little. Returns the rows written."""
    stored = stored_allocations(session, cycle, article_ids)
    wanted: dict[int, list[_Row]] = {}
    for article_id, (demand, result) in results.items():
        wanted[article_id] = [
            (
                line.member_id,
                result.allocated[index],
                result.computed[index],
                result.pinned[index],
                demand.notes.get(line.member_id),
            )
            for index, line in enumerate(demand.lines)
        ]
    changed = [
        article_id
        for article_id in sorted(set(stored) | set(wanted))
        if stored.get(article_id, set()) != set(wanted.get(article_id, []))
    ]
    stale = [article_id for article_id in changed if article_id in stored]
    for start in range(0, len(stale), 500):
        session.execute(
            delete(OrderAllocation)
            .where(
                OrderAllocation.cycle_id == cycle.id,
                OrderAllocation.article_id.in_(stale[start : start + 500]),
            )
            .execution_options(synchronize_session=False)
        )
    rows = [
        {"article_id": article_id, "cycle_id": cycle.id, **dict(zip(_COLUMNS, values, strict=True))}
        for article_id in changed
        for values in wanted.get(article_id, [])
    ]
    if rows:
        session.execute(insert(table_of(OrderAllocation)), rows)
    return len(rows)


def _articles(
    session: Session, cycle: OrderCycle, article_ids: Sequence[int] | None
) -> list[OrderArticle]:
    query = select(OrderArticle).where(OrderArticle.cycle_id == cycle.id)
    return list(
        session.scalars(
            _article_filter(query, OrderArticle.id, article_ids).order_by(OrderArticle.id)
        )
    )


@dataclass(frozen=True)
class CloseResult:
    articles: int
    cases: int
    lines: int
    demand: dict[int, ArticleDemand] = field(default_factory=dict)
    """The demand the allocation read: a view of the closed cycle needs not read it again."""


def _close_cycle(
    session: Session, cycle: OrderCycle, *, article_ids: Sequence[int] | None = None
) -> CloseResult:
    """Round every article (or these) with its supplier's mode; allocate the units ordered."""
    articles = _articles(session, cycle, article_ids)
    modes = rounding_modes(session, cycle)
    demand = load_demand(session, cycle, article_ids=article_ids)
    strategy = Strategy(cycle.strategy)
    updates = []
    results: dict[int, tuple[ArticleDemand, Allocation]] = {}
    cases = 0
    for article in articles:
        entry = demand.get(article.id, ArticleDemand([], {}))
        summary = summarize_article(
            article,
            modes.get(article.producer_id, Rounding.FOODSOFT),
            entry.quantity,
            entry.tolerance,
        )
        updates.append(
            {"b_id": article.id, "b_cases": summary.cases, "b_ordered": summary.units_ordered}
        )
        cases += summary.cases
        if entry.lines:
            results[article.id] = (
                entry,
                rules.allocate(entry.lines, summary.units_ordered, strategy),
            )
    if updates:
        session.execute(
            update(table_of(OrderArticle))
            .where(table_of(OrderArticle).c.id == bindparam("b_id"))
            .values(cases=bindparam("b_cases"), ordered=bindparam("b_ordered")),
            updates,
        )
        for article in articles:  # written above; not dirty
            session.expire(article, ["cases", "ordered"])
    lines = _write(session, cycle, results, article_ids=article_ids)
    return CloseResult(len(articles), cases, lines, demand)


def _reallocate(
    session: Session,
    cycle: OrderCycle,
    available: Mapping[int, int],
    *,
    article_ids: Sequence[int] | None = None,
) -> dict[int, Allocation]:
    """Allocate ``available`` {article id: units} again with the cycle's strategy, keeping pins;
    at delivery the surplus first fills tolerance if the cycle says so."""
    demand = load_demand(session, cycle, article_ids=article_ids)
    strategy = Strategy(cycle.strategy)
    results: dict[int, tuple[ArticleDemand, Allocation]] = {}
    out: dict[int, Allocation] = {}
    for article_id, units in available.items():
        entry = demand.get(article_id, ArticleDemand([], {}))
        result = rules.allocate(entry.lines, units, strategy, use_tolerance=cycle.use_tolerance)
        out[article_id] = result
        if entry.lines:
            results[article_id] = (entry, result)
    _write(session, cycle, results, article_ids=article_ids)
    return out


def close_cycle(
    session: Session, cycle: OrderCycle, *, article_ids: Sequence[int] | None = None
) -> CloseResult:
    """Round every article (or these) with its supplier's mode; allocate the units ordered."""
    with paused_gc():
        return _close_cycle(session, cycle, article_ids=article_ids)


def reallocate(
    session: Session,
    cycle: OrderCycle,
    available: Mapping[int, int],
    *,
    article_ids: Sequence[int] | None = None,
) -> dict[int, Allocation]:
    """Allocate ``available`` {article id: units} again with the cycle's strategy, keeping pins;
    at delivery the surplus first fills tolerance if the cycle says so."""
    with paused_gc():
        return _reallocate(session, cycle, available, article_ids=article_ids)


def totals(session: Session, cycle: OrderCycle) -> dict[int, tuple[int, int]]:
    """{article id: (Q, T)} summed in the database (the ledger's deltas add up)."""
    query = (
        select(
            OrderIncrement.article_id,
            func.sum(OrderIncrement.quantity),
            func.sum(OrderIncrement.tolerance),
        )
        .join(OrderArticle, OrderArticle.id == OrderIncrement.article_id)
        .where(OrderArticle.cycle_id == cycle.id)
        .group_by(OrderIncrement.article_id)
    )
    return {article_id: (int(q), int(t)) for article_id, q, t in session.execute(query)}


def undecided_articles(session: Session, cycle: OrderCycle) -> list[str]:
    """References of manual-mode articles whose firm demand does not fill whole cases and whose
    cases nobody has decided yet."""
    modes = rounding_modes(session, cycle)
    sums = totals(session, cycle)
    waiting = []
    for article in _articles(session, cycle, None):
        mode = modes.get(article.producer_id, Rounding.FOODSOFT)
        if mode is not Rounding.MANUAL:
            continue
        q, t = sums.get(article.id, (0, 0))
        if summarize_article(article, mode, q, t).needs_decision:
            waiting.append(article.reference)
    return waiting
