"""Settings: defaults, then the TOML file, then environment variables, then command-line flags.

The precedence lives in ``load_settings`` and nowhere else. Unknown keys in the file are an
error (a typo in a volunteer's config must not be silently ignored).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from coop import paths
from coop.errors import InvalidInput, Problem
from coop.i18n import _, normalise_language
from coop.shifts.policy import LOUVE, ShiftPolicy, WorkMode, from_mapping


@dataclass(frozen=True)
class MemberSettings:
    """Rules about members and households that differ between coops."""

    max_household_size: int = 3
    """A main member plus associated people; La Louve allows one associated person (2)."""
    card_prefix: str = "042"
    """First digits of the EAN-13 member cards the coop prints (Odoo coops use 042)."""
    default_category: str = "standard"
    acting_member: int = 0
    """The member number the command line acts as when ``--as`` is not given (0: none)."""


@dataclass(frozen=True)
class MembershipSettings:
    """The ``[membership]`` table: capital shares (parts sociales) and yearly fees.

    Nothing is due by default: a coop lists its categories in ``shares_required`` and ``fees``.
    """

    share_value_cents: int = 1000
    """Nominal value of one share (``share_value = "10,00"``)."""
    shares_required: tuple[tuple[str, int], ...] = ()
    """Shares each member category must hold (``shares_required = {standard = 10}``)."""
    instalments: int = 1
    """In how many payments the shares may be paid (1: all at once)."""
    instalment_months: int = 12
    """With instalments, months after joining by which every share must be paid."""
    refund_delay_years: int = 5
    """The statutes' delay between leaving and the refund of the shares."""
    fees: tuple[tuple[str, int], ...] = ()
    """The association's yearly fee per category, in cents (``fees = {standard = "15,00"}``)."""

    def required_shares(self, category: str) -> int:
        return dict(self.shares_required).get(category, 0)

    def fee_cents(self, category: str) -> int:
        return dict(self.fees).get(category, 0)


@dataclass(frozen=True)
class ShiftSettings:
    """The ``[shifts]`` table: the rules (a preset plus overrides) and the calendar choices."""

    policy: ShiftPolicy = LOUVE
    """``preset = "louve" | "bees" | "tapir"`` plus any ``ShiftPolicy`` field as an override
    (``week_anchor``, ``cycle_weeks``, ``alert_days``...); see ``coop.shifts.policy``."""
    public_holidays: bool = True
    """Cancel generated shifts on French public holidays (the shop is closed)."""
    alsace_moselle: bool = False
    """Also Good Friday and 26 December (Alsace-Moselle)."""
    holiday_makeups: int = 0
    """What an absence costs on a public holiday (like a closure's make-ups)."""
    new_member_mode: WorkMode = WorkMode.FLYING
    """Work mode of a member the first time the shift rules see them (before any slot)."""
    welcome_session_required: bool = False
    """A new member must attend a welcome session before booking a shift (Tapir); the desk
    warns until they have."""


SHIFT_SETTING_KEYS = (
    "public_holidays",
    "alsace_moselle",
    "holiday_makeups",
    "new_member_mode",
    "welcome_session_required",
)

PAYMENT_MEANS = ("cash", "card", "cheque", "local_currency", "account")
"""The payment means a till knows (``coop.till.payments.Means`` values), in receipt order."""


