"""Accounting entries from accounting events: one pure mapping for the Odoo push and the FEC.

Each outbox row's snapshot (what the Z, the invoice or the top-up recorded, see
``coop.outbox``) becomes one or more balanced ``Entry`` values on the French chart of accounts
(plan comptable général), with the account codes and journals of a ``Chart`` (defaults: the
six-digit codes of Odoo 17's French chart). No Session, no I/O, no clock.

- A till's daily closure (Z), one entry per till and day in the till journal: per VAT rate the
  sales excl. VAT (credit 707…) and the VAT (credit 44571…), exactly as printed on the Z; one
  line per payment means (debit cash 530…, card, cheque, local currency, or the members'
  prepaid accounts 4191… for sales paid from the account); prepaid-account top-ups taken at the
  till are credited to 4191…; capital shares paid at the till to the capital account (1013…)
  and yearly fees to the fees account (756…), never to sales. Payments = turnover + top-ups +
  shares + fees on the Z, so the entry balances.
  Negative amounts (a day of refunds) swap sides. Deposits (consigne) are part of the Z's
  turnover per VAT rate and are booked with the sales.
- A member invoice: debit the customer (411…, the member as partner), credit sales and VAT per
  rate; a credit note is the mirror. When it was charged to the prepaid account, a second
  entry settles the customer from the prepaid account (debit 4191…, credit 411…).
- A top-up outside the till: debit the means (bank, cheque, cash…), credit 4191…; a
  withdrawal is the mirror.
- A supplier's bill (grouped orders): debit purchases (607…) and deductible VAT (44566…) per
  rate, credit the supplier (401…).
- AMAP money that passes through the coop's accounts (``coop.amap``): a subscription paid by
  transfer, cash or local currency is collected by the coop for the producer (debit the means,
  credit 467… "held for producers" with the producer as partner); a gift to the solidarity
  fund (debit the means, credit the fund's account 4671…, the giver as partner). Cheques are
  made out to the producer and handed over: never the coop's money, no entry.

``MAPPERS`` is the registration point (a kind → a function returning entries); a row of a kind
without a mapper is refused with a sentence (it waits in "needs attention"), never dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from coop.i18n import _
from coop.money import format_money, rate_to_bp

MODULE = "coopsync"
"""The Odoo module name of every external id we create (``coopsync.till_day_…``)."""


@dataclass(frozen=True)
class Chart:
    """Account codes and journal codes (the ``[sync]`` table's ``accounts``/``journals``)."""

    sales: str = "707100"
    vat_collected: str = "445710"
    purchases: str = "607100"
    vat_deductible: str = "445660"
    customers: str = "411100"
    suppliers: str = "401100"
    prepaid: str = "419100"
    cash: str = "530001"
    bank: str = "512001"
    card: str = "512001"
    cheque: str = "511200"
    local_currency: str = "467000"
    amap_producers: str = "467000"
    """AMAP money collected for producers (the producer as partner): Odoo's "other creditors"."""
    amap_fund: str = "467100"
    """The AMAP solidarity fund (not in Odoo's French chart: ``check --create-accounts``)."""
    capital: str = "101300"
    """Capital shares paid by members (parts sociales: capital souscrit, appelé, versé)."""
    fees: str = "756000"
    """The association's yearly fees (cotisations)."""
    till_journal: str = "CAIS"
    sales_journal: str = "INV"
    purchases_journal: str = "BILL"
    misc_journal: str = "MISC"
    namespace: str = ""
    """Prefix of every external id (``[sync] namespace``): two databases pushing to one Odoo
    (or a database started again from scratch) must not share ids like ``invoice_FA-000001``."""

    def means_account(self, means: str) -> str:
        """The account a payment means lands on (till means and top-up means alike)."""
        return {
            "cash": self.cash,
            "card": self.card,
            "cheque": self.cheque,
            "local_currency": self.local_currency,
            "account": self.prepaid,
            "transfer": self.bank,
            "other": self.bank,
        }.get(means, self.bank)

    def account_codes(self) -> list[str]:
        return sorted({v for k, v in self.roles().items() if not k.endswith("_journal")})

    def journal_codes(self) -> list[str]:
        return sorted({v for k, v in self.roles().items() if k.endswith("_journal")})

    def roles(self) -> dict[str, str]:
        """Role → code, for accounts and journals (not the namespace)."""
        return {k: v for k, v in vars(self).items() if k != "namespace"}


ACCOUNT_LABELS = {
    "sales": "Ventes de marchandises",
    "vat_collected": "TVA collectée",
    "purchases": "Achats de marchandises",
    "vat_deductible": "TVA déductible sur autres biens et services",
    "customers": "Clients",
    "suppliers": "Fournisseurs",
    "prepaid": "Comptes adhérents (avances reçues)",
    "cash": "Caisse",
    "bank": "Banque",
    "card": "Cartes bancaires à encaisser",
    "cheque": "Chèques à encaisser",
    "local_currency": "Monnaie locale",
    "amap_producers": "Producteurs AMAP (encaissé pour leur compte)",
    "amap_fund": "Fonds de solidarité AMAP",
    "capital": "Capital souscrit - appelé, versé",
    "fees": "Cotisations",
}
"""French labels of the chart's roles, for the FEC's CompteLib."""

JOURNAL_LABELS = {
    "till_journal": "Caisse",
    "sales_journal": "Ventes",
    "purchases_journal": "Achats",
    "misc_journal": "Opérations diverses",
}


@dataclass(frozen=True)
class Partner:
    """A member or a supplier as Odoo sees it (external id ``coopsync.<key>``)."""

    key: str
    name: str
    email: str | None = None
    supplier: bool = False


@dataclass(frozen=True)
class Line:
    account: str
    label: str
    debit: int = 0
    credit: int = 0
    partner: Partner | None = None


@dataclass(frozen=True)
class VatPart:
    """One VAT rate of an invoice or bill: (rate in basis points, excl. VAT, VAT) in cents."""

    rate_bp: int
    excl_vat: int
    vat: int


@dataclass(frozen=True)
class Entry:
    """One balanced accounting entry (écriture) and how Odoo should hold it."""

    xmlid: str
    """The external id's name in module ``coopsync``: unique, stable across runs."""
    journal: str
    on: date
    reference: str
    """The piece reference printed on our document (Z number, invoice code...)."""
    label: str
    lines: tuple[Line, ...]
    move_type: str = "entry"
    """``entry``, or ``out_invoice``/``out_refund``/``in_invoice`` (a real invoice in Odoo)."""
    partner: Partner | None = None
    prices_include_vat: bool = False
    vat: tuple[VatPart, ...] = ()

    @property
    def debit(self) -> int:
        return sum(line.debit for line in self.lines)

    @property
    def credit(self) -> int:
        return sum(line.credit for line in self.lines)

    @property
    def balanced(self) -> bool:
        return self.debit == self.credit

    @property
    def odoo_ref(self) -> str:
        """What Odoo's ``ref`` holds: our reference plus the key (the lookup after a crash)."""
        return f"{self.reference} [{MODULE}.{self.xmlid}]"


class MappingRefused(ValueError):
    """A snapshot that cannot become an entry; the message is a sentence for the treasurer."""


def _line(account: str, label: str, amount: int, partner: Partner | None = None) -> Line | None:
    """A debit for a positive amount, a credit for a negative one; nothing for zero."""
    if amount == 0:
        return None
    if amount > 0:
        return Line(account, label, debit=amount, partner=partner)
    return Line(account, label, credit=-amount, partner=partner)


def rate_label(rate_bp: int) -> str:
    text = f"{Decimal(rate_bp) / 100:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") + " %"


