"""One member's shift account, the unit of work of every shifts use case.

``open_account`` loads (or enrols) a member's cached state and applies the cycles owed up to
the day (so an event never waits for the night, through the pure ``rules.catch_up``);
``apply_event`` hands an event to ``coop.shifts.rules`` and appends the returned entries to
``shift_ledger``; ``recompute`` works out today's time-based transitions, saves the figures in
``shift_member_states`` and carries out the returned actions — all in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from coop.audit import Actor
from coop.clock import local_date
from coop.config import ShiftSettings
from coop.errors import CoopError
from coop.i18n import _
from coop.members import service as members
from coop.members.models import Member
from coop.shifts import rules, words
from coop.shifts.actions import carry_out
from coop.shifts.facts import facts_for, holds_slot, upcoming_shifts
from coop.shifts.models import ShiftCycle, ShiftLedgerEntry, ShiftMemberState, core_table
from coop.shifts.policy import ShiftPolicy, WorkMode
from coop.shifts.records import (
    SNAPSHOT_FIELDS,
    cycle_row,
    entry_from,
    entry_row,
    log_snapshot,
    row_values,
    state_from,
    state_values,
)
from coop.shifts.rules import Action, LedgerEntry, MemberFacts, MemberState, Outcome

ONE_DAY = timedelta(days=1)


def worker(session: Session, number: int) -> Member:
    """The member whose shifts these are; an associated person shops on their main member's
    status and has no shifts of their own."""
    member = members.get_by_number(session, number)
    if member.erased_at is not None:
        raise CoopError(_("Member {number} was erased.").format(number=number))
    if member.main_member_id is not None:
        main = member.main_member
        raise CoopError(
            _(
                "Member {number} shops on the status of member {main} ({name}): shifts are"
                " booked and counted for {main}."
            ).format(
                number=number,
                main=main.number if main else "?",
                name=main.full_name if main else "?",
            )
        )
    return member


@dataclass
class Account:
    """One member's cached shift state, loaded for changes in the caller's transaction."""

    member: Member
    row: ShiftMemberState
    state: MemberState
    policy: ShiftPolicy
    settings: ShiftSettings
    actor: Actor
    now: datetime
    actions: list[Action] = field(default_factory=list)

    @property
    def today(self) -> date:
        return local_date(self.now)

    def facts(self, day: date | None = None, session: Session | None = None) -> MemberFacts:
        day = day or self.today
        registered = True
        upcoming = 0
        if session is not None:
            if self.state.mode is WorkMode.REGULAR:
                registered = holds_slot(session, self.member.id, day)
            upcoming = upcoming_shifts(session, self.policy, self.member.id, day)
        return facts_for(
            self.member.joined_on,
            self.member.left_on,
            day,
            registered=registered,
            upcoming=upcoming,
        )


def enrol(
    session: Session,
    member: Member,
    *,
    settings: ShiftSettings,
    today: date,
    now: datetime,
    mode: WorkMode | None = None,
) -> ShiftMemberState:
    """The member's state row, created the first time the shift rules see them.

    Cycles before enrolment are never owed: counting starts with the next cycle.
    """
    # Locked on PostgreSQL (FOR UPDATE) until the transaction ends: a desk and the daily run
    # changing one member's figures at once are serialised, never a lost update. (SQLite
    # serialises writers itself; a stale read there fails instead of overwriting.)
    row = session.get(ShiftMemberState, member.id, with_for_update=True)
    if row is not None:
        return row
    start = max(member.joined_on, today)
    state = MemberState(mode=mode or settings.new_member_mode)
    row = ShiftMemberState(
        member_id=member.id,
        cycles_until=start - ONE_DAY,
        cycle_origin=start,
        updated_at=now,
        **state_values(state),
    )
    session.add(row)
    session.flush()
    log_snapshot(session, member.id, start, row_values(row))
    return row


def open_account(
    session: Session,
    member: Member,
    *,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
    catch_up: bool = True,
) -> Account:
    """Load (or enrol) a member and apply the cycles owed up to today."""
    today = local_date(now)
    row = enrol(session, member, settings=settings, today=today, now=now)
    account = Account(
        member=member,
        row=row,
        state=state_from(row_values(row)),
        policy=settings.policy,
        settings=settings,
        actor=actor,
        now=now,
    )
    if catch_up:
        catch_up_cycles(session, account, today)
    return account


def account_for(
    session: Session, number: int, *, settings: ShiftSettings, actor: Actor, now: datetime
) -> Account:
    return open_account(session, worker(session, number), settings=settings, actor=actor, now=now)


def catch_up_cycles(session: Session, account: Account, today: date) -> int:
    """Apply every cycle start in (last applied, today]; returns how many were applied."""
    row = account.row
    try:
        caught = rules.catch_up(
            account.policy,
            account.state,
            lambda day: account.facts(day, session),
            after=row.cycles_until,
            today=today,
            origin=rules.personal_origin(account.policy, account.state, row.cycle_origin),
        )
    except rules.ShiftRuleError as error:
        raise CoopError(words.refusal(error.code)) from error
    _append(session, account, [entry for cycle in caught.cycles for entry in cycle.entries])
    if caught.cycles:
        session.execute(
            insert(core_table(ShiftCycle)),
            [cycle_row(account.member.id, cycle) for cycle in caught.cycles],
        )
    account.state = caught.state
    account.actions.extend(caught.actions)
    if today > row.cycles_until:
        row.cycles_until = today
    return len(caught.cycles)


def _apply(
    account: Account,
    event: rules.Event,
    facts: MemberFacts,
    prior: Sequence[LedgerEntry],
    ledger: Sequence[LedgerEntry] | None = None,
) -> Outcome:
    try:
        return rules.apply(
            account.policy, account.state, event, facts=facts, prior=prior, ledger=ledger
        )
    except rules.ShiftRuleError as error:
        raise CoopError(words.refusal(error.code)) from error


def _append(
    session: Session,
    account: Account,
    entries: Iterable[LedgerEntry],
    attendance_id: int | None = None,
) -> None:
    rows = [
        entry_row(account.member.id, entry, account.actor, account.now, attendance_id)
        for entry in entries
    ]
    if rows:
        session.execute(insert(core_table(ShiftLedgerEntry)), rows)


def prior_entries(session: Session, member_id: int, ref: str) -> list[LedgerEntry]:
    rows = session.execute(
        select(ShiftLedgerEntry)
        .where(ShiftLedgerEntry.member_id == member_id, ShiftLedgerEntry.ref == ref)
        .order_by(ShiftLedgerEntry.id)
    ).scalars()
    return [entry_from(row) for row in rows]


def whole_ledger(session: Session, member_id: int) -> list[LedgerEntry]:
    """The member's ledger in date order (the order ``rules.replay`` folds it in)."""
    rows = session.execute(
        select(ShiftLedgerEntry)
        .where(ShiftLedgerEntry.member_id == member_id)
        .order_by(ShiftLedgerEntry.day, ShiftLedgerEntry.id)
    ).scalars()
    return [entry_from(row) for row in rows]


