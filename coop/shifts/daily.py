"""The daily run and other set-based passes over many members' shift accounts (``Batch``):
a few queries in, the pure rules in Python, bulk writes out, in the caller's transaction."""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import itemgetter
from typing import Any

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.clock import local_date
from coop.collector import paused_gc
from coop.config import ShiftSettings
from coop.db import driver_rows
from coop.errors import CoopError
from coop.members.models import Member
from coop.shifts import census, rules, run_guard, words
from coop.shifts.actions_many import carry_out_many
from coop.shifts.batch_rows import BatchRows
from coop.shifts.bulk import Codec, RowCodec
from coop.shifts.facts import facts_for
from coop.shifts.models import ShiftMemberState, ShiftStateLog, core_table
from coop.shifts.policy import WorkMode
from coop.shifts.records import (
    DAY_BOUND_FIELDS,
    STATE_FIELDS,
    StateReader,
    snapshot_row,
    state_from,
    state_values,
)
from coop.shifts.rules import (
    Action,
    CycleApplied,
    Figures,
    LedgerEntry,
    MemberFacts,
    MemberState,
    Outcome,
    Run,
)
from coop.shifts.run_guard import EarlierRun

ONE_DAY = timedelta(days=1)


@dataclass
class RunReport:
    today: date
    members: int = 0
    enrolled: int = 0
    cycles: int = 0
    entries: int = 0
    changed: int = 0
    skipped: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    actions: dict[str, int] = field(default_factory=dict)
    already: EarlierRun | None = None
    """A run for the same day committed before this one (``coop.shifts.run_guard``)."""


@dataclass(slots=True)
class _Member:
    """One member inside a ``Batch``: the state as loaded, and as changed in memory."""

    member_id: int
    joined_on: date
    left_on: date | None
    before: dict[str, Any]
    state: MemberState
    cycles_until: date
    cycle_origin: date | None
    registered: bool
    upcoming: int
    loaded_cycles_until: date | None
    actions: list[Action] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Advance:
    """What ``Batch.advance`` did to a member starting from ``start`` (shared by its twins)."""

    start: MemberState
    state: MemberState
    cycles_until: date
    cycles: list[CycleApplied]
    entries: list[tuple[LedgerEntry, int | None]]
    actions: list[Action]


_Entries = Sequence[tuple[LedgerEntry, int | None]]


