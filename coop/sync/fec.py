"""The FEC (Fichier des Écritures Comptables): the accounting entries of a period as the French
tax administration and accountants expect them (article A47 A-1 of the Livre des procédures
fiscales), for groups that keep their books without Odoo.

Built from the same entries as the Odoo push (``coop.sync.rules``): one line per entry line,
the 18 columns in the official order, tab-separated, a header row, dates as YYYYMMDD, amounts
with a decimal comma and no thousands separator, entries numbered sequentially per journal in
date order (then in the order they were recorded). The file is UTF-8. The official file name is
``<SIREN>FEC<closing date YYYYMMDD>.txt``; ``--out`` chooses it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.outbox import OutboxRow
from coop.sync.rules import ACCOUNT_LABELS, JOURNAL_LABELS, Chart, Entry, MappingRefused, entries_of

COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)


SHARED_LABELS = {"467": "Autres comptes débiteurs ou créditeurs", "512": "Banques"}
"""The plan comptable général's label of an account that several roles share (by default
467000: local currency and money held for AMAP producers; 512001: bank and card)."""


def amount_text(cents: int) -> str:
    """``123456`` → ``1234,56`` (the FEC's decimal comma, no separator)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole},{part:02d}"


def _clean(text: str) -> str:
    """No tab or line break may reach a field."""
    return " ".join(text.replace("\t", " ").split())


def fec_rows(entries: Iterable[Entry], chart: Chart) -> list[tuple[str, ...]]:
    """The FEC's data rows (without the header) for ``entries`` in date order."""
    account_label: dict[str, str] = {}
    for role, code in chart.roles().items():  # a code of two roles: the chart's own label
        if not role.endswith("_journal"):
            shared = code in account_label
            account_label[code] = (
                SHARED_LABELS.get(code[:3], account_label[code])
                if shared
                else (ACCOUNT_LABELS.get(role, code))
            )
    journal_label = {
        code: JOURNAL_LABELS.get(role, code)
        for role, code in chart.roles().items()
        if role.endswith("_journal")
    }
    numbers: dict[str, int] = {}
    rows: list[tuple[str, ...]] = []
    for entry in sorted(entries, key=lambda e: e.on):  # stable: recorded order within a day
        numbers[entry.journal] = numbers.get(entry.journal, 0) + 1
        number = f"{entry.journal}{numbers[entry.journal]:06d}"
        day = entry.on.strftime("%Y%m%d")
        for line in entry.lines:
            partner = line.partner
            rows.append(
                (
                    entry.journal,
                    journal_label.get(entry.journal, entry.journal),
                    number,
                    day,
                    line.account,
                    account_label.get(line.account, line.account),
                    partner.key.upper() if partner else "",
                    _clean(partner.name) if partner else "",
                    _clean(entry.reference),
                    day,
                    _clean(line.label),
                    amount_text(line.debit),
                    amount_text(line.credit),
                    "",
                    "",
                    day,
                    "",
                    "",
                )
            )
    return rows


_BREAKS = str.maketrans({"\t": " ", "\r": " ", "\n": " "})


def fec_text(rows: Sequence[tuple[str, ...]]) -> str:
    """The FEC as the administration reads it: tab-separated text, CRLF, values as they are
    (no formula neutralising: it is not a spreadsheet, and the values must be exact), except
    that a tab or a line break inside a value becomes a space so the columns hold."""
    return "".join(
        "\t".join(value.translate(_BREAKS) for value in row) + "\r\n" for row in [COLUMNS, *rows]
    )


@dataclass(frozen=True)
class FecReport:
    path: Path
    entries: int
    lines: int
    debit_cents: int
    credit_cents: int
    skipped: tuple[str, ...]
    """Rows that could not be mapped (a sentence each); they are not in the file."""


def period_entries(
    session: Session, start: date, end: date, chart: Chart
) -> tuple[list[Entry], list[str]]:
    """Every entry of the outbox rows dated ``start``..``end``, and the refusals met."""
    rows = session.execute(
        select(OutboxRow.kind, OutboxRow.key, OutboxRow.snapshot, OutboxRow.event_date)
        .where(OutboxRow.event_date >= start, OutboxRow.event_date <= end)
        .order_by(OutboxRow.event_date, OutboxRow.id)
    )
    entries: list[Entry] = []
    skipped: list[str] = []
    for kind, key, snapshot, on in rows:
        try:
            entries.extend(entries_of(kind, key, snapshot, on, chart))
        except MappingRefused as error:
            skipped.append(str(error))
    return entries, skipped


def export_fec(session: Session, *, start: date, end: date, chart: Chart, out: Path) -> FecReport:
    entries, skipped = period_entries(session, start, end, chart)
    rows = fec_rows(entries, chart)
    out.write_text(fec_text(rows), encoding="utf-8", newline="")
    return FecReport(
        path=out,
        entries=len(entries),
        lines=len(rows),
        debit_cents=sum(e.debit for e in entries),
        credit_cents=sum(e.credit for e in entries),
        skipped=tuple(skipped),
    )
