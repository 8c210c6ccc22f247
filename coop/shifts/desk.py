"""The welcome desk: one call says whether a person may shop, why, and what to do about it.

``check`` takes what the desk typed or scanned (member number or card; an associated person's
card resolves to their household's main member, whose status they shop on) and returns the
member, the household, ``can_shop``, the status, the reasons and warnings in words, the counters
in words ("1 make-up shift to do before 12/03/2027"), the date by which to act, and the next
shift. It only reads. ``grant_grace`` gives a suspended member a logged grace where the policy
allows it; ``grant_extension`` a longer delay.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.clock import local_date
from coop.config import MembershipSettings, ShiftSettings
from coop.dates import format_date
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.members.models import Member
from coop.members.words import card_end_words
from coop.money import format_money
from coop.rights import Right, require
from coop.shifts import desk_reads, desk_rules, words
from coop.shifts.desk_reads import DeskMember
from coop.shifts.facts import facts_for
from coop.shifts.policy import Status, WorkMode
from coop.shifts.records import state_from
from coop.shifts.state import GrantGrace, MemberState, Reason

if TYPE_CHECKING:  # the check itself needs none (they load the whole shifts service, and the
    # shifts' ledger models, which a cash sale's desk check does not declare)
    from coop.members import shares
    from coop.shifts import service
    from coop.shifts.models import ShiftExtension


@dataclass(frozen=True)
class Person:
    """A member as the desk names them; ``main`` says whether they head the household (None
    when it does not matter)."""

    number: int
    name: str
    main: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        values: dict[str, Any] = {"number": self.number, "name": self.name}
        if self.main is not None:
            values["main"] = self.main
        return values


@dataclass(frozen=True)
class Said:
    """A reason or warning: its code (for a program) and its sentence (for a person)."""

    code: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text}


@dataclass(frozen=True)
class ShiftText:
    """A shift as the desk shows it: its dates in shop time and a sentence."""

    id: int
    day: date
    starts_at: datetime
    ends_at: datetime
    name: str
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "day": self.day.isoformat(),
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
            "name": self.name,
            "text": self.text,
        }


@dataclass(frozen=True)
class CardEnded:
    """The scanned card was ended (lost, replaced…): when and why."""

    on: date
    reason: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "reason": self.reason}


@dataclass
class DeskCheck:
    """Everything the desk shows about one scan, typed for the screens and JSON-ready through
    ``as_dict`` (the output of ``coop desk check --json``)."""

    member: Person
    shopper: Person
    """The person scanned (may be an associated person of ``member``'s household)."""
    household: list[Person]
    can_shop: bool
    status: Status | None
    status_text: str
    reasons: list[Said]
    warnings: list[Said]
    counters: list[dict[str, object]]
    counters_text: str
    fix_by: date | None
    then: Status | None
    next_shift: ShiftText | None
    at: datetime
    grace_possible: bool = False
    card_ended: CardEnded | None = None
    left_on: date | None = None
    """The day the member left the coop (then ``status_text`` says only that, and when)."""
    to_do_text: str = ""
    """What to do and by when, one sentence with one date (``words.to_do``)."""

    @property
    def then_text(self) -> str | None:
        return words.status(self.then) if self.then else None

    def as_dict(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "member": self.member.as_dict(),
            "shopper": self.shopper.as_dict(),
            "household": [person.as_dict() for person in self.household],
            "can_shop": self.can_shop,
            "status": self.status.value if self.status else None,
            "status_text": self.status_text,
            "reasons": [said.as_dict() for said in self.reasons],
            "warnings": [said.as_dict() for said in self.warnings],
            "counters": self.counters,
            "counters_text": self.counters_text,
            "fix_by": self.fix_by.isoformat() if self.fix_by else None,
            "then": self.then.value if self.then else None,
            "then_text": self.then_text,
            "next_shift": self.next_shift.as_dict() if self.next_shift else None,
            "grace_possible": self.grace_possible,
            "at": self.at.isoformat(),
            "left_on": self.left_on.isoformat() if self.left_on else None,
            "to_do_text": self.to_do_text,
        }
        if self.card_ended is not None:
            values["card_ended"] = self.card_ended.as_dict()
        return values


def _person(member: DeskMember, main: bool | None = None) -> Person:
    return Person(member.number, member.full_name, main)


def _said(code: Reason) -> Said:
    return Said(code.value, words.reason(code))


def shift_text(shift: Any) -> ShiftText:
    """The shift as the desk and the planning show it (dates in shop time, one sentence)."""
    from coop.clock import SHOP_TIMEZONE

    start = shift.starts_at.astimezone(SHOP_TIMEZONE)
    end = shift.ends_at.astimezone(SHOP_TIMEZONE)
    text = _("{day}, {start}–{end} ({name})").format(
        day=format_date(shift.day, "full"),
        start=start.strftime("%H:%M"),
        end=end.strftime("%H:%M"),
        name=shift.name,
    )
    return ShiftText(shift.id, shift.day, start, end, shift.name, text)


def describe_shift(shift: Any) -> dict[str, Any]:
    """``shift_text`` as JSON-ready data."""
    return shift_text(shift).as_dict()


def check(
    session: Session,
    query: str,
    *,
    at: datetime,
    settings: ShiftSettings,
    membership: MembershipSettings | None = None,
) -> DeskCheck:
    """May the person scanned shop at ``at``? See the module docstring. With ``membership``,
    shares and this year's fee still due are reasons too, with their amounts."""
    rows = desk_reads.read(
        session, query, day=local_date(at), policy=settings.policy, digits=_digits(query)
    )
    shopper, member, policy = rows.shopper, rows.member, settings.policy
    day = local_date(at)
    household = [_person(m, m.main_member_id is None) for m in rows.household]
    card_ended = None
    card_warnings: list[Said] = []
    card = rows.card
    if card is not None and card.ended_on is not None and card.ended_on <= day:
        card_ended = CardEnded(card.ended_on, card.end_reason)
        card_warnings.append(
            Said(
                "card_ended",
                _("This card no longer works ({reason}): check who is holding it.").format(
                    reason=card_end_words(card.end_reason)
                ),
            )
        )
    state = _state(session, settings, member.id, rows.state, day)
    if state is None:
        facts = facts_for(member.joined_on, member.left_on, day)
        state = MemberState(mode=settings.new_member_mode)
    else:
        facts = facts_for(
            member.joined_on,
            member.left_on,
            day,
            registered=state.mode is not WorkMode.REGULAR or rows.holds_slot,
            upcoming=rows.upcoming,
        )
    facts = replace(
        facts,
        resigning=member.left_on is not None and member.left_on > day,
        welcome_session_done=not settings.welcome_session_required or member.welcome_on is not None,
    )
    dues = None
    if membership is not None and (membership.shares_required or membership.fees):
        dues = membership_dues(session, session.get_one(Member, member.id), membership, day)
    if dues is not None:
        facts = replace(facts, unpaid=dues.shares.overdue)
    result = desk_rules.check(policy, state, facts, day)
    if member.left_on is not None and member.left_on <= day:
        return _left(member, shopper, household, result, at, member.left_on)
    reasons = [_said(code) for code in result.reasons if code is not Reason.UNPAID]
    warnings = [_said(code) for code in result.warnings]
    can_shop = result.can_shop
    if dues is not None:
        money_reasons, money_warnings = dues_said(dues)
        reasons += money_reasons
        warnings += money_warnings
        can_shop = can_shop and not money_reasons
    upcoming = desk_reads.next_shift(session, member.id, at)
    counters = words.counters(policy, result.counters, result.fix_by)
    grace_possible = desk_rules.grace_possible(policy, state, facts, day)
    return DeskCheck(
        member=_person(member),
        shopper=_person(shopper, shopper.id == member.id),
        household=household,
        can_shop=can_shop,
        status=result.status,
        status_text=words.status(result.status),
        reasons=reasons,
        warnings=card_warnings + warnings,
        counters=counters,
        counters_text=words.summary(policy, result.counters, result.fix_by),
        fix_by=result.fix_by,
        then=result.then,
        next_shift=shift_text(upcoming) if upcoming else None,
        at=at,
        grace_possible=grace_possible,
        card_ended=card_ended,
        to_do_text=words.to_do(policy, result.counters, result.fix_by, result.then),
    )


def _left(
    member: DeskMember,
    shopper: DeskMember,
    household: list[Person],
    result: Any,
    at: datetime,
    left_on: date,
) -> DeskCheck:
    """A member who left: may not shop, and the check says only that, and when (no status, no
    shifts owed: issue 16 §10)."""
    sentence = _("Left the coop on {date}.").format(date=format_date(left_on))
    return DeskCheck(
        member=_person(member),
        shopper=_person(shopper, shopper.id == member.id),
        household=household,
        can_shop=False,
        status=result.status,
        status_text=sentence,
        reasons=[],  # the status says it: said twice, it read as two different things
        warnings=[],
        counters=[],
        counters_text="",
        fix_by=None,
        then=None,
        next_shift=None,
        at=at,
        left_on=left_on,
        to_do_text="",
    )


def membership_dues(
    session: Session, member: Member, membership: MembershipSettings | None, day: date
) -> shares.Dues | None:
    """Shares and fee due, when the coop asks for any (None: nothing to say)."""
    if membership is None or not (membership.shares_required or membership.fees):
        return None
    from coop.members import shares

    return shares.dues(session, member, membership, day)


def dues_said(dues: shares.Dues) -> tuple[list[Said], list[Said]]:
    """(reasons, warnings) about money owed: late shares and the unpaid fee refuse; shares
    still within their instalment delay only warn."""
    reasons: list[Said] = []
    warnings: list[Said] = []
    owed = dues.shares.due_cents
    if owed and dues.shares.overdue:
        reasons.append(
            Said(
                Reason.UNPAID.value,
                _("Capital shares not paid: {amount} due.").format(amount=format_money(owed)),
            )
        )
    elif owed and dues.shares.deadline is not None:
        warnings.append(
            Said(
                "shares_due",
                _("Capital shares: {amount} still to pay by {date}.").format(
                    amount=format_money(owed), date=format_date(dues.shares.deadline)
                ),
            )
        )
    if dues.fee_cents:
        reasons.append(
            Said(
                "fee_unpaid",
                _("This year's fee not paid: {amount} due.").format(
                    amount=format_money(dues.fee_cents)
                ),
            )
        )
    return reasons, warnings


def _state(
    session: Session,
    settings: ShiftSettings,
    member_id: int,
    values: Mapping[str, Any] | None,
    day: date,
) -> MemberState | None:
    """The member's cached state (``values``, None: none yet), replayed when ``day`` is before
    the day it was computed for."""
    if values is None:
        return None
    state = state_from(values)
    if state.as_of is not None and day < state.as_of:
        from coop.shifts.history import state_on

        return state_on(session, settings.policy, member_id, day)
    return state


def _digits(query: str) -> str:
    text = query.strip()
    from coop.members.service import scan_digits

    return scan_digits(text) if text else ""


def _next_shift_day(session: Session, member_id: int, now: datetime) -> date | None:
    from coop.shifts import service

    upcoming = service.next_attendance(session, member_id, now)
    return upcoming[1].day if upcoming else None


def grant_grace(
    session: Session,
    *,
    member_number: int,
    reason: str,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
) -> ShiftExtension:
    """A logged grace delay for a suspended member (La Louve's badge reader, Obeesdoo's
    "trigger grace delay"): they may shop again until it ends."""
    from coop.shifts import service

    if not reason.strip():
        raise InvalidInput([Problem(_("give the reason for the grace"), column="--reason")])
    require(actor, Right.GRANT_GRACE, entity="member", entity_id=member_number)
    member = service.worker(session, member_number)
    account = service.open_account(session, member, settings=settings, actor=actor, now=now)
    next_day = _next_shift_day(session, member.id, now)
    service.apply_event(session, account, GrantGrace(on=account.today, next_shift=next_day))
    return _record_extension(session, account, reason, grace=True)


def grant_extension(
    session: Session,
    *,
    member_number: int,
    reason: str,
    settings: ShiftSettings,
    actor: Actor,
    now: datetime,
    until: date | None = None,
    days: int | None = None,
) -> ShiftExtension:
    """A longer delay (La Louve extension, Obeesdoo manual extension after the grace)."""
    from coop.shifts import rules, service  # the rules' events: a desk check loads none

    if not reason.strip():
        raise InvalidInput([Problem(_("give the reason for the extension"), column="--reason")])
    member = service.worker(session, member_number)
    account = service.open_account(session, member, settings=settings, actor=actor, now=now)
    today = account.today
    end = until or rules.extension_until(
        settings.policy, today, _next_shift_day(session, member.id, now), days
    )
    service.apply_event(session, account, rules.GrantExtension(on=today, until=end))
    return _record_extension(session, account, reason, grace=False)


def _record_extension(
    session: Session, account: service.Account, reason: str, *, grace: bool
) -> ShiftExtension:
    from coop.shifts import service
    from coop.shifts.models import ShiftExtension

    extension = account.state.extension
    assert extension is not None
    row = ShiftExtension(
        member_id=account.member.id,
        starts_on=extension.start,
        ends_on=extension.end,
        grace=grace,
        reason=reason.strip(),
        created_at=account.now,
        created_by=account.actor.recorded,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=account.actor,
        at=account.now,
        action="shift.grace" if grace else "shift.extension",
        entity="shift_extension",
        entity_id=row.id,
        member_id=account.member.id,
        after={"starts_on": row.starts_on, "ends_on": row.ends_on},
        reason=row.reason,
    )
    service.recompute(session, account)
    return row


def extensions_of(session: Session, member_id: int) -> list[ShiftExtension]:
    from coop.shifts.models import ShiftExtension

    return list(
        session.scalars(
            select(ShiftExtension)
            .where(ShiftExtension.member_id == member_id)
            .order_by(ShiftExtension.id)
        )
    )
