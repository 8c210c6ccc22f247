"""``coop sync odoo check``: is this Odoo ready for our entries? Find every account, journal and
tax the mapping needs (taxes by the French chart's external id, ``account.1_tva_reduite_ttc``,
so a renamed tax is still found; by name when the chart has no such id), say in words what is
missing and how to fix it, and fix only what the treasurer asks for (``--activate-taxes``: the
French chart ships the 5.5 %, 10 % and 2.1 % sale taxes and every tax-included variant
archived; ``--create-journals``: the till journal CAIS; ``--create-accounts``: the AMAP
solidarity fund's account, which the French chart lacks; asked for only when an AMAP entry
needs it).

Nothing is pushed until the check passes (``coop.sync.push`` runs it first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from coop.i18n import _
from coop.sync.odoo import Odoo
from coop.sync.rules import ACCOUNT_LABELS, OPTIONAL_ROLES, Chart

TaxKey = tuple[str, int, bool]
"""(``sale``/``purchase``, rate in basis points, price includes VAT)."""

DEFAULT_TAXES: tuple[TaxKey, ...] = (("sale", 550, True), ("sale", 2000, True))
"""Always checked: a grocery's two main rates, prices incl. VAT (member invoices' default)."""

JOURNAL_TYPES = {
    "till_journal": "general",
    "sales_journal": "sale",
    "purchases_journal": "purchase",
    "misc_journal": "general",
}
JOURNAL_NAMES = {
    "till_journal": "Caisse (tickets Z)",
    "sales_journal": "Factures clients",
    "purchases_journal": "Factures fournisseurs",
    "misc_journal": "Opérations diverses",
}


@dataclass
class Setup:
    """What the check found: Odoo's ids for our codes, and what is missing (sentences)."""

    version: str = ""
    accounts: dict[str, int] = field(default_factory=dict)
    journals: dict[str, int] = field(default_factory=dict)
    taxes: dict[TaxKey, int] = field(default_factory=dict)
    tax_found_by: dict[TaxKey, str] = field(default_factory=dict)
    """``xmlid`` (the French chart's external id) or ``name`` (the fallback)."""
    problems: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)

    @property
    def passes(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "passes": self.passes,
            "accounts": self.accounts,
            "journals": self.journals,
            "taxes": {
                f"{u}:{bp}:{'incl' if inc else 'excl'}": i for (u, bp, inc), i in self.taxes.items()
            },
            "taxes_found_by": {
                f"{u}:{bp}:{'incl' if inc else 'excl'}": how
                for (u, bp, inc), how in self.tax_found_by.items()
            },
            "problems": self.problems,
            "fixed": self.fixed,
        }


def rate_text(rate_bp: int) -> str:
    """Odoo's spelling of a rate in tax names: ``5.5``, ``20``, ``2.1``."""
    text = f"{Decimal(rate_bp) / 100:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _tax_name(key: TaxKey) -> str:
    _use, bp, included = key
    if bp == 0:
        return "0% EXEMPT G"
    return f"{rate_text(bp)}% G" + (" INC" if included else "")


_RATE_WORDS = {2000: "normale", 1000: "intermediaire", 550: "reduite", 210: "super_reduite"}


def tax_xmlid(key: TaxKey, major: int, company: int) -> tuple[str, str] | None:
    """The French chart's external id (module, name) of a tax (reference odoo.md §2.4):
    ``account.1_tva_reduite_ttc`` on Odoo 17 and 18, ``l10n_fr.1_tva_reduite_ttc`` on 16;
    purchase taxes ``…_tva_acq_…`` (price-included variant ``_TTC``); None when the chart has
    none for that key (then the tax is found by its name)."""
    use, bp, included = key
    module = "l10n_fr" if major and major < 17 else "account"
    if bp == 0:
        return (module, f"{company}_tva_sale_good_0") if use == "sale" and not included else None
    word = _RATE_WORDS.get(bp)
    if word is None:
        return None
    if use == "sale":
        return module, f"{company}_tva_{word}" + ("_ttc" if included else "")
    return module, f"{company}_tva_acq_{word}" + ("_TTC" if included else "")


def _fits(tax: dict[str, Any], key: TaxKey) -> bool:
    """Is this Odoo tax the one we mean (use, rate, included)? A renamed tax still fits."""
    use, bp, included = key
    return (
        tax["type_tax_use"] == use
        and round(Decimal(str(tax["amount"])) * 100) == bp
        and bool(tax["price_include"]) == included
    )


def _pick_tax(
    taxes: list[dict[str, Any]], key: TaxKey, by_xmlid: dict[TaxKey, int]
) -> tuple[dict[str, Any] | None, str]:
    """The tax for ``key`` and how it was found: by external id first, then by name."""
    by_id = {int(tax["id"]): tax for tax in taxes}
    found = by_id.get(by_xmlid.get(key, -1))
    if found is not None and _fits(found, key):
        return found, "xmlid"
    wanted = _tax_name(key)
    for tax in taxes:
        if tax["type_tax_use"] == key[0] and tax["name"].strip() == wanted:
            return tax, "name"
    return None, ""


