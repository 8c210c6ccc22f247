"""Selling: a basket as the till sends it (``SaleRequest``), checked, priced and committed.

``commit_sale`` is one user action: it checks everything first and writes nothing unless all
holds, then writes in the caller's transaction the sale with its gapless number, its lines,
payments and VAT, the journal record (canonical data + chained SHA-256), the stock moves and
the prepaid-account movements, and moves the till's journal head. The steps:

1. lock the till (``ledger.lock_till``) and check it has an open session and that today's Z is
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
4. pricing with the member category's price rule (``ledger.price_rule_for``), line and sale
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
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, tuple_
from sqlalchemy.orm import Session

from coop import audit
from coop.accounts import service as accounts
from coop.accounts.models import MemberAccount
from coop.audit import Actor
from coop.catalog import scan as scanning
from coop.catalog.models import Product
from coop.catalog.scan import Found, Scanned
from coop.clock import local_date
from coop.config import Settings
from coop.errors import InvalidInput, NotFound, Problem
from coop.i18n import _
from coop.members import service as members
from coop.members.models import Member
from coop.money import HUNDRED, rate_to_bp
from coop.scanning import NomenclatureRule
from coop.shifts.models import ShiftSkill
from coop.stock import service as stock
from coop.till import ledger, records
from coop.till.journal import RecordKind
from coop.till.ledger import TillRefused
from coop.till.models import Sale, SaleLineRow, SalePayment, SaleVat, Till
from coop.till.payments import Means, PaymentPolicy, Settlement, Tender, settle
from coop.till.pricing import (
    Discount,
    DiscountReason,
    Item,
    LineKind,
    LineRef,
    PricedSale,
    PriceRule,
    SaleLine,
    deposit_line,
    labelled_line,
    price_sale,
    product_line,
    refund_line,
)
from coop.till.refusals import Refusal, Refused
from coop.till.sales import CommittedSale
from coop.till.words import refusal


class SaleRefused(TillRefused):
    """The basket cannot be committed as it is; nothing was written."""


# --- what the till sends ----------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRequest:
    """One scan or typed code; ``quantity`` pieces (default 1) or ``grams`` for weighed goods
    without a scale label; a line ``discount`` with its reason."""

    code: str
    quantity: int | None = None
    grams: int | None = None
    discount: Discount | None = None


@dataclass(frozen=True)
class DepositReturn:
    """Containers brought back: the deposit product's code and how many."""

    code: str
    count: int = 1


@dataclass(frozen=True)
class RefundRequest:
    """Give back ``quantity`` (None: all that is left) of line ``line_no`` of sale
    ``sale_number`` of till ``till`` (None: this till). ``restock`` puts the goods back in stock
    (False for goods thrown away)."""

    sale_number: int
    line_no: int
    quantity: int | None = None
    till: str | None = None
    restock: bool = True


@dataclass(frozen=True)
class SaleRequest:
    items: Sequence[ItemRequest] = ()
    member: str | None = None
    """A card or a member number; None for a non-member (where the coop allows it)."""
    override_reason: str | None = None
    """Why a member the desk check refuses may shop anyway (logged)."""
    returns: Sequence[DepositReturn] = ()
    refunds: Sequence[RefundRequest] = ()
    discount: Discount | None = None
    top_up_cents: int = 0
    tenders: Sequence[Tender] = ()
    authorised_by: int | None = None
    """The member number of whoever authorised a discount beyond the cashier's limit."""
    token: str | None = None
    """The till's key for this basket (a UUID): committing it twice is refused."""


# --- what comes back --------------------------------------------------------------------------


