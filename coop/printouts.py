"""The data of each printable document (``coop.printables``), built one way for ``coop print`` and
for the Print window: ``build(session, name, values, settings=..., now=...)``.

``values`` holds the document's fields by name, already read (days as dates, numbers as ints;
None where the person gave nothing: this computer's till, every member, every supplier). Each
context builds its own document data (``coop.*.documents``, ``coop.orders.sheets``) in the
caller's session; ``invoices`` lays it out; the command line and the window only choose where
the file goes. This module reads every context, so it sits above them (as ``coop.models`` does);
the declarations it follows stay in the light ``coop.printables``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

Builder = Callable[[Session, Mapping[str, Any], Any, datetime], Any]


def _receipt(session: Session, values: Mapping[str, Any], settings: Any, now: datetime) -> Any:
    from coop.till.documents import load_receipt

    return load_receipt(
        session,
        values.get("till"),
        values["number"],
        settings=settings,
        printed_at=now,
        narrow=bool(values.get("narrow")),
    )


def _z(session: Session, values: Mapping[str, Any], settings: Any, now: datetime) -> Any:
    from coop.till.z_documents import z_report_document

    return z_report_document(
        session, day=values["day"], till_code=values.get("till"), settings=settings, printed_at=now
    )


def _sign_in(session: Session, values: Mapping[str, Any], settings: Any, now: datetime) -> Any:
    from coop.shifts.documents import sign_in_sheet

    return sign_in_sheet(session, values["day"], settings=settings, printed_at=now)


def _attestation(session: Session, values: Mapping[str, Any], settings: Any, now: datetime) -> Any:
    from coop.shifts.documents import hours_attestation

    return hours_attestation(
        session,
        values["member"],
        values["first"],
        values["last"],
        settings=settings,
        printed_at=now,
    )


def _cards(session: Session, values: Mapping[str, Any], settings: Any, now: datetime) -> Any:
    from coop.clock import local_date
    from coop.members.documents import member_cards

    members = values.get("members")
    return member_cards(
        session,
        list(members) if members else None,
        settings=settings,
        printed_at=now,
        today=local_date(now),
    )


def _status_list(session: Session, values: Mapping[str, Any], settings: Any, now: datetime) -> Any:
    from coop.shifts.documents import status_list

    return status_list(session, values["day"], settings=settings, printed_at=now)


def _register(session: Session, values: Mapping[str, Any], settings: Any, now: datetime) -> Any:
    from coop.members.register import members_register

    return members_register(session, at=values["day"], settings=settings, printed_at=now)


def _invoice(session: Session, values: Mapping[str, Any], settings: Any, now: datetime) -> Any:
    from coop.accounts.documents import invoice_document

    return invoice_document(session, values["code"], settings=settings, printed_at=now)


def _order_sheets(session: Session, values: Mapping[str, Any], settings: Any, now: datetime) -> Any:
    """Every supplier's sheet (a list), or ``producer``'s only."""
    from coop.orders.sheets import order_sheets

    return order_sheets(
        session,
        values["cycle"],
        settings=settings,
        printed_at=now,
        producer=values.get("producer"),
        per_member=bool(values.get("per_member")),
        anonymised=bool(values.get("anonymised")),
    )


def _packing(session: Session, values: Mapping[str, Any], settings: Any, now: datetime) -> Any:
    from coop.orders.sheets import packing_list

    return packing_list(
        session,
        values["cycle"],
        values["by"],
        settings=settings,
        printed_at=now,
        producer=values.get("producer"),
    )


def _emargement(session: Session, values: Mapping[str, Any], settings: Any, now: datetime) -> Any:
    from coop.amap.documents import emargement

    return emargement(
        session, values["day"], values.get("place"), settings=settings, printed_at=now
    )


def _amap_grid(session: Session, values: Mapping[str, Any], settings: Any, now: datetime) -> Any:
    from coop.amap.sheets import contract_grid

    return contract_grid(
        session,
        values["contract"],
        values["first"],
        values["last"],
        settings=settings,
        printed_at=now,
    )


def _delivery_sheet(
    session: Session, values: Mapping[str, Any], settings: Any, now: datetime
) -> Any:
    from coop.amap.sheets import delivery_sheet

    return delivery_sheet(
        session, values["contract"], values["day"], settings=settings, printed_at=now
    )


def _cheques(session: Session, values: Mapping[str, Any], settings: Any, now: datetime) -> Any:
    from coop.amap.sheets import cheque_schedule

    return cheque_schedule(session, values["contract"], settings=settings, printed_at=now)


def _depots(session: Session, values: Mapping[str, Any], settings: Any, now: datetime) -> Any:
    from coop.amap.sheets import depot_list

    return depot_list(session, values["day"], settings=settings, printed_at=now)


BUILDERS: dict[str, Builder] = {
    "receipt": _receipt,
    "z": _z,
    "sign-in": _sign_in,
    "attestation": _attestation,
    "cards": _cards,
    "status-list": _status_list,
    "register": _register,
    "invoice": _invoice,
    "order-sheet": _order_sheets,
    "packing": _packing,
    "emargement": _emargement,
    "amap-grid": _amap_grid,
    "delivery-sheet": _delivery_sheet,
    "cheques": _cheques,
    "depots": _depots,
}
"""One builder per document of ``coop.printables``."""


def _emargement_csv(document: Any) -> tuple[list[str], list[dict[str, str]]]:
    from coop.amap.documents import emargement_csv

    return emargement_csv(document)


def _grid_csv(document: Any) -> tuple[list[str], list[dict[str, str]]]:
    from coop.amap.sheets_csv import grid_csv

    return grid_csv(document)


def _depots_csv(document: Any) -> tuple[list[str], list[dict[str, str]]]:
    from coop.amap.sheets_csv import depots_csv

    return depots_csv(document)


def _cheques_csv(document: Any) -> tuple[list[str], list[dict[str, str]]]:
    from coop.amap.sheets_csv import cheques_csv

    return cheques_csv(document)


def _register_csv(document: Any) -> tuple[list[str], list[dict[str, str]]]:
    from coop.members.register import register_csv

    return register_csv(document)


CSV_TWINS: dict[str, Callable[[Any], tuple[list[str], list[dict[str, str]]]]] = {
    "emargement": _emargement_csv,
    "amap-grid": _grid_csv,
    "depots": _depots_csv,
    "cheques": _cheques_csv,
    "register": _register_csv,
}
"""The documents with a CSV twin (French Excel, ``coop.csvio``): columns and rows from the data."""


def build(
    session: Session, name: str, values: Mapping[str, Any], *, settings: Any, now: datetime
) -> Any:
    """The data of document ``name`` (``order-sheet``: a list, one sheet per supplier)."""
    return BUILDERS[name](session, values, settings, now)
