"""The open basket as the cashier builds it, one gesture at a time: pure values and rules.

An ``OpenBasket`` holds what the cashier did, each thing already resolved once (``Entry``: a
product snapshot with its deposit, a container return, a refund line), and the lines priced
from them (``BasketLine``: the core's ``SaleLine`` with the gesture that made it). Every change
returns a new basket priced again from its entries: no code already in the basket is resolved
again and the member's desk check is not rerun (it is done once, when the member is set:
``coop.till.basket_service.set_member``). Pricing the entries is pure and cheap (the price
rules stay in ``coop.till.pricing``), so a 40-item basket costs a scan what a 1-item one does.

Gestures are numbered from 1 in the order the cashier made them; a line says which gesture it
came from (``BasketLine.gesture``) so a screen acts on a line without rebuilding that by
position. Identical plain items merge into one line (quantity 2); weighed items and items priced
by a label never merge.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from coop.config import TillSettings
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.stock.rules import parse_quantity
from coop.till.pricing import (
    Discount,
    Item,
    LineKind,
    PricedSale,
    PriceRule,
    SaleLine,
    deposit_line,
    labelled_line,
    price_sale,
    product_line,
)
from coop.till.requests import RefundRequest
from coop.units import format_quantity


class Source(StrEnum):
    """What a basket line comes from."""

    ITEM = "item"
    DEPOSIT = "deposit"  # the automatic deposit of the item of the same gesture
    RETURN = "return"  # containers brought back
    REFUND = "refund"  # part of a line of an earlier sale


@dataclass(frozen=True)
class Entry:
    """One gesture's thing in the basket, resolved once.

    ``item``: the product as the till prices it (for a return: the deposit product);
    ``quantity`` pieces or ``grams`` (typed, or read on a scale label: ``scale_label``);
    ``label_price_cents``: a price label; ``deposit``: the container charged with each piece;
    ``refund``/``refund_line``: the request and the line it gives back (priced when added).
    """

    gesture: int
    source: Source
    code: str
    item: Item
    quantity: int = 1
    grams: int | None = None
    scale_label: bool = False
    label_price_cents: int | None = None
    discount: Discount | None = None
    label_discount: Discount | None = None
    deposit: Item | None = None
    refund: RefundRequest | None = None
    refund_line: SaleLine | None = None

    @property
    def mergeable(self) -> bool:
        """A plain piece, without a label nor a discount: the same scan adds to it."""
        return (
            self.source is Source.ITEM
            and not self.item.by_weight
            and self.label_price_cents is None
            and self.discount is None
            and self.label_discount is None
        )


@dataclass(frozen=True)
class BasketLine:
    """A priced line and where it came from: the ``gesture`` (and its ``source``)."""

    gesture: int
    source: Source
    line: SaleLine
    code: str = ""
    by_weight: bool = False
    """Sold by weight (kg and €/kg on screen, F3 changes the weight)."""
    price_label: bool = False
    """Priced by a printed label: one piece per label."""

    @property
    def weighed(self) -> bool:
        return self.line.weighed


@dataclass(frozen=True)
class BasketMember:
    """The member the basket is for, checked once (``check``: the desk check, when set)."""

    query: str
    member_id: int
    shopper_id: int
    number: int
    name: str
    can_shop: bool
    rule: PriceRule | None
    warnings: tuple[str, ...] = ()
    refusal: str = ""
    """Why the desk check refuses (empty when they may shop)."""
    check: object | None = None
    """The desk check itself (``coop.shifts.desk.DeskCheck``) for the screen."""


def new_token() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class OpenBasket:
    member: BasketMember | None = None
    override_reason: str | None = None
    entries: tuple[Entry, ...] = ()
    discount: Discount | None = None
    authorised_by: int | None = None
    top_up_cents: int = 0
    """Money put on the member's prepaid account with this sale."""
    share_cents: int = 0
    """Capital shares paid with this sale (``coop.till.membership_sale``)."""
    fee_cents: int = 0
    """The association's yearly fee of ``fee_year`` paid with this sale."""
    fee_year: int | None = None
    token: str = field(default_factory=new_token)
    last_gesture: int = 0
    lines: tuple[BasketLine, ...] = ()
    sale: PricedSale | None = None

    @property
    def empty(self) -> bool:
        return not self.entries and not self.top_up_cents and not self.outside_goods_cents

    @property
    def outside_goods_cents(self) -> int:
        """Shares and fee: paid with the sale, neither goods nor a top-up."""
        return self.share_cents + self.fee_cents

    @property
    def total_cents(self) -> int:
        return self.sale.total_cents if self.sale is not None else 0

    def entry(self, gesture: int) -> Entry:
        for entry in self.entries:
            if entry.gesture == gesture:
                return entry
        raise KeyError(gesture)

    def line_of(self, gesture: int) -> BasketLine | None:
        """The main line of a gesture (the item, not its deposit)."""
        for line in self.lines:
            if line.gesture == gesture and line.source is not Source.DEPOSIT:
                return line
        return None

    @property
    def item_count(self) -> int:
        """Pieces and weighed lines of goods (what the cashier counts)."""
        return sum(
            1 if line.weighed else line.line.quantity
            for line in self.lines
            if line.source is Source.ITEM
        )


