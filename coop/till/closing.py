"""Closures in the database: the daily Z, monthly and yearly closures, catching up, reports.

A closure is computed by the pure rules (``coop.till.closures``) from what the database holds,
sealed in the till's journal like a sale (its full content is the record's data) and summed up
in ``till_closures``. The rules the service adds:

- a Z covers one calendar day of one till. The day must be over, or be today with no session
  open (close the till first); after it the till takes no more sales that day
  (``Till.closed_until``). Days with sales whose Z was forgotten are closed first, in order,
  each with its own Z: ``close_due`` does it when a session opens, so a forgotten evening never
  leaves a hole in the numbering;
- a monthly closure adds the Zs of a calendar month, once the month is over or its last day
  is closed; a yearly closure adds the monthly closures of a fiscal year (``[till]
  fiscal_year_start``). Earlier months (years) still open are closed first, in order. Months
  without any Z get no closure (the perpetual total carries over them unchanged).

``report_day`` gives the Z data of a day (the sealed closure, or a provisional one computed
from the sales so far), with the till sessions of that day.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop import audit, outbox, signing
from coop.audit import Actor
from coop.clock import SHOP_TIMEZONE, local_date
from coop.config import TillSettings
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.outbox import OutboxKind
from coop.till import head, records, registry
from coop.till.closure_models import ClosureSignature, TillClosure
from coop.till.closures import (
    RECORD_KINDS,
    Closure,
    Period,
    closure_from_data,
    day_closure,
    month_closure,
    year_closure,
)
from coop.till.journal import plain
from coop.till.membership_means import sales_membership_by_means
from coop.till.models import JournalEntry, Sale, Till, TillSession
from coop.till.refusals import Refused, TillRefusal, TillRefused
from coop.till.sale_reads import load_sales
from coop.till.words import refusal

ONE_DAY = timedelta(days=1)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first moment of ``day`` and of the next day, in the shop's time zone."""
    start = datetime.combine(day, time(0), tzinfo=SHOP_TIMEZONE)
    end = datetime.combine(day + ONE_DAY, time(0), tzinfo=SHOP_TIMEZONE)
    return start, end


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def fiscal_year_start(day: date, settings: TillSettings) -> date:
    """The first day of the fiscal year containing ``day``."""
    month, first = (int(part) for part in settings.fiscal_year_start.split("-"))
    start = _safe_date(day.year, month, first)
    return start if start <= day else _safe_date(day.year - 1, month, first)


