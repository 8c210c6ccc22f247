"""Sale lines and sale totals: what each line costs, in integer cents including VAT.

Pure rules on plain values: the service turns products into ``Item`` snapshots, calls these
functions and persists what they return. Every rounding happens once, at a named place, with a
named rule (``money.ROUNDING`` unless a price rule or a discount says otherwise):

- a weighed line: ``money.price_for_quantity(unit price per kg or litre, grams / 1000)``;
- a member category's price rule: on the *unit* price (per piece, per kg), then the quantity;
- a percentage discount: on the line's amount (line discount) or on the sum of the goods
  (sale discount), then shared out over the goods lines with the largest-remainder method
  (``money.split_evenly``) so that each VAT rate carries its own part of the reduction;
- a partial refund: the original line's *paid* amount (after every discount) in proportion to
  the quantity, computed cumulatively so that refunding everything in several goes gives back
  exactly what was paid, never a cent more.

Signs: ``gross_cents`` and ``amount_cents`` are positive for goods sold and deposits charged,
negative for deposits returned and refunds. Quantities are always positive ints: pieces, or grams
(millilitres) when ``weighed``. Discounts are positive reductions and never make a line negative.
"""

from __future__ import annotations

import dataclasses
import decimal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum

from coop.money import HUNDRED, ROUNDING, VatSplit, price_for_quantity, split_evenly, vat_summary
from coop.till.refusals import Refusal, Refused
from coop.units import GRAMS_PER_KG

ROUNDING_NAMES = frozenset(
    {
        decimal.ROUND_CEILING,
        decimal.ROUND_DOWN,
        decimal.ROUND_FLOOR,
        decimal.ROUND_HALF_DOWN,
        decimal.ROUND_HALF_EVEN,
        decimal.ROUND_HALF_UP,
        decimal.ROUND_UP,
        decimal.ROUND_05UP,
    }
)


# --- checking plain values ---------------------------------------------------------------------


def check_int(value: object, field: str) -> int:
    """An int that is not a bool (True is 1 to Python, never to a cashier)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refused(Refusal.NOT_AN_INTEGER, field, value)
    return value


def check_decimal(value: object, field: str) -> Decimal:
    """A finite Decimal; ints are accepted (10 → Decimal(10)), floats never."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise Refused(Refusal.NOT_A_DECIMAL, field, value)
    return value


def check_rounding(value: object, field: str = "rounding") -> str:
    if value not in ROUNDING_NAMES:
        raise Refused(Refusal.BAD_ROUNDING, field, value)
    return str(value)


def round_ratio(numerator: int | Decimal, denominator: int | Decimal, rounding: str) -> int:
    """numerator / denominator to a whole number with ``rounding``, exactly (no float, and a
    precision large enough that the only rounding is the named one)."""
    with localcontext() as context:
        context.prec = 60
        quotient = Decimal(numerator) / Decimal(denominator)
        return int(quotient.quantize(Decimal(1), rounding=rounding))


# --- what the till knows of a product ------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """A product as the till prices it (a snapshot: later catalogue edits do not touch sales).

    ``price_cents`` includes VAT and is per piece, or per kg / litre when ``by_weight``.
    A deposit (consigne) is an Item too, usually at VAT 0.
    """

    product_id: int
    label: str
    price_cents: int
    vat_rate: Decimal
    by_weight: bool = False

    def __post_init__(self) -> None:
        check_int(self.product_id, "product_id")
        if check_int(self.price_cents, "price_cents") < 0:
            raise Refused(Refusal.NEGATIVE_PRICE, "price_cents", self.price_cents)
        rate = check_decimal(self.vat_rate, "vat_rate")
        if not 0 <= rate < HUNDRED:
            raise Refused(Refusal.BAD_VAT_RATE, "vat_rate", rate)
        object.__setattr__(self, "vat_rate", rate)


@dataclass(frozen=True)
class PriceRule:
    """A member category's price: ``percent_off`` of the unit price, rounded with ``rounding``.

    10 is a 10 % solidarity price; a negative value is a surcharge (-20: non-members pay 20 %
    more). ``code`` names the rule on every line it priced, for the receipts and the audit.
    """

    code: str
    percent_off: Decimal
    rounding: str = ROUNDING

    def __post_init__(self) -> None:
        percent = check_decimal(self.percent_off, "percent_off")
        if not -HUNDRED <= percent <= HUNDRED:
            raise Refused(Refusal.BAD_PERCENT, "percent_off", percent)
        object.__setattr__(self, "percent_off", percent)
        check_rounding(self.rounding)

    def unit_price(self, price_cents: int) -> int:
        """price × (100 − percent_off) / 100, rounded once with the rule's rounding."""
        return round_ratio(price_cents * (HUNDRED - self.percent_off), HUNDRED, self.rounding)