@dataclass
class Receipt:
    till: str
    number: int
    at: datetime
    sale: PricedSale
    settlement: Settlement
    member: Member | None
    shopper: Member | None
    hash: str | None
    seq: int | None
    account_balance_cents: int | None = None
    warnings: list[str] = field(default_factory=list)
    local_currency: str | None = None

    @property
    def committed(self) -> bool:
        return self.hash is not None

    def as_dict(self) -> dict[str, Any]:
        from coop.till.words import means_name

        sale = self.sale
        return {
            "till": self.till,
            "number": self.number,
            "committed": self.committed,
            "at": ledger.shop_time(self.at),
            "member": None
            if self.member is None
            else {"number": self.member.number, "name": self.member.full_name},
            "lines": [
                {
                    "line_no": no,
                    "kind": line.kind.value,
                    "product_id": line.product_id,
                    "label": line.label,
                    "quantity": line.quantity,
                    "weighed": line.weighed,
                    "unit_price_cents": line.unit_price_cents,
                    "rule": line.rule_code,
                    "discount_cents": line.discount_cents,
                    "amount_cents": line.amount_cents,
                    "vat_rate": str(line.vat_rate),
                    "refund_of": None
                    if line.refund_of is None
                    else {
                        "till_id": line.refund_of.till_id,
                        "sale_number": line.refund_of.sale_number,
                        "line_no": line.refund_of.line_no,
                    },
                }
                for no, line in enumerate(sale.lines, start=1)
            ],
            "goods_cents": sale.goods_cents,
            "discount_cents": sale.discount_cents,
            "top_up_cents": sale.top_up_cents,
            "total_cents": sale.total_cents,
            "vat": [
                {
                    "rate": str(split.rate),
                    "excl_vat_cents": split.excl_vat,
                    "vat_cents": split.vat,
                    "incl_vat_cents": split.incl_vat,
                }
                for split in sale.vat
            ],
            "payments": [
                {
                    "means": payment.means.value,
                    "name": means_name(payment.means, self.local_currency),
                    "amount_cents": payment.amount_cents,
                    "reference": payment.reference,
                }
                for payment in self.settlement.payments
            ],
            "cash_tendered_cents": self.settlement.cash_tendered_cents,
            "change_cents": self.settlement.change_cents,
            "account_balance_cents": self.account_balance_cents,
            "hash": self.hash,
            "seq": self.seq,
            "warnings": self.warnings,
        }


# --- preparing --------------------------------------------------------------------------------


@dataclass
class _Prepared:
    till: Till
    session_id: int
    member: Member | None
    shopper: Member | None
    priced: PricedSale
    settlement: Settlement
    account: MemberAccount | None
    moves: list[tuple[Product, str, int]]
    """(product, kind, signed quantity) for the stock moves."""
    authorised_by: Member | None
    override_reason: str | None
    warnings: list[str]
    token: str | None


def _refused(error: Refused, where: str | None = None) -> SaleRefused:
    message = refusal(error)
    if where:
        message = _("{where}: {message}").format(where=where, message=message)
    return SaleRefused(error.code.value, message)


def _item(product: Product) -> Item:
    return Item(
        product_id=product.id,
        label=product.name,
        price_cents=product.price_cents,
        vat_rate=product.vat_rate,
        by_weight=product.by_weight,
    )


def _policy(settings: Settings, account: MemberAccount | None) -> PaymentPolicy:
    return PaymentPolicy(
        local_currency_name=settings.till.local_currency or None,
        overdraft_cents=accounts.overdraft_of(account, settings.accounts) if account else 0,
        accepted=frozenset(Means(means) for means in settings.till.means),
    )


def _member(
    session: Session, request: SaleRequest, settings: Settings, actor: Actor, now: datetime
) -> tuple[Member | None, Member | None, list[str]]:
    """(household's main member, person scanned, warnings), or a refusal."""
    from coop.shifts import desk

    if request.member is None or not request.member.strip():
        if not settings.till.non_members:
            raise SaleRefused(
                "members_only",
                _("Only members may buy here: scan a member card first."),
            )
        return None, None, []
    found = members.find(session, request.member)
    if found.by == "name" or not found.members:
        raise SaleRefused("not_a_member", _("Scan a member card or type a member number."))
    shopper = found.members[0]
    main = shopper.main_member or shopper
    check = desk.check(session, request.member, at=now, settings=settings.shifts)
    warnings = [warning["text"] for warning in check.warnings]
    if not check.can_shop:
        reasons = "; ".join(r["text"].rstrip(".") for r in check.reasons) or check.status_text
        if not request.override_reason or not request.override_reason.strip():
            raise SaleRefused(
                "may_not_shop",
                _(
                    "Member {number} ({name}) may not shop: {reasons}. The cashier may let them"
                    " through with a reason."
                ).format(number=main.number, name=main.full_name, reasons=reasons),
            )
        warnings.append(
            _("Let through although the desk check refuses: {reason}").format(
                reason=request.override_reason.strip()
            )
        )
    return main, shopper, warnings


