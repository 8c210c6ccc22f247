"""Command palette (Ctrl+P): the screens of the app, in the user's language.

``ScreensProvider`` offers one command per mode ("Open the counter"...); ``CoordinatorProvider``
the coordinator's actions (generate shifts, a closure, a stock receipt...), which open the
coordinator screen (behind its PIN) and run the action there; ``PrintProvider`` opens the "Print"
window of the current mode (``tui.screens.print_menu``, also on Ctrl+O).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from coop.i18n import _


def mode_titles() -> dict[str, tuple[str, str]]:
    """mode → (command, help), translated now."""
    return {
        "counter": (_("Counter"), _("Open the counter: sell, take payment, open and close")),
        "desk": (_("Welcome desk"), _("Check a member at the door")),
        "shifts": (_("Shift desk"), _("Today's shifts: who came, who is missing")),
        "distribution": (_("Distribution"), _("An AMAP distribution: who collected")),
        "coordinator": (_("Coordination"), _("Members, shift calendar, stock")),
    }


class ScreensProvider(Provider):
    async def discover(self) -> Hits:
        for mode, (name, help_text) in mode_titles().items():
            yield DiscoveryHit(name, partial(self.app.switch_mode, mode), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for mode, (name, help_text) in mode_titles().items():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(name),
                    partial(self.app.switch_mode, mode),
                    help=help_text,
                )


def coordinator_actions() -> list[tuple[str, str, str]]:
    """(command, help, action of ``CoordinatorScreen``), translated now."""
    return [
        (_("Find a member (coordination)"), _("Details, household, cards, shift ledger"), "member"),
        (_("Shift calendar"), _("This week's shifts and how full they are"), "week"),
        (_("Generate shifts"), _("Create the shifts of a period from the templates"), "generate"),
        (
            _("Close the shop"),
            _("A closure: dates and a reason; the shifts inside are cancelled"),
            "closure",
        ),
        (_("Stock receipt"), _("Product, quantity and unit cost received"), "receipt"),
        (_("Inventory count"), _("Record a product's counted quantity"), "count"),
        (
            _("Close the inventory"),
            _("The inventory under way in words, then its differences booked"),
            "close_inventory",
        ),
        (
            _("Accounts: the outbox to Odoo"),
            _("What waits to be pushed, what needs attention; retry or mark resolved"),
            "treasurer",
        ),
    ]


async def open_coordinator(app: Any, action: str) -> None:
    """Go to the coordinator screen and run ``action`` there (after the PIN, when one is set)."""
    await app.switch_mode("coordinator")
    app.screen_stack[0].request(action)


class CoordinatorProvider(Provider):
    """The coordinator's actions, straight from the palette (Ctrl+P)."""

    async def discover(self) -> Hits:
        for name, help_text, action in coordinator_actions():
            yield DiscoveryHit(name, partial(open_coordinator, self.app, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in coordinator_actions():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(name),
                    partial(open_coordinator, self.app, action),
                    help=help_text,
                )


def print_command() -> tuple[str, str]:
    return _("Print a document…"), _("The documents of this screen as PDF in the data folder")


class PrintProvider(Provider):
    def open(self) -> None:
        from tui.screens.print_menu import open_print_menu

        open_print_menu(self.app)

    async def discover(self) -> Hits:
        name, help_text = print_command()
        yield DiscoveryHit(name, self.open, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        name, help_text = print_command()
        score = matcher.match(name)
        if score > 0:
            yield Hit(score, matcher.highlight(name), self.open, help=help_text)
