"""The coop's letterhead comes from the settings; the example config file stays valid TOML."""

from __future__ import annotations

import tomllib

from coop.config import EXAMPLE_CONFIG, read_config_file
from coop.documents import address_lines, letterhead
from coop.members.models import Member


def test_letterhead_from_the_config_file(tmp_path):
    example = "\n".join(
        line[2:] if line.startswith("# coop_") else line for line in EXAMPLE_CONFIG.splitlines()
    )
    tomllib.loads(EXAMPLE_CONFIG)
    path = tmp_path / "config.toml"
    path.write_text(example, encoding="utf-8")
    head = letterhead(read_config_file(path))
    assert head.name == "Épicerie coopérative"
    assert head.address == ("12 rue des Lilas", "69001 Lyon")
    assert head.siret == "123 456 789 00012"
    assert head.contact.startswith("04 78 00 00 00")


def test_an_address_needs_street_postcode_and_city():
    full = Member(street="3 rue Neuve\nBât. B", postcode="69007", city="Lyon")
    assert address_lines(full) == ("3 rue Neuve", "Bât. B", "69007 Lyon")
    for missing in ("street", "postcode", "city"):
        member = Member(street="3 rue Neuve", postcode="69007", city="Lyon")
        setattr(member, missing, "  ")
        assert address_lines(member) == ()
