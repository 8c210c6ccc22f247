"""Generate Comptoir's demo data set: a fictional small food coop near Lyon.

The CSV files next to this script are committed; this script is how they were made and how they
are remade. Everything is drawn from ``random.Random(seed)`` and hand-written lists, so running
``python sample_data/generate.py`` rewrites the files byte for byte (no Faker, no network, no
clock). The row functions take a ``count`` so that a benchmark can import this module by path and
generate, say, 20,000 members with exactly the same shape as the demo.

The files are "French Excel" CSV, the format a French coop's volunteers open and save every day:
``;`` delimiter, UTF-8 with a BOM, CRLF line endings, dd/mm/yyyy dates and decimal commas.
"""

import argparse
import csv
import io
import random
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import NamedTuple

from stdnum import ean, luhn
from stdnum.fr import siret

SEED = 2026
MEMBER_COUNT = 300
PRODUCER_COUNT = 12
HERE = Path(__file__).resolve().parent

MEMBER_COLUMNS = (
    "number",
    "first_name",
    "last_name",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
    "joined_on",
    "left_on",
    "category",
    "household",
    "card",
    "notes",
)
PRODUCER_COLUMNS = (
    "code",
    "name",
    "contact_name",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
    "siret",
    "notes",
)
PRODUCT_COLUMNS = (
    "barcode",
    "internal_code",
    "name",
    "producer",
    "unit",
    "by_weight",
    "price",
    "vat_rate",
    "cost",
    "category",
    "supplier_ref",
    "deposit",
    "active",
)

MEMBER_CARD_PREFIX = "042"
SCALE_PREFIX = "21"
STORE_PREFIX = "20"
FIRST_JOIN = date(2019, 1, 1)
LAST_DAY = date(2026, 3, 31)  # the demo's "today" is early April 2026
EMAIL_DOMAINS = ("example.org", "example.org", "example.net", "example.com")
CENT = Decimal("0.01")

# --------------------------------------------------------------------------- people and places

FIRST_NAMES = (
    "Hélène", "Frédéric", "Zoé", "Éric", "Anaïs", "Joël", "Maëlle", "François", "Camille", "Léa",
    "Chloé", "Inès", "Manon", "Clémence", "Mathilde", "Élodie", "Aurélie", "Céline", "Noémie",
    "Justine", "Léonie", "Agnès", "Bérénice", "Gaëlle", "Sébastien", "Jérôme", "Stéphane", "Rémi",
    "Benoît", "Théo", "Lucas", "Hugo", "Louis", "Gaël", "Raphaël", "Noël", "Loïc", "Hervé",
    "André", "Thérèse", "Geneviève", "Josiane", "Marie-Claire", "Jean-Pierre", "Jean-Baptiste",
    "Anne-Sophie", "Pierre-Yves", "Yasmine", "Karim", "Mehdi", "Fatoumata", "Aminata", "Moussa",
    "Mamadou", "Minh", "Linh", "Sofia", "João", "Léna", "Nour", "Rayan", "Amélie", "Solène",
    "Ophélie", "Capucine", "Margaux", "Juliette", "Paul", "Antoine", "Guillaume", "Nicolas",
    "Thomas", "Julien", "Vincent", "Olivier", "Christophe", "Bruno", "Patrick", "Sylvie",
    "Nathalie", "Isabelle", "Valérie", "Martine", "Odile", "Lucie", "Emma", "Jade", "Louise",
    "Alice", "Arthur", "Jules", "Gabriel", "Adèle", "Élise", "Cécile", "Béatrice", "Côme",
    "Anaëlle", "Kévin", "Océane", "Maëva", "Yannick", "Grégoire", "Aurélien", "Dorothée",
    "Ségolène", "Jérémie", "Timothée", "Salomé", "Héloïse", "Naïma", "Saïd", "Youssef", "Leïla",
    "Ilyès",
)  # fmt: skip

