"""The ``[sync]`` table of the config file, and the environment variables that override it.

```toml
[sync]
namespace = ""                       # prefix of our external ids in Odoo (one per database)
push = ["till_day", "invoice", "credit_note", "top_up", "withdrawal", "supplier_bill", "amap"]

[sync.odoo]
url = "https://compta.example.org"   # COOP_ODOO_URL
database = "coop"                    # COOP_ODOO_DB
login = "tresorier@example.org"      # COOP_ODOO_LOGIN
# api_key = "…"                      # better: COOP_ODOO_API_KEY, outside the file
timeout = 120                        # seconds an answer may take (connect: 5 s)
batch_size = 50                      # moves per create/post call (at most 50)

[sync.accounts]                      # plan comptable général codes (Odoo 17's French chart)
sales = "707100"
# vat_collected, purchases, vat_deductible, customers, suppliers, prepaid, cash, bank, card,
# cheque, local_currency, amap_producers, amap_fund, capital ("101300": capital shares, also
# those paid at the till), fees ("756000": yearly fees)

[sync.journals]
till = "CAIS"                        # the Z entries
# sales = "INV", purchases = "BILL", misc = "MISC"
```

The API key is never printed, logged or put in ``--json`` output (``OdooSettings.__repr__``
leaves it out).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from coop import paths
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.sync.rules import MAPPERS, Chart

KINDS = ("till_day", "invoice", "credit_note", "top_up", "withdrawal", "supplier_bill", "amap")
ENV = {
    "url": "COOP_ODOO_URL",
    "database": "COOP_ODOO_DB",
    "login": "COOP_ODOO_LOGIN",
    "api_key": "COOP_ODOO_API_KEY",
}


@dataclass(frozen=True)
class OdooSettings:
    url: str = ""
    database: str = ""
    login: str = ""
    api_key: str = field(default="", repr=False)
    timeout: int = 120
    connect_timeout: int = 5
    batch_size: int = 50
    retries: int = 4
    """Transport errors: how many more tries, waiting backoff × 2ⁿ seconds between them."""
    backoff: float = 1.0

    @property
    def configured(self) -> bool:
        return bool(self.url and self.database and self.login and self.api_key)

    def public(self) -> dict[str, Any]:
        """What may be shown: everything but the API key."""
        return {
            "url": self.url,
            "database": self.database,
            "login": self.login,
            "api_key": "***" if self.api_key else "",
            "timeout": self.timeout,
            "batch_size": self.batch_size,
        }


@dataclass(frozen=True)
class SyncSettings:
    odoo: OdooSettings = field(default_factory=OdooSettings)
    chart: Chart = field(default_factory=Chart)
    push: tuple[str, ...] = tuple(k for k in KINDS if k in MAPPERS)


_JOURNALS = {"till": "till_journal", "sales": "sales_journal"}
_JOURNALS |= {"purchases": "purchases_journal", "misc": "misc_journal"}
_ODOO_INTS = ("timeout", "connect_timeout", "batch_size", "retries")


def _problem(where: str, key: str, message: str) -> Problem:
    return Problem(message, source=f"{where} [sync]", column=key)


def _odoo_problem(where: str, name: str, item: object) -> Problem | None:
    """What is wrong with one ``[sync.odoo]`` value, or None."""
    if name not in {f.name for f in fields(OdooSettings)}:
        return _problem(where, f"odoo.{name}", _("unknown setting"))
    if name in _ODOO_INTS:
        if isinstance(item, bool) or not isinstance(item, int) or item <= 0:
            return _problem(where, f"odoo.{name}", _("expected a whole number"))
        return None
    if name == "backoff":
        if not isinstance(item, int | float):  # seconds between retries, never money
            return _problem(where, f"odoo.{name}", _("expected a number"))
        return None
    if not isinstance(item, str):
        return _problem(where, f"odoo.{name}", _("expected text"))
    return None


def _chart_item(
    where: str, key: str, name: str, item: object, chart_values: dict[str, str]
) -> Problem | None:
    """Read one ``[sync.accounts]`` / ``[sync.journals]`` value into chart_values."""
    target = _JOURNALS.get(name) if key == "journals" else name
    if (
        target is None
        or target not in {f.name for f in fields(Chart)}
        or (key == "accounts" and target.endswith("_journal"))
    ):
        return _problem(where, f"{key}.{name}", _("unknown setting"))
    if not isinstance(item, str) or not item.strip():
        return _problem(where, f"{key}.{name}", _("expected a code"))
    chart_values[target] = item.strip()
    return None


def parse(table: dict[str, Any], where: str) -> SyncSettings:
    """The ``[sync]`` table → settings; every wrong key or value is reported at once."""
    problems: list[Problem | None] = []
    settings = SyncSettings()
    odoo_values: dict[str, Any] = {}
    chart_values: dict[str, str] = {}
    for key, value in table.items():
        if key == "push":
            if not isinstance(value, list) or any(v not in KINDS for v in value):
                options = ", ".join(KINDS)
                problems.append(
                    _problem(
                        where, key, _("expected a list among: {options}").format(options=options)
                    )
                )
            else:
                settings = replace(settings, push=tuple(value))
        elif key == "namespace":
            if not isinstance(value, str) or not all(c.isalnum() or c in "-_" for c in value):
                problems.append(_problem(where, key, _("expected letters, digits, - or _")))
            else:
                chart_values["namespace"] = value
        elif key == "odoo" and isinstance(value, dict):
            for name, item in value.items():
                problem = _odoo_problem(where, name, item)
                problems.append(problem)
                if problem is None:
                    odoo_values[name] = item
        elif key in ("accounts", "journals") and isinstance(value, dict):
            problems.extend(_chart_item(where, key, n, i, chart_values) for n, i in value.items())
        else:
            problems.append(_problem(where, key, _("unknown setting")))
    if odoo_values.get("batch_size", 1) > 50:
        problems.append(_problem(where, "odoo.batch_size", _("at most 50 moves per call")))
    found = [problem for problem in problems if problem is not None]
    if found:
        raise InvalidInput(found)
    return replace(settings, odoo=OdooSettings(**odoo_values), chart=Chart(**chart_values))


def load(environ: dict[str, str] | None = None, config: Path | None = None) -> SyncSettings:
    """The config file's ``[sync]`` table, then COOP_ODOO_* environment variables."""
    env = os.environ if environ is None else environ
    path = config or paths.config_file()
    table: dict[str, Any] = {}
    if path.exists():
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8")).get("sync", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise InvalidInput([Problem(str(error), source=str(path))]) from error
    settings = parse(table, str(path)) if table else SyncSettings()
    overrides: dict[str, Any] = {name: env[var] for name, var in ENV.items() if env.get(var)}
    if overrides:
        settings = replace(settings, odoo=replace(settings.odoo, **overrides))
    return settings
