"""The front door of the shifts ledger: the member office's manual entry, a shift by number, and
the names other contexts and the interfaces use, gathered from the modules that hold them.

Where things live: ``records`` (rows ↔ rule values), ``facts`` (what the rules know of a
member), ``account`` (one member's unit of work: open, apply events, ``recompute``),
``actions`` (what the rules ask: releases, notices), ``history`` (states and statuses on any
day, the status list), ``daily`` (the daily run and other bulk passes). Other modules:
``generation`` (templates → shifts, closures), ``booking`` (bookings, slots, stand-ins),
``attendance`` (marking), ``leaves``, ``desk`` (the desk check and graces), ``planning``
(under-staffed shifts, volunteer load), ``exchange`` (template CSV) and ``words`` (codes in
words).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.config import ShiftSettings
from coop.errors import InvalidInput, NotFound, Problem
from coop.i18n import _
from coop.shifts.account import (
    Account,
    account_for,
    apply_event,
    catch_up_cycles,
    enrol,
    open_account,
    prior_entries,
    recompute,
    refresh,
    save,
    worker,
)
from coop.shifts.actions import carry_out, end_holdings, pending_attendances, release_attendances
from coop.shifts.daily import Batch, RunReport, run
from coop.shifts.facts import facts_for, holds_slot, registered_on, upcoming_shifts
from coop.shifts.history import (
    MemberStatusRow,
    cached_state,
    ledger_of,
    next_attendance,
    state_on,
    status_on,
    statuses,
)
from coop.shifts.models import Shift
from coop.shifts.policy import Counter
from coop.shifts.records import (
    SNAPSHOT_FIELDS,
    STATE_FIELDS,
    entry_from,
    snapshot_state,
    state_from,
    state_values,
)
from coop.shifts.rules import Adjust, Outcome


def manual_entry(
    session: Session,
    *,
    member_number: int,
    counter: Counter | str,
    delta: int,
    reason: str,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
) -> Outcome:
    """A correction by the member office: one signed entry on one counter, with its reason."""
    policy = settings.policy
    problems = []
    known: Counter | None
    try:
        known = Counter(counter)
    except ValueError:
        known = None
    if known is None or known not in policy.counters:
        problems.append(
            Problem(
                _("“{value}” is not one of: {options}").format(
                    value=known or "", options=", ".join(c.value for c in policy.counters)
                ),
                column="--counter",
            )
        )
    if delta == 0:
        problems.append(Problem(_("must not be zero"), column="--delta"))
    if not reason.strip():
        problems.append(Problem(_("give the reason for the entry"), column="--reason"))
    if problems or known is None:
        raise InvalidInput(problems)
    account = account_for(session, member_number, settings=settings, actor=actor, now=now)
    ref = f"manual:{uuid.uuid4().hex[:16]}"
    outcome = apply_event(
        session,
        account,
        Adjust(ref=ref, on=account.today, counter=known, delta=delta, note=reason.strip()),
        ref=ref,
    )
    recompute(session, account)
    audit.record(
        session,
        actor=actor,
        at=now,
        action="shift.manual_entry",
        entity="member",
        entity_id=account.member.id,
        member_id=account.member.id,
        after={"counter": known.value, "delta": delta},
        reason=reason.strip(),
    )
    return outcome


def get_shift(session: Session, shift_id: int) -> Shift:
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise NotFound(_("No shift has the number {id}.").format(id=shift_id))
    return shift


__all__ = [
    "SNAPSHOT_FIELDS",
    "STATE_FIELDS",
    "Account",
    "Batch",
    "MemberStatusRow",
    "RunReport",
    "account_for",
    "apply_event",
    "cached_state",
    "carry_out",
    "catch_up_cycles",
    "end_holdings",
    "enrol",
    "entry_from",
    "facts_for",
    "get_shift",
    "holds_slot",
    "ledger_of",
    "manual_entry",
    "next_attendance",
    "open_account",
    "pending_attendances",
    "prior_entries",
    "recompute",
    "refresh",
    "registered_on",
    "release_attendances",
    "run",
    "save",
    "snapshot_state",
    "state_from",
    "state_on",
    "state_values",
    "status_on",
    "statuses",
    "upcoming_shifts",
    "worker",
]
