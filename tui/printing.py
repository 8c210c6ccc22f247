"""Printing from the terminal UI: every document as a PDF in the data folder.

The document data is built by ``coop`` (``coop.*.documents``, ``coop.orders.sheets``) in a
worker's read-only session and laid out by ``invoices`` (``render_to_file``, written atomically)
in the same worker; the screen gets the path back and says it. Each function takes the worker's
Session, plain parameters, the settings and ``now``; long batches take ``progress(done, total)``
(called from the worker thread). Refusals (an unknown or unfinished cycle, a member without a
postal address, an unwritable folder...) are ``coop.errors.CoopError`` with a sentence.

The Print window calls ``print_document`` with a document's name and values as the registry
declares them (``coop.printables``: one keyword per field); ``PRINTERS`` has one function per
document, and ``default_value`` reads the defaults the registry names from the database.

Files go to ``<data folder>/prints/`` (``coop locate`` shows the data folder)::

    ticket-CAISSE-1-127.pdf            a receipt            z-CAISSE-1-2026-11-21.pdf   a Z report
    emargement-2026-11-21.pdf          a sign-in sheet      statuts-2026-11-21.pdf      status list
    attestation-42-2026-01-01-2026-11-21.pdf                cartes-2026-11-21.pdf       all cards
    cartes-1-5-9.pdf                   some cards           FA-000042.pdf               an invoice
    commandes-DISTRI-2/DISTRI-2-FERME.pdf (+ .csv)          order sheets, one folder per cycle
    colisage-DISTRI-2-household.pdf    packing list (article, household or matrix)
    registre-associes-2026-12-31.pdf (+ .csv)               register of members and shares
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from coop import paths
from coop.config import Settings
from coop.errors import CoopError
from coop.i18n import _
from coop.printables import Default

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


def _build(session: Session, name: str, settings: Settings, now: datetime, **values: Any) -> Any:
    """The data of the registry's document ``name`` (``coop.printouts``, as ``coop print``)."""
    from coop.printouts import build

    return build(session, name, values, settings=settings, now=now)


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
    session: Session, *, till: str, number: int, settings: Settings, now: datetime
) -> Path:
    document = _build(session, "receipt", settings, now, till=till, number=number)
    return _render(document, f"ticket-{till}-{number}.pdf")


def print_z(session: Session, *, till: str, day: date, settings: Settings, now: datetime) -> Path:
    document = _build(session, "z", settings, now, till=till, day=day)
    return _render(document, f"z-{till}-{day.isoformat()}.pdf")


# --- shifts and members ------------------------------------------------------------------------


def print_sign_in(session: Session, *, day: date, settings: Settings, now: datetime) -> Path:
    """The shift sign-in sheet (feuille d'émargement) of ``day``."""
    document = _build(session, "sign-in", settings, now, day=day)
    return _render(document, f"emargement-{day.isoformat()}.pdf")


def print_emargement(
    session: Session, *, day: date, place: str | None, settings: Any, now: datetime
) -> Path:
    """The AMAP sign-in sheet of the distribution of ``day`` (at ``place``), with its CSV twin."""
    document = _build(session, "emargement", settings, now, day=day, place=place)
    suffix = f"-{place.upper()}" if place else ""
    return _with_csv("emargement", document, f"emargement-amap-{day.isoformat()}{suffix}.pdf")


def _with_csv(name: str, document: Any, file: str) -> Path:
    import invoices

    path = _render(document, file)
    invoices.write_csv_twin(name, document, path.with_suffix(".csv"))
    return path


def print_amap_grid(
    session: Session, *, contract: str, first: date, last: date, settings: Any, now: datetime
) -> Path:
    """An AMAP contract's sign-in grid from ``first`` to ``last``, with its CSV twin."""
    document = _build(
        session, "amap-grid", settings, now, contract=contract, first=first, last=last
    )
    return _with_csv("amap-grid", document, f"grille-{contract.upper()}-{first.isoformat()}.pdf")


def print_delivery_sheet(
    session: Session, *, contract: str, day: date, settings: Any, now: datetime
) -> Path:
    """What an AMAP producer brings on ``day``."""
    document = _build(session, "delivery-sheet", settings, now, contract=contract, day=day)
    return _render(document, f"livraison-{contract.upper()}-{day.isoformat()}.pdf")


def print_cheques(session: Session, *, contract: str, settings: Any, now: datetime) -> Path:
    """An AMAP contract's cheque schedule, with its CSV twin."""
    document = _build(session, "cheques", settings, now, contract=contract)
    return _with_csv("cheques", document, f"cheques-{contract.upper()}.pdf")


def print_depots(session: Session, *, day: date, settings: Any, now: datetime) -> Path:
    """The AMAP depot list of ``day``, with its CSV twin."""
    document = _build(session, "depots", settings, now, day=day)
    return _with_csv("depots", document, f"depots-{day.isoformat()}.pdf")