def _safe_date(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def fiscal_year_end(start: date) -> date:
    following = _safe_date(start.year + 1, start.month, start.day)
    return following - ONE_DAY


# --- reading closures ---------------------------------------------------------------------------


def last_closure(session: Session, till: Till, period: Period) -> Closure | None:
    """The latest closure of a period kind, rebuilt from its journal data."""
    row = session.execute(
        select(JournalEntry.data)
        .where(
            JournalEntry.till_id == till.id,
            JournalEntry.kind == RECORD_KINDS[period].value,
        )
        .order_by(JournalEntry.number.desc())
        .limit(1)
    ).first()
    return None if row is None else closure_from_data(till.id, json.loads(row[0]))


def closures_between(
    session: Session, till: Till, period: Period, first: date, last: date
) -> list[Closure]:
    """Closures of one kind starting within [first, last], in order."""
    rows = session.execute(
        select(JournalEntry.data)
        .join(TillClosure, TillClosure.id == JournalEntry.closure_id)
        .where(
            TillClosure.till_id == till.id,
            TillClosure.period == period.value,
            TillClosure.starts_on >= first,
            TillClosure.starts_on <= last,
        )
        .order_by(TillClosure.starts_on)
    )
    return [closure_from_data(till.id, json.loads(row[0])) for row in rows]


def _unclosed_sale_days(session: Session, till: Till, before: date) -> list[date]:
    """Days (before ``before``) that have sales not yet in a Z, in order."""
    previous = last_closure(session, till, Period.DAY)
    last_number = previous.last_sale_number if previous is not None else 0
    start, _end = day_bounds(before)
    moments = session.scalars(
        select(Sale.at)
        .where(Sale.till_id == till.id, Sale.number > last_number, Sale.at < start)
        .order_by(Sale.number)
    )
    return sorted({local_date(moment) for moment in moments})


# --- writing closures ---------------------------------------------------------------------------


def _seal(
    session: Session, till: Till, closure: Closure, *, actor: Actor, now: datetime
) -> TillClosure:
    kind = RECORD_KINDS[closure.period]
    number = {
        Period.DAY: till.last_day_closure,
        Period.MONTH: till.last_month_closure,
        Period.YEAR: till.last_year_closure,
    }[closure.period] + 1
    row = TillClosure(
        till_id=till.id,
        period=closure.period.value,
        number=number,
        seq=till.last_seq + 1,
        starts_on=closure.start,
        ends_on=closure.end,
        at=now,
        sale_count=closure.sale_count,
        first_sale_number=closure.first_sale_number,
        last_sale_number=closure.last_sale_number,
        total_cents=closure.total_cents,
        perpetual_cents=closure.perpetual_cents,
        created_by=actor.label,
    )
    session.add(row)
    session.flush()
    sealed = head.append(
        session,
        till,
        kind=kind,
        number=number,
        at=now,
        data=closure.to_data(),
        closure_id=row.id,
    )
    signer = signing.load_key()
    if signer is not None:  # signed with the key kept outside the database (coop init made it)
        session.add(
            ClosureSignature(
                till_id=till.id,
                seq=sealed.seq,
                public_key=signing.public_hex(signer),
                signature=signing.sign(signer, sealed.hash),
            )
        )
    if closure.period is Period.DAY:  # the Z is an accounting event (coop.outbox)
        snapshot = {"till": till.code, "number": number, **closure.to_data()}
        key = f"{till.code}-{closure.start.isoformat()}"
        outbox.record(session, OutboxKind.TILL_DAY, key, snapshot, on=closure.end, now=now)
    audit.record(
        session,
        actor=actor,
        at=now,
        action=f"till.{kind.value}",
        entity="till_closure",
        entity_id=row.id,
        after={
            "till": till.code,
            "start": closure.start,
            "end": closure.end,
            "total_cents": closure.total_cents,
            "perpetual_cents": closure.perpetual_cents,
        },
    )
    return row


def _sales_of_day(session: Session, till: Till, day: date, after_number: int) -> list[Any]:
    start, end = day_bounds(day)
    ids = list(
        session.scalars(
            select(Sale.id)
            .where(
                Sale.till_id == till.id,
                Sale.number > after_number,
                Sale.at >= start,
                Sale.at < end,
            )
            .order_by(Sale.number)
        )
    )
    return load_sales(session, ids)


def day_sales(session: Session, till: Till, day: date) -> list[Any]:
    """Every sale of ``day`` on ``till`` (loaded), in number order."""
    return _sales_of_day(session, till, day, 0)


def _close_day(
    session: Session, till: Till, day: date, *, actor: Actor, now: datetime
) -> TillClosure:
    previous = last_closure(session, till, Period.DAY)
    after = previous.last_sale_number if previous is not None else 0
    sales = _sales_of_day(session, till, day, after)
    try:
        closure = day_closure(till.id, day, sales, previous, tz=SHOP_TIMEZONE)
    except Refused as error:
        raise TillRefused(error.code, refusal(error)) from error
    row = _seal(session, till, closure, actor=actor, now=now)
    till.closed_until = day
    session.flush()
    return row


def take_day_closure(
    session: Session,
    *,
    till_code: str | None,
    day: date,
    settings: TillSettings,
    actor: Actor,
    now: datetime,
) -> list[TillClosure]:
    """The Z of ``day`` (and first those of earlier days with unclosed sales); returns every
    closure written, the requested one last."""
    till = registry.lock_till(session, till_code, settings=settings)
    today = local_date(now)
    if day > today:
        raise TillRefused(
            TillRefusal.FUTURE_DAY,
            _("{day} has not happened yet.").format(day=day.strftime("%d/%m/%Y")),
        )
    if till.closed_until is not None and day <= till.closed_until:
        raise TillRefused(
            TillRefusal.DAY_ALREADY_CLOSED,
            _("The day {day} is already closed on till {code}.").format(
                day=day.strftime("%d/%m/%Y"), code=till.code
            ),
        )
    if day == today and registry.open_session_of(session, till) is not None:
        raise TillRefused(
            TillRefusal.SESSION_OPEN,
            _("Close the till session before taking today's Z (`coop till close`)."),
        )
    written = [
        _close_day(session, till, earlier, actor=actor, now=now)
        for earlier in _unclosed_sale_days(session, till, day)
    ]
    written.append(_close_day(session, till, day, actor=actor, now=now))
    return written


def _open_months(session: Session, till: Till, up_to: date) -> list[date]:
    """First days of the months (ending on or before ``up_to``) whose Zs no monthly closure
    covers yet, in order."""
    previous = last_closure(session, till, Period.MONTH)
    after = previous.end if previous is not None else date.min
    starts = session.scalars(
        select(TillClosure.starts_on).where(
            TillClosure.till_id == till.id,
            TillClosure.period == Period.DAY.value,
            TillClosure.starts_on > after,
        )
    )
    months = sorted({day.replace(day=1) for day in starts})
    return [month for month in months if month_end(month) <= up_to]


def _close_month(
    session: Session, till: Till, month: date, *, actor: Actor, now: datetime
) -> TillClosure:
    previous = last_closure(session, till, Period.MONTH)
    days = closures_between(session, till, Period.DAY, month, month_end(month))
    try:
        closure = month_closure(till.id, month, days, previous)
    except Refused as error:
        raise TillRefused(error.code, refusal(error)) from error
    return _seal(session, till, closure, actor=actor, now=now)


def _closed_through(till: Till, today: date) -> date:
    """The last day that can no longer take sales: yesterday, or the last day with a Z."""
    yesterday = today - ONE_DAY
    if till.closed_until is not None and till.closed_until > yesterday:
        return till.closed_until
    return yesterday


def take_month_closure(
    session: Session,
    *,
    till_code: str | None,
    month: date,
    settings: TillSettings,
    actor: Actor,
    now: datetime,
) -> list[TillClosure]:
    """The closure of the calendar month of ``month`` (earlier open months first; the Zs the
    month still owes first of all)."""
    till = registry.lock_till(session, till_code, settings=settings)
    month = month.replace(day=1)
    today = local_date(now)
    written = [
        _close_day(session, till, day, actor=actor, now=now)
        for day in _unclosed_sale_days(session, till, min(month_end(month) + ONE_DAY, today))
    ]
    if month_end(month) > _closed_through(till, today):
        raise TillRefused(
            TillRefusal.MONTH_NOT_OVER,
            _("The month of {month} is not over (or its last day has no Z yet).").format(
                month=month.strftime("%m/%Y")
            ),
        )
    previous = last_closure(session, till, Period.MONTH)
    if previous is not None and previous.end >= month:
        raise TillRefused(
            TillRefusal.MONTH_ALREADY_CLOSED,
            _("The month of {month} is already closed on till {code}.").format(
                month=month.strftime("%m/%Y"), code=till.code
            ),
        )
    for earlier in _open_months(session, till, month - ONE_DAY):
        written.append(_close_month(session, till, earlier, actor=actor, now=now))
    written.append(_close_month(session, till, month, actor=actor, now=now))
    return written


def _close_year(
    session: Session,
    till: Till,
    start: date,
    *,
    actor: Actor,
    now: datetime,
) -> TillClosure:
    previous = last_closure(session, till, Period.YEAR)
    months = closures_between(session, till, Period.MONTH, start, fiscal_year_end(start))
    try:
        closure = year_closure(till.id, start, months, previous)
    except Refused as error:
        raise TillRefused(error.code, refusal(error)) from error
    return _seal(session, till, closure, actor=actor, now=now)


def take_year_closure(
    session: Session,
    *,
    till_code: str | None,
    year_start: date,
    settings: TillSettings,
    actor: Actor,
    now: datetime,
) -> list[TillClosure]:
    """The closure of the fiscal year starting on ``year_start`` (a fiscal year's first day);
    its months are closed first."""
    till = registry.lock_till(session, till_code, settings=settings)
    if fiscal_year_start(year_start, settings) != year_start:
        raise InvalidInput(
            [
                Problem(
                    _("{day} is not the first day of a fiscal year (it starts on {first}).").format(
                        day=year_start.isoformat(), first=settings.fiscal_year_start
                    ),
                    column="--year",
                )
            ]
        )
    end = fiscal_year_end(year_start)
    today = local_date(now)
    written = [
        _close_day(session, till, day, actor=actor, now=now)
        for day in _unclosed_sale_days(session, till, min(end + ONE_DAY, today))
    ]
    if end > _closed_through(till, today):
        raise TillRefused(
            TillRefusal.YEAR_NOT_OVER,
            _("The year ending on {day} is not over.").format(day=end.strftime("%d/%m/%Y")),
        )
    previous = last_closure(session, till, Period.YEAR)
    if previous is not None and previous.end >= year_start:
        raise TillRefused(
            TillRefusal.YEAR_ALREADY_CLOSED,
            _("That year is already closed on till {code}.").format(code=till.code),
        )
    for month in _open_months(session, till, end):
        written.append(_close_month(session, till, month, actor=actor, now=now))
    written.append(_close_year(session, till, year_start, actor=actor, now=now))
    return written


def close_due(
    session: Session, till: Till, *, settings: TillSettings, actor: Actor, now: datetime
) -> list[TillClosure]:
    """Every closure the till owes before ``now``'s day: the Zs of past days with sales, the
    months over, the fiscal years over (the till is already locked by the caller)."""
    today = local_date(now)
    written = [
        _close_day(session, till, day, actor=actor, now=now)
        for day in _unclosed_sale_days(session, till, today)
    ]
    through = _closed_through(till, today)
    for month in _open_months(session, till, through):
        written.append(_close_month(session, till, month, actor=actor, now=now))
    previous_year = last_closure(session, till, Period.YEAR)
    after = previous_year.end if previous_year is not None else date.min
    starts = sorted(
        {
            fiscal_year_start(day, settings)
            for day in session.scalars(
                select(TillClosure.starts_on).where(
                    TillClosure.till_id == till.id,
                    TillClosure.period == Period.MONTH.value,
                    TillClosure.starts_on > after,
                )
            )
        }
    )
    for start in starts:
        if fiscal_year_end(start) <= through:
            written.append(_close_year(session, till, start, actor=actor, now=now))
    return written


# --- reports ------------------------------------------------------------------------------------


def closure_dict(row: TillClosure, till: Till, entry: JournalEntry) -> dict[str, Any]:
    data = json.loads(entry.data)
    return {
        "till": till.code,
        "period": row.period,
        "number": row.number,
        "seq": row.seq,
        "at": records.shop_time(row.at),
        "provisional": False,
        "hash": entry.hash,
        "previous_hash": entry.previous_hash,
        **data,
    }


def list_closures(
    session: Session,
    *,
    till_code: str | None = None,
    period: Period | None = None,
    first: date | None = None,
    last: date | None = None,
) -> list[dict[str, Any]]:
    """Closures with their full data and hashes, by till then journal order."""
    query = (
        select(TillClosure, Till, JournalEntry)
        .join(Till, Till.id == TillClosure.till_id)
        .join(JournalEntry, JournalEntry.closure_id == TillClosure.id)
        .order_by(Till.code, TillClosure.seq)
    )
    if till_code is not None:
        query = query.where(Till.code == registry.normalise_code(till_code))
    if period is not None:
        query = query.where(TillClosure.period == period.value)
    if first is not None:
        query = query.where(TillClosure.ends_on >= first)
    if last is not None:
        query = query.where(TillClosure.starts_on <= last)
    return [closure_dict(row, till, entry) for row, till, entry in session.execute(query)]


def _sessions_of_day(session: Session, till: Till, day: date) -> list[dict[str, Any]]:
    start, end = day_bounds(day)
    rows = session.scalars(
        select(TillSession)
        .where(
            TillSession.till_id == till.id,
            TillSession.opened_at < end,
            (TillSession.closed_at.is_(None)) | (TillSession.closed_at >= start),
        )
        .order_by(TillSession.opened_at)
    )
    return [registry.session_dict(row, till) for row in rows]


def report_day(
    session: Session, *, day: date, till_code: str | None = None
) -> list[dict[str, Any]]:
    """The Z data of ``day`` for each till (or one): the sealed Z when it is taken, otherwise
    a provisional one from the sales so far (``provisional``: true), plus the day's sessions
    and, on a day with shares or fees, which means paid them (``membership_by_means``,
    recomputed from the day's sales by ``coop.till.membership_means``, never sealed)."""
    chosen = [registry.get_till(session, till_code)] if till_code else registry.tills(session)
    reports = []
    for till in chosen:
        sealed = list_closures(session, till_code=till.code, period=Period.DAY, first=day, last=day)
        report = sealed[0] if sealed else _provisional(session, till, day)
        if report.get("shares") or report.get("fees"):  # which means paid them (not sealed)
            sales = day_sales(session, till, day)
            report["membership_by_means"] = sales_membership_by_means(sales).to_data()
        report["sessions"] = _sessions_of_day(session, till, day)
        reports.append(report)
    return reports


def _provisional(session: Session, till: Till, day: date) -> dict[str, Any]:
    """The day's figures so far. When earlier days still lack their Z, the day is computed
    alone (``earlier_days_open``) and its perpetual total leaves those days out."""
    previous = last_closure(session, till, Period.DAY)
    if previous is not None and previous.end >= day:
        previous, sales = None, []  # a later day is closed but not this one: nothing sold
    else:
        sales = _sales_of_day(session, till, day, previous.last_sale_number if previous else 0)
    first = min((sale.number for sale in sales), default=None)
    expected = (previous.last_sale_number if previous else 0) + 1
    earlier_open = first is not None and first != expected
    if earlier_open:
        assert first is not None
        base = previous or day_closure(till.id, day - ONE_DAY, [], None, tz=SHOP_TIMEZONE)
        previous = replace(base, last_sale_number=first - 1, end=day - ONE_DAY)
    closure = day_closure(till.id, day, sales, previous, tz=SHOP_TIMEZONE)
    return {
        "till": till.code,
        "period": "day",
        "number": None,
        "provisional": True,
        "earlier_days_open": earlier_open,
        **_plain(closure.to_data()),
    }


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = plain(data)
    return result


def count_open_sessions(session: Session) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(TillSession).where(TillSession.closed_at.is_(None))
        )
        or 0
    )
