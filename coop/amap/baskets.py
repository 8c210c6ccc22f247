"""Set-based upkeep of the per-date baskets: materialise them from the calendar and the
subscriptions, drop those that no longer apply, recompute every amount (R7) and the fund's rows.

Every function works on whole sets of contracts in a handful of SQL statements, never one query
per row: a federation recomputes 80,000 baskets after a calendar change in well under a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import cast

from sqlalchemy import Table, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from coop.amap import rules
from coop.amap.models import Basket, Delivery, Holder, Subscription
from coop.db import refresh_statistics

BASKETS = cast(Table, Basket.__table__)
BULK = 5000
"""Above this many new rows, PostgreSQL's planner is told about them (ANALYZE) before the next
statement, or it plans the freshly filled tables as if they were empty."""

# New baskets get their contents' amount at once (the default order × the date's factor), so
# the recompute that follows rewrites only the rows whose amount really changed.
_MATERIALISE = """
INSERT INTO amap_baskets (subscription_id, delivery_id, collector_id, status, amount_cents,
                          draw_cents)
SELECT s.id, d.id, s.member_id, 'due',
       COALESCE(SUM((CASE WHEN s.solidarity THEN COALESCE(o.solidarity_price_cents, o.price_cents)
                          ELSE o.price_cents END * l.quantity * d.factor + 50) / 100), 0),
       CASE WHEN s.solidarity THEN COALESCE(SUM(
         (o.price_cents * l.quantity * d.factor + 50) / 100
         - (COALESCE(o.solidarity_price_cents, o.price_cents) * l.quantity * d.factor + 50) / 100),
         0) ELSE 0 END
FROM amap_subscriptions s
JOIN amap_deliveries d ON d.contract_id = s.contract_id
LEFT JOIN amap_subscription_lines l ON l.subscription_id = s.id
LEFT JOIN amap_offers o ON o.id = l.offer_id
WHERE s.contract_id IN :contracts AND s.status = 'active' AND d.cancelled = false
  AND d."on" >= s.starts_on AND (s.ends_on IS NULL OR d."on" <= s.ends_on)
  AND NOT EXISTS (SELECT 1 FROM amap_baskets b
                  WHERE b.subscription_id = s.id AND b.delivery_id = d.id)
GROUP BY s.id, d.id, s.member_id, s.solidarity
"""

_ITEMS = """
INSERT INTO amap_basket_items (basket_id, offer_id, quantity)
SELECT b.id, l.offer_id, l.quantity
FROM amap_baskets b
JOIN amap_subscriptions s ON s.id = b.subscription_id
JOIN amap_subscription_lines l ON l.subscription_id = b.subscription_id
WHERE s.contract_id IN :contracts
  AND NOT EXISTS (SELECT 1 FROM amap_basket_items i WHERE i.basket_id = b.id)
"""

_STALE = """
DELETE FROM amap_baskets WHERE id IN (
  SELECT b.id FROM amap_baskets b
  JOIN amap_subscriptions s ON s.id = b.subscription_id
  JOIN amap_deliveries d ON d.id = b.delivery_id
  WHERE s.contract_id IN :contracts
    AND (d.cancelled = true OR s.status <> 'active' OR d."on" < s.starts_on
         OR (s.ends_on IS NOT NULL AND d."on" > s.ends_on)))
"""

# R7: Σ round(price × quantity × factor); absent → 0; the solidarity price where it applies,
# the difference being drawn from the fund. The integer formula is rules.line_amount's.
_AMOUNTS = """
UPDATE amap_baskets SET amount_cents = t.amount, draw_cents = t.draw
FROM (
  SELECT b.id AS basket_id,
         CASE WHEN b.status = 'absent' THEN 0 ELSE COALESCE(SUM(
           (CASE WHEN s.solidarity THEN COALESCE(o.solidarity_price_cents, o.price_cents)
                 ELSE o.price_cents END * i.quantity * d.factor + 50) / 100), 0) END AS amount,
         CASE WHEN b.status = 'absent' OR NOT s.solidarity THEN 0 ELSE COALESCE(SUM(
           (o.price_cents * i.quantity * d.factor + 50) / 100
           - (COALESCE(o.solidarity_price_cents, o.price_cents) * i.quantity * d.factor + 50)
             / 100), 0) END AS draw
  FROM amap_baskets b
  JOIN amap_subscriptions s ON s.id = b.subscription_id
  JOIN amap_deliveries d ON d.id = b.delivery_id
  LEFT JOIN amap_basket_items i ON i.basket_id = b.id
  LEFT JOIN amap_offers o ON o.id = i.offer_id
  WHERE s.contract_id IN :contracts
  GROUP BY b.id, b.status, s.solidarity
) AS t
WHERE amap_baskets.id = t.basket_id
  AND (amap_baskets.amount_cents <> t.amount OR amap_baskets.draw_cents <> t.draw)
