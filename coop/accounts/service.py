"""Use cases of member prepaid accounts.

A household has one account, held by its main member (an associated person pays from it).
Every change is one ``AccountMovement`` appended in the caller's transaction, with the balance
after it, sealed with the account's previous movement's hash (``coop.accounts.journal``); the
account row is locked first (``FOR UPDATE`` on PostgreSQL), so two tills paying
from the same account never lose an update. A debit may not take the balance below
``-overdraft`` (the account's own limit, else ``[accounts] overdraft``, 0 by default).

Invoices and credit notes are in ``coop.accounts.invoicing``, what the context holds on a person
in ``coop.accounts.privacy``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from coop import audit, outbox
from coop.accounts import journal, rules
from coop.accounts.models import (
    AccountMovement,
    MemberAccount,
)
from coop.audit import Actor
from coop.clock import local_date
from coop.config import AccountSettings
from coop.errors import CoopError, InvalidInput, Problem
from coop.i18n import _
from coop.members import service as members
from coop.members.models import Member
from coop.money import format_money
from coop.upsert import insert_missing

TOP_UP_MEANS = ("transfer", "cheque", "cash", "card", "other")
"""How money put on an account outside the till arrived."""


class AccountRefused(CoopError):
    """A movement the account's rules refuse (not enough credit...); nothing was written."""


def holder(member: Member) -> Member:
    """The household's main member, who holds the account."""
    return member.main_member or member


def get_account(session: Session, member: Member) -> MemberAccount | None:
    return session.scalar(select(MemberAccount).where(MemberAccount.member_id == holder(member).id))


