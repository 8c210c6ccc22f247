"""The welcome desk's PIN window (F8 at the desk): a member sets or changes their own PIN.

The member scans their card (the desk's current member is filled in), types the old PIN if they
have one, then the new PIN twice; every PIN field is masked and no PIN is ever shown, logged or
kept after the window closes. A forgotten PIN: F3 asks a coordinator's card and PIN on the spot
(``tui.screens.login.LoginDialog``); the reset then names both people in the audit log.

Every rule (the PIN rules, the old PIN, who may reset) is checked by
``coop.staff.desk_pin.change_own_pin``, not here; the window shows its sentence when it refuses
and empties the PIN fields. It dismisses with the sentence to show on the desk, or None."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from coop.errors import CoopError
from coop.i18n import N_, _
from coop.rights import Actor
from tui.screens.base import ComptoirModal

PIN_FIELDS = ("#pin-old", "#pin-new", "#pin-again")


class OwnPinDialog(ComptoirModal):
    """Card, old PIN (if any), new PIN twice; F3: a coordinator authorises a reset."""

    CSS_PATH = "dialogs.tcss"
    DEFAULT_CSS = """
    OwnPinDialog .pin-row { height: 1; margin-bottom: 1; }
    OwnPinDialog .pin-label { width: 34; padding-right: 1; }
    OwnPinDialog .pin-row Input { width: 1fr; background: $boost; }
    OwnPinDialog .pin-row Input:focus { background: $accent 40%; }
    OwnPinDialog .pin-row Input:disabled { background: $panel; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f3", "reset", N_("Forgotten PIN"), id="pin-reset", key_display="F3"),
    ]

    def __init__(self, card: str = "") -> None:
        super().__init__(classes="dialog", id="pin-dialog")
        self.card = card
        self.authoriser: Actor | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(_("Set or change my PIN"), classes="dialog-title")
            yield Static(
                _(
                    "A PIN has at least 4 digits, not all the same, not a run (like 1234);"
                    " it is never shown."
                )
            )
            for key, label, value in (
                ("pin-card", _("Card or member number"), self.card),
                ("pin-old", _("Old PIN (empty if none)"), ""),
                ("pin-new", _("New PIN"), ""),
                ("pin-again", _("The same new PIN again"), ""),
            ):
                with Horizontal(classes="pin-row"):
                    yield Label(label, classes="pin-label")
                    yield Input(
                        value,
                        password=key != "pin-card",
                        max_length=20 if key == "pin-card" else 12,
                        compact=True,
                        id=key,
                    )
            yield Static("", id="pin-authorised")
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(
                _("Enter: next / confirm · F3: forgotten PIN (a coordinator) · Escape: back"),
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        self.query_one("#pin-old" if self.card else "#pin-card", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        order = ["#pin-card", *PIN_FIELDS]
        if self.authoriser is not None:
            order.remove("#pin-old")
        here = f"#{event.input.id}"
        if here != order[-1]:
            self.query_one(order[order.index(here) + 1], Input).focus()
            return
        self.confirm()

    def confirm(self) -> None:
        from coop.staff.desk_pin import change_own_pin

        services: Any = self.app
        value = {key: self.query_one(key, Input).value for key in ("#pin-card", *PIN_FIELDS)}
        try:
            changed = change_own_pin(
                services.session_factory,
                value["#pin-card"],
                value["#pin-new"],
                value["#pin-again"],
                old_pin=value["#pin-old"],
                authoriser=self.authoriser,
                now=services.clock(),
            )
        except CoopError as error:
            self.app.bell()
            for key in PIN_FIELDS:
                self.query_one(key, Input).value = ""
            first = "#pin-new" if self.authoriser is not None else "#pin-old"
            self.query_one(first, Input).focus()
            self.query_one("#dialog-error", Static).update(str(error))
            return
        if changed.authorised_by:
            text = _("PIN of member {number} {name} reset, authorised by {who}.").format(
                number=changed.number, name=changed.name, who=changed.authorised_by
            )
        else:
            text = _("PIN of member {number} {name} set.").format(
                number=changed.number, name=changed.name
            )
        self.dismiss(text)

    def action_reset(self) -> None:
        """F3: a coordinator's card and PIN, for a forgotten PIN."""
        from tui.screens.login import LoginDialog

        def given(actor: Actor | None) -> None:
            if actor is None:
                return
            self.authoriser = actor
            old = self.query_one("#pin-old", Input)
            old.value, old.disabled = "", True
            self.query_one("#pin-authorised", Static).update(
                _("Reset authorised by {who}.").format(who=actor.label)
            )
            self.query_one("#pin-new", Input).focus()

        self.app.push_screen(LoginDialog(_("Forgotten PIN: a coordinator's card and PIN")), given)
