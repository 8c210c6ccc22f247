"""A member sets or changes their own PIN at the welcome desk (the rule behind the desk's PIN
window; ``coop staff pin set|reset`` goes through the same ``service.set_pin``).

- No PIN yet: the member's card (or number) is enough to set one.
- A PIN already set: the old PIN is asked first (a wrong one is counted like a wrong log-in and
  may lock the PIN), OR a person holding the right to manage PINs (a coordinator) authorises a
  reset on the spot with their own card and PIN: the audit entry then names both.
- The new PIN follows ``rules.pin_problem`` (at least 4 digits, not all the same, not a run).

The checks run here, not in the screen. A refusal for want of the right is audited in a
transaction of its own (``audit.record_refusal``) after the refused one rolled back; a wrong old
PIN is committed (counted) before ``LoginRefused`` is raised. The PIN is never logged nor put
in an audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from coop.audit import record_refusal
from coop.errors import CoopError
from coop.i18n import _
from coop.rights import Actor, NotAllowed, Right, require
from coop.staff import rules
from coop.staff.models import StaffPin
from coop.staff.service import _member_of, actor_for, log_in, set_pin


class DifferentPins(CoopError):
    """The new PIN typed twice is not the same twice."""

    def __init__(self) -> None:
        super().__init__(_("The two new PINs differ: type the same PIN twice. Nothing changed."))


class WeakPin(CoopError):
    """The new PIN breaks a rule of ``rules.pin_problem`` (the sentence says which)."""


class OldPinNeeded(CoopError):
    """A PIN is set already and neither the old PIN nor an authorisation was given."""

    def __init__(self, number: int) -> None:
        super().__init__(
            _(
                "Member {number} has a PIN already: type the old PIN, or, if it is forgotten,"
                " a coordinator resets it with their card and PIN."
            ).format(number=number)
        )


@dataclass(frozen=True)
class PinChanged:
    number: int
    name: str
    first: bool
    """No PIN was set before."""
    authorised_by: str | None
    """Who authorised a reset on the spot (their label), or None."""


def _member_number(sessions: sessionmaker[Session], card: str, now: datetime) -> tuple[int, bool]:
    """(member number, has a PIN) of the active member the card or number names."""
    with sessions() as session:
        member = _member_of(session, card, now.date())
        if member is None:
            raise CoopError(
                _("“{card}” is not the card or number of a current member.").format(
                    card=card.strip()[:20]
                )
            )
        return member.number, session.get(StaffPin, member.id) is not None


def change_own_pin(
    sessions: sessionmaker[Session],
    card: str,
    new_pin: str,
    again: str,
    *,
    old_pin: str = "",
    authoriser: Actor | None = None,
    now: datetime,
) -> PinChanged:
    """Set (or change) the PIN of the member whose card or number is ``card``; see the module
    docstring for who may. ``authoriser``: the person logged in on the spot (card and PIN
    checked by ``service.log_in``) who resets a forgotten PIN."""
    problem = rules.pin_problem(new_pin)
    if problem is not None:
        raise WeakPin(problem)
    if new_pin != again:
        raise DifferentPins()
    number, has_pin = _member_number(sessions, card, now)
    if has_pin and authoriser is None and not old_pin:
        raise OldPinNeeded(number)
    proven = log_in(sessions, str(number), old_pin, now=now) if has_pin and not authoriser else None
    try:
        with sessions() as session, session.begin():
            member = _member_of(session, str(number), now.date())
            assert member is not None
            actor = proven or actor_for(session, member)
            if authoriser is not None:
                if has_pin:
                    require(authoriser, Right.MANAGE_PINS, entity="member", entity_id=number)
                actor = actor.with_second(authoriser)
            set_pin(session, number, new_pin, actor=actor, now=now)
            name = member.full_name
    except NotAllowed as refusal:
        with sessions() as session, session.begin():
            record_refusal(session, refusal, at=now)
        raise
    return PinChanged(
        number, name, not has_pin, authoriser.label if authoriser is not None else None
    )
