"""What the shift codes mean, in words a member understands (gettext, English message ids).

The rules speak in codes (``Status``, ``Reason``, ``Refusal``, counters); the desk, the CLI and
the printed lists show these sentences instead. Dates are formatted for the current language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from coop.dates import format_date
from coop.i18n import N_, _, ngettext
from coop.shifts.holidays import Holiday
from coop.shifts.policy import AttendanceState, Counter, ShiftPolicy, Status, WorkMode
from coop.shifts.state import Counters, Reason, Refusal

STATUS: Mapping[Status, str] = {
    Status.UP_TO_DATE: N_("up to date"),
    Status.ALERT: N_("on alert"),
    Status.DELAY: N_("in delay (extension granted)"),
    Status.SUSPENDED: N_("suspended"),
    Status.ON_LEAVE: N_("on leave"),
    Status.EXEMPTED: N_("exempted"),
    Status.FROZEN: N_("frozen"),
    Status.UNSUBSCRIBED: N_("unsubscribed"),
    Status.RESIGNING: N_("resigning"),
    Status.BLOCKED: N_("blocked"),
    Status.UNPAID: N_("shares not paid"),
    Status.NOT_CONCERNED: N_("not a working member"),
}

REASON: Mapping[Reason, str] = {
    Reason.UP_TO_DATE: N_("Up to date with shifts."),
    Reason.ALERT: N_("On alert: a missed shift must be made up."),
    Reason.DELAY: N_("In delay: an extension was granted to make up missed shifts."),
    Reason.SUSPENDED: N_("Suspended: missed shifts were not made up in time."),
    Reason.ON_LEAVE: N_("On leave: members on leave do not shop."),
    Reason.EXEMPTED: N_("Exempted from shifts."),
    Reason.FROZEN: N_("Frozen: too many shifts owed for too long."),
    Reason.UNSUBSCRIBED: N_("Unsubscribed from shifts: no regular slot any more."),
    Reason.RESIGNING: N_("Leaving the coop."),
    Reason.BLOCKED: N_("Blocked by the coop."),
    Reason.UNPAID: N_("Shares not paid."),
    Reason.NOT_CONCERNED: N_("Not a working member."),
    Reason.NO_ACCOUNT: N_("No member account."),
    Reason.INVESTING: N_("Investing member only: investing members do not shop."),
    Reason.PAUSED: N_("Membership paused."),
    Reason.NOT_A_MEMBER: N_("Not a member (any more)."),
    Reason.NOT_YET_MEMBER: N_("Not a member yet: the membership starts later."),
    Reason.SHARE_DOES_NOT_ALLOW_SHOPPING: N_("This kind of share does not allow shopping."),
    Reason.IN_ALERT: N_("On alert: book a make-up shift soon."),
    Reason.IN_DELAY: N_("In delay: the extension ends soon, book a make-up shift."),
    Reason.OWES_SHIFTS: N_("Shifts are owed."),
    Reason.FREEZE_PENDING: N_("Will be frozen unless shifts are booked."),
    Reason.NO_WELCOME_SESSION: N_("Has not attended the welcome session yet."),
    Reason.FORCED_CUSTOMER: N_("Allowed to shop by a decision of the coop."),
}

REFUSAL: Mapping[Refusal, str] = {
    Refusal.OUT_OF_ORDER: N_(
        "The shift records of this member are already dated later than that day."
    ),
    Refusal.WRONG_REF: N_("Internal mismatch in the shift records."),
    Refusal.ABOVE_CAP: N_("The counter of a regular member cannot go above zero."),
    Refusal.BAD_DATES: N_("The end date is before the start date."),
    Refusal.GRACE_NOT_AVAILABLE: N_("This coop's rules have no grace delay."),
    Refusal.EXTENSION_NOT_AVAILABLE: N_("This coop's rules have no extensions."),
    Refusal.FREEZE_NOT_AVAILABLE: N_("This coop's rules have no freezing."),
    Refusal.NOT_SUSPENDED: N_("A grace delay is only for a suspended member."),
    Refusal.NO_ALERT: N_("The member owes no shift: there is nothing to extend."),
    Refusal.ALREADY_EXTENDED: N_("The member already had an extension for this alert."),
    Refusal.NO_GRACE_YET: N_("A longer extension comes after a grace delay."),
    Refusal.GRACE_NOT_EXPIRED: N_("The grace delay is still running."),
    Refusal.NO_LEAVE: N_("The member has no leave running."),
    Refusal.REDUCTION_REFUSED: N_("A reduced deduction is not allowed now."),
    Refusal.ALREADY_FROZEN: N_("The member is already frozen."),
    Refusal.NOT_FROZEN: N_("The member is not frozen."),
    Refusal.BOOKING_DAY_LIMIT: N_("Too many shifts booked on that day."),
    Refusal.BOOKING_WINDOW_LIMIT: N_("Too many shifts booked in that period."),
}

ATTENDANCE: Mapping[AttendanceState, str] = {
    AttendanceState.PENDING: N_("booked"),
    AttendanceState.ATTENDED: N_("attended"),
    AttendanceState.MISSED: N_("missed"),
    AttendanceState.EXCUSED: N_("excused"),
    AttendanceState.CANCELLED: N_("cancelled"),
}

MODE: Mapping[WorkMode, str] = {
    WorkMode.REGULAR: N_("regular (fixed slot)"),
    WorkMode.FLYING: N_("flying"),
    WorkMode.EXEMPT: N_("exempt"),
}

HOLIDAY: Mapping[Holiday, str] = {
    Holiday.NEW_YEAR: N_("New Year's Day"),
    Holiday.GOOD_FRIDAY: N_("Good Friday"),
    Holiday.EASTER_MONDAY: N_("Easter Monday"),
    Holiday.LABOUR_DAY: N_("Labour Day"),
    Holiday.VICTORY_1945: N_("Victory in Europe Day"),
    Holiday.ASCENSION: N_("Ascension Day"),
    Holiday.WHIT_MONDAY: N_("Whit Monday"),
    Holiday.BASTILLE_DAY: N_("Bastille Day"),
    Holiday.ASSUMPTION: N_("Assumption Day"),
    Holiday.ALL_SAINTS: N_("All Saints' Day"),
    Holiday.ARMISTICE: N_("Armistice Day"),
    Holiday.CHRISTMAS: N_("Christmas Day"),
    Holiday.SAINT_STEPHEN: N_("Saint Stephen's Day"),
}

WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def status(value: Status) -> str:
    return _(STATUS[value])


def reason(value: Reason) -> str:
    return _(REASON[value])


def refusal(value: Refusal) -> str:
    return _(REFUSAL[value])


def attendance(value: AttendanceState | str) -> str:
    return _(ATTENDANCE[AttendanceState(value)])


def mode(value: WorkMode | str) -> str:
    return _(MODE[WorkMode(value)])


def holiday(code: str) -> str:
    try:
        return _(HOLIDAY[Holiday(code)])
    except ValueError:
        return code


ROLES = {
    "shift_leader": N_("shift leader"),
    "cashier": N_("cashier"),
}
"""The usual roles; a coop may invent others (written as typed, underscores as spaces)."""


def role(code: str | None) -> str:
    """A role in words ("shift_leader" → "responsable"); "" for none."""
    if not code:
        return ""
    known = ROLES.get(code)
    return _(known) if known else code.replace("_", " ")


def roles(codes: Iterable[str]) -> str:
    """Several roles in words, comma-separated; "—" for none."""
    return ", ".join(role(code) for code in codes) or "—"


def shift_ref(shift: Any) -> str:
    """A shift as sentences name it: its day and hours with its number for the command line
    ("du samedi 19 décembre 2026, 09:00–12:00 (n° 145)"), never the number alone."""
    from coop.clock import SHOP_TIMEZONE

    return _("of {day}, {start}–{end} (no. {id})").format(
        day=format_date(shift.day, "full"),
        start=f"{shift.starts_at.astimezone(SHOP_TIMEZONE):%H:%M}",
        end=f"{shift.ends_at.astimezone(SHOP_TIMEZONE):%H:%M}",
        id=shift.id,
    )


def weekday(number: int) -> str:
    return _(WEEKDAYS[number])


_OWED_AS_MAKEUP = (Counter.STANDARD, Counter.REGULAR, Counter.COMPENSATION)


def counters(
    policy: ShiftPolicy, values: Counters, fix_by: date | None = None
) -> list[dict[str, object]]:
    """Each counter in use, as {counter, value, text}: "2 make-up shifts to do before 12/03/2027".

    ``fix_by`` is the last day to act; the sentence names the day after it ("before" that day).
    Fixed-slot counters owe make-ups; the flying counter and Tapir's balance owe shifts.
    """
    before = format_date(fix_by + timedelta(days=1)) if fix_by else None
    result: list[dict[str, object]] = []
    for counter in policy.counters:
        value = values.get(counter)
        if value < 0:
            count = -value
            if counter in _OWED_AS_MAKEUP:
                text = (
                    ngettext(
                        "{count} make-up shift to do before {date}",
                        "{count} make-up shifts to do before {date}",
                        count,
                    )
                    if before
                    else ngettext(
                        "{count} make-up shift to do", "{count} make-up shifts to do", count
                    )
                )
            else:
                text = (
                    ngettext(
                        "{count} shift to do before {date}",
                        "{count} shifts to do before {date}",
                        count,
                    )
                    if before
                    else ngettext("{count} shift to do", "{count} shifts to do", count)
                )
            text = text.format(count=count, date=before)
        elif value > 0:
            text = ngettext(
                "{count} shift done in advance", "{count} shifts done in advance", value
            ).format(count=value)
        else:
            text = _("no shift owed")
        result.append({"counter": counter.value, "value": value, "text": text})
    return result


def summary(policy: ShiftPolicy, values: Counters, fix_by: date | None = None) -> str:
    """The counters as one sentence, leaving out the ones at zero unless all are."""
    parts = [item for item in counters(policy, values, fix_by) if item["value"]]
    if not parts:
        return _("No shift owed.")
    return "; ".join(str(item["text"]) for item in parts) + "."


def to_do(policy: ShiftPolicy, values: Counters, fix_by: date | None, then: Status | None) -> str:
    """What to do and by when in one sentence with one date, the last day to act: "2 make-up
    shifts to do by 17/12/2026 at the latest, or the status becomes: suspended." """
    owed = summary(policy, values)
    if fix_by is None:
        return owed
    last = format_date(fix_by)
    if not any(item["value"] for item in counters(policy, values)):
        owed = ""
    if then is None:
        if owed:
            return _("{owed} by {date} at the latest.").format(owed=owed.rstrip("."), date=last)
        return _("To do by {date} at the latest.").format(date=last)
    if owed:
        return _("{owed} by {date} at the latest, or the status becomes: {status}.").format(
            owed=owed.rstrip("."), date=last, status=status(then)
        )
    return _("Act by {date} at the latest, or the status becomes: {status}.").format(
        date=last, status=status(then)
    )


