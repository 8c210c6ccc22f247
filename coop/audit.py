"""The audit log: who did what, when, with the values before and after. Append-only.

Every service records its changes through ``record`` (or ``record_many`` for bulk operations),
in the same transaction as the change itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Table, Text, insert, select
from sqlalchemy.orm import Session

from coop.db import Base, UTCDateTime
from coop.i18n import _
from coop.rights import Actor, NotAllowed

if TYPE_CHECKING:
    from coop.audit_entries import AuditEntry

__all__ = [
    "AUDIT_ENTRIES",
    "Actor",
    "AuditEntry",
    "actor_words",
    "record",
    "record_many",
    "record_refusal",
]


AUDIT_ENTRIES = Table(
    "audit_entries",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("action", String(80), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", String(64), nullable=False),
    # The person concerned, if any: what `coop members export-data` gathers.
    Column("member_id", Integer, ForeignKey("members.id", ondelete="RESTRICT"), index=True),
    Column("before", JSON),
    Column("after", JSON),
    Column("reason", Text),
    Index("ix_audit_entries_entity", "entity", "entity_id"),
)
"""The audit log as a Core table: ``record`` writes through it; ``AuditEntry``
(``coop.audit_entries``) is mapped onto it."""


def __getattr__(name: str) -> Any:
    """``AuditEntry``, mapped on first use (``coop.audit_entries``): writing the log needs only
    the table, and most commands only write."""
    if name == "AuditEntry":
        from coop.audit_entries import AuditEntry

        return AuditEntry
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def actor_words(name: str, member_name: Callable[[int], str | None] | None = None) -> str:
    """Who acted, as a person reads it: a member's name when the actor is a member
    (``member:42``, named through ``member_name``), "poste <host>" for a till's terminal
    interface (``tui:<host>``), "ligne de commande (<user>)" for ``cli:<user>``; a name typed at
    a till as it is. Never the raw code."""
    kind, _sep, rest = name.partition(":")
    if not _sep:
        return _("demo") if name == "demo" else name
    if kind == "member" and rest.isdigit():
        found = member_name(int(rest)) if member_name is not None else None
        return found or _("member {number}").format(number=rest)
    if kind == "tui":
        return _("till station {host}").format(host=rest)
    if kind == "cli":
        return _("command line ({user})").format(user=rest)
    return name


def jsonable(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Dates, Decimals and the like as strings, so before/after fit a JSON column."""
    if values is None:
        return None
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, (date, datetime, Decimal)):
            out[key] = value.isoformat() if not isinstance(value, Decimal) else str(value)
        else:
            out[key] = value
    return out


def changes(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value changed, as (before, after)."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def record(
    session: Session,
    *,
    actor: Actor,
    at: datetime,
    action: str,
    entity: str,
    entity_id: object,
    member_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    """Append one audit entry in the caller's transaction."""
    record_many(
        session,
        actor=actor,
        at=at,
        entries=[
            {
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "member_id": member_id,
                "before": before,
                "after": after,
                "reason": reason,
            }
        ],
    )


def record_many(
    session: Session, *, actor: Actor, at: datetime, entries: Iterable[Mapping[str, Any]]
) -> int:
    """Append many entries in one INSERT (imports); returns how many were written."""
    rows = [
        {
            "at": at,
            "actor": actor.label[:120],
            "action": entry["action"],
            "entity": entry["entity"],
            "entity_id": str(entry["entity_id"]),
            "member_id": entry.get("member_id"),
            "before": jsonable(entry.get("before")),
            "after": jsonable(entry.get("after")),
            "reason": entry.get("reason"),
        }
        for entry in entries
    ]
    if rows:
        session.execute(insert(AUDIT_ENTRIES), rows)
    return len(rows)


def history(session: Session, entity: str, entity_id: object) -> list[AuditEntry]:
    """The entries about one thing, oldest first."""
    from coop.audit_entries import AuditEntry

    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
            .order_by(AuditEntry.id)
        )
    )


REFUSED = "refused"
"""The action of an audit entry that records a gated action refused (``NotAllowed``)."""


def record_refusal(session: Session, refusal: NotAllowed, *, at: datetime) -> None:
    """Record that ``refusal.actor`` tried a gated action without the right. Called by the one
    who ran the transaction, in a new transaction after the refused one rolled back (nothing
    else of the action is written)."""
    record(
        session,
        actor=refusal.actor,
        at=at,
        action=REFUSED,
        entity=refusal.entity or "right",
        entity_id=refusal.entity_id or refusal.right.value,
        after={"right": refusal.right.value},
        reason=str(refusal),
    )