def _scans(
    session: Session, request: SaleRequest, rules: Sequence[NomenclatureRule]
) -> tuple[list[Scanned], list[Scanned]]:
    codes = [item.code for item in request.items] + [ret.code for ret in request.returns]
    resolved = scanning.resolve_many(session, codes, rules)
    return resolved[: len(request.items)], resolved[len(request.items) :]


def _goods_lines(
    session: Session,
    request: SaleRequest,
    scanned: Sequence[Scanned],
    rule: PriceRule | None,
) -> tuple[list[SaleLine], list[tuple[Product, str, int]], set[int]]:
    """Lines of goods (with their automatic deposit lines), stock moves, and the indexes of
    lines whose discount came from a printed label (no authorisation needed)."""
    problems: list[Problem] = []
    # a discount label applies to the item before it
    label_discounts: dict[int, Discount] = {}
    goods: list[int] = []
    for index, read in enumerate(scanned):
        where = _("item {n}").format(n=index + 1)
        if read.found is Found.DISCOUNT:
            if not goods or goods[-1] in label_discounts or request.items[goods[-1]].discount:
                problems.append(
                    Problem(_("a discount label must follow the item it is stuck on"), source=where)
                )
                continue
            percent = Decimal(read.discount_bp or 0) / HUNDRED
            label_discounts[goods[-1]] = Discount(
                DiscountReason.SHORT_DATE, percent=percent, note=_("discount label")
            )
        elif read.found is Found.MEMBER:
            problems.append(
                Problem(_("a member card is not an item: scan it as the customer"), source=where)
            )
        elif read.found is Found.ERROR:
            problems.append(Problem(read.message(), source=where))
        else:
            goods.append(index)
    if problems:
        raise InvalidInput(problems)
    deposit_ids = {
        product.deposit_product_id
        for index in goods
        if (product := scanned[index].product) is not None and product.deposit_product_id
    }
    deposits = (
        {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(deposit_ids)))}
        if deposit_ids
        else {}
    )
    lines: list[SaleLine] = []
    moves: list[tuple[Product, str, int]] = []
    from_labels: set[int] = set()
    for index in goods:
        item, read = request.items[index], scanned[index]
        product = read.product
        assert product is not None
        discount = item.discount or label_discounts.get(index)
        where = _("item {n} ({name})").format(n=index + 1, name=product.name)
        try:
            # a label with 0 embedded is the product's own code typed by hand: no label
            if read.grams:
                if item.quantity not in (None, 1) or item.grams is not None:
                    raise Refused(Refusal.QUANTITY_AND_WEIGHT, "grams", item.grams)
                line = product_line(_item(product), grams=read.grams, rule=rule, discount=discount)
            elif read.price_cents:
                if item.quantity not in (None, 1) or item.grams is not None:
                    raise Refused(Refusal.QUANTITY_AND_WEIGHT, "quantity", item.quantity)
                line = labelled_line(_item(product), read.price_cents, rule=rule, discount=discount)
            else:
                line = product_line(
                    _item(product),
                    quantity=item.quantity,
                    grams=item.grams,
                    rule=rule,
                    discount=discount,
                )
        except Refused as error:
            raise _refused(error, where) from error
        if index in label_discounts and item.discount is None:
            from_labels.add(len(lines))
        lines.append(line)
        moves.append((product, "sale", -_stock_quantity(product, line)))
        deposit = deposits.get(product.deposit_product_id or 0)
        if deposit is not None and not product.by_weight:
            lines.append(deposit_line(_item(deposit), line.quantity))
    return lines, moves, from_labels


