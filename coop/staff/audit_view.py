"""The audit log as a person reads it: who did what, when, to whom, with the values before and
after in words (``coop audit list`` and the coordinator screen's audit panel).

A context above the staff (the AMAP) gives the words of its own entries through ``EntryWords``,
which the callers pass to ``list_entries`` (the staff cannot import it)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.audit import REFUSED, AuditEntry, actor_words
from coop.clock import SHOP_TIMEZONE
from coop.i18n import _
from coop.members.models import Member
from coop.members.words import means_words
from coop.money import format_money
from coop.rights import Actor, Right, require, right_words


def _action_words() -> dict[str, str]:
    return {
        REFUSED: _("refused (no right)"),
        "staff.login_refused": _("log-in refused"),
        "staff.pin_set": _("PIN set"),
        "staff.pin_reset": _("PIN reset"),
        "staff.role_granted": _("role granted"),
        "staff.role_revoked": _("role revoked"),
        "member.create": _("member created"),
        "member.update": _("member changed"),
        "member.erase": _("personal data erased"),
        "member.household": _("household changed"),
        "card.issue": _("card issued"),
        "till.open": _("till opened"),
        "till.close": _("till closed"),
        "till.create": _("till created"),
        "till.cash_movement": _("cash put in or taken out"),
        "till.day_closure": _("daily closure (Z) taken"),
        "till.month_closure": _("monthly closure taken"),
        "till.year_closure": _("yearly closure taken"),
        "sale.override": _("member let through despite the desk"),
        "sale.discount_authorised": _("discount authorised"),
        "shift.grace": _("grace granted"),
        "shift.attendance": _("shift attendance"),
        "shift.book": _("shift booked"),
        "shift.cancel": _("shift cancelled"),
        "shift.leave": _("leave recorded"),
        "shift.manual_entry": _("shift counter corrected"),
        "barcode_rule.set": _("barcode rule changed"),
        "barcode_rule.remove": _("barcode rule removed"),
        "price_rule.set": _("price rule changed"),
        "price_rule.remove": _("price rule removed"),
        "account.overdraft": _("overdraft changed"),
        "invoice.issue": _("invoice issued"),
        "invoice.credit_note": _("credit note issued"),
        "stock.loss": _("stock loss"),
        "stock.receive": _("stock received"),
        "stock.correction": _("stock corrected"),
        "stock.inventory_start": _("inventory started"),
        "stock.inventory_close": _("inventory closed"),
        "member.leave": _("member left"),
        "member.rejoin": _("member rejoined"),
        "member.welcome": _("welcome session attended"),
        "shares.payment": _("share payment"),
        "shares.refund_request": _("share refund requested"),
        "shares.refund": _("shares refunded"),
        "fee.payment": _("yearly fee paid"),
        "shift.swap": _("shifts swapped"),
        "shift.walk_in": _("shift worked without booking"),
        "shift.hand_over": _("shift handed to a stand-in"),
        "shift.skill_remove": _("shift role taken away"),
    }


def _domain_words() -> dict[str, str]:
    return {
        "account": _("prepaid account"),
        "amap": _("AMAP"),
        "orders": _("grouped order"),
        "shift": _("shifts"),
        "shifts": _("shifts"),
        "shift_template": _("shift templates"),
        "stock": _("stock"),
        "sync": _("accounting sync"),
        "till": _("till"),
        "member": _("members"),
        "staff": _("staff"),
        "shares": _("capital shares"),
        "fee": _("yearly fee"),
        "card": _("member cards"),
        "invoice": _("invoices"),
    }


class EntryWords(Protocol):
    """Words a context gives the viewer for its own entries (actions starting with ``prefix``):
    each answers None for what it leaves to the viewer's own words."""

    prefix: str

    def action(self, code: str) -> str | None: ...

    def field(self, action: str, key: str) -> str | None: ...

    def value(self, action: str, key: str, value: Any) -> str | None: ...


def _words_for(action: str, words: Sequence[EntryWords]) -> EntryWords | None:
    return next((w for w in words if action.startswith(w.prefix)), None)


def action_words(action: str, words: Sequence[EntryWords] = ()) -> str:
    """An action code in words; an unlisted one by its domain ("till: change")."""
    context = _words_for(action, words)
    known = context.action(action) if context is not None else None
    if known is not None:
        return known
    known = _action_words().get(action)
    if known is not None:
        return known
    domain = _domain_words().get(action.split(".", 1)[0], _("other"))
    return _("{domain}: change").format(domain=domain)