MEANS_LABELS = {
    "cash": "espèces",
    "card": "carte bancaire",
    "cheque": "chèque",
    "local_currency": "monnaie locale",
    "account": "compte adhérent",
    "transfer": "virement",
    "other": "autre",
}


def till_day_entries(kind_key: str, snap: Mapping[str, Any], chart: Chart) -> list[Entry]:
    """The Z of one till and day (``Closure.to_data()`` plus ``till`` and ``number``)."""
    till, day = snap["till"], date.fromisoformat(str(snap["start"]))
    lines: list[Line | None] = []
    for split in snap["vat"]:
        rate_bp = rate_to_bp(Decimal(str(split["rate"])))
        rate = rate_label(rate_bp)
        lines.append(_line(chart.sales, f"Ventes TVA {rate}", -int(split["excl_vat"])))
        lines.append(_line(chart.vat_collected, f"TVA collectée {rate}", -int(split["vat"])))
    for payment in snap["payments"]:
        means = str(payment["means"])
        label = f"Encaissements {MEANS_LABELS.get(means, means)}"
        lines.append(_line(chart.means_account(means), label, int(payment["amount"])))
    lines.append(_line(chart.prepaid, "Recharges de comptes adhérents", -int(snap["top_ups"])))
    lines.append(_line(chart.capital, "Parts sociales encaissées", -int(snap.get("shares", 0))))
    lines.append(_line(chart.fees, "Cotisations encaissées", -int(snap.get("fees", 0))))
    kept = tuple(line for line in lines if line is not None)
    if not kept:
        return []
    reference = f"Z{int(snap['number']):06d} {till}"
    label = f"Ticket Z {till} du {day.strftime('%d/%m/%Y')}"
    return [Entry(kind_key, chart.till_journal, day, reference, label, kept)]


