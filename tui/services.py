"""What a screen may ask of the app, typed: the composition root's settings, session factory,
clock and actor (``tui.app.ComptoirApp`` provides them, the tests build it with ``make_app``).

Screens and widgets reach them through ``services(node)`` (or ``ComptoirScreen.comptoir``)
instead of untyped ``self.app.settings``: a typo or a missing service is a type error, not a
crash at the counter.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol, cast

from sqlalchemy.orm import Session, sessionmaker
from textual.dom import DOMNode

from coop.audit import Actor
from coop.config import Settings


class AppServices(Protocol):
    """The app's services (see ``tui.app.ComptoirApp``)."""

    settings: Settings
    session_factory: sessionmaker[Session]
    clock: Callable[[], datetime]
    actor: Actor

    def screen_ready(self) -> None:
        """Called by a mode's screen when it can take input."""
        ...


def services(node: DOMNode) -> AppServices:
    """The services of the app running ``node``."""
    return cast(AppServices, node.app)