@dataclass(frozen=True)
class TillSettings:
    """The ``[till]`` table: which till this computer is and what the coop accepts at it."""

    till: str = "CAISSE-1"
    """The code of this computer's till; created at its first opening. ``--till`` picks another."""
    non_members: bool = False
    """May people who are not members buy (a coop open to the public)?"""
    local_currency: str = ""
    """The name of the local currency accepted (e.g. "Gonette"); empty: none."""
    means: tuple[str, ...] = PAYMENT_MEANS
    """The payment means accepted (a subset of ``PAYMENT_MEANS``)."""
    cashier_discount_percent: int = 10
    """A cashier may lower a line or a sale by up to this percent alone; more needs a member
    holding one of ``discount_roles`` (e.g. the shift leader) to authorise it."""
    discount_roles: tuple[str, ...] = ("shift_leader",)
    fiscal_year_start: str = "01-01"
    """First day of the accounting year (MM-DD): the yearly closure covers a year from it."""
    max_line_quantity: int = 1000
    """The most pieces one sale line may hold."""
    max_line_grams: int = 100_000
    """The most grams (or ml) one weighed sale line may hold (100 kg)."""
    max_sale_cents: int = 500_000
    """The largest sale total, either way (``max_sale = "5000,00"``)."""
    max_payment_cents: int = 500_000
    """The largest single payment, either way (``max_payment = "5000,00"``)."""
    max_top_up_cents: int = 100_000
    """The largest prepaid-account top-up at the till (``max_top_up = "1000,00"``)."""
    quick_keys: tuple[str, ...] = ()
    """The counter's quick keys (Ctrl+G), keys 1–9 then a–z: codes of unlabelled products
    (bread, vegetables; a by-weight product asks for its weight). Empty: the products that
    have an internal code and no barcode, by name."""
    max_cash_difference_cents: int = 1000
    """A till session whose counted cash differs from the expected by more than this
    (``max_cash_difference = "10,00"``) is closed only by a treasurer (or with one's card and
    PIN)."""
    backups_kept: int = 10
    """Each Z writes a backup of the database into the data folder's ``backups/``; this many
    of those automatic backups are kept (the oldest removed); 0: no automatic backup."""


@dataclass(frozen=True)
class AccountSettings:
    """The ``[accounts]`` table: member prepaid accounts and invoices."""

    overdraft_cents: int = 0
    """How far below zero a prepaid account may go (``overdraft = "20,00"``); 0: never."""
    invoice_series: str = "FA"
    """Prefix of invoice numbers (FA-000001); numbers are gapless per series."""
    credit_note_series: str = "AV"
    """Prefix of credit notes (avoirs), a series of its own."""


@dataclass(frozen=True)
class StockSettings:
    """The ``[stock]`` table: how reorder suggestions are computed."""

    sales_window_days: int = 28
    """Average daily sales are taken over this many past days."""
    lead_time_days: int = 7
    """Days between ordering and receiving, unless a product says otherwise."""
    cover_days: int = 14
    """Days of sales a reorder should cover after it arrives."""


@dataclass(frozen=True)
class TuiSettings:
    """The ``[tui]`` table: the terminal screens."""

    coordinator_pin: str = ""
    """Asked before the coordinator screen opens; empty: no PIN. Either the PIN as typed
    (``"4821"``) or its SHA-256 as ``"sha256:<64 hex digits>"`` so the file does not show it."""


@dataclass(frozen=True)
class Settings:
    database_url: str = ""
    """Empty means the default SQLite file in the data folder."""
    language: str = "fr"
    coop_name: str = "Comptoir"
    coop_address: str = ""
    """Printed on documents, one line per line of text ("12 rue des Lilas\\n69001 Lyon")."""
    coop_siret: str = ""
    """The 14-digit SIRET printed on invoices (a legal mention, with the name and address)."""
    coop_vat_number: str = ""
    """The intra-community VAT number (FR + 11 characters), printed on invoices when set."""
    coop_city: str = ""
    """The town documents are signed in ("Fait à Lyon, le …")."""
    coop_contact: str = ""
    """Phone or e-mail printed under the address (order sheets, invoices)."""
    members: MemberSettings = field(default_factory=MemberSettings)
    membership: MembershipSettings = field(default_factory=MembershipSettings)
    shifts: ShiftSettings = field(default_factory=ShiftSettings)
    till: TillSettings = field(default_factory=TillSettings)
    accounts: AccountSettings = field(default_factory=AccountSettings)
    stock: StockSettings = field(default_factory=StockSettings)
    tui: TuiSettings = field(default_factory=TuiSettings)
    source: Path | None = None
    """The config file these settings were read from, if any."""

    def resolved_database_url(self) -> str:
        return self.database_url or sqlite_url(paths.default_database_file())


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


_SECTIONS: dict[str, type] = {"members": MemberSettings}