COUNTER: Mapping[Counter, str] = {
    Counter.STANDARD: N_("fixed-slot counter"),
    Counter.FTOP: N_("flying counter"),
    Counter.REGULAR: N_("regular counter"),
    Counter.COMPENSATION: N_("make-up counter"),
    Counter.BALANCE: N_("shift balance"),
}

ENTRY: Mapping[str, str] = {
    "attendance": N_("shift {state}"),
    "closure": N_("closure: absence compensated"),
    "cycle": N_("new cycle: one shift due"),
    "reversal": N_("correction of an earlier entry"),
    "cap": N_("capped: a fixed-slot counter never goes above zero"),
    "manual": N_("manual entry"),
    "welcome": N_("welcome session"),
    "solidarity": N_("solidarity shift"),
}


def counter_name(value: Counter | str) -> str:
    return _(COUNTER[Counter(value)])


def entry(kind: str, detail: str = "") -> str:
    """One ledger entry in words: "shift missed", "new cycle: one shift due"..."""
    text = _(ENTRY.get(kind, kind))
    if kind == "attendance":
        try:
            state = attendance(detail)
        except ValueError:
            state = detail
        return text.format(state=state)
    return text


def generation_words(report: Any, first: date, last: date) -> str:
    """What a generation run did, in one sentence (the CLI and the coordinator screen)."""
    return _(
        "Shifts from {first} to {last}: {created} created ({closed} on closed days),"
        " {updated} updated to follow their template, {removed} removed, {unchanged}"
        " unchanged; {booked} fixed-slot bookings."
    ).format(
        first=format_date(first),
        last=format_date(last),
        created=report.created,
        closed=report.closed,
        updated=report.updated,
        removed=report.removed + report.cancelled,
        unchanged=report.unchanged,
        booked=report.holders_booked,
    )
