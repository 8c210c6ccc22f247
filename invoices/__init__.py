"""Printed documents (ReportLab): lays out the document data that ``coop`` builds.

``coop`` builds every document as a plain frozen dataclass (rows and totals already rounded,
people sorted, words translated); this package only lays it out, one module per document, on
one base renderer (``invoices.base``: A4, embedded DejaVu Sans, "Page X sur Y", print date,
headers repeated on every page, user text escaped).

The API the CLI and the terminal UI call::

    import invoices

    pdf: bytes = invoices.render(document)                 # the PDF in memory
    built = invoices.build(document); built.data, built.pages
    invoices.render_to_file(document, "ticket-z.pdf")     # written atomically, path returned
    invoices.render_to_file(document, path, progress=lambda done, total: ...)
    invoices.write_csv(rows, "commande.csv")               # French Excel CSV (; and BOM)

``document`` is any of:

=====================================================  ============================
data (built in ``coop``)                                laid out by
=====================================================  ============================
``coop.till.documents.ReceiptDocument`` (A4 or 80 mm)  ``invoices.receipt``
``coop.till.z_documents.ZReportDocument``              ``invoices.zreport``
``coop.shifts.documents.SignInSheet``                  ``invoices.signin``
``coop.shifts.documents.HoursAttestation``             ``invoices.attestation``
``coop.members.documents.MemberCardsSheet``            ``invoices.cards``
``coop.shifts.documents.StatusList``                   ``invoices.status_list``
``coop.members.register.MembersRegister``              ``invoices.register``
``coop.accounts.documents.InvoiceDocument``            ``invoices.invoice``
``coop.orders.sheets.OrderSheet``                      ``invoices.order_sheet``
``coop.orders.sheets.PackingList``                     ``invoices.packing``
``coop.amap.documents.Emargement``                     ``invoices.emargement``
``coop.amap.sheets.ContractGrid``, ``DeliverySheet``,  ``invoices.amap_sheets``
``ChequeSchedule``, ``DepotList``
=====================================================  ============================

``invariant=True`` gives byte-identical PDFs (fixed creation date and id) for tests. Writing
goes to a temporary file in the target folder, renamed at the end: a failure never leaves a
half-written file, and an unwritable path raises ``coop.errors.CoopError`` with a sentence.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

RENDERERS: dict[str, str] = {
    "coop.till.documents.ReceiptDocument": "invoices.receipt:ReceiptRenderer",
    "coop.till.z_documents.ZReportDocument": "invoices.zreport:ZReportRenderer",
    "coop.shifts.documents.SignInSheet": "invoices.signin:SignInRenderer",
    "coop.shifts.documents.HoursAttestation": "invoices.attestation:AttestationRenderer",
    "coop.members.documents.MemberCardsSheet": "invoices.cards:CardsRenderer",
    "coop.shifts.documents.StatusList": "invoices.status_list:StatusListRenderer",
    "coop.members.register.MembersRegister": "invoices.register:RegisterRenderer",
    "coop.accounts.documents.InvoiceDocument": "invoices.invoice:InvoiceRenderer",
    "coop.orders.sheets.OrderSheet": "invoices.order_sheet:OrderSheetRenderer",
    "coop.orders.sheets.PackingList": "invoices.packing:PackingRenderer",
    "coop.amap.documents.Emargement": "invoices.emargement:EmargementRenderer",
    "coop.amap.sheets.ContractGrid": "invoices.amap_sheets:ContractGridRenderer",
    "coop.amap.sheets.DeliverySheet": "invoices.amap_sheets:DeliverySheetRenderer",
    "coop.amap.sheets.ChequeSchedule": "invoices.amap_sheets:ChequeScheduleRenderer",
    "coop.amap.sheets.DepotList": "invoices.amap_sheets:DepotListRenderer",
}


def renderer_for(document: Any) -> type:
    """The renderer class of a document's data type."""
    kind = type(document)
    where = RENDERERS.get(f"{kind.__module__}.{kind.__qualname__}")
    if where is None:
        raise TypeError(f"no renderer for {kind.__module__}.{kind.__qualname__}")
    module, name = where.split(":")
    renderer: type = getattr(import_module(module), name)
    return renderer


@dataclass(frozen=True)
class Built:
    """A rendered PDF and its number of pages."""

    data: bytes
    pages: int


def build(
    document: Any,
    *,
    invariant: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Built:
    """The document's PDF and its page count."""
    renderer = renderer_for(document)(document, invariant=invariant)
    data = renderer.build(progress)
    return Built(data, renderer.pages)


def render(
    document: Any,
    *,
    invariant: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The document's PDF as bytes."""
    return build(document, invariant=invariant, progress=progress).data


def render_to_file(
    document: Any,
    path: str | os.PathLike[str],
    *,
    invariant: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Render then write atomically to ``path`` (nothing is written if rendering fails)."""
    from invoices.base import write_atomically

    data = render(document, invariant=invariant, progress=progress)
    return write_atomically(path, data)


def write_csv(rows: Iterable[Sequence[Any]], path: str | os.PathLike[str]) -> Path:
    """A CSV for French Excel: ``;`` separated, UTF-8 with a BOM, formulas neutralised
    (``coop.csvio.writer``), written atomically."""
    import io

    from coop.csvio import writer
    from invoices.base import write_atomically

    buffer = io.StringIO()
    write = writer(buffer)
    for row in rows:
        write(row)
    return write_atomically(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))


def write_csv_twin(name: str, document: Any, path: str | os.PathLike[str]) -> Path:
    """The CSV twin of registry document ``name`` (``coop.printouts.CSV_TWINS``), written with
    ``coop.csvio`` (French Excel: ``;``, UTF-8 with a BOM, CRLF) atomically at ``path``."""
    import io

    from coop.csvio import write_table
    from coop.printouts import CSV_TWINS
    from invoices.base import write_atomically

    columns, rows = CSV_TWINS[name](document)
    buffer = io.StringIO()
    write_table(rows, columns, buffer)
    return write_atomically(path, buffer.getvalue().encode("utf-8-sig"))