def _member(snap: Mapping[str, Any]) -> Partner:
    return Partner(f"member_{int(snap['member'])}", str(snap["name"]), snap.get("email"))


def invoice_entries(
    kind_key: str, snap: Mapping[str, Any], chart: Chart, *, on: date, credit_note: bool
) -> list[Entry]:
    """A member invoice or credit note, plus its settlement from the prepaid account."""
    partner = _member(snap)
    sign = -1 if credit_note else 1
    parts = tuple(VatPart(int(bp), int(excl), int(vat)) for bp, excl, vat in snap["vat"])
    total = sum(p.excl_vat + p.vat for p in parts)
    code = str(snap["code"])
    what = "Avoir" if credit_note else "Facture"
    lines: list[Line | None] = [_line(chart.customers, f"{what} {code}", sign * total, partner)]
    for part in parts:
        rate = rate_label(part.rate_bp)
        lines.append(_line(chart.sales, f"Ventes TVA {rate}", -sign * part.excl_vat))
        lines.append(_line(chart.vat_collected, f"TVA collectée {rate}", -sign * part.vat))
    kept = tuple(line for line in lines if line is not None)
    if not kept:
        return []
    label = f"{what} {code} {partner.name}"
    entries = [
        Entry(
            kind_key,
            chart.sales_journal,
            on,
            code,
            label,
            kept,
            move_type="out_refund" if credit_note else "out_invoice",
            partner=partner,
            prices_include_vat=bool(snap["prices_include_vat"]),
            vat=parts,
        )
    ]
    if snap.get("charged") and total:
        settle = f"Règlement {code} par compte adhérent"
        both = (
            _line(chart.prepaid, settle, sign * total, partner),
            _line(chart.customers, settle, -sign * total, partner),
        )
        lines_settle = tuple(line for line in both if line is not None)
        entries.append(
            Entry(f"{kind_key}_settle", chart.misc_journal, on, code, settle, lines_settle)
        )
    return entries


def money_entries(
    kind_key: str, snap: Mapping[str, Any], chart: Chart, *, on: date, withdrawal: bool
) -> list[Entry]:
    """A top-up of a prepaid account outside the till, or a withdrawal from it."""
    partner = _member(snap)
    amount = int(snap["amount"]) * (-1 if withdrawal else 1)
    means = str(snap.get("means") or "other")
    what = "Remboursement compte adhérent" if withdrawal else "Recharge compte adhérent"
    label = f"{what} {partner.name} ({MEANS_LABELS.get(means, means)})"
    both = (
        _line(chart.means_account(means), label, amount),
        _line(chart.prepaid, label, -amount, partner),
    )
    lines = tuple(line for line in both if line is not None)
    reference = f"{'RB' if withdrawal else 'RC'}-{kind_key.rsplit('_', 1)[-1]}"
    return [Entry(kind_key, chart.misc_journal, on, reference, label, lines)] if lines else []


