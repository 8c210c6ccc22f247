"""Who the command line acts as: the member named by ``--as MEMBER_NO`` or by the config's
``[members] acting_member``, once their PIN is checked.

- On a terminal the PIN is always asked (never echoed); ``COOP_PIN`` in the environment is used
  instead when set.
- Without a terminal (a script, cron): ``--as`` needs ``COOP_PIN``; the member named in the
  config needs no PIN (the config file belongs to the machine's administrator account).
- Nobody named: the machine's account (``cli:<user>``) acts as an administrator only while no
  member holds the administrator role with a PIN (the first set-up: import, grant the first
  administrator, set their PIN); afterwards it holds no role and gated commands refuse.
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import TYPE_CHECKING

from coop.errors import CoopError
from coop.i18n import _
from coop.rights import Actor

if TYPE_CHECKING:
    from coop.cli.context import Context

PIN_VARIABLE = "COOP_PIN"


def on_terminal() -> bool:
    """Whether a person types at a terminal (a script's or a test's stdin is not one)."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def acting_actor(context: Context) -> Actor | None:
    """The named actor, or None when neither ``--as`` nor the config names one."""
    named = context.acting_member
    number = named or context.settings.members.acting_member or None
    if not number:
        return None
    from coop.staff import service as staff  # PINs and roles: only when someone is named

    pin = os.environ.get(PIN_VARIABLE)
    if pin is None and on_terminal():
        pin = getpass.getpass(_("PIN of member {number}: ").format(number=number))
    context.require_schema()
    now = context.clock()
    if pin is not None:
        return staff.log_in(context.sessions, str(number), pin, now=now)
    if named is not None:
        raise CoopError(
            _(
                "`--as {number}` needs the member's PIN: run the command on a terminal or set"
                " {variable}."
            ).format(number=number, variable=PIN_VARIABLE)
        )
    with context.sessions() as session, session.begin():
        return staff.configured_actor(session, number, now=now)


def unnamed_actor(context: Context, name: str) -> Actor:
    """``name`` as an administrator during the first set-up, with no role afterwards."""
    from sqlalchemy.exc import DBAPIError

    from coop.rights import Role
    from coop.staff.first_setup import has_administrator

    try:
        with context.sessions() as session, session.begin():
            setting_up = not has_administrator(session)
    except DBAPIError:  # no database yet (`coop init`, `coop demo`): nothing to protect
        setting_up = True
    return Actor(name, roles=frozenset({Role.ADMINISTRATOR}) if setting_up else frozenset())
