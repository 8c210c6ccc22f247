"""A small coop on a real database (SQLite and PostgreSQL) for the shift use cases.

Week letters are counted from an anchor chosen here so the expected dates can be worked out by
hand: Monday 2 November 2026 is week A, so 9 Nov is B, 16 Nov C, 23 Nov D, 30 Nov A again, and
cycles start on 2 Nov, 30 Nov, 28 Dec 2026, 25 Jan 2027...
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from coop.audit import Actor
from coop.clock import SHOP_TIMEZONE
from coop.config import MemberSettings, ShiftSettings
from coop.members import service as members
from coop.shifts import attendance, booking, exchange, generation, service, slots
from coop.shifts.models import Shift
from coop.shifts.policy import LOUVE, ShiftPolicy

ANCHOR = date(2026, 11, 2)
HEADER = "code;name;week;weekday;start;end;seats;roles"


def moment(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHOP_TIMEZONE)


class Coop:
    """Members, templates and shifts, with a clock the test moves forward."""

    def __init__(self, session, actor: Actor, now: datetime, policy: ShiftPolicy = LOUVE):
        self.session = session
        self.actor = actor
        self.now = now
        self.settings = ShiftSettings(policy=replace(policy, week_anchor=ANCHOR))

    @property
    def policy(self) -> ShiftPolicy:
        return self.settings.policy

    def with_policy(self, **changes) -> Coop:
        self.settings = replace(self.settings, policy=replace(self.settings.policy, **changes))
        return self

    def at(self, when: datetime | date) -> Coop:
        self.now = moment(when) if not isinstance(when, datetime) else when
        return self

    def member(self, number: int, *, main: int | None = None, joined=date(2025, 1, 1)):
        return members.create_member(
            self.session,
            actor=self.actor,
            now=self.now,
            settings=MemberSettings(),
            first_name=f"Prénom{number}",
            last_name=f"Nom{number}",
            number=number,
            joined_on=joined,
            main_member=members.get_by_number(self.session, main) if main else None,
        )

    def templates(self, tmp_path: Path, *rows: str, name: str = "creneaux.csv"):
        path = tmp_path / name
        path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
        return exchange.import_templates(
            self.session, path, settings=self.settings, actor=self.actor, now=self.now
        )

    def generate(self, first: date, last: date):
        return generation.generate(
            self.session,
            first=first,
            last=last,
            settings=self.settings,
            actor=self.actor,
            now=self.now,
        )

    def shifts(self, code: str | None = None) -> list[Shift]:
        query = select(Shift).order_by(Shift.starts_at, Shift.id)
        if code is not None:
            template = slots.template_by_code(self.session, code)
            query = query.where(Shift.template_id == template.id)
        return list(self.session.scalars(query))

    def shift_on(self, day: date, code: str | None = None) -> Shift:
        found = [s for s in self.shifts(code) if s.day == day]
        assert len(found) == 1, found
        return found[0]

    def book(self, number: int, shift: Shift):
        return booking.book(
            self.session,
            member_number=number,
            shift_id=shift.id,
            settings=self.settings,
            actor=self.actor,
            now=self.now,
        )

    def hold(self, number: int, code: str, starts_on: date | None = None, role=None):
        return slots.hold_slot(
            self.session,
            member_number=number,
            template_code=code,
            starts_on=starts_on or self.now.date(),
            role=role,
            settings=self.settings,
            actor=self.actor,
            now=self.now,
        )

    def mark(self, shift: Shift, number: int, state: str, **kw):
        return attendance.mark(
            self.session,
            shift_id=shift.id,
            member_number=number,
            state=state,
            settings=self.settings,
            actor=self.actor,
            now=self.now,
            **kw,
        )

    def after(self, shift: Shift) -> Coop:
        """Move the clock to just after the shift ended."""
        return self.at(shift.ends_at.astimezone(SHOP_TIMEZONE) + timedelta(minutes=5))

    def run(self, today: date):
        return service.run(
            self.session, today=today, settings=self.settings, actor=self.actor, now=self.now
        )

    def state(self, number: int):
        member = members.get_by_number(self.session, number)
        self.session.expire_all()
        return service.cached_state(self.session, member.id)

    def counters(self, number: int):
        return self.state(number).counters


@pytest.fixture
def coop(session, actor, now) -> Coop:
    return Coop(session, actor, now)