class DiscountReason(StrEnum):
    """Why a cashier lowered a price (the permission to do so is the service's business)."""

    DAMAGED = "damaged"
    SHORT_DATE = "short_date"  # best-before or use-by date close
    PRICE_ERROR = "price_error"  # shelf label and till disagree
    GOODWILL = "goodwill"  # a gesture (complaint, long wait...)
    OTHER = "other"  # the note says why


@dataclass(frozen=True)
class Discount:
    """A reduction with its reason: either ``percent`` (0 < p ≤ 100, rounded with ``rounding``)
    or ``amount_cents`` (> 0), never both."""

    reason: DiscountReason
    percent: Decimal | None = None
    amount_cents: int | None = None
    note: str = ""
    rounding: str = ROUNDING

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason", DiscountReason(self.reason))
        if (self.percent is None) == (self.amount_cents is None):
            raise Refused(Refusal.DISCOUNT_PERCENT_OR_AMOUNT, "discount")
        if self.percent is not None:
            percent = check_decimal(self.percent, "percent")
            if not 0 < percent <= HUNDRED:
                raise Refused(Refusal.BAD_PERCENT, "percent", percent)
            object.__setattr__(self, "percent", percent)
        elif check_int(self.amount_cents, "amount_cents") <= 0:
            raise Refused(Refusal.DISCOUNT_NOT_POSITIVE, "amount_cents", self.amount_cents)
        check_rounding(self.rounding)

    def cents_off(self, base_cents: int) -> int:
        """The reduction on ``base_cents`` (not yet checked against it)."""
        if self.percent is not None:
            return round_ratio(base_cents * self.percent, HUNDRED, self.rounding)
        assert self.amount_cents is not None
        return self.amount_cents


# --- lines -------------------------------------------------------------------------------------


class LineKind(StrEnum):
    PRODUCT = "product"
    DEPOSIT_CHARGE = "deposit_charge"  # a container leaves the shop
    DEPOSIT_RETURN = "deposit_return"  # a container comes back: negative amount
    REFUND = "refund"  # part or all of an earlier sale's line: negative amount


REFUNDABLE = frozenset({LineKind.PRODUCT, LineKind.DEPOSIT_CHARGE})


@dataclass(frozen=True)
class LineRef:
    """A committed sale's line: the till, the sale's gapless number, the line's 1-based position."""

    till_id: int
    sale_number: int
    line_no: int


@dataclass(frozen=True)
class SaleLine:
    """One line of a sale. ``amount_cents`` (incl. VAT) is what the line weighs in the total.

    ``list_price_cents`` is the catalogue price, ``unit_price_cents`` the price after the member
    category's rule (``rule_code``), both per piece or per kg/litre. ``gross_cents`` is the unit
    price times the quantity, rounded once, signed by kind. ``sale_discount_cents`` is this line's
    share of a sale discount, set by ``price_sale``.
    """

    kind: LineKind
    product_id: int
    label: str
    vat_rate: Decimal
    quantity: int
    weighed: bool
    list_price_cents: int
    unit_price_cents: int
    gross_cents: int
    line_discount_cents: int = 0
    line_discount: Discount | None = None
    sale_discount_cents: int = 0
    rule_code: str | None = None
    refund_of: LineRef | None = None

    @property
    def amount_cents(self) -> int:
        return self.gross_cents - self.line_discount_cents - self.sale_discount_cents

    @property
    def discount_cents(self) -> int:
        return self.line_discount_cents + self.sale_discount_cents


def _quantity(item: Item, quantity: int | None, grams: int | None) -> tuple[int, bool]:
    if quantity is not None and grams is not None:
        raise Refused(Refusal.QUANTITY_AND_WEIGHT, "grams", grams)
    if item.by_weight:
        if grams is None:
            raise Refused(Refusal.WEIGHT_REQUIRED, "grams")
        field, value = "grams", grams
    else:
        if grams is not None:
            raise Refused(Refusal.NOT_SOLD_BY_WEIGHT, "grams", grams)
        field, value = "quantity", 1 if quantity is None else quantity
    if check_int(value, field) <= 0:
        raise Refused(Refusal.QUANTITY_NOT_POSITIVE, field, value)
    return value, item.by_weight


