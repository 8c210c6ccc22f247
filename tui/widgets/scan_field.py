"""The scan field: a plain text input that keeps the focus and announces non-empty scans.

A USB scanner types digits fast then a terminator (Enter; sometimes CR+LF, which arrives as a
second, empty Enter). ``ScanField`` posts ``ScanField.Scanned(text)`` for each non-empty
submission, clears itself, and drops empty ones (a doubled terminator, Enter pressed twice). It
maps nothing: the text goes to the core as typed (``coop.catalog.scan`` maps AZERTY-shifted
digits ``&é"'(-è_çà`` back, checks check digits and lengths). Never ``type="integer"``: that
would swallow the AZERTY characters and submit an empty scan.

Focus: the screen that holds it sets ``AUTO_FOCUS`` to it and calls ``focus()`` on resume (after
every dialog); if focus falls on nothing while its screen is on top, it takes it back.
"""

from __future__ import annotations

from textual.events import Blur
from textual.message import Message
from textual.widgets import Input

from coop.i18n import _
from tui.i18n import translate_bindings


class ScanField(Input):
    DEFAULT_CSS = """
    ScanField {
        border: tall $accent;
    }
    ScanField:focus {
        border: tall $success;
    }
    """

    class Scanned(Message):
        """A non-empty scan or typed code, as typed (``text``)."""

        def __init__(self, field: ScanField, text: str) -> None:
            super().__init__()
            self.field = field
            self.text = text

        @property
        def control(self) -> ScanField:
            return self.field

    def __init__(self, placeholder: str | None = None, *, id: str = "scan") -> None:
        super().__init__(
            placeholder=placeholder
            or _("Scan a member card or an item (or type a code), then Enter"),
            id=id,
            type="text",
            select_on_focus=False,
        )
        translate_bindings(self)

    async def action_submit(self) -> None:
        text = self.value
        self.value = ""
        if not text.strip():
            return
        self.post_message(self.Scanned(self, text))

    def _on_blur(self, event: Blur) -> None:
        super()._on_blur(event)
        self.call_after_refresh(self._take_focus_back)

    def _take_focus_back(self) -> None:
        if not self.is_attached:
            return
        if self.app.screen is self.screen and self.app.focused is None:
            self.focus()


def looks_like_scan(text: str) -> bool:
    """Does this input look like a barcode (eight digits or more, AZERTY-shifted or not)?

    Dialogs asking for an amount, a number or a reason refuse such input: a second scan while
    a dialog is open must not become a 3 017 620 422 003 € cash payment or a reason.
    """
    from coop.scanning import ScanError, normalise_scan

    try:
        digits = normalise_scan(text)
    except ScanError:
        return True
    return digits.isdigit() and len(digits) >= 8
