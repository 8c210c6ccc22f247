"""The counter's keys that change the basket through a dialog: a quantity or weight (F3), remove
a line (F4), containers brought back (F5), a discount (F6), a refund (F7), the weight of a
product sold by weight, another member's card on a basket, a product by name (Ctrl+F) or by a
quick key (Ctrl+G). Each asks, then makes one call to the core's basket API
(``CounterScreen.change`` in a worker, ``CounterScreen.propose`` for a pure change): only an
accepted basket replaces the one on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coop.i18n import _
from coop.money import format_money
from tui import counter_work as work
from tui.screens.counter_lines import quantity_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session

    from coop.rights import Actor, NotAllowed
    from tui.counter_work import MemberScanned, WeightNeeded
    from tui.screens.counter import CounterScreen


def enqueue_change(
    screen: CounterScreen, job: Callable[[Session, work.Shop], work.Changed]
) -> None:
    """Queue a change of the basket. Who is at the till (with whoever authorised on the spot)
    is read when the change runs, not when it was asked: a change retried after a second
    person's card and PIN (``CounterScreen.ask_second``) carries their name."""

    def run() -> None:
        shop = screen.shop()
        screen.change(lambda session: job(session, shop))

    screen.enqueue(run)


def authorise_on_the_spot(screen: CounterScreen, refusal: NotAllowed) -> None:
    """The cashier lacks a right: someone who holds it gives their card and PIN
    (``tui.screens.login.ask_second``), then the operation runs again with both names; nobody,
    and the refusal is said and the operation dropped."""
    from tui.screens.login import ask_second

    def authorised(second: Actor | None) -> None:
        if second is None:
            screen.say(str(refusal), "error")
            screen.run_next()
            return
        screen.second = second
        screen.operations.retry_current()

    ask_second(screen.app, refusal, authorised)


def ask_quantity(screen: CounterScreen) -> None:
    from coop.till.basket import Source
    from tui.screens.dialogs import TextDialog

    line = screen.selected()
    if line is None:
        screen.say(_("No line to change: scan an item first."), "error")
        return
    gesture = line.gesture
    if line.by_weight and line.weighed:
        title = _("Weight")
        prompt = _("New weight of {label} (750, 750g or 0,750kg)").format(label=line.line.label)
    elif line.price_label:
        screen.say(_("A price label is one piece: scan each label."), "error")
        return
    else:
        title = _("Quantity")
        shown = screen.basket.line_of(gesture) or line  # a deposit line changes its item
        prompt = _("New quantity for {label}").format(label=shown.line.label)
    refund = line.source is Source.REFUND

    def answered(text: str | None) -> None:
        if text is None:
            return
        if refund:
            if not text.isdigit() or int(text) <= 0:
                screen.say(_("“{text}” is not a quantity").format(text=text), "error")
                return
            count = int(text)
            enqueue_change(
                screen,
                lambda session, shop: work.change_refund(
                    session, shop, screen.basket, gesture, count
                ),
            )
            return
        limits = screen.settings.till
        from coop.till import basket as rules

        screen.propose(
            lambda basket: rules.change_line(basket, gesture, text, limits),
            _("Weight changed.") if line.by_weight else _("Quantity changed."),
        )

    screen.app.push_screen(
        TextDialog(title, prompt, value=quantity_of(line), max_length=12), answered
    )


def remove_line(screen: CounterScreen) -> None:
    from coop.till import basket as rules

    line = screen.selected()
    if line is None:
        screen.say(_("No line to remove."), "error")
        return
    gesture = line.gesture
    label = (screen.basket.line_of(gesture) or line).line.label
    screen.propose(
        lambda basket: rules.remove_line(basket, gesture),
        _("Removed: {label}").format(label=label),
    )


def ask_weight(screen: CounterScreen, needed: WeightNeeded) -> None:
    """A product sold by weight without a scale label: its weight, then the scan again."""
    from coop.text import sentence
    from coop.till import basket as rules
    from tui.screens.dialogs import TextDialog

    def wrong(text: str) -> str | None:
        """A weight the till refuses is said in the window, which stays open to retype it."""
        try:
            rules.parse_weight(text, screen.settings.till, needed.name)
        except ValueError as error:
            return sentence(str(error))
        return None

    def answered(text: str | None) -> None:
        if text is None:
            screen.say(_("Not weighed: nothing was added."), "info")
            screen.run_next()
            return
        try:
            grams = rules.parse_weight(text, screen.settings.till, needed.name)
        except ValueError as error:  # checked in the window already
            screen.say(str(error), "error")
            screen.run_next()
            return
        screen.start_scan(needed.code, grams)

    screen.app.push_screen(
        TextDialog(
            _("Weight"),
            _("{name} is sold by weight: its weight (750, 750g or 0,750kg)").format(
                name=needed.name
            ),
            max_length=12,
            check=wrong,
        ),
        answered,
    )


