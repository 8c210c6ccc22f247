"""The basket API: one core call per cashier gesture, each returning the new priced basket.

``set_member`` (the desk check, once), ``scan`` (a code: an item, a discount label, a member
card, or a by-weight product that needs its weight), ``add_return``, ``add_refund``,
``change_refund``, then ``commit`` (the sale, through ``coop.till.selling.commit``) or
``preview`` (the receipt it would give). The pure changes (change a line, remove a line,
discounts) are in ``coop.till.basket``. ``from_request`` builds a whole basket from a
``SaleRequest`` (the command line's ``coop till sell``, a benchmark), its scans resolved in
bulk and every bad line reported with its place.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy.orm import Session

from coop.audit import Actor
from coop.catalog import scan as scanning
from coop.catalog.models import Product
from coop.catalog.scan import Found, Scanned
from coop.config import Settings
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.members import service as members
from coop.members.models import Member
from coop.money import HUNDRED
from coop.nomenclature import NomenclatureRule
from coop.shifts import desk
from coop.till import basket as rules
from coop.till import membership_sale, price_rules, registry, selling
from coop.till.basket import BasketMember, Entry, OpenBasket, Source
from coop.till.basket_lines import Move, item_of, refused, return_lines, stock_quantity
from coop.till.basket_membership import set_membership
from coop.till.payments import Tender
from coop.till.pricing import Discount, DiscountReason, Item
from coop.till.receipts import Receipt
from coop.till.refunds import refund_lines
from coop.till.refusals import Refusal, Refused, SaleRefused, TillRefusal
from coop.till.requests import DepositReturn, ItemRequest, RefundRequest, SaleRequest
from coop.till.words import refusal
from coop.units import format_quantity


class Outcome(StrEnum):
    ADDED = "added"  # a new line
    MERGED = "merged"  # one more of a line already there
    DISCOUNT = "discount"  # a discount label stuck on the item before it
    MEMBER = "member"  # a member card: the caller sets the member (after asking, if needed)
    WEIGHT_NEEDED = "weight_needed"  # a product sold by weight without a scale label


@dataclass(frozen=True)
class Scan:
    """What one scan did: the new ``basket``, the ``gesture`` of the line it changed, the
    product name (for ``WEIGHT_NEEDED``) or the member's card (for ``MEMBER``)."""

    outcome: Outcome
    basket: OpenBasket
    gesture: int = 0
    name: str = ""
    """The product (weight needed), the member (card) or the label's percent (discount)."""
    code: str = ""
    number: int = 0
    """The member number of a card scanned (the household's main member)."""


def _desk_refusal(check: desk.DeskCheck) -> str:
    reasons = "; ".join(r.text.rstrip(".") for r in check.reasons) or check.status_text
    return _(
        "Member {number} ({name}) may not shop: {reasons}. The cashier may let them"
        " through with a reason."
    ).format(number=check.member.number, name=check.member.name, reasons=reasons)


_KEPT = "coop.till.basket_rows"
"""The key, in ``session.info``, of the member and product rows the basket being built was
read with (see ``_keep``)."""


def _keep(session: Session, *rows: object) -> None:
    """Hold the rows the basket was built from until the sale is prepared: the session's
    identity map holds its objects weakly, so without this ``prepared`` would read the member
    and the products again (one query each); with it, ``session.get`` finds them in the map.
    Each basket's rows replace the previous one's."""
    session.info[_KEPT] = rows


def set_member(
    session: Session, basket: OpenBasket, query: str, *, settings: Settings, now: datetime
) -> OpenBasket:
    """The member scanned or typed: the desk check (the only time it runs for this basket),
    the category's price rule, and the basket priced again for them."""
    found = members.find(session, query)
    if found.by == "name" or not found.members:
        raise SaleRefused(
            TillRefusal.NOT_A_MEMBER, _("Scan a member card or type a member number.")
        )
    shopper = found.members[0]
    main = shopper.main_member or shopper
    _keep(session, shopper, main)
    check = desk.check(
        session, query, at=now, settings=settings.shifts, membership=settings.membership
    )
    member = BasketMember(
        query=query,
        member_id=main.id,
        shopper_id=shopper.id,
        number=main.number,
        name=main.full_name,
        can_shop=check.can_shop,
        rule=price_rules.price_rule_for(session, main),
        warnings=tuple(warning.text for warning in check.warnings),
        refusal="" if check.can_shop else _desk_refusal(check),
        check=check,
    )
    changed = dataclasses.replace(basket, member=member, override_reason=None)
    return _priced(changed)