LAST_NAMES = (
    "Dupont", "Lefèvre", "Nguyen", "Da Silva", "Bénard", "N'Diaye", "Müller", "Martin", "Bernard",
    "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent", "Simon",
    "Michel", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet",
    "Lambert", "Fontaine", "Rousseau", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
    "Chevalier", "Legrand", "Gauthier", "Perrin", "Robin", "Clément", "Morin", "Roussel",
    "Mathieu", "Masson", "Marchand", "Duval", "Dumont", "Lemaire", "Meyer", "Dufour", "Meunier",
    "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Brunet", "Gaillard", "Barbier", "Arnaud",
    "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Colin", "Vidal", "Caron", "Picard",
    "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Bourgeois", "Rey", "Leclerc",
    "Payet", "Rolland", "Guillot", "Hubert", "Berger", "Carpentier", "Dupuis", "Moulin",
    "Deschamps", "Perez", "Fleury", "Jacquet", "Poirier", "Marty", "Guyot", "Carré", "Ménard",
    "Maillard", "Bailly", "Prévost", "Léger", "Bouvier", "Le Gall", "Le Roux", "Le Goff",
    "Lévêque", "Perrier", "Lebrun", "Weber", "Chauvin", "Étienne", "Grondin", "Tessier",
    "Lemaître", "Benali", "Haddad", "Traoré", "Diallo", "Camara", "Koné", "Ben Salah", "Tran",
    "Pham", "Ferreira", "Pereira", "Garcia", "Rossi", "Kowalski", "Yılmaz", "Öztürk", "Mendes",
    "N'Guessan", "d'Almeida", "de la Fontaine", "du Mesnil", "de Oliveira", "Van den Berg",
    "Martin-Roux", "Bernard-Dubois", "Lévy-Mercier", "Saint-Jean", "Mbappé",
)  # fmt: skip

# (street, postcode, city, weight): the coop sits on the Lyon 7e / Villeurbanne side, so most
# members live nearby and a few come from the suburbs.
STREETS = (
    ("rue Béchevelin", "69007", "Lyon", 4),
    ("Grande Rue de la Guillotière", "69007", "Lyon", 5),
    ("rue Saint-Jérôme", "69007", "Lyon", 3),
    ("rue Chevreul", "69007", "Lyon", 4),
    ("rue de l'Université", "69007", "Lyon", 3),
    ("rue d'Anvers", "69007", "Lyon", 2),
    ("avenue Jean Jaurès", "69007", "Lyon", 5),
    ("rue Sébastien Gryphe", "69007", "Lyon", 3),
    ("rue de Gerland", "69007", "Lyon", 3),
    ("quai Claude Bernard", "69007", "Lyon", 1),
    ("rue Paul Bert", "69003", "Lyon", 4),
    ("rue Moncey", "69003", "Lyon", 3),
    ("avenue Félix Faure", "69003", "Lyon", 3),
    ("rue Servient", "69003", "Lyon", 2),
    ("rue Villeroy", "69003", "Lyon", 2),
    ("avenue Lacassagne", "69003", "Lyon", 3),
    ("rue Saint-Isidore", "69003", "Lyon", 1),
    ("avenue des Frères Lumière", "69008", "Lyon", 3),
    ("rue du Professeur Beauvisage", "69008", "Lyon", 2),
    ("rue Laënnec", "69008", "Lyon", 2),
    ("route de Vienne", "69008", "Lyon", 2),
    ("rue Marius Berliet", "69008", "Lyon", 2),
    ("rue Hénon", "69004", "Lyon", 2),
    ("rue d'Austerlitz", "69004", "Lyon", 1),
    ("Grande Rue de la Croix-Rousse", "69004", "Lyon", 2),
    ("rue Philippe de Lassalle", "69004", "Lyon", 1),
    ("rue Burdeau", "69001", "Lyon", 1),
    ("rue des Capucins", "69001", "Lyon", 1),
    ("rue Mercière", "69002", "Lyon", 1),
    ("rue Franklin", "69002", "Lyon", 1),
    ("rue Bugeaud", "69006", "Lyon", 1),
    ("cours Vitton", "69006", "Lyon", 1),
    ("rue Juliette Récamier", "69006", "Lyon", 1),
    ("avenue du Point du Jour", "69005", "Lyon", 1),
    ("rue Marietton", "69009", "Lyon", 1),
    ("Grande Rue de Vaise", "69009", "Lyon", 1),
    ("cours Émile Zola", "69100", "Villeurbanne", 5),
    ("rue Francis de Pressensé", "69100", "Villeurbanne", 3),
    ("avenue Henri Barbusse", "69100", "Villeurbanne", 3),
    ("rue Léon Blum", "69100", "Villeurbanne", 3),
    ("rue du 4 Août 1789", "69100", "Villeurbanne", 2),
    ("rue Anatole France", "69100", "Villeurbanne", 3),
    ("rue Flachet", "69100", "Villeurbanne", 2),
    ("cours Tolstoï", "69100", "Villeurbanne", 3),
    ("rue Paul Verlaine", "69100", "Villeurbanne", 2),
    ("rue Château-Gaillard", "69100", "Villeurbanne", 2),
    ("rue Alexandre Boutin", "69100", "Villeurbanne", 1),
    ("avenue Roger Salengro", "69100", "Villeurbanne", 2),
    ("montée des Soldats", "69300", "Caluire-et-Cuire", 1),
    ("Grande Rue", "69600", "Oullins-Pierre-Bénite", 1),
    ("avenue Franklin Roosevelt", "69500", "Bron", 1),
    ("avenue Gabriel Péri", "69120", "Vaulx-en-Velin", 1),
    ("avenue Jean Cagne", "69200", "Vénissieux", 1),
)