def supplier_bill_entries(
    kind_key: str, snap: Mapping[str, Any], chart: Chart, *, on: date
) -> list[Entry]:
    """A supplier's bill for a grouped order (``coop.orders.delivery.settle``): ``{"supplier",
    "name", "email", "reference", "vat": [[rate bp, excl. VAT, VAT], ...]}``."""
    partner = Partner(
        f"supplier_{snap['supplier']}", str(snap["name"]), snap.get("email"), supplier=True
    )
    parts = tuple(VatPart(int(bp), int(excl), int(vat)) for bp, excl, vat in snap["vat"])
    total = sum(p.excl_vat + p.vat for p in parts)
    reference = str(snap["reference"])
    lines: list[Line | None] = [_line(chart.suppliers, f"Facture {reference}", -total, partner)]
    for part in parts:
        rate = rate_label(part.rate_bp)
        lines.append(_line(chart.purchases, f"Achats TVA {rate}", part.excl_vat))
        lines.append(_line(chart.vat_deductible, f"TVA déductible {rate}", part.vat))
    kept = tuple(line for line in lines if line is not None)
    if not kept:
        return []
    label = f"Facture {reference} {partner.name}"
    return [
        Entry(
            kind_key,
            chart.purchases_journal,
            on,
            reference,
            label,
            kept,
            move_type="in_invoice",
            partner=partner,
            vat=parts,
        )
    ]


def amap_entries(kind_key: str, snap: Mapping[str, Any], chart: Chart, *, on: date) -> list[Entry]:
    """AMAP money through the coop's accounts (``coop.amap.payments.pay``,
    ``coop.amap.solidarity.gift``): ``{"event": "payment" | "fund_gift", "means", "amount"...}``.
    A refund (negative amount) swaps sides."""
    event, amount = str(snap["event"]), int(snap["amount"])
    means = str(snap.get("means") or "other")
    how = MEANS_LABELS.get(means, means)
    if event == "payment":
        producer = Partner(
            f"supplier_{snap['producer']}", str(snap["producer_name"]), supplier=True
        )
        label = f"AMAP {snap['contract']} {snap['name']} ({how})"
        reference = f"AMAP-P{int(snap['payment'])}"
        both = (
            _line(chart.means_account(means), label, amount),
            _line(chart.amap_producers, label, -amount, producer),
        )
    elif event == "fund_gift":
        giver = _member(snap) if snap.get("member") is not None else None
        who = f" {giver.name}" if giver is not None else ""
        label = f"Don au fonds de solidarité AMAP{who} ({how})"
        reference = f"AMAP-D{int(snap['gift'])}"
        both = (
            _line(chart.means_account(means), label, amount),
            _line(chart.amap_fund, label, -amount, giver),
        )
    else:
        raise ValueError(f"unknown AMAP event {event!r}")
    lines = tuple(line for line in both if line is not None)
    return [Entry(kind_key, chart.misc_journal, on, reference, label, lines)] if lines else []


def membership_entries(
    kind_key: str, snap: Mapping[str, Any], chart: Chart, *, on: date
) -> list[Entry]:
    """Capital shares paid or refunded, and yearly fees (``coop.members.shares``):
    ``{"event": "share_payment" | "share_refund" | "fee", "member", "name", "amount", "means"}``;
    a refund has a negative amount and swaps sides."""
    event, amount = str(snap["event"]), int(snap["amount"])
    partner = _member(snap)
    means = str(snap.get("means") or "other")
    how = MEANS_LABELS.get(means, means)
    if event in ("share_payment", "share_refund"):
        what = "Parts sociales" if amount > 0 else "Remboursement de parts sociales"
        account, reference = chart.capital, f"PS-{kind_key.rsplit('-', 1)[-1]}"
    elif event == "fee":
        what = f"Cotisation {snap.get('year', '')}".rstrip()
        account, reference = chart.fees, f"COT-{kind_key.rsplit('-', 1)[-1]}"
    else:
        raise ValueError(f"unknown membership event {event!r}")
    label = f"{what} {partner.name} ({how})"
    both = (
        _line(chart.means_account(means), label, amount),
        _line(account, label, -amount, partner),
    )
    lines = tuple(line for line in both if line is not None)
    return [Entry(kind_key, chart.misc_journal, on, reference, label, lines)] if lines else []


