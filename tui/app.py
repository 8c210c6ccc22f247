"""The application factory used by `coop tui`, `coop demo` and the tests.

Until the counter screens exist (terminal UI issue), the app opens on a summary of what the
database holds, so `coop demo` shows that the data is loaded.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static

from coop.clock import Clock
from coop.config import Settings
from coop.i18n import _, set_language


class ComptoirApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "Comptoir"

    def __init__(
        self,
        settings: Settings,
        session_factory: sessionmaker[Session],
        clock: Clock,
        mode: str = "counter",
    ) -> None:
        super().__init__()
        set_language(settings.language)
        self.settings = settings
        self.session_factory = session_factory
        self.clock = clock
        self.mode = mode
        self.title = settings.coop_name
        self.sub_title = _("What this database holds")
        # Binding descriptions are shown as given: set them once the language is known.
        self.bind("f10", "quit", description=_("Quit"))

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="summary"):
            yield Static(_("What this database holds"), id="summary-title")
            yield DataTable(id="summary-table", cursor_type="none", zebra_stripes=True)
            yield Static(
                _(
                    "The counter, welcome desk and coordinator screens are coming in a later"
                    " version."
                ),
                id="summary-note",
            )
        yield Footer()

    def on_mount(self) -> None:
        from coop.demo import summary

        table = self.query_one(DataTable)
        table.add_columns(_("What"), _("How many"))
        for label, count in summary(self.session_factory).items():
            table.add_row(label, str(count))


def make_app(
    settings: Settings,
    session_factory: sessionmaker[Session],
    clock: Clock,
    mode: str = "counter",
) -> ComptoirApp:
    return ComptoirApp(settings, session_factory, clock, mode)
