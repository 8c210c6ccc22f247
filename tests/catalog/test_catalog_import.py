"""`import producers|products`: the demo files, upserts, every bad cell named, all or nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from coop.audit import AuditEntry
from coop.catalog import exchange, service
from coop.catalog.models import Producer, Product
from coop.csvio import write_table
from coop.errors import InvalidInput

PRODUCTS_HEADER = (
    "barcode;internal_code;name;producer;unit;by_weight;price;vat_rate;cost;category;"
    "supplier_ref;deposit;active"
)
PRODUCERS_HEADER = "code;name;contact_name;email;phone;street;postcode;city;siret;notes"
BEER = "3766469236639"  # Bière blonde 33 cl, with the 33 cl bottle deposit
BOTTLE_33 = "2000000000015"
APPLES = "2101001000001"  # Pommes Golden, by weight


def write(tmp_path, lines, name="file.csv"):
    path = tmp_path / name
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def problems_of(excinfo):
    return [(p.line, p.column, p.message) for p in excinfo.value.problems]


def import_demo(session, sample_data, now, actor):
    producers = exchange.import_producers(
        session, sample_data / "producers.csv", actor=actor, now=now
    )
    products = exchange.import_products(session, sample_data / "products.csv", actor=actor, now=now)
    session.commit()
    return producers, products


def demo_line_count(path):
    return len(path.read_text(encoding="utf-8-sig").splitlines()) - 1


def snapshot(session):
    """Everything an import may touch, to show a refused import changed nothing."""
    session.rollback()
    products = session.execute(
        select(Product.barcode, Product.internal_code, Product.name, Product.price_cents).order_by(
            Product.id
        )
    ).all()
    producers = session.execute(select(Producer.code, Producer.siret).order_by(Producer.id)).all()
    return products, producers, count(session, AuditEntry)


def test_imports_the_demo_files(session, now, actor, sample_data):
    producers, products = import_demo(session, sample_data, now, actor)

    expected_products = demo_line_count(sample_data / "products.csv")
    assert (producers.created, producers.updated) == (12, 0)
    assert (products.created, products.updated, products.unchanged) == (expected_products, 0, 0)
    assert count(session, Producer) == 12
    assert count(session, Product) == expected_products
    assert count(session, AuditEntry) == 12 + expected_products

    apples = service.product_by_barcode(session, APPLES)
    assert apples is not None
    assert (apples.by_weight, apples.unit, apples.price_cents, apples.cost_cents) == (
        True,
        "kg",
        320,
        257,
    )
    assert apples.vat_rate_bp == 550
    assert apples.vat_rate == Decimal("5.5")
    assert apples.producer is not None and apples.producer.code == "VERGERS-PILAT"
    assert apples.supplier_ref == "VP97"

    beer = service.product_by_barcode(session, BEER)
    assert beer is not None and beer.deposit is not None
    assert beer.deposit.barcode == BOTTLE_33
    assert beer.deposit.price_cents == 10
    assert beer.vat_rate == Decimal("20")
    assert BOTTLE_33 in {
        p.barcode
        for p in session.scalars(
            select(Product).where(Product.id.in_(service.deposit_product_ids(session)))
        )
    }

    bread = service.find_product(session, "pain-bag-trad")
    assert bread is not None
    assert (bread.barcode, bread.internal_code, bread.price_cents) == (None, "PAIN-BAG-TRAD", 130)
    assert service.find_product(session, "35898016").name == "Bouillon de légumes ×8 cubes"
    assert service.product_by_barcode(session, "9776922794006").vat_rate == Decimal("2.1")

    moulin = service.get_producer(session, "ferme-moulin")
    assert (moulin.siret, moulin.city, moulin.active) == (
        "99879730200192",
        "Saint-Symphorien-sur-Coise",
        True,
    )
    assert service.get_producer(session, "RUCHER-DOMBES").siret is None
    relais = service.producer_by_code(session, "RELAIS-VRAC")
    assert relais.notes == "Grossiste vrac ; franco de port à partir de 300 € HT"


def test_reimport_is_idempotent(session, now, actor, sample_data):
    import_demo(session, sample_data, now, actor)
    before = snapshot(session)
    updated_at = session.scalar(select(func.max(Product.updated_at)))

    later = now.replace(hour=18)
    producers, products = import_demo(session, sample_data, later, actor)

    assert (producers.created, producers.updated, producers.unchanged) == (0, 0, 12)
    assert (products.created, products.updated) == (0, 0)
    assert products.unchanged == demo_line_count(sample_data / "products.csv")
    assert snapshot(session) == before
    assert session.scalar(select(func.max(Product.updated_at))) == updated_at


def test_update_by_barcode_and_internal_code_with_audit(session, now, actor, sample_data, tmp_path):
    import_demo(session, sample_data, now, actor)
    lines = [
        PRODUCTS_HEADER,
        f"{APPLES};;Pommes Golden;VERGERS-PILAT;kg;oui;3,40;5,5;2,57;Fruits et légumes;VP97;;oui",
        # matched by internal code: gains a barcode, loses its category
        "2000000000114;PAIN-BAG-TRAD;Baguette tradition;PETRIN-PARTAGE;piece;non;1,35;5,5;0,91"
        ";;;;oui",
    ]
    report = exchange.import_products(session, write(tmp_path, lines), actor=actor, now=now)
    session.commit()

    assert (report.created, report.updated, report.unchanged) == (0, 2, 0)
    apples = service.product_by_barcode(session, APPLES)
    assert apples.price_cents == 340
    bread = service.product_by_barcode(session, "2000000000114")
    assert (bread.internal_code, bread.price_cents, bread.category) == ("PAIN-BAG-TRAD", 135, None)
    entry = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "product.update", AuditEntry.entity_id == str(apples.id)
        )
    ).one()
    assert (entry.before, entry.after, entry.actor) == (
        {"price_cents": 320},
        {"price_cents": 340},
        "test:cashier",
    )


def test_a_price_list_without_some_columns_leaves_them_alone(
    session, now, actor, sample_data, tmp_path
):
    import_demo(session, sample_data, now, actor)
    path = write(tmp_path, ["code_barre;nom;prix;tva", f"{BEER};Bière blonde 33 cl;2,80;20"])
    report = exchange.import_products(session, path, actor=actor, now=now)
    session.commit()

    assert report.updated == 1
    beer = service.product_by_barcode(session, BEER)
    assert beer.price_cents == 280
    assert (beer.category, beer.supplier_ref, beer.cost_cents) == ("Boissons", "BC54", 179)
    assert beer.deposit.barcode == BOTTLE_33
    assert beer.producer.code == "BRASSERIE-CANUTS"


def test_french_headers_and_a_deposit_defined_later_in_the_file(
    session, now, actor, sample_data, tmp_path
):
    exchange.import_producers(session, sample_data / "producers.csv", actor=actor, now=now)
    path = write(
        tmp_path,
        [
            "code-barres;Code interne;Nom;Fournisseur;Unité;Vrac;Prix TTC;TVA;Coût;Catégorie;"
            "Réf fournisseur;Consigne;Actif",
            "3766469239319;;Bière ambrée 33 cl;BRASSERIE-CANUTS;pièce;non;2,70;20;1,69;Boissons;"
            "BC25;2000000000015;oui",
            "036000291452;;Sirop d'érable 250 ml (UPC-A);DISTRIBIO-SE;;non;7,90;5,5;;;;;oui",
            ";vrac-riz;Riz rond;relais-vrac;;oui;3,10;5,5;;Vrac;;;",
            "2000000000015;;Consigne bouteille 33 cl;BRASSERIE-CANUTS;piece;non;0,10;0;;Consigne"
            ";;;oui",
        ],
    )
    report = exchange.import_products(session, path, actor=actor, now=now)
    session.commit()

    assert report.created == 4
    beer = service.product_by_barcode(session, "3766469239319")
    assert beer.deposit is not None and beer.deposit.name == "Consigne bouteille 33 cl"
    assert beer.deposit.vat_rate_bp == 0
    syrup = service.product_by_barcode(session, "036000291452")  # scanned as 12 digits
    assert syrup is not None and syrup.barcode == "0036000291452"
    assert syrup.unit == "piece" and syrup.cost_cents is None
    rice = service.product_by_internal_code(session, "VRAC-RIZ")
    assert (rice.by_weight, rice.unit, rice.active) == (True, "kg", True)
    assert rice.producer.code == "RELAIS-VRAC"


BAD_PRODUCT_ROWS = [
    pytest.param(
        f"{APPLES};;Pommes Golden;FERME-INCONNUE;kg;oui;3,20;5,5;;;;;oui",
        "producer",
        "FERME-INCONNUE",
        id="unknown-producer",
    ),
    pytest.param(
        f"{BEER};;Bière blonde 33 cl;BRASSERIE-CANUTS;piece;non;2,60;20;;;;2000000000992;oui",
        "deposit",
        "2000000000992",
        id="unknown-deposit",
    ),
    pytest.param(
        "3766469236638;;Bière blonde 33 cl;BRASSERIE-CANUTS;piece;non;2,60;20;;;;;oui",
        "barcode",
        "check digit",
        id="ean-check-digit",
    ),
    pytest.param(
        f"{APPLES};;Pommes Golden;VERGERS-PILAT;kg;oui;3,205;5,5;;;;;oui",
        "price",
        "two decimals",
        id="price-three-decimals",
    ),
    pytest.param(
        f"{APPLES};;Pommes Golden;VERGERS-PILAT;kg;oui;3,20;7;;;;;oui",
        "vat_rate",
        "French VAT rate",
        id="vat-rate-not-french",
    ),
    pytest.param(
        f"{APPLES};;Pommes Golden;VERGERS-PILAT;piece;oui;3,20;5,5;;;;;oui",
        "by_weight",
        "per piece",
        id="by-weight-per-piece",
    ),
    pytest.param(
        f"{BEER};;Bière blonde 33 cl;BRASSERIE-CANUTS;piece;non;2,60;20;;;;{BEER};oui",
        "deposit",
        "own deposit",
        id="own-deposit",
    ),
    pytest.param(
        f"{BOTTLE_33};;Consigne bouteille 33 cl;BRASSERIE-CANUTS;piece;non;0,10;20;;;;"
        "2000000000022;oui",
        "deposit",
        "deposit of other products",
        id="deposit-carrying-a-deposit",
    ),
    pytest.param(
        "3,76647E+12;;Bière blonde 33 cl;BRASSERIE-CANUTS;piece;non;2,60;20;;;;;oui",
        "barcode",
        "spreadsheet",
        id="excel-scientific-barcode",
    ),
]


@pytest.mark.parametrize(("row", "column", "fragment"), BAD_PRODUCT_ROWS)
def test_each_bad_product_cell_is_named_and_nothing_changes(
    session, now, actor, sample_data, tmp_path, row, column, fragment
):
    import_demo(session, sample_data, now, actor)
    before = snapshot(session)
    good = "3766469230705;;Stout 33 cl;BRASSERIE-CANUTS;piece;non;9,99;20;;;;;oui"
    path = write(tmp_path, [PRODUCTS_HEADER, good, row])

    with pytest.raises(InvalidInput) as excinfo:
        exchange.import_products(session, path, actor=actor, now=now)

    [(line, where, message)] = problems_of(excinfo)
    assert (line, where) == (3, column)
    assert fragment in message
    assert excinfo.value.exit_code == 2
    assert str(path) in str(excinfo.value) and "line 3" in str(excinfo.value)
    assert f"column “{column}”" in str(excinfo.value)
    assert snapshot(session) == before


def test_duplicate_barcode_names_both_lines(session, now, actor, sample_data, tmp_path):
    import_demo(session, sample_data, now, actor)
    before = snapshot(session)
    row = f"{BEER};;Bière blonde 33 cl;BRASSERIE-CANUTS;piece;non;2,60;20;;;;;oui"
    path = write(tmp_path, [PRODUCTS_HEADER, row, row.replace("2,60", "2,65")])

    with pytest.raises(InvalidInput) as excinfo:
        exchange.import_products(session, path, actor=actor, now=now)

    [(line, column, message)] = problems_of(excinfo)
    assert (line, column) == (3, "barcode")
    assert "line 2" in message
    assert snapshot(session) == before


def test_invalid_siret_is_named_and_nothing_changes(session, now, actor, sample_data, tmp_path):
    import_demo(session, sample_data, now, actor)
    before = snapshot(session)
    path = write(
        tmp_path,
        [
            PRODUCERS_HEADER,
            "FERME-MOULIN;GAEC du Moulin (renamed);;;;;;;99879730200192;",
            "FERME-NEUVE;Ferme Neuve;;;;;;;99879730200193;",
        ],
    )

    with pytest.raises(InvalidInput) as excinfo:
        exchange.import_producers(session, path, actor=actor, now=now)

    [(line, column, message)] = problems_of(excinfo)
    assert (line, column) == (3, "siret")
    assert "check digit" in message
    assert snapshot(session) == before
    assert service.get_producer(session, "FERME-MOULIN").name == "GAEC de la Ferme du Moulin"


def test_every_problem_of_a_file_is_reported_at_once(session, now, actor, sample_data, tmp_path):
    import_demo(session, sample_data, now, actor)
    path = write(
        tmp_path,
        [
            PRODUCTS_HEADER,
            ";;Sans code;RELAIS-VRAC;kg;oui;1,00;5,5;;;;;oui",
            "12345;;Trop court;RELAIS-VRAC;kg;oui;-1;5,5;;;;;peut-être",
            f"{APPLES};;Pommes;VERGERS-PILAT;litre;non;3,20;5,5;;;;{BEER};oui",
        ],
    )
    with pytest.raises(InvalidInput) as excinfo:
        exchange.import_products(session, path, actor=actor, now=now)
    assert [(line, column) for line, column, _m in problems_of(excinfo)] == [
        (2, "barcode"),
        (3, "active"),
        (3, "barcode"),
        (3, "price"),
        (4, "deposit"),  # the beer carries a deposit itself
    ]


def test_unknown_column_is_refused(session, now, actor, tmp_path):
    path = write(tmp_path, ["barcode;name;price;vat_rate;couleur", f"{BEER};Bière;2,60;20;ambrée"])
    with pytest.raises(InvalidInput) as excinfo:
        exchange.import_products(session, path, actor=actor, now=now)
    assert (1, "couleur") in [(line, column) for line, column, _m in problems_of(excinfo)]


def export_csv(rows, columns):
    buffer = io.StringIO()
    write_table(rows, columns, buffer)
    return buffer.getvalue()


def test_export_import_round_trip(session, now, actor, sample_data, tmp_path):
    import_demo(session, sample_data, now, actor)

    products_csv = export_csv(
        exchange.export_product_rows(session), exchange.PRODUCT_EXPORT_COLUMNS
    )
    producers_csv = export_csv(
        exchange.export_producer_rows(session), exchange.PRODUCER_EXPORT_COLUMNS
    )
    for exported, name in ((products_csv, "products.csv"), (producers_csv, "producers.csv")):
        demo = (sample_data / name).read_text(encoding="utf-8-sig")
        assert exported.splitlines() == demo.splitlines()
    assert (
        "3766469236639;;Bière blonde 33 cl;BRASSERIE-CANUTS;piece;non;2,60;20;1,79;" in products_csv
    )
    assert ";kg;oui;3,20;5,5;2,57;" in products_csv

    # The export of a changed catalogue imports back into the same state.
    session.execute(
        Product.__table__.update().where(Product.barcode == BEER).values(price_cents=1234567)
    )
    session.commit()
    exported = export_csv(exchange.export_product_rows(session), exchange.PRODUCT_EXPORT_COLUMNS)
    assert ";12345,67;20;" in exported
    path = tmp_path / "export.csv"
    path.write_text(exported, encoding="utf-8-sig", newline="")
    report = exchange.import_products(session, path, actor=actor, now=now)
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == count(session, Product)


def test_lookups_lists_and_counts(session, now, actor, sample_data):
    import_demo(session, sample_data, now, actor)
    total = count(session, Product)

    assert service.count_products(session) == total
    assert service.count_products(session, active=False) == 3
    assert service.count_products(session, active=True) == total - 3
    assert service.count_producers(session) == 12
    assert [p.code for p in service.list_producers(session)][:2] == [
        "BRASSERIE-CANUTS",
        "DISTRIBIO-SE",
    ]
    names = [p.name for p in service.list_products(session, category="Fruits et légumes")]
    assert names.index("Échalotes") < names.index("Mesclun 150 g")  # accents ignored
    bread = service.list_products(session, producer_code="petrin-partage", category="Boulangerie")
    assert len(bread) == 13 and bread[0].name == "Baguette tradition"
    assert [p.name for p in service.list_products(session, search="golden")] == ["Pommes Golden"]
    assert service.count_products(session, search="PAIN-") == 5
    assert service.count_products(session, search="100%") == 0
    page = service.list_products(session, limit=10, offset=10)
    assert len(page) == 10
    assert "Vrac" in service.categories(session)
    assert service.product_by_barcode(session, "0000000000000") is None
    assert service.find_product(session, "inconnu") is None
    with pytest.raises(Exception, match="INCONNU"):
        service.get_product(session, "INCONNU")
