"""Printing from the terminal UI: the PDF of a receipt or a Z report in the data folder.

The document data is built by ``coop`` (``coop.till.documents``) in a worker's read-only
session and laid out by ``invoices`` (``render_to_file``, written atomically) in the same
worker; the screen gets the path back and says it. Files go to ``<data folder>/prints/``
(``coop locate`` shows the data folder): ``ticket-CAISSE-1-127.pdf``, ``z-CAISSE-1-2026-11-21.pdf``.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from coop import paths


def prints_dir() -> Path:
    folder = paths.data_dir() / "prints"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def print_receipt(
    session: Session, *, till: str, number: int, settings: Any, now: datetime
) -> Path:
    import invoices
    from coop.till.documents import load_receipt

    document = load_receipt(session, till, number, settings=settings, printed_at=now)
    return invoices.render_to_file(document, prints_dir() / f"ticket-{till}-{number}.pdf")


def print_z(session: Session, *, till: str, day: date, settings: Any, now: datetime) -> Path:
    import invoices
    from coop.till.documents import z_report_document

    document = z_report_document(
        session, day=day, till_code=till, settings=settings, printed_at=now
    )
    return invoices.render_to_file(document, prints_dir() / f"z-{till}-{day.isoformat()}.pdf")
