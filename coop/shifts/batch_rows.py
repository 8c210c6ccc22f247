"""The rows a ``daily.Batch`` writes (ledger entries, cycle rows, changed states, state-log
snapshots), built as driver tuples and written with one ``executemany`` each.

Thousands of members share a state, a cycle debit or an entry: each shared value object is
converted to its row once (memoised by identity: the objects are alive for the whole write)
and only the member's id is added per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import bindparam, insert
from sqlalchemy.orm import Session

from coop.audit import Actor
from coop.shifts.bulk import Codec, RowCodec, codecs, execute_many
from coop.shifts.models import (
    ShiftCycle,
    ShiftLedgerEntry,
    ShiftMemberState,
    ShiftStateLog,
    core_table,
)
from coop.shifts.records import SNAPSHOT_FIELDS, STATE_FIELDS, StateReader
from coop.shifts.rules import CycleApplied, LedgerEntry, MemberState

_ENTRY = (
    "member_id",
    "attendance_id",
    *("day", "counter", "delta", "kind", "ref", "detail", "note"),  # from the entry
    *("created_at", "actor"),  # the batch's
)
_CYCLE = ("member_id", "starts_on", "owed", "detail")
_SNAPSHOT = ("member_id", "day", *SNAPSHOT_FIELDS)
_FULL = (*STATE_FIELDS, "updated_at", "cycles_until", "member_id")
_DIFFERS = tuple(name for name in STATE_FIELDS if name != "as_of")
_SNAPSHOT_AT = tuple(STATE_FIELDS.index(name) for name in SNAPSHOT_FIELDS)


class StateChange(Protocol):
    """One member's state as loaded and as it ends the batch (``daily._Member``)."""

    @property
    def member_id(self) -> int: ...
    @property
    def before(self) -> dict[str, Any]: ...
    @property
    def state(self) -> MemberState: ...
    @property
    def cycles_until(self) -> date: ...
    @property
    def loaded_cycles_until(self) -> date | None: ...


class BatchRows:
    """Writes a batch's rows in the caller's transaction (see the module docstring)."""

    def __init__(
        self, session: Session, reader: StateReader, *, actor: Actor, now: datetime, today: date
    ) -> None:
        self.session = session
        self.reader = reader
        self.actor = actor
        self.now = now
        self.today = today
        states = core_table(ShiftMemberState)
        self._states = codecs(session, states, _FULL)
        self._cycles_until: Codec = self._states[_FULL.index("cycles_until")]

    def ledger(self, entries: Iterable[tuple[int, LedgerEntry, int | None]]) -> int:
        """Insert the entries ``(member id, entry, attendance id)``; returns how many."""
        table = core_table(ShiftLedgerEntry)
        codec = codecs(self.session, table, _ENTRY)
        fixed = (codec[-2].bind(self.now), codec[-1].bind(self.actor.name))
        middle = RowCodec(codec[2:-2])
        bound: dict[int, tuple[Any, ...]] = {}
        rows = []
        for member_id, entry, attendance_id in entries:
            known = bound.get(id(entry))
            if known is None:
                values = (entry.on, entry.counter.value, entry.delta, entry.kind.value)
                known = bound[id(entry)] = (
                    *middle.bind((*values, entry.ref, entry.detail, entry.note)),
                    *fixed,
                )
            rows.append((member_id, attendance_id, *known))
        execute_many(self.session, insert(table), _ENTRY, rows)
        return len(rows)

    def cycles(self, cycles: Iterable[tuple[int, CycleApplied]]) -> int:
        """Insert the cycle rows ``(member id, cycle applied)``; returns how many."""
        table = core_table(ShiftCycle)
        codec = RowCodec(codecs(self.session, table, _CYCLE)[1:])
        bound: dict[int, tuple[Any, ...]] = {}
        rows = []
        for member_id, cycle in cycles:
            known = bound.get(id(cycle))
            if known is None:
                known = bound[id(cycle)] = codec.bind((cycle.on, cycle.owed, cycle.detail))
            rows.append((member_id, *known))
        execute_many(self.session, insert(table), _CYCLE, rows)
        return len(rows)

    def states(self, changes: Iterable[StateChange]) -> int:
        """Rewrite the columns of the states that changed (only ``cycles_until`` where the rest
        did not), one executemany per set of changed columns, and log a snapshot where its
        fields changed; returns the number of states changed."""
        judged: dict[tuple[int, int], tuple[tuple[str, ...], bool, tuple[Any, ...]]] = {}
        bound: dict[int, tuple[Any, ...]] = {}
        fields = RowCodec(self._states[: len(STATE_FIELDS)])
        updated_at = self._states[_FULL.index("updated_at")].bind(self.now)
        by_columns: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        short: list[tuple[Any, ...]] = []
        snapshots: list[tuple[Any, ...]] = []
        today = codecs(self.session, core_table(ShiftStateLog), ("day",))[0].bind(self.today)
        changed = 0
        untils: dict[date, Any] = {}
        for change in changes:  # memoised by identity: every object lives until the end
            state = change.state
            before = change.before
            key = (id(before), id(state))
            verdict = judged.get(key)
            if verdict is None:
                after = self.reader.values(state)
                at = [i for i, k in enumerate(STATE_FIELDS) if before[k] != after[k]]
                columns = tuple(STATE_FIELDS[i] for i in at)
                differs = any(name != "as_of" for name in columns)
                logged = differs and any(name in SNAPSHOT_FIELDS for name in columns)
                values = bound.get(id(state))
                if values is None:
                    values = bound[id(state)] = fields.bind([after[k] for k in STATE_FIELDS])
                picked = tuple(values[i] for i in at) if differs else ()
                verdict = judged[key] = (columns if differs else (), logged, picked)
            columns, logged, picked = verdict
            day = change.cycles_until
            until = untils.get(day)
            if until is None:
                until = untils[day] = self._cycles_until.bind(day)
            if columns:
                changed += 1
                by_columns.setdefault(columns, []).append(
                    (*picked, updated_at, until, change.member_id)
                )
                if logged:
                    full = bound[id(state)]
                    snapshots.append((change.member_id, today, *(full[i] for i in _SNAPSHOT_AT)))
            elif day != change.loaded_cycles_until:
                short.append((until, change.member_id))
        for columns, rows in by_columns.items():
            self._update((*columns, "updated_at", "cycles_until", "member_id"), rows)
        self._update(("cycles_until", "member_id"), short)
        execute_many(self.session, insert(core_table(ShiftStateLog)), _SNAPSHOT, snapshots)
        return changed

    def _update(self, names: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        table = core_table(ShiftMemberState)
        statement = (
            table.update()
            .where(table.c.member_id == bindparam("_member_id"))
            .values({name: bindparam(f"_{name}") for name in names if name != "member_id"})
        )
        execute_many(self.session, statement, [f"_{name}" for name in names], rows)