def override(basket: OpenBasket, reason: str) -> OpenBasket:
    """Let a member the desk check refuses shop anyway (the reason is logged with the sale)."""
    return dataclasses.replace(basket, override_reason=reason.strip() or None)


def _may_sell(basket: OpenBasket, settings: Settings) -> None:
    member = basket.member
    if member is None:
        if not settings.till.non_members:
            raise SaleRefused(
                TillRefusal.MEMBERS_ONLY,
                _("Only members may buy here: scan a member card first."),
            )
        return
    # paying what one owes (shares, fee) and nothing else is never refused
    dues_only = not basket.entries and basket.outside_goods_cents > 0
    if not member.can_shop and not basket.override_reason and not dues_only:
        raise SaleRefused(TillRefusal.MAY_NOT_SHOP, member.refusal)


def _priced(basket: OpenBasket) -> OpenBasket:
    try:
        return rules.priced(basket)
    except Refused as error:
        raise refused(error) from error


def _deposit(session: Session, product: Product) -> Item | None:
    if not product.deposit_product_id or product.by_weight:
        return None
    deposit = session.get(Product, product.deposit_product_id)
    return item_of(deposit) if deposit is not None else None


def _entry(
    session: Session, read: Scanned, item: ItemRequest, where: str
) -> tuple[Entry | None, Discount | None]:
    """The entry a product scan makes, or the discount of a discount label (problems raise
    ``InvalidInput`` naming ``where``). ``(None, None)``: the product needs its weight."""
    if read.found is Found.DISCOUNT:
        percent = Decimal(read.discount_bp or 0) / HUNDRED
        return None, Discount(DiscountReason.SHORT_DATE, percent=percent, note=_("discount label"))
    if read.found is Found.MEMBER:
        raise InvalidInput(
            [Problem(_("a member card is not an item: scan it as the customer"), source=where)]
        )
    if read.found is Found.ERROR or read.product is None:
        raise InvalidInput([Problem(read.message(), source=where)])
    product = read.product
    base = Entry(0, Source.ITEM, read.code or read.scan, item_of(product), discount=item.discount)
    labelled = bool(read.grams) or bool(read.price_cents)
    if labelled and (item.quantity not in (None, 1) or item.grams is not None):
        message = refusal(Refused(Refusal.QUANTITY_AND_WEIGHT, "grams"))
        raise InvalidInput([Problem(message, source=where)])
    if read.grams:
        return dataclasses.replace(base, grams=read.grams, scale_label=True), None
    if read.price_cents:
        return dataclasses.replace(base, label_price_cents=read.price_cents), None
    if product.by_weight:
        if item.quantity is not None:
            message = refusal(Refused(Refusal.WEIGHT_REQUIRED, "quantity"))
            raise InvalidInput([Problem(message, source=where)])
        if item.grams is None:
            return None, None
        return dataclasses.replace(base, grams=item.grams), None
    if item.grams is not None:
        message = refusal(Refused(Refusal.NOT_SOLD_BY_WEIGHT, "grams"))
        raise InvalidInput([Problem(message, source=where)])
    entry = dataclasses.replace(
        base,
        quantity=1 if item.quantity is None else item.quantity,
        deposit=_deposit(session, product),
    )
    return entry, None


