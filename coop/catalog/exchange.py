"""Producers and products in and out of CSV: all-or-nothing imports and round-trippable exports.

Producers are matched by code, products by barcode, else by internal code: known ones are
updated, others created. Every problem in the file is reported (line, column, what was
expected) before anything is written; the caller's transaction then holds the whole import or
nothing. A column left out of the file leaves that field of existing rows as it is (a price
list with only ``barcode;name;price;vat_rate`` updates prices without erasing categories); an
empty cell in a column that is present clears the field.

Exports use the import columns, French Excel style: amounts and VAT rates with a decimal comma
("12,50", "5,5"), yes/no as oui/non.

Products are here; producers in ``coop.catalog.producer_exchange`` (re-exported: this module is
the catalogue's one door for files); the cells both read in ``coop.catalog.cells``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, aliased

from coop import audit
from coop.audit import Actor
from coop.catalog.cells import (
    PROGRESS_STEP,
    ImportReport,
    Progress,
    audit_entry,
    format_cents,
    format_rate_bp,
    group_by_keys,
    internal_code,
    price,
    producer_code,
    product_barcode,
    sorted_problems,
    tick,
    unit,
    vat_rate_bp,
)
from coop.catalog.models import WEIGHED_UNITS, Producer, Product, Unit
from coop.catalog.producer_exchange import (
    PRODUCER_COLUMNS,
    PRODUCER_EXPORT_COLUMNS,
    export_producer_rows,
    import_producers,
)
from coop.csvio import Column, RowReader, Table, format_boolean, read_table
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.rights import Right, require

__all__ = [
    "PRODUCER_COLUMNS",
    "PRODUCER_EXPORT_COLUMNS",
    "PRODUCT_COLUMNS",
    "PRODUCT_EXPORT_COLUMNS",
    "ImportReport",
    "export_producer_rows",
    "export_product_rows",
    "import_producers",
    "import_products",
]

PRODUCT_COLUMNS = (
    Column("barcode", aliases=("code_barre", "code_barres", "ean", "ean13", "gtin")),
    Column("internal_code", aliases=("code_interne", "code", "plu", "reference_interne")),
    Column("name", required=True, aliases=("nom", "libelle", "libellé", "designation", "produit")),
    Column(
        "producer",
        aliases=("producteur", "fournisseur", "supplier", "code_producteur", "code_fournisseur"),
    ),
    Column("unit", aliases=("unite", "unité")),
    Column("by_weight", aliases=("vrac", "au_poids", "pese", "pesé", "weighed")),
    Column("price", required=True, aliases=("prix", "prix_ttc", "prix_vente", "pv_ttc")),
    Column("vat_rate", required=True, aliases=("tva", "taux_tva", "taux_de_tva", "vat")),
    Column("cost", aliases=("cout", "coût", "cout_ht", "coût_ht", "prix_achat", "prix_d_achat")),
    Column("category", aliases=("categorie", "catégorie", "rayon", "famille")),
    Column(
        "supplier_ref",
        aliases=("ref_fournisseur", "réf_fournisseur", "reference_fournisseur", "reference", "ref"),
    ),
    Column("deposit", aliases=("consigne",)),
    Column("active", aliases=("actif", "actif_ve", "en_vente")),
)
PRODUCT_EXPORT_COLUMNS = [column.name for column in PRODUCT_COLUMNS]

# --- products -------------------------------------------------------------------------------

_PRODUCT_FIELDS = (
    "barcode",
    "internal_code",
    "name",
    "producer_id",
    "unit",
    "by_weight",
    "price_cents",
    "vat_rate_bp",
    "cost_cents",
    "category",
    "supplier_ref",
    "deposit_product_id",
    "active",
)
_NEW_PRODUCT_DEFAULTS: dict[str, Any] = {
    "producer_id": None,
    "by_weight": False,
    "cost_cents": None,
    "category": None,
    "supplier_ref": None,
    "active": True,
}
# file column → Product attribute, for the optional columns (absent: left as is)
_OPTIONAL_PRODUCT_COLUMNS = {
    "by_weight": "by_weight",
    "cost": "cost_cents",
    "category": "category",
    "supplier_ref": "supplier_ref",
    "active": "active",
}


@dataclass
class _ParsedProduct:
    line: int
    barcode: str | None
    internal_code: str | None
    values: dict[str, Any]
    """Attributes set from the file's cells (only those whose column is present)."""
    producer: str | None = None
    deposit: str | None = None
    """The deposit cell as written (a barcode or internal code), None when empty or absent."""
    product_id: int | None = None
    """The existing product this row updates (set for new ones once inserted)."""
    deposit_target: _ParsedProduct | int | None = None
    """The row, or the id of the existing product, that the deposit cell designates."""

    @property
    def code(self) -> str:
        return self.barcode or self.internal_code or ""


