"""Printing from the terminal UI: every document as a PDF in the data folder.

The document data is built by ``coop`` (``coop.*.documents``, ``coop.orders.sheets``) in a
worker's read-only session and laid out by ``invoices`` (``render_to_file``, written atomically)
in the same worker; the screen gets the path back and says it. Each function takes the worker's
Session, plain parameters, the settings and ``now``; long batches take ``progress(done, total)``
(called from the worker thread). Refusals (an unknown or unfinished cycle, a member without a
postal address, an unwritable folder...) are ``coop.errors.CoopError`` with a sentence.

Files go to ``<data folder>/prints/`` (``coop locate`` shows the data folder)::

    ticket-CAISSE-1-127.pdf            a receipt            z-CAISSE-1-2026-11-21.pdf   a Z report
    emargement-2026-11-21.pdf          a sign-in sheet      statuts-2026-11-21.pdf      status list
    attestation-42-2026-01-01-2026-11-21.pdf                cartes-2026-11-21.pdf       all cards
    cartes-1-5-9.pdf                   some cards           FA-000042.pdf               an invoice
    commandes-DISTRI-2/DISTRI-2-FERME.pdf (+ .csv)          order sheets, one folder per cycle
    colisage-DISTRI-2-household.pdf    packing list (article, household or matrix)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from coop import paths
from coop.errors import CoopError
from coop.i18n import _

Progress = Callable[[int, int], None]


def _folder(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CoopError(
            _("Cannot create the folder {folder}: {reason}.").format(
                folder=folder, reason=error.strerror or error
            )
        ) from error
    if not os.access(folder, os.W_OK):
        raise CoopError(_("The folder {folder} is not writable.").format(folder=folder))
    return folder


def prints_dir() -> Path:
    return _folder(paths.data_dir() / "prints")


def _render(document: Any, name: str, progress: Progress | None = None) -> Path:
    import invoices

    return invoices.render_to_file(document, prints_dir() / name, progress=progress)


# --- the counter -------------------------------------------------------------------------------


def last_sale_number(session: Session, till: str) -> int | None:
    """The number of the till's last sale (None before its first)."""
    from sqlalchemy import select

    from coop.till.models import Till

    last = session.scalar(select(Till.last_sale_number).where(Till.code == till.strip().upper()))
    return last or None


def print_receipt(
    session: Session, *, till: str, number: int, settings: Any, now: datetime
) -> Path:
    from coop.till.documents import load_receipt

    document = load_receipt(session, till, number, settings=settings, printed_at=now)
    return _render(document, f"ticket-{till}-{number}.pdf")


def print_z(session: Session, *, till: str, day: date, settings: Any, now: datetime) -> Path:
    from coop.till.documents import z_report_document

    document = z_report_document(
        session, day=day, till_code=till, settings=settings, printed_at=now
    )
    return _render(document, f"z-{till}-{day.isoformat()}.pdf")


# --- shifts and members ------------------------------------------------------------------------


def print_sign_in(session: Session, *, day: date, settings: Any, now: datetime) -> Path:
    """The shift sign-in sheet (feuille d'émargement) of ``day``."""
    from coop.shifts.documents import sign_in_sheet

    document = sign_in_sheet(session, day, settings=settings, printed_at=now)
    return _render(document, f"emargement-{day.isoformat()}.pdf")


def print_attestation(
    session: Session, *, member: int, first: date, last: date, settings: Any, now: datetime
) -> Path:
    """A member's volunteer-hours attestation from ``first`` to ``last`` (inclusive)."""
    from coop.shifts.documents import hours_attestation

    document = hours_attestation(session, member, first, last, settings=settings, printed_at=now)
    return _render(document, f"attestation-{member}-{first.isoformat()}-{last.isoformat()}.pdf")


