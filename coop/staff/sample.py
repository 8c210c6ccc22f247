"""The demo's staff: a few members with a PIN and a coop role (the README's demo section lists
them; the cashier and shift-leader roles come from the sample shift skills).

No administrator: the demo stays in its first set-up, so the command line acts as one and the
README's examples run as written; ``coop staff roles grant 1 administrator`` ends it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from coop.rights import Actor
from coop.staff import service

DEMO_STAFF: tuple[tuple[int, str, str | None], ...] = (
    (1, "4821", None),  # Éric Dumont, cashier
    (2, "6142", "treasurer"),
    (3, "3859", "coordinator"),
    (4, "5937", None),  # Thérèse Lebrun, shift leader
    (7, "7315", None),  # Zoé Arnaud, cashier
)
"""(member number, PIN, coop role)."""


def load_staff(session: Session, *, actor: Actor, now: datetime) -> None:
    for number, pin, role in DEMO_STAFF:
        service.set_pin(session, number, pin, actor=actor, now=now)
        if role is not None:
            service.change_role(session, number, role, grant=True, actor=actor, now=now)
