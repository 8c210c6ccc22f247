"""The counter (caisse): scan the member card, scan the items, take the payment, print nothing yet.

Everything the cashier does is a key: the scan field always has the focus (a scan is digits then
Enter; AZERTY-shifted digits are read by the core), the function keys in the footer do the rest.

How the work flows: each scan or change of the basket is an *operation*, run one at a time in
order (``enqueue``): a fast scanner never overtakes itself and a second scan never reads a basket
the first has not finished. Each operation is one call into the core's basket API
(``coop.till.basket_service`` in a worker, or a pure change of ``coop.till.basket``): it returns
the new priced basket, whose lines say which gesture made them; only an accepted basket replaces
the one on screen, so a refused scan leaves the basket as it was, says why and rings. The
member's desk check runs once, when the card is scanned; a second member's card on a basket
asks before moving it. A product sold by weight without a scale label asks for its weight;
a word typed in the scan field (``pain``) or Ctrl+F finds a product by name, Ctrl+G shows the
quick keys of unlabelled products. Paying opens the payment dialog (cash and the exact amount
already typed: Enter settles it) and commits in one transaction, with the basket's token so
that a second Enter, a retry after a busy database or any double commit is refused by the core.
A member the desk check refuses can be let through with a reason (asked at the first item;
logged with the sale).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Header, Static

from coop.i18n import N_, _
from coop.money import format_money
from coop.rights import Actor, NotAllowed
from coop.till.basket import OpenBasket
from coop.till.payments import Means, PaymentPolicy
from tui import counter_work as work
from tui.counter_work import Changed, MemberScanned, OperationQueue, ScanRefused, Shop, WeightNeeded
from tui.messages import WorkFailed, WorkResult
from tui.screens import counter_keys as keys
from tui.screens.base import ComptoirScreen
from tui.screens.counter_lines import cells, column_widths, dues_cells, side_width, totals_text
from tui.widgets.key_bar import KeyBar
from tui.widgets.member_banner import MemberBanner
from tui.widgets.receipt import receipt_text
from tui.widgets.scan_field import ScanField
from tui.widgets.till_bar import TillBar
from tui.work import run_work

if TYPE_CHECKING:
    from coop.config import Settings
    from coop.shifts.desk import DeskCheck
    from coop.till.basket import BasketLine


class ScanRead(WorkResult[Changed | MemberScanned | WeightNeeded | ScanRefused]):
    """A scan read by the core: the new basket, or what to ask or say."""


class BasketPriced(WorkResult[Changed]):
    """A change of the basket the core accepted."""


class BasketRefused(WorkFailed):
    """A scan or a change the core refused (``code`` says why: ``may_not_shop``…)."""


class SaleCommitted(WorkResult[work.Recorded]):
    """The sale was recorded: its receipt."""


class CommitFailed(WorkFailed):
    """The sale was not recorded (``code``: ``may_not_shop``, ``already_committed``…)."""


class CounterScreen(ComptoirScreen):
    CSS_PATH = "counter.tcss"
    AUTO_FOCUS = "#scan"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "member_search", N_("Member"), id="counter-member", key_display="F2"),
        Binding("f3", "quantity", N_("Qty/weight"), id="counter-quantity", key_display="F3"),
        Binding("f4", "remove", N_("Remove"), id="counter-remove", key_display="F4"),
        Binding("f5", "deposit_return", N_("Deposit"), id="counter-return", key_display="F5"),
        Binding("f6", "discount", N_("Discount"), id="counter-discount", key_display="F6"),
        Binding("f7", "refund", N_("Refund"), id="counter-refund", key_display="F7"),
        Binding("f8", "print_receipt", N_("Till receipt"), id="counter-print", key_display="F8"),
        Binding("f9", "pay", N_("Pay"), id="counter-pay", key_display="F9"),
        Binding("f10", "cancel_sale", N_("Cancel"), id="counter-cancel", key_display="F10"),
        Binding("f11", "open_till", N_("Open till"), id="counter-open", key_display="F11"),
        Binding("f12", "close_till", N_("Close till"), id="counter-close", key_display="F12"),
        Binding(
            "ctrl+f", "product_search", N_("Find item"), id="counter-find", key_display="Ctrl+F"
        ),
        Binding("ctrl+g", "quick_keys", N_("Quick keys"), id="counter-quick", key_display="Ctrl+G"),
        Binding("ctrl+t", "dues", N_("Shares/fee"), id="counter-dues", key_display="Ctrl+T"),
        Binding("up", "cursor(-1)", N_("Previous line"), show=False),
        Binding("down", "cursor(1)", N_("Next line"), show=False),
        # The key bar wraps: Ctrl+O (print menu) is listed like every other key.
        Binding("ctrl+o", "app.print_menu", N_("Print"), key_display="Ctrl+O"),
    ]

    def __init__(self) -> None:
        super().__init__(id="counter")
        self.basket = OpenBasket()
        self.check: DeskCheck | None = None
        self.balance_cents: int | None = None
        self.overdraft_cents = 0
        self.operations = OperationQueue()
        self.last_receipt: work.Recorded | None = None
        self.rules = work.Rules()
        self.touched = 0
        """The gesture of the line the last scan changed (a discount label applies to it)."""

    @property
    def cart(self) -> OpenBasket:
        """The basket on screen (the name the key helpers and older tests use)."""
        return self.basket

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield TillBar()
        yield MemberBanner()
        with Horizontal(id="counter-main"):
            yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
            with Vertical(id="side"):
                yield Static(id="totals")
                with VerticalScroll(id="receipt-scroll"):
                    yield Static(id="receipt")
        yield Static(id="scan-info")
        yield ScanField()
        yield KeyBar()  # every key, on two lines if need be (F1: the list)

    def on_mount(self) -> None:
        self.sub_title = _("Counter")
        self.set_columns()
        self.show_totals()
        self.call_after_refresh(self.ready)

    def set_columns(self) -> None:
        """Item, quantity, price and amount fit the width (80 columns included)."""
        table = self.query_one("#lines", DataTable)
        table.can_focus = False
        self.query_one("#side").styles.width = side_width(self.app.size.width)
        widths = column_widths(self.app.size.width)
        table.clear(columns=True)
        table.add_column(_("Item"), key="label", width=widths[0])
        table.add_column(_("Qty"), key="qty", width=widths[1])
        table.add_column(_("Unit price"), key="unit", width=widths[2])
        table.add_column(_("Amount"), key="amount", width=widths[3])
        self.shown: list[tuple[str, str, str, str]] = []
        self.cells_of: list[tuple[BasketLine, tuple[str, str, str, str]]] = []
        self.show_lines(self.basket)

    def on_resize(self) -> None:
        table = self.query_one("#lines", DataTable)
        if (
            table.columns
            and column_widths(self.app.size.width)[0] != next(iter(table.columns.values())).width
        ):
            self.set_columns()

    def ready(self) -> None:
        """The scan field is on screen with the focus: say so, then read the till's state."""
        self.comptoir.screen_ready()
        self.query_one(TillBar).load()

    def on_screen_resume(self) -> None:
        self.query_one(ScanField).focus()

    # --- settings and services ----------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self.comptoir.settings

    def now(self) -> datetime:
        return self.comptoir.clock()

    def shop(self) -> Shop:
        """What the jobs need, fixed now on the UI thread."""
        return Shop(self.settings, self.comptoir.actor.with_second(self.second), self.now())

    def payment_policy(self) -> PaymentPolicy:
        till = self.settings.till
        return PaymentPolicy(
            local_currency_name=till.local_currency or None,
            overdraft_cents=self.overdraft_cents,
            accepted=frozenset(Means(means) for means in till.means),
        )

    # --- the queue of operations (``tui.counter_work.OperationQueue``) --------------------------

    def enqueue(self, operation: Callable[[], None]) -> None:
        self.operations.enqueue(operation)

    def run_next(self) -> None:
        self.operations.run_next()

    # --- what the cashier reads ----------------------------------------------------------------

    def say(self, text: str, level: str = "info") -> None:
        info = self.query_one("#scan-info", Static)
        info.remove_class("-info", "-error", "-ok")
        info.add_class(f"-{level}")
        info.update(text)
        if level == "error":
            self.app.bell()
            self.app.notify(text, severity="error", timeout=6)

    @property
    def rows(self) -> tuple[BasketLine, ...]:
        return self.basket.lines

    def show_basket(self, basket: OpenBasket, gesture: int = 0) -> None:
        """Show ``basket``; the cursor goes to the line of ``gesture`` (the one just changed)."""
        self.basket = basket
        self.show_lines(basket, gesture)
        self.show_totals()
        if basket.sale is not None or basket.member is not None:
            self.query_one("#receipt", Static).update("")

    def show_lines(self, basket: OpenBasket, gesture: int = 0) -> None:
        table = self.query_one("#lines", DataTable)
        width = column_widths(self.app.size.width)[0]
        # a line the core did not price again is the same object: its cells are not redone
        cache = {id(line): row for line, row in self.cells_of}
        shown = [cache.get(id(line)) or cells(line, width) for line in basket.lines]
        self.cells_of = list(zip(basket.lines, shown, strict=True))
        shown += dues_cells(basket, self.settings.membership, width)
        keep = table.cursor_row
        kept = 0  # a scan usually changes the last line or adds one: keep the rows before it
        while kept < min(len(self.shown), len(shown)) and self.shown[kept] == shown[kept]:
            kept += 1
        if kept < table.row_count:
            if kept == 0:
                table.clear()
            else:
                for key in list(table.rows)[kept:]:
                    table.remove_row(key)
        table.add_rows(shown[kept:])
        self.shown = shown
        if basket.lines:
            target = min(keep, len(basket.lines) - 1) if keep >= 0 else 0
            if gesture:
                target = next(
                    (i for i, line in enumerate(basket.lines) if line.gesture == gesture), target
                )
            table.move_cursor(row=target)

    def show_totals(self) -> None:
        self.query_one("#totals", Static).update(totals_text(self.basket))

    def selected(self) -> BasketLine | None:
        table = self.query_one("#lines", DataTable)
        lines = self.basket.lines
        if not lines or table.cursor_row < 0 or table.cursor_row >= len(lines):
            return None
        return lines[table.cursor_row]

    def action_cursor(self, step: int) -> None:
        table = self.query_one("#lines", DataTable)
        if self.basket.lines:
            last = len(self.basket.lines) - 1
            table.move_cursor(row=max(0, min(last, table.cursor_row + step)))

    # --- the till (``tui.widgets.till_bar.TillBar``) -------------------------------------------

    @on(TillBar.Said)
    def till_said(self, message: TillBar.Said) -> None:
        self.say(message.text, message.level)

    def action_open_till(self) -> None:
        self.query_one(TillBar).ask_open()

    def action_close_till(self) -> None:
        if not self.basket.empty:
            self.say(_("Finish or cancel the sale in progress first (F9 or F10)."), "error")
            return
        self.query_one(TillBar).ask_close()

    def action_print_receipt(self) -> None:
        receipt = self.last_receipt
        if receipt is None:
            self.say(_("No receipt to print yet: F8 prints the last sale's."), "error")
            return
        self.query_one(TillBar).print_receipt(receipt)

    # --- scanning -------------------------------------------------------------------------------

    def on_scan_field_scanned(self, event: ScanField.Scanned) -> None:
        event.stop()
        text = event.text
        self.enqueue(lambda: self.start_scan(text))

    def start_scan(self, text: str, grams: int | None = None) -> None:
        basket, shop, rules, touched = self.basket, self.shop(), self.rules, self.touched
        run_work(
            self,
            lambda session: work.scan(
                session, shop, text, basket, rules, grams=grams, touched=touched
            ),
            done=ScanRead,
            failed=BasketRefused,
            read_only=True,
        )

    def start_member(self, query: str) -> None:
        basket, shop = self.basket, self.shop()
        run_work(
            self,
            lambda session: work.set_member(session, shop, query, basket),
            done=ScanRead,
            failed=BasketRefused,
            read_only=True,
        )

    @on(ScanRead)
    def scan_read(self, message: ScanRead) -> None:
        result = message.result
        if isinstance(result, ScanRefused) and result.query:
            self.say(result.message, "info")
            keys.search_product(self, result.query)
        elif isinstance(result, ScanRefused):
            self.say(result.message, "error")
        elif isinstance(result, MemberScanned):
            keys.confirm_member_change(self, result)
            return  # the dialog's answer runs the next operation
        elif isinstance(result, WeightNeeded):
            keys.ask_weight(self, result)
            return
        else:
            self.accept(result)
        self.run_next()

    def accept(self, result: Changed) -> None:
        """Show the basket the core accepted (and the member, when it was set)."""
        if result.member_set:
            self.show_member(result)
        else:
            self.show_basket(result.basket, result.gesture)
            if result.gesture:
                self.touched = result.gesture
            if result.said:
                self.say(result.said, "ok")

    def show_member(self, found: Changed) -> None:
        member = found.basket.member
        assert member is not None
        self.check = member.check  # type: ignore[assignment]
        self.balance_cents = found.balance_cents
        self.overdraft_cents = found.overdraft_cents
        self.query_one(MemberBanner).show_check(self.check, balance_cents=found.balance_cents)
        self.show_basket(found.basket)
        if found.said:
            self.say(found.said, "ok")
        elif member.can_shop:
            self.say(
                _("Member {number} {name}: may shop.").format(
                    number=member.number, name=member.name
                ),
                "ok",
            )
        else:
            self.say(
                _("Member {number} {name} may not shop: see the reasons above.").format(
                    number=member.number, name=member.name
                ),
                "error",
            )

    @on(BasketPriced)
    def basket_priced(self, message: BasketPriced) -> None:
        try:
            self.accept(message.result)
        finally:
            self.run_next()

    second: Actor | None = None
    """Whoever authorised the current sale on the spot (card and PIN); cleared once it is
    recorded (``counter_keys.authorise_on_the_spot``)."""

    @on(BasketRefused)
    def refused(self, message: BasketRefused) -> None:
        """A scan or a change the core refused: say why; offer the override when the member
        may not shop, a second person's authorisation when the cashier lacks a right; the
        operation is dropped otherwise."""
        message.prevent_default()
        if isinstance(message.error, NotAllowed):
            keys.authorise_on_the_spot(self, message.error)
            return
        if message.code == "may_not_shop":
            self.ask_override(message.text)
            return
        if message.code == "till_closed":
            self.say(_("The till is closed: F11 opens it (count the float)."), "error")
        else:
            self.say(message.text, "error")
        self.run_next()

    def ask_override(self, text: str) -> None:
        from coop.till import basket_service
        from tui.screens.dialogs import TextDialog

        def answered(reason: str | None) -> None:
            if reason is None:
                self.say(_("Not let through: nothing was added."), "error")
                self.run_next()
                return
            self.basket = basket_service.override(self.basket, reason)
            self.query_one(MemberBanner).show_check(
                self.check, balance_cents=self.balance_cents, override_reason=reason
            )
            self.operations.retry_current()

        self.app.bell()
        self.app.push_screen(
            TextDialog(
                _("This member may not shop"),
                text + "\n\n" + _("Why let them through anyway? (logged with the sale)"),
            ),
            answered,
        )

    # --- changing the basket --------------------------------------------------------------------

    def change(self, job: Callable[[Any], Changed]) -> None:
        """Run one basket API call in a worker; its basket replaces this one if accepted."""
        run_work(self, job, done=BasketPriced, failed=BasketRefused, read_only=True)

    def propose(self, change: Callable[[OpenBasket], OpenBasket], said: str = "") -> None:
        """A pure change of the basket (``coop.till.basket``), in the queue of operations."""

        def operation() -> None:
            try:
                changed = change(self.basket)
            except ValueError as error:  # also the core's refusals (``Refused``)
                self.say(str(error), "error")
            else:
                self.show_basket(changed)
                if said:
                    self.say(said, "ok")
            self.run_next()

        self.enqueue(operation)

    def action_member_search(self) -> None:
        from tui.screens.member_search import MemberSearchDialog

        def chosen(number: int | None) -> None:
            if number is None:
                return
            member = self.basket.member
            if member is not None and member.number != number and not self.basket.empty:
                keys.confirm_member_change(
                    self, MemberScanned(str(number), number, ""), queued=False
                )
            else:
                self.enqueue(lambda: self.start_member(str(number)))

        self.app.push_screen(MemberSearchDialog(), chosen)

    def action_product_search(self) -> None:
        keys.search_product(self, "")

    def action_quick_keys(self) -> None:
        keys.show_quick_keys(self)

    def action_dues(self) -> None:
        keys.ask_membership(self)

    def action_quantity(self) -> None:
        keys.ask_quantity(self)

    def action_remove(self) -> None:
        keys.remove_line(self)

    def action_deposit_return(self) -> None:
        keys.ask_return(self)

    def action_discount(self) -> None:
        keys.ask_discount(self)

    def action_refund(self) -> None:
        keys.ask_refund(self)

    def action_cancel_sale(self) -> None:
        from tui.screens.dialogs import ConfirmDialog

        if self.basket.empty and self.basket.member is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.enqueue(self.reset_sale)

        self.app.push_screen(
            ConfirmDialog(
                _("Cancel this sale? Nothing of it is recorded."),
                yes=_("cancel the sale"),
                no=_("keep it"),
            ),
            answered,
        )

    def clear_sale(self) -> None:
        self.check = None
        self.balance_cents = None
        self.overdraft_cents = 0
        self.touched = 0
        self.query_one(MemberBanner).show_check(None)
        self.show_basket(OpenBasket())

    def reset_sale(self) -> None:
        self.clear_sale()
        self.say(_("Ready for the next customer."), "info")
        self.run_next()

    # --- paying ---------------------------------------------------------------------------------

    def action_pay(self) -> None:
        self.enqueue(self.open_payment)

    def open_payment(self) -> None:
        from tui.screens.payment import PaymentDialog

        if self.basket.empty or self.basket.sale is None:
            self.say(_("Nothing to pay: scan the items first."), "error")
            self.run_next()
            return

        def answered(tenders: tuple[Any, ...] | None) -> None:
            if tenders is None:
                self.say(_("Payment cancelled: the basket is still here."), "info")
                self.run_next()
                return
            self.operations.current = lambda: self.commit(tenders)
            self.commit(tenders)

        self.app.push_screen(
            PaymentDialog(
                self.basket.total_cents,
                policy=self.payment_policy(),
                balance_cents=self.balance_cents,
                member=self.basket.member is not None,
            ),
            answered,
        )

    def commit(self, tenders: tuple[Any, ...]) -> None:
        basket, shop = self.basket, self.shop()
        run_work(
            self,
            lambda session: work.commit(session, shop, basket, tenders),
            done=SaleCommitted,
            failed=CommitFailed,
        )

    @on(SaleCommitted)
    def committed(self, message: SaleCommitted) -> None:
        recorded = message.result
        self.second = None
        try:
            self.last_receipt = recorded
            self.clear_sale()
            self.query_one("#receipt", Static).update(
                receipt_text(recorded.receipt, self.settings.coop_name)
            )
            if recorded.change_cents:
                said = _("Sale {number} recorded. Change to give: {amount}").format(
                    number=recorded.number, amount=format_money(recorded.change_cents)
                )
            else:
                said = _("Sale {number} recorded.").format(number=recorded.number)
            self.say(said, "ok")
            self.query_one(TillBar).load()
        finally:
            self.run_next()

    @on(CommitFailed)
    def commit_failed(self, message: CommitFailed) -> None:
        message.prevent_default()
        if isinstance(message.error, NotAllowed):
            keys.authorise_on_the_spot(self, message.error)
            return
        if message.code == "may_not_shop":
            self.ask_override(message.text)
            return
        if message.code == "already_committed":
            self.say(message.text, "error")
            self.clear_sale()
        elif message.code == "database_unavailable":
            self.say(message.text + " " + _("Nothing was recorded: F9 to pay again."), "error")
        else:
            self.say(message.text, "error")
        self.run_next()
