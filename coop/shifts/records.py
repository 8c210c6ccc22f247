"""Rows ↔ rule values for the shifts context: ``shift_member_states`` columns to and from a
``MemberState``, ledger rows to ``LedgerEntry`` and back, the state-log snapshot fields."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from coop.audit import Actor
from coop.shifts.policy import Counter, Status, WorkMode
from coop.shifts.state import (
    Counters,
    EntryKind,
    Extension,
    Figures,
    Leave,
    LeaveKind,
    LedgerEntry,
    MemberState,
    Run,
)
from coop.shifts.tables import core_table

if TYPE_CHECKING:  # a desk check reads states with Core and maps no shift class, nor loads
    # the rules' use of events
    from coop.shifts.rules import CycleApplied
    from coop.shifts.slot_models import ShiftMemberState

SNAPSHOT_FIELDS = (
    "mode",
    "extension_start",
    "extension_end",
    "extension_grace",
    "leave_kind",
    "leave_start",
    "leave_end",
    "alert_resumed_on",
    "frozen_since",
)
_RUNS = ("standard_negative", "ftop_negative", "alert", "below_freeze")
STATE_FIELDS = (
    "mode",
    "status",
    "as_of",
    "standard",
    "ftop",
    "regular",
    "compensation",
    "balance",
    "figures_day",
    *(f"{run}_{part}" for run in _RUNS for part in ("since", "before")),
    "penalised",
    "extension_start",
    "extension_end",
    "extension_grace",
    "leave_kind",
    "leave_start",
    "leave_end",
    "alert_resumed_on",
    "frozen_since",
    "freeze_warned_on",
)


def state_values(state: MemberState) -> dict[str, Any]:
    """A ``MemberState`` as the columns of ``shift_member_states``."""
    f, c = state.figures, state.figures.counters
    ext, leave = state.extension, state.leave
    values: dict[str, Any] = {
        "mode": state.mode.value,
        "status": state.status.value,
        "as_of": state.as_of,
        "standard": c.standard,
        "ftop": c.ftop,
        "regular": c.regular,
        "compensation": c.compensation,
        "balance": c.balance,
        "figures_day": f.day,
        "penalised": f.penalised,
        "extension_start": ext.start if ext else None,
        "extension_end": ext.end if ext else None,
        "extension_grace": ext.grace if ext else False,
        "leave_kind": leave.kind.value if leave else None,
        "leave_start": leave.start if leave else None,
        "leave_end": leave.end if leave else None,
        "alert_resumed_on": state.alert_resumed_on,
        "frozen_since": state.frozen_since,
        "freeze_warned_on": state.freeze_warned_on,
    }
    for run in _RUNS:
        value: Run = getattr(f, run)
        values[f"{run}_since"] = value.since
        values[f"{run}_before"] = value.since_before
    return values


def _extension(values: Mapping[Any, Any]) -> Extension | None:
    if values["extension_start"] is None:
        return None
    return Extension(values["extension_start"], values["extension_end"], values["extension_grace"])


def _leave(values: Mapping[Any, Any]) -> Leave | None:
    if values["leave_kind"] is None:
        return None
    return Leave(LeaveKind(values["leave_kind"]), values["leave_start"], values["leave_end"])


DAY_BOUND_FIELDS = (
    "figures_day",
    *(f"{run}_before" for run in _RUNS),
)
"""The columns the rules read only when they fold a ledger entry dated the figures' day
(``values.fold``: an entry of a later day replaces them all); see ``daily.Batch.advance``."""


def state_from(values: Mapping[Any, Any]) -> MemberState:
    """The ``MemberState`` held in a ``shift_member_states`` row (a mapping of its columns)."""
    return MemberState(
        mode=WorkMode(values["mode"]),
        figures=figures_from(values),
        status=Status(values["status"]),
        as_of=values["as_of"],
        extension=_extension(values),
        leave=_leave(values),
        alert_resumed_on=values["alert_resumed_on"],
        frozen_since=values["frozen_since"],
        freeze_warned_on=values["freeze_warned_on"],
    )


def figures_from(values: Mapping[Any, Any]) -> Figures:
    """The ``Figures`` held in a ``shift_member_states`` row (a mapping of its columns)."""
    return Figures(
        counters=Counters(
            values["standard"],
            values["ftop"],
            values["regular"],
            values["compensation"],
            values["balance"],
        ),
        day=values["figures_day"],
        standard_negative=Run(
            values["standard_negative_since"], values["standard_negative_before"]
        ),
        ftop_negative=Run(values["ftop_negative_since"], values["ftop_negative_before"]),
        alert=Run(values["alert_since"], values["alert_before"]),
        below_freeze=Run(values["below_freeze_since"], values["below_freeze_before"]),
        penalised=values["penalised"],
    )


class StateReader:
    """``state_from`` and ``state_values`` for many rows: equal rows (thousands of members in
    the same state) give one shared ``MemberState``, and its values are computed once."""

    def __init__(self) -> None:
        self._states: dict[tuple[Any, ...], MemberState] = {}
        self._values: dict[int, tuple[MemberState, dict[str, Any]]] = {}

    def state(self, values: Mapping[Any, Any]) -> MemberState:
        key = tuple(values[name] for name in STATE_FIELDS)
        state = self._states.get(key)
        if state is None:
            state = self._states[key] = state_from(values)
        return state

    def values(self, state: MemberState) -> dict[str, Any]:
        """``state_values(state)`` (a fresh dict: callers may add to it)."""
        known = self._values.get(id(state))
        if known is None or known[0] is not state:
            known = self._values[id(state)] = (state, state_values(state))
        return dict(known[1])


def row_values(row: ShiftMemberState) -> dict[str, Any]:
    return {name: getattr(row, name) for name in STATE_FIELDS}


def snapshot_state(values: Mapping[str, Any], figures: Figures | None = None) -> MemberState:
    """The non-ledger part of a state (a state-log row), with figures if given."""
    return MemberState(
        mode=WorkMode(values["mode"]),
        figures=figures or Figures(),
        extension=_extension(values),
        leave=_leave(values),
        alert_resumed_on=values["alert_resumed_on"],
        frozen_since=values["frozen_since"],
    )


def entry_from(row: Any) -> LedgerEntry:
    return LedgerEntry(
        on=row.day,
        counter=Counter(row.counter),
        delta=row.delta,
        kind=EntryKind(row.kind),
        ref=row.ref,
        detail=row.detail or "",
        note=row.note or "",
    )


def entry_row(
    member_id: int,
    entry: LedgerEntry,
    actor: Actor,
    now: datetime,
    attendance_id: int | None = None,
) -> dict[str, Any]:
    """A ``LedgerEntry`` as the columns of a new ``shift_ledger`` row."""
    return {
        "member_id": member_id,
        "day": entry.on,
        "counter": entry.counter.value,
        "delta": entry.delta,
        "kind": entry.kind.value,
        "ref": entry.ref,
        "detail": entry.detail,
        "note": entry.note,
        "attendance_id": attendance_id,
        "created_at": now,
        "actor": actor.recorded,
    }


def cycle_row(member_id: int, cycle: CycleApplied) -> dict[str, Any]:
    """The ``shift_cycles`` row recording that a cycle start was applied (owed or not)."""
    return {
        "member_id": member_id,
        "starts_on": cycle.on,
        "owed": cycle.owed,
        "detail": cycle.detail,
    }


def snapshot_row(member_id: int, day: date, values: Mapping[str, Any]) -> dict[str, Any]:
    """The ``shift_state_log`` row recording the non-ledger part of a state on ``day``."""
    return {"member_id": member_id, "day": day, **{k: values[k] for k in SNAPSHOT_FIELDS}}


def log_snapshot(session: Session, member_id: int, day: date, values: Mapping[str, Any]) -> None:
    from coop.shifts.models import ShiftStateLog  # not declared by a desk check (a cash sale)

    session.execute(insert(core_table(ShiftStateLog)), [snapshot_row(member_id, day, values)])