def _line_discount(gross: int, discount: Discount | None) -> int:
    if discount is None:
        return 0
    off = discount.cents_off(gross)
    if off > gross:
        raise Refused(Refusal.DISCOUNT_EXCEEDS_LINE, "discount", gross)
    return off


def product_line(
    item: Item,
    *,
    quantity: int | None = None,
    grams: int | None = None,
    rule: PriceRule | None = None,
    discount: Discount | None = None,
) -> SaleLine:
    """A line of goods: ``quantity`` pieces (default 1), or ``grams`` (or ml) of a weighed item.

    Worked example: 750 g of lentils at 3,90 €/kg → 3,90 × 0,750 = 2,925 → 2,93 €.
    """
    count, weighed = _quantity(item, quantity, grams)
    unit = rule.unit_price(item.price_cents) if rule is not None else item.price_cents
    # grams of a per-kg price (ml of a per-litre one), rounded once; pieces are exact
    per_unit = Decimal(count) / GRAMS_PER_KG if weighed else Decimal(count)
    gross = price_for_quantity(unit, per_unit)
    return SaleLine(
        kind=LineKind.PRODUCT,
        product_id=item.product_id,
        label=item.label,
        vat_rate=item.vat_rate,
        quantity=count,
        weighed=weighed,
        list_price_cents=item.price_cents,
        unit_price_cents=unit,
        gross_cents=gross,
        line_discount_cents=_line_discount(gross, discount),
        line_discount=discount,
        rule_code=rule.code if rule is not None else None,
    )


def labelled_line(
    item: Item,
    price_cents: int,
    *,
    rule: PriceRule | None = None,
    discount: Discount | None = None,
) -> SaleLine:
    """One piece whose price is printed on a price-embedded label (e.g. a cut of cheese).

    The label carries the public price; the member category's rule still applies to it.
    """
    if check_int(price_cents, "price_cents") < 0:
        raise Refused(Refusal.NEGATIVE_PRICE, "price_cents", price_cents)
    labelled = dataclasses.replace(item, price_cents=price_cents, by_weight=False)
    return product_line(labelled, quantity=1, rule=rule, discount=discount)


def deposit_line(deposit: Item, count: int, *, returned: bool = False) -> SaleLine:
    """Containers charged (``returned=False``) or taken back, at the deposit product's price and
    VAT rate; never discounted nor subject to a member's price rule."""
    if check_int(count, "count") <= 0:
        raise Refused(Refusal.QUANTITY_NOT_POSITIVE, "count", count)
    if deposit.by_weight:
        raise Refused(Refusal.NOT_SOLD_BY_WEIGHT, "deposit", deposit.product_id)
    sign = -1 if returned else 1
    return SaleLine(
        kind=LineKind.DEPOSIT_RETURN if returned else LineKind.DEPOSIT_CHARGE,
        product_id=deposit.product_id,
        label=deposit.label,
        vat_rate=deposit.vat_rate,
        quantity=count,
        weighed=False,
        list_price_cents=deposit.price_cents,
        unit_price_cents=deposit.price_cents,
        gross_cents=sign * deposit.price_cents * count,
    )


def refunded_quantity(ref: LineRef, lines: Iterable[SaleLine]) -> int:
    """How much of the line ``ref`` the given (committed) lines have already refunded."""
    return sum(line.quantity for line in lines if line.refund_of == ref)


def _paid_for(amount: int, quantity: int, sold: int) -> int:
    """The part of a line's paid ``amount`` that ``quantity`` of ``sold`` stands for."""
    return round_ratio(amount * quantity, sold, ROUNDING)


def refund_line(
    original: SaleLine, ref: LineRef, quantity: int, *, already_refunded: int = 0
) -> SaleLine:
    """Give back ``quantity`` (pieces or grams) of a committed line, at the price actually paid.

    Refused beyond what was sold minus what was already refunded (``value``: what is left).
    Cumulative: refunding 1, then 2 of a 3-piece line paid 5,37 € gives 1,79 € then 3,58 €.
    """
    if original.kind not in REFUNDABLE:
        raise Refused(Refusal.NOT_REFUNDABLE, "original", original.kind)
    done = check_int(already_refunded, "already_refunded")
    if check_int(quantity, "quantity") <= 0:
        raise Refused(Refusal.QUANTITY_NOT_POSITIVE, "quantity", quantity)
    left = original.quantity - done
    if quantity > left:
        raise Refused(Refusal.REFUND_EXCEEDS_SOLD, "quantity", max(left, 0))
    paid = original.amount_cents
    amount = _paid_for(paid, done + quantity, original.quantity) - _paid_for(
        paid, done, original.quantity
    )
    return SaleLine(
        kind=LineKind.REFUND,
        product_id=original.product_id,
        label=original.label,
        vat_rate=original.vat_rate,
        quantity=quantity,
        weighed=original.weighed,
        list_price_cents=original.list_price_cents,
        unit_price_cents=original.unit_price_cents,
        gross_cents=-amount,
        rule_code=original.rule_code,
        refund_of=ref,
    )


