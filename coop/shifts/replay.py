"""The ledger fold for many members at once: the same figures as ``values.replay`` from rows
read in one pass over the ledger (any members interleaved, each member's rows in ledger order).

``values.fold`` rebuilds ``Figures`` after every entry (frozen dataclasses, a new value each
time), which is right for one member's few events and far too slow for a million rows. The
clocks (``Run``) only depend on each day's closing counters and the day before's clocks, so
here a member's counters are summed in plain integers and the clocks are settled once per day
with an entry, then turned into ``Figures`` at the end. Pure: no Session, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from coop.shifts.policy import Counter, ShiftPolicy
from coop.shifts.values import (
    Counters,
    EntryKind,
    Figures,
    Refusal,
    Run,
    ShiftRuleError,
)

_STANDARD = Counter.STANDARD.value
_FTOP = Counter.FTOP.value
_REGULAR = Counter.REGULAR.value
_COMPENSATION = Counter.COMPENSATION.value
_BALANCE = Counter.BALANCE.value
_CYCLE = EntryKind.CYCLE.value
_PENALISED = {"penalty": True, "in_credit": False}
"""What a regular counter's cycle entry with this detail makes of the penalty flag."""


_parse = lru_cache(maxsize=8192)(date.fromisoformat)
"""ISO days parsed once each (a few thousand distinct days for a million rows)."""


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return _parse(value)


def replay_many(
    policy: ShiftPolicy, rows: Iterable[tuple[Any, Any, str, int, str, str]]
) -> dict[Any, Figures]:
    """Figures per member from ``(member, day, counter, delta, kind, detail)`` rows in ledger
    order (each member's days never decreasing; days as dates or ISO strings; ``kind`` and
    ``detail`` are only read on the regular counter's rows, and may be None elsewhere). A member
    with no row is absent from the result (their figures are ``Figures()``).

    The rows are first gathered per member (one list append each), then each member's rows are
    folded in plain local variables: a clock only needs its value at the previous day's close
    (``run = (run or day) if negative else None``, ``values._track``), so a day's close costs
    four comparisons, and ``Figures`` are built once per member at the end."""
    threshold = policy.freeze_threshold
    per_member: dict[Any, list[tuple[Any, Any, str, int, str, str]]] = {}
    for row in rows:
        mine = per_member.get(row[0])
        if mine is None:
            per_member[row[0]] = [row]
        else:
            mine.append(row)
    return {member: _fold(mine, threshold) for member, mine in per_member.items()}


def _fold(rows: list[tuple[Any, Any, str, int, str, str]], threshold: int | None) -> Figures:
    """One member's rows (at least one, in ledger order) folded into ``Figures``."""
    standard = ftop = regular = compensation = balance = 0
    # the clocks at the close of the day before ``current`` (``Run.since_before`` at the end)
    standard_run: Any = None
    ftop_run: Any = None
    alert_run: Any = None
    freeze_run: Any = None
    penalised = False
    current = rows[0][1]
    for _, day, counter, delta, kind, detail in rows:
        if day != current:
            if day < current:
                raise ShiftRuleError(Refusal.OUT_OF_ORDER)
            # close ``current`` (``values._track``), then roll to ``day``
            standard_run = (standard_run or current) if standard < 0 else None
            ftop_run = (ftop_run or current) if ftop < 0 else None
            if regular < 0:
                alert_run = alert_run or current
            elif compensation >= 0 or alert_run is None:
                alert_run = None
            freeze_run = (
                (freeze_run or current) if threshold is not None and balance <= threshold else None
            )
            current = day
        if counter == _FTOP:
            ftop += delta
        elif counter == _STANDARD:
            standard += delta
        elif counter == _REGULAR:
            regular += delta
            if kind == _CYCLE:
                penalised = _PENALISED.get(detail, penalised)
        elif counter == _COMPENSATION:
            compensation += delta
        elif counter == _BALANCE:
            balance += delta
        else:
            raise KeyError(counter)
    # the last day's close
    if regular < 0:
        alert = alert_run or current
    elif compensation < 0 and alert_run is not None:
        alert = alert_run
    else:
        alert = None
    below = threshold is not None and balance <= threshold
    return Figures(
        counters=Counters(standard, ftop, regular, compensation, balance),
        day=_day(current),
        standard_negative=_run((standard_run or current) if standard < 0 else None, standard_run),
        ftop_negative=_run((ftop_run or current) if ftop < 0 else None, ftop_run),
        alert=_run(alert, alert_run),
        below_freeze=_run((freeze_run or current) if below else None, freeze_run),
        penalised=penalised,
    )


@lru_cache(maxsize=8192)
def _run(since: Any, before: Any) -> Run:
    """A clock (frozen, so shared: most members' clocks are the same few values)."""
    return Run(since=_day(since), since_before=_day(before))
