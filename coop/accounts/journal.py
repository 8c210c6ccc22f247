"""The prepaid accounts' chained journal: each movement sealed with the previous one's hash.

Like the till's journal (``coop.till.journal``), every ``AccountMovement`` carries the SHA-256
of its canonical document, and that document holds the hash of the account's previous movement,
so raising a top-up, deleting or inserting a movement breaks the chain from that point on
(``coop.accounts.verify`` names where). Each account has its own chain (``seq`` 1, 2, 3... per
account), written under the account's row lock, so two tills paying from two accounts never wait
for each other; the account row keeps the head (``last_seq``, ``last_hash``), so a movement cut
off the end is found too.

The hashed document of a movement is the object ``{"account", "actor", "amount", "at",
"balance_after", "invoice", "kind", "means", "previous", "reason", "reference", "sale", "seq"}``
written as canonical JSON: keys sorted, no whitespace, ASCII only (``\\uXXXX`` escapes), integers
in plain decimal, ``null`` for what is missing, and ``at`` in UTC as
``"YYYY-MM-DDTHH:MM:SS.ffffffZ"``; the hash is its lower-case hex SHA-256. The first movement of
an account links to ``GENESIS_HASH`` (64 zeros). Migration 0013 holds a frozen copy of this, as
it sealed the movements written before it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64
"""What the first movement of every account links to."""

SEALED = (
    "account_id",
    "seq",
    "at",
    "kind",
    "amount_cents",
    "balance_after_cents",
    "means",
    "sale_id",
    "invoice_id",
    "reference",
    "reason",
    "actor",
)
"""The columns of a movement that its hash covers, in the order ``verify`` reads them."""


def at_text(value: datetime) -> str:
    """A moment in UTC with microseconds, as sealed (a naive value is UTC, as SQLite gives it)."""
    moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def movement_bytes(values: Mapping[str, Any], previous: str) -> bytes:
    """The canonical bytes of a movement (``values`` keyed by the ``SEALED`` columns)."""
    document = {
        "account": values["account_id"],
        "seq": values["seq"],
        "at": at_text(values["at"]),
        "kind": values["kind"],
        "amount": values["amount_cents"],
        "balance_after": values["balance_after_cents"],
        "means": values["means"],
        "sale": values["sale_id"],
        "invoice": values["invoice_id"],
        "reference": values["reference"],
        "reason": values["reason"],
        "actor": values["actor"],
        "previous": previous,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode(
        "ascii"
    )


def movement_hash(values: Mapping[str, Any], previous: str) -> str:
    """The hash a movement is sealed with, linked to the account's ``previous`` hash."""
    return hashlib.sha256(movement_bytes(values, previous)).hexdigest()