def lock_account(session: Session, member: Member, *, now: datetime) -> MemberAccount:
    """The household's account, created if needed, locked until the end of the transaction."""
    owner = holder(member)
    insert_missing(
        session,
        MemberAccount,
        {
            "member_id": owner.id,
            "balance_cents": 0,
            "last_seq": 0,
            "created_at": now,
            "updated_at": now,
        },
        keys=["member_id"],
    )
    account = session.scalar(
        select(MemberAccount)
        .where(MemberAccount.member_id == owner.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert account is not None
    return account


def overdraft_of(account: MemberAccount, settings: AccountSettings) -> int:
    if account.overdraft_cents is not None:
        return account.overdraft_cents
    return settings.overdraft_cents


def available(account: MemberAccount, settings: AccountSettings) -> int:
    """What the account may still pay (balance plus overdraft, never below 0)."""
    return rules.available_credit(account.balance_cents, overdraft_of(account, settings))


def post(
    session: Session,
    account: MemberAccount,
    *,
    kind: str,
    amount_cents: int,
    at: datetime,
    actor: Actor,
    settings: AccountSettings,
    enforce_limit: bool = True,
    sale_id: int | None = None,
    invoice_id: int | None = None,
    means: str | None = None,
    reference: str | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Append one movement to a locked account and move its cached balance.

    A debit beyond what the account may pay is refused unless ``enforce_limit`` is False
    (charges for goods already handed over, decided by the caller). Returns the movement's
    values (the row is written with one INSERT).
    """
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents == 0:
        raise InvalidInput([Problem(_("the amount must be a whole number of cents, not zero"))])
    if enforce_limit and amount_cents < 0 and -amount_cents > available(account, settings):
        raise AccountRefused(
            _(
                "Not enough credit on the account of member {number}: {available} available,"
                " {amount} asked."
            ).format(
                number=_member_number(session, account),
                available=format_money(available(account, settings)),
                amount=format_money(-amount_cents),
            )
        )
    balance = account.balance_cents + amount_cents
    seq = (account.last_seq or 0) + 1
    values: dict[str, Any] = {
        "account_id": account.id,
        "seq": seq,
        "at": at,
        "kind": kind,
        "amount_cents": amount_cents,
        "balance_after_cents": balance,
        "means": means,
        "sale_id": sale_id,
        "invoice_id": invoice_id,
        "reference": reference,
        "reason": reason,
        "actor": actor.recorded,
    }
    values["hash"] = journal.movement_hash(values, account.last_hash or journal.GENESIS_HASH)
    session.execute(insert(cast(Table, AccountMovement.__table__)), [values])
    session.execute(
        update(MemberAccount)
        .where(MemberAccount.id == account.id)
        .values(balance_cents=balance, updated_at=at, last_seq=seq, last_hash=values["hash"])
        .execution_options(synchronize_session=False)
    )
    set_committed_value(account, "balance_cents", balance)  # written above; not dirty
    set_committed_value(account, "updated_at", at)
    set_committed_value(account, "last_seq", seq)
    set_committed_value(account, "last_hash", values["hash"])
    return values


def _member_number(session: Session, account: MemberAccount) -> int:
    return session.scalar(select(Member.number).where(Member.id == account.member_id)) or 0


def checked_reason(reason: str | None, column: str = "--reason") -> str:
    """The reason given, stripped; refused when empty (a reason is always asked)."""
    if reason is None or not reason.strip():
        raise InvalidInput([Problem(_("give the reason"), column=column)])
    return reason.strip()


def _positive(amount_cents: int, column: str = "amount") -> int:
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents <= 0:
        raise InvalidInput([Problem(_("the amount must be more than zero"), column=column)])
    return amount_cents


def _audit(
    session: Session,
    account: MemberAccount,
    movement: Mapping[str, Any],
    *,
    actor: Actor,
    now: datetime,
) -> None:
    audit.record(
        session,
        actor=actor,
        at=now,
        action=f"account.{movement['kind']}",
        entity="member_account",
        entity_id=account.id,
        member_id=account.member_id,
        after={
            "amount_cents": movement["amount_cents"],
            "balance_cents": movement["balance_after_cents"],
            "means": movement["means"],
            "reference": movement["reference"],
        },
        reason=movement["reason"],
    )


def _queue_money(
    session: Session, member: Member, movement: Mapping[str, Any], *, now: datetime
) -> None:
    """The accounting outbox row of a top-up or withdrawal outside the till (coop.outbox)."""
    amount = movement["amount_cents"]
    kind = outbox.OutboxKind.TOP_UP if amount > 0 else outbox.OutboxKind.WITHDRAWAL
    snapshot = {"member": holder(member).number, "name": holder(member).full_name}
    snapshot |= {"amount": abs(amount), "means": movement["means"]}
    key = f"A{movement['account_id']}-{uuid.uuid4().hex}"
    outbox.record(session, kind, key, snapshot, on=local_date(now), now=now)


def top_up(
    session: Session,
    *,
    member_number: int,
    amount_cents: int,
    means: str,
    settings: AccountSettings,
    actor: Actor,
    now: datetime,
    reference: str | None = None,
) -> MemberAccount:
    """Money put on the account outside the till (a bank transfer, a cheque to the treasurer).
    Top-ups at the till are part of a sale (``coop.till``)."""
    if means not in TOP_UP_MEANS:
        raise InvalidInput(
            [
                Problem(
                    _("“{value}” is not one of: {options}").format(
                        value=means, options=", ".join(TOP_UP_MEANS)
                    ),
                    column="--means",
                )
            ]
        )
    member = members.get_by_number(session, member_number)
    account = lock_account(session, member, now=now)
    movement = post(
        session,
        account,
        kind="top_up",
        amount_cents=_positive(amount_cents),
        at=now,
        actor=actor,
        settings=settings,
        means=means,
        reference=reference,
    )
    _audit(session, account, movement, actor=actor, now=now)
    _queue_money(session, member, movement, now=now)
    return account


def withdraw(
    session: Session,
    *,
    member_number: int,
    amount_cents: int,
    means: str,
    reason: str,
    settings: AccountSettings,
    actor: Actor,
    now: datetime,
) -> MemberAccount:
    """Money given back to a member (leaving the coop...): never more than the balance."""
    member = members.get_by_number(session, member_number)
    account = lock_account(session, member, now=now)
    amount = _positive(amount_cents)
    if amount > account.balance_cents:
        raise AccountRefused(
            _("The account of member {number} holds only {balance}.").format(
                number=member.number, balance=format_money(account.balance_cents)
            )
        )
    movement = post(
        session,
        account,
        kind="withdrawal",
        amount_cents=-amount,
        at=now,
        actor=actor,
        settings=settings,
        means=means,
        reason=checked_reason(reason),
    )
    _audit(session, account, movement, actor=actor, now=now)
    _queue_money(session, member, movement, now=now)
    return account


def adjust(
    session: Session,
    *,
    member_number: int,
    amount_cents: int,
    reason: str,
    settings: AccountSettings,
    actor: Actor,
    now: datetime,
) -> MemberAccount:
    """A treasurer's correction (positive credits, negative debits), always with a reason."""
    member = members.get_by_number(session, member_number)
    account = lock_account(session, member, now=now)
    movement = post(
        session,
        account,
        kind="adjustment",
        amount_cents=amount_cents,
        at=now,
        actor=actor,
        settings=settings,
        reason=checked_reason(reason),
    )
    _audit(session, account, movement, actor=actor, now=now)
    return account


def set_overdraft(
    session: Session,
    *,
    member_number: int,
    overdraft_cents: int | None,
    reason: str,
    actor: Actor,
    now: datetime,
) -> MemberAccount:
    """This account's own overdraft (None: back to the coop's setting)."""
    if overdraft_cents is not None and overdraft_cents < 0:
        raise InvalidInput([Problem(_("expected an amount of zero or more"), column="--limit")])
    member = members.get_by_number(session, member_number)
    account = lock_account(session, member, now=now)
    before = account.overdraft_cents
    account.overdraft_cents = overdraft_cents
    account.updated_at = now
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="account.overdraft",
        entity="member_account",
        entity_id=account.id,
        member_id=account.member_id,
        before={"overdraft_cents": before},
        after={"overdraft_cents": overdraft_cents},
        reason=checked_reason(reason),
    )
    return account


# --- reading ----------------------------------------------------------------------------------


def movement_dict(row: AccountMovement) -> dict[str, Any]:
    return Movement.of(row).as_dict()


@dataclass(frozen=True)
class Person:
    number: int
    name: str

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.number, "name": self.name}


@dataclass(frozen=True)
class Movement:
    """One movement of an account as read (no database row: it outlives the transaction)."""

    id: int
    at: datetime
    kind: str
    amount_cents: int
    balance_after_cents: int
    means: str | None
    sale_id: int | None
    invoice_id: int | None
    reference: str | None
    reason: str | None
    actor: str

    @classmethod
    def of(cls, row: AccountMovement) -> Movement:
        return cls(
            row.id,
            row.at,
            row.kind,
            row.amount_cents,
            row.balance_after_cents,
            row.means,
            row.sale_id,
            row.invoice_id,
            row.reference,
            row.reason,
            row.actor,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "kind": self.kind,
            "amount_cents": self.amount_cents,
            "balance_after_cents": self.balance_after_cents,
            "means": self.means,
            "sale_id": self.sale_id,
            "invoice_id": self.invoice_id,
            "reference": self.reference,
            "reason": self.reason,
            "actor": self.actor,
        }


@dataclass(frozen=True)
class AccountStatement:
    """A member's household account as the commands and screens show it: who holds it, its
    balance and limit, and its movements newest first (``as_dict``: the JSON output)."""

    member: Person
    holder: Person
    balance_cents: int
    overdraft_cents: int
    movements: tuple[Movement, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "member": self.member.as_dict(),
            "holder": self.holder.as_dict(),
            "balance_cents": self.balance_cents,
            "overdraft_cents": self.overdraft_cents,
            "movements": [row.as_dict() for row in self.movements],
        }


@dataclass(frozen=True)
class Balance:
    """One line of the list of accounts."""

    number: int
    name: str
    balance_cents: int

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.number, "name": self.name, "balance_cents": self.balance_cents}


