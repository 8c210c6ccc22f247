"""Settings: defaults, then the TOML file, then environment variables, then command-line flags.

The precedence lives in ``load_settings`` and nowhere else. Unknown keys in the file are an
error (a typo in a volunteer's config must not be silently ignored).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from coop import paths
from coop.errors import InvalidInput, Problem
from coop.i18n import _, normalise_language


@dataclass(frozen=True)
class MemberSettings:
    """Rules about members and households that differ between coops."""

    max_household_size: int = 3
    """A main member plus associated people; La Louve allows one associated person (2)."""
    card_prefix: str = "042"
    """First digits of the EAN-13 member cards the coop prints (Odoo coops use 042)."""
    default_category: str = "standard"


@dataclass(frozen=True)
class Settings:
    database_url: str = ""
    """Empty means the default SQLite file in the data folder."""
    language: str = "fr"
    coop_name: str = "Comptoir"
    members: MemberSettings = field(default_factory=MemberSettings)
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
        table = tomllib.loads(path.read_text(encoding="utf-8"))
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
    settings = _build(Settings, table, str(path), problems)
    if problems:
        raise InvalidInput(problems)
    return replace(settings, source=path)


def load_settings(
    database_url: str | None = None,
    language: str | None = None,
    environ: dict[str, str] | None = None,
) -> Settings:
    """Defaults < config file < COOP_DATABASE_URL / COOP_LANG < explicit arguments (CLI flags)."""
    env = os.environ if environ is None else environ
    settings = read_config_file(paths.config_file())
    if env.get("COOP_DATABASE_URL"):
        settings = replace(settings, database_url=env["COOP_DATABASE_URL"])
    if env.get("COOP_LANG"):
        settings = replace(settings, language=env["COOP_LANG"])
    if database_url:
        settings = replace(settings, database_url=database_url)
    if language:
        settings = replace(settings, language=language)
    return replace(settings, language=normalise_language(settings.language))


EXAMPLE_CONFIG = """\
# Comptoir configuration (TOML). Every key is optional.
coop_name = "Épicerie coopérative"
language = "fr"            # "fr" or "en"; COOP_LANG overrides it

[database]
# url = "postgresql+psycopg://comptoir@localhost/comptoir"   # COOP_DATABASE_URL overrides it

[members]
max_household_size = 3     # main member + associated people
card_prefix = "042"
default_category = "standard"
"""