def scan(
    session: Session,
    basket: OpenBasket,
    code: str,
    *,
    settings: Settings,
    rules_loaded: Sequence[NomenclatureRule] | None = None,
    quantity: int | None = None,
    grams: int | None = None,
    touched: int = 0,
) -> Scan:
    """One code into the basket (the only code resolved: those already in it are not).

    ``grams``: the weight the cashier typed for a by-weight product; ``touched``: the gesture
    of the line the previous scan changed (a discount label applies to it)."""
    loaded = rules_loaded if rules_loaded is not None else scanning.load_rules(session)
    read = scanning.resolve(session, code, loaded)
    if read.found is Found.MEMBER:
        assert read.member is not None
        main = read.member.main_member or read.member
        return Scan(Outcome.MEMBER, basket, code=code, number=main.number, name=main.full_name)
    entry, label = _entry(session, read, ItemRequest(code, quantity, grams), _("scan"))
    _may_sell(basket, settings)
    if label is not None:
        changed = _stick(basket, label, touched)
        return Scan(Outcome.DISCOUNT, changed, touched, name=str(label.percent))
    if entry is None:
        assert read.product is not None
        return Scan(Outcome.WEIGHT_NEEDED, basket, name=read.product.name, code=code)
    if entry.source is Source.ITEM and entry.grams is not None:
        _check_weight(entry, settings)
    changed, gesture = _add(basket, entry)
    merged = gesture <= basket.last_gesture
    result = _checked(changed, settings)
    return Scan(Outcome.MERGED if merged else Outcome.ADDED, result, gesture)


def _check_weight(entry: Entry, settings: Settings) -> None:
    if entry.grams is not None and entry.grams > settings.till.max_line_grams:
        raise SaleRefused(
            TillRefusal.OVER_LIMIT,
            _("{field}: {value} is more than the limit of {limit} ([till] settings).").format(
                field=entry.item.label,
                value=format_quantity(entry.grams, True),
                limit=format_quantity(settings.till.max_line_grams, True),
            ),
        )


def _stick(basket: OpenBasket, label: Discount, touched: int) -> OpenBasket:
    try:
        return rules.stick_discount_label(basket, label, touched)
    except Refused as error:
        raise refused(error) from error


def _add(basket: OpenBasket, entry: Entry) -> tuple[OpenBasket, int]:
    try:
        return rules.add_entry(basket, entry)
    except Refused as error:
        raise refused(error) from error


def _checked(basket: OpenBasket, settings: Settings) -> OpenBasket:
    """The configured limits on the priced basket (pure; no query)."""
    if basket.sale is not None:
        selling.check_limits(settings.till, _request(basket), basket.sale)
    return basket


def check_till(session: Session, settings: Settings, till_code: str | None = None) -> None:
    """Refuse (``till_closed``) when the till has no open session: one query, so a screen
    says it at the first scan rather than at the payment."""
    registry.open_till(session, till_code, settings=settings.till, lock=False)


def discount(
    session: Session,
    basket: OpenBasket,
    gesture: int | None,
    given: Discount | None,
    authorised_by: int | None,
    *,
    settings: Settings,
    actor: Actor,
) -> OpenBasket:
    """A discount on a line (its ``gesture``) or on the whole sale (None), refused beyond the
    cashier's limit unless ``actor`` (or the second person who gave their card and PIN) holds
    the right (``coop.rights``)."""
    try:
        if gesture is None:
            changed = rules.with_sale_discount(basket, given, authorised_by)
        else:
            changed = rules.with_line_discount(basket, gesture, given, authorised_by)
    except Refused as error:
        raise refused(error) from error
    if changed.sale is not None:
        labels = {
            index
            for index, line in enumerate(changed.lines)
            if line.source is Source.ITEM and _from_label(changed.entry(line.gesture))
        }
        selling.check_discounts(session, _request(changed), changed.sale, labels, settings, actor)
    return _checked(changed, settings)


def _from_label(entry: Entry) -> bool:
    return entry.label_discount is not None and entry.discount is None


