"""Prepaid-account codes in words: what each movement of an account is."""

from __future__ import annotations

from coop.i18n import N_, _

MOVEMENTS = {
    "top_up": N_("top-up"),
    "sale_payment": N_("purchase"),
    "refund": N_("refund"),
    "adjustment": N_("correction"),
    "order_charge": N_("grouped order"),
    "invoice": N_("invoice"),
    "credit_note": N_("credit note"),
    "withdrawal": N_("withdrawal"),
}


def movement(kind: str) -> str:
    """A movement's kind in words ("top_up" → "alimentation"); an unknown code as it is."""
    label = MOVEMENTS.get(kind)
    return _(label) if label else kind