def _stock_quantity(product: Product, line: SaleLine) -> int:
    """Pieces, or grams for weighed goods (a price label on a weighed product: the grams its
    price stands for at the list price, rounded)."""
    if line.weighed or not product.by_weight:
        return line.quantity
    if product.price_cents <= 0:
        return 0
    grams = (Decimal(line.list_price_cents) * 1000 / product.price_cents).to_integral_value()
    return int(grams)


def _return_lines(
    session: Session, request: SaleRequest, scanned: Sequence[Scanned]
) -> list[SaleLine]:
    if not request.returns:
        return []
    from coop.catalog.service import deposit_product_ids

    deposits = deposit_product_ids(session)
    problems: list[Problem] = []
    lines = []
    for index, (ret, read) in enumerate(zip(request.returns, scanned, strict=True)):
        where = _("return {n}").format(n=index + 1)
        if read.found is not Found.PRODUCT or read.product is None:
            problems.append(Problem(read.message() or _("not a deposit"), source=where))
            continue
        if read.product.id not in deposits:
            problems.append(
                Problem(
                    _("{name} is not a deposit (consigne)").format(name=read.product.name),
                    source=where,
                )
            )
            continue
        try:
            lines.append(deposit_line(_item(read.product), ret.count, returned=True))
        except Refused as error:
            problems.append(Problem(refusal(error), source=where))
    if problems:
        raise InvalidInput(problems)
    return lines


def _refund_lines(
    session: Session, request: SaleRequest, till: Till
) -> tuple[list[SaleLine], list[tuple[Product, str, int]]]:
    if not request.refunds:
        return [], []
    till_ids: dict[str, int] = {till.code: till.id}
    for ref in request.refunds:
        code = ledger.normalise_code(ref.till) if ref.till else till.code
        if code not in till_ids:
            till_ids[code] = ledger.get_till(session, code).id
    keys = {
        (till_ids[ledger.normalise_code(ref.till) if ref.till else till.code], ref.sale_number)
        for ref in request.refunds
    }
    # lock the original sales: two tills refunding the same line wait for each other
    originals = {
        (row.till_id, row.number): row
        for row in session.scalars(
            select(Sale).where(tuple_(Sale.till_id, Sale.number).in_(keys)).with_for_update()
        )
    }
    missing = sorted(keys - set(originals))
    if missing:
        till_id, number = missing[0]
        code = next(code for code, tid in till_ids.items() if tid == till_id)
        raise SaleRefused(
            "unknown_sale",
            _("Till {code} has no sale number {number}.").format(code=code, number=number),
        )
    sale_ids = {row.id: key for key, row in originals.items()}
    line_rows = {
        (sale_ids[row.sale_id], row.line_no): row
        for row in session.scalars(select(SaleLineRow).where(SaleLineRow.sale_id.in_(sale_ids)))
    }
    done = defaultdict(
        int,
        {
            (tid, number, no): int(total)
            for tid, number, no, total in session.execute(
                select(
                    SaleLineRow.refund_till_id,
                    SaleLineRow.refund_sale_number,
                    SaleLineRow.refund_line_no,
                    func.sum(SaleLineRow.quantity),
                )
                .where(tuple_(SaleLineRow.refund_till_id, SaleLineRow.refund_sale_number).in_(keys))
                .group_by(
                    SaleLineRow.refund_till_id,
                    SaleLineRow.refund_sale_number,
                    SaleLineRow.refund_line_no,
                )
            )
        },
    )
    product_ids = {row.product_id for row in line_rows.values()}
    products = {
        p.id: p for p in session.scalars(select(Product).where(Product.id.in_(product_ids)))
    }
    lines: list[SaleLine] = []
    moves: list[tuple[Product, str, int]] = []
    for index, ref in enumerate(request.refunds):
        where = _("refund {n}").format(n=index + 1)
        till_id = till_ids[ledger.normalise_code(ref.till) if ref.till else till.code]
        row = line_rows.get(((till_id, ref.sale_number), ref.line_no))
        if row is None:
            raise SaleRefused(
                "unknown_line",
                _("{where}: sale {number} has no line {line}.").format(
                    where=where, number=ref.sale_number, line=ref.line_no
                ),
            )
        original = records.line_of(_row_mapping(row))
        key = (till_id, ref.sale_number, ref.line_no)
        quantity = ref.quantity if ref.quantity is not None else original.quantity - done[key]
        try:
            line = refund_line(
                original,
                LineRef(till_id, ref.sale_number, ref.line_no),
                quantity,
                already_refunded=done[key],
            )
        except Refused as error:
            raise _refused(error, where) from error
        done[key] += line.quantity
        lines.append(line)
        product = products[row.product_id]
        if ref.restock and original.kind is LineKind.PRODUCT:
            if original.weighed or not product.by_weight:
                amount = line.quantity
            else:  # a price label on a weighed product: its estimated grams
                amount = _stock_quantity(product, original)
            moves.append((product, "refund", amount))
    return lines, moves