# --- the sale ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PricedSale:
    """The lines of a sale with any sale discount shared out, and a prepaid-account top-up.

    A top-up is money put on the member's account, not turnover: it is in ``total_cents`` (what
    is paid) but in no VAT line. Capital shares (``share_cents``) and the association's yearly
    fee of ``fee_year`` (``fee_cents``) paid at the till are the same: paid, outside VAT and
    outside turnover.
    """

    lines: tuple[SaleLine, ...]
    discount: Discount | None = None
    top_up_cents: int = 0
    share_cents: int = 0
    fee_cents: int = 0
    fee_year: int | None = None

    @property
    def membership_cents(self) -> int:
        """Shares and fee: paid at the till, neither goods nor a top-up."""
        return self.share_cents + self.fee_cents

    @property
    def goods_cents(self) -> int:
        """Turnover incl. VAT: the sum of the lines (refunds and deposit returns negative)."""
        return sum(line.amount_cents for line in self.lines)

    @property
    def total_cents(self) -> int:
        """What the customer pays (negative: what the till pays out)."""
        return self.goods_cents + self.top_up_cents + self.membership_cents

    @property
    def vat(self) -> tuple[VatSplit, ...]:
        """Per VAT rate, ascending: incl. VAT summed per rate, then split once (money)."""
        return tuple(vat_summary((line.amount_cents, line.vat_rate) for line in self.lines))

    @property
    def discount_cents(self) -> int:
        return sum(line.discount_cents for line in self.lines)

    @property
    def refund_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines if line.kind is LineKind.REFUND)

    def kind_cents(self, kind: LineKind) -> int:
        return sum(line.amount_cents for line in self.lines if line.kind is kind)


def price_sale(
    lines: Sequence[SaleLine],
    discount: Discount | None = None,
    *,
    top_up_cents: int = 0,
    share_cents: int = 0,
    fee_cents: int = 0,
    fee_year: int | None = None,
) -> PricedSale:
    """Put lines together, share a sale ``discount`` over the goods lines, add a ``top_up``.

    The sale discount is computed once on the goods (product lines, after their own discounts)
    and split in proportion to them; deposits and refunds are never discounted. Pricing the same
    lines again gives the same result (the shares are recomputed, not added).
    """
    if check_int(top_up_cents, "top_up_cents") < 0:
        raise Refused(Refusal.AMOUNT_NOT_POSITIVE, "top_up_cents", top_up_cents)
    for name, cents in (("share_cents", share_cents), ("fee_cents", fee_cents)):
        if check_int(cents, name) < 0:
            raise Refused(Refusal.AMOUNT_NOT_POSITIVE, name, cents)
    if not lines and top_up_cents == 0 and share_cents == 0 and fee_cents == 0:
        raise Refused(Refusal.EMPTY_SALE, "lines")
    bases = [
        line.gross_cents - line.line_discount_cents if line.kind is LineKind.PRODUCT else 0
        for line in lines
    ]
    shares = [0] * len(lines)
    if discount is not None:
        discountable = sum(bases)
        if discountable <= 0:
            raise Refused(Refusal.NOTHING_TO_DISCOUNT, "discount")
        off = discount.cents_off(discountable)
        if off > discountable:
            raise Refused(Refusal.DISCOUNT_EXCEEDS_SALE, "discount", discountable)
        shares = split_evenly(off, bases)
    priced = tuple(  # a line already holding its share is kept (a frozen value: the same)
        line
        if line.sale_discount_cents == share
        else dataclasses.replace(line, sale_discount_cents=share)
        for line, share in zip(lines, shares, strict=True)
    )
    return PricedSale(
        lines=priced,
        discount=discount,
        top_up_cents=top_up_cents,
        share_cents=share_cents,
        fee_cents=fee_cents,
        fee_year=fee_year if fee_cents else None,
    )