"""

_TOTALS = """
UPDATE amap_subscriptions SET amount_cents = t.total
FROM (
  SELECT s.id AS subscription_id,
         COALESCE(SUM(b.amount_cents), 0) + s.contribution_cents
           * COALESCE(SUM(CASE WHEN b.status = 'absent' THEN 0 ELSE 1 END), 0) AS total
  FROM amap_subscriptions s
  LEFT JOIN amap_baskets b ON b.subscription_id = s.id
  WHERE s.contract_id IN :contracts
  GROUP BY s.id, s.contribution_cents
) AS t
WHERE amap_subscriptions.id = t.subscription_id AND amap_subscriptions.amount_cents <> t.total
"""

# R9: a variable contract's season minimum, pro-rated to the household's baskets (not absent)
# over all the contract's deliveries, is the least a subscription owes.
_MINIMUM = """
UPDATE amap_subscriptions SET amount_cents = t.minimum
FROM (
  SELECT s.id AS subscription_id,
         c.min_season_cents
           * (SELECT count(*) FROM amap_baskets b
              WHERE b.subscription_id = s.id AND b.status <> 'absent')
           / (SELECT count(*) FROM amap_deliveries d
              WHERE d.contract_id = c.id AND d.cancelled = false) AS minimum
  FROM amap_subscriptions s
  JOIN amap_contracts c ON c.id = s.contract_id
  WHERE s.contract_id IN :contracts AND c.kind = 'variable' AND c.min_season_cents > 0
    AND s.status = 'active'
    AND EXISTS (SELECT 1 FROM amap_deliveries d WHERE d.contract_id = c.id AND d.cancelled = false)
) AS t
WHERE amap_subscriptions.id = t.subscription_id AND amap_subscriptions.amount_cents < t.minimum
"""

_FUND_CLEAR = """
DELETE FROM amap_fund_entries WHERE kind IN ('contribution', 'draw') AND subscription_id IN (
  SELECT id FROM amap_subscriptions WHERE contract_id IN :contracts)
"""

_FUND_CONTRIBUTIONS = """
INSERT INTO amap_fund_entries (kind, subscription_id, member_id, amount_cents, "on")
SELECT 'contribution', s.id, s.member_id, s.contribution_cents * t.served, :today
FROM amap_subscriptions s
JOIN (SELECT subscription_id, SUM(CASE WHEN status = 'absent' THEN 0 ELSE 1 END) AS served
      FROM amap_baskets GROUP BY subscription_id) AS t ON t.subscription_id = s.id
WHERE s.contract_id IN :contracts AND s.status = 'active' AND s.contribution_cents > 0
  AND t.served > 0
"""

_FUND_DRAWS = """
INSERT INTO amap_fund_entries (kind, subscription_id, member_id, amount_cents, "on")
SELECT 'draw', s.id, s.member_id, -t.drawn, :today
FROM amap_subscriptions s
JOIN (SELECT subscription_id, SUM(draw_cents) AS drawn
      FROM amap_baskets GROUP BY subscription_id) AS t ON t.subscription_id = s.id
