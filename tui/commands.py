"""Command palette (Ctrl+P): the screens of the app, in the user's language.

``ScreensProvider`` offers one command per mode ("Open the counter"...). Coordinator actions
(issue 5, part 2) add their own providers here and list them in ``ComptoirApp.COMMANDS``.
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
