"""Tills, their sessions and cash drawer, the journal's head, and member-category price rules.

- ``lock_till`` finds a till by code and locks its row until the end of the transaction
  (``FOR UPDATE`` on PostgreSQL; SQLite lets one writer at a time anyway). Everything that
  appends to a till's journal (a sale, a closure) does it first: the journal's head
  (``last_seq``, ``last_hash``, the last numbers) is then read and moved by one writer at a
  time, so numbers are gapless and the chain has no fork, whatever the number of tills.
- ``append`` seals one record after the head (``coop.till.journal``), writes it with its
  canonical data and moves the head.
- Sessions: ``open_session`` with a counted float, ``close_session`` with the counted cash
  (coin by coin or a declared total) and the difference against what the sales say; at most
  one open session per till (also a unique index). Opening first takes the daily closures the
  till still owes (a day whose Z was forgotten), see ``coop.till.closing``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from coop import audit
from coop.audit import Actor
from coop.config import TillSettings
from coop.errors import CoopError, InvalidInput, NotFound, Problem
from coop.i18n import _
from coop.members.models import Member, MemberCategory
from coop.money import format_money
from coop.till.cash import CashCount, CashMovement, MovementReason, reconcile
from coop.till.journal import (
    GENESIS_HASH,
    RecordKind,
    canonical_bytes,
    document_bytes,
    hash_bytes,
)
from coop.till.models import (
    CashMovementRow,
    CategoryPriceRule,
    JournalEntry,
    Sale,
    SalePayment,
    Till,
    TillSession,
)
from coop.till.payments import Means, Payment, Settlement
from coop.till.pricing import PriceRule, check_rounding
from coop.till.refusals import Refused


class TillRefused(CoopError):
    """Something the till refuses to do; ``code`` names the case for screens and tests."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


# --- tills ----------------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    return code.strip().upper()


def create_till(
    session: Session, code: str, *, actor: Actor, now: datetime, name: str | None = None
) -> Till:
    code = normalise_code(code)
    if not code or len(code) > 16:
        raise InvalidInput([Problem(_("a till code has 1 to 16 characters"), column="code")])
    if session.scalar(select(Till.id).where(Till.code == code)) is not None:
        raise InvalidInput([Problem(_("the till {code} already exists").format(code=code))])
    till = Till(
        code=code,
        name=(name or code).strip(),
        last_seq=0,
        last_hash=GENESIS_HASH,
        last_sale_number=0,
        last_day_closure=0,
        last_month_closure=0,
        last_year_closure=0,
        created_at=now,
    )
    session.add(till)
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="till.create",
        entity="till",
        entity_id=till.id,
        after={"code": till.code, "name": till.name},
    )
    return till


def get_till(session: Session, code: str) -> Till:
    till = session.scalar(select(Till).where(Till.code == normalise_code(code)))
    if till is None:
        raise NotFound(_("No till has the code {code}.").format(code=normalise_code(code)))
    return till


def tills(session: Session) -> list[Till]:
    return list(session.scalars(select(Till).order_by(Till.code)))


def lock_till(
    session: Session,
    code: str | None,
    *,
    settings: TillSettings,
    actor: Actor | None = None,
    now: datetime | None = None,
) -> Till:
    """The till ``code`` (default: this computer's, ``[till] till``), locked for this
    transaction and read afresh. This computer's till is created at its first use."""
    code = normalise_code(code or settings.till)
    query = select(Till).where(Till.code == code).with_for_update()
    till = session.scalar(query.execution_options(populate_existing=True))
    if till is None:
        if code != normalise_code(settings.till) or actor is None or now is None:
            raise NotFound(_("No till has the code {code}.").format(code=code))
        create_till(session, code, actor=actor, now=now)
        till = session.scalar(query.execution_options(populate_existing=True))
        assert till is not None
    return till


