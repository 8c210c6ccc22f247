"""What the stock's codes mean, in words (gettext, English message ids): the kinds of stock
move and the reasons of a loss, as ``coop stock history`` and the screens show them."""

from __future__ import annotations

from collections.abc import Mapping

from coop.i18n import N_, _

MOVE_KIND: Mapping[str, str] = {
    "receipt": N_("received"),
    "sale": N_("sold"),
    "refund": N_("brought back"),
    "loss": N_("loss"),
    "inventory": N_("inventory"),
    "distribution": N_("handed out"),
    "correction": N_("correction"),
}

LOSS_REASON: Mapping[str, str] = {
    "damaged": N_("damaged"),
    "expired": N_("out of date"),
    "theft": N_("theft"),
    "tasting": N_("tasting"),
    "other": N_("other"),
}


def move_kind(code: str) -> str:
    """A stock move's kind in words ("sold", "received"…); an unknown code as it is."""
    return _(MOVE_KIND[code]) if code in MOVE_KIND else code


def loss_reason(code: str | None) -> str:
    """A loss's reason in words ("out of date"…); empty when there is none."""
    if not code:
        return ""
    return _(LOSS_REASON[code]) if code in LOSS_REASON else code