# --- pricing ----------------------------------------------------------------------------------


def line_of(entry: Entry, rule: PriceRule | None) -> SaleLine:
    """The line an entry gives (raises ``Refused``)."""
    if entry.source is Source.REFUND:
        assert entry.refund_line is not None
        return entry.refund_line
    if entry.source is Source.RETURN:
        return deposit_line(entry.item, entry.quantity, returned=True)
    discount = entry.discount or entry.label_discount
    if entry.label_price_cents is not None:
        return labelled_line(entry.item, entry.label_price_cents, rule=rule, discount=discount)
    if entry.item.by_weight:
        return product_line(entry.item, grams=entry.grams, rule=rule, discount=discount)
    return product_line(entry.item, quantity=entry.quantity, rule=rule, discount=discount)


def priced(basket: OpenBasket, changed: frozenset[int] | None = None) -> OpenBasket:
    """The basket with its lines priced from its entries (raises ``Refused``).

    ``changed``: the gestures whose entries changed; the others keep the lines they have
    (a scan prices one line, not the whole basket). None: every line is priced again (the
    member, hence the price rule, changed)."""
    rule = basket.member.rule if basket.member is not None else None
    kept: dict[int, list[BasketLine]] = {}
    if changed is not None:
        for old in basket.lines:
            if old.gesture not in changed:
                kept.setdefault(old.gesture, []).append(old)
    made: list[BasketLine] = []
    for entry in basket.entries:
        if entry.gesture in kept:
            made.extend(kept[entry.gesture])
            continue
        line = line_of(entry, rule)
        made.append(
            BasketLine(
                entry.gesture,
                entry.source,
                line,
                entry.code,
                entry.item.by_weight and entry.source is Source.ITEM,
                entry.label_price_cents is not None,
            )
        )
        if entry.source is Source.ITEM and entry.deposit is not None and not line.weighed:
            made.append(
                BasketLine(
                    entry.gesture,
                    Source.DEPOSIT,
                    deposit_line(entry.deposit, line.quantity),
                    entry.deposit.label,
                )
            )
    if not made and not basket.top_up_cents and not basket.outside_goods_cents:
        return dataclasses.replace(basket, lines=(), sale=None)
    if basket.discount is None and all(
        line.line.sale_discount_cents == 0 for line in made
    ):  # no sale discount to share out: the lines are the sale's as they are
        lines = tuple(made)
        sale = PricedSale(
            tuple(line.line for line in lines),
            None,
            basket.top_up_cents,
            basket.share_cents,
            basket.fee_cents,
            basket.fee_year,
        )
        return dataclasses.replace(basket, lines=lines, sale=sale)
    sale = price_sale(
        [line.line for line in made],
        basket.discount,
        top_up_cents=basket.top_up_cents,
        share_cents=basket.share_cents,
        fee_cents=basket.fee_cents,
        fee_year=basket.fee_year,
    )
    lines = tuple(
        dataclasses.replace(line, line=sold) for line, sold in zip(made, sale.lines, strict=True)
    )
    return dataclasses.replace(basket, lines=lines, sale=sale)


# --- changes (each returns the new basket, priced) -------------------------------------------


def add_entry(basket: OpenBasket, entry: Entry) -> tuple[OpenBasket, int]:
    """Add a resolved item (merged into the same plain item if there is one): (basket, the
    gesture of the line that changed)."""
    if entry.mergeable:
        for index, other in enumerate(basket.entries):
            if other.mergeable and other.item == entry.item and other.deposit == entry.deposit:
                merged = dataclasses.replace(other, quantity=other.quantity + entry.quantity)
                entries = (*basket.entries[:index], merged, *basket.entries[index + 1 :])
                changed = dataclasses.replace(
                    basket, entries=entries, last_gesture=basket.last_gesture + 1
                )
                return priced(changed, frozenset({other.gesture})), other.gesture
    gesture = basket.last_gesture + 1
    entry = dataclasses.replace(entry, gesture=gesture)
    changed = dataclasses.replace(basket, entries=(*basket.entries, entry), last_gesture=gesture)
    return priced(changed, frozenset({gesture})), gesture


