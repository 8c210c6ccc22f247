"""The till's status line at the top of the counter, and what the till's keys do: open it with
the float counted (F11), close it with the cash counted and the day's Z (F12), and write the PDF
of the last receipt (F8) or of a Z. The work runs in ``tui.counter_work``; each result comes
back to this widget as its own message; what the cashier should read is posted to the screen
as ``TillBar.Said``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.message import Message
from textual.widgets import Static

from coop.clock import SHOP_TIMEZONE
from coop.i18n import _
from coop.money import format_money
from tui import counter_work as work
from tui.counter_work import Shop, TillState
from tui.messages import WorkResult
from tui.services import services
from tui.widgets.receipt import z_text
from tui.work import run_work

if TYPE_CHECKING:  # named in a quoted base below, which ruff does not read as a use
    from coop.till.registry import SessionView  # noqa: F401


class TillLoaded(WorkResult[TillState]):
    """The till's state (open since when, or closed)."""


class TillOpened(WorkResult["SessionView"]):
    """The till was opened: its session."""


class TillClosed(WorkResult[work.Closed]):
    """The till was closed: its session, the day's report."""


class PdfWritten(WorkResult[Path]):
    """A receipt or a Z was written as a PDF."""


class TillBar(Static):
    """The till's state in one line (green open, red closed) and the till's actions."""

    class Said(Message):
        """Something the cashier should read in the counter's info line."""

        def __init__(self, text: str, level: str = "info") -> None:
            super().__init__()
            self.text = text
            self.level = level

    def __init__(self) -> None:
        super().__init__(_("Till: …"), id="till-status")
        self.till: TillState | None = None

    def shop(self) -> Shop:
        app = services(self)
        return Shop(app.settings, app.actor, app.clock())

    def say(self, text: str, level: str = "info") -> None:
        self.post_message(self.Said(text, level))

    @property
    def is_open(self) -> bool | None:
        """True or False once the state is known, None before."""
        return None if self.till is None else self.till.open

    def show(self) -> None:
        till = self.till
        self.remove_class("-open", "-closed")
        if till is None:
            self.update(_("Till: …"))
            return
        if till.session is not None:
            self.add_class("-open")
            self.update(
                _("Till {code} open since {at} (float {amount})").format(
                    code=till.code,
                    at=f"{till.session.opened_at.astimezone(SHOP_TIMEZONE):%H:%M}",
                    amount=format_money(till.session.opening_cents),
                )
            )
        else:
            self.add_class("-closed")
            self.update(_("Till {code} closed — F11 opens it").format(code=till.code))

    # --- the till's state -----------------------------------------------------------------------

    def load(self) -> None:
        from coop.till import registry

        code = registry.normalise_code(services(self).settings.till.till)
        run_work(
            self, lambda session: work.till_state(session, code), done=TillLoaded, read_only=True
        )

    @on(TillLoaded)
    def loaded(self, message: TillLoaded) -> None:
        self.till = message.result
        self.show()

    # --- opening and closing ----------------------------------------------------------------

    def ask_open(self) -> None:
        from tui.screens.till_dialogs import CountDialog

        if self.is_open:
            self.say(_("The till is already open."), "error")
            return

        def counted(result: tuple[Any, bool] | None) -> None:
            if result is not None:
                self.open(result[0])

        self.app.push_screen(
            CountDialog(
                _("Open the till"),
                _("Count the float in the drawer (total, or pieces: 20x2 10x4 …)"),
            ),
            counted,
        )

    def open(self, count: Any) -> None:
        shop = self.shop()
        run_work(self, lambda session: work.open_till(session, shop, count), done=TillOpened)

    @on(TillOpened)
    def opened(self, message: TillOpened) -> None:
        self.say(
            _("Till open with a float of {amount}.").format(
                amount=format_money(message.result.opening_cents)
            ),
            "ok",
        )
        self.load()

    def ask_close(self) -> None:
        from tui.screens.till_dialogs import CountDialog

        if self.is_open is False:
            self.say(_("The till is not open."), "error")
            return

        def counted(result: tuple[Any, bool] | None) -> None:
            if result is not None:
                self.close(*result)

        self.app.push_screen(
            CountDialog(
                _("Close the till"),
                _("Count the cash in the drawer (total, or pieces: 20x2 10x4 …)"),
                closing=True,
            ),
            counted,
        )

    def close(self, count: Any, take_z: bool) -> None:
        shop = self.shop()
        run_work(
            self, lambda session: work.close_till(session, shop, count, take_z), done=TillClosed
        )

    @on(TillClosed)
    def closed(self, message: TillClosed) -> None:
        from tui.screens.till_dialogs import ReportDialog

        closed = message.result
        self.load()
        warning = closed.backup.warning() if closed.backup is not None else None
        if warning is not None:  # the Z stands; its automatic backup could not be written
            self.say(warning, "error")
        else:
            self.say(_("Till closed."), "ok")
        self.app.push_screen(
            ReportDialog(
                z_text(closed.report, closed.session),
                on_print=lambda: self.print_z(closed.till, closed.day),
            )
        )

    # --- printing (PDF in the data folder) -----------------------------------------------------

    def print_receipt(self, recorded: work.Recorded) -> None:
        from tui.printing import print_receipt

        shop = self.shop()
        run_work(
            self,
            lambda session: print_receipt(
                session,
                till=recorded.till,
                number=recorded.number,
                settings=shop.settings,
                now=shop.now,
            ),
            done=PdfWritten,
            read_only=True,
        )

    def print_z(self, till: str, day: date) -> None:
        from tui.printing import print_z

        shop = self.shop()
        run_work(
            self,
            lambda session: print_z(
                session, till=till, day=day, settings=shop.settings, now=shop.now
            ),
            done=PdfWritten,
            read_only=True,
        )

    @on(PdfWritten)
    def written(self, message: PdfWritten) -> None:
        path = message.result
        self.say(_("PDF written: {path}").format(path=path), "ok")
        self.app.notify(_("PDF written: {path}").format(path=path), timeout=8)
