"""The coordinator's audit panel (Ctrl+J): who did what, when, to whom, with the values before
and after in words (``coop.staff.audit_view``, as ``coop audit list`` prints it), the newest
first; with a member shown in the member panel, only the entries about them. Reading it needs
the right to read the audit log (``coop.rights``): the core refuses anyone else."""

from __future__ import annotations

from sqlalchemy.orm import Session
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from coop.amap.audit_words import AmapAuditWords
from coop.i18n import _
from coop.staff.audit_view import AuditFilter, AuditLine, entry_lines, list_entries
from tui.messages import WorkResult
from tui.screens.coordinator.panel import begin, hub

SHOWN = 200
"""The newest entries shown (``coop audit list`` reads further back)."""


class AuditShown(WorkResult[list[AuditLine]]):
    """The audit entries, read."""


def audit_text(lines: list[AuditLine], about: str | None) -> str:
    """The entries as lines of text, in words."""
    title = _("Audit log") if about is None else _("Audit log: {member}").format(member=about)
    out = [title, ""]
    for line in lines:
        out.extend(entry_lines(line))
    if not lines:
        out.append(_("No audit entry matches."))
    return "\n".join(out)


class AuditPanel(VerticalScroll):
    """The newest entries of the audit log, or those about the member shown."""

    def __init__(self) -> None:
        super().__init__(id="coord-audit")
        self.about: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="audit-text", classes="coord-text")

    def load(self, member_number: int | None = None, about: str | None = None) -> None:
        if not hub(self).allowed():
            return
        self.about = about
        reader = hub(self).comptoir.actor
        wanted = AuditFilter(member=member_number, limit=SHOWN)

        def job(session: Session) -> list[AuditLine]:
            return list_entries(session, wanted, reader=reader, words=[AmapAuditWords(session)])

        begin(self, done=AuditShown, job=job, read_only=True)

    @on(AuditShown)
    def shown(self, message: AuditShown) -> None:
        self.query_one("#audit-text", Static).update(audit_text(message.result, self.about))
        hub(self).show_view("coord-audit")
