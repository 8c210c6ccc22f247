"""The coordinator's stock panel: a stock receipt (F9), an inventory count (F10, starting an
inventory first when none is under way) and the inventory under way closed (F11) through the
core; it also shows the result of any coordinator action in words."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from coop.i18n import _
from tui.messages import WorkResult
from tui.screens.coordinator import jobs
from tui.screens.coordinator.forms import Field, FormDialog
from tui.screens.coordinator.panel import begin, hub


def product_code(text: str) -> str:
    """A product's barcode as scanned (AZERTY digits mapped back by the core) or its code."""
    from coop.scanning import ScanError, normalise_scan

    try:
        digits = normalise_scan(text)
    except ScanError as error:
        raise ValueError(_("That is far too long for a product code.")) from error
    return digits if digits.isdigit() else text.strip()


class StockReceived(WorkResult[str]):
    """The receipt recorded, in words."""


class CountRecorded(WorkResult[str | jobs.NoInventory]):
    """The count recorded, or no inventory under way."""


class InventoryShown(WorkResult[str | jobs.NoInventory]):
    """The inventory under way in words, or none."""


class InventoryClosed(WorkResult[str]):
    """The inventory closed, its differences booked, in words."""


class StockPanel(VerticalScroll):
    """The results view, and the stock keys."""

    def __init__(self) -> None:
        super().__init__(id="coord-result")
        self.pending_count: tuple[str, str] = ("", "")

    def compose(self) -> ComposeResult:
        yield Static(id="result-view", classes="coord-text")

    def show(self, text: str) -> None:
        self.query_one("#result-view", Static).update(text)

    def receipt(self) -> None:
        if not hub(self).allowed():
            return

        def validate(values: dict[str, str]) -> tuple[str, str, int | None]:
            from coop.money import MoneyError, parse_amount

            if not values["product"]:
                raise ValueError(_("Scan or type the product first."))
            if not values["quantity"]:
                raise ValueError(_("Type the quantity received."))
            values["product"] = product_code(values["product"])
            cost = None
            if values["cost"]:
                try:
                    cost = parse_amount(values["cost"])
                except MoneyError as error:
                    raise ValueError(str(error)) from error
                if cost < 0:
                    raise ValueError(_("expected an amount of zero or more"))
            return values["product"], values["quantity"], cost

        def done(line: tuple[str, str, int | None] | None) -> None:
            if line is None:
                return
            context = hub(self).context()
            begin(
                self,
                done=StockReceived,
                job=lambda session: jobs.receive(session, *line, **context),
            )

        self.app.push_screen(
            FormDialog(
                _("Stock receipt"),
                [
                    Field("product", _("Product (scan or code)"), scans=True),
                    Field("quantity", _("Quantity (pieces, or 2,5 kg)")),
                    Field("cost", _("Unit cost excluding VAT (optional, e.g. 1,20)")),
                ],
                validate,
            ),
            done,
        )

    @on(StockReceived)
    def received_done(self, message: StockReceived) -> None:
        text = message.result
        hub(self).show_result(text)

    def count(self) -> None:
        if not hub(self).allowed():
            return

        def validate(values: dict[str, str]) -> tuple[str, str]:
            if not values["product"]:
                raise ValueError(_("Scan or type the product first."))
            if not values["quantity"]:
                raise ValueError(_("Type the quantity counted."))
            values["product"] = product_code(values["product"])
            return values["product"], values["quantity"]

        def done(line: tuple[str, str] | None) -> None:
            if line is not None:
                self.record_count(line, start=False)

        self.app.push_screen(
            FormDialog(
                _("Inventory count"),
                [
                    Field("product", _("Product (scan or code)"), scans=True),
                    Field("quantity", _("Quantity counted (pieces, or 2,5 kg)")),
                ],
                validate,
            ),
            done,
        )

    def record_count(self, line: tuple[str, str], *, start: bool) -> None:
        context = hub(self).context()
        self.pending_count = line
        begin(
            self,
            done=CountRecorded,
            job=lambda session: jobs.count(session, *line, start=start, **context),
        )

    @on(CountRecorded)
    def counted_done(self, message: CountRecorded) -> None:
        result = message.result
        from tui.screens.dialogs import ConfirmDialog

        hub(self).busy = False
        if isinstance(result, jobs.NoInventory):
            line = self.pending_count

            def answered(yes: bool | None) -> None:
                if yes:
                    self.record_count(line, start=True)
                else:
                    hub(self).say(_("Nothing was changed."))

            self.app.push_screen(
                ConfirmDialog(
                    _("No inventory is under way. Start one now and record this count?"),
                    yes=_("start"),
                    no=_("back"),
                ),
                answered,
            )
            return
        hub(self).show_result(result)

    def close_inventory(self) -> None:
        if hub(self).allowed():
            begin(self, done=InventoryShown, job=jobs.inventory_preview, read_only=True)

    @on(InventoryShown)
    def inventory_done(self, message: InventoryShown) -> None:
        result = message.result
        from tui.screens.dialogs import ConfirmDialog

        if isinstance(result, jobs.NoInventory):
            hub(self).say(
                _("No inventory is under way: F10 starts one with the first product counted."),
                "error",
            )
            return
        hub(self).show_result(result)

        def answered(yes: bool | None) -> None:
            if not yes:
                hub(self).say(_("Nothing was changed: the inventory is still under way."))
                return
            context = hub(self).context()
            begin(
                self,
                done=InventoryClosed,
                job=lambda session: jobs.close_inventory(session, **context),
            )

        self.app.push_screen(
            ConfirmDialog(
                result + "\n\n" + _("Close this inventory and book its differences in the stock?"),
                yes=_("close"),
                no=_("back"),
            ),
            answered,
        )

    @on(InventoryClosed)
    def inventory_closed_done(self, message: InventoryClosed) -> None:
        text = message.result
        hub(self).show_result(text)
