"""The counter (caisse): scan the member card, scan the items, take the payment, print nothing yet.

Everything the cashier does is a key: the scan field always has the focus (a scan is digits then
Enter; AZERTY-shifted digits are read by the core), the function keys in the footer do the rest.

How the work flows: each scan or change of the basket is an *operation*, run one at a time in
order (``enqueue``): a fast scanner never overtakes itself and a second scan never reads a basket
the first has not finished. An operation proposes a new ``Cart`` and prices it in a worker with
the core's ``selling.price_basket`` (desk check, scans, price rules, deposits, discounts and
their authorisation, refunds, the till open); only an accepted cart replaces the one on screen,
so a refused scan leaves the basket as it was, says why and rings. Paying opens the payment
dialog (cash and the exact amount already typed: Enter settles it) and commits with the core's
``selling.commit_sale`` in one transaction, with the basket's token so that a second Enter, a
retry after a busy database or any double commit is refused by the core. A member the desk check
refuses can be let through with a reason (asked the first time the core refuses the basket for
it; logged with the sale).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from coop.i18n import N_, _, ngettext
from coop.money import format_money
from coop.rights import Actor, NotAllowed
from coop.till.payments import Means, PaymentPolicy
from tui import counter_work as work
from tui.counter_work import MemberFound, OperationQueue, Priced, ScanRefused, Shop
from tui.messages import WorkFailed, WorkResult
from tui.screens import counter_keys as keys
from tui.screens.base import ComptoirScreen
from tui.screens.counter_cart import Cart, Row
from tui.screens.login import ask_second
from tui.widgets.member_banner import MemberBanner
from tui.widgets.receipt import line_label, quantity_text, receipt_text, vat_lines
from tui.widgets.scan_field import ScanField
from tui.widgets.till_bar import TillBar
from tui.work import run_work

if TYPE_CHECKING:
    from coop.config import Settings
    from coop.shifts.desk import DeskCheck


class ScanRead(WorkResult[MemberFound | Priced | ScanRefused]):
    """A scan or a chosen member, read and priced by the core."""


class BasketPriced(WorkResult[Priced]):
    """A change of the basket the core accepted."""


class BasketRefused(WorkFailed):
    """A scan or a change the core refused (``code`` says why: ``may_not_shop``…)."""


class SaleCommitted(WorkResult[dict[str, Any]]):
    """The sale was recorded: its receipt."""


class CommitFailed(WorkFailed):
    """The sale was not recorded (``code``: ``may_not_shop``, ``already_committed``…)."""


class CounterScreen(ComptoirScreen):
    CSS_PATH = "counter.tcss"
    AUTO_FOCUS = "#scan"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "member_search", N_("Member"), id="counter-member", key_display="F2"),
        Binding("f3", "quantity", N_("Qty"), id="counter-quantity", key_display="F3"),
        Binding("f4", "remove", N_("Remove"), id="counter-remove", key_display="F4"),
        Binding("f5", "deposit_return", N_("Deposit"), id="counter-return", key_display="F5"),
        Binding("f6", "discount", N_("Discount"), id="counter-discount", key_display="F6"),
        Binding("f7", "refund", N_("Refund"), id="counter-refund", key_display="F7"),
        Binding("f8", "print_receipt", N_("Till receipt"), id="counter-print", key_display="F8"),
        Binding("f9", "pay", N_("Pay"), id="counter-pay", key_display="F9"),
        Binding("f10", "cancel_sale", N_("Cancel"), id="counter-cancel", key_display="F10"),
        Binding("f11", "open_till", N_("Open till"), id="counter-open", key_display="F11"),
        Binding("f12", "close_till", N_("Close till"), id="counter-close", key_display="F12"),
        Binding("up", "cursor(-1)", N_("Previous line"), show=False),
        Binding("down", "cursor(1)", N_("Next line"), show=False),
        # The counter's own keys fill the footer; Ctrl+O (print menu) still works, unlisted.
        Binding("ctrl+o", "app.print_menu", N_("Print"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="counter")
        self.cart = Cart()
        self.preview: dict[str, Any] | None = None
        self.rows: list[Row] = []
        self.check: DeskCheck | None = None
        self.balance_cents: int | None = None
        self.overdraft_cents = 0
        self.operations = OperationQueue()
        self.last_receipt: dict[str, Any] | None = None

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
        yield Footer(compact=True, show_command_palette=False)  # Ctrl+P still opens it

    def on_mount(self) -> None:
        self.sub_title = _("Counter")
        table = self.query_one("#lines", DataTable)
        table.can_focus = False
        table.add_column(_("Item"), key="label", width=34)
        table.add_column(_("Qty"), key="qty", width=10)
        table.add_column(_("Unit price"), key="unit", width=11)
        table.add_column(_("Amount"), key="amount", width=11)
        self.show_totals()
        self.call_after_refresh(self.ready)

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

    def show_basket(self, cart: Cart, preview: dict[str, Any] | None) -> None:
        self.cart = cart
        self.preview = preview
        lines = preview["lines"] if preview else []
        before = self.rows
        self.rows = cart.rows(lines)
        table = self.query_one("#lines", DataTable)
        keep = table.cursor_row
        grew = len(self.rows) > table.row_count
        shown = [self.cells(row) for row in self.rows]
        kept = 0  # a scan usually adds lines at the end: keep the rows that did not change
        if len(before) == table.row_count:
            old = [self.cells(row) for row in before]
            while kept < min(len(old), len(shown)) and old[kept] == shown[kept]:
                kept += 1
        if kept < table.row_count:
            if kept == 0:
                table.clear()
            else:
                for key in list(table.rows)[kept:]:
                    table.remove_row(key)
        table.add_rows(shown[kept:])
        if self.rows:
            target = len(self.rows) - 1 if grew else min(keep, len(self.rows) - 1)
            table.move_cursor(row=target)
        self.show_totals()
        if preview or cart.member:
            self.query_one("#receipt", Static).update("")

    @staticmethod
    def cells(row: Row) -> tuple[str, str, str, str]:
        line = row.line
        return (
            line_label(line)[:34],
            quantity_text(line),
            format_money(line["unit_price_cents"]),
            format_money(line["amount_cents"]),
        )

    def show_totals(self) -> None:
        totals = self.query_one("#totals", Static)
        preview = self.preview
        if not preview:
            totals.update(_("TOTAL {amount}").format(amount=format_money(0)))
            return
        text = [_("TOTAL {amount}").format(amount=format_money(preview["total_cents"]))]
        count = sum(1 for row in self.rows if row.source == "item")
        text.append(ngettext("{count} item", "{count} items", count).format(count=count))
        if preview["discount_cents"]:
            text.append(
                _("of which discounts: {amount}").format(
                    amount=format_money(preview["discount_cents"])
                )
            )
        text.extend(vat_lines(preview["vat"]))
        totals.update("\n".join(text))

    def selected(self) -> Row | None:
        table = self.query_one("#lines", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_cursor(self, step: int) -> None:
        table = self.query_one("#lines", DataTable)
        if self.rows:
            table.move_cursor(row=max(0, min(len(self.rows) - 1, table.cursor_row + step)))

    # --- the till (``tui.widgets.till_bar.TillBar``) -------------------------------------------

    @on(TillBar.Said)
    def till_said(self, message: TillBar.Said) -> None:
        self.say(message.text, message.level)

    def action_open_till(self) -> None:
        self.query_one(TillBar).ask_open()

    def action_close_till(self) -> None:
        if not self.cart.empty:
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

    def start_scan(self, text: str) -> None:
        cart, shop = self.cart, self.shop()
        run_work(
            self,
            lambda session: work.scan(session, shop, text, cart),
            done=ScanRead,
            failed=BasketRefused,
            read_only=True,
        )

    def start_member(self, query: str) -> None:
        cart, shop = self.cart, self.shop()
        run_work(
            self,
            lambda session: work.find_member(session, shop, query, cart),
            done=ScanRead,
            failed=BasketRefused,
            read_only=True,
        )

    @on(ScanRead)
    def scan_read(self, message: ScanRead) -> None:
        result = message.result
        try:
            if isinstance(result, ScanRefused):
                self.say(result.message, "error")
            elif isinstance(result, MemberFound):
                self.show_member(result)
            else:
                self.show_basket(result.cart, result.preview)
                self.say(result.said, "ok")
        finally:
            self.run_next()

    def show_member(self, found: MemberFound) -> None:
        self.check = found.check
        self.balance_cents = found.balance_cents
        self.overdraft_cents = found.overdraft_cents
        self.query_one(MemberBanner).show_check(found.check, balance_cents=found.balance_cents)
        if found.preview is not None or found.cart.empty:
            self.show_basket(found.cart, found.preview)
        else:
            self.cart = found.cart
        member = found.check.member
        if found.check.can_shop:
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
        result = message.result
        try:
            self.show_basket(result.cart, result.preview)
            if result.said:
                self.say(result.said, "ok")
        finally:
            self.run_next()

    second: Actor | None = None
    """Whoever authorised the current sale on the spot (card and PIN); cleared once it is
    recorded (``tui.screens.login.ask_second``)."""

    def ask_second(self, refusal: NotAllowed) -> None:
        """The cashier lacks a right: someone who holds it gives their card and PIN, then the
        operation runs again with both names."""

        def authorised(second: Actor | None) -> None:
            if second is None:
                self.say(str(refusal), "error")
                self.run_next()
                return
            self.second = second
            self.operations.retry_current()

        ask_second(self.app, refusal, authorised)

    @on(BasketRefused)
    def refused(self, message: BasketRefused) -> None:
        """A scan or a change the core refused: say why; offer the override when the member
        may not shop, a second person's authorisation when the cashier lacks a right; the
        operation is dropped otherwise."""
        message.prevent_default()
        if isinstance(message.error, NotAllowed):
            self.ask_second(message.error)
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
        from tui.screens.dialogs import TextDialog

        def answered(reason: str | None) -> None:
            if reason is None:
                self.say(_("Not let through: nothing was added."), "error")
                self.run_next()
                return
            self.cart = replace(self.cart, override_reason=reason)
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

    def propose(self, change: Callable[[Cart], Cart], said: str = "") -> None:
        """Price ``change(cart)`` in a worker; it replaces the basket if the core accepts it."""

        def operation() -> None:
            candidate = change(self.cart)
            shop = self.shop()
            if candidate.empty:
                self.show_basket(candidate, None)
                if said:
                    self.say(said, "ok")
                self.run_next()
                return
            run_work(
                self,
                lambda session: Priced(candidate, work.price(session, shop, candidate), said),
                done=BasketPriced,
                failed=BasketRefused,
                read_only=True,
            )

        self.enqueue(operation)

    def action_member_search(self) -> None:
        from tui.screens.member_search import MemberSearchDialog

        def chosen(number: int | None) -> None:
            if number is not None:
                self.enqueue(lambda: self.start_member(str(number)))

        self.app.push_screen(MemberSearchDialog(), chosen)

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

        if self.cart.empty and self.cart.member is None:
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

    def reset_sale(self) -> None:
        self.check = None
        self.balance_cents = None
        self.overdraft_cents = 0
        self.query_one(MemberBanner).show_check(None)
        self.show_basket(Cart(), None)
        self.say(_("Ready for the next customer."), "info")
        self.run_next()

    # --- paying ---------------------------------------------------------------------------------

    def action_pay(self) -> None:
        self.enqueue(self.open_payment)

    def open_payment(self) -> None:
        from tui.screens.payment import PaymentDialog

        if self.cart.empty or self.preview is None:
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
                self.preview["total_cents"],
                policy=self.payment_policy(),
                balance_cents=self.balance_cents,
                member=self.cart.member is not None,
            ),
            answered,
        )

    def commit(self, tenders: tuple[Any, ...]) -> None:
        cart, shop = self.cart, self.shop()
        run_work(
            self,
            lambda session: work.commit(session, shop, cart, tenders),
            done=SaleCommitted,
            failed=CommitFailed,
        )

    @on(SaleCommitted)
    def committed(self, message: SaleCommitted) -> None:
        receipt = message.result
        self.second = None
        try:
            self.last_receipt = receipt
            self.check = None
            self.balance_cents = None
            self.overdraft_cents = 0
            self.query_one(MemberBanner).show_check(None)
            self.show_basket(Cart(), None)
            self.query_one("#receipt", Static).update(
                receipt_text(receipt, self.settings.coop_name)
            )
            if receipt["change_cents"]:
                said = _("Sale {number} recorded. Change to give: {amount}").format(
                    number=receipt["number"], amount=format_money(receipt["change_cents"])
                )
            else:
                said = _("Sale {number} recorded.").format(number=receipt["number"])
            self.say(said, "ok")
            self.query_one(TillBar).load()
        finally:
            self.run_next()

    @on(CommitFailed)
    def commit_failed(self, message: CommitFailed) -> None:
        message.prevent_default()
        if isinstance(message.error, NotAllowed):
            self.ask_second(message.error)
            return
        if message.code == "may_not_shop":
            self.ask_override(message.text)
            return
        if message.code == "already_committed":
            self.say(message.text, "error")
            self.check = None
            self.query_one(MemberBanner).show_check(None)
            self.show_basket(Cart(), None)
        elif message.code == "database_unavailable":
            self.say(message.text + " " + _("Nothing was recorded: F9 to pay again."), "error")
        else:
            self.say(message.text, "error")
        self.run_next()
