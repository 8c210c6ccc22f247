"""Command palette (Ctrl+P): the screens of the app, in the user's language.

``ScreensProvider`` offers one command per mode ("Open the counter"...); ``PrintProvider`` opens
the "Print" window of the current mode (``tui.screens.print_menu``, also on Ctrl+O). Coordinator
actions (issue 5, part 2) add their own providers here and list them in ``ComptoirApp.COMMANDS``.
"""

from __future__ import annotations

from functools import partial

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
