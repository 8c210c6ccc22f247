"""The barcode printed on a receipt: a refund starts by scanning it (``coop.till.refund_reads``
reads it back; ``coop.till.documents`` prints it)."""

from __future__ import annotations

from coop.scanning import with_check_digit

BARCODE_PREFIX = "29"
"""Receipt barcodes: EAN-13 ``29`` + till id (3 digits) + sale number (7 digits) + check digit
(an in-store prefix: never a product's code)."""


def sale_barcode(till_id: int, number: int) -> str | None:
    """The EAN-13 printed on a receipt (None when the ids do not fit its 10 digits)."""
    if not (0 < till_id < 1000 and 0 < number < 10_000_000):
        return None
    return with_check_digit(f"{BARCODE_PREFIX}{till_id:03d}{number:07d}")
