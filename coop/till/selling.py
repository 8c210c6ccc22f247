"""Selling: a basket as the till sends it (``SaleRequest``), checked, priced and committed.

``commit_sale`` is one user action: it checks everything first and writes nothing unless all
holds, then writes in the caller's transaction the sale with its gapless number, its lines,
payments and VAT, the journal record (canonical data + chained SHA-256), the stock moves and
the prepaid-account movements, and moves the till's journal head. The steps:

1. lock the till (``registry.open_till``) and check it has an open session and that today's Z is
   not taken; refuse a basket ``token`` already committed (a double click, a retry after a
   timeout: the first commit stands, the second is refused with its number);
2. the member: the desk check (``coop.shifts.desk.check``) must say they may shop, unless the
   cashier gives an override reason (logged); no member is allowed only where the coop says so
   (``[till] non_members``);
3. the scans, resolved in bulk (``coop.catalog.scan.resolve_many``): products by barcode or
   internal code, scale labels (weight), price labels, discount labels (applied to the line
   before them); deposits (consigne) charged automatically with products that carry one,
   returned containers, refunds of lines of earlier sales (never more than was sold and not yet
   refunded, the originals locked so two tills cannot both refund the same line);
4. pricing with the member category's price rule (``price_rules.price_rule_for``), line and sale
   discounts (a reason always; beyond ``[till] cashier_discount_percent`` the authorisation of a
   member holding one of ``[till] discount_roles``), a prepaid-account top-up;
5. payments settled to the cent (``coop.till.payments.settle``), the account locked and checked
   against its overdraft when it pays or is topped up.

Every refusal is a ``SaleRefused`` (a ``CoopError``) with a ``code`` and one sentence (or
``InvalidInput`` listing each bad line of the basket). ``price_basket`` runs steps 1-5 without
writing, for a screen that shows the total before the customer pays.

A till screen splits the work the way a cashier does: ``prepare`` (steps 2-4, reads only) as
the member card and the items are scanned, ``commit`` (step 1, the refunds, the payments and
every write) when the customer pays. ``commit_sale`` is both in one call (the command line).

The pieces live apart: the request and receipt types (``requests``, ``receipts``), the scans
turned into lines (``basket_lines``), refunds (``refunds``), the writes (``sale_store``); this
module checks the member and the discounts and runs the steps in order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.audit import Actor
from coop.catalog import scan as scanning
from coop.clock import local_date
from coop.config import Settings, TillSettings
from coop.i18n import _
from coop.members import service as members
from coop.members.models import Member
from coop.money import HUNDRED, format_money
from coop.nomenclature import NomenclatureRule
from coop.rights import Right, require
from coop.shifts import desk
from coop.shifts.roles import holds_any_role
from coop.till import membership_sale, price_rules, registry, sale_store
from coop.till.basket_lines import (
    Move,
    goods_lines,
    refused,
    resolve_scans,
    return_lines,
)
from coop.till.payments import Means, PaymentPolicy, Settlement, Tender, settle
from coop.till.pricing import LineKind, PricedSale, SaleLine, price_sale
from coop.till.receipts import Receipt
from coop.till.refunds import origins as refund_origins
from coop.till.refunds import refund_lines
from coop.till.refusals import Refusal, Refused, SaleRefused, TillRefusal
from coop.till.requests import DepositReturn, ItemRequest, RefundRequest, SaleRequest
from coop.till.sale_store import Prepared
from coop.till.tables import SALES
from coop.till.till_models import Till
from coop.units import format_quantity as units_quantity

if TYPE_CHECKING:  # the accounts are imported by the sales that use one
    from coop.accounts.models import MemberAccount

__all__ = [  # the vocabulary a screen needs to sell, from one import
    "Basket",
    "DepositReturn",
    "ItemRequest",
    "Receipt",
    "RefundRequest",
    "SaleRefused",
    "SaleRequest",
    "commit",
    "commit_sale",
    "prepare",
    "price_basket",
]


def _policy(settings: Settings, account: MemberAccount | None) -> PaymentPolicy:
    overdraft = 0
    if account is not None:
        from coop.accounts.service import overdraft_of

        overdraft = overdraft_of(account, settings.accounts)
    return PaymentPolicy(
        local_currency_name=settings.till.local_currency or None,
        overdraft_cents=overdraft,
        accepted=frozenset(Means(means) for means in settings.till.means),
    )


def _member(
    session: Session, request: SaleRequest, settings: Settings, actor: Actor, now: datetime
) -> tuple[Member | None, Member | None, list[str]]:
    """(household's main member, person scanned, warnings), or a refusal."""
    if request.member is None or not request.member.strip():
        if not settings.till.non_members:
            raise SaleRefused(
                TillRefusal.MEMBERS_ONLY,
                _("Only members may buy here: scan a member card first."),
            )
        return None, None, []
    found = members.find(session, request.member)
    if found.by == "name" or not found.members:
        raise SaleRefused(
            TillRefusal.NOT_A_MEMBER, _("Scan a member card or type a member number.")
        )
    shopper = found.members[0]
    main = shopper.main_member or shopper
    check = desk.check(
        session,
        request.member,
        at=now,
        settings=settings.shifts,
        membership=settings.membership,
    )
    warnings = [warning.text for warning in check.warnings]
    # paying what one owes (shares, fee) and nothing else is never refused
    dues_only = request.membership.asked and not (
        request.items or request.returns or request.refunds
    )
    if not check.can_shop and not dues_only:
        reasons = "; ".join(r.text.rstrip(".") for r in check.reasons) or check.status_text
        if not request.override_reason or not request.override_reason.strip():
            raise SaleRefused(
                TillRefusal.MAY_NOT_SHOP,
                _(
                    "Member {number} ({name}) may not shop: {reasons}. The cashier may let them"
                    " through with a reason."
                ).format(number=main.number, name=main.full_name, reasons=reasons),
            )
        require(actor, Right.OVERRIDE_REFUSAL, entity="member", entity_id=main.number)
        warnings.append(
            _("Let through although the desk check refuses: {reason}").format(
                reason=request.override_reason.strip()
            )
        )
    return main, shopper, warnings


def check_discounts(
    session: Session,
    request: SaleRequest,
    priced: PricedSale,
    from_labels: set[int],
    settings: Settings,
    actor: Actor,
) -> Member | None:
    """Refuse discounts beyond the cashier's limit unless the cashier, or the second person who
    gave their card and PIN (``Actor.second``), holds the right (``coop.rights``)."""
    limit = Decimal(settings.till.cashier_discount_percent)
    beyond = False
    for index, line in enumerate(priced.lines):
        if line.line_discount_cents and index not in from_labels and line.gross_cents:
            share = Decimal(line.line_discount_cents) * HUNDRED / line.gross_cents
            beyond = beyond or share > limit
    if request.discount is not None:
        base = sum(
            line.gross_cents - line.line_discount_cents
            for line in priced.lines
            if line.kind is LineKind.PRODUCT
        )
        off = sum(line.sale_discount_cents for line in priced.lines)
        beyond = beyond or (base > 0 and Decimal(off) * HUNDRED / base > limit)
    if beyond:
        require(actor, Right.DISCOUNT_ABOVE_LIMIT, entity="sale", entity_id=request.token or "")
        if actor.second is not None and actor.second.member_number is not None:
            return members.get_by_number(session, actor.second.member_number)
    if request.authorised_by is None:
        return None
    authoriser = members.get_by_number(session, request.authorised_by)
    if not holds_any_role(session, authoriser.id, settings.till.discount_roles):
        raise SaleRefused(
            TillRefusal.NOT_AUTHORISED,
            _("Member {number} may not authorise discounts (needs the role {roles}).").format(
                number=authoriser.number, roles=", ".join(settings.till.discount_roles)
            ),
        )
    return authoriser


@dataclass
class Basket:
    """A basket checked and priced as the cashier builds it: the member (desk check done), the
    scans resolved to lines (with their deposits, at the member category's prices, with line
    discounts), containers brought back, and the stock each line moves. ``commit`` turns it
    into a sale; until then nothing is locked nor written (a till prepares while scanning)."""

    request: SaleRequest
    member: Member | None
    shopper: Member | None
    warnings: list[str]
    goods: list[SaleLine]
    moves: list[Move]
    from_labels: set[int]
    till_code: str | None = None


def prepare(
    session: Session,
    request: SaleRequest,
    *,
    settings: Settings,
    actor: Actor,
    now: datetime,
    till_code: str | None = None,
    rules: Sequence[NomenclatureRule] | None = None,
) -> Basket:
    """Check the member and resolve and price the scans of ``request`` (reads only).

    ``rules``: the nomenclature, when the caller already loaded it (``scan.load_rules``).
    """
    member, shopper, warnings = _member(session, request, settings, actor, now)
    rule = price_rules.price_rule_for(session, member)
    item_scans, return_scans = resolve_scans(
        session, request, rules if rules is not None else scanning.load_rules(session)
    )
    lines, moves, from_labels = goods_lines(session, request, item_scans, rule)
    lines.extend(return_lines(session, request, return_scans))
    return Basket(request, member, shopper, warnings, lines, moves, from_labels, till_code)


def _finish(
    session: Session,
    basket: Basket,
    *,
    settings: Settings,
    actor: Actor,
    now: datetime,
    preview: bool = False,
) -> Prepared:
    """Lock the till and check it may sell now, add the refunds (their originals locked),
    price the whole sale, check the discounts' authorisation, lock the account, settle.

    A ``preview`` (the total shown as items are scanned) locks nothing and writes nothing."""
    request = basket.request
    till, session_id = _till(
        session, basket, settings=settings, actor=actor, now=now, lock=not preview
    )
    # the basket may come from another transaction (a screen prepares as items are scanned)
    member = session.get(Member, basket.member.id) if basket.member is not None else None
    lines = list(basket.goods)
    moves = list(basket.moves)
    refunds, refund_moves = refund_lines(session, request, till, lock=not preview)
    lines.extend(refunds)
    moves.extend(refund_moves)
    try:
        paid = membership_sale.resolve(
            session, request.membership, member, settings.membership, local_date(now)
        )
        priced = price_sale(
            lines,
            request.discount,
            top_up_cents=request.top_up_cents,
            share_cents=paid.share_cents,
            fee_cents=paid.fee_cents,
            fee_year=paid.fee_year,
        )
    except Refused as error:
        raise refused(error) from error
    authoriser = check_discounts(session, request, priced, basket.from_labels, settings, actor)
    if request.refunds:
        require(actor, Right.REFUND, entity="till", entity_id=till.code)
        _check_refund_parties(session, request, till, member, priced, settings)
    account = _account(session, request, member, now=now, lock=not preview)
    try:
        if preview and not request.tenders:  # the total before the customer pays
            settlement = Settlement(total_cents=priced.total_cents, payments=())
        else:
            settlement = settle(
                priced.total_cents,
                request.tenders,
                _policy(settings, account),
                account_balance_cents=account.balance_cents if account is not None else None,
                top_up_cents=request.top_up_cents,
            )
    except Refused as error:
        raise refused(error) from error
    check_limits(settings.till, request, priced)
    return Prepared(
        till=till,
        session_id=session_id,
        member=member,
        shopper=basket.shopper,
        priced=priced,
        settlement=settlement,
        account=account,
        moves=moves,
        authorised_by=authoriser,
        override_reason=(request.override_reason or "").strip() or None,
        warnings=basket.warnings,
        token=request.token,
    )


def _till(
    session: Session,
    basket: Basket,
    *,
    settings: Settings,
    actor: Actor,
    now: datetime,
    lock: bool,
) -> tuple[Till, int]:
    """The till with its open session, if it may sell now and the basket is not sold yet."""
    request = basket.request
    till, session_id = registry.open_till(
        session, basket.till_code, settings=settings.till, actor=actor, now=now, lock=lock
    )
    today = local_date(now)
    if till.closed_until is not None and today <= till.closed_until:
        raise SaleRefused(
            TillRefusal.DAY_CLOSED,
            _("The day {day} is closed on till {code} (its Z is taken): no more sales.").format(
                day=today.strftime("%d/%m/%Y"), code=till.code
            ),
        )
    if request.token:
        number = session.scalar(
            select(SALES.c.number).where(SALES.c.till_id == till.id, SALES.c.token == request.token)
        )
        if number is not None:
            raise SaleRefused(
                TillRefusal.ALREADY_COMMITTED,
                _(
                    "This basket was already committed as sale {number}: it is not sold twice."
                ).format(number=number),
            )
    return till, session_id


def _account(
    session: Session, request: SaleRequest, member: Member | None, *, now: datetime, lock: bool
) -> MemberAccount | None:
    """The account a top-up or an account payment uses: locked (created at its first use) for
    a commit; for a preview only read (a transient empty one when it does not exist yet)."""
    uses_account = request.top_up_cents > 0 or any(
        Means(tender.means) is Means.ACCOUNT for tender in request.tenders
    )
    if not uses_account:
        return None
    if member is None:
        raise SaleRefused(Refusal.NO_ACCOUNT, _("Only a member can use a prepaid account."))
    from coop.accounts import service as accounts
    from coop.accounts.models import MemberAccount

    if lock:
        return accounts.lock_account(session, member, now=now)
    found = accounts.get_account(session, member)
    if found is not None:
        return found
    return MemberAccount(member_id=accounts.holder(member).id, balance_cents=0)


def price_basket(
    session: Session,
    request: SaleRequest,
    *,
    settings: Settings,
    actor: Actor,
    now: datetime,
    till_code: str | None = None,
    rules: Sequence[NomenclatureRule] | None = None,
) -> Receipt:
    """Everything ``commit_sale`` checks and computes, without writing (the number shown is
    the one the sale would get now). Without tenders, the payments are not checked: the total
    is what the screen shows before the customer pays."""
    basket = prepare(
        session,
        request,
        till_code=till_code,
        settings=settings,
        actor=actor,
        now=now,
        rules=rules,
    )
    prepared = _finish(session, basket, settings=settings, actor=actor, now=now, preview=True)
    return _receipt(prepared, prepared.till.last_sale_number + 1, now, None, None, settings)


def preview(
    session: Session, basket: Basket, *, settings: Settings, actor: Actor, now: datetime
) -> Receipt:
    """The receipt a prepared basket would give now (``price_basket`` from a basket already
    prepared, e.g. by ``coop.till.basket_service``); writes nothing."""
    prepared = _finish(session, basket, settings=settings, actor=actor, now=now, preview=True)
    return _receipt(prepared, prepared.till.last_sale_number + 1, now, None, None, settings)


def _receipt(
    prepared: Prepared,
    number: int,
    now: datetime,
    digest: str | None,
    seq: int | None,
    settings: Settings,
) -> Receipt:
    return Receipt(
        till=prepared.till.code,
        number=number,
        at=now,
        sale=prepared.priced,
        settlement=prepared.settlement,
        member=prepared.member,
        shopper=prepared.shopper,
        hash=digest,
        seq=seq,
        account_balance_cents=prepared.account.balance_cents if prepared.account else None,
        warnings=prepared.warnings,
        local_currency=settings.till.local_currency or None,
        till_id=prepared.till.id,
        share_value_cents=settings.membership.share_value_cents,
    )


def _check_refund_parties(
    session: Session,
    request: SaleRequest,
    till: Till,
    member: Member | None,
    priced: PricedSale,
    settings: Settings,
) -> None:
    """A refund goes back to the member who bought, by a means they paid with (or onto their
    own prepaid account), unless a member
    holding one of ``discount_roles`` (the shift leader) authorises another (``authorised_by``,
    sealed with the sale)."""
    buyers, means = refund_origins(session, request, till)
    problem = None
    if (member.id if member is not None else None) not in buyers:
        problem = SaleRefused(
            TillRefusal.REFUND_OTHER_BUYER,
            _(
                "A refund goes to the member who bought; another needs a shift leader's"
                " authorisation."
            ),
        )
    elif priced.total_cents < 0 and any(
        str(t.means) not in means | {Means.ACCOUNT.value} for t in request.tenders
    ):  # the buyer's own prepaid account may always take it back
        problem = SaleRefused(
            TillRefusal.REFUND_OTHER_MEANS,
            _(
                "A refund is paid back by a means the sale was paid with; another needs a shift"
                " leader's authorisation."
            ),
        )
    if problem is None:
        return
    if request.authorised_by is not None:
        authoriser = members.get_by_number(session, request.authorised_by)
        if holds_any_role(session, authoriser.id, settings.till.discount_roles):
            return
    raise problem


def check_limits(limits: TillSettings, request: SaleRequest, priced: PricedSale) -> None:
    """The configured bounds (``[till] max_*``): a value beyond one is a typo or an attack,
    refused with the field it is in, before anything is written."""

    def over(field: str, value: str, limit: str) -> SaleRefused:
        return SaleRefused(
            TillRefusal.OVER_LIMIT,
            _("{field}: {value} is more than the limit of {limit} ([till] settings).").format(
                field=field, value=value, limit=limit
            ),
        )

    for line in priced.lines:
        bound = limits.max_line_grams if line.weighed else limits.max_line_quantity
        if abs(line.quantity) > bound:
            text = units_quantity(abs(line.quantity), line.weighed)
            raise over(line.label, text, units_quantity(bound, line.weighed))
    if abs(priced.total_cents) > limits.max_sale_cents:
        raise over(
            _("sale total"), format_money(priced.total_cents), format_money(limits.max_sale_cents)
        )
    if request.top_up_cents > limits.max_top_up_cents:
        raise over(
            _("top-up"), format_money(request.top_up_cents), format_money(limits.max_top_up_cents)
        )
    for tender in request.tenders:
        if abs(tender.amount_cents) > limits.max_payment_cents:
            raise over(
                _("payment"),
                format_money(tender.amount_cents),
                format_money(limits.max_payment_cents),
            )


def commit_sale(
    session: Session,
    request: SaleRequest,
    *,
    settings: Settings,
    actor: Actor,
    now: datetime,
    till_code: str | None = None,
    rules: Sequence[NomenclatureRule] | None = None,
) -> Receipt:
    """Check, price and commit one basket (see the module docstring): ``prepare`` then
    ``commit``, in the caller's transaction."""
    basket = prepare(
        session,
        request,
        till_code=till_code,
        settings=settings,
        actor=actor,
        now=now,
        rules=rules,
    )
    return commit(session, basket, settings=settings, actor=actor, now=now)


def commit(
    session: Session,
    basket: Basket,
    *,
    settings: Settings,
    actor: Actor,
    now: datetime,
    tenders: Sequence[Tender] | None = None,
) -> Receipt:
    """Commit a prepared basket (``tenders``: the payments, when they were not in the request):
    the till is locked and checked, refunds and payments settled, then everything is written
    in the caller's transaction (see the module docstring)."""
    require(actor, Right.SELL, entity="till", entity_id=basket.till_code or settings.till.till)
    if tenders is not None:
        basket = dataclasses.replace(
            basket, request=dataclasses.replace(basket.request, tenders=tuple(tenders))
        )
    prepared = _finish(session, basket, settings=settings, actor=actor, now=now)
    number, sealed = sale_store.write_sale(
        session, prepared, settings=settings, actor=actor, now=now
    )
    return _receipt(prepared, number, now, sealed.hash, sealed.seq, settings)
