"""The demo's producers and catalogue (for ``generate.py``): the hand-written product lines,
their barcodes (EAN-13/8, scale, in-store, ISSN), prices and deposits.

Drawn with ``random.Random(seed)``: the same seed gives the same rows.
"""

import random
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from demo_people import (
    EMAIL_DOMAINS,
    FIRST_NAMES,
    LAST_NAMES,
    SEED,
    ascii_fold,
    landline,
    mobile,
)
from stdnum import ean, luhn
from stdnum.fr import siret

PRODUCER_COUNT = 12
SCALE_PREFIX = "21"
STORE_PREFIX = "20"
CENT = Decimal("0.01")


# --------------------------------------------------------------------------- producers


class Producer(NamedTuple):
    """A hand-written supplier; SIRET and phone are drawn at generation time."""

    code: str
    name: str
    contact_name: str
    street: str
    postcode: str
    city: str
    has_siret: bool
    notes: str


PRODUCERS = (
    Producer("FERME-MOULIN", "GAEC de la Ferme du Moulin", "Hélène Berthet",
             "Lieu-dit Le Moulin", "69590", "Saint-Symphorien-sur-Coise", True,
             "Maraîchage bio, livraison le mardi matin"),
    Producer("VERGERS-PILAT", "Les Vergers du Pilat", "Joël Fayolle",
             "1250 route de la Croix de Chaubouret", "42410", "Pélussin", True,
             "Reprend les bouteilles consignées à chaque livraison"),
    Producer("PETRIN-PARTAGE", "Le Pétrin Partagé", "Maëlle Combe",
             "27 rue Saint-Jérôme", "69007", "Lyon", True,
             "Pain livré chaque jour avant 8 h"),
    Producer("FROMAGERIE-MONTS", "Fromagerie des Monts du Lyonnais", "Frédéric Granjon",
             "12 route de Duerne", "69850", "Saint-Martin-en-Haut", True,
             "Chaîne du froid : réception en chambre froide"),
    Producer("RELAIS-VRAC", "Relais Vrac Rhône-Alpes", "Anaïs Bouvier",
             "23 rue du Pré Neuf", "69200", "Vénissieux", True,
             "Grossiste vrac ; franco de port à partir de 300 € HT"),
    Producer("BRASSERIE-CANUTS", "Brasserie des Canuts", "Éric Müller",
             "61 rue Francis de Pressensé", "69100", "Villeurbanne", True,
             "Bouteilles 33 cl et 75 cl consignées"),
    Producer("TORREFACTION-CROIX", "Torréfaction de la Croix-Rousse", "Zoé Nguyen",
             "5 rue d'Austerlitz", "69004", "Lyon", True,
             "Torréfié le lundi, livré le mercredi"),
    Producer("RUCHER-DOMBES", "Le Rucher des Dombes", "François Lefèvre",
             "Chemin du Grand Étang", "01330", "Villars-les-Dombes", False,
             "Apiculteur cotisant solidaire, SIRET en cours"),
    Producer("DOMAINE-PIERRES", "Domaine des Pierres Dorées", "Anne-Sophie Dumas",
             "Chemin de la Chapelle", "69620", "Theizé", True,
             "Vins bio, commande par carton de 6"),
    Producer("SAVONNERIE-SAONE", "Savonnerie de la Saône", "Noémie Da Silva",
             "3 quai Armand Barbès", "69250", "Neuville-sur-Saône", False,
             "Savons saponifiés à froid"),
    Producer("DISTRIBIO-SE", "Distri'Bio Sud-Est", "Karim Benali",
             "10 rue des Tilleuls", "69800", "Saint-Priest", True,
             "Catalogue mensuel en CSV, commande avant jeudi midi"),
    Producer("FERME-GRILLONS", "Ferme des Grillons", "Aurélie Perrin",
             "La Grande Grange", "01340", "Montrevel-en-Bresse", True,
             "Œufs plein air, livraison le vendredi"),
)  # fmt: skip

