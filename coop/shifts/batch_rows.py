"""The rows a ``daily.Batch`` writes (ledger entries, cycle rows, changed states, state-log
snapshots), built as driver tuples and written with one ``executemany`` each.

Thousands of members share a state, a cycle debit or an entry: each shared value object is
converted to its row once (memoised by identity: the objects are alive for the whole write)
and only the member's id is added per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Generic, Protocol, TypeVar

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
from coop.shifts.records import DAY_BOUND_FIELDS, SNAPSHOT_FIELDS, STATE_FIELDS, StateReader
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
_SNAPSHOT_AT = tuple(STATE_FIELDS.index(name) for name in SNAPSHOT_FIELDS)
_Verdict = tuple[tuple[str, ...], tuple[Any, ...], tuple[Any, ...], bool]
_DAY_BOUND_AT = tuple(STATE_FIELDS.index(name) for name in DAY_BOUND_FIELDS)
_UNDATED_AT = tuple(i for i in range(len(STATE_FIELDS)) if i not in _DAY_BOUND_AT)
_Item = TypeVar("_Item")


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

    def ledger(self, chunks: Iterable[tuple[int, Sequence[tuple[LedgerEntry, int | None]]]]) -> int:
        """Insert the entries given as ``(member id, [(entry, attendance id), …])`` chunks,
        in order; returns how many. A chunk shared by several members is bound once."""
        table = core_table(ShiftLedgerEntry)
        codec = codecs(self.session, table, _ENTRY)
        fixed = (codec[-2].bind(self.now), codec[-1].bind(self.actor.recorded))
        middle = RowCodec(codec[2:-2])
        by_value: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # equal entries of other cases

        def bind(entry: LedgerEntry) -> tuple[Any, ...]:
            values = (
                *(entry.on, entry.counter.value, entry.delta, entry.kind.value),
                *(entry.ref, entry.detail, entry.note),
            )
            known = by_value.get(values)
            if known is None:
                known = by_value[values] = (*middle.bind(values), *fixed)
            return known

        def tails(chunk: Sequence[tuple[LedgerEntry, int | None]]) -> list[tuple[Any, ...]]:
            return [(at, *bind(entry)) for entry, at in chunk]

        rows = _Tails(tails).rows(chunks)
        execute_many(self.session, insert(table), _ENTRY, rows)
        return len(rows)

    def cycles(self, chunks: Iterable[tuple[int, Sequence[CycleApplied]]]) -> int:
        """Insert the cycle rows given as ``(member id, [cycle applied, …])`` chunks, in order;
        returns how many. A chunk shared by several members is bound once."""
        table = core_table(ShiftCycle)
        codec = RowCodec(codecs(self.session, table, _CYCLE)[1:])
        by_value: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # equal cycles of other cases

        def bind(cycle: CycleApplied) -> tuple[Any, ...]:
            values = (cycle.on, cycle.owed, cycle.detail)
            known = by_value.get(values)
            if known is None:
                known = by_value[values] = codec.bind(values)
            return known

        def tails(chunk: Sequence[CycleApplied]) -> list[tuple[Any, ...]]:
            return [bind(cycle) for cycle in chunk]

        rows = _Tails(tails).rows(chunks)
        execute_many(self.session, insert(table), _CYCLE, rows)
        return len(rows)

    def states(
        self, changes: Iterable[StateChange], undated: Mapping[int, dict[str, Any]] | None = None
    ) -> int:
        """Rewrite the columns of the states that changed (only ``cycles_until`` where the rest
        did not), one executemany per set of changed columns, and log a snapshot where its
        fields changed; returns the number of states changed.

        ``undated`` maps (by id) a loaded state's values to those of the first state loaded
        that differs from it only in ``DAY_BOUND_FIELDS``: when a new state differs from that
        one in another column, the state changed whatever its own day-bound values, and every
        member loaded like it is written alike, the day-bound columns always included (the
        same values where they did not change: the rows written are the same)."""
        judged: dict[tuple[int, int], _Verdict] = {}  # by (before, state)
        shared: dict[tuple[int, int], _Verdict] = {}  # by (undated before, state)
        undated = undated or {}
        updated_at = self._states[_FULL.index("updated_at")].bind(self.now)
        by_columns: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        short: list[tuple[Any, ...]] = []
        snapshots: list[tuple[Any, ...]] = []
        today = codecs(self.session, core_table(ShiftStateLog), ("day",))[0].bind(self.today)
        untils: dict[date, Any] = {}
        # (rows to add to or None, the row but the member's id, the snapshot's values or ())
        # by (before, state, cycles_until, loaded cycles_until): members alike share it
        written: dict[
            tuple[Any, ...], tuple[list[tuple[Any, ...]] | None, tuple[Any, ...], tuple[Any, ...]]
        ] = {}
        for change in changes:  # memoised by identity: every object lives until the end
            state = change.state
            before = change.before
            day = change.cycles_until
            key = (id(before), id(state), day, change.loaded_cycles_until)
            known = written.get(key)
            if known is None:
                base = undated.get(id(before))
                verdict = None if base is None else shared.get((id(base), id(state)))
                if verdict is None:
                    verdict = judged.get((id(before), id(state)))
                    if verdict is None:
                        verdict = self._judge(before, state, base)
                        if base is not None and verdict[0] and verdict[3]:
                            shared[(id(base), id(state))] = verdict
                        else:
                            judged[(id(before), id(state))] = verdict
                columns, logged, picked, _shared = verdict
                until = untils.get(day)
                if until is None:
                    until = untils[day] = self._cycles_until.bind(day)
                if columns:
                    same = by_columns.setdefault(columns, [])
                    known = written[key] = (same, (*picked, updated_at, until), logged)
                elif day != change.loaded_cycles_until:
                    known = written[key] = (short, (until,), ())
                else:
                    known = written[key] = (None, (), ())
            target, head, logged = known
            if target is not None:
                target.append((*head, change.member_id))
                if logged:
                    snapshots.append((change.member_id, today, *logged))
        changed = sum(len(rows) for rows in by_columns.values())
        for columns, rows in by_columns.items():
            self._update((*columns, "updated_at", "cycles_until", "member_id"), rows)
        self._update(("cycles_until", "member_id"), short)
        execute_many(self.session, insert(core_table(ShiftStateLog)), _SNAPSHOT, snapshots)
        return changed

    def _judge(
        self, before: dict[str, Any], state: MemberState, base: dict[str, Any] | None
    ) -> _Verdict:
        """The verdict on ``before`` → ``state``; its last item says it holds for every state
        loaded like ``base`` (see ``states``)."""
        after = self.reader.values(state)
        if base is not None:
            at = [i for i in _UNDATED_AT if base[STATE_FIELDS[i]] != after[STATE_FIELDS[i]]]
            if any(STATE_FIELDS[i] != "as_of" for i in at):
                return self._verdict(sorted({*at, *_DAY_BOUND_AT}), after, shared=True)
        at = [i for i, k in enumerate(STATE_FIELDS) if before[k] != after[k]]
        return self._verdict(at, after, shared=False)

    def _verdict(self, at: list[int], after: dict[str, Any], *, shared: bool) -> _Verdict:
        """(columns to write, the snapshot's values to log or (), the columns' values as the
        driver takes them, ``shared``); only the columns written are bound."""
        columns = tuple(STATE_FIELDS[i] for i in at)
        if not any(name != "as_of" for name in columns):
            return (), (), (), shared
        codecs = self._states
        picked = tuple(codecs[i].bind(after[STATE_FIELDS[i]]) for i in at)
        logged: tuple[Any, ...] = ()
        if any(name in SNAPSHOT_FIELDS for name in columns):
            logged = tuple(codecs[i].bind(after[STATE_FIELDS[i]]) for i in _SNAPSHOT_AT)
        return columns, logged, picked, shared

    def _update(self, names: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        table = core_table(ShiftMemberState)
        statement = (
            table.update()
            .where(table.c.member_id == bindparam("_member_id"))
            .values({name: bindparam(f"_{name}") for name in names if name != "member_id"})
        )
        execute_many(self.session, statement, [f"_{name}" for name in names], rows)


class _Tails(Generic[_Item]):
    """Rows ``(member id, *tail)`` from chunks ``(member id, items)``: the tails of a chunk's
    items (``bind``) computed once per chunk object (memoised by identity: every chunk lives
    until the write is over), so a chunk shared by thousands of members costs one binding."""

    def __init__(self, bind: Callable[[Sequence[_Item]], list[tuple[Any, ...]]]) -> None:
        self._bind = bind
        self._bound: dict[int, list[tuple[Any, ...]]] = {}

    def rows(self, chunks: Iterable[tuple[int, Sequence[_Item]]]) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        bound = self._bound
        for member_id, chunk in chunks:
            tails = bound.get(id(chunk))
            if tails is None:
                tails = bound[id(chunk)] = self._bind(chunk)
            if len(tails) == 1:
                rows.append((member_id, *tails[0]))
            else:
                rows.extend([(member_id, *tail) for tail in tails])
        return rows