def add_return(
    session: Session,
    basket: OpenBasket,
    code: str,
    count: int,
    *,
    settings: Settings,
    rules_loaded: Sequence[NomenclatureRule] | None = None,
) -> OpenBasket:
    """Containers brought back (a deposit product's code, how many)."""
    _may_sell(basket, settings)
    loaded = rules_loaded if rules_loaded is not None else scanning.load_rules(session)
    request = SaleRequest(returns=(DepositReturn(code, count),))
    read = scanning.resolve(session, code, loaded)
    line = return_lines(session, request, [read])[0]
    assert read.product is not None
    gesture = basket.last_gesture + 1
    entry = Entry(gesture, Source.RETURN, code, item_of(read.product), quantity=count)
    del line  # checked by return_lines; priced again with the basket
    changed = dataclasses.replace(basket, entries=(*basket.entries, entry), last_gesture=gesture)
    return _checked(_priced(changed), settings)


def add_refund(
    session: Session, basket: OpenBasket, refund: RefundRequest, *, settings: Settings
) -> OpenBasket:
    """A line of an earlier sale given back (what is left of it after the refunds already
    committed and those already in this basket)."""
    gesture = basket.last_gesture + 1
    entry = _refund_entry(session, basket, refund, gesture, settings=settings)
    changed = dataclasses.replace(basket, entries=(*basket.entries, entry), last_gesture=gesture)
    return _checked(_priced(changed), settings)


def change_refund(
    session: Session, basket: OpenBasket, gesture: int, quantity: int, *, settings: Settings
) -> OpenBasket:
    entry = basket.entry(gesture)
    assert entry.refund is not None
    others = dataclasses.replace(
        basket, entries=tuple(e for e in basket.entries if e.gesture != gesture)
    )
    refund = dataclasses.replace(entry.refund, quantity=quantity)
    changed = _refund_entry(session, others, refund, gesture, settings=settings)
    return _checked(rules.replace_entry(basket, changed), settings)


def _refund_entry(
    session: Session,
    basket: OpenBasket,
    refund: RefundRequest,
    gesture: int,
    *,
    settings: Settings,
) -> Entry:
    till, _session_id = registry.open_till(session, None, settings=settings.till, lock=False)
    request = SaleRequest(refunds=(*rules.refund_requests(basket.entries), refund))
    lines, _moves = refund_lines(session, request, till, lock=False)
    line = lines[-1]
    item = Item(line.product_id, line.label, line.unit_price_cents, line.vat_rate)
    return Entry(gesture, Source.REFUND, "", item, refund=refund, refund_line=line)


def _request(basket: OpenBasket, tenders: Sequence[Tender] = ()) -> SaleRequest:
    return SaleRequest(
        member=basket.member.query if basket.member is not None else None,
        override_reason=basket.override_reason,
        refunds=rules.refund_requests(basket.entries),
        discount=basket.discount,
        top_up_cents=basket.top_up_cents,
        membership=membership_sale.ask_of(basket.share_cents, basket.fee_cents),
        tenders=tuple(tenders),
        authorised_by=basket.authorised_by,
        token=basket.token,
    )


def prepared(session: Session, basket: OpenBasket, *, settings: Settings) -> selling.Basket:
    """What ``selling.commit`` takes: the member, the goods lines and their stock moves."""
    _may_sell(basket, settings)
    member = shopper = None
    if basket.member is not None:
        member = session.get(Member, basket.member.member_id)
        shopper = session.get(Member, basket.member.shopper_id)
    goods = rules.goods_lines(basket)
    moves: list[Move] = []
    from_labels: set[int] = set()
    index = 0
    for line in basket.lines:
        if line.source is Source.REFUND:
            continue
        if line.source is Source.ITEM:
            if _from_label(basket.entry(line.gesture)):
                from_labels.add(index)
            product = session.get(Product, line.line.product_id)
            assert product is not None
            moves.append((product, "sale", -stock_quantity(product, line.line)))
        index += 1
    warnings = list(basket.member.warnings) if basket.member is not None else []
    if basket.member is not None and not basket.member.can_shop and basket.override_reason:
        warnings.append(
            _("Let through although the desk check refuses: {reason}").format(
                reason=basket.override_reason
            )
        )
    return selling.Basket(
        _request(basket), member, shopper, warnings, goods, moves, from_labels, None
    )