def _build(cls: type, table: dict[str, Any], where: str, problems: list[Problem]) -> Any:
    known = {f.name: f for f in fields(cls) if f.name not in {"source"}}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            problems.append(Problem(_("unknown setting “{key}”").format(key=key), source=where))
            continue
        if key in _SECTIONS:
            if not isinstance(value, dict):
                problems.append(Problem(_("“{key}” must be a table").format(key=key), source=where))
                continue
            values[key] = _build(_SECTIONS[key], value, f"{where} [{key}]", problems)
            continue
        expected = type(getattr(cls(), key))
        if not isinstance(value, expected) or isinstance(value, bool) is not (expected is bool):
            kinds = {int: _("a whole number"), str: _("text"), bool: _("true or false")}
            problems.append(
                Problem(
                    _("“{key}” must be {kind}").format(key=key, kind=kinds.get(expected, "?")),
                    source=where,
                )
            )
            continue
        values[key] = value
    return cls(**values)


def read_config_file(path: Path) -> Settings:
    """Parse a config file; a missing file means the defaults."""
    if not path.exists():
        return Settings()
    try:
        # utf-8-sig: a file saved by Windows Notepad starts with a BOM
        table = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput([Problem(str(error), source=str(path))]) from error
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput([Problem(str(error), source=str(path))]) from error
    problems: list[Problem] = []
    database = table.pop("database", {})
    if isinstance(database, dict) and "url" in database:
        table["database_url"] = database.pop("url")
        if database:
            problems.extend(
                Problem(_("unknown setting “{key}”").format(key=f"database.{k}"), source=str(path))
                for k in database
            )
    shifts = table.pop("shifts", None)
    membership = table.pop("membership", None)
    table.pop("sync", None)  # read by coop.sync.settings
    shop = {name: table.pop(name) for name in ("till", "accounts", "stock", "tui") if name in table}
    settings: Settings = _build(Settings, table, str(path), problems)
    for name, section in shop.items():
        if isinstance(section, dict):
            parsed = _shop_section(name, section, str(path), problems)
            settings = replace(settings, **{name: parsed})
        else:
            problems.append(Problem(_("“{key}” must be a table").format(key=name), str(path)))
    if shifts is not None:
        if isinstance(shifts, dict):
            settings = replace(settings, shifts=_shift_settings(shifts, str(path), problems))
        else:
            problems.append(Problem(_("“{key}” must be a table").format(key="shifts"), str(path)))
    if membership is not None:
        if isinstance(membership, dict):
            parsed_membership = _membership_settings(membership, str(path), problems)
            settings = replace(settings, membership=parsed_membership)
        else:
            problems.append(
                Problem(_("“{key}” must be a table").format(key="membership"), str(path))
            )
    if problems:
        raise InvalidInput(problems)
    return replace(settings, source=path)


def _membership_settings(
    table: dict[str, Any], where: str, problems: list[Problem]
) -> MembershipSettings:
    """The ``[membership]`` table: amounts as text ("10,00"), counts per category as tables."""
    source = f"{where} [membership]"
    values: dict[str, Any] = {}
    for key, value in table.items():
        try:
            if key == "share_value":
                values["share_value_cents"] = _amount_value(value)
            elif key in ("shares_required", "fees"):
                if not isinstance(value, dict):
                    raise ValueError(_("expected a table of categories, e.g. {standard = 10}"))
                pairs = []
                for category, number in value.items():
                    if key == "fees":
                        pairs.append((str(category), _amount_value(number)))
                    elif isinstance(number, bool) or not isinstance(number, int) or number < 0:
                        raise ValueError(_("expected a whole number"))
                    else:
                        pairs.append((str(category), number))
                values[key] = tuple(pairs)
            elif key in ("instalments", "instalment_months", "refund_delay_years"):
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    raise ValueError(_("expected a whole number of 1 or more"))
                values[key] = value
            else:
                problems.append(
                    Problem(_("unknown setting “{key}”").format(key=key), source=source)
                )
        except ValueError as error:
            problems.append(Problem(str(error), source=source, column=key))
    return MembershipSettings(**values)


