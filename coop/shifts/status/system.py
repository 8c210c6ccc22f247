"""The one protocol every family of shift rules (La Louve, Obeesdoo, Tapir) implements.

``coop.shifts.rules`` and ``coop.shifts.desk_rules`` ask these questions of the system the
policy names (``coop.shifts.status.system_for``) instead of branching on ``policy.system``.
Everything a method needs that depends on the other rules (the status, whether work is owed)
is passed in, so a system module imports only the values.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Protocol

from coop.shifts.policy import Counter, ShiftPolicy, Status, WorkMode
from coop.shifts.state import Action, Counters, Extension, GrantGrace, MemberFacts, MemberState

if TYPE_CHECKING:  # the events are annotations here: a desk check declares none of them
    from coop.shifts.values import GrantExtension, MarkAttendance, StartCycle


class ShiftSystem(Protocol):
    """What differs between the families of rules; ``freezes`` says whether Tapir's freeze
    (and its events) exists."""

    @property
    def freezes(self) -> bool:
        """Whether Tapir's freeze (and its events) exists."""
        ...

    @property
    def personal_cycles(self) -> bool:
        """Flying workers count cycles from their own start date (Obeesdoo), not the week
        anchor."""
        ...

    def status(
        self, policy: ShiftPolicy, state: MemberState, facts: MemberFacts, on: date
    ) -> Status:
        """The status of a worker on ``on`` from the cached figures."""
        ...

    def settled(self, state: MemberState) -> MemberState:
        """The state cleaned before its status is stored (Obeesdoo: back to ok ends the
        extension)."""
        ...

    def on_status_change(self, before: Status, after: Status) -> list[Action]:
        """What a change of status asks the service to do."""
        ...

    def attendance_points(
        self,
        policy: ShiftPolicy,
        base: Counters,
        mode: WorkMode,
        event: MarkAttendance,
        closure: bool,
    ) -> dict[Counter, int]:
        """The effect of an attendance on counters that do not include it yet."""
        ...

    def reads_absence_history(self, policy: ShiftPolicy) -> bool:
        """Whether marking an own-slot absence must read the member's earlier attendances
        (``MarkAttendance.previous_own_shift_missed`` and ``makeup_since_previous``, the inputs
        of ``auto_unsubscribes``)."""
        ...

    def auto_unsubscribes(
        self, policy: ShiftPolicy, status: Callable[[], Status], event: MarkAttendance
    ) -> bool:
        """Whether this attendance unsubscribes the member at once."""
        ...

    def cycle_debit(
        self, policy: ShiftPolicy, state: MemberState, event: StartCycle, regular: bool
    ) -> tuple[Counter, int, str]:
        """(counter, delta, detail code) of a cycle start that is owed."""
        ...

    def grace(
        self, policy: ShiftPolicy, state: MemberState, status: Status, event: GrantGrace
    ) -> Extension:
        """The grace granted at the desk, or ``ShiftRuleError``."""
        ...

    def extension(
        self, policy: ShiftPolicy, state: MemberState, event: GrantExtension
    ) -> Extension:
        """The extension granted by the member office, or ``ShiftRuleError``."""
        ...

    def daily(
        self,
        policy: ShiftPolicy,
        state: MemberState,
        facts: MemberFacts,
        today: date,
        owed: Callable[[], bool],
    ) -> tuple[MemberState, list[Action]]:
        """Time-based transitions of the day other than the status (Tapir's freeze pass);
        ``owed()`` says whether work is owed today (asked only when needed)."""
        ...

    def deadline(
        self,
        policy: ShiftPolicy,
        state: MemberState,
        facts: MemberFacts,
        today: date,
        owed: Callable[[], bool],
        status_on: Callable[[date], Status],
    ) -> tuple[date | None, Status | None]:
        """(last day to fix things, the status that follows) for a member who may shop;
        ``status_on(day)`` is the member's status on a later day if nothing changes."""
        ...
