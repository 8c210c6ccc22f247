"""Small dialogs every screen uses: a yes/no question and one line of text (a reason...).

Both are ``ComptoirModal``: Escape backs out (``None``/``False``). ``TextDialog`` refuses empty
text when ``required``, anything that looks like a scan (a card or an item scanned while the
dialog is open) and what its ``check`` says is wrong (a weight of ``0``) with the bell and a
sentence, and stays open to be corrected: the scan never leaks into a sale, a typo never drops
the item.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from coop.i18n import N_, _
from tui.screens.base import ComptoirModal
from tui.widgets.scan_field import looks_like_scan


class ConfirmDialog(ComptoirModal):
    """A question answered with O/Y (yes) or Escape/N (no); dismisses with a bool.

    Enter answers yes only with ``enter_confirms=True``: a scanner's Enter must not quit the
    app or close the till by accident."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o,y", "confirm", N_("Yes"), id="confirm-yes"),
        Binding("escape,n", "cancel", N_("No"), id="confirm-no"),
        Binding("enter", "enter", show=False),
    ]

    def __init__(
        self,
        question: str,
        *,
        yes: str | None = None,
        no: str | None = None,
        enter_confirms: bool = False,
    ) -> None:
        super().__init__(classes="dialog")
        self.question = question
        self.yes = yes or _("Yes")
        self.no = no or _("No")
        self.enter_confirms = enter_confirms

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.question, classes="dialog-question")
            with Horizontal(classes="dialog-keys"):
                key = _("Enter") if self.enter_confirms else _("O")
                yield Label(_("{key}: {yes}").format(key=key, yes=self.yes), classes="dialog-key")
                yield Label(_("Escape: {no}").format(no=self.no), classes="dialog-key")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_enter(self) -> None:
        if self.enter_confirms:
            self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class TextDialog(ComptoirModal):
    """One line of text; Enter gives it (stripped), Escape gives None."""

    CSS_PATH = "dialogs.tcss"

    def __init__(
        self,
        title: str,
        prompt: str,
        *,
        value: str = "",
        placeholder: str = "",
        required: bool = True,
        accept_scans: bool = False,
        max_length: int = 200,
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        """``check`` gets the stripped text and returns why it is refused, or None."""
        super().__init__(classes="dialog")
        self.title_text = title
        self.prompt = prompt
        self.initial = value
        self.placeholder = placeholder
        self.required = required
        self.accept_scans = accept_scans
        self.max_length = max_length
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.prompt)
            yield Input(
                value=self.initial,
                placeholder=self.placeholder,
                max_length=self.max_length,
                id="dialog-input",
            )
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(_("Enter: confirm · Escape: back"), classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one("#dialog-input", Input).focus()

    def refuse(self, text: str) -> None:
        self.app.bell()
        self.query_one("#dialog-error", Static).update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text and self.required:
            self.refuse(_("Type something first, or Escape to go back."))
            return
        if not self.accept_scans and looks_like_scan(text):
            event.input.value = ""
            self.refuse(_("That looks like a scan: finish this window first (Escape: back)."))
            return
        wrong = self.check(text) if self.check is not None and text else None
        if wrong is not None:
            self.refuse(wrong)
            return
        self.dismiss(text)
