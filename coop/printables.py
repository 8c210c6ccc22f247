"""The printable documents, declared once: what ``coop print`` offers and the Print window lists.

Each ``Printable`` names a document (its ``coop print`` sub-command), says what it is (message ids,
translated when shown) and lists its ``Field`` values as typed declarations: the kind of value, the
window's label and hint, the command line's option and help, the default the window fills in.
``ENTRIES`` are the lines of the Print window (a document, possibly with fixed values: the three
packing lists are one document ``--by`` article, household or matrix) and ``MENUS`` which entries
each screen of the terminal interface offers, in order.

Why here, in the kernel of ``coop``: ``coop.cli.print_parsers`` reads it to build ``coop --help``,
which must load neither ``invoices`` nor the UI nor SQLAlchemy, and ``tui.screens.print_menu``
reads it too; the layers (``tui`` → ``invoices`` → ``coop``) let the window reach ``coop``, and
``coop`` is the one package the help may load. The module declares; it imports no context.
``coop.printouts`` builds each document's data (through the contexts' ``documents.py`` and
``coop.orders.sheets``) for both, ``invoices`` lays it out, and the command line
(``coop.cli.print``) and the window (``tui.printing``) only choose where the file goes; tests
check that every document declared here is built and printed by both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from coop.i18n import N_


class Kind(StrEnum):
    """What a field holds, which says how it is read."""

    TEXT = "text"  # a code or reference, as typed (a cycle, an invoice, a supplier)
    TILL = "till"  # a till's code, upper-cased
    NUMBER = "number"  # a whole number above zero (a sale, a member)
    NUMBERS = "numbers"  # whole numbers, none meaning "all" (member cards)
    DAY = "day"  # a date, 31/12/2026 or 2026-12-31
    YES_NO = "yes_no"  # a switch: a flag on the command line, yes or no in the window
    CHOICE = "choice"  # one of ``choices``


class Default(StrEnum):
    """What the Print window fills a field with before the person types."""

    NONE = "none"
    TODAY = "today"
    NEW_YEAR = "new_year"  # the first of January of this year
    THIS_TILL = "this_till"  # this computer's till ([till] till)
    LAST_SALE = "last_sale"  # the till's last sale
    LAST_INVOICE = "last_invoice"  # the invoice or credit note recorded last
    LAST_CLOSED_CYCLE = "last_closed_cycle"  # the latest cycle no longer draft or open
    NO = "no"


@dataclass(frozen=True)
class Field:
    """One value a document takes.

    ``name`` is the keyword the printing functions take (and ``args.<name>`` on the command line).
    ``option`` is the command line's option (``--day``); None makes it a positional argument.
    ``metavar`` is shown as is unless it is a message id marked for translation.
    ``required`` is for options of the command line (positional arguments always are, but
    ``NUMBERS``). ``blank`` lets the window leave a text field empty (None is passed).
    ``on_screen`` is False for what only the command line offers (``--narrow``, ``--no-csv``).
    """

    name: str
    kind: Kind
    label: str = ""
    hint: str = ""
    help: str = ""
    option: str | None = None
    metavar: str | None = None
    required: bool = False
    blank: bool = False
    default: Default = Default.NONE
    choices: tuple[str, ...] = ()
    on_screen: bool = True


@dataclass(frozen=True)
class Printable:
    """A document: ``coop print <name>``; ``help`` is its line in ``coop print --help``.

    ``progress`` names the long batches (cards, lists, sheets): the command line shows a bar
    with that label, the window a bar; empty for the one-page documents.
    """

    name: str
    help: str
    fields: tuple[Field, ...]
    progress: str = ""

    def field(self, name: str) -> Field:
        return next(field for field in self.fields if field.name == name)

    @property
    def screen_fields(self) -> tuple[Field, ...]:
        return tuple(field for field in self.fields if field.on_screen)


@dataclass(frozen=True)
class Entry:
    """A line of the Print window: ``document`` with the ``fixed`` values it does not ask for."""

    key: str
    document: str
    title: str
    summary: str
    fixed: tuple[tuple[str, str], ...] = ()

    @property
    def batch(self) -> bool:
        """Long enough to show a progress bar (``Printable.progress``)."""
        return bool(DOCUMENTS[self.document].progress)

    def fields(self) -> tuple[Field, ...]:
        """The fields the window asks for, in the window's order (``screen_fields``)."""
        fixed = {name for name, _value in self.fixed}
        asked = {f.name for f in DOCUMENTS[self.document].screen_fields} - fixed
        return tuple(field for field in screen_fields() if field.name in asked)


# --- the fields several documents share -------------------------------------------------------

