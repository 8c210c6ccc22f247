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

_REGULAR = Counter.REGULAR.value
_CYCLE = EntryKind.CYCLE.value
_RUNS = ("standard_negative", "ftop_negative", "alert", "below_freeze")


class _Tally:
    """One member's fold in progress: counters, the current day, and the four clocks as
    [since, since_before] pairs (dates, or ISO strings when the database returns those)."""

    __slots__ = ("counters", "day", "penalised", "runs")

    def __init__(self) -> None:
        self.counters: dict[str, int] = dict.fromkeys(
            ("standard", "ftop", "regular", "compensation", "balance"), 0
        )
        self.day: Any = None
        self.penalised = False
        self.runs: list[list[Any]] = [[None, None] for _ in _RUNS]

    def settle(self, threshold: int | None) -> None:
        """The clocks at the close of ``day`` (``values._track`` after the day's last entry)."""
        c, day = self.counters, self.day
        standard, ftop, alert, freeze = self.runs
        standard[0] = (standard[1] or day) if c["standard"] < 0 else None
        ftop[0] = (ftop[1] or day) if c["ftop"] < 0 else None
        if c["regular"] < 0:
            alert[0] = alert[1] or day
        elif c["compensation"] < 0 and alert[1] is not None:
            alert[0] = alert[1]
        else:
            alert[0] = None
        below = threshold is not None and c["balance"] <= threshold
        freeze[0] = (freeze[1] or day) if below else None

    def next_day(self, day: Any, threshold: int | None) -> None:
        """Close the current day (``settle``) and open ``day`` (``values._roll``)."""
        if day < self.day:
            raise ShiftRuleError(Refusal.OUT_OF_ORDER)
        self.settle(threshold)
        for run in self.runs:
            run[1] = run[0]
        self.day = day

    def figures(self) -> Figures:
        if self.day is None:
            return Figures()
        runs = {
            name: Run(since=_day(since), since_before=_day(before))
            for name, (since, before) in zip(_RUNS, self.runs, strict=True)
        }
        return Figures(
            counters=Counters(**self.counters),
            day=_day(self.day),
            penalised=self.penalised,
            **runs,
        )


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def replay_many(
    policy: ShiftPolicy, rows: Iterable[tuple[Any, Any, str, int, str, str]]
) -> dict[Any, Figures]:
    """Figures per member from ``(member, day, counter, delta, kind, detail)`` rows in ledger
    order (each member's days never decreasing; days as dates or ISO strings). A member with
    no row is absent from the result (their figures are ``Figures()``)."""
    threshold = policy.freeze_threshold
    tallies: dict[Any, _Tally] = {}
    for member, day, counter, delta, kind, detail in rows:
        tally = tallies.get(member)
        if tally is None:
            tally = tallies[member] = _Tally()
            tally.day = day
        elif day != tally.day:
            tally.next_day(day, threshold)
        if kind == _CYCLE and counter == _REGULAR:
            if detail == "penalty":
                tally.penalised = True
            elif detail == "in_credit":
                tally.penalised = False
        tally.counters[counter] += delta
    result: dict[Any, Figures] = {}
    for member, tally in tallies.items():
        tally.settle(threshold)
        result[member] = tally.figures()
    return result