def _row_mapping(row: SaleLineRow) -> dict[str, Any]:
    return {column.key: getattr(row, column.key) for column in SaleLineRow.__table__.columns}


def _check_discounts(
    session: Session,
    request: SaleRequest,
    priced: PricedSale,
    from_labels: set[int],
    settings: Settings,
) -> Member | None:
    """Refuse discounts beyond the cashier's limit without a valid authorisation."""
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
    if request.authorised_by is None:
        if beyond:
            raise SaleRefused(
                "discount_needs_authorisation",
                _(
                    "A discount of more than {limit} % needs the authorisation of a {roles}"
                    " (give their member number)."
                ).format(limit=limit, roles=", ".join(settings.till.discount_roles)),
            )
        return None
    authoriser = members.get_by_number(session, request.authorised_by)
    allowed = session.scalar(
        select(func.count())
        .select_from(ShiftSkill)
        .where(
            ShiftSkill.member_id == authoriser.id,
            ShiftSkill.role.in_(settings.till.discount_roles),
        )
    )
    if not allowed:
        raise SaleRefused(
            "not_authorised",
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
    moves: list[tuple[Product, str, int]]
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
    rule = ledger.price_rule_for(session, member)
    item_scans, return_scans = _scans(
        session, request, rules if rules is not None else scanning.load_rules(session)
    )
    lines, moves, from_labels = _goods_lines(session, request, item_scans, rule)
    lines.extend(_return_lines(session, request, return_scans))
    return Basket(request, member, shopper, warnings, lines, moves, from_labels, till_code)


def _finish(
    session: Session,
    basket: Basket,
    *,
    settings: Settings,
    actor: Actor,
    now: datetime,
    unpaid: bool = False,
) -> _Prepared:
    """Lock the till and check it may sell now, add the refunds (their originals locked),
    price the whole sale, check the discounts' authorisation, lock the account, settle."""
    request = basket.request
    till, session_id = ledger.lock_open_till(
        session, basket.till_code, settings=settings.till, actor=actor, now=now
    )
    today = local_date(now)
    if till.closed_until is not None and today <= till.closed_until:
        raise SaleRefused(
            "day_closed",
            _("The day {day} is closed on till {code} (its Z is taken): no more sales.").format(
                day=today.strftime("%d/%m/%Y"), code=till.code
            ),
        )
    if request.token:
        number = session.scalar(
            select(Sale.number).where(Sale.till_id == till.id, Sale.token == request.token)
        )
        if number is not None:
            raise SaleRefused(
                "already_committed",
                _(
                    "This basket was already committed as sale {number}: it is not sold twice."
                ).format(number=number),
            )
    # the basket may come from another transaction (a screen prepares as items are scanned)
    member = session.get(Member, basket.member.id) if basket.member is not None else None
    lines = list(basket.goods)
    moves = list(basket.moves)
    refunds, refund_moves = _refund_lines(session, request, till)
    lines.extend(refunds)
    moves.extend(refund_moves)
    try:
        priced = price_sale(lines, request.discount, top_up_cents=request.top_up_cents)
    except Refused as error:
        raise _refused(error) from error
    authoriser = _check_discounts(session, request, priced, basket.from_labels, settings)
    uses_account = request.top_up_cents > 0 or any(
        Means(tender.means) is Means.ACCOUNT for tender in request.tenders
    )
    account = None
    if uses_account:
        if member is None:
            raise SaleRefused("no_account", _("Only a member can use a prepaid account."))
        account = accounts.lock_account(session, member, now=now)
    try:
        if unpaid and not request.tenders:  # a preview before the customer pays
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
        raise _refused(error) from error
    return _Prepared(
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
    prepared = _finish(session, basket, settings=settings, actor=actor, now=now, unpaid=True)
    return _receipt(prepared, prepared.till.last_sale_number + 1, now, None, None, settings)


def _receipt(
    prepared: _Prepared,
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
    )


# --- committing -------------------------------------------------------------------------------


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
    if tenders is not None:
        basket = dataclasses.replace(
            basket, request=dataclasses.replace(basket.request, tenders=tuple(tenders))
        )
    prepared = _finish(session, basket, settings=settings, actor=actor, now=now)
    till = prepared.till
    number = till.last_sale_number + 1
    seq = till.last_seq + 1
    committed = CommittedSale(
        till_id=till.id,
        number=number,
        at=now,
        sale=prepared.priced,
        settlement=prepared.settlement,
        member_id=prepared.member.id if prepared.member else None,
    )
    priced, settlement = prepared.priced, prepared.settlement
    sale_id = session.execute(
        insert(Sale.__table__).returning(Sale.__table__.c.id),
        {
            "till_id": till.id,
            "number": number,
            "seq": seq,
            "session_id": prepared.session_id,
            "at": now,
            "member_id": committed.member_id,
            "shopper_id": prepared.shopper.id if prepared.shopper else None,
            "cashier": actor.name,
            "goods_cents": priced.goods_cents,
            "top_up_cents": priced.top_up_cents,
            "total_cents": priced.total_cents,
            "cash_tendered_cents": settlement.cash_tendered_cents,
            "change_cents": settlement.change_cents,
            **records.discount_columns(priced.discount),
            "authorised_by_id": prepared.authorised_by.id if prepared.authorised_by else None,
            "override_reason": prepared.override_reason,
            "token": prepared.token,
        },
    ).scalar_one()
    if priced.lines:
        session.execute(
            insert(SaleLineRow.__table__),
            [records.line_values(sale_id, no, line) for no, line in enumerate(priced.lines, 1)],
        )
    if settlement.payments:
        session.execute(
            insert(SalePayment.__table__),
            [
                {
                    "sale_id": sale_id,
                    "position": position,
                    "means": payment.means.value,
                    "amount_cents": payment.amount_cents,
                    "reference": payment.reference,
                }
                for position, payment in enumerate(settlement.payments, start=1)
            ],
        )
    vat = priced.vat
    if vat:
        session.execute(
            insert(SaleVat.__table__),
            [
                {
                    "sale_id": sale_id,
                    "vat_rate_bp": rate_to_bp(split.rate),
                    "excl_vat_cents": split.excl_vat,
                    "vat_cents": split.vat,
                }
                for split in vat
            ],
        )
    sealed = ledger.append(
        session,
        till,
        kind=RecordKind.SALE,
        number=number,
        at=now,
        data=committed.to_data(),
        sale_id=sale_id,
    )
    stock.apply_moves(
        session,
        [
            stock.move(product, kind, quantity, at=now, actor=actor, sale_id=sale_id)
            for product, kind, quantity in prepared.moves
            if quantity
        ],
        now=now,
    )
    _post_account(session, prepared, sale_id, number, settings, actor, now)
    _audit(session, prepared, sale_id, number, actor, now)
    return _receipt(prepared, number, now, sealed.hash, sealed.seq, settings)


def _post_account(
    session: Session,
    prepared: _Prepared,
    sale_id: int,
    number: int,
    settings: Settings,
    actor: Actor,
    now: datetime,
) -> None:
    account = prepared.account
    if account is None:
        return
    reference = f"{prepared.till.code}-{number}"
    common: dict[str, Any] = {
        "at": now,
        "actor": actor,
        "settings": settings.accounts,
        "sale_id": sale_id,
        "reference": reference,
    }
    if prepared.priced.top_up_cents:
        accounts.post(
            session, account, kind="top_up", amount_cents=prepared.priced.top_up_cents, **common
        )
    paid = prepared.settlement.account_cents
    if paid > 0:
        # settle() already checked the limit against the balance before this sale
        accounts.post(
            session, account, kind="sale_payment", amount_cents=-paid, enforce_limit=False, **common
        )
    elif paid < 0:
        accounts.post(session, account, kind="refund", amount_cents=-paid, **common)


def _audit(
    session: Session,
    prepared: _Prepared,
    sale_id: int,
    number: int,
    actor: Actor,
    now: datetime,
) -> None:
    entries: list[Mapping[str, Any]] = []
    member_id = prepared.member.id if prepared.member else None
    if prepared.override_reason:
        entries.append(
            {
                "action": "sale.override",
                "entity": "sale",
                "entity_id": sale_id,
                "member_id": member_id,
                "after": {"till": prepared.till.code, "number": number},
                "reason": prepared.override_reason,
            }
        )
    if prepared.authorised_by is not None:
        entries.append(
            {
                "action": "sale.discount_authorised",
                "entity": "sale",
                "entity_id": sale_id,
                "member_id": member_id,
                "after": {
                    "till": prepared.till.code,
                    "number": number,
                    "authorised_by": prepared.authorised_by.number,
                    "discount_cents": prepared.priced.discount_cents,
                },
            }
        )
    if entries:
        audit.record_many(session, actor=actor, at=now, entries=entries)


# --- reading sales ------------------------------------------------------------------------------


def load_sales(session: Session, sale_ids: Sequence[int]) -> list[CommittedSale]:
    """Committed sales rebuilt from their rows (three queries), in the order given."""
    if not sale_ids:
        return []
    connection = session.connection()
    sales = {
        row.id: row._mapping
        for row in connection.execute(select(Sale.__table__).where(Sale.id.in_(sale_ids)))
    }
    table = SaleLineRow.__table__
    lines: dict[int, list[SaleLine]] = defaultdict(list)
    for row in connection.execute(
        select(table.c.sale_id, *(table.c[c] for c in records.LINE_READ_COLUMNS))
        .where(table.c.sale_id.in_(sale_ids))
        .order_by(table.c.sale_id, table.c.line_no)
    ):
        lines[row[0]].append(records.line_of_values(row[1:]))
    payments: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for row in connection.execute(
        select(SalePayment.__table__)
        .where(SalePayment.sale_id.in_(sale_ids))
        .order_by(SalePayment.sale_id, SalePayment.position)
    ):
        payments[row.sale_id].append(row._mapping)
    return [
        records.committed_of(sales[sale_id], lines[sale_id], payments[sale_id])
        for sale_id in sale_ids
    ]


def get_sale(session: Session, till_code: str, number: int) -> tuple[Sale, CommittedSale]:
    till = ledger.get_till(session, till_code)
    sale = session.scalar(select(Sale).where(Sale.till_id == till.id, Sale.number == number))
    if sale is None:
        raise NotFound(
            _("Till {code} has no sale number {number}.").format(code=till.code, number=number)
        )
    return sale, load_sales(session, [sale.id])[0]


def personal_data(session: Session, member: Member) -> list[dict[str, Any]]:
    """The sales a person made or that were made on their household's account of them
    (``coop members export-data``): till, number, time, total, lines."""
    from coop.till.models import Till

    rows = session.execute(
        select(Sale, Till.code)
        .join(Till, Till.id == Sale.till_id)
        .where((Sale.member_id == member.id) | (Sale.shopper_id == member.id))
        .order_by(Sale.at, Sale.id)
    ).all()
    committed = load_sales(session, [sale.id for sale, _code in rows])
    return [
        {
            "till": code,
            "number": sale.number,
            "at": ledger.shop_time(sale.at),
            "total_cents": sale.total_cents,
            "lines": [
                {"label": line.label, "quantity": line.quantity, "amount_cents": line.amount_cents}
                for line in detail.lines
            ],
        }
        for (sale, code), detail in zip(rows, committed, strict=True)
    ]
