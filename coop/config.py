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
from coop.shifts.policy import LOUVE, ShiftPolicy, WorkMode, from_mapping


@dataclass(frozen=True)
class MemberSettings:
    """Rules about members and households that differ between coops."""

    max_household_size: int = 3
    """A main member plus associated people; La Louve allows one associated person (2)."""
    card_prefix: str = "042"
    """First digits of the EAN-13 member cards the coop prints (Odoo coops use 042)."""
    default_category: str = "standard"


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


SHIFT_SETTING_KEYS = ("public_holidays", "alsace_moselle", "holiday_makeups", "new_member_mode")


@dataclass(frozen=True)
class Settings:
    database_url: str = ""
    """Empty means the default SQLite file in the data folder."""
    language: str = "fr"
    coop_name: str = "Comptoir"
    members: MemberSettings = field(default_factory=MemberSettings)
    shifts: ShiftSettings = field(default_factory=ShiftSettings)
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
    shifts = table.pop("shifts", None)
    settings = _build(Settings, table, str(path), problems)
    if shifts is not None:
        if isinstance(shifts, dict):
            settings = replace(settings, shifts=_shift_settings(shifts, str(path), problems))
        else:
            problems.append(Problem(_("“{key}” must be a table").format(key="shifts"), str(path)))
    if problems:
        raise InvalidInput(problems)
    return replace(settings, source=path)


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

[shifts]
preset = "louve"           # "louve" (La Louve), "bees" (BEES coop) or "tapir" (SuperCoop)
# week_anchor = 2026-01-05 # a Monday of week A
# cycle_weeks = 4          # weeks A to D
# alert_days = 28          # any rule of the preset can be overridden, see the README
public_holidays = true     # cancel shifts on French public holidays
"""
