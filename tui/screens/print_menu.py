"""The "Print" window (Ctrl+O, or "Print a document…" in the command palette): the documents of
the current mode as PDFs in ``<data folder>/prints/`` (``tui.printing``).

Keyboard only: ↑↓ and Enter choose a document; a small form asks for its parameters, already
filled with sensible defaults (today, the till's last sale, the latest invoice, the latest cycle
that is no longer open); Enter prints, ↑↓ or Tab move between fields, Escape goes back to the
list, then closes the window. The work runs in a thread worker (``tui.work.run_db``, read-only);
a progress bar follows long batches (cards, the status list, every order sheet of a cycle).
The path written is notified and the window closes; a refusal is notified as a sentence and the
form stays open to correct it.

Which documents each mode offers: ``MENUS`` (the counter: receipts and Z; the shift desk: the
sign-in sheet; the welcome desk: the paper status list; a distribution: the packing lists; the
coordination: everything but the till's papers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from coop.errors import CoopError
from coop.i18n import N_, _
from tui.messages import WorkFailed
from tui.screens.base import ComptoirModal
from tui.work import run_db

FIELDS: dict[str, tuple[str, str]] = {
    # name: (label, placeholder), msgids translated when shown
    "till": (N_("Till"), N_("code of the till, e.g. CAISSE-1")),
    "number": (N_("Sale number"), N_("as on the receipt")),
    "day": (N_("Day"), N_("31/12/2026")),
    "member": (N_("Member number"), N_("e.g. 42")),
    "first": (N_("From"), N_("31/12/2026")),
    "last": (N_("To"), N_("31/12/2026")),
    "members": (N_("Member numbers"), N_("e.g. 1 5 9; empty: every member with a card")),
    "code": (N_("Invoice or credit note"), N_("e.g. FA-000042")),
    "cycle": (N_("Order cycle"), N_("code of a closed cycle")),
    "producer": (N_("Supplier"), N_("supplier code; empty: every supplier")),
    "per_member": (N_("Household pages"), N_("yes or no")),
    "anonymised": (N_("Anonymised"), N_("yes or no: households numbered, not named")),
}

YES_NO = (N_("yes"), N_("no"))
"""The words a yes/no field takes (translated), besides their first letters."""


@dataclass(frozen=True)
class Document:
    key: str
    title: str  # msgid
    help: str  # msgid
    fields: tuple[str, ...]


DOCUMENTS: dict[str, Document] = {
    document.key: document
    for document in (
        Document(
            "receipt",
            N_("Receipt of a sale"),
            N_("the last sale's, or another"),
            ("till", "number"),
        ),
        Document("z", N_("Z report"), N_("the day's figures of a till"), ("till", "day")),
        Document(
            "sign-in", N_("Shift sign-in sheet"), N_("the day's shifts and who is booked"), ("day",)
        ),
        Document(
            "status-list",
            N_("Paper status list"),
            N_("who may shop, for the welcome desk"),
            ("day",),
        ),
        Document(
            "order-sheets",
            N_("Order sheets of a cycle"),
            N_("every supplier or one: PDF and CSV"),
            ("cycle", "producer", "per_member", "anonymised"),
        ),
        Document(
            "packing-article",
            N_("Packing list by article"),
            N_("households under each article"),
            ("cycle",),
        ),
        Document(
            "packing-household",
            N_("Packing list by household"),
            N_("a crate label per household"),
            ("cycle",),
        ),
        Document("packing-matrix", N_("Sorting grid"), N_("households × articles"), ("cycle",)),
        Document(
            "invoice", N_("Invoice or credit note"), N_("to a member, by its code"), ("code",)
        ),
        Document("cards", N_("Member cards"), N_("all, or the numbers given"), ("members",)),
        Document(
            "attestation",
            N_("Volunteer-hours attestation"),
            N_("a member's shifts over a period"),
            ("member", "first", "last"),
        ),
    )
}

MENUS: dict[str, tuple[str, ...]] = {
    "counter": ("receipt", "z"),
    "desk": ("status-list",),
    "shifts": ("sign-in",),
    "distribution": ("packing-household", "packing-article", "packing-matrix"),
    "coordinator": (
        "order-sheets",
        "packing-article",
        "packing-household",
        "packing-matrix",
        "invoice",
        "cards",
        "attestation",
        "status-list",
        "sign-in",
    ),
}

BATCHES = {"cards", "status-list", "order-sheets", "packing-article", "packing-household"}


def open_print_menu(app: App[Any]) -> None:
    """Open the window for the app's current mode (once: never over itself)."""
    if isinstance(app.screen, PrintMenu):
        return
    app.push_screen(PrintMenu(app.current_mode))


