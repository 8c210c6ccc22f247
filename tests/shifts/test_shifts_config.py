"""The `[shifts]` table of the config file: a preset, overrides and the calendar choices."""

from __future__ import annotations

from datetime import date

import pytest

from coop import paths
from coop.config import load_settings
from coop.errors import InvalidInput
from coop.shifts.policy import LOUVE, System, WorkMode


def write_config(text: str) -> None:
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text(text, encoding="utf-8")


def test_default_is_the_louve_preset():
    settings = load_settings(environ={})
    assert settings.shifts.policy == LOUVE
    assert settings.shifts.public_holidays is True
    assert settings.shifts.new_member_mode is WorkMode.FLYING


def test_preset_with_overrides_and_calendar_choices():
    write_config(
        "[shifts]\n"
        'preset = "bees"\n'
        "week_anchor = 2026-01-05\n"
        "cycle_weeks = 6\n"
        "alert_days = 21\n"
        'unregister_notice_hours = "off"\n'
        "public_holidays = false\n"
        "alsace_moselle = true\n"
        "holiday_makeups = 1\n"
        'new_member_mode = "regular"\n'
    )
    shifts = load_settings(environ={}).shifts
    policy = shifts.policy
    assert policy.system is System.BEES
    assert (policy.week_anchor, policy.cycle_weeks, policy.cycle_days) == (date(2026, 1, 5), 6, 42)
    assert policy.alert_days == 21 and policy.unregister_notice_hours is None
    assert policy.grace_days == 10  # the rest of the preset is kept
    assert (shifts.public_holidays, shifts.alsace_moselle, shifts.holiday_makeups) == (
        False,
        True,
        1,
    )
    assert shifts.new_member_mode is WorkMode.REGULAR


def test_mistakes_in_the_shifts_table_are_all_reported():
    write_config(
        "[shifts]\n"
        'preset = "bees"\n'
        "alert_dayz = 21\n"
        'grace_days = "ten"\n'
        "week_anchor = 2026-01-06\n"
        'public_holidays = "yes"\n'
        'new_member_mode = "exempt"\n'
    )
    with pytest.raises(InvalidInput) as refused:
        load_settings(environ={})
    text = str(refused.value)
    for key in ("alert_dayz", "grace_days", "public_holidays", "new_member_mode"):
        assert f"“{key}”" in text
    assert str(paths.config_file()) in text and "[shifts]" in text


def test_an_anchor_that_is_not_a_monday_is_refused():
    write_config("[shifts]\nweek_anchor = 2026-01-06\n")
    with pytest.raises(InvalidInput, match="not a Monday"):
        load_settings(environ={})