WHERE s.contract_id IN :contracts AND s.status = 'active' AND s.solidarity AND t.drawn > 0
"""


def _run(session: Session, sql: str, contracts: Sequence[int], **values: object) -> int:
    statement = text(sql).bindparams(bindparam("contracts", expanding=True))
    result = session.execute(statement, {"contracts": list(contracts), **values})
    return int(getattr(result, "rowcount", 0) or 0)


def materialise(session: Session, contracts: Sequence[int]) -> int:
    """Create the baskets (and their contents) the calendar and the subscriptions call for,
    drop those that no longer apply; turns of shared baskets are given to new dates (R10)."""
    if not contracts:
        return 0
    session.flush()
    _run(session, _STALE, contracts)
    newest = session.scalar(select(func.max(Basket.id))) or 0
    created = _run(session, _MATERIALISE, contracts)
    if created > BULK:
        refresh_statistics(session, "amap_baskets", "amap_subscriptions", "amap_subscription_lines")
    items = _run(session, _ITEMS, contracts)
    if items > BULK:
        refresh_statistics(session, "amap_basket_items")
    if created:
        assign_turns(session, contracts, newer_than=newest)
    return created


def assign_turns(
    session: Session,
    contracts: Sequence[int],
    *,
    newer_than: int = 0,
    after: date | None = None,
    subscription: int | None = None,
) -> None:
    """R10 stored per date: shared baskets alternate between holders, counted over all the
    contract's dates (cancelled ones too, so a cancellation never flips later turns). Only the
    baskets created after ``newer_than`` (an id), or dated after ``after``, are (re)assigned:
    a collector changed by hand stays. ``subscription`` limits it to one subscription."""
    shared = session.execute(
        select(
            Holder.subscription_id, Holder.member_id, Subscription.contract_id, Subscription.invert
        )
        .join(Subscription, Subscription.id == Holder.subscription_id)
        .where(
            Subscription.contract_id.in_(contracts),
            Subscription.status == "active",
            *([Subscription.id == subscription] if subscription is not None else []),
        )
        .order_by(Holder.subscription_id, Holder.position)
    ).all()
    holders: dict[int, list[int]] = {}
    meta: dict[int, tuple[int, bool]] = {}
    for sub_id, member_id, contract_id, invert in shared:
        holders.setdefault(sub_id, []).append(member_id)
        meta[sub_id] = (contract_id, invert)
    holders = {k: v for k, v in holders.items() if len(v) > 1}
    if not holders:
        return
    days: dict[int, list[date]] = {}
    for contract_id, on in session.execute(
        select(Delivery.contract_id, Delivery.on).where(
            Delivery.contract_id.in_({c for c, _i in meta.values()})
        )
    ):
        days.setdefault(contract_id, []).append(on)
    which = [Basket.subscription_id.in_(holders), Basket.id > newer_than]
    if after is not None:
        which.append(Delivery.on > after)
    baskets = session.execute(
        select(Basket.id, Basket.subscription_id, Basket.collector_id, Delivery.on)
        .join(Delivery, Delivery.id == Basket.delivery_id)
        .where(*which)
    ).all()
    turns = {
        sub_id: rules.alternate_collectors(days[meta[sub_id][0]], members, invert=meta[sub_id][1])
        for sub_id, members in holders.items()
    }
    updates = [
        {"b_id": basket_id, "collector": turns[sub_id][on]}
        for basket_id, sub_id, collector, on in baskets
        if turns[sub_id].get(on, collector) != collector
    ]
    if updates:
        session.execute(
            update(BASKETS)
            .where(BASKETS.c.id == bindparam("b_id"))
            .values(collector_id=bindparam("collector")),
            updates,
        )


def recompute(session: Session, contracts: Sequence[int], *, today: date) -> int:
    """R7: every basket's amount, every subscription's total, the fund's rows, all computed again
    and only the rows that differ written; returns how many subscriptions' amounts changed."""
    if not contracts:
        return 0
    session.flush()
    _run(session, _AMOUNTS, contracts)
    count = _run(session, _TOTALS, contracts)
    _run(session, _MINIMUM, contracts)
    _run(session, _FUND_CLEAR, contracts)
    _run(session, _FUND_CONTRIBUTIONS, contracts, today=today)
    _run(session, _FUND_DRAWS, contracts, today=today)
    from coop.amap.solidarity import guard

    guard(session)
    session.expire_all()
    return count


def refresh(session: Session, contracts: Sequence[int], *, today: date) -> int:
    """Materialise then recompute: what every calendar or subscription change ends with."""
    materialise(session, contracts)
    return recompute(session, contracts, today=today)
