"""Issue 16 §10 in the core: what to do is one sentence with one date (the last day), and a
member who left is only said to have left, and when."""

from __future__ import annotations

from datetime import date

from coop.i18n import set_language
from coop.members import service as members
from coop.shifts import desk, words
from coop.shifts.policy import LOUVE, Status
from coop.shifts.values import Counters

from .conftest import Coop


def test_to_do_names_the_last_day_once():
    set_language("en")
    owed = Counters(standard=-2)
    text = words.to_do(LOUVE, owed, date(2026, 12, 17), Status.SUSPENDED)
    assert text == (
        "2 make-up shifts to do by 17/12/2026 at the latest, or the status becomes: suspended."
    )
    assert words.to_do(LOUVE, owed, None, None) == "2 make-up shifts to do."
    assert words.to_do(LOUVE, Counters(), date(2026, 12, 17), Status.FROZEN).count("/") == 2


def test_a_member_who_left_is_only_said_to_have_left(coop: Coop):
    set_language("en")
    coop.member(7)
    member = members.get_by_number(coop.session, 7)
    member.left_on = date(2026, 10, 31)
    coop.session.flush()
    check = desk.check(coop.session, "7", at=coop.now, settings=coop.settings)
    assert not check.can_shop
    assert check.left_on == date(2026, 10, 31)
    assert check.status_text == "Left the coop on 31/10/2026."
    assert check.reasons == [] and check.warnings == [] and check.counters_text == ""
    assert check.as_dict()["left_on"] == "2026-10-31"