def confirm_member_change(
    screen: CounterScreen, scanned: MemberScanned, *, queued: bool = True
) -> None:
    """Another member's card on a basket: ask before moving the basket (and its prices, its
    prepaid-account payment) to them."""
    from tui.screens.dialogs import ConfirmDialog

    current = screen.basket.member
    assert current is not None
    who = f"{scanned.number} {scanned.name}".strip()

    def answered(yes: bool | None) -> None:
        if yes:
            if queued:
                screen.start_member(scanned.query)
            else:
                screen.enqueue(lambda: screen.start_member(scanned.query))
            return
        screen.say(
            _("The basket stays with member {number} {name}.").format(
                number=current.number, name=current.name
            ),
            "info",
        )
        if queued:
            screen.run_next()

    screen.app.bell()
    screen.app.push_screen(
        ConfirmDialog(
            _(
                "This basket ({total}) is member {number} {name}'s. Move it to member {other}?"
                " Prices and the prepaid account follow the new member."
            ).format(
                total=format_money(screen.basket.total_cents),
                number=current.number,
                name=current.name,
                other=who,
            ),
            yes=_("move the basket"),
            no=_("keep the basket"),
        ),
        answered,
    )


def ask_return(screen: CounterScreen) -> None:
    from tui.screens.basket_dialogs import ReturnDialog

    def answered(result: tuple[str, int] | None) -> None:
        if result is None:
            return
        code, count = result
        shop, rules = screen.shop(), screen.rules
        screen.enqueue(
            lambda: screen.change(
                lambda session: work.add_return(session, shop, screen.basket, code, count, rules)
            )
        )

    screen.app.push_screen(ReturnDialog(classes="dialog"), answered)


def ask_discount(screen: CounterScreen) -> None:
    from coop.till.basket import Source
    from tui.screens.basket_dialogs import DiscountDialog

    line = screen.selected()
    item = line if line is not None and line.source is Source.ITEM else None

    def answered(result: tuple[Any, bool, int | None] | None) -> None:
        if result is None:
            return
        discount, whole, authorised = result
        gesture = None if whole or item is None else item.gesture
        enqueue_change(
            screen,
            lambda session, shop: work.discount(
                session, shop, screen.basket, gesture, discount, authorised
            ),
        )

    screen.app.push_screen(
        DiscountDialog(
            item.line.label if item is not None else None,
            screen.settings.till.cashier_discount_percent,
        ),
        answered,
    )


def ask_refund(screen: CounterScreen) -> None:
    """F7: the original sale (its number or the receipt's barcode), its member, its lines."""
    from tui.screens.basket_dialogs import RefundDialog

    def answered(result: Any) -> None:
        if result is None:
            return
        refund, member = result
        enqueue_change(
            screen,
            lambda session, shop: work.add_refund(session, shop, screen.basket, refund, member),
        )

    screen.app.push_screen(RefundDialog(screen.settings.till.till), answered)


def ask_membership(screen: CounterScreen) -> None:
    """Ctrl+T: capital shares and the yearly fee (``tui.screens.membership_dialog``)."""
    from tui.screens.membership_dialog import ask_membership as ask

    ask(screen)


def search_product(screen: CounterScreen, query: str) -> None:
    """Ctrl+F (or words typed in the scan field): a product by name, then scanned."""
    from tui.screens.counter_find import ProductSearchDialog

    def chosen(code: str | None) -> None:
        if code is not None:
            screen.enqueue(lambda: screen.start_scan(code))

    screen.app.push_screen(ProductSearchDialog(query), chosen)


def show_quick_keys(screen: CounterScreen) -> None:
    """Ctrl+G: the grid of quick keys (``[till] quick_keys``), a key picks the product."""
    from tui.screens.counter_find import QuickKeysDialog

    def chosen(code: str | None) -> None:
        if code is not None:
            screen.enqueue(lambda: screen.start_scan(code))

    screen.app.push_screen(QuickKeysDialog(screen.settings.till.quick_keys), chosen)
