"""Dialogs that change the basket: a discount with its reason, containers brought back, a
refund of a line of an earlier sale.

They only collect what the cashier says, as the core's values (``Discount``,
``DepositReturn``, ``RefundRequest``); whether it is allowed (the cashier's discount limit, an
authorisation, what is still refundable) is the core's answer when the basket is priced again.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from sqlalchemy.orm import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Checkbox, DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from coop.i18n import N_, _
from coop.money import MoneyError, format_money, parse_amount
from coop.till.pricing import Discount, DiscountReason
from coop.till.refusals import Refused
from coop.till.selling import RefundRequest
from coop.till.words import refusal
from tui.messages import WorkFailed, WorkResult
from tui.screens.base import ComptoirModal
from tui.widgets.receipt import quantity_text
from tui.widgets.scan_field import looks_like_scan
from tui.work import run_work


def reason_names() -> dict[DiscountReason, str]:
    return {
        DiscountReason.DAMAGED: _("damaged"),
        DiscountReason.SHORT_DATE: _("best-before date close"),
        DiscountReason.PRICE_ERROR: _("price error (shelf and till disagree)"),
        DiscountReason.GOODWILL: _("goodwill gesture"),
        DiscountReason.OTHER: _("other (say why in the note)"),
    }


def parse_discount(text: str, reason: DiscountReason, note: str) -> Discount:
    """ "10 %" / "10%" → a percent, "2,00" → an amount; ValueError with the sentence."""
    text = text.strip()
    try:
        if text.endswith("%"):
            percent = Decimal(text[:-1].strip().replace(",", "."))
            return Discount(reason, percent=percent, note=note)
        return Discount(reason, amount_cents=parse_amount(text), note=note)
    except (InvalidOperation, MoneyError):
        raise ValueError(_("“{text}” is not 10% nor an amount").format(text=text)) from None
    except Refused as error:
        raise ValueError(refusal(error)) from error


class DiscountDialog(ComptoirModal):
    """Dismisses with (Discount, whole_sale, authorised_by) or None."""

    CSS_PATH: ClassVar = ["dialogs.tcss", "basket_dialogs.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", N_("Previous reason"), show=False),
        Binding("down", "move(1)", N_("Next reason"), show=False),
        Binding("f2", "toggle_whole", N_("Whole sale or line"), id="discount-scope"),
    ]

    def __init__(self, line_label: str | None, limit_percent: int) -> None:
        super().__init__(classes="dialog")
        self.line_label = line_label
        self.limit = limit_percent

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="discount-box"):
            yield Static(_("Discount"), classes="dialog-title")
            yield Checkbox(
                _("On the whole sale (F2)"),
                self.line_label is None,
                id="discount-sale",
                disabled=self.line_label is None,
            )
            if self.line_label is not None:
                yield Label(_("Otherwise on the line: {label}").format(label=self.line_label))
            yield Label(_("Reason (↑↓):"))
            yield OptionList(
                *(Option(name, id=reason.value) for reason, name in reason_names().items()),
                id="discount-reason",
            )
            yield Label(_("How much: 10% or 2,00"))
            yield Input(id="discount-amount", max_length=12)
            yield Label(_("Note (optional)"))
            yield Input(id="discount-note", max_length=200)
            yield Label(
                _(
                    "Member number of whoever authorises it (beyond {limit} %, a shift leader)"
                ).format(limit=self.limit)
            )
            yield Input(id="discount-authorised", max_length=9)
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(
                _("Enter: confirm · Tab: next field · Escape: back"), classes="dialog-help"
            )

    def on_mount(self) -> None:
        self.query_one("#discount-sale", Checkbox).can_focus = False
        reasons = self.query_one("#discount-reason", OptionList)
        reasons.can_focus = False
        reasons.highlighted = 0
        self.query_one("#discount-amount", Input).focus()

    def action_toggle_whole(self) -> None:
        whole = self.query_one("#discount-sale", Checkbox)
        if self.line_label is not None:
            whole.value = not whole.value

    def action_move(self, step: int) -> None:
        reasons = self.query_one("#discount-reason", OptionList)
        current = reasons.highlighted or 0
        reasons.highlighted = max(0, min(reasons.option_count - 1, current + step))

    def refuse(self, text: str) -> None:
        self.app.bell()
        self.query_one("#dialog-error", Static).update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        amount = self.query_one("#discount-amount", Input).value
        note = self.query_one("#discount-note", Input).value.strip()
        authorised = self.query_one("#discount-authorised", Input).value.strip()
        if any(looks_like_scan(text) for text in (amount, note, authorised)):
            self.refuse(_("That looks like a scan: finish this window first (Escape: back)."))
            return
        reasons = self.query_one("#discount-reason", OptionList)
        option = reasons.get_option_at_index(reasons.highlighted or 0)
        assert option.id is not None  # every reason option carries its code
        reason = DiscountReason(option.id)
        if reason is DiscountReason.OTHER and not note:
            self.refuse(_("Say why in the note."))
            return
        try:
            discount = parse_discount(amount, reason, note)
        except ValueError as error:
            self.refuse(str(error))
            return
        if authorised and not authorised.isdigit():
            self.refuse(_("The authorisation is a member number."))
            return
        whole = self.query_one("#discount-sale", Checkbox).value
        self.dismiss((discount, whole, int(authorised) if authorised else None))


class ReturnDialog(ComptoirModal):
    """Containers brought back: scan (or type) the deposit's code, how many; dismisses with
    (code, count) or None."""

    CSS_PATH: ClassVar = ["dialogs.tcss"]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(_("Containers brought back (consigne)"), classes="dialog-title")
            yield Label(_("Scan the container (or type its code)"))
            yield Input(id="return-code", max_length=64)
            yield Label(_("How many"))
            yield Input("1", id="return-count", max_length=4)
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(_("Enter: confirm · Escape: back"), classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one("#return-code", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        code = self.query_one("#return-code", Input).value.strip()
        count = self.query_one("#return-count", Input).value.strip()
        if event.input.id == "return-code" and code:
            self.query_one("#return-count", Input).focus()
            return
        if not code:
            self.app.bell()
            self.query_one("#dialog-error", Static).update(_("Scan the container first."))
            self.query_one("#return-code", Input).focus()
            return
        if not count.isdigit() or int(count) <= 0 or looks_like_scan(count):
            self.app.bell()
            self.query_one("#dialog-error", Static).update(_("Type how many (1, 2…)."))
            return
        self.dismiss((code, int(count)))


class SaleLoaded(WorkResult[Any]):
    """The sale a refund is taken from (``coop.till.refund_reads.RefundableSale``)."""


class SaleNotFound(WorkFailed):
    """No such sale (or not a sale number)."""


class RefundDialog(ComptoirModal):
    """A refund starts from the original sale: its number (``12`` or ``CAISSE-2/12``) or the
    barcode on its receipt; then its member and its lines by name with what is left to refund,
    ↑↓ to choose the line, how many (empty: all that is left). Dismisses with
    (RefundRequest, the sale's member number or None) or None."""

    CSS_PATH: ClassVar = ["dialogs.tcss", "basket_dialogs.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", N_("Previous line"), show=False),
        Binding("down", "move(1)", N_("Next line"), show=False),
        Binding("f2", "toggle_restock", N_("Back in stock or not"), id="refund-restock"),
    ]

    def __init__(self, till_code: str) -> None:
        super().__init__(classes="dialog")
        self.till_code = till_code
        self.sale: Any = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="refund-box"):
            yield Static(_("Refund from an earlier sale"), classes="dialog-title")
            yield Static(  # wraps at 80 columns
                _("Scan the receipt's barcode or type the sale's number (or TILL/NUMBER)")
            )
            yield Input(id="refund-sale", max_length=24)
            yield Static("", id="refund-member")
            yield DataTable(id="refund-lines", cursor_type="row", zebra_stripes=True)
            yield Static(_("↑↓: choose the line · how many (empty: all that is left)"))
            yield Input(id="refund-quantity", max_length=9)
            yield Checkbox(_("Back in stock (F2)"), True, id="refund-restock")
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(_("Enter: confirm · Escape: back"), classes="dialog-help")

    def fit_lines(self) -> None:
        """The sale's lines take 6 rows, fewer on a 24-row terminal: the window (90 % of it)
        keeps its key line at the bottom (15 rows around the table, 2 of them for a sentence
        on two lines)."""
        room = self.app.size.height * 9 // 10 - 17
        self.query_one("#refund-lines", DataTable).styles.height = max(3, min(6, room))

    def on_resize(self) -> None:
        self.fit_lines()

    def on_mount(self) -> None:
        self.fit_lines()
        table = self.query_one("#refund-lines", DataTable)
        table.can_focus = False
        table.add_columns(_("Line"), _("Item"), _("Sold"), _("Amount"), _("Left"))
        self.query_one("#refund-restock", Checkbox).can_focus = False
        self.query_one("#refund-sale", Input).focus()

    def refuse(self, text: str) -> None:
        self.app.bell()
        self.query_one("#dialog-error", Static).update(text)

    def action_toggle_restock(self) -> None:
        box = self.query_one("#refund-restock", Checkbox)
        box.value = not box.value

    def action_move(self, step: int) -> None:
        table = self.query_one("#refund-lines", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "refund-sale":
            self.load_sale(event.value.strip())
            return
        if self.sale is None or not self.sale.lines:
            self.refuse(_("Type the sale's number first."))
            self.query_one("#refund-sale", Input).focus()
            return
        quantity = self.query_one("#refund-quantity", Input).value.strip()
        if quantity and (not quantity.isdigit() or looks_like_scan(quantity)):
            self.refuse(_("Type how many (1, 2…) or leave it empty."))
            return
        line = self.sale.lines[self.query_one("#refund-lines", DataTable).cursor_row]
        if not line.refundable:
            self.refuse(_("This line cannot be refunded."))
            return
        if line.left <= 0:
            self.refuse(_("{label}: already refunded.").format(label=line.label))
            return
        if quantity and int(quantity) > line.left:
            self.refuse(
                _("That is more than was sold: {value} left to refund on that line.").format(
                    value=quantity_text(line.left, line.weighed)
                )
            )
            return
        self.dismiss(
            (
                RefundRequest(
                    self.sale.number,
                    line.line_no,
                    quantity=int(quantity) if quantity else None,
                    till=self.sale.till,
                    restock=self.query_one("#refund-restock", Checkbox).value,
                ),
                str(self.sale.member_number) if self.sale.member_number is not None else None,
            )
        )

    def load_sale(self, text: str) -> None:
        from coop.till import refund_reads

        code = self.till_code

        def job(session: Session) -> Any:
            return refund_reads.refundable_sale(session, text, code)

        run_work(
            self, done=SaleLoaded, failed=SaleNotFound, job=job, read_only=True, exclusive=True
        )

    @on(SaleNotFound)
    def sale_missing(self, message: SaleNotFound) -> None:
        message.prevent_default()
        self.refuse(message.text)

    @on(SaleLoaded)
    def sale_done(self, message: SaleLoaded) -> None:
        sale = message.result
        self.sale = sale
        member = (
            _("Member {number} {name}").format(number=sale.member_number, name=sale.member_name)
            if sale.member_number is not None
            else _("No member")
        )
        self.query_one("#refund-member", Static).update(
            _("Sale {number} on till {till} — {member}").format(
                number=sale.number, till=sale.till, member=member
            )
        )
        table = self.query_one("#refund-lines", DataTable)
        table.clear()
        for line in sale.lines:
            table.add_row(
                str(line.line_no),
                line.label[:30],
                quantity_text(line.quantity, line.weighed),
                format_money(line.amount_cents),
                quantity_text(line.left, line.weighed) if line.left > 0 else _("refunded"),
            )
        first = next((i for i, line in enumerate(sale.lines) if line.left > 0), 0)
        table.move_cursor(row=first)
        self.query_one("#dialog-error", Static).update("")
        self.query_one("#refund-quantity", Input).focus()