DAY = Field(
    "day",
    Kind.DAY,
    N_("Day"),
    N_("31/12/2026"),
    N_("the day (default: today)"),
    option="--day",
    metavar="D",
    default=Default.TODAY,
)
TILL = Field(
    "till",
    Kind.TILL,
    N_("Till"),
    N_("code of the till, e.g. CAISSE-1"),
    N_("the till (default: this computer's, [till] till)"),
    option="--till",
    metavar="CODE",
    default=Default.THIS_TILL,
)
CYCLE = Field(
    "cycle",
    Kind.TEXT,
    N_("Order cycle"),
    N_("code of a closed cycle"),
    metavar=N_("CYCLE"),
    default=Default.LAST_CLOSED_CYCLE,
)
PRODUCER = Field(
    "producer",
    Kind.TEXT,
    N_("Supplier"),
    N_("supplier code; empty: every supplier"),
    option="--producer",
    metavar="CODE",
    blank=True,
)

FIRST = Field(
    "first",
    Kind.DAY,
    N_("From"),
    N_("31/12/2026"),
    option="--from",
    metavar="D",
    required=True,
    default=Default.NEW_YEAR,
)
LAST = Field(
    "last",
    Kind.DAY,
    N_("To"),
    N_("31/12/2026"),
    option="--to",
    metavar="D",
    required=True,
    default=Default.TODAY,
)
CONTRACT = Field(
    "contract",
    Kind.TEXT,
    N_("AMAP contract"),
    N_("its code, e.g. LEG-2026"),
    metavar=N_("CONTRACT"),
)
NO_CSV = Field(
    "no_csv",
    Kind.YES_NO,
    help=N_("do not write the CSV twin"),
    option="--no-csv",
    on_screen=False,
)
PLACE = Field(
    "place",
    Kind.TEXT,
    N_("Pickup place"),
    N_("place code; empty: the day's only place"),
    N_("the pickup place (needed when several distribute that day)"),
    option="--place",
    metavar="CODE",
    blank=True,
)

PRINTABLES: tuple[Printable, ...] = (
    Printable(
        "receipt",
        N_("a till receipt (A4, or an 80 mm roll with --narrow)"),
        (
            TILL,
            Field(
                "number",
                Kind.NUMBER,
                N_("Sale number"),
                N_("as on the receipt"),
                metavar=N_("SALE_NO"),
                default=Default.LAST_SALE,
            ),
            Field(
                "narrow",
                Kind.YES_NO,
                help=N_("80 mm wide, for a receipt printer"),
                option="--narrow",
                on_screen=False,
            ),
        ),
    ),
    Printable(
        "z", N_("a till's Z report for a day (provisional figures before the Z)"), (DAY, TILL)
    ),
    Printable("sign-in", N_("the shift sign-in sheet of a day"), (DAY,)),
    Printable(
        "attestation",
        N_("a volunteer-hours attestation for a member over a period"),
        (
            Field(
                "member",
                Kind.NUMBER,
                N_("Member number"),
                N_("e.g. 42"),
                metavar=N_("MEMBER_NO"),
            ),
            FIRST,
            LAST,
        ),
    ),
    Printable(
        "cards",
        N_("member cards with their EAN-13 barcode, ten per page"),
        (
            Field(
                "members",
                Kind.NUMBERS,
                N_("Member numbers"),
                N_("e.g. 1 5 9; empty: every member with a card"),
                N_("these members only (default: every current member with a card)"),
                metavar=N_("MEMBER_NO"),
            ),
        ),
        progress=N_("Member cards"),
    ),
    Printable(
        "status-list",
        N_("the paper list of who may shop on a day (when the terminal is down)"),
        (DAY,),
        progress=N_("Member status list"),
    ),
    Printable(
        "register",
        N_("the register of members and shares on a day (PDF and CSV twin)"),
        (DAY,),
        progress=N_("Register of members"),
    ),
    Printable(
        "invoice",
        N_("a member invoice or credit note"),
        (
            Field(
                "code",
                Kind.TEXT,
                N_("Invoice or credit note"),
                N_("e.g. FA-000042"),
                N_("e.g. FA-000042 or AV-000003"),
                metavar=N_("NUMBER"),
                default=Default.LAST_INVOICE,
            ),
        ),
    ),
    Printable(
        "order-sheet",
        N_("the producer order sheets of a closed cycle (PDF and CSV twin, one per supplier)"),
        (
            CYCLE,
            replace(
                PRODUCER,
                help=N_("this supplier only (--out is then a PDF file; otherwise a folder)"),
            ),
            Field(
                "per_member",
                Kind.YES_NO,
                N_("Household pages"),
                N_("yes or no"),
                N_("add a page of what each household ordered"),
                option="--per-member",
                default=Default.NO,
            ),
            Field(
                "anonymised",
                Kind.YES_NO,
                N_("Anonymised"),
                N_("yes or no: households numbered, not named"),
                N_("on that page, number households instead of naming them"),
                option="--anonymised",
                default=Default.NO,
            ),
            Field(
                "no_csv",
                Kind.YES_NO,
                help=N_("do not write the CSV twin"),
                option="--no-csv",
                on_screen=False,
            ),
        ),
        progress=N_("Order sheets"),
    ),
    Printable(
        "packing",
        N_("a packing list of a closed cycle, or the sorting grid"),
        (
            CYCLE,
            Field(
                "by",
                Kind.CHOICE,
                help=N_("one block per article, one per household, or the grid for sorting crates"),
                option="--by",
                choices=("article", "household", "matrix"),
            ),
            replace(PRODUCER, help=N_("only this supplier's delivery"), on_screen=False),
        ),
        progress=N_("Packing list"),
    ),
    Printable(
        "emargement",
        N_("the AMAP sign-in sheet of a distribution (émargement; PDF and CSV twin)"),
        (DAY, PLACE, NO_CSV),
    ),
    Printable(
        "amap-grid",
        N_("an AMAP contract's sign-in grid, households × delivery dates (PDF and CSV twin)"),
        (
            CONTRACT,
            FIRST,
            LAST,
            NO_CSV,
        ),
    ),
    Printable(
        "delivery-sheet",
        N_("an AMAP producer's delivery sheet for a date: quantities per place, prices"),
        (CONTRACT, DAY),
    ),
    Printable(
        "cheques",
        N_("an AMAP contract's cheque schedule: households × cashing dates (PDF and CSV twin)"),
        (CONTRACT, NO_CSV),
    ),
    Printable(
        "depots",
        N_("the AMAP depot list of a day: per place, households × sizes (PDF and CSV twin)"),
        (DAY, NO_CSV),
    ),
)

