"""The coordinator's dialogs: a small form (a few labelled lines) and the PIN.

``FormDialog``: Enter goes to the next line, Enter on the last line checks the form with its
``validate`` callable (plain parsing: dates, amounts, required values) and dismisses with what it
returns; a refusal is shown in the dialog, which stays open. A line that is not meant for a
barcode refuses what looks like a scan (a card scanned by mistake while the form is open).
Escape backs out with None.

``PinDialog``: the PIN typed hidden; dismisses with True once it matches ``pin_matches``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from coop.errors import CoopError
from coop.i18n import _
from tui.screens.base import ComptoirModal
from tui.widgets.scan_field import looks_like_scan


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    value: str = ""
    placeholder: str = ""
    scans: bool = False
    """May this line receive a barcode (a product code, a card)?"""


class FormDialog(ComptoirModal):
    CSS_PATH = "coordinator.tcss"

    def __init__(
        self,
        title: str,
        fields: list[Field],
        validate: Callable[[dict[str, str]], Any] | None = None,
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.fields = fields
        self.validate = validate or (lambda values: values)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box form-box"):
            yield Static(self.title_text, classes="dialog-title")
            for field in self.fields:
                with Horizontal(classes="form-row"):
                    yield Label(field.label, classes="form-label")
                    yield Input(
                        value=field.value,
                        placeholder=field.placeholder,
                        max_length=200,
                        compact=True,
                        id=f"field-{field.key}",
                    )
            yield Static("", id="form-error", classes="dialog-error")
            yield Label(
                _("Enter: next line, then confirm · Tab: move · Escape: back"),
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def refuse(self, text: str) -> None:
        self.app.bell()
        self.query_one("#form-error", Static).update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        field = self.fields[index]
        if not field.scans and looks_like_scan(event.value):
            event.input.value = ""
            self.refuse(_("That looks like a scan: finish this window first (Escape: back)."))
            return
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
            return
        values = {f.key: box.value.strip() for f, box in zip(self.fields, inputs, strict=True)}
        for f, box in zip(self.fields, inputs, strict=True):
            if not f.scans and looks_like_scan(box.value):
                box.value = ""
                box.focus()
                self.refuse(_("That looks like a scan: finish this window first (Escape: back)."))
                return
        try:
            result = self.validate(values)
        except (ValueError, CoopError) as error:
            self.refuse(str(error))
            return
        self.dismiss(result)


def pin_matches(configured: str, typed: str) -> bool:
    """The PIN as configured (plain, or ``sha256:<hex>``) against what was typed."""
    if configured.startswith("sha256:"):
        digest = hashlib.sha256(typed.encode("utf-8")).hexdigest()
        return hmac.compare_digest(digest, configured.removeprefix("sha256:").lower())
    return hmac.compare_digest(typed.encode("utf-8"), configured.encode("utf-8"))


class PinDialog(ComptoirModal):
    CSS_PATH = "coordinator.tcss"

    def __init__(self, configured: str) -> None:
        super().__init__(classes="dialog")
        self.configured = configured

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="pin-box"):
            yield Static(_("Coordination"), classes="dialog-title")
            yield Label(_("Type the coordinators' PIN, then Enter"))
            yield Input(password=True, max_length=64, id="pin-input")
            yield Static("", id="pin-error", classes="dialog-error")
            yield Label(_("Escape: back"), classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one("#pin-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value
        event.input.value = ""
        if not typed:
            return
        if pin_matches(self.configured, typed):
            self.dismiss(True)
            return
        self.app.bell()
        self.query_one("#pin-error", Static).update(_("Wrong PIN."))

    def action_cancel(self) -> None:
        self.dismiss(False)
