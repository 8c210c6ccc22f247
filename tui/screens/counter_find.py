"""Finding a product without its barcode at the counter: by name (Ctrl+F, or words typed in the
scan field) and with the quick keys of unlabelled products (Ctrl+G).

Both dismiss with the code to scan (``coop.till.product_search.ProductHit.code``) or None; the
counter then scans it like any other code (a by-weight product asks for its weight). The search
runs as the name is typed (an exclusive worker: a newer keystroke cancels the older search),
accent-insensitive, best match first; ↑↓ choose, Enter takes. In the quick-key grid, the key
shown before a product (1–9, a–z) takes it at once.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy.orm import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Key
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from coop.i18n import N_, _
from coop.money import format_money
from coop.till.product_search import ProductHit, QuickKey
from tui.messages import WorkResult
from tui.screens.base import ComptoirModal
from tui.work import run_work


def hit_text(hit: ProductHit) -> str:
    price = format_money(hit.price_cents)
    if hit.by_weight:
        price = _("{price}/kg").format(price=price)
    return f"{hit.name}  {price}"


class ProductsFound(WorkResult[list[ProductHit]]):
    """The products whose name matches what was typed, best first."""


class ProductSearchDialog(ComptoirModal):
    CSS_PATH = "dialogs.tcss"
    DEFAULT_CSS = """
    #product-search { width: 76; }
    #product-hits { height: 12; margin: 1 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", N_("Next"), show=False),
        Binding("up", "move(-1)", N_("Previous"), show=False),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__(classes="dialog")
        self.initial = query
        self.hits: list[ProductHit] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="product-search"):
            yield Static(_("Find an item by name"), classes="dialog-title")
            yield Input(
                value=self.initial,
                placeholder=_("Name (accents and typos do not matter)"),
                id="product-query",
            )
            yield OptionList(id="product-hits")
            yield Static(_("↑↓: choose · Enter: this item · Escape: back"), classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one("#product-hits", OptionList).can_focus = False
        self.query_one("#product-query", Input).focus()
        if self.initial:
            self.search(self.initial)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.search(event.value)

    def search(self, text: str) -> None:
        from coop.till.product_search import search_products

        text = text.strip()
        if len(text) < 2:
            self.show_hits([])
            return

        def job(session: Session) -> list[ProductHit]:
            return search_products(session, text)

        run_work(
            self, done=ProductsFound, job=job, read_only=True, exclusive=True, group="item-search"
        )

    @on(ProductsFound)
    def search_done(self, message: ProductsFound) -> None:
        self.show_hits(message.result)

    def show_hits(self, hits: list[ProductHit]) -> None:
        self.hits = hits
        options = self.query_one("#product-hits", OptionList)
        options.clear_options()
        if not hits:
            options.add_option(Option(_("No item found"), disabled=True))
            return
        options.add_options([Option(hit_text(hit), id=str(i)) for i, hit in enumerate(hits)])
        options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one("#product-hits", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#product-hits", OptionList)
        if not self.hits or options.highlighted is None:
            self.app.bell()
            return
        self.dismiss(self.hits[options.highlighted].code)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self.hits[int(event.option.id)].code)


class QuickKeysRead(WorkResult[list[QuickKey]]):
    """The quick-key grid with its products."""


class QuickKeysDialog(ComptoirModal):
    """The quick keys: one key (1–9, a–z) picks a product; Escape backs out."""

    CSS_PATH = "dialogs.tcss"

    def __init__(self, codes: tuple[str, ...]) -> None:
        super().__init__(classes="dialog")
        self.codes = codes
        self.keys: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="quick-keys"):
            yield Static(_("Quick keys"), classes="dialog-title")
            yield Static(_("Loading…"), id="quick-grid")
            yield Static(
                _("Press the key shown before an item · Escape: back"), classes="dialog-help"
            )

    def on_mount(self) -> None:
        from coop.till.product_search import quick_keys

        codes = self.codes

        def job(session: Session) -> list[QuickKey]:
            return quick_keys(session, codes)

        run_work(self, done=QuickKeysRead, job=job, read_only=True)

    @on(QuickKeysRead)
    def loaded(self, message: QuickKeysRead) -> None:
        grid = message.result
        self.keys = {key.key: key.hit.code for key in grid if key.hit is not None}
        lines = []
        for key in grid:
            shown = (
                hit_text(key.hit)
                if key.hit is not None
                else _("{code}: unknown").format(code=key.code)
            )
            lines.append(f"{key.key.upper()}  {shown}")
        self.query_one("#quick-grid", Static).update(
            "\n".join(lines) or _("No quick keys: list codes in [till] quick_keys.")
        )

    def on_key(self, event: Key) -> None:
        key = (event.character or "").lower()
        if key in self.keys:
            event.stop()
            self.dismiss(self.keys[key])