def apply_event(
    session: Session,
    account: Account,
    event: rules.Event,
    *,
    ref: str | None = None,
    attendance_id: int | None = None,
) -> Outcome:
    """Apply one event to the account (entries appended, state and actions kept for ``save``).

    An event dated before the account's state (an attendance marked after the fact) is given
    the member's whole ledger, so the rules replay it with the late entries in their place."""
    prior = prior_entries(session, account.member.id, ref) if ref else []
    as_of = account.state.as_of
    ledger = whole_ledger(session, account.member.id) if as_of and event.on < as_of else None
    outcome = _apply(account, event, account.facts(event.on, session), prior, ledger)
    _append(session, account, outcome.entries, attendance_id)
    account.state = outcome.state
    account.actions.extend(outcome.actions)
    return outcome


def refresh(session: Session, account: Account) -> None:
    """Time-based transitions today (Tapir unfreezes at once after a booking)."""
    today = account.today
    if account.state.as_of is not None and today < account.state.as_of:
        return
    outcome = rules.run_day(account.policy, account.state, account.facts(today, session), today)
    account.state = outcome.state
    account.actions.extend(outcome.actions)


def save(session: Session, account: Account) -> None:
    """Write the cached figures and carry out the actions the rules asked for; a released
    slot changes the member's facts, so the status is then worked out again (and saved)."""
    _write(session, account)
    for _round in range(3):
        actions, account.actions = account.actions, []
        if not actions:
            return
        carry_out(session, account.member.id, actions, actor=account.actor, now=account.now)
        if {Action.RELEASE_TEMPLATE_SLOTS, Action.RELEASE_FUTURE_SHIFTS} & set(actions):
            refresh(session, account)
            _write(session, account)


def _write(session: Session, account: Account) -> None:
    before = row_values(account.row)
    after = state_values(account.state)
    if before != after:
        for key, value in after.items():
            setattr(account.row, key, value)
        account.row.updated_at = account.now
        if any(before[k] != after[k] for k in SNAPSHOT_FIELDS):
            log_snapshot(session, account.member.id, account.today, after)
    session.flush()


def recompute(session: Session, account: Account) -> None:
    """Today's time-based transitions, then the figures saved and the actions carried out:
    the last step of every use case that changed (or merely opened) an account."""
    refresh(session, account)
    save(session, account)


__all__ = [
    "SNAPSHOT_FIELDS",
    "Account",
    "account_for",
    "apply_event",
    "catch_up_cycles",
    "enrol",
    "open_account",
    "recompute",
    "refresh",
    "save",
    "worker",
]
