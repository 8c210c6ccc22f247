"""The tills: creating and finding them, and locking one for a transaction.

``lock_till`` finds a till by code and locks its row until the end of the transaction
(``FOR UPDATE`` on PostgreSQL; SQLite lets one writer at a time anyway). Everything that appends
to a till's journal (a sale, a closure) does it first: the journal's head (``last_seq``,
``last_hash``, the last numbers) is then read and moved by one writer at a time, so numbers are
gapless and the chain has no fork, whatever the number of tills. ``open_till`` reads a till with
its open session, locked for a commit or plainly for a price preview.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.config import TillSettings
from coop.errors import InvalidInput, NotFound, Problem
from coop.i18n import _
from coop.till.journal import GENESIS_HASH
from coop.till.records import shop_time
from coop.till.refusals import TillRefusal, TillRefused
from coop.till.till_models import Till, TillSession


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


@cache
def _open_till_query(lock: bool) -> Select[Till, int]:
    """``open_till``'s SELECT, built once per process (building it cost more than running it);
    the till's code is its bound parameter ``code``."""
    query = (
        select(Till, TillSession.id)
        .outerjoin(TillSession, (TillSession.till_id == Till.id) & TillSession.closed_at.is_(None))
        .where(Till.code == bindparam("code"))
        .execution_options(populate_existing=True)
    )
    return query.with_for_update(of=Till) if lock else query


def open_till(
    session: Session,
    code: str | None,
    *,
    settings: TillSettings,
    actor: Actor | None = None,
    now: datetime | None = None,
    lock: bool = True,
) -> tuple[Till, int]:
    """The till and the id of its open session in one query (what every sale needs), or
    ``TillRefused(TILL_CLOSED)``. With ``lock`` (a commit) the till's row is locked as by
    ``lock_till``; without (a price preview, at every scan) it is only read."""
    wanted = normalise_code(code or settings.till)
    row = session.execute(_open_till_query(lock), {"code": wanted}).first()
    if row is None:
        till = lock_till(session, wanted, settings=settings, actor=actor, now=now)
        require_open_session(session, till)  # a till just created has no session
        raise AssertionError("unreachable")
    till, session_id = row
    if session_id is None:
        require_open_session(session, till)
    return till, session_id


def open_session_of(session: Session, till: Till) -> TillSession | None:
    return session.scalar(
        select(TillSession).where(TillSession.till_id == till.id, TillSession.closed_at.is_(None))
    )


def require_open_session(session: Session, till: Till) -> TillSession:
    current = open_session_of(session, till)
    if current is None:
        raise TillRefused(
            TillRefusal.TILL_CLOSED,
            _("The till {code} is not open: open a session first (`coop till open`).").format(
                code=till.code
            ),
        )
    return current


@dataclass(frozen=True)
class SessionView:
    """A till session as the commands and screens show it (``as_dict``: the JSON output)."""

    id: int
    till: str | int
    """The till's code (its id when the till was not given)."""
    opened_at: datetime
    opened_by: str
    opening_cents: int
    opening_pieces: list[list[int]] | None
    closed_at: datetime | None
    closed_by: str | None
    counted_cents: int | None
    closing_pieces: list[list[int]] | None
    expected_cents: int | None
    difference_cents: int | None
    note: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "till": self.till,
            "opened_at": shop_time(self.opened_at),
            "opened_by": self.opened_by,
            "opening_cents": self.opening_cents,
            "opening_pieces": self.opening_pieces,
            "closed_at": shop_time(self.closed_at),
            "closed_by": self.closed_by,
            "counted_cents": self.counted_cents,
            "closing_pieces": self.closing_pieces,
            "expected_cents": self.expected_cents,
            "difference_cents": self.difference_cents,
            "note": self.note,
        }


def session_view(row: TillSession, till: Till | None = None) -> SessionView:
    return SessionView(
        id=row.id,
        till=till.code if till is not None else row.till_id,
        opened_at=row.opened_at,
        opened_by=row.opened_by,
        opening_cents=row.opening_cents,
        opening_pieces=row.opening_pieces,
        closed_at=row.closed_at,
        closed_by=row.closed_by,
        counted_cents=row.counted_cents,
        closing_pieces=row.closing_pieces,
        expected_cents=row.expected_cents,
        difference_cents=row.difference_cents,
        note=row.note,
    )


def session_dict(row: TillSession, till: Till | None = None) -> dict[str, Any]:
    """``session_view(row, till).as_dict()``: what the screens read today."""
    return session_view(row, till).as_dict()
