"""Use cases of member prepaid accounts and member invoices.

A household has one account, held by its main member (an associated person pays from it).
Every change is one ``AccountMovement`` appended in the caller's transaction, with the balance
after it; the account row is locked first (``FOR UPDATE`` on PostgreSQL), so two tills paying
from the same account never lose an update. A debit may not take the balance below
``-overdraft`` (the account's own limit, else ``[accounts] overdraft``, 0 by default).

Invoices and credit notes are numbered without gaps per series (``next_number``): the series
row is incremented under a row lock inside the transaction, so a number is only used when the
invoice is committed, and two invoices can never get the same one. They are priced by
``coop.accounts.rules``; the grouped-order issue calls ``issue_invoice`` with its lines.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from coop import audit, outbox
from coop.accounts import rules
from coop.accounts.models import (
    AccountMovement,
    Invoice,
    InvoiceLine,
    InvoiceVat,
    MemberAccount,
    NumberSeries,
)
from coop.accounts.rules import InvoiceLineIn, InvoiceRuleError, InvoiceTotals, PricedLine
from coop.audit import Actor
from coop.clock import local_date
from coop.config import AccountSettings
from coop.errors import CoopError, InvalidInput, NotFound, Problem
from coop.i18n import _
from coop.members import service as members
from coop.members.models import Member
from coop.money import VAT_RATES, bp_to_rate, format_money, rate_to_bp

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
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    session.execute(
        upsert(MemberAccount)
        .values(member_id=owner.id, balance_cents=0, created_at=now, updated_at=now)
        .on_conflict_do_nothing(index_elements=["member_id"])
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
    values = {
        "account_id": account.id,
        "at": at,
        "kind": kind,
        "amount_cents": amount_cents,
        "balance_after_cents": balance,
        "means": means,
        "sale_id": sale_id,
        "invoice_id": invoice_id,
        "reference": reference,
        "reason": reason,
        "actor": actor.name,
    }
    session.execute(insert(AccountMovement.__table__), [values])
    session.execute(
        update(MemberAccount)
        .where(MemberAccount.id == account.id)
        .values(balance_cents=balance, updated_at=at)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(account, "balance_cents", balance)  # written above; not dirty
    set_committed_value(account, "updated_at", at)
    return values


def _member_number(session: Session, account: MemberAccount) -> int:
    return session.scalar(select(Member.number).where(Member.id == account.member_id)) or 0


def _reason(reason: str | None, column: str = "--reason") -> str:
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
    session: Session, member: Member, movement: dict[str, Any], *, now: datetime
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
        reason=_reason(reason),
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
        reason=_reason(reason),
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
        reason=_reason(reason),
    )
    return account


# --- reading ----------------------------------------------------------------------------------


def movement_dict(row: AccountMovement) -> dict[str, Any]:
    return {
        "id": row.id,
        "at": row.at.isoformat(),
        "kind": row.kind,
        "amount_cents": row.amount_cents,
        "balance_after_cents": row.balance_after_cents,
        "means": row.means,
        "sale_id": row.sale_id,
        "invoice_id": row.invoice_id,
        "reference": row.reference,
        "reason": row.reason,
        "actor": row.actor,
    }


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


# --- invoices -----------------------------------------------------------------------------------


def next_number(session: Session, series: str) -> int:
    """The next number of a gapless series, taken under a row lock held until commit."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    session.execute(
        upsert(NumberSeries)
        .values(code=series, last_number=0)
        .on_conflict_do_nothing(index_elements=["code"])
    )
    return session.execute(
        update(NumberSeries)
        .where(NumberSeries.code == series)
        .values(last_number=NumberSeries.last_number + 1)
        .returning(NumberSeries.last_number)
    ).scalar_one()


_RULE_MESSAGES = {
    "empty_label": lambda value: _("a line needs a label"),
    "not_an_integer": lambda value: _("“{value}” is not a whole number").format(value=value),
    "quantity_not_positive": lambda value: _("the quantity must be more than zero"),
    "negative_price": lambda value: _("a price cannot be negative"),
    "bad_vat_rate": lambda value: _(
        "“{rate}” is not a French VAT rate (expected 0, 2.1, 5.5, 10 or 20)"
    ).format(rate=value),
    "no_lines": lambda value: _("an invoice needs at least one line"),
    "nothing_left": lambda value: _("everything on this invoice was already credited"),
    "unknown_line": lambda value: _("the invoice has no line {value}").format(value=value),
    "exceeds_invoiced": lambda value: _(
        "more than was invoiced: {value} left to credit on that line"
    ).format(value=value),
}


