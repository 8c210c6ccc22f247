"""Till sessions and the cash drawer: opening with a counted float, cash put in or taken out,
what the drawer should hold, closing with the counted cash.

At most one open session per till (also a unique index). Opening first takes the daily closures
the till still owes (a day whose Z was forgotten, ``coop.till.closing.close_due``); closing
records the difference (counted − expected) and never corrects it: a shortfall stays visible.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.clock import SHOP_TIMEZONE, local_date
from coop.config import TillSettings
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.money import format_money
from coop.rights import Right, require
from coop.till import closing
from coop.till.cash import CashCount, CashMovement, MovementReason, reconcile
from coop.till.closure_models import CashMovementRow
from coop.till.models import Sale, SalePayment, TillSession
from coop.till.payments import Means, Payment, Settlement
from coop.till.refusals import Refused, TillRefusal, TillRefused
from coop.till.registry import lock_till, open_session_of, require_open_session


def _pieces(count: CashCount) -> list[list[int]] | None:
    return None if count.pieces is None else [[d, n] for d, n in count.pieces]


def open_session(
    session: Session,
    *,
    till_code: str | None,
    count: CashCount,
    settings: TillSettings,
    actor: Actor,
    now: datetime,
) -> TillSession:
    """Open the till with a counted float. Refused while a session is open. Daily closures
    the till still owes for earlier days are taken first (``closing.close_due``). Only someone
    who may sell opens it (``coop.rights``): the session is theirs."""
    require(actor, Right.SELL, entity="till", entity_id=till_code or settings.till)
    till = lock_till(session, till_code, settings=settings, actor=actor, now=now)
    current = open_session_of(session, till)
    if current is not None:
        raise TillRefused(
            TillRefusal.SESSION_OPEN,
            _("The till {code} is already open (since {at}, by {who}): close it first.").format(
                code=till.code, at=_time(current.opened_at), who=current.opened_by
            ),
        )
    closing.close_due(session, till, settings=settings, actor=actor, now=now)
    today = local_date(now)
    if till.closed_until is not None and today <= till.closed_until:
        raise TillRefused(
            TillRefusal.DAY_CLOSED,
            _("Today's Z is taken on till {code}: it opens again tomorrow.").format(code=till.code),
        )
    row = TillSession(
        till_id=till.id,
        opened_at=now,
        opened_by=actor.label,
        opening_cents=count.total_cents,
        opening_pieces=_pieces(count),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="till.open",
        entity="till_session",
        entity_id=row.id,
        after={"till": till.code, "opening_cents": row.opening_cents},
    )
    return row


def _time(moment: datetime) -> str:
    return moment.astimezone(SHOP_TIMEZONE).strftime("%d/%m/%Y %H:%M")


def cash_movement(
    session: Session,
    *,
    till_code: str | None,
    amount_cents: int,
    reason: MovementReason | str,
    settings: TillSettings,
    actor: Actor,
    now: datetime,
    note: str | None = None,
) -> CashMovementRow:
    """Cash put into (> 0) or taken out of (< 0) the open drawer without a sale."""
    till = lock_till(session, till_code, settings=settings)
    current = require_open_session(session, till)
    try:
        movement = CashMovement(amount_cents, MovementReason(reason), note or "")
    except (ValueError, Refused) as error:
        raise InvalidInput([Problem(str(error), column="--reason")]) from error
    if movement.amount_cents == 0:
        raise InvalidInput([Problem(_("the amount must be a whole number of cents, not zero"))])
    row = CashMovementRow(
        session_id=current.id,
        at=now,
        amount_cents=movement.amount_cents,
        reason=movement.reason.value,
        note=note,
        actor=actor.label,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="till.cash_movement",
        entity="till_session",
        entity_id=current.id,
        after={"amount_cents": row.amount_cents, "reason": row.reason},
        reason=note,
    )
    return row


def session_settlements(session: Session, till_session: TillSession) -> list[Settlement]:
    """The cash side of every sale of a session (two queries, however many sales)."""
    sales = session.execute(
        select(Sale.id, Sale.total_cents, Sale.cash_tendered_cents, Sale.change_cents).where(
            Sale.session_id == till_session.id
        )
    ).all()
    cash = dict(
        session.execute(
            select(SalePayment.sale_id, func.sum(SalePayment.amount_cents))
            .join(Sale, Sale.id == SalePayment.sale_id)
            .where(Sale.session_id == till_session.id, SalePayment.means == Means.CASH.value)
            .group_by(SalePayment.sale_id)
        ).all()
    )
    return [
        Settlement(
            total_cents=total,
            payments=(Payment(Means.CASH, int(cash[sale_id])),) if sale_id in cash else (),
            cash_tendered_cents=tendered,
            change_cents=change,
        )
        for sale_id, total, tendered, change in sales
    ]


def session_movements(session: Session, till_session: TillSession) -> list[CashMovement]:
    rows = session.scalars(
        select(CashMovementRow)
        .where(CashMovementRow.session_id == till_session.id)
        .order_by(CashMovementRow.id)
    )
    return [
        CashMovement(row.amount_cents, MovementReason(row.reason), row.note or "") for row in rows
    ]


def expected_cash(session: Session, till_session: TillSession) -> int:
    """What the drawer should hold now: float + cash taken − change − cash paid out ± movements."""
    opening = CashCount(till_session.opening_cents)
    return reconcile(
        opening,
        session_settlements(session, till_session),
        CashCount(0),
        session_movements(session, till_session),
    ).expected_cents


def close_session(
    session: Session,
    *,
    till_code: str | None,
    counted: CashCount,
    settings: TillSettings,
    actor: Actor,
    now: datetime,
    note: str | None = None,
) -> TillSession:
    """Close the open session with the counted cash; the difference (counted − expected) is
    recorded, never corrected: a shortfall stays visible."""
    till = lock_till(session, till_code, settings=settings)
    current = open_session_of(session, till)
    if current is None:
        raise TillRefused(
            TillRefusal.SESSION_CLOSED,
            _("The till {code} has no open session to close.").format(code=till.code),
        )
    reconciliation = reconcile(
        CashCount(current.opening_cents),
        session_settlements(session, current),
        counted,
        session_movements(session, current),
    )
    if abs(reconciliation.difference_cents) > settings.max_cash_difference_cents:
        require(actor, Right.CLOSE_WITH_DIFFERENCE, entity="till_session", entity_id=current.id)
    current.closed_at = now
    current.closed_by = actor.label
    current.counted_cents = counted.total_cents
    current.closing_pieces = _pieces(counted)
    current.expected_cents = reconciliation.expected_cents
    current.difference_cents = reconciliation.difference_cents
    current.note = note
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="till.close",
        entity="till_session",
        entity_id=current.id,
        after={
            "till": till.code,
            "counted_cents": current.counted_cents,
            "expected_cents": current.expected_cents,
            "difference_cents": current.difference_cents,
        },
        reason=note,
    )
    return current


def difference_text(cents: int) -> str:
    if cents == 0:
        return _("the drawer is right")
    if cents > 0:
        return _("surplus of {amount}").format(amount=format_money(cents))
    return _("shortfall of {amount}").format(amount=format_money(-cents))
