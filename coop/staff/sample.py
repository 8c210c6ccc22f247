"""The demo's staff: a few members with a PIN and a coop role (the README's demo section lists
them; the cashier and shift-leader roles come from the sample shift skills)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from coop.rights import Actor
from coop.staff import service

DEMO_STAFF: tuple[tuple[int, str, str | None], ...] = (
    (1, "4821", "administrator"),  # Éric Dumont, also a cashier
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