NOTES = (
    "Préfère les créneaux du samedi",
    "Allergie aux arachides",
    "Ne peut pas porter de charges lourdes",
    "Disponible en semaine après 18 h",
    "Parle anglais et espagnol",
    "Congé parental jusqu'en septembre",
    "Référente de l'équipe vrac",
    "Carte remplacée (perdue)",
    "Souhaite la lettre d'info sur papier",
    "Coordinateur du créneau B du mardi",
    "Exemption de créneaux (raison médicale)",
    "Parts sociales payées en 3 fois",
    "Formée à la caisse, peut remplacer",
)
# The one note that needs CSV quoting: a delimiter and double quotes inside the field.
QUOTED_NOTE = 'Badge "bénévole" à refaire ; voir avec l\'accueil'


class Household(NamedTuple):
    """What the people of one household share."""

    street: str
    postcode: str
    city: str
    left_on: date | None
    category: str


class Person(NamedTuple):
    """One person before member numbers are handed out in joining order."""

    household: int
    position: int  # 0 for the main member
    first_name: str
    last_name: str
    joined_on: date


def ascii_fold(text: str) -> str:
    """Lowercase ASCII form of a name, for e-mail addresses and slugs."""
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("ı", "i")
    decomposed = unicodedata.normalize("NFKD", text)
    return (
        "".join(c for c in decomposed if not unicodedata.combining(c))
        .encode("ascii", "ignore")
        .decode()
        .lower()
    )


def _email_local(first_name: str, last_name: str, rng: random.Random) -> str:
    """A plausible mailbox name; people do not all follow first.last."""
    first = ascii_fold(first_name).replace(" ", "").replace("'", "")
    last = ascii_fold(last_name).replace(" ", "").replace("'", "")
    roll = rng.random()
    if roll < 0.65:
        return f"{first}.{last}"
    if roll < 0.80:
        return f"{first[0]}.{last}"
    if roll < 0.88:
        return f"{first}{last}"
    return f"{first}.{last}{rng.randint(1, 99)}"


def _mobile(rng: random.Random) -> str:
    """A French mobile number in the usual grouped-by-two form."""
    head = rng.choice(("06", "06", "06", "07"))
    first = str(rng.randint(5, 8) if head == "07" else rng.randint(0, 9))
    digits = head + first + "".join(str(rng.randint(0, 9)) for _ in range(7))
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def _landline(rng: random.Random, postcode: str) -> str:
    """A French landline whose 04 xx block matches the department (Loire 77, Ain 74, Rhône)."""
    if postcode.startswith("42"):
        block = "77"
    elif postcode.startswith(("01", "38")):
        block = "74"
    else:
        block = rng.choice(("78", "72", "37"))
    digits = "04" + block + "".join(str(rng.randint(0, 9)) for _ in range(6))
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def _date_between(rng: random.Random, start: date, end: date) -> date:
    """A uniform calendar date in [start, end]."""
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _fr_date(value: date | None) -> str:
    """dd/mm/yyyy, or empty: how French spreadsheets show dates."""
    return value.strftime("%d/%m/%Y") if value else ""


