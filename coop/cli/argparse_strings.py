"""argparse's own words ("usage:", "options"...), translated through our catalogue.

argparse looks its strings up with ``gettext.gettext`` in its own module; ``install`` points it at
Comptoir's catalogue so `coop --help` and usage errors read in French like the rest.
"""

from __future__ import annotations

import argparse

from coop.i18n import N_, _, ngettext

MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
)


def install() -> None:
    """Route argparse's gettext calls to ours (process-wide; argparse reads them at call time)."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
