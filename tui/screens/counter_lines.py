"""The counter's basket lines as the cashier reads them: the cells of one line (what it is,
quantity or weight in kg, unit price or €/kg, amount) and the column widths that fit the
terminal, 80 columns included."""

from __future__ import annotations

from coop.config import MembershipSettings
from coop.i18n import _, ngettext
from coop.money import format_money
from coop.till.basket import BasketLine, OpenBasket, Source
from coop.units import format_quantity
from tui.widgets.receipt import vat_lines

SIDE_WIDE = 46
SIDE_NARROW = 22
WIDE = 110
"""From this many columns the side panel (totals, receipt) gets its full width."""


def side_width(width: int) -> int:
    return SIDE_WIDE if width >= WIDE else SIDE_NARROW


def column_widths(width: int) -> tuple[int, int, int, int]:
    """Item, quantity, unit price, amount: the numbers keep their width, the item takes what
    is left of the table (the side panel, its border, the scroll bar and cell padding)."""
    if width >= WIDE:
        return (34, 10, 11, 11)
    numbers = (8, 9, 8)
    label = width - side_width(width) - 1 - 2 - 2 * 4 - sum(numbers)
    return (max(label, 12), *numbers)


def label_of(line: BasketLine) -> str:
    sold = line.line
    if line.source is Source.DEPOSIT:
        return _("  deposit: {label}").format(label=sold.label)
    if line.source is Source.RETURN:
        return _("Returned: {label}").format(label=sold.label)
    if line.source is Source.REFUND:
        ref = sold.refund_of
        return _("↩ {label} (sale {number})").format(
            label=sold.label, number=ref.sale_number if ref is not None else "?"
        )
    if sold.discount_cents:
        return _("{label} (discount {amount})").format(
            label=sold.label, amount=format_money(sold.discount_cents)
        )
    return sold.label


def quantity_of(line: BasketLine) -> str:
    sold = line.line
    if sold.weighed:
        return format_quantity(abs(sold.quantity), True)
    return str(sold.quantity)


def unit_price_of(line: BasketLine) -> str:
    sold = line.line
    if line.by_weight and sold.weighed:
        return _("{price}/kg").format(price=format_money(sold.unit_price_cents))
    return format_money(sold.unit_price_cents)


def cells(line: BasketLine, label_width: int = 34) -> tuple[str, str, str, str]:
    return (
        label_of(line)[:label_width],
        quantity_of(line),
        unit_price_of(line),
        format_money(line.line.amount_cents),
    )


def dues_cells(
    basket: OpenBasket, settings: MembershipSettings, label_width: int = 34
) -> list[tuple[str, str, str, str]]:
    """Capital shares and the yearly fee as rows after the goods, in words (whole shares: their
    number and nominal value in the quantity and price columns); outside VAT."""
    rows: list[tuple[str, str, str, str]] = []
    value = settings.share_value_cents
    if basket.share_cents and value and basket.share_cents % value == 0:
        count = str(basket.share_cents // value)
        rows.append((_("Capital shares")[:label_width], count, format_money(value), ""))
    elif basket.share_cents:
        rows.append((_("Capital shares (instalment)")[:label_width], "", "", ""))
    if basket.fee_cents:
        label = _("Fee {year}").format(year=basket.fee_year or "")
        rows.append((label[:label_width], "", "", ""))
    amounts = [basket.share_cents] if basket.share_cents else []
    amounts += [basket.fee_cents] if basket.fee_cents else []
    return [(*row[:3], format_money(cents)) for row, cents in zip(rows, amounts, strict=True)]


def totals_text(basket: OpenBasket) -> str:
    """The side panel: the total, how many items, the discounts, the VAT per rate."""
    sale = basket.sale
    if sale is None:
        return _("TOTAL {amount}").format(amount=format_money(0))
    text = [_("TOTAL {amount}").format(amount=format_money(sale.total_cents))]
    count = basket.item_count
    text.append(ngettext("{count} item", "{count} items", count).format(count=count))
    if sale.discount_cents:
        text.append(
            _("of which discounts: {amount}").format(amount=format_money(sale.discount_cents))
        )
    text.extend(vat_lines(sale.vat))
    if sale.membership_cents:
        text.append(
            _("Shares and fee, outside VAT: {amount}").format(
                amount=format_money(sale.membership_cents)
            )
        )
    return "\n".join(text)