def _parse_products(table: Table) -> tuple[list[_ParsedProduct], list[Problem]]:
    problems: list[Problem] = []
    parsed: list[_ParsedProduct] = []
    first_line: dict[str, dict[str, int]] = {"barcode": {}, "internal_code": {}}
    present = set(table.columns)
    kept_keys = {"name", "price_cents", "vat_rate_bp"} | {
        attribute for column, attribute in _OPTIONAL_PRODUCT_COLUMNS.items() if column in present
    }
    for row in table.rows:
        cells = RowReader(table, row, problems)
        keys = {
            "barcode": cells.custom("barcode", product_barcode),
            "internal_code": cells.custom("internal_code", internal_code),
        }
        if not cells.raw("barcode") and not cells.raw("internal_code"):
            cells.fail(
                "barcode" if "barcode" in present else "internal_code",
                _("a barcode or an internal code is required"),
            )
        producer = cells.custom("producer", producer_code)
        chosen_unit = cells.custom("unit", unit)
        by_weight = cells.boolean("by_weight", default=False)
        values: dict[str, Any] = {
            "name": cells.text("name", required=True, max_length=200),
            "price_cents": cells.custom("price", price, required=True),
            "vat_rate_bp": cells.custom("vat_rate", vat_rate_bp, required=True),
            "by_weight": by_weight,
            "cost_cents": cells.custom("cost", price),
            "category": cells.text("category", max_length=80),
            "supplier_ref": cells.text("supplier_ref", max_length=64),
            "active": cells.boolean("active", default=True),
        }
        values = {key: value for key, value in values.items() if key in kept_keys}
        if chosen_unit is not None:
            values["unit"] = chosen_unit.value
        elif "unit" in present:  # present but empty: the usual unit for the way it is sold
            values["unit"] = (Unit.KG if by_weight else Unit.PIECE).value
        if by_weight and chosen_unit is Unit.PIECE:
            cells.fail(
                "by_weight",
                _("a product sold by weight is priced per kg or per l, not per piece"),
            )
        duplicate = False
        for column, key in keys.items():
            if key is None:
                continue
            if key in first_line[column]:
                duplicate = True
                cells.fail(
                    column,
                    _("{code} is already on line {line}").format(
                        code=key, line=first_line[column][key]
                    ),
                )
            else:
                first_line[column][key] = row.line
        if (keys["barcode"] or keys["internal_code"]) and not duplicate:
            parsed.append(
                _ParsedProduct(
                    row.line,
                    keys["barcode"],
                    keys["internal_code"],
                    values,
                    producer,
                    cells.raw("deposit") or None,
                )
            )
    return parsed, problems


def _load_products(session: Session) -> dict[int, dict[str, Any]]:
    """Every existing product as plain values, by id."""
    columns = [getattr(Product, name) for name in _PRODUCT_FIELDS]
    return {
        row.id: {name: getattr(row, name) for name in _PRODUCT_FIELDS}
        for row in session.execute(select(Product.id, *columns))
    }


