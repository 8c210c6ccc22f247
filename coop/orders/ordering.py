"""A household orders: the use case that sets a member's firm quantity and tolerance for an
article of an open cycle, checked against the window and the box-fill rule (reference §2.4), and
appended to the demand ledger.

Like every use case it takes a Session and ``now`` and works in the caller's transaction. The
cycles themselves (reading, opening, closing, sending) are in ``coop.orders.service``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from coop import audit
from coop.accounts.service import holder
from coop.audit import Actor
from coop.clock import local_date
from coop.dates import format_date
from coop.db import table_of
from coop.errors import NotFound
from coop.i18n import _
from coop.members import service as members
from coop.orders import rules
from coop.orders.models import OrderArticle, OrderIncrement
from coop.orders.rules import BoxfillVerdict, CycleState, Demand, Rounding
from coop.orders.service import (
    OrderRefused,
    format_moment,
    get_cycle,
    refuse,
    rounding_of,
)
from coop.orders.words import state_word


def _member_increments(session: Session, article_id: int, member_id: int) -> list[rules.Increment]:
    rows = session.execute(
        select(
            OrderIncrement.quantity, OrderIncrement.tolerance, OrderIncrement.at, OrderIncrement.id
        ).where(OrderIncrement.article_id == article_id, OrderIncrement.member_id == member_id)
    ).all()
    return [rules.Increment(q, t, at, seq) for q, t, at, seq in rows]


def article_totals(session: Session, article_id: int) -> Demand:
    """Q and T of an article: the sums of its ledger (reductions included)."""
    q, t = session.execute(
        select(
            func.coalesce(func.sum(OrderIncrement.quantity), 0),
            func.coalesce(func.sum(OrderIncrement.tolerance), 0),
        ).where(OrderIncrement.article_id == article_id)
    ).one()
    return Demand(int(q), int(t))


@dataclass(frozen=True)
class OrderResult:
    """A member's order of one article after a change, and how full the last case is."""

    reference: str
    name: str
    member_number: int
    demand: Demand
    article: Demand
    """The article's totals Q and T, all households."""
    case_size: int
    cases: int
    """Cases the article would be ordered in if the cycle closed now (its supplier's mode)."""
    missing_units: int
    """Units still needed to fill the last case (tolerance counted)."""
    verdict: BoxfillVerdict
    changed: bool


def order(
    session: Session,
    *,
    code: str,
    member_number: int,
    reference: str,
    quantity: int,
    tolerance: int = 0,
    actor: Actor,
    now: datetime,
) -> OrderResult:
    """Set a household's firm quantity and tolerance for an article (an increment is appended).

    Refused outside the window, for a negative figure, for a tolerance on an article sold by
    weight, and during box-fill for a change that would empty a case (reference §2.4).
    """
    cycle = get_cycle(session, code)
    if CycleState(cycle.state) is not CycleState.OPEN:
        raise OrderRefused(
            _("The order cycle {code} is {state}: orders can no longer be changed.").format(
                code=cycle.code, state=state_word(cycle.state)
            )
            if CycleState(cycle.state) is not CycleState.DRAFT
            else _("The order cycle {code} is not open for orders yet.").format(code=cycle.code)
        )
    if not rules.may_order(cycle.state, now, opens_at=cycle.opens_at, closes_at=cycle.closes_at):
        raise OrderRefused(
            _("Ordering in the cycle {code} is possible from {opens} to {closes}, not now.").format(
                code=cycle.code,
                opens=format_moment(cycle.opens_at),
                closes=format_moment(cycle.closes_at),
            )
        )
    for value, column in ((quantity, "QUANTITY"), (tolerance, "--tolerance")):
        if isinstance(value, bool) or not isinstance(value, int):
            raise refuse(_("“{value}” is not a whole number").format(value=value), column)
        if value < 0:
            raise refuse(_("a quantity cannot be negative: “{text}”").format(text=value), column)
    # the article row is locked so that two households' box-fill checks never interleave
    article = session.scalar(
        select(OrderArticle)
        .where(OrderArticle.cycle_id == cycle.id, OrderArticle.reference == reference.strip())
        .with_for_update()
    )
    if article is None:
        raise NotFound(
            _("The order cycle {code} has no article {reference}.").format(
                code=cycle.code, reference=reference
            )
        )
    if tolerance and article.by_weight:
        raise refuse(
            _("{name} is sold by weight: no tolerance, order the weight you want.").format(
                name=article.name
            ),
            "--tolerance",
        )
    person = members.get_by_number(session, member_number)
    member = holder(person)
    for who in {person.id: person, member.id: member}.values():
        if who.left_on is not None and who.left_on <= local_date(now):
            raise OrderRefused(
                _("Member {number} left the coop on {day}: no more orders.").format(
                    number=who.number, day=format_date(who.left_on)
                )
            )
    current = rules.fold(_member_increments(session, article.id, member.id)).demand
    totals = article_totals(session, article.id)
    target = Demand(quantity, tolerance)
    minimum = article.minimum
    verdict = rules.check_change(
        totals,
        current,
        target,
        at=now,
        boxfill_at=cycle.boxfill_at,
        case_size=article.case_size,
        minimum=minimum,
    )
    if not verdict.accepted:
        missing = rules.missing_units(totals.quantity, totals.tolerance, article.case_size, minimum)
        raise OrderRefused(
            _(
                "Box-fill phase: {name} can only change in ways that help fill its cases"
                " ({missing} units still missing in the last case); lowering a quantity or a"
                " tolerance is no longer possible."
            ).format(name=article.name, missing=missing)
        )
    row = rules.increment_for(current, target, now, 0)
    if row is not None:
        session.execute(
            insert(table_of(OrderIncrement)),
            [
                {
                    "article_id": article.id,
                    "member_id": member.id,
                    "quantity": row.quantity,
                    "tolerance": row.tolerance,
                    "at": now,
                    "actor": actor.recorded,
                }
            ],
        )
        audit.record(
            session,
            actor=actor,
            at=now,
            action="orders.order",
            entity="order_article",
            entity_id=f"{cycle.code}/{article.reference}",
            member_id=member.id,
            before={"quantity": current.quantity, "tolerance": current.tolerance},
            after={"quantity": quantity, "tolerance": tolerance, "verdict": verdict.value},
        )
    after = Demand(
        totals.quantity - current.quantity + quantity,
        totals.tolerance - current.tolerance + tolerance,
    )
    mode = rounding_of(session, cycle, article.producer_id)
    summary = rules.summarize(
        after.quantity,
        after.tolerance,
        article.case_size,
        mode=mode,
        minimum=minimum,
        manual_cases=article.manual_cases if mode is Rounding.MANUAL else None,
    )
    return OrderResult(
        reference=article.reference,
        name=article.name,
        member_number=member.number,
        demand=target,
        article=after,
        case_size=article.case_size,
        cases=summary.cases,
        missing_units=summary.missing_units,
        verdict=verdict,
        changed=row is not None,
    )