class Batch:
    """Many members' accounts changed in memory and written back in bulk, in the caller's
    transaction: the daily run, and the bookings of cancelled shifts (closures, holidays).

    A few queries load every state with the member's dates and facts (read raw: each distinct
    state converted once and shared by the members in it); the rules run in Python, once per
    distinct state and facts; ledger entries, cycle rows, changed states and state-log rows are
    written with one executemany each (``batch_rows``). A state whose only change is its date
    (``as_of``) is not rewritten: the status is computed for the day it is read, so a quiet day
    costs no write.
    """

    def __init__(
        self,
        session: Session,
        *,
        settings: ShiftSettings,
        actor: Actor,
        now: datetime,
        today: date | None = None,
        member_ids: Iterable[int] | None = None,
    ) -> None:
        self.session = session
        self.settings = settings
        self.policy = settings.policy
        self.actor = actor
        self.now = now
        self.today = today or local_date(now)
        # what to write, one chunk per member and pass, in order: (member id, the entries
        # with their attendance id) and (member id, cycles); a member sharing an answer adds
        # its shared lists (one append, however many rows), bound once by ``BatchRows``
        self.entry_chunks: list[tuple[int, _Entries]] = []
        self.cycle_chunks: list[tuple[int, Sequence[CycleApplied]]] = []
        self.members: dict[int, _Member] = {}
        self.skipped = 0
        # the rules are pure: members in the same state with the same facts get the same
        # answer, computed once (thousands of members share a state on a cycle day); keyed by
        # the state's identity (hashing a state is slow), the state kept beside the answer
        self._caught: dict[tuple[Any, ...], tuple[MemberState, rules.CaughtUp]] = {}
        self._settled: dict[tuple[Any, ...], tuple[MemberState, Outcome]] = {}
        self._advanced: dict[tuple[Any, ...], _Advance] = {}
        self._tokens: dict[int, tuple[int, MemberState]] = {}
        self._undated: dict[int, dict[str, Any]] = {}
        """id of a loaded state's values → the values of the first state loaded that differs
        from it only in ``DAY_BOUND_FIELDS`` (see ``BatchRows.states``)"""
        """id of a loaded state → (its number among the loaded states that differ only by the
        figures' day, the state): see ``advance``"""
        self._refigured_states: dict[tuple[int, int], MemberState] = {}
        self.reader = StateReader()
        wanted = None if member_ids is None else sorted(set(member_ids))
        if wanted is not None:
            from coop.shifts.account import enrol  # not on the daily run's path (its start)

            for member in session.scalars(select(Member).where(Member.id.in_(wanted))):
                enrol(session, member, settings=settings, today=self.today, now=now)
        self._load(wanted)

    @property
    def entries(self) -> list[tuple[int, LedgerEntry, int | None]]:
        """(member id, entry, attendance id) to write, in order."""
        return [(m, entry, at) for m, chunk in self.entry_chunks for entry, at in chunk]

    @property
    def cycles(self) -> list[tuple[int, CycleApplied]]:
        """(member id, cycle applied) to write, in order."""
        return [(m, cycle) for m, chunk in self.cycle_chunks for cycle in chunk]

    def _load(self, wanted: list[int] | None) -> None:
        members_table = core_table(Member)
        states_table = core_table(ShiftMemberState)
        today = self.today
        own_dates = ("cycles_until", "cycle_origin")
        query = (
            select(
                states_table.c.member_id,
                members_table.c.joined_on,
                members_table.c.left_on,
                *(states_table.c[name] for name in (*own_dates, *STATE_FIELDS)),
            )
            .join(members_table, members_table.c.id == states_table.c.member_id)
            .order_by(states_table.c.member_id)
            .with_for_update(of=states_table)  # see ``enrol``: no lost update on PostgreSQL
        )
        if wanted is None:  # the daily run: every working member still in the coop
            query = query.where(
                members_table.c.erased_at.is_(None),
                members_table.c.main_member_id.is_(None),
                or_(members_table.c.left_on.is_(None), members_table.c.left_on > today),
            )
        else:
            query = query.where(states_table.c.member_id.in_(wanted))
        dialect = self.session.get_bind().dialect
        joined, left = (Codec(members_table.c[n], dialect) for n in ("joined_on", "left_on"))
        until, origin = (Codec(states_table.c[n], dialect) for n in own_dates)
        fields = RowCodec(
            [Codec(states_table.c[name], dialect) for name in STATE_FIELDS], STATE_FIELDS
        )
        loaded: dict[tuple[Any, ...], tuple[MemberState, dict[str, Any]]] = {}
        bound = [STATE_FIELDS.index(name) for name in DAY_BOUND_FIELDS]
        kept = [i for i in range(len(STATE_FIELDS)) if i not in bound]
        undated_of = itemgetter(*kept)
        day_bound = [
            (name, i, Codec(states_table.c[name], dialect))
            for name, i in zip(DAY_BOUND_FIELDS, bound, strict=True)
        ]
        # the loaded states without their day-bound columns: (number, state, values); the
        # states that differ from one only there are copies of it with their own figures
        bases: dict[tuple[Any, ...], tuple[int, MemberState, dict[str, Any]]] = {}
        dated: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # joined, left, until, origin
        rows = list(driver_rows(self.session, query))
        registered = census.holders_on(self.session, today, wanted)
        upcoming = census.upcoming_counts(self.session, self.policy, today, wanted)
        for row in rows:
            member_id = row[0]
            raw = tuple(row[5:])
            known = loaded.get(raw)
            if known is None:  # a state not seen yet: converted once, shared by its members
                undated = undated_of(raw)
                base = bases.get(undated)
                if base is None:
                    values = fields.read(raw)
                    base = bases[undated] = (len(bases), state_from(values), values)
                    state = base[1]
                else:
                    values = dict(base[2])
                    for name, i, codec in day_bound:
                        values[name] = codec.read(raw[i])
                    state = base[1].with_figures(_redated(base[1].figures, values))
                known = loaded[raw] = (state, values)
                self._tokens[id(state)] = (base[0], state)
                self._undated[id(values)] = base[2]
            state, before = known
            raw_dates = tuple(row[1:5])
            dates = dated.get(raw_dates)
            if dates is None:
                dates = dated[raw_dates] = tuple(
                    c.read(v) for c, v in zip((joined, left, until, origin), raw_dates, strict=True)
                )
            self.members[member_id] = _Member(  # by position: this runs for every member
                member_id,
                dates[0],  # joined_on
                dates[1],  # left_on
                before,
                state,
                dates[2],  # cycles_until
                dates[3],  # cycle_origin
                state.mode is not WorkMode.REGULAR or member_id in registered,
                upcoming.get(member_id, 0),
                dates[2],  # loaded_cycles_until
            )

    def facts(self, member: _Member, day: date) -> MemberFacts:
        return facts_for(
            member.joined_on,
            member.left_on,
            day,
            registered=member.registered,
            upcoming=member.upcoming,
        )

    @staticmethod
    def _facts_key(member: _Member, first: date) -> tuple[Any, ...]:
        """Everything ``facts`` reads of the member, for days from ``first`` on: the join date
        only when it is later than ``first`` (see ``_joined``)."""
        return (
            _joined(member.joined_on, first),
            member.left_on,
            member.registered,
            member.upcoming,
        )

    def usable(self, member: _Member) -> bool:
        """False when the member's records are already dated after today (nothing to do)."""
        return member.state.as_of is None or member.state.as_of <= self.today

    def catch_up(self, member: _Member) -> None:
        """Apply the cycle starts owed in (last applied, today]."""
        if member.cycles_until >= self.today:
            return  # caught up already (a second run the same day)
        origin = rules.personal_origin(self.policy, member.state, member.cycle_origin)
        key = (
            id(member.state),
            member.cycles_until,
            origin,
            *self._facts_key(member, member.cycles_until + ONE_DAY),  # its first day
        )
        known = self._caught.get(key)
        caught = known[1] if known is not None and known[0] is member.state else None
        if caught is None:
            try:
                caught = rules.catch_up(
                    self.policy,
                    member.state,
                    lambda day: self.facts(member, day),
                    after=member.cycles_until,
                    today=self.today,
                    origin=origin,
                )
            except rules.ShiftRuleError as error:
                raise CoopError(words.refusal(error.code)) from error
            self._caught[key] = (member.state, caught)
        if caught.cycles:
            member_id = member.member_id
            self.cycle_chunks.append((member_id, caught.cycles))
            entries = [(entry, None) for cycle in caught.cycles for entry in cycle.entries]
            if entries:
                self.entry_chunks.append((member_id, entries))
        member.state = caught.state
        member.actions.extend(caught.actions)
        member.cycles_until = max(member.cycles_until, self.today)

    def advance(self, member: _Member) -> None:
        """The daily run's pass for one member, ``catch_up`` then ``settle``, worked out once
        for the members with the same state, dates and facts and copied to the others.

        The figures' day (the date of the last entry folded in) and the runs' values of the day
        before it (``records.DAY_BOUND_FIELDS``) are left out of the key when that day is before
        every day this pass can fold an entry on (after ``cycles_until`` and before today): the
        rules read them only in ``values.fold``, which replaces them all on the first entry of a
        later day, and nothing but ``fold`` changes the figures. So members who differ only
        there (hundreds of distinct days in a three-year-old coop) share one answer; one whose
        pass folds nothing gets it with their own figures."""
        state = member.state
        day = state.figures.day
        loaded = self._tokens.get(id(state))
        redated = (
            loaded is not None
            and loaded[1] is state
            and day is not None
            and day <= member.cycles_until
            and day < self.today
        )
        until = member.cycles_until
        joined = member.joined_on
        key = (  # ``_facts_key`` inlined: this runs for every member
            redated,
            loaded[0] if redated and loaded is not None else id(state),
            until,
            member.cycle_origin,
            # the pass looks at days after ``until`` and at today (``_joined``)
            None if joined <= until and joined <= self.today else joined,
            member.left_on,
            member.registered,
            member.upcoming,
        )
        known = self._advanced.get(key)
        member_id = member.member_id
        if known is None or (not redated and known.start is not state):
            cycles, entries = len(self.cycle_chunks), len(self.entry_chunks)
            actions = len(member.actions)
            self.catch_up(member)
            self.settle(member)
            self._advanced[key] = _Advance(
                state,
                member.state,
                member.cycles_until,
                [cycle for _m, chunk in self.cycle_chunks[cycles:] for cycle in chunk],
                [pair for _m, chunk in self.entry_chunks[entries:] for pair in chunk],
                member.actions[actions:],
            )
            return
        start = known.start
        if known.state is start:
            pass  # the rules changed nothing: nor for this member
        elif start is state or known.state.figures.day != start.figures.day:
            member.state = known.state  # the same start, or entries folded (a new day)
        else:  # nothing folded: the member's own figures kept
            member.state = self._refigured(known, state)
        member.cycles_until = known.cycles_until
        if known.cycles:
            self.cycle_chunks.append((member_id, known.cycles))
        if known.entries:
            self.entry_chunks.append((member_id, known.entries))
        if known.actions:
            member.actions.extend(known.actions)

    def _refigured(self, known: _Advance, start: MemberState) -> MemberState:
        """``known.state`` with the figures of ``start`` (a loaded state; memoised)."""
        key = (id(known), id(start))  # both live for the whole batch
        found = self._refigured_states.get(key)
        if found is None:
            found = self._refigured_states[key] = known.state.with_figures(start.figures)
        return found

    def _rules(self, member: _Member, event: rules.Event, prior: Sequence[LedgerEntry]) -> Outcome:
        try:
            return rules.apply(
                self.policy, member.state, event, facts=self.facts(member, event.on), prior=prior
            )
        except rules.ShiftRuleError as error:
            raise CoopError(words.refusal(error.code)) from error

    def _keep(self, member: _Member, outcome: Outcome, attendance_id: int | None) -> None:
        member.state = outcome.state
        member.actions.extend(outcome.actions)
        if outcome.entries:
            chunk = [(entry, attendance_id) for entry in outcome.entries]
            self.entry_chunks.append((member.member_id, chunk))

    def apply(
        self,
        member_id: int,
        event: rules.Event,
        *,
        attendance_id: int | None = None,
        prior: Sequence[LedgerEntry] = (),
    ) -> Outcome:
        """Apply one event to a member of the batch (cycles owed up to today first)."""
        member = self.members[member_id]
        if member.cycles_until < self.today:
            self.catch_up(member)
        outcome = self._rules(member, event, prior)
        self._keep(member, outcome, attendance_id)
        return outcome

    def settle(self, member: _Member) -> None:
        """Time-based transitions today (the daily run's pass for one member)."""
        key = (id(member.state), *self._facts_key(member, self.today))
        known = self._settled.get(key)
        outcome = known[1] if known is not None and known[0] is member.state else None
        if outcome is None:
            facts = self.facts(member, self.today)
            outcome = rules.run_day(self.policy, member.state, facts, self.today)
            self._settled[key] = (member.state, outcome)
        self._keep(member, outcome, None)

    def write(self) -> tuple[int, Tally[str]]:
        """The actions first, then bulk writes; returns (states changed, actions by code)."""
        counts: Tally[str] = Tally()
        for member in self.members.values():
            if member.actions:
                counts.update(action.value for action in member.actions)
        self._carry_out()
        rows = BatchRows(
            self.session, self.reader, actor=self.actor, now=self.now, today=self.today
        )
        rows.ledger(self.entry_chunks)
        rows.cycles(self.cycle_chunks)
        changed = rows.states(self.members.values(), self._undated)
        self.session.expire_all()
        return changed, counts

    def _carry_out(self) -> None:
        """What the rules asked, for every member at once (``carry_out_many``). A released slot
        or booking changes the member's facts: their day is settled again with the new ones,
        and what that asks is carried out in turn (``account.save`` does the same for one)."""
        pending = {m.member_id: m.actions for m in self.members.values() if m.actions}
        released_by = {Action.RELEASE_TEMPLATE_SLOTS, Action.RELEASE_FUTURE_SHIFTS}
        for _round in range(3):
            if not pending:
                return
            self.session.flush()
            carry_out_many(self.session, pending, actor=self.actor, now=self.now)
            released = [m for m, asked in pending.items() if released_by & set(asked)]
            pending = {}
            if not released:
                return
            named = released if len(released) <= census.FEW else None
            holders = census.holders_on(self.session, self.today, named)
            upcoming = census.upcoming_counts(self.session, self.policy, self.today, named)
            for member_id in released:
                member = self.members[member_id]
                member.registered = (
                    member.state.mode is not WorkMode.REGULAR or member_id in holders
                )
                member.upcoming = upcoming.get(member_id, 0)
                member.actions = []
                if self.usable(member):
                    self.settle(member)
                if member.actions:
                    pending[member_id] = member.actions


