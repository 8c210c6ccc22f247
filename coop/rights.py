"""Who may do what: the person acting (``Actor``), the roles, the gated rights and the table of
which role holds which right. Pure values (no Session, no I/O).

Roles come from two places: the shift skills a member already holds (``cashier``,
``shift_leader``, kept by the shifts context) and the coop roles granted by an administrator
(``coordinator``, ``treasurer``, ``administrator``, kept by the staff context). The staff
context builds an ``Actor`` once the person has given their card and PIN; every service that
performs a gated action calls ``require`` itself, so the command line and every screen obey the
same table. An action that needs a higher role may be authorised on the spot by a second person
(their card and PIN): ``Actor.second``; both names are then recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from coop.errors import CoopError
from coop.i18n import _


class Role(StrEnum):
    CASHIER = "cashier"
    SHIFT_LEADER = "shift_leader"
    COORDINATOR = "coordinator"
    TREASURER = "treasurer"
    ADMINISTRATOR = "administrator"


SHIFT_ROLES = frozenset({Role.CASHIER, Role.SHIFT_LEADER})
"""Held through the shift skills (``coop shifts roles``)."""
COOP_ROLES = frozenset({Role.COORDINATOR, Role.TREASURER, Role.ADMINISTRATOR})
"""Granted and revoked with ``coop staff roles``."""


class Right(StrEnum):
    SELL = "sell"
    OVERRIDE_REFUSAL = "override_refusal"
    DISCOUNT_ABOVE_LIMIT = "discount_above_limit"
    REFUND = "refund"
    CLOSE_WITH_DIFFERENCE = "close_with_difference"
    GRANT_GRACE = "grant_grace"
    EDIT_CATALOGUE = "edit_catalogue"
    ERASE_MEMBER = "erase_member"
    CHANGE_ROLES = "change_roles"
    MANAGE_SKILLS = "manage_skills"
    SEE_PERSONAL_DATA = "see_personal_data"
    MANAGE_PINS = "manage_pins"
    READ_AUDIT = "read_audit"


RIGHTS: Mapping[Role, frozenset[Right]] = {
    Role.CASHIER: frozenset({Right.SELL}),
    Role.SHIFT_LEADER: frozenset(
        {
            Right.SELL,
            Right.OVERRIDE_REFUSAL,
            Right.DISCOUNT_ABOVE_LIMIT,
            Right.REFUND,
            Right.GRANT_GRACE,
        }
    ),
    Role.TREASURER: frozenset(
        {
            Right.SELL,
            Right.REFUND,
            Right.CLOSE_WITH_DIFFERENCE,
            Right.EDIT_CATALOGUE,
            Right.SEE_PERSONAL_DATA,
        }
    ),
    Role.COORDINATOR: frozenset(
        {
            Right.OVERRIDE_REFUSAL,
            Right.GRANT_GRACE,
            Right.EDIT_CATALOGUE,
            Right.MANAGE_PINS,
            Right.MANAGE_SKILLS,
            Right.READ_AUDIT,
            Right.SEE_PERSONAL_DATA,
        }
    ),
    Role.ADMINISTRATOR: frozenset(Right),
}
"""The role table (the README shows it in words)."""


def role_words(role: Role | str) -> str:
    """A role as a person reads it."""
    words = {
        Role.CASHIER: _("cashier"),
        Role.SHIFT_LEADER: _("shift leader"),
        Role.COORDINATOR: _("coordinator"),
        Role.TREASURER: _("treasurer"),
        Role.ADMINISTRATOR: _("administrator"),
    }
    try:
        return words[Role(role)]
    except ValueError:
        return str(role)


def right_words(right: Right) -> str:
    """What a right lets one do, as the end of "may not …"."""
    return {
        Right.SELL: _("sell at the till"),
        Right.OVERRIDE_REFUSAL: _("let through a member the desk refuses"),
        Right.DISCOUNT_ABOVE_LIMIT: _("give a discount beyond the cashier's limit"),
        Right.REFUND: _("refund a sale"),
        Right.CLOSE_WITH_DIFFERENCE: _("close a till whose cash differs beyond the threshold"),
        Right.GRANT_GRACE: _("grant a grace period"),
        Right.EDIT_CATALOGUE: _("change prices or the catalogue"),
        Right.ERASE_MEMBER: _("erase a member's personal data"),
        Right.CHANGE_ROLES: _("grant or revoke roles"),
        Right.MANAGE_SKILLS: _("give or take a shift role (cashier, shift leader)"),
        Right.SEE_PERSONAL_DATA: _("see members' personal data (address, phone, history)"),
        Right.MANAGE_PINS: _("set or reset another member's PIN"),
        Right.READ_AUDIT: _("read the audit log"),
    }[right]


def roles_with(right: Right) -> list[Role]:
    """The roles that hold ``right``, in the table's order."""
    return [role for role in Role if right in RIGHTS[role]]


@dataclass(frozen=True)
class Actor:
    """Who acts: a named person (``member_number`` and the ``roles`` they held when they logged
    in), or a process named by ``name`` alone (``demo``, ``cli:<user>``) that holds no role
    unless given one. ``second``: whoever authorised this action on the spot."""

    name: str
    member_number: int | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)
    second: Actor | None = None

    @property
    def label(self) -> str:
        """What the audit log, the sale and the Z record: the person, and who authorised."""
        own = self.name if self.member_number is None else f"{self.name} (n° {self.member_number})"
        if self.second is None:
            return own
        return _("{actor}, authorised by {second}").format(actor=own, second=self.second.label)

    @property
    def recorded(self) -> str:
        """What a row's "by" column keeps (120 characters at most): the label, so an action
        authorised on the spot names both people, as sales and audit entries do."""
        return self.recorded_within(120)

    def recorded_within(self, width: int) -> str:
        """``recorded`` for a "by" column narrower than 120 characters: the label cut to
        ``width``."""
        return self.label[:width]

    def with_second(self, second: Actor | None) -> Actor:
        return Actor(self.name, self.member_number, self.roles, second)


def rights_of(roles: Iterable[Role]) -> frozenset[Right]:
    held: set[Right] = set()
    for role in roles:
        held |= RIGHTS[role]
    return frozenset(held)


def holds(actor: Actor, right: Right) -> bool:
    """Whether the actor, or the second person who authorised, holds ``right``."""
    if right in rights_of(actor.roles):
        return True
    return actor.second is not None and right in rights_of(actor.second.roles)


class NotAllowed(CoopError):
    """A gated action refused: nothing was written; the refusal itself is audited
    (``coop.audit.record_refusal``) by whoever ran the transaction."""

    def __init__(self, actor: Actor, right: Right, *, entity: str = "", entity_id: object = ""):
        self.actor = actor
        self.right = right
        self.entity = entity
        self.entity_id = str(entity_id)
        super().__init__(
            _(
                "{actor} may not {what}: this needs the role {roles}. Someone who holds it may"
                " authorise with their card and PIN."
            ).format(
                actor=actor.label,
                what=right_words(right),
                roles=_(" or ").join(role_words(role) for role in roles_with(right)),
            )
        )


def require(actor: Actor, right: Right, *, entity: str = "", entity_id: object = "") -> None:
    """Refuse (``NotAllowed``) unless the actor or their second holds ``right``."""
    if not holds(actor, right):
        raise NotAllowed(actor, right, entity=entity, entity_id=entity_id)