def print_attestation(
    session: Session, *, member: int, first: date, last: date, settings: Settings, now: datetime
) -> Path:
    """A member's volunteer-hours attestation from ``first`` to ``last`` (inclusive)."""
    document = _build(session, "attestation", settings, now, member=member, first=first, last=last)
    return _render(document, f"attestation-{member}-{first.isoformat()}-{last.isoformat()}.pdf")


def print_cards(
    session: Session,
    *,
    members: Sequence[int] | None,
    settings: Settings,
    now: datetime,
    progress: Progress | None = None,
) -> Path:
    """Member cards: of ``members``, or of every current member with a card (None)."""
    from coop.clock import local_date

    document = _build(session, "cards", settings, now, members=members)
    if members:
        shown = "-".join(str(number) for number in list(members)[:8])
        name = f"cartes-{shown}{'-etc' if len(members) > 8 else ''}.pdf"
    else:
        name = f"cartes-{local_date(now).isoformat()}.pdf"
    return _render(document, name, progress)


def print_status_list(
    session: Session,
    *,
    day: date,
    settings: Settings,
    now: datetime,
    progress: Progress | None = None,
) -> Path:
    """The paper status list of the welcome desk (who may shop on ``day``)."""
    document = _build(session, "status-list", settings, now, day=day)
    return _render(document, f"statuts-{day.isoformat()}.pdf", progress)


def print_register(
    session: Session,
    *,
    day: date,
    settings: Settings,
    now: datetime,
    progress: Progress | None = None,
) -> Path:
    """The register of members and shares on ``day``, with its CSV twin."""
    import invoices

    document = _build(session, "register", settings, now, day=day)
    path = _render(document, f"registre-associes-{day.isoformat()}.pdf", progress)
    invoices.write_csv_twin("register", document, path.with_suffix(".csv"))
    return path


def last_invoice_code(session: Session) -> str | None:
    """The code of the invoice or credit note recorded last (None when there is none)."""
    from sqlalchemy import select

    from coop.accounts.models import Invoice

    invoice = session.scalar(select(Invoice).order_by(Invoice.id.desc()).limit(1))
    return invoice.code if invoice is not None else None


def print_invoice(session: Session, *, code: str, settings: Settings, now: datetime) -> Path:
    """A member invoice or credit note by its code (``FA-000042``)."""
    document = _build(session, "invoice", settings, now, code=code)
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
    settings: Settings,
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
    from coop.orders.sheets import (
        OrderSheet,
        household_key_csv_rows,
        household_key_file,
        order_sheet_csv_rows,
    )
    from invoices.base import write_atomically

    sheets: list[OrderSheet] = _build(
        session,
        "order-sheet",
        settings,
        now,
        cycle=cycle,
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
        if sheet.household_key:  # which household each "Household N" is: the coordinator's
            key = target.with_name(household_key_file(target.name))
            invoices.write_csv(household_key_csv_rows(sheet), key)
        if progress is not None:
            progress(done, len(sheets))
    return folder


def print_packing(
    session: Session,
    *,
    cycle: str,
    by: str,
    settings: Settings,
    now: datetime,
    progress: Progress | None = None,
) -> Path:
    """A packing list of a closed cycle: ``by`` article, household or matrix (the sorting grid)."""
    document = _build(session, "packing", settings, now, cycle=cycle, by=by)
    return _render(document, f"colisage-{document.cycle_code}-{by}.pdf", progress)


# --- the registry's documents ------------------------------------------------------------------

PRINTERS: dict[str, Callable[..., Path]] = {
    "receipt": print_receipt,
    "z": print_z,
    "sign-in": print_sign_in,
    "attestation": print_attestation,
    "cards": print_cards,
    "status-list": print_status_list,
    "register": print_register,
    "invoice": print_invoice,
    "order-sheet": print_order_sheets,
    "packing": print_packing,
    "emargement": print_emargement,
    "amap-grid": print_amap_grid,
    "delivery-sheet": print_delivery_sheet,
    "cheques": print_cheques,
    "depots": print_depots,
}
"""One function per document of ``coop.printables``; each takes the document's fields by name."""


def print_document(
    session: Session,
    name: str,
    values: Mapping[str, Any],
    *,
    settings: Settings,
    now: datetime,
    progress: Progress | None = None,
) -> Path:
    """Print the registry's document ``name`` with the window's ``values`` (one per field);
    ``progress`` is given to the long batches only (``Entry.batch``)."""
    extra = {"progress": progress} if progress is not None else {}
    return PRINTERS[name](session, **values, settings=settings, now=now, **extra)


def default_value(session: Session, default: Default, *, till: str) -> Any:
    """What the database says for a field's default (None when there is nothing yet)."""
    if default is Default.LAST_SALE:
        return last_sale_number(session, till)
    if default is Default.LAST_INVOICE:
        return last_invoice_code(session)
    if default is Default.LAST_CLOSED_CYCLE:
        return latest_closed_cycle(session)
    raise ValueError(default)
