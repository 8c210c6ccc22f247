"""The database work of the coordinator's actions: each function takes a Session (a worker's,
one transaction) and returns plain values for the screen. Only core services decide anything."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from coop.audit import Actor
from coop.clock import local_date
from coop.config import Settings
from coop.dates import format_date
from coop.errors import CoopError, InvalidInput, Problem
from coop.i18n import _, ngettext
from coop.members.service import FoundBy
from coop.shifts.desk import DeskCheck, Person

if TYPE_CHECKING:
    from coop.shifts.planning import ShiftRow


@dataclass(frozen=True)
class CardLine:
    barcode: str
    issued_on: date
    ended_on: date | None
    reason: str | None


@dataclass(frozen=True)
class LedgerLine:
    day: date
    delta: int
    counter: str
    """The counter's name, in words."""
    text: str
    """What the entry was, in words."""
    note: str | None


@dataclass(frozen=True)
class MemberView:
    """A member as the coordinator sees them: details (the form's values), household, cards,
    the desk check and the shift ledger in words."""

    number: int
    name: str
    fields: dict[str, str]
    category: str
    joined_on: date
    left_on: date | None
    main: bool
    household: list[Person]
    cards: list[CardLine]
    check: DeskCheck
    ledger: list[LedgerLine]


def member_view(session: Session, number: int, *, settings: Settings, at: datetime) -> MemberView:
    """A member's details, household, cards, status and shift ledger in words."""
    from coop.members import service as members
    from coop.shifts import desk, words
    from coop.shifts.service import ledger_of

    member = members.get_by_number(session, number)
    return MemberView(
        number=member.number,
        name=member.full_name,
        fields={
            "first_name": member.first_name,
            "last_name": member.last_name,
            "email": member.email or "",
            "phone": member.phone or "",
            "street": member.street or "",
            "postcode": member.postcode or "",
            "city": member.city or "",
        },
        category=member.category.code,
        joined_on=member.joined_on,
        left_on=member.left_on,
        main=member.main_member_id is None,
        household=[
            Person(m.number, m.full_name, m.main_member_id is None)
            for m in members.household(session, member)
        ],
        cards=[
            CardLine(card.barcode, card.issued_on, card.ended_on, card.end_reason)
            for card in members.cards(session, member)
        ],
        check=desk.check(
            session,
            str(number),
            at=at,
            settings=settings.shifts,
            membership=settings.membership,
        ),
        ledger=[
            LedgerLine(
                entry.day,
                entry.delta,
                words.counter_name(entry.counter),
                words.entry(entry.kind, entry.detail),
                entry.note,
            )
            for entry in ledger_of(session, member.id)
        ],
    )


def find_number(session: Session, query: str) -> int:
    """A member number from a number or a card (a name is not precise enough here)."""
    from coop.members import service as members

    found = members.find(session, query)
    if found.by is FoundBy.NAME or not found.members:
        raise CoopError(_("Scan a member card or type a member number."))
    return found.members[0].number


def edit_member(
    session: Session, number: int, values: dict[str, str], *, actor: Actor, now: datetime
) -> int:
    from coop.members import service as members

    member = members.get_by_number(session, number)
    changes: dict[str, Any] = {}
    for key, value in values.items():
        required = key in ("first_name", "last_name")
        if required and not value:
            raise InvalidInput([Problem(_("a value is required"), column=key)])
        new = value if required else value or None
        if getattr(member, key) != new:
            changes[key] = new
    if changes:
        members.update_member(session, member, changes, actor=actor, now=now)
    return len(changes)


def set_household(
    session: Session,
    number: int,
    main_query: str,
    *,
    settings: Settings,
    actor: Actor,
    now: datetime,
) -> int | None:
    from coop.members import service as members

    member = members.get_by_number(session, number)
    main = None
    if main_query:
        main = members.get_by_number(session, find_number(session, main_query))
    members.set_household(session, member, main, actor=actor, now=now, settings=settings.members)
    return main.number if main else None


def card_lost(
    session: Session, number: int, *, settings: Settings, actor: Actor, now: datetime
) -> str:
    from coop.members import service as members

    member = members.get_by_number(session, number)
    return members.replace_lost_card(
        session, member, actor=actor, now=now, settings=settings.members
    ).barcode


@dataclass(frozen=True)
class Week:
    """The shifts of the week starting ``monday``, with their places taken."""

    monday: date
    rows: list[ShiftRow]


def week(session: Session, monday: date) -> Week:
    """The shifts of a week with their places taken (the list ``coop shifts list`` prints)."""
    from coop.shifts.planning import shift_rows

    return Week(monday, shift_rows(session, monday, monday + timedelta(6)))


def generate(
    session: Session, first: date, last: date, *, settings: Settings, actor: Actor, now: datetime
) -> str:
    from coop.shifts.generation import generate as run
    from coop.shifts.words import generation_words

    report = run(session, first=first, last=last, settings=settings.shifts, actor=actor, now=now)
    return generation_words(report, first, last)


