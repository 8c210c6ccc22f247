"""Finding a product without its barcode at the counter: by name (Ctrl+F, or words typed in the
scan field) and with the quick keys of unlabelled products (Ctrl+G).

Both dismiss with the code to scan (``coop.till.product_search.ProductHit.code``) or None; the
counter then scans it like any other code (a by-weight product asks for its weight). The search
runs as the name is typed (an exclusive worker: a newer keystroke cancels the older search),
accent-insensitive, best match first; ↑↓ choose, Enter takes. In the quick-key grid, the key
shown before a product (1–9, a–z) takes it at once.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Key
from textual.widgets import Static

from coop.i18n import _
from coop.money import format_money
from coop.till.product_search import ProductHit, QuickKey
from tui.messages import WorkResult
from tui.screens.base import ComptoirModal
from tui.screens.search_dialog import SearchDialog
from tui.work import run_work


def hit_text(hit: ProductHit) -> str:
    price = format_money(hit.price_cents)
    if hit.by_weight:
        price = _("{price}/kg").format(price=price)
    return f"{hit.name}  {price}"


class ProductsFound(WorkResult[list[ProductHit]]):
    """The products whose name matches what was typed, best first."""


class ProductSearchDialog(SearchDialog[ProductHit]):
    """Dismisses with the product's code (``tui.screens.search_dialog``: the window)."""

    CSS_PATH = "dialogs.tcss"
    DEFAULT_CSS = """
    #product-search { width: 76; }
    #product-hits { height: 12; margin: 1 0; }
    """
    KIND = "product"

    def words(self) -> tuple[str, str, str, str]:
        return (
            _("Find an item by name"),
            _("Name (accents and typos do not matter)"),
            _("↑↓: choose · Enter: this item · Escape: back"),
            _("No item found"),
        )

    def job(self, text: str) -> Callable[[Session], list[ProductHit]]:
        from coop.till.product_search import search_products

        return lambda session: search_products(session, text)

    def found(self) -> type[ProductsFound]:
        return ProductsFound

    @on(ProductsFound)
    def search_done(self, message: ProductsFound) -> None:
        self.show_hits(message.result)

    def hit_text(self, hit: ProductHit) -> str:
        return hit_text(hit)

    def chosen(self, hit: ProductHit) -> str:
        return hit.code


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
