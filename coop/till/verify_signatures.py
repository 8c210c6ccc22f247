"""The closures' Ed25519 signatures, checked by `coop till verify` once the chain holds.

Every closure must be signed by the key kept outside the database (``coop.signing``): with
the key file here, a closure unsigned or signed by another key breaks; without it, each
signature is checked against the key it names, which ``--json`` prints.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop import signing
from coop.till.closure_models import ClosureSignature, TillClosure
from coop.till.models import JournalEntry
from coop.till.words import BAD_SIGNATURE, FOREIGN_KEY, UNSIGNED


def first_unsigned(session: Session, till_id: int) -> tuple[dict[str, Any] | None, str | None]:
    """The first closure of the till whose signature does not hold (as a verdict's ``broken``)
    or None, and the public key the closures were checked against."""
    key = signing.load_key()
    expected = signing.public_hex(key) if key is not None else None
    rows = session.execute(
        select(
            JournalEntry.seq,
            JournalEntry.kind,
            JournalEntry.number,
            JournalEntry.hash,
            ClosureSignature.public_key,
            ClosureSignature.signature,
        )
        .join(
            TillClosure,
            (TillClosure.till_id == JournalEntry.till_id) & (TillClosure.seq == JournalEntry.seq),
        )
        .outerjoin(
            ClosureSignature,
            (ClosureSignature.till_id == JournalEntry.till_id)
            & (ClosureSignature.seq == JournalEntry.seq),
        )
        .where(JournalEntry.till_id == till_id)
        .order_by(JournalEntry.seq)
    ).all()
    public = expected
    for seq, kind, number, digest, signer, signature in rows:
        reason = None
        if signer is None:
            reason = UNSIGNED if expected is not None else None
        elif expected is not None and signer != expected:
            reason = FOREIGN_KEY
        elif not signing.holds(signer, digest, signature):
            reason = BAD_SIGNATURE
        public = public or signer
        if reason is not None:
            broken = {
                "seq": seq,
                "kind": kind,
                "number": number,
                "reason": reason,
                "expected": expected,
                "found": signer,
            }
            return broken, public
    return None, public