def closure(
    session: Session,
    first: date,
    last: date,
    label: str,
    *,
    settings: Settings,
    actor: Actor,
    now: datetime,
) -> str:
    from coop.shifts.cancelling import add_closure

    report = add_closure(
        session,
        starts_on=first,
        ends_on=last,
        label=label,
        settings=settings.shifts,
        actor=actor,
        now=now,
    )
    return _(
        "Closed from {first} to {last} ({label}): {shifts} shifts cancelled,"
        " {bookings} bookings handled."
    ).format(
        first=format_date(first),
        last=format_date(last),
        label=label,
        shifts=report.shifts,
        bookings=report.bookings,
    )


def _quantity(product: Any, text: str) -> int:
    from coop.stock import service

    try:
        return service.parse_quantity(product, text)
    except ValueError as error:
        raise InvalidInput([Problem(str(error), column=_("Quantity"))]) from error


def receive(
    session: Session,
    code: str,
    quantity: str,
    cost_cents: int | None,
    *,
    actor: Actor,
    now: datetime,
) -> str:
    from coop.stock import service

    product = service.product_for(session, code)
    service.receive(
        session,
        [service.ReceiptLine(product, _quantity(product, quantity), cost_cents)],
        actor=actor,
        now=now,
    )
    level = service.format_quantity(product, service.level_of(session, product))
    return _("{name}: received, now {quantity} in stock.").format(name=product.name, quantity=level)


@dataclass(frozen=True)
class NoInventory:
    """No inventory is under way: the screen asks before starting one."""


def count(
    session: Session,
    code: str,
    quantity: str,
    *,
    start: bool,
    actor: Actor,
    now: datetime,
) -> str | NoInventory:
    from coop.stock import inventories, service

    product = service.product_for(session, code)
    if inventories.open_inventory(session) is None:
        if not start:
            return NoInventory()
        inventories.start_inventory(
            session,
            label=_("Inventory of {date}").format(date=format_date(local_date(now))),
            actor=actor,
            now=now,
        )
    (row,) = inventories.record_counts(session, {code: quantity}, actor=actor, now=now)
    difference = row.counted - row.expected
    return _(
        "{name}: counted {counted}, the books said {expected} (difference {difference})."
    ).format(
        name=product.name,
        counted=service.format_quantity(product, row.counted),
        expected=service.format_quantity(product, row.expected),
        difference=("+" if difference > 0 else "") + service.format_quantity(product, difference)
        if difference
        else "0",
    )


def _inventory_words(report: Any) -> str:
    """An inventory report in words: what was counted, each difference and its value at cost."""
    from coop.money import format_money
    from coop.stock import service

    differing = [line for line in report.lines if line.difference]
    lines = [
        _("Inventory “{label}”, started on {date}.").format(
            label=report.inventory.label,
            date=format_date(local_date(report.inventory.started_at)),
        ),
        ngettext(
            "{count} product counted, {differences}.",
            "{count} products counted, {differences}.",
            len(report.lines),
        ).format(
            count=len(report.lines),
            differences=ngettext(
                "{count} with a difference", "{count} with a difference", len(differing)
            ).format(count=len(differing))
            if differing
            else _("none with a difference"),
        ),
    ]
    for line in differing:
        product = line.product
        difference = service.format_quantity(product, line.difference)
        value = line.value_cents
        lines.append(
            "  "
            + _(
                "{name}: counted {counted}, the books said {expected}: difference {difference},"
                " {value}."
            ).format(
                name=product.name,
                counted=service.format_quantity(product, line.counted),
                expected=service.format_quantity(product, line.expected),
                difference=("+" if line.difference > 0 else "") + difference,
                value=_("cost unknown")
                if value is None
                else _("worth {amount} at cost").format(amount=format_money(value)),
            )
        )
    lines.append(
        _("At cost: gains {gain}, losses {loss}, net {net}.").format(
            gain=format_money(report.gain_cents),
            loss=format_money(report.loss_cents),
            net=format_money(report.net_cents),
        )
    )
    return "\n".join(lines)


def inventory_preview(session: Session) -> str | NoInventory:
    """The inventory under way in words, before it is closed."""
    from coop.stock import inventories

    if inventories.open_inventory(session) is None:
        return NoInventory()
    return _inventory_words(inventories.inventory_report(session))


def close_inventory(session: Session, *, actor: Actor, now: datetime) -> str:
    """Book the differences of the inventory under way (the core's ``close_inventory``)."""
    from coop.stock import inventories

    report = inventories.close_inventory(session, actor=actor, now=now)
    return (
        _inventory_words(report)
        + "\n\n"
        + _("The inventory is closed: the differences are booked in the stock.")
    )
