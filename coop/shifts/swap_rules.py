"""May two members exchange their shifts (Obeesdoo's direct swap), or one hand a booking to a
stand-in? Pure: the service reads both sides from the database and words the refusal.

Each side is a member's live booking: the member, the shift (start, cancelled) and the seat
they hold with its required role. After a swap each member takes the other's seat, so each
must hold the role the other's seat asks for, be free on the other day (no booking there, not
on leave, still a member) and both shifts must be to come. A hand-over is a one-sided swap: the
stand-in takes the seat and the member is released.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class SwapRefusal(StrEnum):
    SAME_MEMBER = "same_member"
    SAME_SHIFT = "same_shift"
    NOT_BOOKED = "not_booked"  # the member has no live booking on that shift
    CANCELLED = "cancelled"  # the shift is cancelled
    STARTED = "started"  # the shift has started (or is past)
    ALREADY_ON_OTHER = "already_on_other"  # already booked on the shift they would take
    MISSING_ROLE = "missing_role"  # the seat they would take asks for a role they do not hold
    LEFT = "left"  # no longer a member on the other shift's day
    ON_LEAVE = "on_leave"  # on leave on the other shift's day


@dataclass(frozen=True)
class Side:
    """One member's booking as the rule needs it; ``free_on_other`` etc. describe the member
    on the *other* side's shift."""

    member: int
    shift: int
    booked: bool
    shift_starts_at: datetime
    shift_cancelled: bool
    seat_role: str | None
    skills: frozenset[str]
    left_on: date | None
    booked_on_other: bool
    on_leave_on_other: bool


@dataclass(frozen=True)
class Refused:
    """Why not: the code and which member (number) it is about."""

    code: SwapRefusal
    member: int


def _shift_refusal(side: Side, now: datetime) -> Refused | None:
    if not side.booked:
        return Refused(SwapRefusal.NOT_BOOKED, side.member)
    if side.shift_cancelled:
        return Refused(SwapRefusal.CANCELLED, side.member)
    if side.shift_starts_at <= now:
        return Refused(SwapRefusal.STARTED, side.member)
    return None


def _taker_refusal(taker: Side, given: Side, given_day: date) -> Refused | None:
    """Can ``taker`` take ``given``'s seat?"""
    if taker.booked_on_other:
        return Refused(SwapRefusal.ALREADY_ON_OTHER, taker.member)
    if given.seat_role is not None and given.seat_role not in taker.skills:
        return Refused(SwapRefusal.MISSING_ROLE, taker.member)
    if taker.left_on is not None and taker.left_on <= given_day:
        return Refused(SwapRefusal.LEFT, taker.member)
    if taker.on_leave_on_other:
        return Refused(SwapRefusal.ON_LEAVE, taker.member)
    return None


def swap_refusal(
    first: Side, second: Side, first_day: date, second_day: date, now: datetime
) -> Refused | None:
    """Why the two bookings cannot be exchanged, or None when they can."""
    if first.member == second.member:
        return Refused(SwapRefusal.SAME_MEMBER, first.member)
    if first.shift == second.shift:
        return Refused(SwapRefusal.SAME_SHIFT, first.member)
    for side in (first, second):
        refused = _shift_refusal(side, now)
        if refused is not None:
            return refused
    return _taker_refusal(first, second, second_day) or _taker_refusal(second, first, first_day)


def hand_over_refusal(holder: Side, stand_in: Side, day: date, now: datetime) -> Refused | None:
    """Why ``stand_in`` cannot take ``holder``'s booking (``stand_in.booked_on_other``: already
    on that shift), or None."""
    if holder.member == stand_in.member:
        return Refused(SwapRefusal.SAME_MEMBER, holder.member)
    return _shift_refusal(holder, now) or _taker_refusal(stand_in, holder, day)
