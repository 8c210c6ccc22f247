"""The counter's keys that change the basket through a dialog: a quantity or weight (F3), remove
a line (F4), containers brought back (F5), a discount (F6), a refund (F7). Each asks, then
proposes the changed cart (``CounterScreen.propose``): the core prices it and only an accepted
cart replaces the basket.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from coop.i18n import _
from tui.widgets.receipt import quantity_text

if TYPE_CHECKING:
    from tui.screens.counter import CounterScreen
    from tui.screens.counter_cart import Row


def ask_quantity(screen: CounterScreen) -> None:
    from tui.screens.dialogs import TextDialog

    row = screen.selected()
    if row is None:
        screen.say(_("No line to change: scan an item first."), "error")
        return
    if row.source in ("item", "deposit"):
        weighed = row.line["weighed"] if row.source == "item" else False
        prompt = (
            _("New weight (750g or 0,750kg)")
            if weighed
            else _("New quantity for {label}").format(label=row.line["label"])
        )
    else:
        prompt = _("New quantity")

    def answered(text: str | None) -> None:
        if text is None:
            return
        change_quantity(screen, row, text)

    screen.app.push_screen(
        TextDialog(_("Quantity"), prompt, value=quantity_text(row.line), max_length=12),
        answered,
    )


def change_quantity(screen: CounterScreen, row: Row, text: str) -> None:
    from coop.errors import InvalidInput
    from coop.till.basket_file import item_from_word

    if row.source in ("item", "deposit"):
        try:
            parsed = item_from_word(f"x:{text.replace(' ', '')}", _("quantity"))
        except InvalidInput as error:
            screen.say(error.summary(), "error")
            return
        index = row.index
        screen.propose(
            lambda cart: cart.replace_item(
                index, replace(cart.items[index], quantity=parsed.quantity, grams=parsed.grams)
            ),
            _("Quantity changed."),
        )
        return
    if not text.isdigit() or int(text) <= 0:
        screen.say(_("“{text}” is not a quantity").format(text=text), "error")
        return
    count, index = int(text), row.index
    if row.source == "return":
        screen.propose(lambda cart: cart.replace_return(index, count), _("Quantity changed."))
    else:
        screen.propose(lambda cart: cart.replace_refund(index, count), _("Quantity changed."))


def remove_line(screen: CounterScreen) -> None:
    row = screen.selected()
    if row is None:
        screen.say(_("No line to remove."), "error")
        return
    index = row.index
    label = row.line["label"]
    said = _("Removed: {label}").format(label=label)
    if row.source in ("item", "deposit"):
        screen.propose(lambda cart: cart.remove_item(index), said)
    elif row.source == "return":
        screen.propose(lambda cart: cart.remove_return(index), said)
    else:
        screen.propose(lambda cart: cart.remove_refund(index), said)


def ask_return(screen: CounterScreen) -> None:
    from tui.screens.basket_dialogs import ReturnDialog

    def answered(result: tuple[str, int] | None) -> None:
        if result is not None:
            code, count = result
            screen.propose(
                lambda cart: cart.add_return(code, count),
                _("Containers brought back: {count}").format(count=count),
            )

    screen.app.push_screen(ReturnDialog(classes="dialog"), answered)


def ask_discount(screen: CounterScreen) -> None:
    from tui.screens.basket_dialogs import DiscountDialog

    row = screen.selected()
    line_row = row if row is not None and row.source == "item" else None

    def answered(result: tuple[Any, bool, int | None] | None) -> None:
        if result is None:
            return
        discount, whole, authorised = result
        if whole or line_row is None:
            screen.propose(
                lambda cart: cart.with_discount(discount, authorised),
                _("Discount on the sale."),
            )
        else:
            index = line_row.index
            screen.propose(
                lambda cart: cart.with_line_discount(index, discount, authorised),
                _("Discount on the line."),
            )

    screen.app.push_screen(
        DiscountDialog(
            line_row.line["label"] if line_row is not None else None,
            screen.settings.till.cashier_discount_percent,
        ),
        answered,
    )


def ask_refund(screen: CounterScreen) -> None:
    from tui.screens.basket_dialogs import RefundDialog

    def answered(refund: Any) -> None:
        if refund is not None:
            screen.propose(
                lambda cart: cart.add_refund(refund),
                _("Refund of sale {number}, line {line}.").format(
                    number=refund.sale_number, line=refund.line_no
                ),
            )

    screen.app.push_screen(RefundDialog(screen.settings.till.till), answered)
