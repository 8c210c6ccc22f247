"""Planning help (under-staffed shifts, how the work is shared) and the Obeesdoo countdown."""

from __future__ import annotations

from datetime import date

from coop.shifts import planning
from coop.shifts.policy import BEES, Status

from .conftest import Coop, moment

TEMPLATES = (
    "SAM;Samedi;;samedi;14:00;17:00;3;shift_leader",
    "MAR;Mardi;;mardi;09:00;12:00;2;",
)


def test_load_report_shows_who_carries_the_work(coop: Coop, tmp_path):
    coop.templates(tmp_path, *TEMPLATES)
    for number in range(1, 11):
        coop.member(number)
    coop.run(date(2026, 11, 21))  # everyone enrolled: cycles from 30 Nov are owed
    coop.generate(date(2026, 11, 21), date(2026, 12, 31))
    # Members 1 and 2 do every Saturday; member 3 one Tuesday; the others nothing.
    saturdays = [s for s in coop.shifts("SAM") if s.day >= date(2026, 11, 28)]
    for shift in saturdays:
        coop.at(moment(shift.day, 8))
        coop.book(1, shift)
        coop.book(2, shift)
        coop.after(shift).mark(shift, 1, "attended")
        coop.mark(shift, 2, "attended")
    tuesday = coop.shift_on(date(2026, 12, 8), "MAR")
    coop.at(moment(tuesday.day, 8)).book(3, tuesday)
    coop.after(tuesday).mark(tuesday, 3, "attended")
    coop.at(date(2026, 12, 31)).run(date(2026, 12, 31))
    report = planning.load(
        coop.session, first=date(2026, 11, 1), last=date(2026, 12, 31), settings=coop.settings
    )
    worked = len(saturdays) * 2 + 1  # 5 Saturdays from 28 Nov to 26 Dec, two people each
    assert (report.shifts_worked, report.workers) == (worked, 3)
    # The most active tenth of 3 workers is one person, who did 5 of the 11.
    assert report.top_tenth_share == round(len(saturdays) / worked, 3)
    # Cycles of 30 Nov and 28 Dec: 2 shifts due each; members 1 and 2 did 5 (3 above due),
    # members 4 to 10 did none (2 below due); member 3 did 1 of 2 (not "far").
    assert [row["number"] for row in report.above_due] == [1, 2]
    assert [row["number"] for row in report.below_due] == [4, 5, 6, 7, 8, 9, 10]
    (concentrated,) = report.concentrated
    assert concentrated["template"] == "SAM" and concentrated["top_two"] == [1, 2]
    assert concentrated["top_two_share"] == 1.0


def test_understaffed_lists_free_places_and_missing_roles(coop: Coop, tmp_path):
    coop.templates(tmp_path, *TEMPLATES)
    coop.member(1)
    coop.generate(date(2026, 11, 21), date(2026, 12, 12))
    tuesday = coop.shift_on(date(2026, 11, 24), "MAR")
    coop.book(1, tuesday)
    gaps = planning.understaffed(coop.session, now=coop.now, days=7)
    by_day = {gap.day: gap for gap in gaps}
    assert set(by_day) == {date(2026, 11, 21), date(2026, 11, 24)}  # up to 28 Nov 10:30
    assert (by_day[date(2026, 11, 24)].taken, by_day[date(2026, 11, 24)].free) == (1, 1)
    assert by_day[date(2026, 11, 21)].missing_roles == ("shift_leader",)


def test_bees_irregular_worker_counts_down_from_their_own_start(session, actor, now, tmp_path):
    """Reference §2.2: an irregular worker is debited every 28 days from their own start date;
    at sr 0 and not penalised the first countdown costs 2 (sr −2, alert)."""
    coop = Coop(session, actor, now, BEES)
    coop.templates(tmp_path, *TEMPLATES)
    coop.member(1)
    coop.run(date(2026, 11, 21))  # enrolled as flying (irregular): countdown from 21 Nov
    coop.at(date(2026, 12, 18)).run(date(2026, 12, 18))
    assert coop.counters(1).regular == 0  # 27 days: not yet
    coop.at(date(2026, 12, 19)).run(date(2026, 12, 19))
    assert coop.counters(1).regular == -2
    assert coop.state(1).status is Status.ALERT