def field_label(name: str) -> str:
    label, _placeholder = FIELDS[name]
    return _(label)


def _day_text(value: date) -> str:
    return value.strftime("%d/%m/%Y")


class PrintMenu(ComptoirModal):
    CSS_PATH = "print_menu.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", N_("Next field"), show=False),
        Binding("up", "move(-1)", N_("Previous field"), show=False),
    ]

    def __init__(self, mode: str) -> None:
        super().__init__(classes="print-dialog")
        self.mode = mode
        self.documents = [DOCUMENTS[key] for key in MENUS.get(mode, MENUS["coordinator"])]
        self.chosen: Document | None = None
        self.busy = False

    # --- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="print-box"):
            yield Static(_("Print a document"), id="print-title")
            yield OptionList(
                *[Option(f"{_(doc.title)} — {_(doc.help)}", id=doc.key) for doc in self.documents],
                id="print-choices",
            )
            with Vertical(id="print-form"):
                for name, (label, placeholder) in FIELDS.items():
                    with Horizontal(classes="print-field", id=f"row-{name}"):
                        yield Label(_(label), classes="print-label")
                        yield Input(placeholder=_(placeholder), id=f"field-{name}")
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

    def choose(self, document: Document) -> None:
        self.chosen = document
        self.query_one("#print-title", Static).update(_(document.title))
        self.query_one("#print-choices").display = False
        self.query_one("#print-form").display = True
        for name in FIELDS:
            row = self.query_one(f"#row-{name}")
            row.display = name in document.fields
            self.query_one(f"#field-{name}", Input).value = ""
        self.fill_defaults(document)
        self.query_one(f"#field-{document.fields[0]}", Input).focus()
        self.query_one("#print-help", Static).update(
            _("Enter: print · ↑↓: another field · Escape: back to the list")
        )

    # --- defaults --------------------------------------------------------------------------------

    def today(self) -> date:
        from coop.clock import local_date

        return local_date(self.app.clock())  # type: ignore[attr-defined]

    def fill_defaults(self, document: Document) -> None:
        today = self.today()
        till = self.app.settings.till.till  # type: ignore[attr-defined]
        known = {
            "till": till,
            "day": _day_text(today),
            "first": _day_text(today.replace(month=1, day=1)),
            "last": _day_text(today),
            "per_member": _("no"),
            "anonymised": _("no"),
        }
        for name, value in known.items():
            if name in document.fields:
                self.query_one(f"#field-{name}", Input).value = value
        wanted = {"number", "code", "cycle"} & set(document.fields)
        if not wanted:
            return

        def job(session: Any) -> dict[str, Any]:
            from tui import printing

            found: dict[str, Any] = {}
            if "number" in wanted:
                found["number"] = printing.last_sale_number(session, till)
            if "code" in wanted:
                found["code"] = printing.last_invoice_code(session)
            if "cycle" in wanted:
                found["cycle"] = printing.latest_closed_cycle(session)
            return found

        run_db(self, "defaults", job, read_only=True)

    def when_defaults(self, found: dict[str, Any]) -> None:
        if self.chosen is None:
            return
        for name, value in found.items():
            field = self.query_one(f"#field-{name}", Input)
            if value is not None and name in self.chosen.fields and not field.value:
                field.value = str(value)
                field.cursor_position = len(field.value)

    # --- keys ------------------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None and not self.busy:
            self.choose(DOCUMENTS[event.option.id])

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

    def job(self, document: Document) -> Any:
        """The worker's job for ``document`` with the form's values (checked here first)."""
        from tui import printing

        settings = self.app.settings  # type: ignore[attr-defined]
        now = self.app.clock()  # type: ignore[attr-defined]
        progress = self.progress_callback()
        key = document.key
        if key == "receipt":
            till, number = self.text("till").upper(), self.number("number")
            return lambda s: printing.print_receipt(
                s, till=till, number=number, settings=settings, now=now
            )
        if key == "z":
            till, day = self.text("till").upper(), self.day("day")
            return lambda s: printing.print_z(s, till=till, day=day, settings=settings, now=now)
        if key == "sign-in":
            day = self.day("day")
            return lambda s: printing.print_sign_in(s, day=day, settings=settings, now=now)
        if key == "status-list":
            day = self.day("day")
            return lambda s: printing.print_status_list(
                s, day=day, settings=settings, now=now, progress=progress
            )
        if key == "order-sheets":
            cycle, producer = self.text("cycle"), self.value("producer") or None
            per_member, anonymised = self.yes_no("per_member"), self.yes_no("anonymised")
            return lambda s: printing.print_order_sheets(
                s,
                cycle=cycle,
                settings=settings,
                now=now,
                progress=progress,
                producer=producer,
                per_member=per_member,
                anonymised=anonymised,
            )
        if key.startswith("packing-"):
            cycle, kind = self.text("cycle"), key.removeprefix("packing-")
            return lambda s: printing.print_packing(
                s, cycle=cycle, kind=kind, settings=settings, now=now, progress=progress
            )
        if key == "invoice":
            code = self.text("code")
            return lambda s: printing.print_invoice(s, code=code, settings=settings, now=now)
        if key == "cards":
            members = self.member_numbers()
            return lambda s: printing.print_cards(
                s, members=members, settings=settings, now=now, progress=progress
            )
        if key == "attestation":
            member, first, last = self.number("member"), self.day("first"), self.day("last")
            return lambda s: printing.print_attestation(
                s, member=member, first=first, last=last, settings=settings, now=now
            )
        raise CoopError(key)  # pragma: no cover - every menu entry is handled above

    def member_numbers(self) -> list[int] | None:
        text = self.value("members")
        parts = [part for part in re.split(r"[\s,;]+", text) if part]
        bad = [part for part in parts if not part.isdigit()]
        if bad:
            label = field_label("members")
            raise FieldError(
                "members", _("{field}: “{text}” is not a number.").format(field=label, text=bad[0])
            )
        return [int(part) for part in parts] or None

    def progress_callback(self) -> Any:
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

    def start(self, job: Any) -> None:
        self.busy = True
        self.query_one("#print-form").display = False
        self.query_one("#print-count", Label).update(_("Printing…"))
        self.query_one("#print-bar", ProgressBar).update(total=None, progress=0)
        self.query_one("#print-progress").display = True
        self.query_one("#print-help", Static).update(_("The PDF is being written…"))
        self.set_focus(None)
        run_db(self, "print", job, read_only=True)

    def when_print(self, path: Path) -> None:
        self.busy = False
        if path.is_dir():
            text = _("Order sheets (PDF and CSV) written in {folder}").format(folder=path)
        else:
            text = _("PDF written: {path}").format(path=path)
        self.app.notify(text, timeout=10)
        self.dismiss(path)

    def failed_print(self, message: WorkFailed) -> bool:
        self.busy = False
        self.query_one("#print-progress").display = False
        if self.chosen is not None:
            self.choose_again()
        return False  # the base screen notifies the sentence with the bell

    def choose_again(self) -> None:
        """Back to the form with the values typed, to correct them."""
        assert self.chosen is not None
        self.query_one("#print-form").display = True
        self.query_one(f"#field-{self.chosen.fields[0]}", Input).focus()
        self.query_one("#print-help", Static).update(
            _("Enter: print · ↑↓: another field · Escape: back to the list")
        )


class FieldError(Exception):
    """A form value that cannot be used; ``field`` is the input to focus."""

    def __init__(self, field: str, text: str) -> None:
        super().__init__(text)
        self.field = field