def _shift_settings(table: dict[str, Any], where: str, problems: list[Problem]) -> ShiftSettings:
    """Split the ``[shifts]`` table: calendar choices here, the rest to the policy reader."""
    source = f"{where} [shifts]"
    own = {key: table[key] for key in SHIFT_SETTING_KEYS if key in table}
    rest = {key: value for key, value in table.items() if key not in own}
    values: dict[str, Any] = {}
    for key, value in own.items():
        if key == "new_member_mode":
            modes = [WorkMode.FLYING.value, WorkMode.REGULAR.value]
            if value not in modes:
                problems.append(
                    Problem(
                        _("“{value}” is not one of: {options}").format(
                            value=value, options=", ".join(modes)
                        ),
                        source=source,
                        column=key,
                    )
                )
                continue
            values[key] = WorkMode(value)
        elif key == "holiday_makeups":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                problems.append(Problem(_("expected a whole number"), source=source, column=key))
                continue
            values[key] = value
        elif not isinstance(value, bool):
            problems.append(Problem(_("expected true or false"), source=source, column=key))
        else:
            values[key] = value
    try:
        values["policy"] = from_mapping(rest, source=source)
    except InvalidInput as error:
        problems.extend(error.problems)
    return ShiftSettings(**values)


def _shop_section(name: str, table: dict[str, Any], where: str, problems: list[Problem]) -> Any:
    """``[till]``, ``[accounts]``, ``[stock]`` or ``[tui]``: each key checked against its field's
    type."""
    cls = {
        "till": TillSettings,
        "accounts": AccountSettings,
        "stock": StockSettings,
        "tui": TuiSettings,
    }[name]
    source = f"{where} [{name}]"
    defaults = cls()
    known = {f.name for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        field_name = f"{key}_cents" if key in AMOUNT_KEYS else key
        if field_name not in known or (field_name.endswith("_cents") and key not in AMOUNT_KEYS):
            problems.append(Problem(_("unknown setting “{key}”").format(key=key), source=source))
            continue
        try:
            values[field_name] = _shop_value(name, key, value, getattr(defaults, field_name))
        except ValueError as error:
            problems.append(Problem(str(error), source=source, column=key))
    return cls(**values)


AMOUNT_KEYS = ("overdraft", "max_sale", "max_payment", "max_top_up", "max_cash_difference")
"""Settings written as amounts ("20,00") and kept as cents (``<key>_cents``)."""


def _shop_value(section: str, key: str, value: Any, default: Any) -> Any:
    """One ``[till]``/``[accounts]``/``[stock]``/``[tui]`` value, checked against its default's
    type (ValueError with the sentence to show otherwise)."""
    if key in AMOUNT_KEYS:
        return _amount_value(value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError(_("expected true or false"))
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(_("expected a whole number"))
        return value
    if isinstance(default, tuple):
        return _words_value(key, value)
    if not isinstance(value, str):
        raise ValueError(_("expected text"))
    return _text_value(key, value)


def _amount_value(value: Any) -> int:
    """An amount of zero or more, as cents (``overdraft = "20,00"``)."""
    from coop.money import MoneyError, parse_amount

    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(_('expected an amount such as "20,00"'))
    try:
        cents = parse_amount(str(value))
    except MoneyError as error:
        raise ValueError(str(error)) from error
    if cents < 0:
        raise ValueError(_("expected an amount of zero or more"))
    return cents


def _words_value(key: str, value: Any) -> tuple[str, ...]:
    """A list of words (``means = ["cash", "card"]``), each a known payment means for ``means``."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(_('expected a list of words, e.g. ["cash", "card"]'))
    if key == "means":
        unknown = [v for v in value if v not in PAYMENT_MEANS]
        if unknown:
            raise ValueError(
                _("“{value}” is not one of: {options}").format(
                    value=unknown[0], options=", ".join(PAYMENT_MEANS)
                )
            )
    return tuple(value)


def _text_value(key: str, value: str) -> str:
    """A text setting, with the shape its key needs (month-day, PIN hash, series code)."""
    if key == "fiscal_year_start":
        match = re.fullmatch(r"(\d{2})-(\d{2})", value)
        try:
            if match is None:
                raise ValueError(value)
            date(2024, int(match.group(1)), int(match.group(2)))
        except ValueError:
            raise ValueError(_('expected a month and day such as "01-01" or "07-01"')) from None
    if key == "coordinator_pin":
        value = value.strip()
        if value.startswith("sha256:") and not re.fullmatch(r"sha256:[0-9a-fA-F]{64}", value):
            raise ValueError(_('expected the PIN, or "sha256:" and 64 hexadecimal digits'))
        return value
    if key in ("till", "invoice_series", "credit_note_series"):
        value = value.strip().upper()
        if not re.fullmatch(r"[A-Z0-9][A-Z0-9-]{0,15}", value):
            raise ValueError(
                _("“{value}” is not a code (letters, digits and dashes, at most 16)").format(
                    value=value
                )
            )
    return value


def load_settings(
    database_url: str | None = None,
    language: str | None = None,
    environ: dict[str, str] | None = None,
    *,
    demo: bool = False,
) -> Settings:
    """Defaults < config file < COOP_DATABASE_URL / COOP_LANG < the demo (``demo`` or
    COOP_DEMO=1) < explicit arguments (CLI flags)."""
    env = os.environ if environ is None else environ
    settings = read_config_file(paths.config_file())
    if env.get("COOP_DATABASE_URL"):
        settings = replace(settings, database_url=env["COOP_DATABASE_URL"])
    if env.get("COOP_LANG"):
        settings = replace(settings, language=env["COOP_LANG"])
    if demo or env.get("COOP_DEMO", "").strip() not in ("", "0"):
        settings = demo_settings(settings)
    if database_url:
        settings = replace(settings, database_url=database_url)
    if language:
        settings = replace(settings, language=language)
    return replace(settings, language=normalise_language(settings.language))


def demo_settings(settings: Settings) -> Settings:
    """The settings of the demo coop: the demo database and the demo coop's identity (name,
    address, SIRET, VAT number, town) from ``sample_data/coop.toml``; the rest as configured."""
    identity = read_config_file(paths.sample_data_dir() / "coop.toml")
    return replace(
        settings,
        database_url=sqlite_url(paths.demo_database_file()),
        coop_name=identity.coop_name,
        coop_address=identity.coop_address,
        coop_siret=identity.coop_siret,
        coop_vat_number=identity.coop_vat_number,
        coop_city=identity.coop_city,
        coop_contact=identity.coop_contact,
    )


EXAMPLE_CONFIG = """\
# Comptoir configuration (TOML). Every key is optional.
coop_name = "Épicerie coopérative"
# coop_address = "12 rue des Lilas\\n69001 Lyon"   # printed on order sheets and invoices
# coop_siret = "123 456 789 00012"      # name, address and SIRET: needed to print invoices
# coop_vat_number = "FR32123456789"    # printed on invoices when set
# coop_city = "Lyon"                   # "Fait à Lyon, le …" on attestations
# coop_contact = "04 78 00 00 00 · contact@epicerie.example"
language = "fr"            # "fr" or "en"; COOP_LANG overrides it

[database]
# url = "postgresql+psycopg://comptoir@localhost/comptoir"   # COOP_DATABASE_URL overrides it

[members]
max_household_size = 3     # main member + associated people
card_prefix = "042"
default_category = "standard"

[membership]
share_value = "10,00"      # nominal value of one capital share (part sociale)
# shares_required = {standard = 10, solidarity = 1}
# instalments = 3          # the shares may be paid in up to 3 payments…
# instalment_months = 12   # …all paid within 12 months of joining
# refund_delay_years = 5   # the statutes' delay before shares are paid back
# fees = {standard = "15,00"}  # the association's yearly fee per category

[shifts]
preset = "louve"           # "louve" (La Louve), "bees" (BEES coop) or "tapir" (SuperCoop)
# week_anchor = 2026-01-05 # a Monday of week A
# cycle_weeks = 4          # weeks A to D
# alert_days = 28          # any rule of the preset can be overridden, see the README
public_holidays = true     # cancel shifts on French public holidays
# welcome_session_required = false  # a welcome session before a new member's first shift

[till]
till = "CAISSE-1"          # the code of this computer's till
non_members = false        # may people who are not members buy?
local_currency = ""        # e.g. "Gonette" to accept a local currency
# means = ["cash", "card", "cheque", "local_currency", "account"]
cashier_discount_percent = 10   # more needs a shift leader's authorisation
fiscal_year_start = "01-01"

[accounts]
overdraft = "0,00"         # how far below zero a prepaid account may go
invoice_series = "FA"
credit_note_series = "AV"

[stock]
sales_window_days = 28     # reorder suggestions: average sales over these days,
lead_time_days = 7         # the supplier's delay,
cover_days = 14            # and the days a reorder should last

[tui]
# coordinator_pin = "4821"  # asked before the coordinator screen; or "sha256:<hex digest>"
"""