def _code_of(values: Mapping[str, Any]) -> str:
    return values["barcode"] or values["internal_code"] or ""


def _barcode_key(value: str) -> str | None:
    digits = re.sub(r"\s", "", value)
    if not digits.isdigit():
        return None
    return "0" + digits if len(digits) == 12 else digits


class _ProductPlan:
    """Matches the file's rows to the catalogue and checks what only the whole file can tell."""

    def __init__(
        self,
        table: Table,
        parsed: list[_ParsedProduct],
        known: dict[int, dict[str, Any]],
        producers: dict[str, int],
    ) -> None:
        self.source = table.source
        self.present = set(table.columns)
        self.parsed = parsed
        self.known = known
        self.producers = producers
        self.problems: list[Problem] = []
        self.by_barcode = {v["barcode"]: i for i, v in known.items() if v["barcode"]}
        self.by_code = {v["internal_code"]: i for i, v in known.items() if v["internal_code"]}
        self.row_of_product: dict[int, _ParsedProduct] = {}
        self.held_deposits: set[int] = set()
        """Existing products that stay the deposit of products the file does not change."""

    def fail(self, item: _ParsedProduct, column: str, message: str) -> None:
        self.problems.append(Problem(message, self.source, item.line, column))

    def check(self) -> list[Problem]:
        for item in self.parsed:
            self._match(item)
            if item.producer is not None and item.producer not in self.producers:
                self.fail(
                    item,
                    "producer",
                    _("unknown producer “{code}” (import the producers first)").format(
                        code=item.producer
                    ),
                )
        file_barcodes = {item.barcode: item for item in self.parsed if item.barcode}
        file_codes = {item.internal_code: item for item in self.parsed if item.internal_code}
        for item in self.parsed:
            if item.deposit is None:
                continue
            item.deposit_target = self._resolve(item.deposit, file_barcodes, file_codes)
            if item.deposit_target is None:
                self.fail(
                    item,
                    "deposit",
                    _(
                        "unknown deposit “{code}” (expected the barcode or internal code of a"
                        " product in this file or in the catalogue)"
                    ).format(code=item.deposit),
                )
        kept = "deposit" not in self.present
        self.held_deposits = {
            values["deposit_product_id"]
            for product_id, values in self.known.items()
            if values["deposit_product_id"] is not None
            and (kept or product_id not in self.row_of_product)
        }
        for item in self.parsed:
            self._check_deposit(item)
            self._check_unit(item)
        return self.problems

    def _match(self, item: _ParsedProduct) -> None:
        by_barcode = self.by_barcode.get(item.barcode) if item.barcode else None
        by_code = self.by_code.get(item.internal_code) if item.internal_code else None
        if by_barcode is not None and by_code is not None and by_barcode != by_code:
            self.fail(
                item,
                "internal_code",
                _("internal code {code} belongs to another product: {name}").format(
                    code=item.internal_code, name=self.known[by_code]["name"]
                ),
            )
            return
        product_id = by_barcode if by_barcode is not None else by_code
        if product_id is None:
            return
        other = self.row_of_product.get(product_id)
        if other is not None:
            self.fail(
                item,
                "barcode" if by_barcode is not None else "internal_code",
                _("this is product {code} again, already on line {line}").format(
                    code=_code_of(self.known[product_id]), line=other.line
                ),
            )
            return
        self.row_of_product[product_id] = item
        item.product_id = product_id

    def _resolve(
        self,
        reference: str,
        file_barcodes: dict[str, _ParsedProduct],
        file_codes: dict[str, _ParsedProduct],
    ) -> _ParsedProduct | int | None:
        """The file's rows first (their codes win), then the untouched catalogue."""
        barcode = _barcode_key(reference)
        code = reference.strip().upper()
        if barcode is not None and barcode in file_barcodes:
            return file_barcodes[barcode]
        if code in file_codes:
            return file_codes[code]
        product_id = self.by_barcode.get(barcode) if barcode is not None else None
        if product_id is None:
            product_id = self.by_code.get(code)
        if product_id is None:
            return None
        return self.row_of_product.get(product_id, product_id)

    def _check_deposit(self, item: _ParsedProduct) -> None:
        target = item.deposit_target
        if target is None:
            return
        if target is item:
            self.fail(item, "deposit", _("a product cannot be its own deposit"))
            return
        if isinstance(target, _ParsedProduct):
            has_own = target.deposit is not None or (
                "deposit" not in self.present
                and target.product_id is not None
                and self.known[target.product_id]["deposit_product_id"] is not None
            )
        else:
            has_own = self.known[target]["deposit_product_id"] is not None
        if has_own:
            self.fail(
                item,
                "deposit",
                _("“{code}” has a deposit itself: a deposit cannot carry another one").format(
                    code=item.deposit
                ),
            )
        elif item.product_id in self.held_deposits:
            self.fail(
                item,
                "deposit",
                _("{code} is the deposit of other products: it cannot carry a deposit").format(
                    code=item.code
                ),
            )

    def _check_unit(self, item: _ParsedProduct) -> None:
        """Unit and by-weight, when one of them comes from the catalogue, not from the file."""
        if "unit" in item.values and "by_weight" in item.values:
            return  # both from the file: checked with the row
        if item.product_id is None:
            if "unit" not in item.values:
                weighed = item.values.get("by_weight", False)
                item.values["unit"] = (Unit.KG if weighed else Unit.PIECE).value
            return
        before = self.known[item.product_id]
        by_weight = item.values.get("by_weight", before["by_weight"])
        if by_weight and item.values.get("unit", before["unit"]) not in WEIGHED_UNITS:
            self.fail(
                item,
                "by_weight" if "by_weight" in self.present else "unit",
                _("a product sold by weight is priced per kg or per l, not per piece"),
            )