def account_statement(
    session: Session, member: Member, *, settings: AccountSettings, limit: int | None = None
) -> AccountStatement:
    """``statement`` as a typed view: a member without an account shows a zero balance and
    the coop's default overdraft."""
    owner = holder(member)
    account, movements = statement(session, member, limit=limit)
    return AccountStatement(
        member=Person(member.number, member.full_name),
        holder=Person(owner.number, owner.full_name),
        balance_cents=account.balance_cents if account else 0,
        overdraft_cents=overdraft_of(account, settings) if account else settings.overdraft_cents,
        movements=tuple(Movement.of(row) for row in movements),
    )


def balance_lines(session: Session, *, nonzero: bool = False) -> list[Balance]:
    """``balances`` as typed lines (member number, name, balance)."""
    return [
        Balance(member.number, member.full_name, account.balance_cents)
        for member, account in balances(session, nonzero=nonzero)
    ]


def statement(
    session: Session, member: Member, *, limit: int | None = None
) -> tuple[MemberAccount | None, list[AccountMovement]]:
    """The account and its movements, newest first (``limit`` of them)."""
    account = get_account(session, member)
    if account is None:
        return None, []
    query = (
        select(AccountMovement)
        .where(AccountMovement.account_id == account.id)
        .order_by(AccountMovement.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return account, list(session.scalars(query))


def balances(session: Session, *, nonzero: bool = False) -> list[tuple[Member, MemberAccount]]:
    """Every account with its holder, by member number."""
    query = (
        select(Member, MemberAccount)
        .join(MemberAccount, MemberAccount.member_id == Member.id)
        .order_by(Member.number)
    )
    if nonzero:
        query = query.where(MemberAccount.balance_cents != 0)
    return [(row[0], row[1]) for row in session.execute(query)]


def ledger_matches_cache(session: Session) -> list[int]:
    """Accounts whose cached balance is not the sum of their movements (should be none)."""
    sums = (
        select(AccountMovement.account_id, func.sum(AccountMovement.amount_cents).label("total"))
        .group_by(AccountMovement.account_id)
        .subquery()
    )
    query = (
        select(MemberAccount.id)
        .outerjoin(sums, sums.c.account_id == MemberAccount.id)
        .where(MemberAccount.balance_cents != func.coalesce(sums.c.total, 0))
    )
    return list(session.scalars(query))