def member_card(number: int) -> str:
    """EAN-13 member card: 042, the member number on 9 digits, the check digit."""
    body = f"{MEMBER_CARD_PREFIX}{number:09d}"
    return body + ean.calc_check_digit(body)


def _street_address(rng: random.Random) -> tuple[str, str, str]:
    """A street line, postcode and city from the weighted street list."""
    street, postcode, city, _ = rng.choices(STREETS, weights=[s[3] for s in STREETS])[0]
    number = str(rng.randint(1, 140))
    roll = rng.random()
    if roll < 0.04:
        number += " bis"
    line = f"{number} {street}"
    if rng.random() < 0.06:
        line += f", bât. {rng.choice('ABCD')}"
    return line, postcode, city


def member_rows(count: int = MEMBER_COUNT, seed: int = SEED) -> list[dict[str, str]]:
    """Members as CSV rows: households of 1 to 3 people, numbered in joining order."""
    rng = random.Random(seed)
    people: list[Person] = []
    households: list[Household] = []
    while len(people) < count:
        hh = len(households)
        size = rng.choices((1, 2, 3), weights=(70, 24, 6))[0]
        size = min(size, count - len(people))
        # a founding wave in 2019, then steady growth
        if rng.random() < 0.2:
            joined = _date_between(rng, FIRST_JOIN, date(2019, 12, 31))
        else:
            joined = _date_between(rng, FIRST_JOIN, LAST_DAY)
        last_name = rng.choice(LAST_NAMES)
        members: list[Person] = []
        for position in range(size):
            own_surname = position > 0 and rng.random() < 0.25
            surname = rng.choice(LAST_NAMES) if own_surname else last_name
            first = rng.choice(FIRST_NAMES)
            while any(m.first_name == first for m in members):
                first = rng.choice(FIRST_NAMES)
            member_joined = joined
            if position > 0 and rng.random() < 0.3:
                member_joined = min(LAST_DAY, joined + timedelta(days=rng.randint(15, 400)))
            members.append(Person(hh, position, first, surname, member_joined))
        street, postcode, city = _street_address(rng)
        category = "solidarity" if rng.random() < 0.10 else "standard"
        households.append(Household(street, postcode, city, None, category))
        people.extend(members)

    # About 5 % of members have left: whole households, drawn until the share is reached, so
    # that the demo and a 20,000-member benchmark have the same proportion.
    latest: dict[int, date] = {}
    sizes: dict[int, int] = {}
    for person in people:
        latest[person.household] = max(
            latest.get(person.household, person.joined_on), person.joined_on
        )
        sizes[person.household] = sizes.get(person.household, 0) + 1
    eligible = [hh for hh in range(len(households)) if latest[hh] < LAST_DAY - timedelta(days=90)]
    rng.shuffle(eligible)
    leaving, target = 0, round(count * 0.05)
    for hh in eligible:
        if leaving >= target:
            break
        left_on = _date_between(rng, latest[hh] + timedelta(days=60), LAST_DAY)
        households[hh] = households[hh]._replace(left_on=left_on)
        leaving += sizes[hh]

    # Member numbers follow joining order, with a few gaps (abandoned registrations).
    numbers: dict[tuple[int, int], int] = {}
    next_number = 1
    for person in sorted(people, key=lambda p: (p.joined_on, p.household, p.position)):
        if rng.random() < 0.04:
            next_number += rng.randint(1, 3)
        numbers[person.household, person.position] = next_number
        next_number += 1

    emails: set[str] = set()
    rows: list[dict[str, str]] = []
    for person in sorted(people, key=lambda p: numbers[p.household, p.position]):
        hh = households[person.household]
        email = ""
        if rng.random() >= 0.04:
            local = _email_local(person.first_name, person.last_name, rng)
            domain = rng.choice(EMAIL_DOMAINS)
            email = f"{local}@{domain}"
            suffix = 2
            while email in emails:
                email = f"{local}{suffix}@{domain}"
                suffix += 1
            emails.add(email)
        phone = "" if rng.random() < 0.12 else _mobile(rng)
        note = rng.choice(NOTES) if rng.random() < 0.045 else ""
        number = numbers[person.household, person.position]
        main = numbers[person.household, 0]
        rows.append(
            {
                "number": str(number),
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": email,
                "phone": phone,
                "street": hh.street,
                "postcode": hh.postcode,
                "city": hh.city,
                "joined_on": _fr_date(person.joined_on),
                "left_on": _fr_date(hh.left_on),
                "category": hh.category,
                "household": "" if person.position == 0 else str(main),
                "card": member_card(number),
                "notes": note,
            }
        )
    if rows:
        rows[min(41, len(rows) - 1)]["notes"] = QUOTED_NOTE
    return rows


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
        phone = _landline(rng, spec.postcode) if rng.random() < 0.6 else _mobile(rng)
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