def _changed_products(
    parsed: list[_ParsedProduct],
    known: dict[int, dict[str, Any]],
    row_values: Callable[[_ParsedProduct], dict[str, Any]],
    readable: Callable[[Mapping[str, Any]], dict[str, Any]],
    report: ImportReport,
    entries: list[dict[str, Any]],
    progress: Progress | None,
    index: int,
    now: datetime,
) -> list[dict[str, Any]]:
    """The updates of the known products (only the fields that change), their audit entries
    appended to ``entries``, the unchanged ones counted in ``report``."""
    updates: list[dict[str, Any]] = []
    for item in parsed:
        if item.product_id not in known:
            continue
        index += 1
        values = row_values(item)
        before = known[item.product_id]
        old, new = audit.changes({key: before[key] for key in values}, values)
        if new:
            updates.append({"id": item.product_id, **new, "updated_at": now})
            entries.append(
                audit_entry(
                    "product.update", "product", item.product_id, readable(old), readable(new)
                )
            )
        else:
            report.unchanged += 1
        tick(progress, index)
    return updates


def import_products(
    session: Session,
    path: Path | str,
    *,
    actor: Actor,
    now: datetime,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate the whole file, then create/update products in bulk.

    A row updates the product with its barcode, else the one with its internal code. The deposit
    column names another product by barcode or internal code, in the file (before or after the
    row) or already in the catalogue. Producers must exist (import them first).
    """
    require(actor, Right.EDIT_CATALOGUE, entity="products", entity_id=Path(path).name)
    table = read_table(path, PRODUCT_COLUMNS)
    parsed, problems = _parse_products(table)
    producers = dict(session.execute(select(Producer.code, Producer.id)).all())
    known = _load_products(session)
    plan = _ProductPlan(table, parsed, known, producers)
    problems.extend(plan.check())
    if problems:
        raise InvalidInput(sorted_problems(problems))

    present = plan.present
    report = ImportReport(lines=len(table.rows))
    codes = {product_id: _code_of(values) for product_id, values in known.items()}
    producer_codes = {producer_id: code for code, producer_id in producers.items()}

    def readable(values: Mapping[str, Any]) -> dict[str, Any]:
        return _readable(values, producer_codes, codes)

    def row_values(item: _ParsedProduct) -> dict[str, Any]:
        values = {"barcode": item.barcode, "internal_code": item.internal_code, **item.values}
        if "producer" in present:
            values["producer_id"] = producers[item.producer] if item.producer else None
        if "deposit" in present:
            values["deposit_product_id"] = _deposit_id(item)
        return values

    # 1. New products; a deposit that is new too is linked once it has an id.
    new_items = [item for item in parsed if item.product_id is None]
    new_rows = [
        {
            **_NEW_PRODUCT_DEFAULTS,
            "deposit_product_id": None,
            **row_values(item),
            "created_at": now,
            "updated_at": now,
        }
        for item in new_items
    ]
    entries: list[dict[str, Any]] = []
    if new_rows:
        ids = session.scalars(
            insert(Product).returning(Product.id, sort_by_parameter_order=True), new_rows
        ).all()
        for product_id, item in zip(ids, new_items, strict=True):
            item.product_id = product_id
            codes[product_id] = item.code
        report.created = len(ids)
        report.created_codes = [item.code for item in new_items]
    links: list[dict[str, Any]] = []
    for index, (item, row) in enumerate(zip(new_items, new_rows, strict=True), 1):
        deposit_id = _deposit_id(item)
        if deposit_id != row["deposit_product_id"]:
            links.append({"id": item.product_id, "deposit_product_id": deposit_id})
            row["deposit_product_id"] = deposit_id
        after = {k: v for k, v in row.items() if k not in ("created_at", "updated_at")}
        assert item.product_id is not None
        entries.append(
            audit_entry("product.create", "product", item.product_id, None, readable(after))
        )
        tick(progress, index)
    if links:
        session.execute(update(Product), links)

    # 2. Existing products: only the fields that change.
    updates = _changed_products(
        parsed, known, row_values, readable, report, entries, progress, len(new_items), now
    )
    for rows in group_by_keys(updates).values():
        session.execute(update(Product), rows)
    report.updated = len(updates)
    audit.record_many(session, actor=actor, at=now, entries=entries)
    if progress:
        progress(len(parsed) % PROGRESS_STEP)
    return report


def _deposit_id(item: _ParsedProduct) -> int | None:
    target = item.deposit_target
    if isinstance(target, _ParsedProduct):
        return target.product_id
    return target


def _readable(
    values: Mapping[str, Any], producer_codes: Mapping[int, str], codes: Mapping[int, str]
) -> dict[str, Any]:
    """Audit values with codes a person recognises instead of ids."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "producer_id":
            out["producer"] = producer_codes.get(value) if value is not None else None
        elif key == "deposit_product_id":
            out["deposit"] = codes.get(value) if value is not None else None
        else:
            out[key] = value
    return out


def export_product_rows(session: Session) -> Iterator[dict[str, Any]]:
    """Every product as a row of the import format, in catalogue order (deposits may follow)."""
    deposit = aliased(Product)
    query = (
        select(Product, Producer.code, deposit.barcode, deposit.internal_code)
        .outerjoin(Producer, Product.producer_id == Producer.id)
        .outerjoin(deposit, Product.deposit_product_id == deposit.id)
        .order_by(Product.id)
    )
    for product, producer, deposit_barcode, deposit_code in session.execute(query):
        yield {
            "barcode": product.barcode,
            "internal_code": product.internal_code,
            "name": product.name,
            "producer": producer,
            "unit": product.unit,
            "by_weight": format_boolean(product.by_weight),
            "price": format_cents(product.price_cents),
            "vat_rate": format_rate_bp(product.vat_rate_bp),
            "cost": format_cents(product.cost_cents),
            "category": product.category,
            "supplier_ref": product.supplier_ref,
            "deposit": deposit_barcode or deposit_code,
            "active": format_boolean(product.active),
        }