PRODUCER_PREFIXES = ("Ferme", "GAEC", "Domaine", "Les Jardins", "Rucher", "Moulin", "Chèvrerie")
PRODUCER_PLACES = (
    ("de Brindas", "69126", "Brindas"),
    ("de Vaugneray", "69670", "Vaugneray"),
    ("d'Yzeron", "69510", "Yzeron"),
    ("du Bois d'Oingt", "69620", "Le Bois-d'Oingt"),
    ("de Mornant", "69440", "Mornant"),
    ("de Givors", "69700", "Givors"),
    ("de Chasselay", "69380", "Chasselay"),
    ("de Crémieu", "38460", "Crémieu"),
    ("de Pérouges", "01800", "Pérouges"),
    ("de Condrieu", "69420", "Condrieu"),
)


def random_siret(rng: random.Random) -> str:
    """A SIRET that passes both Luhn checks (SIREN, then SIREN + NIC)."""
    while True:
        body = str(rng.randint(3, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
        siren = body + luhn.calc_check_digit(body)
        nic = rng.choice(("0001", "0002", "0003", "0011", "0019", "0027"))
        number = siren + nic + luhn.calc_check_digit(siren + nic)
        if siret.is_valid(number):
            return number


def producer_rows(count: int = PRODUCER_COUNT, seed: int = SEED) -> list[dict[str, str]]:
    """Producers as CSV rows: the twelve hand-written ones, then generated farms if more."""
    rng = random.Random(seed)
    specs = list(PRODUCERS[:count])
    codes = {p.code for p in specs}
    while len(specs) < count:
        kind = rng.choice(PRODUCER_PREFIXES)
        place, postcode, city = rng.choice(PRODUCER_PLACES)
        name = f"{kind} {place}"
        code = ascii_fold(name).upper().replace("'", "-").replace(" ", "-")
        base, n = code, 2
        while code in codes:
            code, n = f"{base}-{n}", n + 1
        codes.add(code)
        contact = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        street = f"{rng.randint(1, 900)} route {place}"
        specs.append(Producer(code, name, contact, street, postcode, city, True, ""))
    rows = []
    for spec in specs:
        mailbox = ascii_fold(spec.code).replace("-", "")
        phone = landline(rng, spec.postcode) if rng.random() < 0.6 else mobile(rng)
        rows.append(
            {
                "code": spec.code,
                "name": spec.name,
                "contact_name": spec.contact_name,
                "email": f"{mailbox}@{rng.choice(EMAIL_DOMAINS)}",
                "phone": phone,
                "street": spec.street,
                "postcode": spec.postcode,
                "city": spec.city,
                "siret": random_siret(rng) if spec.has_siret else "",
                "notes": spec.notes,
            }
        )
    return rows


# --------------------------------------------------------------------------- products

FL, VRAC, SALE, SUCRE = "Fruits et légumes", "Vrac", "Épicerie salée", "Épicerie sucrée"
CREME, BOUL, BOISS = "Crèmerie", "Boulangerie", "Boissons"
HYG, ENTR, CONS, PRESSE = "Hygiène", "Entretien", "Consigne", "Presse"


class Item(NamedTuple):
    """One catalogue line as written by hand.

    ``code`` says which identifier the product gets: ``ean13``, ``ean8``, ``scale`` (by-weight
    base code 21PPPPP00000C), ``store`` (in-store EAN-13 starting 20), ``issn`` (press EAN-13
    starting 977), or an internal code (no barcode at all).
    """

    name: str
    producer: str
    category: str
    price: str
    vat: str = "5,5"
    unit: str = "piece"
    code: str = "ean13"
    deposit: str = ""  # key into DEPOSITS
    active: bool = True


def _items(producer: str, category: str, vat: str, lines: Iterable[tuple], **kw: str) -> list[Item]:
    """A block of items sharing producer, category and VAT rate."""
    return [Item(name, producer, category, price, vat, *rest, **kw) for name, price, *rest in lines]


# Deposit products come first so that a truncated catalogue still has them.
DEPOSITS = {
    "B33": Item("Consigne bouteille 33 cl", "BRASSERIE-CANUTS", CONS, "0,10", "20", code="store"),
    "B75": Item(
        "Consigne bouteille 75 cl / 1 L", "VERGERS-PILAT", CONS, "0,20", "20", code="store"
    ),
    "BOCAL": Item("Consigne bocal", "FROMAGERIE-MONTS", CONS, "0,50", "20", code="store"),
}

KG = ("kg", "scale")

CATALOGUE: list[Item] = [
    *DEPOSITS.values(),
    # Fruits et légumes
    *_items("VERGERS-PILAT", FL, "5,5", [
        ("Pommes Golden", "3,20", *KG), ("Pommes Canada grise", "3,60", *KG),
        ("Pommes Gala", "3,40", *KG), ("Pommes Chantecler", "3,40", *KG),
        ("Poires Conférence", "3,90", *KG),
    ]),
    *_items("FERME-MOULIN", FL, "5,5", [
        ("Carottes", "2,40", *KG), ("Pommes de terre Charlotte", "2,90", *KG),
        ("Pommes de terre Agata", "2,30", *KG), ("Oignons jaunes", "2,80", *KG),
        ("Échalotes", "6,90", *KG), ("Ail violet", "13,50", *KG), ("Poireaux", "3,60", *KG),
        ("Courge butternut", "2,90", *KG), ("Potimarron", "3,20", *KG),
        ("Betteraves crues", "3,10", *KG), ("Tomates anciennes", "5,90", *KG),
        ("Courgettes", "3,50", *KG),
        ("Salade batavia", "1,60", "piece", "LEG-BATAVIA"),
        ("Chou-fleur", "3,20", "piece", "LEG-CHOU-FLEUR"),
        ("Botte de radis", "1,90", "piece", "LEG-RADIS-BOTTE"),
        ("Botte de persil plat", "1,30", "piece", "LEG-PERSIL-BOTTE"),
        ("Concombre", "1,50", "piece", "LEG-CONCOMBRE"),
        ("Mesclun 150 g", "2,90"),
    ]),
    *_items("DISTRIBIO-SE", FL, "5,5", [
        ("Bananes", "2,90", *KG), ("Oranges à jus", "3,20", *KG),
        ("Champignons de Paris 250 g", "2,70"), ("Citrons filet 500 g", "2,95"),
        ("Avocats Hass ×2", "3,40"),
    ]),
    # Vrac
    *_items("RELAIS-VRAC", VRAC, "5,5", [
        ("Lentilles vertes", "4,90", *KG), ("Lentilles corail", "5,40", *KG),
        ("Pois chiches", "4,60", *KG), ("Haricots rouges", "5,20", *KG),
        ("Riz basmati", "4,80", *KG), ("Riz complet", "3,90", *KG), ("Quinoa", "8,90", *KG),
        ("Boulgour", "4,20", *KG), ("Farine T65", "1,90", *KG), ("Farine T80", "2,10", *KG),
        ("Flocons d'avoine", "3,20", *KG), ("Muesli aux fruits", "7,90", *KG),
        ("Pâtes coquillettes", "3,90", *KG), ("Amandes décortiquées", "22,90", *KG),
        ("Noix de cajou", "26,50", *KG), ("Raisins secs", "9,80", *KG),
        ("Graines de tournesol", "6,90", *KG), ("Sucre de canne complet", "5,90", *KG),
        ("Huile d'olive vierge extra (vrac)", "13,90", "l", "store"),
        ("Huile de tournesol (vrac)", "4,90", "l", "store"),
        ("Vinaigre de cidre (vrac)", "3,40", "l", "store"),
    ]),
    *_items("TORREFACTION-CROIX", VRAC, "5,5", [
        ("Café en grains Éthiopie", "26,00", *KG), ("Café en grains Pérou", "24,00", *KG),
    ]),
    # Épicerie salée
    *_items("DISTRIBIO-SE", SALE, "5,5", [
        ("Spaghetti 500 g", "2,15"), ("Penne rigate 500 g", "2,15"),
        ("Tagliatelles aux œufs 250 g", "2,95"), ("Coquillettes complètes 500 g", "2,40"),
        ("Riz basmati 1 kg", "4,95"), ("Riz de Camargue complet 1 kg", "3,90"),
        ("Quinoa blanc 500 g", "5,40"), ("Semoule de blé complète 500 g", "2,30"),
        ("Polenta 500 g", "2,60"), ("Lentilles vertes du Puy 500 g", "3,90"),
        ("Pois chiches cuits 400 g", "2,70"), ("Coulis de tomates 690 g", "2,95"),
        ("Sauce tomate au basilic 350 g", "3,20"), ("Concentré de tomates 200 g", "1,95"),
        ("Thon albacore au naturel 160 g", "4,30"),
        ("Sardines à l'huile d'olive 135 g", "3,60"),
        ("Maquereaux au vin blanc 176 g", "3,20"),
        ("Huile d'olive vierge extra 75 cl", "12,90"), ("Huile de colza 1 L", "5,40"),
        ("Vinaigre balsamique de Modène 50 cl", "4,90"), ("Moutarde de Dijon 200 g", "2,45"),
        ("Cornichons extra-fins 350 g", "3,40"), ("Olives vertes 300 g", "3,90"),
        ("Tapenade noire 90 g", "3,50"), ("Soupe de potiron 1 L", "3,90"),
        ("Bouillon de légumes ×8 cubes", "2,60", "piece", "ean8"),
        ("Sel fin de Guérande 1 kg", "2,90"),
        ("Fleur de sel 125 g", "4,50", "piece", "ean8"),
        ("Poivre noir moulu 50 g", "3,20", "piece", "ean8"),
        ("Herbes de Provence 30 g", "2,40", "piece", "ean8"),
        ("Curry doux 40 g", "2,90"), ("Cumin moulu 40 g", "2,70"),
        ("Paprika fumé 40 g", "3,10"), ("Chips sel de mer 125 g", "2,30"),
        ("Chips au paprika 125 g", "2,40", "piece", "ean13", "", False),
        ("Crackers à l'épeautre 200 g", "2,90"), ("Galettes de riz 130 g", "1,95"),
        ("Bretzels 200 g", "2,60"), ("Purée de sésame 250 g", "4,90"),
        ("Lait de coco 400 ml", "2,40"), ("Sauce soja tamari 250 ml", "4,20"),
        ("Haricots verts extra-fins 440 g", "2,90"), ("Maïs doux 300 g", "1,90"),
        ("Petits pois carottes 400 g", "2,40"), ("Ratatouille 375 g", "3,60"),
        ("Cassoulet au confit de canard 840 g", "8,90"),
    ]),
    *_items("FERME-GRILLONS", SALE, "5,5", [("Gaudes (farine de maïs grillé) 500 g", "3,90")]),
    # Épicerie sucrée
    *_items("DISTRIBIO-SE", SUCRE, "5,5", [
        ("Chocolat noir 70 % 100 g", "2,90"), ("Chocolat au lait 100 g", "2,80"),
        ("Chocolat noir aux amandes 100 g", "3,20"), ("Pâte à tartiner noisettes 350 g", "5,90"),
        ("Cacao en poudre 250 g", "4,60"), ("Sucre blond de canne 1 kg", "3,40"),
        ("Sucre glace 250 g", "2,10"), ("Farine de blé T45 1 kg", "2,20"),
        ("Levure chimique 4 sachets", "1,40", "piece", "ean8"),
        ("Biscuits petit-beurre 200 g", "2,10"), ("Sablés au beurre 125 g", "2,60"),
        ("Cookies pépites de chocolat 200 g", "3,40"), ("Galettes bretonnes 125 g", "2,80"),
        ("Madeleines 250 g", "3,50"), ("Barres de céréales ×6", "3,60"),
        ("Pétales de maïs 375 g", "3,20"), ("Muesli croustillant chocolat 375 g", "4,50"),
        ("Flocons d'avoine 500 g", "2,10"), ("Crème de marrons 250 g", "3,40"),
        ("Compote pomme sans sucres ajoutés 4×100 g", "2,90"), ("Sirop d'agave 350 g", "5,90"),
        ("Pâtes de fruits 200 g", "4,40"),
    ]),
    *_items("VERGERS-PILAT", SUCRE, "5,5", [
        ("Confiture d'abricots 350 g", "4,60"), ("Confiture de fraises 350 g", "4,80"),
        ("Gelée de coings 350 g", "4,90"),
        ("Compote pommes-poires 680 g (bocal)", "4,20", "piece", "ean13", "BOCAL"),
        ("Pommes séchées 100 g", "3,90"),
    ]),
    *_items("RUCHER-DOMBES", SUCRE, "5,5", [
        ("Miel toutes fleurs 500 g", "9,80"), ("Miel d'acacia 500 g", "11,90"),
        ("Miel de châtaignier 500 g", "10,90"), ("Miel de printemps crémeux 250 g", "6,20"),
        ("Pain d'épices au miel 300 g", "5,40"), ("Bonbons au miel 100 g", "3,20"),
    ]),
    # Crèmerie
    *_items("FROMAGERIE-MONTS", CREME, "5,5", [
        ("Lait cru entier 1 L (bouteille verre)", "1,60", "piece", "ean13", "B75"),
        ("Yaourt nature au lait entier 4×125 g", "2,90"), ("Yaourt vanille 4×125 g", "3,20"),
        ("Yaourt à la myrtille 4×125 g", "3,30"),
        ("Fromage blanc faisselle 500 g (bocal)", "3,80", "piece", "ean13", "BOCAL"),
        ("Crème fraîche épaisse 20 cl", "2,40"), ("Beurre doux de baratte 250 g", "3,60"),
        ("Saint-Marcellin", "2,90"), ("Rigotte de Condrieu", "2,70"),
        ("Cervelle de canut 200 g", "3,90"), ("Fromage de chèvre frais 150 g", "3,50"),
        ("Tomme des Monts du Lyonnais", "21,90", *KG), ("Comté 12 mois", "24,90", *KG),
    ]),
    *_items("FERME-GRILLONS", CREME, "5,5", [
        ("Œufs plein air ×6", "3,20"), ("Œufs plein air ×12", "5,90"),
        ("Œufs gros calibre ×6", "3,50"),
    ]),
    *_items("DISTRIBIO-SE", CREME, "5,5", [
        ("Lait demi-écrémé 1 L", "1,29"), ("Tofu nature 250 g", "2,90"),
        ("Tofu fumé 200 g", "3,10"), ("Houmous 180 g", "2,80"),
        ("Beurre demi-sel 250 g", "3,50"), ("Mozzarella 125 g", "1,95"),
        ("Emmental râpé 200 g", "3,40"), ("Feta AOP 200 g", "3,90"),
        ("Crème liquide 20 cl", "1,90"),
    ]),
    # Boulangerie
    *_items("PETRIN-PARTAGE", BOUL, "5,5", [
        ("Pain de campagne 1 kg", "5,80", "piece", "PAIN-CAMP-1KG"),
        ("Pain complet 500 g", "3,40", "piece", "PAIN-COMP-500G"),
        ("Baguette tradition", "1,30", "piece", "PAIN-BAG-TRAD"),
        ("Pain aux graines 500 g", "4,20", "piece", "PAIN-GRAINES-500G"),
        ("Pain de seigle 500 g", "3,90", "piece", "PAIN-SEIGLE-500G"),
        ("Croissant", "1,30", "piece", "VIEN-CROISSANT"),
        ("Pain au chocolat", "1,45", "piece", "VIEN-PAIN-CHOC"),
        ("Brioche tressée 400 g", "5,20"), ("Pain de mie complet 500 g", "3,90"),
        ("Sablés au sarrasin 150 g", "3,60"), ("Fougasse aux olives", "3,60"),
    ]),
    *_items("PETRIN-PARTAGE", BOUL, "10", [
        ("Quiche aux poireaux (part)", "3,80"), ("Sandwich végétarien", "5,20"),
    ]),
    # Boissons
    *_items("BRASSERIE-CANUTS", BOISS, "20", [
        ("Bière blonde 33 cl", "2,60", "piece", "ean13", "B33"),
        ("Bière ambrée 33 cl", "2,70", "piece", "ean13", "B33"),
        ("Bière blanche 33 cl", "2,70", "piece", "ean13", "B33"),
        ("IPA 33 cl", "2,95", "piece", "ean13", "B33"),
        ("Stout 33 cl", "3,00", "piece", "ean13", "B33"),
        ("Bière blonde 75 cl", "5,60", "piece", "ean13", "B75"),
        ("Bière de Noël 75 cl", "6,20", "piece", "ean13", "B75", False),
    ]),
    *_items("BRASSERIE-CANUTS", BOISS, "5,5", [
        ("Limonade artisanale 33 cl", "2,20", "piece", "ean13", "B33"),
        ("Limonade au gingembre 33 cl", "2,40", "piece", "ean13", "B33"),
    ]),
    *_items("VERGERS-PILAT", BOISS, "5,5", [
        ("Jus de pomme 1 L", "3,40", "piece", "ean13", "B75"),
        ("Jus pomme-poire 1 L", "3,60", "piece", "ean13", "B75"),
        ("Nectar d'abricot 75 cl", "4,40", "piece", "ean13", "B75"),
    ]),
    Item("Cidre brut 75 cl", "VERGERS-PILAT", BOISS, "4,90", "20", deposit="B75"),
    *_items("DOMAINE-PIERRES", BOISS, "20", [
        ("Beaujolais rouge 75 cl", "8,50"), ("Beaujolais-Villages 75 cl", "9,90"),
        ("Brouilly 75 cl", "13,50"), ("Beaujolais blanc 75 cl", "10,50"),
        ("Beaujolais rosé 75 cl", "8,20"),
    ]),
    Item("Jus de raisin 75 cl", "DOMAINE-PIERRES", BOISS, "5,20"),
    *_items("TORREFACTION-CROIX", BOISS, "5,5", [
        ("Café moulu Brésil 250 g", "6,50"), ("Café moulu décaféiné 250 g", "7,40"),
        ("Café en grains espresso 1 kg", "24,90"), ("Thé vert Sencha 100 g", "6,90"),
        ("Thé noir Assam 100 g", "5,90"),
        ("Thé Earl Grey 100 g", "6,20", "piece", "ean13", "", False),
        ("Infusion verveine 50 g", "4,80"), ("Rooibos 100 g", "5,60"),
    ]),
    *_items("TORREFACTION-CROIX", BOISS, "10", [
        ("Café filtre (gobelet)", "1,20", "piece", "store"),
        ("Chocolat chaud (gobelet)", "1,80", "piece", "store"),
    ]),
    *_items("DISTRIBIO-SE", BOISS, "5,5", [
        ("Eau minérale gazeuse 1 L", "0,95"), ("Eau de source 1,5 L", "0,65"),
        ("Sirop de menthe 70 cl", "4,90"), ("Sirop de grenadine 70 cl", "4,90"),
        ("Boisson avoine 1 L", "2,20"), ("Boisson soja nature 1 L", "1,95"),
        ("Boisson amande 1 L", "2,90"), ("Jus d'orange 1 L", "3,20"),
        ("Pur jus multifruits 1 L", "3,40"), ("Thé glacé à la pêche 1 L", "2,80"),
        ("Kombucha gingembre 33 cl", "3,20"),
    ]),
    # Hygiène
    *_items("SAVONNERIE-SAONE", HYG, "20", [
        ("Savon surgras lavande 100 g", "5,50"), ("Savon surgras miel et avoine 100 g", "5,50"),
        ("Savon de Marseille cube 300 g", "4,50"), ("Shampooing solide ortie 85 g", "8,90"),
        ("Shampooing solide cheveux secs 85 g", "8,90"), ("Déodorant solide 50 g", "7,50"),
        ("Baume à lèvres 15 g", "4,20"), ("Crème mains au calendula 50 ml", "6,90"),
        ("Savon à barbe 100 g", "6,50"),
    ]),
    *_items("DISTRIBIO-SE", HYG, "20", [
        ("Savon d'Alep 200 g", "4,90"), ("Dentifrice menthe 75 ml", "3,60"),
        ("Brosse à dents en bambou", "2,90"), ("Papier toilette recyclé ×6", "3,90"),
        ("Cotons démaquillants lavables ×10", "9,90"), ("Gel douche 500 ml", "5,40"),
        ("Cotons-tiges en carton ×200", "2,40"),
    ]),
    # Hygiene protection is 5.5 % in France (since 2016), not 20 %.
    Item("Serviettes hygiéniques coton bio ×12", "DISTRIBIO-SE", HYG, "4,20", "5,5"),
    # Entretien
    *_items("SAVONNERIE-SAONE", ENTR, "20", [
        ("Savon noir liquide 1 L", "6,90"), ("Lessive au savon de Marseille 1,5 L", "9,90"),
        ("Lessive liquide (vrac)", "5,20", "l", "store"),
        ("Liquide vaisselle (vrac)", "4,60", "l", "store"),
    ]),
    *_items("DISTRIBIO-SE", ENTR, "20", [
        ("Liquide vaisselle 500 ml", "2,90"), ("Cristaux de soude 1 kg", "3,40"),
        ("Bicarbonate de soude 500 g", "2,90"), ("Vinaigre ménager 1 L", "1,90"),
        ("Percarbonate de soude 500 g", "4,20"), ("Tablettes lave-vaisselle ×30", "7,90"),
        ("Nettoyant multi-surfaces 750 ml", "3,80"), ("Éponges végétales ×2", "3,20"),
        ("Sacs poubelle 30 L ×20", "3,40"), ("Acide citrique 500 g", "4,90"),
        ("Lessive en poudre 1,5 kg", "9,50"),
    ]),
    # Presse (2,1 %), with the 977 ISSN barcodes newspapers carry
    *_items("DISTRIBIO-SE", PRESSE, "2,1", [
        ("Le Canut déchaîné (journal de quartier)", "2,00", "piece", "issn"),
        ("Les Saisons du potager (trimestriel)", "6,90", "piece", "issn"),
    ]),
]  # fmt: skip


class _Barcodes:
    """Hands out unique barcodes of each kind, in the shapes real labels have."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.company: dict[str, list[str]] = {}
        # a wholesaler carries several brands, each with its own GS1 company prefix
        self.brands = [self._brand_prefix() for _ in range(8)]
        self.plu = {FL: 1000, VRAC: 2000, CREME: 3000}
        self.store = 0

    def _take(self, body: str) -> str | None:
        code = body + ean.calc_check_digit(body)
        if code in self.used:
            return None
        self.used.add(code)
        return code

    def _brand_prefix(self) -> str:
        """A 9-digit GS1 company prefix in France's 300-379 range."""
        return f"3{self.rng.randint(0, 7)}{self.rng.randint(0, 9_999_999):07d}"

    def ean13(self, producer: str) -> str:
        """Company prefix (GS1 France 376 for small producers) + item reference + check."""
        if producer in ("DISTRIBIO-SE", "RELAIS-VRAC"):
            prefixes = self.brands
        else:
            prefixes = self.company.setdefault(producer, [])
        attempts = 0
        while True:
            if not prefixes or attempts >= 20:  # a full prefix: the firm gets another one
                if prefixes is self.brands:
                    prefixes.append(self._brand_prefix())
                else:
                    prefixes.append(f"376{self.rng.randint(0, 999_999):06d}")
                attempts = 0
            code = self._take(f"{self.rng.choice(prefixes)}{self.rng.randint(0, 999):03d}")
            if code:
                return code
            attempts += 1

    def ean8(self) -> str:
        """A short EAN-8 with a French (300-379) prefix, for small packs."""
        while True:
            code = self._take(f"{self.rng.randint(300, 379)}{self.rng.randint(0, 9999):04d}")
            if code:
                return code

    def scale(self, category: str) -> str:
        """Base code of a weighed product: the scale prints 21PPPPPWWWWWC for it."""
        self.plu[category] = self.plu.get(category, 4000) + 1
        code = self._take(f"{SCALE_PREFIX}{self.plu[category]:05d}00000")
        assert code, "PLU collision"
        return code

    def in_store(self) -> str:
        """In-store EAN-13 (GS1 prefix 20) for things the coop labels itself."""
        self.store += 1
        code = self._take(f"{STORE_PREFIX}{self.store:010d}")
        assert code, "store code collision"
        return code

    def issn(self) -> str:
        """Press EAN-13: 977, the ISSN without its check digit, 00 variant, check."""
        while True:
            code = self._take(f"977{self.rng.randint(1_000_000, 9_999_999)}00")
            if code:
                return code


def _decimal(text: str) -> Decimal:
    """Parse a decimal-comma amount."""
    return Decimal(text.replace(",", "."))


def _comma(value: Decimal) -> str:
    """Format an amount with two decimals and a decimal comma."""
    return f"{value.quantize(CENT, ROUND_HALF_UP):.2f}".replace(".", ",")


def _supplier_ref(producer: str, rng: random.Random) -> str:
    """The producer's own article number, in each supplier's style (farms rarely have one)."""
    match producer:
        case "DISTRIBIO-SE":
            return f"DB{rng.randint(100_000, 999_999)}"
        case "RELAIS-VRAC":
            return f"RV-{rng.randint(1000, 9999)}"
        case "TORREFACTION-CROIX":
            return f"TCR-{rng.randint(100, 999)}"
        case "BRASSERIE-CANUTS":
            return f"BC{rng.randint(10, 99)}"
        case "FROMAGERIE-MONTS":
            return f"FM-{rng.randint(100, 999)}"
        case "SAVONNERIE-SAONE":
            return f"SS{rng.randint(100, 999)}"
        case "DOMAINE-PIERRES":
            return f"DPD-{rng.randint(1, 40):02d}"
        case "VERGERS-PILAT":
            return f"VP{rng.randint(10, 99)}"
    return ""


def _extend(items: list[Item], count: int, rng: random.Random) -> list[Item]:
    """More packaged products (new sizes of existing ones) when a benchmark wants thousands."""
    base = [i for i in items if i.code == "ean13" and i.category != CONS]
    extra: list[Item] = []
    n = 0
    while len(items) + len(extra) < count:
        src = base[n % len(base)]
        n += 1
        factor = Decimal(rng.choice(("0.5", "1.5", "2", "3")))
        price = _comma(max(CENT * 10, _decimal(src.price) * factor))
        extra.append(src._replace(name=f"{src.name} – format {n}", price=price))
    return items + extra


def product_rows(count: int | None = None, seed: int = SEED) -> list[dict[str, str]]:
    """Products as CSV rows: the hand-written catalogue (truncated or extended to ``count``).

    Every producer code refers to one of the twelve hand-written producers.
    """
    rng = random.Random(seed)
    items = list(CATALOGUE)
    if count is not None:
        items = items[:count] if count <= len(items) else _extend(items, count, rng)
    codes = _Barcodes(rng)
    deposit_codes: dict[str, str] = {}
    refs: set[tuple[str, str]] = set()
    rows: list[dict[str, str]] = []
    for item in items:
        internal = ""
        if item.code == "ean13":
            barcode = codes.ean13(item.producer)
        elif item.code == "ean8":
            barcode = codes.ean8()
        elif item.code == "scale":
            barcode = codes.scale(item.category)
        elif item.code == "store":
            barcode = codes.in_store()
        elif item.code == "issn":
            barcode = codes.issn()
        else:
            barcode, internal = "", item.code
        if item.category == CONS:
            key = next(k for k, v in DEPOSITS.items() if v == item)
            deposit_codes[key] = barcode
        price = _decimal(item.price)
        vat = _decimal(item.vat)
        net = price / (1 + vat / 100)
        # deposits are passed through at cost; goods carry a coop margin of 18-38 %
        margin = Decimal(1) if item.category == CONS else Decimal(rng.randint(118, 138)) / 100
        ref = "" if item.category == CONS else _supplier_ref(item.producer, rng)
        if ref:  # a supplier never gives two articles the same number
            base, n = ref, 2
            while (item.producer, ref) in refs:
                ref, n = f"{base}-{n}", n + 1
            refs.add((item.producer, ref))
        rows.append(
            {
                "barcode": barcode,
                "internal_code": internal,
                "name": item.name,
                "producer": item.producer,
                "unit": item.unit,
                "by_weight": "oui" if item.code == "scale" else "non",
                "price": item.price,
                "vat_rate": item.vat,
                "cost": _comma(net / margin),
                "category": item.category,
                "supplier_ref": ref,
                "deposit": deposit_codes[item.deposit] if item.deposit else "",
                "active": "oui" if item.active else "non",
            }
        )
    return rows
