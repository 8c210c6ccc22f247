"""Two households changing the same article during box-fill at the same moment (PostgreSQL):
the article row is locked, so the second sees the first's change before the rules judge it."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy.orm import Session

from coop.audit import Actor
from coop.db import make_engine
from coop.errors import CoopError
from coop.orders import ordering, views

from .conftest import BOXFILL, make_coop

AFTER_BOXFILL = BOXFILL + timedelta(hours=1)


def test_box_fill_checks_never_interleave(postgres_database_url, tmp_path):
    engine = make_engine(postgres_database_url)
    actor = Actor("test")
    with Session(engine) as session:
        coop = make_coop(session, actor, tmp_path)
        coop.cycle()
        coop.order(2, "DB100", 4)  # spaghetti, U = 6: 2 missing
        session.commit()

    def add_two(session: Session, number: int) -> None:
        ordering.order(
            session,
            code="S47",
            member_number=number,
            reference="DB100",
            quantity=2,
            actor=actor,
            now=AFTER_BOXFILL,
        )

    first = Session(engine)
    add_two(first, 3)  # accepted: fills the case; holds the article's lock until commit
    outcome: list[BaseException | None] = []

    def second() -> None:
        with Session(engine) as session:
            try:
                add_two(session, 4)
                session.commit()
                outcome.append(None)
            except CoopError as error:
                session.rollback()
                outcome.append(error)

    thread = threading.Thread(target=second)
    thread.start()
    time.sleep(0.5)
    assert not outcome, "the second household should wait for the first one's lock"
    first.commit()
    first.close()
    thread.join(timeout=10)
    # alone, each change fills the case; after the first, the second would open a new one
    assert outcome and isinstance(outcome[0], CoopError)
    assert "Box-fill phase" in str(outcome[0])
    with Session(engine) as session:
        spaghetti = next(
            a for a in views.cycle_view(session, "S47").articles if a.reference == "DB100"
        )
        assert (spaghetti.quantity, spaghetti.missing_units) == (6, 0)
    engine.dispose()
