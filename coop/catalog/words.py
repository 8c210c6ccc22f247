"""The barcode nomenclature in words: what each kind of rule reads, each symbology, and the
names of the default rules (stored in English, as the rules' keys; shown in the user's language).
"""

from __future__ import annotations

from coop.i18n import N_, _
from coop.nomenclature import Encoding, ScanKind

KINDS = {
    ScanKind.MEMBER_CARD: N_("member card"),
    ScanKind.WEIGHT: N_("weight on the label"),
    ScanKind.PRICE: N_("price on the label"),
    ScanKind.PRODUCT: N_("product"),
    ScanKind.INTERNAL: N_("coop's own code"),
    ScanKind.DISCOUNT: N_("discount"),
}

ENCODINGS = {
    Encoding.EAN13: "EAN-13",
    Encoding.EAN8: "EAN-8",
    Encoding.UPCA: "UPC-A",
    Encoding.NONE: N_("digits"),
}

DEFAULT_RULE_NAMES = {
    "Member cards": N_("Member cards"),
    "Discounts": N_("Discounts"),
    "Weighed goods": N_("Weighed goods"),
    "Priced goods": N_("Priced goods"),
    "Internal EAN-13": N_("Internal EAN-13"),
    "Internal EAN-8": N_("Internal EAN-8"),
    "EAN-13 products": N_("EAN-13 products"),
    "EAN-8 products": N_("EAN-8 products"),
    "UPC-A products": N_("UPC-A products"),
}
"""The names ``coop.nomenclature.default_rules`` stores; a rule the coop names is shown as named."""


def kind(code: str) -> str:
    try:
        return _(KINDS[ScanKind(code)])
    except ValueError:
        return code


def encoding(code: str) -> str:
    try:
        return _(ENCODINGS[Encoding(code)])
    except ValueError:
        return code


def rule_name(name: str) -> str:
    """A default rule's name in the user's language, with the name to type in quotes when it
    differs ("Articles pesés (« Weighed goods »)"); a coop's own rule name as it is."""
    label = DEFAULT_RULE_NAMES.get(name)
    if label is None or _(label) == name:
        return name
    return _("{label} (“{name}”)").format(label=_(label), name=name)
