"""Opening and closing the till: the cash count, then the day's figures (Z) on screen.

``CountDialog`` asks for the drawer, either as one total ("150,00") or coin by coin and note by
note ("20x2 10x4 5x6 2x10 1x12 0,50x10"), read into the core's ``CashCount``
(``coop.till.cash.count_cash``/``declared_cash``); on closing, a check box says whether to take
the day's Z as well (on by default; off for a midday change of cashier). ``ReportDialog`` shows
a text (the Z) until Enter or Escape.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Static

from coop.i18n import N_, _
from coop.money import MoneyError, parse_amount
from coop.till.cash import CashCount, count_cash, declared_cash
from coop.till.refusals import Refused
from coop.till.words import refusal
from tui.screens.base import ComptoirModal
from tui.widgets.scan_field import looks_like_scan

_PIECE = re.compile(r"([\d.,]+)\s*[x×*]\s*(\d+)")


def parse_count(text: str) -> CashCount:
    """A declared total or pieces ("20x2 0,50x10"); ValueError with the sentence to show."""
    text = text.strip()
    if not text:
        raise ValueError(_("Type the amount counted, e.g. 150,00 or 20x2 10x4 0,50x10."))
    if not re.search(r"[x×*]", text.lower()):
        try:
            return declared_cash(parse_amount(text))
        except MoneyError as error:
            raise ValueError(str(error)) from error
        except Refused as error:
            raise ValueError(refusal(error)) from error
    counts: dict[int, int] = {}
    for part in text.replace(";", " ").split():
        match = _PIECE.fullmatch(part.lower())
        if match is None:
            raise ValueError(
                _("“{text}” is not a count like 20x3 (three 20 € notes)").format(text=part)
            )
        try:
            value = Decimal(match.group(1).replace(",", ".")) * 100
        except InvalidOperation:
            raise ValueError(_("“{text}” is not an amount").format(text=part)) from None
        if value != value.to_integral_value():
            raise ValueError(_("“{text}” is not an amount").format(text=part))
        cents = int(value)
        counts[cents] = counts.get(cents, 0) + int(match.group(2))
    try:
        return count_cash(counts)
    except Refused as error:
        raise ValueError(refusal(error)) from error


class CountDialog(ComptoirModal):
    """Dismisses with (CashCount, take_z) or None."""

    CSS_PATH: ClassVar = ["dialogs.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "toggle_z", N_("Z or not"), id="count-z"),
    ]

    def __init__(self, title: str, prompt: str, *, closing: bool = False) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.prompt = prompt
        self.closing = closing

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.prompt)
            yield Input(placeholder=_("150,00 or 20x2 10x4 5x6 2x10 1x12 0,50x10"), id="count")
            if self.closing:
                yield Checkbox(_("Take the day's Z (no more sales today) — F2"), True, id="take-z")
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(
                _("Enter: confirm · Tab: next field · Escape: back"), classes="dialog-help"
            )

    def on_mount(self) -> None:
        self.query_one("#count", Input).focus()
        if self.closing:
            self.query_one("#take-z", Checkbox).can_focus = False

    def action_toggle_z(self) -> None:
        if self.closing:
            box = self.query_one("#take-z", Checkbox)
            box.value = not box.value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        error = self.query_one("#dialog-error", Static)
        if looks_like_scan(event.value) and not re.search(r"[x×*,.]", event.value):
            event.input.value = ""
            self.app.bell()
            error.update(_("That looks like a scan: type the amount counted."))
            return
        try:
            count = parse_count(event.value)
        except ValueError as problem:
            self.app.bell()
            error.update(str(problem))
            return
        take_z = self.query_one("#take-z", Checkbox).value if self.closing else False
        self.dismiss((count, take_z))


class ReportDialog(ComptoirModal):
    """A text to read (the Z report); Enter or Escape closes it, F8 prints it (``on_print``)."""

    CSS_PATH: ClassVar = ["dialogs.tcss", "till_dialogs.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "cancel", N_("Close"), id="report-close"),
        Binding("f8", "print", N_("Print"), id="report-print", key_display="F8"),
    ]

    def __init__(self, text: Text, on_print: Callable[[], None] | None = None) -> None:
        super().__init__(classes="dialog")
        self.text = text
        self.on_print = on_print

    def action_print(self) -> None:
        if self.on_print is not None:
            self.on_print()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="report-box"):
            with VerticalScroll(id="report-scroll"):
                yield Static(self.text, id="report-text")
            yield Static(_("F8: print (PDF) · Enter or Escape: close"), classes="dialog-help")