def commit(
    session: Session,
    basket: OpenBasket,
    tenders: Sequence[Tender],
    *,
    settings: Settings,
    actor: Actor,
    now: datetime,
    till_code: str | None = None,
) -> Receipt:
    """The basket paid with ``tenders``, committed in the caller's transaction."""
    ready = dataclasses.replace(prepared(session, basket, settings=settings), till_code=till_code)
    return selling.commit(session, ready, settings=settings, actor=actor, now=now, tenders=tenders)


def preview(
    session: Session,
    basket: OpenBasket,
    *,
    settings: Settings,
    actor: Actor,
    now: datetime,
    till_code: str | None = None,
    tenders: Sequence[Tender] = (),
) -> Receipt:
    """The receipt the basket would give now (writes nothing)."""
    ready = dataclasses.replace(prepared(session, basket, settings=settings), till_code=till_code)
    if tenders:
        ready = dataclasses.replace(
            ready, request=dataclasses.replace(ready.request, tenders=tuple(tenders))
        )
    return selling.preview(session, ready, settings=settings, actor=actor, now=now)


def from_request(
    session: Session,
    request: SaleRequest,
    *,
    settings: Settings,
    now: datetime,
    rules_loaded: Sequence[NomenclatureRule] | None = None,
) -> OpenBasket:
    """A whole basket from a request (its scans resolved in one go, every bad line named)."""
    basket = OpenBasket(token=request.token or rules.new_token())
    session.info.pop(_KEPT, None)  # an earlier basket's rows
    if request.member is not None and request.member.strip():
        basket = set_member(session, basket, request.member, settings=settings, now=now)
    if request.override_reason:
        basket = override(basket, request.override_reason)
    if request.items or request.returns or request.refunds or not request.membership.asked:
        _may_sell(basket, settings)  # else checked once the shares and fee are in
    loaded = rules_loaded if rules_loaded is not None else scanning.load_rules(session)
    codes = [item.code for item in request.items]
    reads = scanning.resolve_many(session, codes, loaded)
    _keep(session, *session.info.get(_KEPT, ()), *(r.product for r in reads if r.product))
    problems: list[Problem] = []
    touched = 0
    for index, (item, read) in enumerate(zip(request.items, reads, strict=True)):
        where = _("item {n}").format(n=index + 1)
        try:
            entry, label = _entry(session, read, item, where)
            if label is not None:
                if touched == 0 or request.items[index - 1].discount is not None:
                    raise InvalidInput(
                        [
                            Problem(
                                _("a discount label must follow the item it is stuck on"),
                                source=where,
                            )
                        ]
                    )
                basket = _stick(basket, label, touched)
                continue
            if entry is None:
                message = refusal(Refused(Refusal.WEIGHT_REQUIRED, "grams"))
                raise InvalidInput([Problem(message, source=where)])
            basket, touched = _add(basket, entry)
        except InvalidInput as error:
            problems.extend(error.problems)
            touched = 0
        except SaleRefused as error:
            name = read.product.name if read.product is not None else ""
            raise SaleRefused(
                error.code,
                _("{where}: {message}").format(
                    where=_("item {n} ({name})").format(n=index + 1, name=name), message=str(error)
                ),
            ) from error
    if problems:
        raise InvalidInput(problems)
    if request.returns:
        return_reads = scanning.resolve_many(session, [r.code for r in request.returns], loaded)
        return_lines(session, request, return_reads)  # every bad return named at once
        for ret, read in zip(request.returns, return_reads, strict=True):
            assert read.product is not None
            gesture = basket.last_gesture + 1
            entry = Entry(gesture, Source.RETURN, ret.code, item_of(read.product), ret.count)
            basket = dataclasses.replace(
                basket, entries=(*basket.entries, entry), last_gesture=gesture
            )
    for refund in request.refunds:
        basket = add_refund(session, basket, refund, settings=settings)
    basket = dataclasses.replace(
        basket, authorised_by=request.authorised_by, top_up_cents=request.top_up_cents
    )
    if request.membership.asked:
        basket = set_membership(session, basket, request.membership, settings=settings, now=now)
    basket = _priced(dataclasses.replace(basket, discount=request.discount))
    return _checked(basket, settings)