DOCUMENTS: dict[str, Printable] = {document.name: document for document in PRINTABLES}

ENTRIES: dict[str, Entry] = {
    entry.key: entry
    for entry in (
        Entry("receipt", "receipt", N_("Receipt of a sale"), N_("the last sale's, or another")),
        Entry("z", "z", N_("Z report"), N_("the day's figures of a till")),
        Entry(
            "sign-in",
            "sign-in",
            N_("Shift sign-in sheet"),
            N_("the day's shifts and who is booked"),
        ),
        Entry(
            "status-list",
            "status-list",
            N_("Paper status list"),
            N_("who may shop, for the welcome desk"),
        ),
        Entry(
            "order-sheets",
            "order-sheet",
            N_("Order sheets of a cycle"),
            N_("every supplier or one: PDF and CSV"),
        ),
        Entry(
            "packing-article",
            "packing",
            N_("Packing list by article"),
            N_("households under each article"),
            fixed=(("by", "article"),),
        ),
        Entry(
            "packing-household",
            "packing",
            N_("Packing list by household"),
            N_("a crate label per household"),
            fixed=(("by", "household"),),
        ),
        Entry(
            "packing-matrix",
            "packing",
            N_("Sorting grid"),
            N_("households × articles"),
            fixed=(("by", "matrix"),),
        ),
        Entry("invoice", "invoice", N_("Invoice or credit note"), N_("to a member, by its code")),
        Entry(
            "emargement",
            "emargement",
            N_("AMAP sign-in sheet"),
            N_("a distribution's households and baskets"),
        ),
        Entry("depots", "depots", N_("AMAP depot list"), N_("per place, households × sizes")),
        Entry(
            "amap-grid",
            "amap-grid",
            N_("AMAP contract grid"),
            N_("households × dates of a contract"),
        ),
        Entry(
            "delivery-sheet",
            "delivery-sheet",
            N_("AMAP delivery sheet"),
            N_("what a producer brings on a date"),
        ),
        Entry("cheques", "cheques", N_("AMAP cheque schedule"), N_("a contract's cheques by date")),
        Entry("cards", "cards", N_("Member cards"), N_("all, or the numbers given")),
        Entry(
            "register",
            "register",
            N_("Register of members and shares"),
            N_("who joined, left and holds shares, on a day"),
        ),
        Entry(
            "attestation",
            "attestation",
            N_("Volunteer-hours attestation"),
            N_("a member's shifts over a period"),
        ),
    )
}

MENUS: dict[str, tuple[str, ...]] = {
    # the terminal interface's screens (modes) and the entries each offers, in order
    "counter": ("receipt", "z"),
    "desk": ("status-list",),
    "shifts": ("sign-in",),
    "distribution": (
        "emargement",
        "depots",
        "amap-grid",
        "delivery-sheet",
        "packing-household",
        "packing-article",
        "packing-matrix",
    ),
    "coordinator": (
        "order-sheets",
        "packing-article",
        "packing-household",
        "packing-matrix",
        "invoice",
        "cards",
        "register",
        "attestation",
        "status-list",
        "sign-in",
        "emargement",
        "depots",
        "amap-grid",
        "delivery-sheet",
        "cheques",
    ),
}


def screen_fields() -> tuple[Field, ...]:
    """Every field the window may ask for, once each, in the order the documents declare them
    (the window lays out one row per field and shows a document's rows)."""
    seen: dict[str, Field] = {}
    for document in PRINTABLES:
        for field in document.screen_fields:
            seen.setdefault(field.name, field)
    return tuple(seen.values())
