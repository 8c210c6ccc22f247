"""What every printed document shares: the coop's letterhead, a VAT row, a person's address.

Document data is built in ``coop`` as plain frozen dataclasses (rows and totals already rounded to
the cent, people already sorted, words already translated); the ``invoices`` package only lays
them out. Each context builds its own documents in a ``documents.py`` module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from coop.text import sort_key

T = TypeVar("T")


@dataclass(frozen=True)
class Letterhead:
    """The coop as printed at the top of its documents."""

    name: str
    address: tuple[str, ...] = ()
    siret: str = ""
    contact: str = ""
    vat_number: str = ""
    city: str = ""
    """The town documents are signed in ("Fait à Lyon, le …"); empty when not configured."""


def letterhead(settings: Any) -> Letterhead:
    """The letterhead from the settings (``coop_name``, ``coop_address``, ``coop_siret``...)."""
    address = tuple(
        line.strip() for line in (settings.coop_address or "").splitlines() if line.strip()
    )
    return Letterhead(
        name=settings.coop_name,
        address=address,
        siret=settings.coop_siret,
        contact=settings.coop_contact,
        vat_number=getattr(settings, "coop_vat_number", ""),
        city=getattr(settings, "coop_city", ""),
    )


UNNAMED_COOP = "Comptoir"
"""The name documents carry when the config names no coop (the software's own name)."""


def legal_mentions_missing(head: Letterhead) -> list[str]:
    """The config keys an invoice still needs (the coop's name, address and SIRET, which French
    law requires on an invoice), empty when the letterhead has them all."""
    missing = []
    if not head.name.strip() or head.name.strip() == UNNAMED_COOP:
        missing.append("coop_name")
    if not head.address:
        missing.append("coop_address")
    if len("".join(head.siret.split())) != 14 or not "".join(head.siret.split()).isdigit():
        missing.append("coop_siret")
    return missing


@dataclass(frozen=True)
class VatRow:
    """One rate of a VAT summary, in cents."""

    rate: Decimal
    excl_vat_cents: int
    vat_cents: int

    @property
    def incl_vat_cents(self) -> int:
        return self.excl_vat_cents + self.vat_cents


def address_lines(member: Any) -> tuple[str, ...]:
    """A member's postal address as printed, empty when street, postcode or city is missing."""
    street = (member.street or "").strip()
    town = " ".join(part for part in ((member.postcode or "").strip(), (member.city or "").strip()))
    if not street or not (member.postcode or "").strip() or not (member.city or "").strip():
        return ()
    return (*[line.strip() for line in street.splitlines() if line.strip()], town.strip())


def by_name(items: Iterable[T], name: Callable[[T], str]) -> list[T]:
    """Sorted by name the way people read lists: accents and case ignored (Émile before Zoé)."""
    return sorted(items, key=lambda item: sort_key(name(item)))