def _joined(joined_on: date, first: date) -> date | None:
    """The join date as the rules see it on days from ``first`` on: they read it only as
    ``member_since <= day`` (``status.expected_to_work``; the desk's "not yet a member" is
    ``member_since > today``), so a date on or before ``first`` reads the same as any other
    such date, and members who joined at different dates before the days a pass looks at share
    its answer (``None`` in the memo keys: in a real coop nearly every member has their own
    join date)."""
    return None if joined_on <= first else joined_on


_RUN_BEFORE = tuple((name, name.removesuffix("_before")) for name in DAY_BOUND_FIELDS[1:])


def _redated(figures: Figures, values: dict[str, Any]) -> Figures:
    """``records.figures_from(values)`` where ``values`` differ from the columns of
    ``figures`` only in ``DAY_BOUND_FIELDS`` (the figures' day and the runs' values the day
    before): a copy of ``figures`` with those (the load's hot path: thousands of states)."""
    changes: dict[str, Any] = {"day": values["figures_day"]}
    for column, name in _RUN_BEFORE:
        run: Run = getattr(figures, name)
        before = values[column]
        if before != run.since_before:
            changes[name] = Run(run.since, before)
    # a frozen dataclass without ``__post_init__``: its ``__dict__`` copied, every field kept
    # (``MemberState._copy`` does the same)
    copy = object.__new__(Figures)
    copy.__dict__.update(figures.__dict__, **changes)
    return copy