def _field_words() -> dict[str, str]:
    return {
        "roles": _("roles"),
        "right": _("right"),
        "locked_until": _("locked until"),
        "status": _("status"),
        "difference_cents": _("cash difference"),
        "counted_cents": _("cash counted"),
        "expected_cents": _("cash expected"),
        "opening_cents": _("float"),
        "till": _("till"),
        "first_name": _("first name"),
        "last_name": _("last name"),
        "email": _("e-mail"),
        "phone": _("phone"),
        "left_on": _("left on"),
        "category": _("category"),
        "reason": _("reason"),
        "year": _("year"),
        "amount_cents": _("amount"),
        "means": _("paid by"),
        "reference": _("reference"),
        "shares_paid_cents": _("shares paid"),
        "left_reason": _("reason for leaving"),
        "card_ended": _("card ended"),
        "ends_on": _("ends on"),
        "start": _("starts on"),
        "end": _("ends on"),
        "total_cents": _("turnover incl. VAT"),
        "perpetual_cents": _("perpetual grand total"),
        "state": _("state"),
        "date": _("date"),
        "shift": _("shift"),
        "day": _("day"),
        "quantity": _("quantity"),
        "tolerance": _("tolerance"),
    }


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
"""A day kept as an ISO string in before/after: shown the French way."""


def _value_words(key: str, value: Any, action: str = "") -> str:
    if value is None:
        return "—"
    if key == "state" and action == "shift.attendance":
        from coop.shifts import words as shift_words

        try:
            return shift_words.attendance(value)  # "venu", not the code "attended"
        except ValueError:
            return str(value)
    if key.endswith("_cents") and isinstance(value, int):
        return format_money(value)
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        from coop.dates import format_date

        return format_date(date.fromisoformat(value))
    if key == "means" and isinstance(value, str):
        return means_words(value)
    if key == "right":
        try:
            return right_words(Right(value))
        except ValueError:
            return str(value)
    if key == "roles" and isinstance(value, list):
        from coop.rights import role_words

        return ", ".join(role_words(role) for role in value) or _("no role")
    return str(value)


def values_words(
    values: dict[str, Any] | None, action: str = "", words: Sequence[EntryWords] = ()
) -> str:
    """``{"difference_cents": -250}`` as "cash difference: -2,50 €" (the words of ``action``'s
    context first, when one of ``words`` gives them)."""
    if not values:
        return ""
    names = _field_words()
    context = _words_for(action, words)
    parts = []
    for key, v in values.items():
        field = context.field(action, key) if context is not None else None
        value = context.value(action, key, v) if context is not None else None
        parts.append(
            _("{field}: {value}").format(
                field=field or names.get(key, key.removesuffix("_cents").replace("_", " ")),
                value=_value_words(key, v, action) if value is None else value,
            )
        )
    return "; ".join(parts)


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    actor: str
    action: str
    """In words."""
    member: str
    """"12 Léa Martin", or empty."""
    before: str
    after: str
    reason: str


@dataclass(frozen=True)
class AuditFilter:
    member: int | None = None
    actor: int | None = None
    action: str | None = None
    """An action code or its beginning (``till``, ``staff.role``)."""
    start: date | None = None
    end: date | None = None
    limit: int = 500


def list_entries(
    session: Session, wanted: AuditFilter, *, reader: Actor, words: Sequence[EntryWords] = ()
) -> list[AuditLine]:
    """The entries that match, newest first (needs the right to read the audit log); ``words``:
    the words of the contexts above the staff (``coop.amap.audit_words``)."""
    require(reader, Right.READ_AUDIT, entity="audit", entity_id="list")
    query = select(AuditEntry, Member).outerjoin(Member, AuditEntry.member_id == Member.id)
    if wanted.member is not None:
        query = query.where(Member.number == wanted.member)
    if wanted.actor is not None:
        query = query.where(AuditEntry.actor.like(f"%(n° {wanted.actor})%"))
    if wanted.action:
        query = query.where(AuditEntry.action.startswith(wanted.action))
    if wanted.start is not None:
        query = query.where(
            AuditEntry.at >= datetime.combine(wanted.start, time(), tzinfo=SHOP_TIMEZONE)
        )
    if wanted.end is not None:
        end = datetime.combine(wanted.end + timedelta(days=1), time(), tzinfo=SHOP_TIMEZONE)
        query = query.where(AuditEntry.at < end)
    query = query.order_by(AuditEntry.id.desc()).limit(wanted.limit)
    lines = []
    for entry, member in session.execute(query):
        lines.append(
            AuditLine(
                at=entry.at.astimezone(SHOP_TIMEZONE),
                actor=actor_words(entry.actor),
                action=action_words(entry.action, words),
                member=f"{member.number} {member.full_name}" if member is not None else "",
                before=values_words(entry.before, entry.action, words),
                after=values_words(entry.after, entry.action, words),
                reason=entry.reason or "",
            )
        )
    return lines


def entry_lines(line: AuditLine) -> list[str]:
    """One entry as lines of text: when, who, what (about whom), then before, after, reason."""
    from coop.dates import format_date

    head = f"{format_date(line.at.date())} {line.at:%H:%M}  {line.actor} — {line.action}"
    out = [head + (f" — {line.member}" if line.member else "")]
    if line.before:
        out.append("    " + _("before: {values}").format(values=line.before))
    if line.after:
        out.append("    " + _("after: {values}").format(values=line.after))
    if line.reason:
        out.append("    " + _("reason: {reason}").format(reason=line.reason))
    return out