def _refusal(error: InvoiceRuleError) -> InvalidInput:
    return InvalidInput([Problem(_RULE_MESSAGES[error.code](error.value), column=error.field)])


def invoice_line(
    label: str,
    quantity: int,
    unit_price_cents: int,
    vat_rate: Decimal,
    *,
    weighed: bool = False,
    product_id: int | None = None,
) -> InvoiceLineIn:
    """A checked invoice line (InvalidInput naming the field otherwise)."""
    if vat_rate != 0 and vat_rate not in VAT_RATES:
        raise InvalidInput([Problem(_RULE_MESSAGES["bad_vat_rate"](vat_rate), column="vat_rate")])
    try:
        return InvoiceLineIn(label, quantity, unit_price_cents, vat_rate, weighed, product_id)
    except InvoiceRuleError as error:
        raise _refusal(error) from error


def _write_invoice(
    session: Session,
    *,
    series: str,
    kind: str,
    member: Member,
    totals: InvoiceTotals,
    reference: str | None,
    credits: Invoice | None,
    charged: bool,
    reason: str | None,
    actor: Actor,
    now: datetime,
) -> Invoice:
    invoice = Invoice(
        series=series,
        number=next_number(session, series),
        kind=kind,
        member_id=member.id,
        issued_on=local_date(now),
        at=now,
        reference=reference,
        credits_invoice_id=credits.id if credits is not None else None,
        prices_include_vat=totals.prices_include_vat,
        excl_vat_cents=totals.excl_vat_cents,
        vat_cents=totals.vat_cents,
        incl_vat_cents=totals.incl_vat_cents,
        charged=charged,
        reason=reason,
        created_by=actor.name,
    )
    session.add(invoice)
    session.flush()
    session.execute(
        insert(InvoiceLine.__table__),
        [
            {
                "invoice_id": invoice.id,
                "line_no": no,
                "label": priced.line.label,
                "product_id": priced.line.product_id,
                "quantity": priced.line.quantity,
                "weighed": priced.line.weighed,
                "unit_price_cents": priced.line.unit_price_cents,
                "vat_rate_bp": rate_to_bp(priced.line.vat_rate),
                "excl_vat_cents": priced.excl_vat_cents,
                "vat_cents": priced.vat_cents,
                "incl_vat_cents": priced.incl_vat_cents,
                "credited_line_no": priced.credited_line_no,
            }
            for no, priced in enumerate(totals.lines, start=1)
        ],
    )
    session.execute(
        insert(InvoiceVat.__table__),
        [
            {
                "invoice_id": invoice.id,
                "vat_rate_bp": rate_to_bp(split.rate),
                "excl_vat_cents": split.excl_vat,
                "vat_cents": split.vat,
            }
            for split in totals.vat
        ],
    )
    outbox.record(
        session,
        outbox.OutboxKind(kind),
        invoice.code,
        {
            "code": invoice.code,
            "member": member.number,
            "name": member.full_name,
            "email": member.email,
            "reference": reference,
            "credits": credits.code if credits is not None else None,
            "prices_include_vat": totals.prices_include_vat,
            "charged": charged,
            "vat": [[rate_to_bp(v.rate), v.excl_vat, v.vat] for v in totals.vat],
        },
        on=invoice.issued_on,
        now=now,
    )
    return invoice