def _taxes_by_xmlid(odoo: Odoo, uid: int, keys: list[TaxKey], major: int) -> dict[TaxKey, int]:
    """Odoo's ids of the French chart's taxes for ``keys``, by external id (a plain read of
    ``ir.model.data``: ``check_object_reference`` misses archived taxes, §2.4)."""
    [user] = odoo.call("res.users", "read", [uid], ["company_id"])
    company = int(user["company_id"][0]) if user.get("company_id") else 1
    wanted = {xmlid: key for key in keys if (xmlid := tax_xmlid(key, major, company))}
    if not wanted:
        return {}
    rows = odoo.search_read(
        "ir.model.data",
        [
            ("model", "=", "account.tax"),
            ("module", "in", sorted({module for module, _name in wanted})),
            ("name", "in", sorted(name for _module, name in wanted)),
        ],
        ["module", "name", "res_id"],
    )
    return {
        wanted[(row["module"], row["name"])]: int(row["res_id"])
        for row in rows
        if (row["module"], row["name"]) in wanted
    }


ACCOUNT_TYPES = {"capital": "equity", "fees": "income"}
"""Odoo's type of an optional account created by the check (the others: current liabilities,
money held for someone else)."""


def _check_accounts(
    odoo: Odoo, chart: Chart, setup: Setup, needed: Iterable[str], create: bool
) -> None:
    """Every account of the chart (the optional AMAP ones only when ``needed``): found, or
    created when asked (only the optional ones: the rest is the French chart's own)."""
    optional = {getattr(chart, role): role for role in OPTIONAL_ROLES}
    base = {code for code in chart.account_codes() if code not in optional}
    codes = sorted(base | set(needed))
    for row in odoo.search_read("account.account", [("code", "in", codes)], ["code"]):
        setup.accounts[row["code"]] = row["id"]
    for code in codes:
        if code in setup.accounts:
            continue
        role = optional.get(code) if code not in base else None
        if role is not None and create:
            values = {
                "code": code,
                "name": ACCOUNT_LABELS[role],
                "account_type": ACCOUNT_TYPES.get(role, "liability_current"),
            }
            setup.accounts[code] = int(odoo.call("account.account", "create", values))
            setup.fixed.append(_("Account {code} created.").format(code=code))
        elif role is not None:
            setup.problems.append(
                _(
                    "The account {code} does not exist in Odoo: run `coop sync odoo check"
                    " --create-accounts`, or set another code under [sync.accounts]."
                ).format(code=code)
            )
        else:
            setup.problems.append(
                _(
                    "The account {code} does not exist in Odoo: create it in Accounting ›"
                    " Configuration › Chart of Accounts, or set another code under"
                    " [sync.accounts] in the config file."
                ).format(code=code)
            )


def check(
    odoo: Odoo,
    chart: Chart,
    taxes_needed: Iterable[TaxKey] = (),
    *,
    accounts_needed: Iterable[str] = (),
    activate_taxes: bool = False,
    create_journals: bool = False,
    create_accounts: bool = False,
) -> Setup:
    """Connect, read the version and find what the mapping needs (``OdooUnreachable`` /
    ``OdooRefused`` when Odoo cannot be asked at all)."""
    setup = Setup()
    version = odoo.version()
    setup.version = str(version.get("server_version", "?"))
    uid = odoo.login()
    _check_accounts(odoo, chart, setup, accounts_needed, create_accounts)
    roles = {code: role for role, code in chart.roles().items() if role.endswith("_journal")}
    for row in odoo.search_read("account.journal", [("code", "in", sorted(roles))], ["code"]):
        setup.journals[row["code"]] = row["id"]
    for code, role in sorted(roles.items()):
        if code in setup.journals:
            continue
        if create_journals:
            values = {"code": code, "name": JOURNAL_NAMES[role], "type": JOURNAL_TYPES[role]}
            setup.journals[code] = int(odoo.call("account.journal", "create", values))
            setup.fixed.append(_("Journal {code} created.").format(code=code))
        else:
            setup.problems.append(
                _(
                    "The journal {code} does not exist in Odoo: run `coop sync odoo check"
                    " --create-journals`, or set another code under [sync.journals]."
                ).format(code=code)
            )
    needed = sorted(set(DEFAULT_TAXES) | set(taxes_needed))
    taxes = odoo.search_read(
        "account.tax",
        [("type_tax_use", "in", ["sale", "purchase"]), ("amount_type", "=", "percent")],
        ["name", "type_tax_use", "amount", "price_include", "active"],
        context={"active_test": False},
    )
    info = version.get("server_version_info") or [0]
    major = int(info[0]) if str(info[0]).isdigit() else 0
    by_xmlid = _taxes_by_xmlid(odoo, uid, needed, major)
    for key in needed:
        tax, how = _pick_tax(taxes, key, by_xmlid)
        name = str(tax["name"]) if tax is not None else _tax_name(key)
        if tax is None:
            setup.problems.append(
                _(
                    "Odoo has no {use} tax “{name}”:"
                    " create it in Accounting › Configuration › Taxes."
                ).format(use=_("sale") if key[0] == "sale" else _("purchase"), name=name)
            )
            continue
        if not tax["active"]:
            if activate_taxes:
                odoo.call("account.tax", "write", [tax["id"]], {"active": True})
                setup.fixed.append(_("Tax “{name}” activated.").format(name=name))
            else:
                setup.problems.append(
                    _(
                        "The tax “{name}” is archived in Odoo (the French chart ships it so):"
                        " run `coop sync odoo check --activate-taxes`."
                    ).format(name=name)
                )
                continue
        setup.taxes[key] = int(tax["id"])
        setup.tax_found_by[key] = how
    return setup
