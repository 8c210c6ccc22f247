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

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from sqlalchemy.orm import Session
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from coop.i18n import N_, _, ngettext
from coop.money import format_money
from coop.till.payments import Means, PaymentPolicy
from tui.messages import WorkFailed
from tui.screens.base import ComptoirScreen
from tui.screens.counter_cart import Cart, Row
from tui.widgets.member_banner import MemberBanner
from tui.widgets.receipt import line_label, quantity_text, receipt_text, vat_lines, z_text
from tui.widgets.scan_field import ScanField
from tui.work import run_db


@dataclass(frozen=True)
class MemberFound:
    """The desk check of the member scanned, their account, and the basket priced for them."""

    cart: Cart
    check: dict[str, Any]
    balance_cents: int | None
    overdraft_cents: int
    preview: dict[str, Any] | None


@dataclass(frozen=True)
class Priced:
    """A cart the core accepted, its preview (``Receipt.as_dict()``) and what to say."""

    cart: Cart
    preview: dict[str, Any] | None
    said: str = ""


@dataclass(frozen=True)
class ScanRefused:
    message: str


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
        self.check: dict[str, Any] | None = None
        self.balance_cents: int | None = None
        self.overdraft_cents = 0
        self.till: dict[str, Any] | None = None
        self.queue: deque[Callable[[], None]] = deque()
        self.busy = False
        self.current: Callable[[], None] | None = None
        self.last_receipt: dict[str, Any] | None = None
        self.last_z: dict[str, Any] | None = None

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(id="till-status")
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
        self.app.screen_ready()  # type: ignore[attr-defined]
        self.load_till()

    def on_screen_resume(self) -> None:
        self.query_one(ScanField).focus()

    # --- settings and services ----------------------------------------------------------------

    @property
    def settings(self) -> Any:
        return self.app.settings  # type: ignore[attr-defined]

    def now(self) -> Any:
        return self.app.clock()  # type: ignore[attr-defined]

    def price(
        self, session: Session, cart: Cart, now: Any, rules: Any = None
    ) -> dict[str, Any] | None:
        """The core prices the cart (reads only; the worker rolls back)."""
        from coop.till import selling

        if cart.empty:
            return None
        receipt = selling.price_basket(
            session,
            cart.request(),
            settings=self.settings,
            actor=self.app.actor,  # type: ignore[attr-defined]
            now=now,
            rules=rules,
        )
        return receipt.as_dict()

    def payment_policy(self) -> PaymentPolicy:
        till = self.settings.till
        return PaymentPolicy(
            local_currency_name=till.local_currency or None,
            overdraft_cents=self.overdraft_cents,
            accepted=frozenset(Means(means) for means in till.means),
        )

    # --- the queue of operations ----------------------------------------------------------------

    def enqueue(self, operation: Callable[[], None]) -> None:
        self.queue.append(operation)
        if not self.busy:
            self.run_next()

    def run_next(self) -> None:
        if not self.queue:
            self.busy = False
            self.current = None
            return
        self.busy = True
        self.current = self.queue.popleft()
        self.current()

    def retry_current(self) -> None:
        if self.current is not None:
            self.current()
        else:
            self.run_next()

    # --- what the cashier reads ----------------------------------------------------------------

    def say(self, text: str, level: str = "info") -> None:
        info = self.query_one("#scan-info", Static)
        info.remove_class("-info", "-error", "-ok")
        info.add_class(f"-{level}")
        info.update(text)
        if level == "error":
            self.app.bell()
            self.app.notify(text, severity="error", timeout=6)

    def show_till(self) -> None:
        status = self.query_one("#till-status", Static)
        till = self.till
        status.remove_class("-open", "-closed")
        if till is None:
            status.update(_("Till: …"))
            return
        if till["open"]:
            status.add_class("-open")
            status.update(
                _("Till {code} open since {at} (float {amount})").format(
                    code=till["code"],
                    at=till["opened_at"],
                    amount=format_money(till["opening_cents"]),
                )
            )
        else:
            status.add_class("-closed")
            status.update(_("Till {code} closed — F11 opens it").format(code=till["code"]))

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

    # --- the till -------------------------------------------------------------------------------

    def load_till(self) -> None:
        from coop.till import registry

        code = registry.normalise_code(self.settings.till.till)

        def job(session: Session) -> dict[str, Any]:
            from sqlalchemy import select

            till = session.scalar(select(registry.Till).where(registry.Till.code == code))
            current = registry.open_session_of(session, till) if till is not None else None
            if current is None:
                return {"code": code, "open": False}
            data = registry.session_dict(current, till)
            return {
                "code": code,
                "open": True,
                "opened_at": (data["opened_at"] or "")[11:16],
                "opening_cents": data["opening_cents"],
                "sales": till.last_sale_number,
            }

        run_db(self, "till", job, read_only=True)

    def when_till(self, till: dict[str, Any]) -> None:
        self.till = till
        self.show_till()

    def action_open_till(self) -> None:
        from tui.screens.till_dialogs import CountDialog

        if self.till and self.till["open"]:
            self.say(_("The till is already open."), "error")
            return

        def counted(result: tuple[Any, bool] | None) -> None:
            if result is None:
                return
            count, _take_z = result
            self.open_till(count)

        self.app.push_screen(
            CountDialog(
                _("Open the till"),
                _("Count the float in the drawer (total, or pieces: 20x2 10x4 …)"),
            ),
            counted,
        )

    def open_till(self, count: Any) -> None:
        from coop.till import registry, sessions

        now = self.now()

        def job(session: Session) -> dict[str, Any]:
            row = sessions.open_session(
                session,
                till_code=None,
                count=count,
                settings=self.settings.till,
                actor=self.app.actor,  # type: ignore[attr-defined]
                now=now,
            )
            return registry.session_dict(row)

        run_db(self, "open", job)

    def when_open(self, session: dict[str, Any]) -> None:
        self.say(
            _("Till open with a float of {amount}.").format(
                amount=format_money(session["opening_cents"])
            ),
            "ok",
        )
        self.load_till()

    def action_close_till(self) -> None:
        from tui.screens.till_dialogs import CountDialog

        if not self.cart.empty:
            self.say(_("Finish or cancel the sale in progress first (F9 or F10)."), "error")
            return
        if self.till and not self.till["open"]:
            self.say(_("The till is not open."), "error")
            return

        def counted(result: tuple[Any, bool] | None) -> None:
            if result is not None:
                self.close_till(*result)

        self.app.push_screen(
            CountDialog(
                _("Close the till"),
                _("Count the cash in the drawer (total, or pieces: 20x2 10x4 …)"),
                closing=True,
            ),
            counted,
        )

    def close_till(self, count: Any, take_z: bool) -> None:
        from coop.clock import local_date
        from coop.till import closing, registry, sessions

        now = self.now()
        settings = self.settings

        def job(session: Session) -> tuple[dict[str, Any], dict[str, Any]]:
            row = sessions.close_session(
                session,
                till_code=None,
                counted=count,
                settings=settings.till,
                actor=self.app.actor,  # type: ignore[attr-defined]
                now=now,
            )
            till = session.get(registry.Till, row.till_id)
            assert till is not None
            data = registry.session_dict(row, till)
            if take_z:
                closing.take_day_closure(
                    session,
                    till_code=till.code,
                    day=local_date(now),
                    settings=settings.till,
                    actor=self.app.actor,  # type: ignore[attr-defined]
                    now=now,
                )
            report = closing.report_day(session, day=local_date(now), till_code=till.code)[0]
            return data, report

        run_db(self, "close", job)

    def when_close(self, result: tuple[dict[str, Any], dict[str, Any]]) -> None:
        from tui.screens.till_dialogs import ReportDialog

        session, report = result
        self.last_z = report
        self.load_till()
        self.say(_("Till closed."), "ok")
        self.app.push_screen(
            ReportDialog(z_text(report, session), on_print=lambda: self.print_z(report))
        )

    # --- printing (PDF in the data folder) -------------------------------------------------------

    def action_print_receipt(self) -> None:
        from tui.printing import print_receipt

        receipt = self.last_receipt
        if receipt is None:
            self.say(_("No receipt to print yet: F8 prints the last sale's."), "error")
            return
        settings, now = self.settings, self.now()
        run_db(
            self,
            "printed",
            lambda session: print_receipt(
                session,
                till=receipt["till"],
                number=receipt["number"],
                settings=settings,
                now=now,
            ),
            read_only=True,
        )

    def print_z(self, report: dict[str, Any]) -> None:
        from datetime import date

        from tui.printing import print_z

        settings, now = self.settings, self.now()
        day = date.fromisoformat(report["start"])
        run_db(
            self,
            "printed",
            lambda session: print_z(
                session, till=report["till"], day=day, settings=settings, now=now
            ),
            read_only=True,
        )

    def when_printed(self, path: Any) -> None:
        self.say(_("PDF written: {path}").format(path=path), "ok")
        self.app.notify(_("PDF written: {path}").format(path=path), timeout=8)

    # --- scanning -------------------------------------------------------------------------------

    def on_scan_field_scanned(self, event: ScanField.Scanned) -> None:
        event.stop()
        text = event.text
        self.enqueue(lambda: self.start_scan(text))

    def member_job(self, session: Session, query: str, cart: Cart, now: Any) -> MemberFound:
        from coop.accounts import service as accounts
        from coop.members import service as members
        from coop.shifts import desk

        check = desk.check(session, query, at=now, settings=self.settings.shifts)
        found = members.find(session, query)
        account = accounts.get_account(session, found.members[0])
        candidate = cart.with_member(query)
        preview = None
        if check.can_shop and not candidate.empty:
            preview = self.price(session, candidate, now)
        return MemberFound(
            cart=candidate,
            check=check.as_dict(),
            balance_cents=account.balance_cents if account is not None else None,
            overdraft_cents=accounts.overdraft_of(account, self.settings.accounts)
            if account is not None
            else 0,
            preview=preview,
        )

    def start_scan(self, text: str) -> None:
        from coop.catalog import scan
        from coop.catalog.scan import Found

        cart = self.cart
        now = self.now()

        def job(session: Session) -> MemberFound | Priced | ScanRefused:
            rules = scan.load_rules(session)
            read = scan.resolve(session, text, rules)
            if read.found is Found.MEMBER:
                return self.member_job(session, text, cart, now)
            if read.found is Found.ERROR:
                return ScanRefused(read.message())
            candidate = cart.add_item(text, discount_label=read.found is Found.DISCOUNT)
            preview = self.price(session, candidate, now, rules)
            assert preview is not None
            if read.found is Found.DISCOUNT:
                said = _("Discount label: -{percent} % on the item before it").format(
                    percent=(read.discount_bp or 0) / 100
                )
            else:
                last = preview["lines"][len(preview["lines"]) - 1]
                for line in reversed(preview["lines"]):
                    if line["kind"] == "product":
                        last = line
                        break
                said = _("{label}: {amount}").format(
                    label=last["label"], amount=format_money(last["amount_cents"])
                )
            return Priced(candidate, preview, said)

        run_db(self, "scan", job, read_only=True)

    def start_member(self, query: str) -> None:
        cart = self.cart
        now = self.now()
        run_db(
            self,
            "scan",
            lambda session: self.member_job(session, query, cart, now),
            read_only=True,
        )

    def when_scan(self, result: MemberFound | Priced | ScanRefused) -> None:
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
        member = found.check["member"]
        if found.check["can_shop"]:
            self.say(
                _("Member {number} {name}: may shop.").format(
                    number=member["number"], name=member["name"]
                ),
                "ok",
            )
        else:
            self.say(
                _("Member {number} {name} may not shop: see the reasons above.").format(
                    number=member["number"], name=member["name"]
                ),
                "error",
            )

    def failed_scan(self, message: WorkFailed) -> bool:
        return self.refused(message)

    def when_basket(self, result: Priced) -> None:
        try:
            self.show_basket(result.cart, result.preview)
            if result.said:
                self.say(result.said, "ok")
        finally:
            self.run_next()

    def failed_basket(self, message: WorkFailed) -> bool:
        return self.refused(message)

    def refused(self, message: WorkFailed) -> bool:
        """A scan or a change the core refused: say why; offer the override when the member
        may not shop; the operation is dropped otherwise."""
        if message.code == "may_not_shop":
            self.ask_override(message.text)
            return True
        if message.code == "till_closed":
            self.say(_("The till is closed: F11 opens it (count the float)."), "error")
        else:
            self.say(message.text, "error")
        self.run_next()
        return True

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
            self.retry_current()

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
            now = self.now()
            if candidate.empty:
                self.show_basket(candidate, None)
                if said:
                    self.say(said, "ok")
                self.run_next()
                return
            run_db(
                self,
                "basket",
                lambda session: Priced(candidate, self.price(session, candidate, now), said),
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
        from tui.screens.dialogs import TextDialog

        row = self.selected()
        if row is None:
            self.say(_("No line to change: scan an item first."), "error")
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
            self.change_quantity(row, text)

        self.app.push_screen(
            TextDialog(_("Quantity"), prompt, value=quantity_text(row.line), max_length=12),
            answered,
        )

    def change_quantity(self, row: Row, text: str) -> None:
        from coop.errors import InvalidInput
        from coop.till.basket_file import item_from_word

        if row.source in ("item", "deposit"):
            try:
                parsed = item_from_word(f"x:{text.replace(' ', '')}", _("quantity"))
            except InvalidInput as error:
                self.say(error.summary(), "error")
                return
            index = row.index
            self.propose(
                lambda cart: cart.replace_item(
                    index, replace(cart.items[index], quantity=parsed.quantity, grams=parsed.grams)
                ),
                _("Quantity changed."),
            )
            return
        if not text.isdigit() or int(text) <= 0:
            self.say(_("“{text}” is not a quantity").format(text=text), "error")
            return
        count, index = int(text), row.index
        if row.source == "return":
            self.propose(lambda cart: cart.replace_return(index, count), _("Quantity changed."))
        else:
            self.propose(lambda cart: cart.replace_refund(index, count), _("Quantity changed."))

    def action_remove(self) -> None:
        row = self.selected()
        if row is None:
            self.say(_("No line to remove."), "error")
            return
        index = row.index
        label = row.line["label"]
        said = _("Removed: {label}").format(label=label)
        if row.source in ("item", "deposit"):
            self.propose(lambda cart: cart.remove_item(index), said)
        elif row.source == "return":
            self.propose(lambda cart: cart.remove_return(index), said)
        else:
            self.propose(lambda cart: cart.remove_refund(index), said)

    def action_deposit_return(self) -> None:
        from tui.screens.basket_dialogs import ReturnDialog

        def answered(result: tuple[str, int] | None) -> None:
            if result is not None:
                code, count = result
                self.propose(
                    lambda cart: cart.add_return(code, count),
                    _("Containers brought back: {count}").format(count=count),
                )

        self.app.push_screen(ReturnDialog(classes="dialog"), answered)

    def action_discount(self) -> None:
        from tui.screens.basket_dialogs import DiscountDialog

        row = self.selected()
        line_row = row if row is not None and row.source == "item" else None

        def answered(result: tuple[Any, bool, int | None] | None) -> None:
            if result is None:
                return
            discount, whole, authorised = result
            if whole or line_row is None:
                self.propose(
                    lambda cart: cart.with_discount(discount, authorised),
                    _("Discount on the sale."),
                )
            else:
                index = line_row.index
                self.propose(
                    lambda cart: cart.with_line_discount(index, discount, authorised),
                    _("Discount on the line."),
                )

        self.app.push_screen(
            DiscountDialog(
                line_row.line["label"] if line_row is not None else None,
                self.settings.till.cashier_discount_percent,
            ),
            answered,
        )

    def action_refund(self) -> None:
        from tui.screens.basket_dialogs import RefundDialog

        def answered(refund: Any) -> None:
            if refund is not None:
                self.propose(
                    lambda cart: cart.add_refund(refund),
                    _("Refund of sale {number}, line {line}.").format(
                        number=refund.sale_number, line=refund.line_no
                    ),
                )

        self.app.push_screen(RefundDialog(self.settings.till.till), answered)

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

        def answered(tenders: tuple | None) -> None:
            if tenders is None:
                self.say(_("Payment cancelled: the basket is still here."), "info")
                self.run_next()
                return
            self.current = lambda: self.commit(tenders)
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

    def commit(self, tenders: tuple) -> None:
        from coop.till import selling

        cart = self.cart
        now = self.now()
        settings = self.settings

        def job(session: Session) -> dict[str, Any]:
            receipt = selling.commit_sale(
                session,
                cart.request(tenders),
                settings=settings,
                actor=self.app.actor,  # type: ignore[attr-defined]
                now=now,
            )
            return receipt.as_dict()

        run_db(self, "commit", job)

    def when_commit(self, receipt: dict[str, Any]) -> None:
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
            self.load_till()
        finally:
            self.run_next()

    def failed_commit(self, message: WorkFailed) -> bool:
        if message.code == "may_not_shop":
            self.ask_override(message.text)
            return True
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
        return True
