"""The barcode nomenclature in the database, and what a scan at the till stands for.

The nomenclature is data the coop edits (``barcode_rules``, seeded with
``coop.nomenclature.DEFAULT_RULES``): ``load_rules`` reads it as ``NomenclatureRule`` values,
sorted by priority; ``set_rule`` and ``remove_rule`` change it (audited). ``resolve`` reads one
scan with those rules and finds what it names, in at most one query:

- a member card (active or ended: the desk check says what to do with an ended one);
- a product: plain EAN-13/EAN-8/UPC-A, an internal EAN (prefix 20 / 2), a scale label with the
  weight (grams) or a label with the price (cents) embedded, or an internal code typed by hand
  (``PAIN-CAMP-1KG``, case ignored);
- a discount label (percent, in hundredths);
- or an error code (``ScanProblem``) with the cleaned digits and, for a wrong check digit, the
  right one. Nothing here raises for a bad scan: a till shows the problem and carries on.

A weight label for a product that is not sold by weight is an error (``WEIGHT_FOR_PIECE``); a
price label may name any product (the label's price is what is paid).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from coop import audit
from coop import nomenclature as barcodes
from coop.audit import Actor
from coop.catalog.models import BarcodeRule, Product
from coop.catalog.service import barcode_candidates
from coop.errors import CoopError, InvalidInput, NotFound, Problem
from coop.i18n import _
from coop.members.models import Member, MemberCard
from coop.nomenclature import (
    NomenclatureRule,
    RuleError,
    ScanKind,
    parse_scan,
    rule_from_mapping,
    rule_to_mapping,
)
from coop.rights import Right, require
from coop.scanning import ScanError, ScanErrorCode


class ScanProblem(StrEnum):
    """Why a scan names nothing the till can use (the stored/JSON value is the lower-case name)."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    NOT_DIGITS = "not_digits"  # and no internal code matches either
    BAD_LENGTH = "bad_length"
    BAD_CHECK_DIGIT = "bad_check_digit"
    NO_MATCH = "no_match"
    UNKNOWN_PRODUCT = "unknown_product"
    UNKNOWN_CARD = "unknown_card"
    WEIGHT_FOR_PIECE = "weight_for_piece"  # a scale label for a product not sold by weight
    INACTIVE_PRODUCT = "inactive_product"  # withdrawn from sale


class Found(StrEnum):
    MEMBER = "member"
    PRODUCT = "product"
    DISCOUNT = "discount"
    ERROR = "error"


@dataclass(frozen=True)
class Scanned:
    """What one scan names. ``grams`` is set by a weight label, ``price_cents`` by a price
    label, ``discount_bp`` (hundredths of a percent) by a discount label."""

    scan: str
    found: Found
    code: str | None = None
    """The cleaned digits (or the internal code typed), when there are any."""
    kind: ScanKind | None = None
    """The nomenclature kind that read it (None for an internal code typed by hand)."""
    product: Product | None = None
    member: Member | None = None
    card: MemberCard | None = None
    grams: int | None = None
    price_cents: int | None = None
    discount_bp: int | None = None
    problem: ScanProblem | None = None
    expected_check_digit: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def message(self) -> str:
        """The problem in one sentence for the cashier (empty when there is none)."""
        return scan_message(self.problem, self.code or self.scan, self.expected_check_digit)

    def as_dict(self) -> dict[str, Any]:
        product = self.product
        member = self.member
        return {
            "scan": self.scan,
            "found": self.found.value,
            "code": self.code,
            "kind": self.kind.value if self.kind else None,
            "product": None
            if product is None
            else {
                "id": product.id,
                "code": product.code,
                "name": product.name,
                "price_cents": product.price_cents,
                "by_weight": product.by_weight,
            },
            "member": None
            if member is None
            else {"number": member.number, "name": member.full_name},
            "card_ended": bool(self.card is not None and self.card.ended_on is not None),
            "grams": self.grams,
            "price_cents": self.price_cents,
            "discount_percent": None
            if self.discount_bp is None
            else str(Decimal(self.discount_bp) / 100),
            "problem": self.problem.value if self.problem else None,
            "message": self.message() or None,
        }


def scan_message(problem: ScanProblem | None, code: str, expected: str | None = None) -> str:
    if problem is None:
        return ""
    messages = {
        ScanProblem.EMPTY: _("Nothing was scanned."),
        ScanProblem.TOO_LONG: _("That scan is far too long: scan one code at a time."),
        ScanProblem.NOT_DIGITS: _("“{code}” is neither a barcode nor a known internal code."),
        ScanProblem.BAD_LENGTH: _("“{code}” has a length no barcode rule reads."),
        ScanProblem.BAD_CHECK_DIGIT: _(
            "“{code}” has a wrong check digit (expected {expected}): scan it again."
        ),
        ScanProblem.NO_MATCH: _("No barcode rule reads “{code}”."),
        ScanProblem.UNKNOWN_PRODUCT: _("No product has the code {code}."),
        ScanProblem.UNKNOWN_CARD: _("No member card has the number {code}."),
        ScanProblem.WEIGHT_FOR_PIECE: _(
            "{code} is a scale label, but its product is not sold by weight."
        ),
        ScanProblem.INACTIVE_PRODUCT: _("The product {code} is no longer sold."),
    }
    return messages[problem].format(code=code, expected=expected or "")