Mapper = Callable[[str, Mapping[str, Any], Chart, date], list[Entry]]

MAPPERS: dict[str, Mapper] = {
    "till_day": lambda key, snap, chart, on: till_day_entries(key, snap, chart),
    "invoice": lambda key, snap, chart, on: invoice_entries(
        key, snap, chart, on=on, credit_note=False
    ),
    "credit_note": lambda key, snap, chart, on: invoice_entries(
        key, snap, chart, on=on, credit_note=True
    ),
    "top_up": lambda key, snap, chart, on: money_entries(key, snap, chart, on=on, withdrawal=False),
    "withdrawal": lambda key, snap, chart, on: money_entries(
        key, snap, chart, on=on, withdrawal=True
    ),
    "supplier_bill": lambda key, snap, chart, on: supplier_bill_entries(key, snap, chart, on=on),
    "amap": lambda key, snap, chart, on: amap_entries(key, snap, chart, on=on),
    "membership": lambda key, snap, chart, on: membership_entries(key, snap, chart, on=on),
}
"""Kind → mapper: the registration point of every accounting event's mapping."""

OPTIONAL_ROLES = ("amap_producers", "amap_fund", "capital", "fees")
"""Accounts the check asks for only when an entry to push uses them."""


def xmlid_of(kind: str, key: str) -> str:
    """The external id's name for an outbox row: letters, digits, ``_``, ``-`` and ``.`` only."""
    safe = "".join(c if c.isalnum() or c in "-." else "_" for c in key)
    return f"{kind}_{safe}"


def entries_of(
    kind: str, key: str, snapshot: Mapping[str, Any], on: date, chart: Chart
) -> list[Entry]:
    """The balanced entries of one outbox row; ``MappingRefused`` for what cannot be mapped."""
    mapper = MAPPERS.get(kind)
    if mapper is None:
        raise MappingRefused(
            _(
                "No accounting mapping for “{kind}” events yet:"
                " book it by hand, then mark it resolved."
            ).format(kind=kind)
        )
    try:
        entries = mapper(chart.namespace + xmlid_of(kind, key), snapshot, chart, on)
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise MappingRefused(
            _("The recorded event {kind} {key} is incomplete ({error}).").format(
                kind=kind, key=key, error=error
            )
        ) from error
    for entry in entries:
        if not entry.balanced:
            raise MappingRefused(
                _("The entry {reference} does not balance: debit {debit}, credit {credit}.").format(
                    reference=entry.reference,
                    debit=format_money(entry.debit),
                    credit=format_money(entry.credit),
                )
            )
    return entries


@dataclass(frozen=True)
class Totals:
    """What Odoo must show for an entry before we post it (cents)."""

    untaxed: int
    tax: int
    total: int
    lines: tuple[tuple[str, int, int], ...] = field(default=())
    """For journal entries: (account code, debit, credit) of every line, sorted."""


def expected_totals(entry: Entry) -> Totals:
    """Our figures, compared with Odoo's before posting (catches the auto-balancing line)."""
    if entry.move_type == "entry":
        lines = tuple(sorted((line.account, line.debit, line.credit) for line in entry.lines))
        return Totals(0, 0, entry.debit, lines)
    untaxed = sum(part.excl_vat for part in entry.vat)
    tax = sum(part.vat for part in entry.vat)
    return Totals(untaxed, tax, untaxed + tax)


def partners_of(entries: Sequence[Entry]) -> list[Partner]:
    """Every partner the entries name, once, in a stable order."""
    seen: dict[str, Partner] = {}
    for entry in entries:
        for partner in [entry.partner, *(line.partner for line in entry.lines)]:
            if partner is not None and partner.key not in seen:
                seen[partner.key] = partner
    return [seen[key] for key in sorted(seen)]