def lock_open_till(
    session: Session,
    code: str | None,
    *,
    settings: TillSettings,
    actor: Actor | None = None,
    now: datetime | None = None,
) -> tuple[Till, int]:
    """``lock_till`` and the id of its open session in one query (what every sale needs),
    or TillRefused("till_closed")."""
    wanted = normalise_code(code or settings.till)
    query = (
        select(Till, TillSession.id)
        .outerjoin(TillSession, (TillSession.till_id == Till.id) & TillSession.closed_at.is_(None))
        .where(Till.code == wanted)
        .with_for_update(of=Till)
        .execution_options(populate_existing=True)
    )
    row = session.execute(query).first()
    if row is None:
        till = lock_till(session, wanted, settings=settings, actor=actor, now=now)
        require_open_session(session, till)  # a till just created has no session
        raise AssertionError("unreachable")
    till, session_id = row
    if session_id is None:
        require_open_session(session, till)
    return till, session_id


# --- the journal's head -----------------------------------------------------------------------


@dataclass(frozen=True)
class Sealed:
    seq: int
    hash: str
    previous_hash: str


def append(
    session: Session,
    till: Till,
    *,
    kind: RecordKind,
    number: int,
    at: datetime,
    data: Mapping[str, Any],
    sale_id: int | None = None,
    closure_id: int | None = None,
) -> Sealed:
    """Seal ``data`` as the next record of ``till`` (locked by ``lock_till``) and move the head.

    ``number`` must be the next of its kind; the caller has checked it (and the database's
    unique constraints would refuse a duplicate).
    """
    seq = till.last_seq + 1
    data_bytes = canonical_bytes(data)
    previous = till.last_hash
    digest = hash_bytes(document_bytes(till.id, seq, kind, number, at, data_bytes, previous))
    session.execute(
        insert(JournalEntry.__table__),
        {
            "till_id": till.id,
            "seq": seq,
            "kind": RecordKind(kind).value,
            "number": number,
            "at": at,
            "data": data_bytes.decode("ascii"),
            "previous_hash": previous,
            "hash": digest,
            "sale_id": sale_id,
            "closure_id": closure_id,
        },
    )
    head: dict[str, Any] = {"last_seq": seq, "last_hash": digest}
    counter = {
        RecordKind.SALE: "last_sale_number",
        RecordKind.DAY_CLOSURE: "last_day_closure",
        RecordKind.MONTH_CLOSURE: "last_month_closure",
        RecordKind.YEAR_CLOSURE: "last_year_closure",
    }[RecordKind(kind)]
    head[counter] = number
    session.execute(
        update(Till)
        .where(Till.id == till.id)
        .values(**head)
        .execution_options(synchronize_session=False)
    )
    for key, value in head.items():  # the row is written: keep the object in step, not dirty
        set_committed_value(till, key, value)
    return Sealed(seq, digest, previous)


# --- sessions ---------------------------------------------------------------------------------


def open_session_of(session: Session, till: Till) -> TillSession | None:
    return session.scalar(
        select(TillSession).where(TillSession.till_id == till.id, TillSession.closed_at.is_(None))
    )


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
    the till still owes for earlier days are taken first (``closing.close_due``)."""
    from coop.till import closing

    till = lock_till(session, till_code, settings=settings, actor=actor, now=now)
    current = open_session_of(session, till)
    if current is not None:
        raise TillRefused(
            "session_open",
            _("The till {code} is already open (since {at}, by {who}): close it first.").format(
                code=till.code, at=_time(current.opened_at), who=current.opened_by
            ),
        )
    closing.close_due(session, till, settings=settings, actor=actor, now=now)
    from coop.clock import local_date

    today = local_date(now)
    if till.closed_until is not None and today <= till.closed_until:
        raise TillRefused(
            "day_closed",
            _("Today's Z is taken on till {code}: it opens again tomorrow.").format(code=till.code),
        )
    row = TillSession(
        till_id=till.id,
        opened_at=now,
        opened_by=actor.name,
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
    from coop.clock import SHOP_TIMEZONE

    return moment.astimezone(SHOP_TIMEZONE).strftime("%d/%m/%Y %H:%M")


def require_open_session(session: Session, till: Till) -> TillSession:
    current = open_session_of(session, till)
    if current is None:
        raise TillRefused(
            "till_closed",
            _("The till {code} is not open: open a session first (`coop till open`).").format(
                code=till.code
            ),
        )
    return current


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
        actor=actor.name,
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
            "session_closed",
            _("The till {code} has no open session to close.").format(code=till.code),
        )
    reconciliation = reconcile(
        CashCount(current.opening_cents),
        session_settlements(session, current),
        counted,
        session_movements(session, current),
    )
    current.closed_at = now
    current.closed_by = actor.name
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


def shop_time(moment: datetime | None) -> str | None:
    """A moment as the shop's local time in ISO 8601 (what JSON outputs show)."""
    from coop.clock import SHOP_TIMEZONE

    return None if moment is None else moment.astimezone(SHOP_TIMEZONE).isoformat()