# --- the nomenclature table -----------------------------------------------------------------


def _rule_of(row: BarcodeRule) -> NomenclatureRule:
    values = {
        "name": row.name,
        "kind": row.kind,
        "priority": row.priority,
        "pattern": row.pattern,
        "encoding": row.encoding,
        "lookup": row.lookup,
        "verify_check_digit": row.verify_check_digit,
        "length": row.length,
    }
    try:
        return rule_from_mapping(values)
    except RuleError as error:
        raise CoopError(
            _("The barcode rule “{name}” in the database is not usable: {error}").format(
                name=row.name, error=error
            )
        ) from error


_RULE_COLUMNS = tuple(
    BarcodeRule.__table__.c[name] for name in ("id", "updated_at", *barcodes.RULE_FIELDS)
)
_cached: tuple[tuple[Any, ...], tuple[NomenclatureRule, ...]] | None = None


def load_rules(session: Session) -> tuple[NomenclatureRule, ...]:
    """The coop's nomenclature, by ascending priority (ties: by name).

    The rows are read every time (one small query), but the rules are built again only when a
    row changed: every sale resolves its scans with them.
    """
    global _cached
    rows = tuple(
        tuple(row)
        for row in session.execute(
            select(*_RULE_COLUMNS).order_by(BarcodeRule.priority, BarcodeRule.name)
        )
    )
    if _cached is not None and _cached[0] == rows:
        return _cached[1]
    rules = tuple(
        _rule_of(
            BarcodeRule(**dict(zip(("id", "updated_at", *barcodes.RULE_FIELDS), row, strict=True)))
        )
        for row in rows
    )
    _cached = (rows, rules)
    return rules


def set_rule(
    session: Session, values: dict[str, Any], *, actor: Actor, now: datetime
) -> NomenclatureRule:
    """Add a rule or replace the one with the same name (validated first; audited)."""
    require(actor, Right.EDIT_CATALOGUE, entity="barcode_rule", entity_id=values.get("name", ""))
    try:
        rule = rule_from_mapping(values)
    except RuleError as error:
        raise InvalidInput([Problem(str(error), column=error.field)]) from error
    stored = rule_to_mapping(rule)
    row = session.scalar(select(BarcodeRule).where(BarcodeRule.name == rule.name))
    before = None
    if row is None:
        row = BarcodeRule(created_at=now, **stored)
        session.add(row)
    else:
        before = {key: getattr(row, key) for key in stored}
        for key, value in stored.items():
            setattr(row, key, value)
    row.updated_at = now
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="barcode_rule.set",
        entity="barcode_rule",
        entity_id=row.id,
        before=before,
        after=stored,
    )
    return rule


def remove_rule(session: Session, name: str, *, actor: Actor, now: datetime) -> None:
    require(actor, Right.EDIT_CATALOGUE, entity="barcode_rule", entity_id=name)
    row = session.scalar(select(BarcodeRule).where(BarcodeRule.name == name))
    if row is None:
        raise NotFound(_("No barcode rule is named “{name}”.").format(name=name))
    before = {key: getattr(row, key) for key in barcodes.RULE_FIELDS}
    session.delete(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="barcode_rule.remove",
        entity="barcode_rule",
        entity_id=row.id,
        before=before,
    )


# --- resolving a scan -----------------------------------------------------------------------

_PROBLEMS = {code.value: ScanProblem(code.value) for code in ScanErrorCode}


def _error(scan: str, problem: ScanProblem, code: str | None = None, **extra: Any) -> Scanned:
    return Scanned(scan=scan, found=Found.ERROR, code=code, problem=problem, **extra)


def resolve(session: Session, scan: str, rules: Sequence[NomenclatureRule]) -> Scanned:
    """What ``scan`` names, with the coop's ``rules`` (``load_rules``, loaded once per basket)."""
    return resolve_many(session, [scan], rules)[0]


