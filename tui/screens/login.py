"""Handing the terminal to a person: their card (scanned, or their member number typed) and
their PIN (never shown). Asked when the app opens without a logged-in person and by the
"lock / change person" key (Ctrl+L), which first locks the terminal (the previous person's
rights are gone at once) then asks the next person: one step to hand over between two sales.

The check is ``coop.staff.service.log_in``: a wrong try is counted in the database (the fifth
locks the PIN), and the refusal never says whether the card or the PIN was wrong. Escape leaves
the terminal locked (an actor with no role: gated actions refuse until someone logs in)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from coop.errors import CoopError
from coop.i18n import _
from coop.rights import Actor, NotAllowed, right_words
from tui.screens.base import ComptoirModal


def locked_actor() -> Actor:
    """Who acts while nobody is logged in: no role (gated actions refuse)."""
    return Actor(_("terminal locked"))


class LoginDialog(ComptoirModal):
    """Card, then PIN; dismisses with the ``Actor`` or None (Escape)."""

    CSS_PATH = "dialogs.tcss"

    def __init__(self, title: str | None = None) -> None:
        super().__init__(classes="dialog")
        self.title_text = title or _("Who is at this terminal?")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(_("Scan your card (or type your member number), then your PIN."))
            yield Input(placeholder=_("card or member number"), max_length=20, id="login-card")
            yield Input(placeholder=_("PIN"), password=True, max_length=12, id="login-pin")
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(_("Enter: confirm · Escape: back"), classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one("#login-card", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        card = self.query_one("#login-card", Input)
        pin = self.query_one("#login-pin", Input)
        if event.input is card:
            if card.value.strip():
                pin.focus()
            return
        if not card.value.strip():
            card.focus()
            return
        from coop.staff.service import log_in

        services: Any = self.app
        try:
            actor = log_in(services.session_factory, card.value, pin.value, now=services.clock())
        except CoopError as error:
            self.app.bell()
            pin.value = ""
            card.value = ""
            card.focus()
            self.query_one("#dialog-error", Static).update(str(error))
            return
        self.dismiss(actor)


def hand_over(app: App[Any], then: Callable[[Actor], None] | None = None) -> None:
    """Lock the terminal now and ask who takes it; ``then`` runs with the person logged in."""
    services: Any = app
    services.actor = locked_actor()
    app.sub_title = _("terminal locked")

    def logged_in(actor: Actor | None) -> None:
        if actor is None:
            return
        services.actor = actor
        app.sub_title = actor.label
        app.notify(_("{name} is at the terminal.").format(name=actor.name))
        if then is not None:
            then(actor)

    app.push_screen(LoginDialog(), logged_in)


def ask_second(app: App[Any], refusal: NotAllowed, then: Callable[[Actor | None], None]) -> None:
    """The person at the terminal lacks a right: ask the card and PIN of someone who holds it;
    ``then`` gets that person (None: nobody, or they lack it too, said in the window)."""

    services: Any = app

    def given(second: Actor | None) -> None:
        from coop.staff.gates import authoriser

        try:
            if second is not None:
                authoriser(services.session_factory, second, refusal.right, now=services.clock())
        except NotAllowed:
            assert second is not None
            app.bell()
            app.notify(
                _("{name} may not {what} either.").format(
                    name=second.name, what=right_words(refusal.right)
                ),
                severity="error",
            )
            second = None
        then(second)

    app.bell()
    app.push_screen(LoginDialog(str(refusal) + "\n\n" + _("Authorisation:")), given)