def session_dict(row: TillSession, till: Till | None = None) -> dict[str, Any]:
    return {
        "id": row.id,
        "till": till.code if till is not None else row.till_id,
        "opened_at": shop_time(row.opened_at),
        "opened_by": row.opened_by,
        "opening_cents": row.opening_cents,
        "opening_pieces": row.opening_pieces,
        "closed_at": shop_time(row.closed_at),
        "closed_by": row.closed_by,
        "counted_cents": row.counted_cents,
        "closing_pieces": row.closing_pieces,
        "expected_cents": row.expected_cents,
        "difference_cents": row.difference_cents,
        "note": row.note,
    }


def difference_text(cents: int) -> str:
    if cents == 0:
        return _("the drawer is right")
    if cents > 0:
        return _("surplus of {amount}").format(amount=format_money(cents))
    return _("shortfall of {amount}").format(amount=format_money(-cents))


# --- member-category price rules ----------------------------------------------------------------


def price_rule_for(session: Session, member: Member | None) -> PriceRule | None:
    """The price rule of the member's category (the household's main member decides)."""
    if member is None:
        return None
    owner = member.main_member or member
    row = session.scalar(
        select(CategoryPriceRule).where(CategoryPriceRule.category_id == owner.category_id)
    )
    return None if row is None else _rule_of(row)


def _rule_of(row: CategoryPriceRule) -> PriceRule:
    return PriceRule(code=row.code, percent_off=Decimal(row.percent_off), rounding=row.rounding)


def set_price_rule(
    session: Session,
    *,
    category: str,
    percent_off: Decimal,
    actor: Actor,
    now: datetime,
    code: str | None = None,
    rounding: str | None = None,
) -> PriceRule:
    """Give a member category a price rule (``10``: 10 % off; ``-20``: 20 % more)."""
    from coop.members import service as members
    from coop.money import ROUNDING
    from coop.till.records import decimal_text

    found = members.category_by_code(session, category)
    try:
        rule = PriceRule(
            code=(code or found.code).strip(),
            percent_off=percent_off,
            rounding=check_rounding(rounding or ROUNDING),
        )
    except Refused as error:
        from coop.till.words import refusal

        raise InvalidInput([Problem(refusal(error), column="--percent-off")]) from error
    row = session.scalar(select(CategoryPriceRule).where(CategoryPriceRule.category_id == found.id))
    before = None
    if row is None:
        row = CategoryPriceRule(category_id=found.id, created_at=now)
        session.add(row)
    else:
        before = {"code": row.code, "percent_off": row.percent_off, "rounding": row.rounding}
    row.code = rule.code
    row.percent_off = decimal_text(rule.percent_off)
    row.rounding = rule.rounding
    row.updated_at = now
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="price_rule.set",
        entity="member_category",
        entity_id=found.id,
        before=before,
        after={"code": row.code, "percent_off": row.percent_off, "rounding": row.rounding},
    )
    return rule


def remove_price_rule(session: Session, *, category: str, actor: Actor, now: datetime) -> None:
    from coop.members import service as members

    found = members.category_by_code(session, category)
    row = session.scalar(select(CategoryPriceRule).where(CategoryPriceRule.category_id == found.id))
    if row is None:
        raise NotFound(_("The category {code} has no price rule.").format(code=found.code))
    before = {"code": row.code, "percent_off": row.percent_off, "rounding": row.rounding}
    session.delete(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="price_rule.remove",
        entity="member_category",
        entity_id=found.id,
        before=before,
    )


def price_rules(session: Session) -> list[tuple[MemberCategory, PriceRule]]:
    rows = session.execute(
        select(MemberCategory, CategoryPriceRule)
        .join(CategoryPriceRule, CategoryPriceRule.category_id == MemberCategory.id)
        .order_by(MemberCategory.code)
    )
    return [(category, _rule_of(rule)) for category, rule in rows]
