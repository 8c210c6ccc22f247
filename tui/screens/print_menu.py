"""The "Print" window (Ctrl+O, or "Print a document…" in the command palette): the documents of
the current mode as PDFs in ``<data folder>/prints/`` (``tui.printing``).

Keyboard only: ↑↓ and Enter choose a document; a small form asks for its parameters, already
filled with sensible defaults (today, the till's last sale, the latest invoice, the latest cycle
that is no longer open); Enter prints, ↑↓ or Tab move between fields, Escape goes back to the
list, then closes the window. The work runs in a thread worker (``tui.work.run_work``, read-only:
``DefaultsFound``, ``Printed`` or ``PrintFailed``);
a progress bar follows long batches (cards, the status list, every order sheet of a cycle).
The path written is notified and the window closes; a refusal is notified as a sentence and the
form stays open to correct it.

The documents, their fields and which mode offers which (``MENUS``: the counter, receipts and Z;
the shift desk, the sign-in sheet; the welcome desk, the paper status list; a distribution, the
packing lists; the coordination, everything but the till's papers) are declared once in
``coop.printables``, which ``coop print`` reads too; each field's kind says how the form reads it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy.orm import Session
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from coop.i18n import N_, _
from coop.printables import ENTRIES, MENUS, Default, Entry, Field, Kind, screen_fields
from tui.messages import WorkFailed, WorkResult
from tui.screens.base import ComptoirModal
from tui.work import run_work

YES_NO = (N_("yes"), N_("no"))
"""The words a yes/no field takes (translated), besides their first letters."""

FIELDS: dict[str, Field] = {field.name: field for field in screen_fields()}
"""One row of the form per field (``coop.printables``), shown for the documents that take it."""


def open_print_menu(app: App[Any]) -> None:
    """Open the window for the app's current mode (once: never over itself)."""
    if isinstance(app.screen, PrintMenu):
        return
    app.push_screen(PrintMenu(app.current_mode))


def field_label(name: str) -> str:
    return _(FIELDS[name].label)


def _day_text(value: date) -> str:
    return value.strftime("%d/%m/%Y")


class DefaultsFound(WorkResult[dict[str, Any]]):
    """The defaults read from the database: field name → value (None when nothing yet)."""


class Printed(WorkResult[Path]):
    """The document was written: the PDF's path (the folder, for order sheets)."""


class PrintFailed(WorkFailed):
    """The document could not be printed (the base screen notifies the sentence)."""


