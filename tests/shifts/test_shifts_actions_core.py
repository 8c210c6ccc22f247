"""The daily run's ``carry_out_many`` stays on Core statements: in a fresh process it leaves the
ORM's mappers unconfigured (configuring them costs ≈15 ms of every daily run under Tapir and
BEES, issue 18 target 3). A fresh process, because a test process has configured them long
before; a private in-memory SQLite database, because only the statements' kind is checked
here (what the releases write is checked by ``test_shifts_run_releases.py``)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

PROBE = textwrap.dedent(
    """
    from datetime import datetime, timezone

    from sqlalchemy import create_engine, func, inspect, select
    from sqlalchemy.orm import Session

    import coop.models  # every table in the metadata
    from coop.audit import Actor
    from coop.db import Base, table_of
    from coop.shifts.actions_many import carry_out_many
    from coop.shifts.rules import Action
    from coop.shifts.slot_models import ShiftAttendance

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    asked = [
        Action.RELEASE_TEMPLATE_SLOTS,
        Action.RELEASE_FUTURE_SHIFTS,
        Action.RELEASE_SHIFTS_IN_LEAVE,
        Action.NOTIFY_UNSUBSCRIBED,
    ]
    with Session(engine) as session:
        carry_out_many(
            session,
            {7: asked},
            actor=Actor("probe"),
            now=datetime(2026, 12, 7, 6, tzinfo=timezone.utc),
        )
        audit = table_of(coop.models.AuditEntry)
        notices = session.execute(select(audit.c.action, audit.c.member_id)).all()
    print(inspect(ShiftAttendance).configured, notices)
    """
)


def test_carry_out_many_configures_no_mapper() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    # the notification was logged (the statements ran) and no mapper was configured for it
    assert done.stdout.strip() == "False [('shift.notify', 7)]"
