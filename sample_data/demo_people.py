"""The demo's people and places (for ``generate.py``): households, members and their cards.

Hand-written French first names, surnames, Lyon streets and notes, drawn with
``random.Random(seed)``: the same seed gives the same members.
"""

import random
import unicodedata
from datetime import date, timedelta
from typing import NamedTuple

from stdnum import ean

SEED = 2026
MEMBER_COUNT = 300
MEMBER_CARD_PREFIX = "042"
FIRST_JOIN = date(2019, 1, 1)
LAST_DAY = date(2026, 3, 31)  # the demo's "today" is early April 2026
EMAIL_DOMAINS = ("example.org", "example.org", "example.net", "example.com")


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


def mobile(rng: random.Random) -> str:
    """A French mobile number in the usual grouped-by-two form."""
    head = rng.choice(("06", "06", "06", "07"))
    first = str(rng.randint(5, 8) if head == "07" else rng.randint(0, 9))
    digits = head + first + "".join(str(rng.randint(0, 9)) for _ in range(7))
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def landline(rng: random.Random, postcode: str) -> str:
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
        phone = "" if rng.random() < 0.12 else mobile(rng)
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