def resolve_many(
    session: Session, scans: Sequence[str], rules: Sequence[NomenclatureRule]
) -> list[Scanned]:
    """Many scans (a whole basket) in at most three queries: cards, barcodes, internal codes."""
    reads: list[barcodes.ScanResult | ScanError] = []
    for scan in scans:
        try:
            reads.append(parse_scan(scan, rules))
        except ScanError as error:
            reads.append(error)
    card_codes: set[str] = set()
    candidates: set[str] = set()
    internal: set[str] = set()
    for scan, read in zip(scans, reads, strict=True):
        if isinstance(read, ScanError):
            if read.code in _TYPED:
                internal.update(_typed_codes(scan, read))
        elif read.kind is ScanKind.MEMBER_CARD:
            card_codes.add(read.lookup_code)
        elif read.kind is not ScanKind.DISCOUNT:
            for code in read.lookup_codes:
                candidates.update(barcode_candidates(code))
    cards = {}
    if card_codes:
        query = (
            select(MemberCard, Member)
            .join(Member, MemberCard.member_id == Member.id)
            .where(_among(MemberCard.barcode, card_codes))
            .options(lazyload(Member.category))
        )
        cards = {card.barcode: (card, member) for card, member in session.execute(query)}
    by_barcode = {}
    if candidates:
        found = session.scalars(_PRODUCTS.where(_among(Product.barcode, candidates)))
        by_barcode = {product.barcode: product for product in found}
    by_internal = {}
    if internal:
        found = session.scalars(_PRODUCTS.where(_among(Product.internal_code, internal)))
        by_internal = {product.internal_code: product for product in found}
    return [
        _scanned(scan, read, cards, by_barcode, by_internal)
        for scan, read in zip(scans, reads, strict=True)
    ]


_TYPED = (ScanErrorCode.NOT_DIGITS, ScanErrorCode.BAD_LENGTH)
_PRODUCTS = select(Product).options(lazyload(Product.producer))


def _among(column: Any, values: set[str]) -> Any:
    """``column = v`` for one value (one scan: no expanding IN to render), else ``IN``."""
    if len(values) == 1:
        return column == next(iter(values))
    return column.in_(values)


"""Products without their producer joined in (the till does not need it at each scan)."""


def _typed_codes(scan: str, error: ScanError) -> list[str]:
    """What an internal code typed by hand may be: as typed (``PAIN-CAMP``: a dash is also the
    AZERTY 6, so the scan's cleaning would change it), then as cleaned (a scanner on AZERTY)."""
    codes = [scan.strip().upper()]
    if error.cleaned and error.cleaned.upper() not in codes:
        codes.append(error.cleaned.upper())
    return [code for code in codes if code]


def _scanned(
    scan: str,
    read: barcodes.ScanResult | ScanError,
    cards: dict[str, tuple[MemberCard, Member]],
    by_barcode: dict[str | None, Product],
    by_internal: dict[str | None, Product],
) -> Scanned:
    if isinstance(read, ScanError):
        if read.code in _TYPED:
            for code in _typed_codes(scan, read):
                product = by_internal.get(code)
                if product is not None:
                    return _product(scan, product.internal_code or "", None, product)
        shown = scan.strip() if read.code is ScanErrorCode.NOT_DIGITS else read.cleaned
        return _error(scan, _PROBLEMS[read.code.value], shown, expected_check_digit=read.expected)
    if read.kind is ScanKind.MEMBER_CARD:
        holder = cards.get(read.lookup_code)
        if holder is None:
            return _error(scan, ScanProblem.UNKNOWN_CARD, read.code, kind=read.kind)
        return Scanned(
            scan=scan,
            found=Found.MEMBER,
            code=read.code,
            kind=read.kind,
            member=holder[1],
            card=holder[0],
        )
    if read.kind is ScanKind.DISCOUNT:
        return Scanned(
            scan=scan, found=Found.DISCOUNT, code=read.code, kind=read.kind, discount_bp=read.amount
        )
    product = None
    for code in read.lookup_codes:
        for candidate in barcode_candidates(code):
            product = product or by_barcode.get(candidate)
    if product is None:
        return _error(scan, ScanProblem.UNKNOWN_PRODUCT, read.code, kind=read.kind)
    if read.kind is ScanKind.WEIGHT and not product.by_weight:
        return _error(scan, ScanProblem.WEIGHT_FOR_PIECE, read.code, kind=read.kind)
    scanned = _product(scan, read.code, read.kind, product)
    if not scanned.ok:
        return scanned
    if read.kind is ScanKind.WEIGHT:
        return _with(scanned, grams=read.amount)
    if read.kind is ScanKind.PRICE:
        return _with(scanned, price_cents=read.amount)
    return scanned


def _with(scanned: Scanned, **changes: Any) -> Scanned:
    return replace(scanned, **changes)


def _product(scan: str, code: str, kind: ScanKind | None, product: Product) -> Scanned:
    if not product.active:
        return _error(scan, ScanProblem.INACTIVE_PRODUCT, code, kind=kind, product=product)
    return Scanned(scan=scan, found=Found.PRODUCT, code=code, kind=kind, product=product)
