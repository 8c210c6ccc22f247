"""The order cycle's states (draft → open → closed → sent → received → settled) and what
members see of an open cycle at a given time."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum


class CycleState(StrEnum):
    """Where an order cycle stands; each state is reached from the one before it only."""

    DRAFT = "draft"  # articles being prepared, members cannot order yet
    OPEN = "open"  # members order during the window (box-fill phase after ``boxfill_at``)
    CLOSED = "closed"  # rounded to cases and allocated; the order can be checked
    SENT = "sent"  # the order went to the suppliers
    RECEIVED = "received"  # the delivery was counted and shared out
    SETTLED = "settled"  # members were charged


NEXT_STATE: dict[CycleState, CycleState] = {
    CycleState.DRAFT: CycleState.OPEN,
    CycleState.OPEN: CycleState.CLOSED,
    CycleState.CLOSED: CycleState.SENT,
    CycleState.SENT: CycleState.RECEIVED,
    CycleState.RECEIVED: CycleState.SETTLED,
}


def may_move(current: CycleState | str, target: CycleState | str) -> bool:
    """Only one step forward at a time (receiving again stays ``RECEIVED``)."""
    current, target = CycleState(current), CycleState(target)
    if current is CycleState.RECEIVED and target is CycleState.RECEIVED:
        return True
    return NEXT_STATE.get(current) is target


def phase(
    state: CycleState | str,
    now: datetime,
    *,
    opens_at: datetime,
    closes_at: datetime,
    boxfill_at: datetime | None,
) -> str:
    """What members see of an open cycle: ``upcoming``, ``open``, ``boxfill`` or ``ended``
    (the window is over, the coordinator has not closed yet); other states as they are.

    Box-fill starts strictly after ``boxfill_at``, as in ``check_change``.
    """
    state = CycleState(state)
    if state is not CycleState.OPEN:
        return state.value
    if now < opens_at:
        return "upcoming"
    if now >= closes_at:
        return "ended"
    if boxfill_at is not None and now > boxfill_at:
        return "boxfill"
    return "open"


def may_order(
    state: CycleState | str, now: datetime, *, opens_at: datetime, closes_at: datetime
) -> bool:
    """Members may change their order: the cycle is open and ``opens_at <= now < closes_at``."""
    return CycleState(state) is CycleState.OPEN and opens_at <= now < closes_at
