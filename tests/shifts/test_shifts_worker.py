"""``account.worker`` when an associated person's main member cannot be loaded.

The message used ``main.full_name`` without checking ``main``: an associated person whose main
member row is missing (a dangling link, e.g. a half-finished import) crashed the desk with an
AttributeError instead of the sentence saying whose status they shop on.
"""

from __future__ import annotations

from datetime import date

import pytest

from coop.errors import CoopError
from coop.members.models import Member
from coop.shifts import account


def test_worker_with_a_missing_main_member_refuses_with_a_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    orphan = Member(
        number=12,
        first_name="Aline",
        last_name="Roux",
        joined_on=date(2026, 1, 5),
        main_member_id=999,
    )
    assert orphan.main_member is None
    monkeypatch.setattr(account.members, "get_by_number", lambda session, number: orphan)
    with pytest.raises(CoopError) as raised:
        account.worker(None, 12)  # type: ignore[arg-type]
    message = str(raised.value)
    assert "12" in message
    assert "?" in message