def issue_invoice(
    session: Session,
    *,
    member_number: int,
    lines: Sequence[InvoiceLineIn],
    settings: AccountSettings,
    actor: Actor,
    now: datetime,
    prices_include_vat: bool = True,
    reference: str | None = None,
    charge: bool = True,
    enforce_limit: bool = True,
) -> Invoice:
    """Invoice a member (``FA-000001``...). With ``charge`` the total is debited from their
    prepaid account in the same transaction (refused beyond the account's limit unless
    ``enforce_limit`` is False)."""
    member = members.get_by_number(session, member_number)
    try:
        totals = rules.price_invoice(lines, prices_include_vat=prices_include_vat)
    except InvoiceRuleError as error:
        raise _refusal(error) from error
    account = lock_account(session, member, now=now) if charge else None
    if (
        account is not None
        and enforce_limit
        and totals.incl_vat_cents > available(account, settings)
    ):
        raise AccountRefused(
            _(
                "Not enough credit on the account of member {number}: {available} available,"
                " {amount} asked."
            ).format(
                number=holder(member).number,
                available=format_money(available(account, settings)),
                amount=format_money(totals.incl_vat_cents),
            )
        )
    invoice = _write_invoice(
        session,
        series=settings.invoice_series,
        kind="invoice",
        member=holder(member),
        totals=totals,
        reference=reference,
        credits=None,
        charged=charge,
        reason=None,
        actor=actor,
        now=now,
    )
    if account is not None and totals.incl_vat_cents:
        post(
            session,
            account,
            kind="invoice",
            amount_cents=-totals.incl_vat_cents,
            at=now,
            actor=actor,
            settings=settings,
            enforce_limit=False,
            invoice_id=invoice.id,
            reference=invoice.code,
        )
    audit.record(
        session,
        actor=actor,
        at=now,
        action="invoice.issue",
        entity="invoice",
        entity_id=invoice.id,
        member_id=invoice.member_id,
        after={"code": invoice.code, "incl_vat_cents": invoice.incl_vat_cents},
    )
    return invoice


_CODE = re.compile(r"([A-Z0-9][A-Z0-9-]*?)-?0*(\d+)")


def get_invoice(session: Session, code: str) -> Invoice:
    """An invoice or credit note by its printed code (``FA-000042``, ``FA42``)."""
    match = _CODE.fullmatch(code.strip().upper())
    invoice = None
    if match is not None:
        invoice = session.scalar(
            select(Invoice).where(
                Invoice.series == match.group(1).rstrip("-"), Invoice.number == int(match.group(2))
            )
        )
    if invoice is None:
        raise NotFound(_("No invoice has the number {code}.").format(code=code))
    return invoice


def invoice_lines(session: Session, invoice: Invoice) -> list[InvoiceLine]:
    return list(
        session.scalars(
            select(InvoiceLine)
            .where(InvoiceLine.invoice_id == invoice.id)
            .order_by(InvoiceLine.line_no)
        )
    )


def invoice_vat(session: Session, invoice: Invoice) -> list[InvoiceVat]:
    return list(
        session.scalars(
            select(InvoiceVat)
            .where(InvoiceVat.invoice_id == invoice.id)
            .order_by(InvoiceVat.vat_rate_bp)
        )
    )


def totals_of(session: Session, invoice: Invoice) -> InvoiceTotals:
    """An invoice's lines and summary as stored, as the pure rules' value."""
    from coop.money import VatSplit

    lines = tuple(
        PricedLine(
            InvoiceLineIn(
                row.label,
                row.quantity,
                row.unit_price_cents,
                bp_to_rate(row.vat_rate_bp),
                row.weighed,
                row.product_id,
            ),
            row.excl_vat_cents,
            row.vat_cents,
            row.credited_line_no,
        )
        for row in invoice_lines(session, invoice)
    )
    vat = tuple(
        VatSplit(bp_to_rate(row.vat_rate_bp), row.excl_vat_cents, row.vat_cents)
        for row in invoice_vat(session, invoice)
    )
    return InvoiceTotals(lines, vat, invoice.prices_include_vat)


def credited_so_far(session: Session, invoice: Invoice) -> dict[int, int]:
    """{line_no: quantity} already credited by earlier credit notes of ``invoice``."""
    query = (
        select(InvoiceLine.credited_line_no, func.sum(InvoiceLine.quantity))
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(Invoice.credits_invoice_id == invoice.id)
        .group_by(InvoiceLine.credited_line_no)
    )
    return {int(no): int(total) for no, total in session.execute(query) if no is not None}