class PrintMenu(ComptoirModal):
    CSS_PATH = "print_menu.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", N_("Next field"), show=False),
        Binding("up", "move(-1)", N_("Previous field"), show=False),
    ]

    def __init__(self, mode: str) -> None:
        super().__init__(classes="print-dialog")
        self.mode = mode
        self.documents = [ENTRIES[key] for key in MENUS.get(mode, MENUS["coordinator"])]
        self.chosen: Entry | None = None
        self.busy = False

    # --- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="print-box"):
            yield Static(_("Print a document"), id="print-title")
            yield OptionList(
                *[
                    Option(f"{_(doc.title)} — {_(doc.summary)}", id=doc.key)
                    for doc in self.documents
                ],
                id="print-choices",
            )
            with Vertical(id="print-form"):
                for name, field in FIELDS.items():
                    with Horizontal(classes="print-field", id=f"row-{name}"):
                        yield Label(_(field.label), classes="print-label")
                        yield Input(placeholder=_(field.hint), id=f"field-{name}")
            with Vertical(id="print-progress"):
                yield Label(_("Printing…"), id="print-count")
                yield ProgressBar(total=None, show_eta=False, id="print-bar")
            yield Static("", id="print-help")

    def on_mount(self) -> None:
        self.show_list()

    def show_list(self) -> None:
        self.chosen = None
        self.query_one("#print-title", Static).update(_("Print a document"))
        self.query_one("#print-form").display = False
        self.query_one("#print-progress").display = False
        choices = self.query_one("#print-choices", OptionList)
        choices.display = True
        if choices.highlighted is None:
            choices.highlighted = 0
        choices.focus()
        self.query_one("#print-help", Static).update(
            _("↑↓: choose · Enter: this document · Escape: back")
        )

    def choose(self, document: Entry) -> None:
        self.chosen = document
        asked = {field.name for field in document.fields()}
        self.query_one("#print-title", Static).update(_(document.title))
        self.query_one("#print-choices").display = False
        self.query_one("#print-form").display = True
        for name in FIELDS:
            row = self.query_one(f"#row-{name}")
            row.display = name in asked
            self.query_one(f"#field-{name}", Input).value = ""
        self.fill_defaults(document)
        self.query_one(f"#field-{document.fields()[0].name}", Input).focus()
        self.query_one("#print-help", Static).update(
            _("Enter: print · ↑↓: another field · Escape: back to the list")
        )

    # --- defaults --------------------------------------------------------------------------------

    def today(self) -> date:
        from coop.clock import local_date

        return local_date(self.comptoir.clock())

    def fill_defaults(self, document: Entry) -> None:
        """Each field's ``Default``: the known ones at once, those read from the database by a
        worker (``DefaultsFound``)."""
        today = self.today()
        till = self.comptoir.settings.till.till
        known = {
            Default.THIS_TILL: till,
            Default.TODAY: _day_text(today),
            Default.NEW_YEAR: _day_text(today.replace(month=1, day=1)),
            Default.NO: _("no"),
        }
        wanted: dict[str, Default] = {}
        for field in document.fields():
            if field.default in known:
                self.query_one(f"#field-{field.name}", Input).value = known[field.default]
            elif field.default is not Default.NONE:
                wanted[field.name] = field.default
        if not wanted:
            return

        def job(session: Session) -> dict[str, Any]:
            from tui import printing

            return {
                name: printing.default_value(session, default, till=till)
                for name, default in wanted.items()
            }

        run_work(self, job, done=DefaultsFound, read_only=True)

    @on(DefaultsFound)
    def defaults_found(self, message: DefaultsFound) -> None:
        found = message.result
        if self.chosen is None:
            return
        asked = {field.name for field in self.chosen.fields()}
        for name, value in found.items():
            field = self.query_one(f"#field-{name}", Input)
            if value is not None and name in asked and not field.value:
                field.value = str(value)
                field.cursor_position = len(field.value)

    # --- keys ------------------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None and not self.busy:
            self.choose(ENTRIES[event.option.id])

    def action_move(self, step: int) -> None:
        if self.chosen is None or self.busy:
            return
        if step > 0:
            self.focus_next(Input)
        else:
            self.focus_previous(Input)

    def action_cancel(self) -> None:
        if self.busy:
            self.app.bell()
            self.app.notify(_("Printing… please wait."), timeout=3)
            return
        if self.chosen is not None:
            self.show_list()
            return
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.chosen is None or self.busy:
            return
        try:
            job = self.job(self.chosen)
        except FieldError as error:
            self.app.bell()
            self.app.notify(str(error), severity="error", timeout=8)
            self.query_one(f"#field-{error.field}", Input).focus()
            return
        self.start(job)

    # --- the work --------------------------------------------------------------------------------

    def value(self, name: str) -> str:
        return self.query_one(f"#field-{name}", Input).value.strip()

    def day(self, name: str) -> date:
        from coop.dates import parse_date

        text = self.value(name)
        label = field_label(name)
        if not text:
            raise FieldError(name, _("{field}: a date is needed (31/12/2026).").format(field=label))
        try:
            return parse_date(text)
        except ValueError as error:
            raise FieldError(name, f"{label}: {error}.") from error

    def number(self, name: str) -> int:
        text = self.value(name)
        label = field_label(name)
        if not text.isdigit() or int(text) == 0:
            raise FieldError(
                name,
                _("{field}: “{text}” is not a number.").format(field=label, text=text)
                if text
                else _("{field}: a number is needed.").format(field=label),
            )
        return int(text)

    def yes_no(self, name: str) -> bool:
        text = self.value(name).casefold()
        yes, no = (_(word).casefold() for word in YES_NO)
        if text in (yes, yes[:1]):
            return True
        if text in ("", no, no[:1]):
            return False
        raise FieldError(
            name,
            _("{field}: “{text}” is neither {yes} nor {no}.").format(
                field=field_label(name), text=self.value(name), yes=yes, no=no
            ),
        )

    def text(self, name: str) -> str:
        text = self.value(name)
        if not text:
            label = field_label(name)
            raise FieldError(name, _("{field}: this is needed.").format(field=label))
        return text

    def read(self, field: Field) -> Any:
        """A field's value, read as its kind says (``FieldError`` naming it otherwise)."""
        if field.kind is Kind.DAY:
            return self.day(field.name)
        if field.kind is Kind.NUMBER:
            return self.number(field.name)
        if field.kind is Kind.NUMBERS:
            return self.member_numbers(field.name)
        if field.kind is Kind.YES_NO:
            return self.yes_no(field.name)
        if field.blank:
            return self.value(field.name) or None
        text = self.text(field.name)
        return text.upper() if field.kind is Kind.TILL else text

    def job(self, document: Entry) -> Callable[[Session], Path]:
        """The worker's job for ``document`` with the form's values (checked here first)."""
        from tui import printing

        settings = self.comptoir.settings
        now = self.comptoir.clock()
        values = {field.name: self.read(field) for field in document.fields()}
        values.update(document.fixed)
        progress = self.progress_callback() if document.batch else None
        name = document.document
        return lambda s: printing.print_document(
            s, name, values, settings=settings, now=now, progress=progress
        )

    def member_numbers(self, name: str) -> list[int] | None:
        text = self.value(name)
        parts = [part for part in re.split(r"[\s,;]+", text) if part]
        bad = [part for part in parts if not part.isdigit()]
        if bad:
            label = field_label(name)
            raise FieldError(
                name, _("{field}: “{text}” is not a number.").format(field=label, text=bad[0])
            )
        return [int(part) for part in parts] or None

    def progress_callback(self) -> Callable[[int, int], None]:
        app = self.app

        def progress(done: int, total: int) -> None:  # called from the worker thread
            app.call_from_thread(self.show_progress, done, total)

        return progress

    def show_progress(self, done: int, total: int) -> None:
        self.query_one("#print-bar", ProgressBar).update(total=total or None, progress=done)
        if total:
            self.query_one("#print-count", Label).update(
                _("Printing… {done} of {total}").format(done=done, total=total)
            )

    def start(self, job: Callable[[Session], Path]) -> None:
        self.busy = True
        self.query_one("#print-form").display = False
        self.query_one("#print-count", Label).update(_("Printing…"))
        self.query_one("#print-bar", ProgressBar).update(total=None, progress=0)
        self.query_one("#print-progress").display = True
        self.query_one("#print-help", Static).update(_("The PDF is being written…"))
        self.set_focus(None)
        run_work(self, job, done=Printed, failed=PrintFailed, read_only=True)

    @on(Printed)
    def printed(self, message: Printed) -> None:
        path = message.result
        self.busy = False
        if path.is_dir():
            text = _("Order sheets (PDF and CSV) written in {folder}").format(folder=path)
        else:
            text = _("PDF written: {path}").format(path=path)
        self.app.notify(text, timeout=10)
        self.dismiss(path)

    @on(PrintFailed)
    def print_failed(self, message: PrintFailed) -> None:
        # not prevent_default-ed: the base screen then notifies the sentence with the bell
        self.busy = False
        self.query_one("#print-progress").display = False
        if self.chosen is not None:
            self.choose_again()

    def choose_again(self) -> None:
        """Back to the form with the values typed, to correct them."""
        assert self.chosen is not None
        self.query_one("#print-form").display = True
        self.query_one(f"#field-{self.chosen.fields()[0].name}", Input).focus()
        self.query_one("#print-help", Static).update(
            _("Enter: print · ↑↓: another field · Escape: back to the list")
        )


class FieldError(Exception):
    """A form value that cannot be used; ``field`` is the input to focus."""

    def __init__(self, field: str, text: str) -> None:
        super().__init__(text)
        self.field = field