def stick_discount_label(basket: OpenBasket, discount: Discount, touched: int) -> OpenBasket:
    """A discount label applies to the item scanned just before it (``touched``, its line's
    gesture): that one piece is split off a merged line so the label reduces only it."""
    problem = InvalidInput(
        [Problem(_("a discount label must follow the item it is stuck on"), source=_("scan"))]
    )
    try:
        entry = basket.entry(touched)
    except KeyError:
        raise problem from None
    if entry.source is not Source.ITEM or entry.discount or entry.label_discount:
        raise problem
    if entry.mergeable and entry.quantity > 1:
        rest = dataclasses.replace(entry, quantity=entry.quantity - 1)
        gesture = basket.last_gesture + 1
        one = dataclasses.replace(entry, gesture=gesture, quantity=1, label_discount=discount)
        entries = tuple(rest if e.gesture == touched else e for e in basket.entries)
        return priced(
            dataclasses.replace(basket, entries=(*entries, one), last_gesture=gesture),
            frozenset({touched, gesture}),
        )
    return replace_entry(basket, dataclasses.replace(entry, label_discount=discount))


def replace_entry(basket: OpenBasket, entry: Entry) -> OpenBasket:
    entries = tuple(entry if e.gesture == entry.gesture else e for e in basket.entries)
    return priced(dataclasses.replace(basket, entries=entries), frozenset({entry.gesture}))


def remove_line(basket: OpenBasket, gesture: int) -> OpenBasket:
    """Remove a gesture's line (an item takes its deposit with it)."""
    basket.entry(gesture)  # KeyError for a gesture not in the basket
    entries = tuple(e for e in basket.entries if e.gesture != gesture)
    return priced(dataclasses.replace(basket, entries=entries), frozenset({gesture}))


def with_line_discount(
    basket: OpenBasket, gesture: int, discount: Discount | None, authorised_by: int | None
) -> OpenBasket:
    entry = basket.entry(gesture)
    changed = dataclasses.replace(basket, authorised_by=authorised_by or basket.authorised_by)
    return replace_entry(changed, dataclasses.replace(entry, discount=discount))


def with_sale_discount(
    basket: OpenBasket, discount: Discount | None, authorised_by: int | None
) -> OpenBasket:
    return priced(
        dataclasses.replace(
            basket, discount=discount, authorised_by=authorised_by or basket.authorised_by
        )
    )


# --- a quantity or a weight as the cashier types it -------------------------------------------


def parse_weight(text: str, limits: TillSettings, name: str = "") -> int:
    """Grams from ``750``, ``750g``, ``0,750kg`` or ``0,75`` (a comma: kilograms), at most
    ``[till] max_line_grams``; ValueError with the sentence otherwise."""
    cleaned = text.strip().lower().replace(" ", "").replace("\xa0", "")
    if re.fullmatch(r"[0-9]{1,9}", cleaned, re.ASCII):
        cleaned += "g"  # a whole number typed alone is grams (what a scale shows)
    grams = parse_quantity(cleaned, by_weight=True, name=name)
    if grams > limits.max_line_grams:
        raise ValueError(
            _("{value} is more than the limit of {limit} ([till] settings).").format(
                value=format_quantity(grams, True),
                limit=format_quantity(limits.max_line_grams, True),
            )
        )
    return grams


def parse_pieces(text: str, limits: TillSettings, name: str = "") -> int:
    """A whole number of pieces, at most ``[till] max_line_quantity``."""
    pieces = parse_quantity(text, by_weight=False, name=name)
    if pieces > limits.max_line_quantity:
        raise ValueError(
            _("{value} is more than the limit of {limit} ([till] settings).").format(
                value=pieces, limit=limits.max_line_quantity
            )
        )
    return pieces


def change_line(basket: OpenBasket, gesture: int, text: str, limits: TillSettings) -> OpenBasket:
    """F3: a new weight for a weighed line, a new number of pieces otherwise (a refund's is
    ``coop.till.basket_service.change_refund``). ValueError with the sentence to show."""
    entry = basket.entry(gesture)
    name = entry.item.label
    if entry.source is Source.REFUND:
        raise ValueError(_("Change a refund's quantity with its own key (F7)."))
    if entry.label_price_cents is not None:
        raise ValueError(_("A price label is one piece: scan each label."))
    if entry.source is Source.ITEM and entry.item.by_weight:
        grams = parse_weight(text, limits, name)
        return replace_entry(basket, dataclasses.replace(entry, grams=grams, scale_label=False))
    pieces = parse_pieces(text, limits, name)
    return replace_entry(basket, dataclasses.replace(entry, quantity=pieces))


def refund_requests(entries: Sequence[Entry]) -> tuple[RefundRequest, ...]:
    return tuple(e.refund for e in entries if e.source is Source.REFUND and e.refund is not None)


def goods_lines(basket: OpenBasket) -> list[SaleLine]:
    """The lines a commit starts from: everything but refunds (the commit prices those again
    from their requests, with the originals locked)."""
    return [line.line for line in basket.lines if line.source is not Source.REFUND]


def is_refund(line: BasketLine) -> bool:
    return line.line.kind is LineKind.REFUND