def print_cards(
    session: Session,
    *,
    members: Sequence[int] | None,
    settings: Any,
    now: datetime,
    progress: Progress | None = None,
) -> Path:
    """Member cards: of ``members``, or of every current member with a card (None)."""
    from coop.clock import local_date
    from coop.members.documents import member_cards

    today = local_date(now)
    document = member_cards(
        session, list(members) if members else None, settings=settings, printed_at=now, today=today
    )
    if members:
        shown = "-".join(str(number) for number in list(members)[:8])
        name = f"cartes-{shown}{'-etc' if len(members) > 8 else ''}.pdf"
    else:
        name = f"cartes-{today.isoformat()}.pdf"
    return _render(document, name, progress)


def print_status_list(
    session: Session, *, day: date, settings: Any, now: datetime, progress: Progress | None = None
) -> Path:
    """The paper status list of the welcome desk (who may shop on ``day``)."""
    from coop.shifts.documents import status_list

    document = status_list(session, day, settings=settings, printed_at=now)
    return _render(document, f"statuts-{day.isoformat()}.pdf", progress)


def last_invoice_code(session: Session) -> str | None:
    """The code of the invoice or credit note recorded last (None when there is none)."""
    from sqlalchemy import select

    from coop.accounts.models import Invoice

    invoice = session.scalar(select(Invoice).order_by(Invoice.id.desc()).limit(1))
    return invoice.code if invoice is not None else None


def print_invoice(session: Session, *, code: str, settings: Any, now: datetime) -> Path:
    """A member invoice or credit note by its code (``FA-000042``)."""
    from coop.accounts.documents import invoice_document

    document = invoice_document(session, code, settings=settings, printed_at=now)
    return _render(document, f"{document.code}.pdf")


# --- grouped orders ----------------------------------------------------------------------------


def latest_closed_cycle(session: Session) -> str | None:
    """The code of the most recent cycle that is no longer a draft or open (None: none yet)."""
    from sqlalchemy import select

    from coop.orders.models import OrderCycle
    from coop.orders.rules import CycleState

    return session.scalar(
        select(OrderCycle.code)
        .where(OrderCycle.state.not_in([CycleState.DRAFT.value, CycleState.OPEN.value]))
        .order_by(OrderCycle.opens_at.desc(), OrderCycle.id.desc())
        .limit(1)
    )


def print_order_sheets(
    session: Session,
    *,
    cycle: str,
    settings: Any,
    now: datetime,
    progress: Progress | None = None,
    producer: str | None = None,
    per_member: bool = False,
    anonymised: bool = False,
) -> Path:
    """Every supplier's order sheet of a closed cycle (or ``producer``'s only), PDF and CSV
    twin, into ``prints/commandes-CYCLE/``; returns that folder. ``per_member`` adds a page of
    what each household ordered, ``anonymised`` numbers them instead of naming them (the
    options of ``coop print order-sheet``)."""
    import invoices
    from coop.orders.sheets import order_sheet_csv_rows, order_sheets
    from invoices.base import write_atomically

    sheets = order_sheets(
        session,
        cycle,
        settings=settings,
        printed_at=now,
        producer=producer,
        per_member=per_member,
        anonymised=anonymised,
    )
    folder = _folder(prints_dir() / f"commandes-{sheets[0].cycle_code}")
    if progress is not None:
        progress(0, len(sheets))
    for done, sheet in enumerate(sheets, start=1):
        target = folder / f"{sheet.reference}.pdf"
        write_atomically(target, invoices.build(sheet).data)
        invoices.write_csv(order_sheet_csv_rows(sheet), target.with_suffix(".csv"))
        if progress is not None:
            progress(done, len(sheets))
    return folder


def print_packing(
    session: Session,
    *,
    cycle: str,
    kind: str,
    settings: Any,
    now: datetime,
    progress: Progress | None = None,
) -> Path:
    """A packing list of a closed cycle: ``kind`` is article, household or matrix."""
    from coop.orders.sheets import packing_list

    document = packing_list(session, cycle, kind, settings=settings, printed_at=now)
    return _render(document, f"colisage-{document.cycle_code}-{kind}.pdf", progress)
