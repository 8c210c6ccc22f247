"""The search-as-you-type window both the member search (``tui.screens.member_search``) and the
counter's product search (``tui.screens.counter_find``) are: a query field, a list of hits
below it that ↑↓ move in (the field keeps the focus), Enter or a click takes the highlighted
hit, Escape backs out with None.

A search runs in an exclusive worker once two characters are typed (a newer keystroke cancels
the older search); a subclass says what to search (``job``), how a hit reads (``hit_text``),
what the window dismisses with (``chosen``) and its words, and forwards its own result message
to ``show_hits``. Widget ids are ``<kind>-query`` and ``<kind>-hits`` in a box ``<kind>-search``.
The list of hits is 12 rows high, fewer on a short terminal (80×24) so that the key line under it
stays on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy.orm import Session
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from coop.i18n import N_
from tui.messages import WorkResult
from tui.screens.base import ComptoirModal
from tui.work import run_work

H = TypeVar("H")


class SearchDialog(ComptoirModal, Generic[H]):
    KIND: ClassVar[str] = "search"
    """The ids' prefix (``member``, ``product``)."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", N_("Next"), show=False),
        Binding("up", "move(-1)", N_("Previous"), show=False),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__(classes="dialog")
        self.initial = query
        self.hits: list[H] = []

    # --- what a subclass says ------------------------------------------------------------------

    def words(self) -> tuple[str, str, str, str]:
        """(title, placeholder, help line, "nothing found")."""
        raise NotImplementedError

    def job(self, text: str) -> Callable[[Session], list[H]]:
        raise NotImplementedError

    def found(self) -> Callable[[list[H]], WorkResult[list[H]]]:
        """The message class the search's result comes back as."""
        raise NotImplementedError

    def hit_text(self, hit: H) -> str:
        raise NotImplementedError

    def chosen(self, hit: H) -> Any:
        """What the window dismisses with when ``hit`` is taken."""
        raise NotImplementedError

    # --- the window ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        title, placeholder, help_line, _empty = self.words()
        with Vertical(classes="dialog-box", id=f"{self.KIND}-search"):
            yield Static(title, classes="dialog-title")
            yield Input(value=self.initial, placeholder=placeholder, id=f"{self.KIND}-query")
            yield OptionList(id=f"{self.KIND}-hits")
            yield Static(help_line, classes="dialog-help")

    @property
    def options(self) -> OptionList:
        return self.query_one(f"#{self.KIND}-hits", OptionList)

    HITS_ROWS: ClassVar[int] = 12
    """The list's height (its border included) when the terminal is tall enough."""
    AROUND_HITS: ClassVar[int] = 12
    """The window's rows besides the list: border and padding 4, title 2, query 3, the list's
    margins 2, the key line 1."""

    def fit_hits(self) -> None:
        """As many rows as the window's 90 % of the terminal leaves (``dialogs.tcss``)."""
        room = self.app.size.height * 9 // 10 - self.AROUND_HITS
        self.options.styles.height = max(3, min(self.HITS_ROWS, room))

    def on_resize(self) -> None:
        self.fit_hits()

    def on_mount(self) -> None:
        self.fit_hits()
        self.options.can_focus = False
        self.query_one(f"#{self.KIND}-query", Input).focus()
        if self.initial:
            self.search(self.initial)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.search(event.value)

    def search(self, text: str) -> None:
        text = text.strip()
        if len(text) < 2:
            self.show_hits([])
            return
        run_work(
            self,
            done=self.found(),
            job=self.job(text),
            read_only=True,
            exclusive=True,
            group=f"{self.KIND}-search",
        )

    def show_hits(self, hits: list[H]) -> None:
        self.hits = hits
        options = self.options
        options.clear_options()
        if not hits:
            options.add_option(Option(self.words()[3], disabled=True))
            return
        options.add_options([Option(self.hit_text(hit), id=str(i)) for i, hit in enumerate(hits)])
        options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.options
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        highlighted = self.options.highlighted
        if not self.hits or highlighted is None:
            self.app.bell()
            return
        self.dismiss(self.chosen(self.hits[highlighted]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self.chosen(self.hits[int(event.option.id)]))