# --------------------------------------------------------------------------- output


def render_csv(columns: Sequence[str], rows: Iterable[dict[str, str]]) -> bytes:
    """French Excel CSV: ``;``, UTF-8 with BOM, CRLF, minimal quoting."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


SHIFT_TEMPLATE_COLUMNS = (
    "code",
    "name",
    "week",
    "weekday",
    "start",
    "end",
    "seats",
    "roles",
    "valid_from",
    "valid_until",
    "credit",
    "notes",
)
# The shop opens Tuesday to Saturday: two 3-hour shifts on weekdays, three on Saturday.
SHOP_SLOTS = (
    ("mardi", "MAR", (("10:00", "13:00", "matin"), ("16:00", "19:00", "soir"))),
    ("mercredi", "MER", (("10:00", "13:00", "matin"), ("16:00", "19:00", "soir"))),
    ("jeudi", "JEU", (("10:00", "13:00", "matin"), ("16:00", "19:00", "soir"))),
    ("vendredi", "VEN", (("10:00", "13:00", "matin"), ("16:00", "19:00", "soir"))),
    (
        "samedi",
        "SAM",
        (("09:00", "12:00", "matin"), ("12:00", "15:00", "midi"), ("15:00", "18:00", "après-midi")),
    ),
)


def shift_template_rows(letters: str = "ABCD") -> list[dict[str, str]]:
    """ABCD templates of a shop open Tuesday–Saturday: every shift needs a shift leader and two
    cashiers; Saturdays have one more place. No randomness: the same rows every time."""
    rows = []
    for letter in letters:
        for weekday, short, slots in SHOP_SLOTS:
            for start, end, part in slots:
                saturday = short == "SAM"
                rows.append(
                    {
                        "code": f"{letter}-{short}-{start.replace(':', '')}",
                        "name": f"{weekday.capitalize()} {part} {letter}",
                        "week": letter,
                        "weekday": weekday,
                        "start": start,
                        "end": end,
                        "seats": "6" if saturday else "5",
                        "roles": "shift_leader,cashier,cashier",
                        "valid_from": "",
                        "valid_until": "",
                        "credit": "",
                        "notes": (
                            "Réception livraison" if part == "matin" and short == "MAR" else ""
                        ),
                    }
                )
    return rows


def write_all(directory: Path = HERE, seed: int = SEED) -> list[Path]:
    """Write the demo files into ``directory``; the same seed gives the same bytes."""
    directory.mkdir(parents=True, exist_ok=True)
    outputs = {
        "members.csv": render_csv(MEMBER_COLUMNS, member_rows(MEMBER_COUNT, seed)),
        "producers.csv": render_csv(PRODUCER_COLUMNS, producer_rows(PRODUCER_COUNT, seed)),
        "products.csv": render_csv(PRODUCT_COLUMNS, product_rows(None, seed)),
        "shift_templates.csv": render_csv(SHIFT_TEMPLATE_COLUMNS, shift_template_rows()),
    }
    paths = []
    for name, data in outputs.items():
        path = directory / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: regenerate the demo CSV files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, default=HERE, help="output directory")
    args = parser.parse_args(argv)
    for path in write_all(args.output):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
