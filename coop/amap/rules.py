"""AMAP rules, pure (no Session, no I/O, no clock): calendars, collectors, cheque splits, absences.

Each function restates a rule of the reference study (``reference/amap.md`` §3), named after it:
R1/R2 delivery calendars, R7 amounts, R10 shared-basket turns, R11–R16 cheque splits and cashing
dates, R17 the ledger, R18/R20/R21 absences, deadlines and donations. Money is integer cents;
"whole euros" means a multiple of 100 cents. Dates are calendar dates, never datetimes.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

MAX_OCCURRENCES = 400
"""Safety cap on a generated calendar (Cagette caps at 100; a weekly 7-year season is 365)."""

FACTOR_ONE = 100
"""Date factors are stored in hundredths: 100 = one basket, 200 = double, 50 = half."""


class Recurrence(StrEnum):
    WEEKLY = "weekly"
    EVERY_N_WEEKS = "every_n_weeks"
    MONTHLY = "monthly"
    LIST = "list"


class ContractKind(StrEnum):
    FIXED = "fixed"
    VARIABLE = "variable"


class SplitStrategy(StrEnum):
    AMAPRESS = "amapress"
    PERCENTAGES = "percentages"
    MONTHLY = "monthly"
    AMAPJ = "amapj"
    EQUAL = "equal"


class Means(StrEnum):
    CHEQUE = "cheque"
    TRANSFER = "transfer"
    CASH = "cash"
    LOCAL_CURRENCY = "local_currency"


class ChequeState(StrEnum):
    """attendu → reçu → remis au producteur."""

    EXPECTED = "expected"
    RECEIVED = "received"
    HANDED_OVER = "handed_over"


class BasketStatus(StrEnum):
    DUE = "due"
    ABSENT = "absent"
    DONATED = "donated"


class DonationTarget(StrEnum):
    KEEPER = "keeper"
    PARTNER = "partner"


class Refusal(StrEnum):
    """Why an absence or a donation is refused (words.py turns these into sentences)."""

    PAST = "past"
    NOT_DELIVERED = "not_delivered"
    OUTSIDE_WINDOW = "outside_window"
    LIMIT = "limit"
    DOUBLED = "doubled"
    ALREADY_ABSENT = "already_absent"
    ALREADY_DONATED = "already_donated"
    AFTER_DEADLINE = "after_deadline"
    NO_ABSENCES = "no_absences"


# --- R1, R2: generating delivery dates -------------------------------------------------------


def every_weeks(
    start: date, end: date, weeks: int = 1, *, anchor: date | None = None
) -> list[date]:
    """R1: anchor (default start), then every ``weeks`` × 7 days; start and end inclusive."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    step = timedelta(days=7 * weeks)
    current = anchor or start
    if current < start:  # first occurrence of the anchor's rhythm on or after start
        current += step * -(-(start - current).days // step.days)
    out: list[date] = []
    while current <= end and len(out) < MAX_OCCURRENCES:
        out.append(current)
        current += step
    return out


def weekday_ordinal(day: date) -> int:
    """1 for the first such weekday of the month … 5 for the fifth."""
    return (day.day - 1) // 7 + 1


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th ``weekday`` (Monday = 0) of a month; a missing 5th is the (n−1)-th, the last."""
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    day = 1 + offset + 7 * (n - 1)
    if day > calendar.monthrange(year, month)[1]:
        day -= 7
    return date(year, month, day)


def monthly(start: date, end: date) -> list[date]:
    """R2: the start's ordinal weekday (e.g. 5th Tuesday) in every following month until end."""
    n, weekday = weekday_ordinal(start), start.weekday()
    out: list[date] = []
    year, month = start.year, start.month
    while len(out) < MAX_OCCURRENCES:
        day = nth_weekday(year, month, weekday, n)
        if day > end:
            break
        if day >= start:
            out.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def generate_dates(
    recurrence: Recurrence,
    start: date,
    end: date,
    *,
    weeks: int = 1,
    anchor: date | None = None,
    dates: Iterable[date] = (),
    skip: Iterable[date] = (),
) -> list[date]:
    """The delivery dates of a rule, start and end inclusive, without the skipped dates."""
    if recurrence is Recurrence.WEEKLY:
        found = every_weeks(start, end, 1, anchor=anchor)
    elif recurrence is Recurrence.EVERY_N_WEEKS:
        found = every_weeks(start, end, weeks, anchor=anchor)
    elif recurrence is Recurrence.MONTHLY:
        found = monthly(anchor or start, end)
    else:
        found = sorted(set(dates))
    skipped = set(skip)
    return [day for day in found if day not in skipped]


def outside_season(days: Iterable[date], start: date, end: date) -> list[date]:
    """R5: delivery dates that fall outside the contract's season."""
    return sorted(day for day in days if day < start or day > end)


# --- R7: amounts ------------------------------------------------------------------------------


def line_amount(price_cents: int, quantity: int, factor: int = FACTOR_ONE) -> int:
    """R7/R4: price × quantity × date factor (in hundredths), half a cent rounded up.

    The same integer formula runs in SQL ((p·q·f + 50) / 100) so both agree to the cent.
    """
    return (price_cents * quantity * factor + 50) // 100


def prorated_minimum(minimum_cents: int, own_deliveries: int, all_deliveries: int) -> int:
    """R9: the season minimum of a variable contract pro-rated to the member's deliveries."""
    if all_deliveries <= 0:
        return 0
    return minimum_cents * own_deliveries // all_deliveries


# --- R10: shared baskets ------------------------------------------------------------------------


def alternate_collectors(
    contract_dates: Sequence[date],
    holders: Sequence[int],
    *,
    invert: bool = False,
    only: Iterable[date] | None = None,
) -> dict[date, int]:
    """R10: count the contract's dates from its start; 1st → first holder, 2nd → second…

    With two holders, odd → primary, even → second; ``invert`` swaps. The result is meant to be
    stored per date, so that cancelling a date later does not flip the following turns.
    """
    if not holders:
        raise ValueError("a subscription has at least one holder")
    order = list(reversed(holders)) if invert else list(holders)
    wanted = None if only is None else set(only)
    return {
        day: order[index % len(order)]
        for index, day in enumerate(sorted(contract_dates))
        if wanted is None or day in wanted
    }


# --- R11–R16: splitting an amount into cheques --------------------------------------------------


def _whole_euros(cents: int) -> int:
    return cents // 100 * 100


def split_amapress(total: int, count: int) -> list[int]:
    """R11: equal cheques if T/n is a multiple of 0.50 €, else n−1 × ⌊T/n⌋ € and the rest."""
    _check(total, count)
    if total % count == 0 and (total // count) % 50 == 0:
        return [total // count] * count
    each = _whole_euros(total // count)
    return [each] * (count - 1) + [total - each * (count - 1)]


def split_percentages(total: int, percentages: Sequence[int] | None, count: int) -> list[int]:
    """R12: each cheque but the last ⌊T × p / 100⌋ whole euros, the last the remainder.

    Percentages are given per cheque; none given means 100/n each. They must add up to 100.
    """
    _check(total, count)
    if not percentages:
        body = [_whole_euros(total // count)] * (count - 1)
        return [*body, total - sum(body)]
    if len(percentages) != count:
        raise ValueError("one percentage per cheque")
    if sum(percentages) != 100:
        raise ValueError("the percentages must add up to 100")
    body = [_whole_euros(total * p // 100) for p in percentages[:-1]]
    return [*body, total - sum(body)]


def split_monthly(deliveries: Sequence[tuple[date, int]], count: int) -> list[tuple[int, int]]:
    """R13: one cheque per calendar month of deliveries, the month's amount; or one for all.

    Returns (year·12 + month, amount) per cheque, months in order; one cheque → month of the first.
    """
    by_month: dict[int, int] = {}
    for day, amount in sorted(deliveries):
        key = day.year * 12 + day.month - 1
        by_month[key] = by_month.get(key, 0) + amount
    if not by_month:
        return []
    if count == 1:
        return [(min(by_month), sum(by_month.values()))]
    return sorted(by_month.items())


def month_date(cashing_dates: Sequence[date], month_key: int) -> date | None:
    """R13: the first cashing date in that month, else the first cashing date."""
    year, month = divmod(month_key, 12)
    inside = sorted(d for d in cashing_dates if d.year == year and d.month == month + 1)
    if inside:
        return inside[0]
    return min(cashing_dates) if cashing_dates else None


def split_amapj(total: int, lines: int, minimum: int = 0) -> list[int]:
    """R15: AMAPJ "standard": whole euros spread evenly over the lines, with a minimum cheque."""
    _check(total, lines)
    out: list[int] = []
    assigned = 0
    for index in range(lines):
        left = total - assigned
        remaining_lines = lines - index
        intermediate = 0 < index < lines - 1
        if intermediate and assigned * lines >= (index + 1) * total:
            out.append(0)  # (a) ahead of the average: leave this month empty
            continue
        if left < minimum:  # (b) what is left is below the minimum: all of it here, stop
            out.append(left)
            out.extend([0] * (lines - index - 1))
            return out
        amount = (
            left if remaining_lines == 1 else max(_whole_euros(left // remaining_lines), minimum)
        )
        amount = min(amount, left)
        out.append(amount)
        assigned += amount
    return out


def split_equal(total: int, count: int) -> list[int]:
    """R16: every cheque ⌊T/n⌋ cents, the last takes the cent remainder."""
    _check(total, count)
    each = total // count
    return [each] * (count - 1) + [total - each * (count - 1)]


def _check(total: int, count: int) -> None:
    if count < 1:
        raise ValueError("at least one cheque")
    if total < 0:
        raise ValueError("a negative total cannot be split")


def split(
    strategy: SplitStrategy,
    total: int,
    count: int,
    *,
    percentages: Sequence[int] | None = None,
    minimum: int = 0,
) -> list[int]:
    """The amounts of ``count`` cheques for ``total`` under a contract's strategy (not monthly)."""
    if strategy is SplitStrategy.AMAPRESS:
        return split_amapress(total, count)
    if strategy is SplitStrategy.PERCENTAGES:
        return split_percentages(total, percentages, count)
    if strategy is SplitStrategy.AMAPJ:
        return split_amapj(total, count, minimum)
    if strategy is SplitStrategy.EQUAL:
        return split_equal(total, count)
    raise ValueError("the monthly strategy splits by delivery month (split_monthly)")


def resplit_open(
    strategy: SplitStrategy,
    total: int,
    fixed: Sequence[int],
    open_count: int,
    *,
    percentages: Sequence[int] | None = None,
    minimum: int = 0,
) -> list[int]:
    """Editing a plan: cheques already received stay as written; the rest share what is left."""
    left = total - sum(fixed)
    if open_count == 0:
        return []
    if left < 0:
        raise ValueError("the cheques already received exceed the amount due")
    if percentages and len(percentages) != open_count:
        percentages = None
    if strategy is SplitStrategy.MONTHLY:
        strategy = SplitStrategy.EQUAL
    return split(strategy, left, open_count, percentages=percentages, minimum=minimum)


def pick_cashing_dates(cashing: Mapping[date, int], count: int) -> list[date]:
    """R14: the dates with the fewest cheques already planned (ties → earliest), sorted.

    More cheques than dates go round again. ``cashing`` maps each planned date to its count.
    """
    if not cashing:
        return []
    ranked = sorted(cashing.items(), key=lambda item: (item[1], item[0]))
    chosen = [ranked[index % len(ranked)][0] for index in range(count)]
    return sorted(chosen)


@dataclass
class CashingBook:
    """R14 over many subscriptions at once: counts per date updated as cheques are planned."""

    counts: dict[date, int]

    def take(self, count: int) -> list[date]:
        chosen = pick_cashing_dates(self.counts, count)
        for day in chosen:
            self.counts[day] += 1
        return chosen


def parse_percentages(text: str) -> dict[int, list[int]]:
    """ "3:50,25,25;2:60,40" → {3: [50, 25, 25], 2: [60, 40]} (one list per cheque count)."""
    out: dict[int, list[int]] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        count_text, _sep, values = part.partition(":")
        numbers = [int(v) for v in values.split(",") if v.strip()]
        count = int(count_text)
        if len(numbers) != count or sum(numbers) != 100:
            raise ValueError(part)
        out[count] = numbers
    return out


# --- R17: the ledger -----------------------------------------------------------------------------


def is_paid(total: int, paid: int) -> bool:
    """R17: paid ⇔ payments ≥ total > 0."""
    return total > 0 and paid >= total


# --- R18, R20, R21: absences, deadlines, donations ----------------------------------------------


def change_deadline(delivery: date, deadline_weekday: int | None) -> date:
    """R20: delivery − ((delivery weekday − deadline weekday) mod 7) days; none → the day itself."""
    if deadline_weekday is None:
        return delivery
    return delivery - timedelta(days=(delivery.weekday() - deadline_weekday) % 7)


@dataclass(frozen=True)
class AbsencePolicy:
    """A contract's absence rules (R18): a window [start, end] and a maximum count."""

    max_count: int
    window_start: date | None = None
    window_end: date | None = None
    deadline_weekday: int | None = None


def absence_refusal(
    day: date,
    *,
    today: date,
    policy: AbsencePolicy,
    delivered: bool,
    factor: int,
    status: BasketStatus,
    used: int,
) -> Refusal | None:
    """R18/R20: why an absence on ``day`` is refused, or None when it is allowed."""
    if policy.max_count <= 0:
        return Refusal.NO_ABSENCES
    if not delivered:
        return Refusal.NOT_DELIVERED
    if day <= today or change_deadline(day, policy.deadline_weekday) < today:
        return Refusal.PAST if day <= today else Refusal.AFTER_DEADLINE
    if status is BasketStatus.ABSENT:
        return Refusal.ALREADY_ABSENT
    if status is BasketStatus.DONATED:
        return Refusal.ALREADY_DONATED
    if (policy.window_start and day < policy.window_start) or (
        policy.window_end and day > policy.window_end
    ):
        return Refusal.OUTSIDE_WINDOW
    if factor > FACTOR_ONE:
        return Refusal.DOUBLED
    if used >= policy.max_count:
        return Refusal.LIMIT
    return None


def default_absence_dates(
    window_dates: Sequence[date], count: int, *, last: bool = False
) -> list[date]:
    """R18: absences not picked by the member default to the first k (Cagette) or last k (CAMAP)."""
    ordered = sorted(window_dates)
    return ordered[-count:] if last and count else ordered[:count]


def donation_refusal(
    day: date,
    *,
    today: date,
    delivered: bool,
    status: BasketStatus,
    deadline_weekday: int | None = None,
) -> Refusal | None:
    """R21: a delivery may be given before the deadline, if delivered and not declared absent."""
    if not delivered:
        return Refusal.NOT_DELIVERED
    if day < today:
        return Refusal.PAST
    if change_deadline(day, deadline_weekday) < today:
        return Refusal.AFTER_DEADLINE
    if status is BasketStatus.ABSENT:
        return Refusal.ALREADY_ABSENT
    if status is BasketStatus.DONATED:
        return Refusal.ALREADY_DONATED
    return None


# --- R6: freezing --------------------------------------------------------------------------------


def calendar_frozen(kind: ContractKind, paid_subscriptions: int) -> bool:
    """R6: a fixed contract's dates freeze once one subscription is paid."""
    return kind is ContractKind.FIXED and paid_subscriptions > 0


# --- volunteers (R24, R25, R27) --------------------------------------------------------------


def volunteers_needed(place: int, extra: int, contracts: Iterable[int]) -> int:
    """R25: the place's count + this distribution's extra + Σ the delivered contracts' extras."""
    return max(place, 0) + max(extra, 0) + sum(max(c, 0) for c in contracts)


def _ceil_div(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator) if denominator > 0 else 0


def fair_share(
    generic_slots: int,
    members: int,
    contract_slots: Mapping[str, int],
    subscribers: Mapping[str, int],
    own_contracts: Iterable[str],
) -> int:
    """R24: ⌈generic slots / members⌉ + Σ over the member's contracts of
    ⌈that contract's slots / its subscribers⌉."""
    share = _ceil_div(generic_slots, members)
    for code in set(own_contracts):
        share += _ceil_div(contract_slots.get(code, 0), subscribers.get(code, 0))
    return share


def work_quota(per_year: int, active_days: int, year_days: int = 365) -> int:
    """R27 (juntagrico): round(per-year requirement × active days / days of the year), halves
    up: 10 a year, active 275 days ⇒ round(7.53) = 8."""
    if year_days <= 0 or active_days <= 0:
        return 0
    return (2 * per_year * active_days + year_days) // (2 * year_days)
