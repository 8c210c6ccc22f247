"""The gates a screen (or a command) passes before it shows something, in one place so the
command line and every screen obey the same rule (``coop.rights``): today, members' personal
data (address, phone, e-mail, history), which the coordinator's screen and
``coop members show|export-data`` show. A cashier sees a member's name, status and balance at
the counter and the desk, never these.

``personal_data`` raises ``NotAllowed`` inside the caller's transaction (the CLI's context
audits it after rolling back); ``open_personal_data`` is the screens' form: its own
transactions, the refusal audited before it is raised."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from coop.audit import record_refusal
from coop.rights import Actor, NotAllowed, Right, require

COORDINATOR_SCREEN = "coordinator_screen"
"""The entity named in the refusal's audit entry when the coordinator's screen is refused."""


def personal_data(actor: Actor, *, entity: str = "member", entity_id: object = "") -> None:
    """Refuse (``NotAllowed``) unless the actor (or who authorised) may see personal data."""
    require(actor, Right.SEE_PERSONAL_DATA, entity=entity, entity_id=entity_id)


def open_personal_data(
    sessions: sessionmaker[Session],
    actor: Actor,
    *,
    now: datetime,
    entity: str = "screen",
    entity_id: object = COORDINATOR_SCREEN,
) -> None:
    """``personal_data`` for a screen about to open: a refusal is audited, then raised."""
    try:
        personal_data(actor, entity=entity, entity_id=entity_id)
    except NotAllowed as refusal:
        with sessions() as session, session.begin():
            record_refusal(session, refusal, at=now)
        raise


def authoriser(
    sessions: sessionmaker[Session], second: Actor, right: Right, *, now: datetime
) -> None:
    """The person who came to authorise on the spot holds ``right`` (else ``NotAllowed``, the
    refusal audited): what the screens ask before retrying an action with them as second."""
    try:
        require(second, right, entity="right", entity_id=right.value)
    except NotAllowed as refusal:
        with sessions() as session, session.begin():
            record_refusal(session, refusal, at=now)
        raise
