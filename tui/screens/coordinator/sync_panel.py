"""The coordinator's treasurer panel (Ctrl+T): the accounting outbox as ``coop sync status``
shows it (counts per state, the oldest event waiting, every event needing attention with
Odoo's reason), and the two things a treasurer does about one of them, through the same core
services as ``coop sync retry`` / ``coop sync resolve``: try it again (R), or mark it booked by
hand with a reason (M). Both are audited with the real actor by the core."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy.orm import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from coop.i18n import N_, _
from coop.sync import status as outbox
from tui.i18n import translate_bindings
from tui.messages import WorkResult
from tui.screens.coordinator.forms import Field, FormDialog
from tui.screens.coordinator.panel import begin, hub
from tui.widgets.scan_field import ScanField


class SyncStatusShown(WorkResult[outbox.Status]):
    """The outbox's status, read."""


class SyncRowRetried(WorkResult[outbox.RowView]):
    """A row needing attention is pending again."""


class SyncRowResolved(WorkResult[outbox.RowView]):
    """A row needing attention is marked as booked by hand."""


def status_text(found: outbox.Status) -> str:
    """The counts and the oldest waiting event, in words (as ``coop sync status`` prints)."""
    lines = [_("Accounting outbox"), found.counts_text()]
    oldest = found.oldest_text()
    if oldest is not None:
        lines.append(oldest)
    if found.attention:
        lines.append(_("Needs attention (↑↓ to choose, R: retry, M: mark resolved):"))
    else:
        lines.append(_("Nothing needs attention."))
    return "\n".join(lines)


def row_text(row: outbox.RowView) -> str:
    return _("#{id} {kind} {key} ({date}): {reason}").format(
        id=row.id,
        kind=outbox.kind_words(row.kind),
        key=row.key,
        date=row.event_date.strftime("%d/%m/%Y"),
        reason=row.last_error or "?",
    )


class SyncPanel(Vertical):
    """The treasurer's view of the outbox, and its two actions on the row chosen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "retry", N_("Retry"), key_display="R"),
        Binding("m", "resolve", N_("Mark resolved"), key_display="M"),
    ]

    def __init__(self) -> None:
        super().__init__(id="coord-sync")
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        yield Static(id="sync-status", classes="coord-text")
        yield OptionList(id="sync-attention")

    def load(self) -> None:
        """Read the status again and show it (read only)."""
        if hub(self).allowed():
            begin(self, done=SyncStatusShown, job=outbox.status, read_only=True)

    @on(SyncStatusShown)
    def shown(self, message: SyncStatusShown) -> None:
        found = message.result
        self.query_one("#sync-status", Static).update(status_text(found))
        rows = self.query_one("#sync-attention", OptionList)
        rows.clear_options()
        rows.add_options(Option(row_text(row), id=str(row.id)) for row in found.attention)
        rows.display = bool(found.attention)
        hub(self).show_view("coord-sync")
        if found.attention:
            rows.highlighted = 0
            rows.focus()
        else:  # nothing to choose: the keys go back to the scan field
            hub(self).query_one(ScanField).focus()

    def chosen(self) -> int | None:
        rows = self.query_one("#sync-attention", OptionList)
        if rows.highlighted is None or not rows.option_count:
            hub(self).say(_("Nothing needs attention."), "error")
            return None
        option_id = rows.get_option_at_index(rows.highlighted).id
        return int(option_id) if option_id else None

    def action_retry(self) -> None:
        row_id = self.chosen()
        if row_id is None or not hub(self).allowed():
            return
        context = hub(self).context()

        def job(session: Session) -> outbox.RowView:
            return outbox.retry(session, row_id, **context)

        begin(self, done=SyncRowRetried, job=job)

    @on(SyncRowRetried)
    def retried(self, message: SyncRowRetried) -> None:
        text = _("Row #{id} is pending again; the next `coop sync odoo` pushes it.")
        self.changed(text.format(id=message.result.id))

    def changed(self, text: str) -> None:
        """A row was changed: say so and read the status again."""
        hub(self).busy = False
        hub(self).say(text, "ok")
        self.load()

    def action_resolve(self) -> None:
        row_id = self.chosen()
        if row_id is None or not hub(self).allowed():
            return

        def validate(values: dict[str, str]) -> str:
            if not values["reason"].strip():
                raise ValueError(_("Say what was done instead."))
            return values["reason"].strip()

        def done(reason: str | None) -> None:
            if reason is None:
                hub(self).say(_("Nothing was changed."))
                return
            context = hub(self).context()

            def job(session: Session) -> outbox.RowView:
                return outbox.resolve(session, row_id, reason=reason, **context)

            begin(self, done=SyncRowResolved, job=job)

        self.app.push_screen(
            FormDialog(
                _("Mark row #{id} as booked by hand").format(id=row_id),
                [Field("reason", _("What was done instead"))],
                validate,
            ),
            done,
        )

    @on(SyncRowResolved)
    def resolved(self, message: SyncRowResolved) -> None:
        text = _("Row #{id} is marked as resolved; it will not be pushed.")
        self.changed(text.format(id=message.result.id))
