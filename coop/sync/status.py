"""What the treasurer sees and does about the outbox: counts per state, the oldest pending row,
every row needing attention with its reason; retry one (back to pending) or mark one resolved
(booked by hand in Odoo or in the books). Both are audited with the real actor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.errors import InvalidInput, NotFound, Problem
from coop.i18n import _
from coop.outbox import OutboxRow, OutboxState


def state_words(state: str) -> str:
    """The state as the treasurer reads it (translated)."""
    return {
        OutboxState.PENDING.value: _("pending"),
        OutboxState.SENT.value: _("sent, not posted"),
        OutboxState.POSTED.value: _("posted"),
        OutboxState.ATTENTION.value: _("needs attention"),
    }[state]


def kind_words(kind: str) -> str:
    return {
        "till_day": _("till Z"),
        "invoice": _("invoice"),
        "credit_note": _("credit note"),
        "top_up": _("account top-up"),
        "withdrawal": _("account withdrawal"),
        "supplier_bill": _("supplier bill"),
        "amap": _("AMAP"),
    }.get(kind, kind)


@dataclass(frozen=True)
class RowView:
    id: int
    kind: str
    key: str
    event_date: date
    state: str
    attempts: int
    last_error: str | None
    odoo_id: int | None
    odoo_number: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "key": self.key,
            "date": self.event_date.isoformat(),
            "state": self.state,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "odoo_id": self.odoo_id,
            "odoo_number": self.odoo_number,
        }


@dataclass(frozen=True)
class Status:
    counts: dict[str, int]
    oldest_pending: RowView | None
    attention: list[RowView]

    def to_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "oldest_pending": self.oldest_pending.to_dict() if self.oldest_pending else None,
            "attention": [row.to_dict() for row in self.attention],
        }

    def counts_text(self) -> str:
        """ "en attente : 431  envoyé : 12" (``coop sync status`` and the treasurer's panel)."""
        return "  ".join(
            _("{label}: {count}").format(label=state_words(state), count=count)
            for state, count in self.counts.items()
        )

    def oldest_text(self) -> str | None:
        """The oldest event still waiting, in a sentence; None when nothing waits."""
        row = self.oldest_pending
        if row is None:
            return None
        return _("Oldest waiting: #{id} {kind} {key} of {date}.").format(
            id=row.id,
            kind=kind_words(row.kind),
            key=row.key,
            date=row.event_date.strftime("%d/%m/%Y"),
        )


def _view(row: OutboxRow) -> RowView:
    return RowView(
        row.id,
        row.kind,
        row.key,
        row.event_date,
        row.state,
        row.attempts,
        row.last_error,
        row.odoo_id,
        row.odoo_number,
    )


def status(session: Session) -> Status:
    counts = {state.value: 0 for state in OutboxState}
    for state, count in session.execute(
        select(OutboxRow.state, func.count()).group_by(OutboxRow.state)
    ):
        counts[state] = count
    oldest = session.scalars(
        select(OutboxRow)
        .where(OutboxRow.state.in_([OutboxState.PENDING.value, OutboxState.SENT.value]))
        .order_by(OutboxRow.id)
        .limit(1)
    ).first()
    attention = session.scalars(
        select(OutboxRow)
        .where(OutboxRow.state == OutboxState.ATTENTION.value)
        .order_by(OutboxRow.id)
    )
    return Status(counts, _view(oldest) if oldest else None, [_view(row) for row in attention])


def _attention_row(session: Session, row_id: int) -> OutboxRow:
    row = session.get(OutboxRow, row_id, with_for_update=True)
    if row is None:
        raise NotFound(_("No outbox row {id}.").format(id=row_id))
    if row.state != OutboxState.ATTENTION.value:
        raise InvalidInput(
            [
                Problem(
                    _("Row {id} is “{state}”, not waiting for attention.").format(
                        id=row_id, state=state_words(row.state)
                    ),
                    column="ID",
                )
            ]
        )
    return row


def retry(session: Session, row_id: int, *, actor: Actor, now: datetime) -> RowView:
    """Back to pending: the next push tries it again (after the cause was fixed in Odoo)."""
    row = _attention_row(session, row_id)
    before = row.last_error
    row.state = OutboxState.PENDING.value
    row.updated_at = now
    audit.record(
        session,
        actor=actor,
        at=now,
        action="sync.retry",
        entity="sync_outbox",
        entity_id=row.id,
        before={"state": OutboxState.ATTENTION.value, "last_error": before},
        after={"state": row.state},
    )
    return _view(row)


def resolve(session: Session, row_id: int, *, reason: str, actor: Actor, now: datetime) -> RowView:
    """Done by hand (booked directly in Odoo or in the books): never pushed again."""
    if not reason.strip():
        raise InvalidInput([Problem(_("say why (--reason)"), column="--reason")])
    row = _attention_row(session, row_id)
    row.state = OutboxState.POSTED.value
    row.resolved_by = actor.recorded
    row.updated_at = now
    audit.record(
        session,
        actor=actor,
        at=now,
        action="sync.resolve",
        entity="sync_outbox",
        entity_id=row.id,
        before={"state": OutboxState.ATTENTION.value, "last_error": row.last_error},
        after={"state": row.state},
        reason=reason.strip(),
    )
    return _view(row)