def run(
    session: Session, *, today: date, settings: ShiftSettings, actor: Actor, now: datetime
) -> RunReport:
    """The daily pass over every working member: cycle debits owed up to ``today`` (missed days
    caught up), then time-based transitions. Idempotent: a second run the same day changes
    nothing more. Set-based: a few queries in, bulk writes out, the rules in between (the
    cycle collector paused: ``coop.collector``)."""
    with paused_gc():
        return _run(session, today=today, settings=settings, actor=actor, now=now)


def _run(
    session: Session, *, today: date, settings: ShiftSettings, actor: Actor, now: datetime
) -> RunReport:
    report = RunReport(today=today, already=run_guard.claim(session, today))
    report.enrolled = _enrol_all(session, settings, today, now)
    batch = Batch(session, settings=settings, actor=actor, now=now, today=today)
    advance = batch.advance
    for member in batch.members.values():
        as_of = member.state.as_of  # ``batch.usable`` inlined: this runs for every member
        if as_of is not None and as_of > today:
            report.skipped += 1
        else:
            advance(member)
    report.members = len(batch.members)
    # by status value object (no enum ``.value`` per member), counted in C
    statuses = Tally(member.state.status for member in batch.members.values())
    report.cycles = sum(len(chunk) for _m, chunk in batch.cycle_chunks)
    report.entries = sum(len(chunk) for _m, chunk in batch.entry_chunks)
    report.changed, actions = batch.write()
    report.statuses = dict(sorted((status.value, n) for status, n in statuses.items()))
    report.actions = dict(sorted(actions.items()))
    audit.record(
        session,
        actor=actor,
        at=now,
        action=run_guard.RUN_ACTION,
        entity="shifts",
        entity_id=today.isoformat(),
        after={
            "members": report.members,
            "cycles": report.cycles,
            "entries": report.entries,
            "changed": report.changed,
        },
    )
    return report


def _enrol_all(session: Session, settings: ShiftSettings, today: date, now: datetime) -> int:
    """Create the state row of every main member who has joined and not left (set-based)."""
    members_table = core_table(Member)
    states_table = core_table(ShiftMemberState)
    missing = select(members_table.c.id, members_table.c.joined_on).where(
        members_table.c.erased_at.is_(None),
        members_table.c.main_member_id.is_(None),
        members_table.c.joined_on <= today,
        or_(members_table.c.left_on.is_(None), members_table.c.left_on > today),
        ~select(states_table.c.member_id)
        .where(states_table.c.member_id == members_table.c.id)
        .exists(),
    )
    ids = [row.id for row in session.execute(missing)]
    if not ids:
        return 0
    values = state_values(MemberState(mode=settings.new_member_mode))
    session.execute(
        insert(states_table),
        [
            {
                "member_id": member_id,
                **values,
                "cycles_until": today - ONE_DAY,
                "cycle_origin": today,
                "updated_at": now,
            }
            for member_id in ids
        ],
    )
    session.execute(
        insert(core_table(ShiftStateLog)),
        [snapshot_row(member_id, today, values) for member_id in ids],
    )
    return len(ids)