def issue_credit_note(
    session: Session,
    *,
    invoice_code: str,
    reason: str,
    settings: AccountSettings,
    actor: Actor,
    now: datetime,
    quantities: Mapping[int, int] | None = None,
) -> Invoice:
    """A credit note (``AV-000001``...) for some lines of an invoice, or all that is left.
    A charged invoice's credit note is credited back on the account."""
    original = get_invoice(session, invoice_code)
    if original.kind != "invoice":
        raise InvalidInput([Problem(_("only an invoice can be credited, not a credit note"))])
    # Two credit notes of one invoice at once: the second waits here, then reads what is left.
    session.execute(select(Invoice.id).where(Invoice.id == original.id).with_for_update())
    try:
        totals = rules.price_credit_note(
            totals_of(session, original), quantities, credited_so_far(session, original)
        )
    except InvoiceRuleError as error:
        raise _refusal(error) from error
    member = session.get(Member, original.member_id)
    assert member is not None
    note = _write_invoice(
        session,
        series=settings.credit_note_series,
        kind="credit_note",
        member=member,
        totals=totals,
        reference=original.code,
        credits=original,
        charged=original.charged,
        reason=_reason(reason),
        actor=actor,
        now=now,
    )
    if original.charged and totals.incl_vat_cents:
        account = lock_account(session, member, now=now)
        post(
            session,
            account,
            kind="credit_note",
            amount_cents=totals.incl_vat_cents,
            at=now,
            actor=actor,
            settings=settings,
            invoice_id=note.id,
            reference=note.code,
        )
    audit.record(
        session,
        actor=actor,
        at=now,
        action="invoice.credit_note",
        entity="invoice",
        entity_id=note.id,
        member_id=note.member_id,
        after={"code": note.code, "credits": original.code, "incl_vat_cents": note.incl_vat_cents},
        reason=note.reason,
    )
    return note


@dataclass(frozen=True)
class InvoiceView:
    invoice: Invoice
    member: Member
    totals: InvoiceTotals

    def as_dict(self) -> dict[str, Any]:
        invoice = self.invoice
        return {
            "code": invoice.code,
            "kind": invoice.kind,
            "member": {"number": self.member.number, "name": self.member.full_name},
            "issued_on": invoice.issued_on.isoformat(),
            "reference": invoice.reference,
            "prices_include_vat": invoice.prices_include_vat,
            "lines": [
                {
                    "line_no": no,
                    "label": priced.line.label,
                    "quantity": priced.line.quantity,
                    "weighed": priced.line.weighed,
                    "unit_price_cents": priced.line.unit_price_cents,
                    "vat_rate": str(priced.line.vat_rate),
                    "excl_vat_cents": priced.excl_vat_cents,
                    "vat_cents": priced.vat_cents,
                    "incl_vat_cents": priced.incl_vat_cents,
                    "credited_line_no": priced.credited_line_no,
                }
                for no, priced in enumerate(self.totals.lines, start=1)
            ],
            "vat": [
                {
                    "rate": str(split.rate),
                    "excl_vat_cents": split.excl_vat,
                    "vat_cents": split.vat,
                    "incl_vat_cents": split.incl_vat,
                }
                for split in self.totals.vat
            ],
            "excl_vat_cents": invoice.excl_vat_cents,
            "vat_cents": invoice.vat_cents,
            "incl_vat_cents": invoice.incl_vat_cents,
            "charged": invoice.charged,
            "reason": invoice.reason,
        }


def view(session: Session, invoice: Invoice) -> InvoiceView:
    member = session.get(Member, invoice.member_id)
    assert member is not None
    return InvoiceView(invoice, member, totals_of(session, invoice))


def invoices_of(session: Session, member: Member) -> list[Invoice]:
    return list(
        session.scalars(
            select(Invoice)
            .where(Invoice.member_id == holder(member).id)
            .order_by(Invoice.issued_on, Invoice.series, Invoice.number)
        )
    )


def personal_data(session: Session, member: Member) -> dict[str, Any]:
    """What the accounts context holds on a person (``coop members export-data``)."""
    account, movements = statement(session, member)
    return {
        "account": None
        if account is None
        else {
            "holder": holder(member).number,
            "balance_cents": account.balance_cents,
            "overdraft_cents": account.overdraft_cents,
            "movements": [movement_dict(row) for row in reversed(movements)],
        },
        "invoices": [view(session, invoice).as_dict() for invoice in invoices_of(session, member)]
        if holder(member).id == member.id
        else [],
    }
