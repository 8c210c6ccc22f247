"""The counter's work, without the UI: the queue of basket operations and the jobs its workers
run (a scan, a member, a return, a refund, a discount, the till, a sale).

``OperationQueue`` runs the cashier's operations one at a time, in order: a fast scanner never
overtakes itself and a second scan never reads a basket the first has not finished. Each job
is one call into the core's basket API (``coop.till.basket_service``) with a Session and the
basket as it is, and returns the new basket (``Changed``) or what the screen must ask
(``MemberScanned``, ``WeightNeeded``) or say (``ScanRefused``). Nothing here imports Textual:
``tui.screens.counter`` runs these in thread workers.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from coop.audit import Actor
from coop.config import Settings
from coop.i18n import _
from coop.money import format_money

if TYPE_CHECKING:
    from coop.nomenclature import NomenclatureRule
    from coop.till.basket import OpenBasket
    from coop.till.pricing import Discount
    from coop.till.registry import SessionView
    from coop.till.requests import RefundRequest
    from coop.till.z_backup import ZBackup


class OperationQueue:
    """The cashier's operations (a scan, a change, paying), run one at a time in order.

    An operation starts its work and, when the work is done (shown or refused), the screen
    calls ``run_next``; ``retry_current`` runs the current one again (after an override)."""

    def __init__(self) -> None:
        self.pending: deque[Callable[[], None]] = deque()
        self.busy = False
        self.current: Callable[[], None] | None = None

    def enqueue(self, operation: Callable[[], None]) -> None:
        self.pending.append(operation)
        if not self.busy:
            self.run_next()

    def run_next(self) -> None:
        if not self.pending:
            self.busy = False
            self.current = None
            return
        self.busy = True
        self.current = self.pending.popleft()
        self.current()

    def retry_current(self) -> None:
        if self.current is not None:
            self.current()
        else:
            self.run_next()


@dataclass(frozen=True)
class Changed:
    """The basket the core accepted, what to say, and the gesture of the line it touched."""

    basket: OpenBasket
    said: str = ""
    gesture: int = 0
    balance_cents: int | None = None
    overdraft_cents: int = 0
    member_set: bool = False


@dataclass(frozen=True)
class MemberScanned:
    """A member card was scanned while the basket is another member's: ask before moving it."""

    query: str
    number: int
    name: str


@dataclass(frozen=True)
class WeightNeeded:
    """A product sold by weight was scanned without a scale label: ask its weight."""

    code: str
    name: str


NAME_MAX = 40
"""Words typed in the scan field up to this length (no digit) are looked up by name."""


@dataclass(frozen=True)
class ScanRefused:
    message: str
    query: str = ""
    """Words typed in the scan field that are no code: the product search opens with them."""


@dataclass(frozen=True)
class Shop:
    """What every counter job needs: the settings, who works the till, and the time."""

    settings: Settings
    actor: Actor
    now: datetime


class Rules:
    """The nomenclature, loaded by the first scan and kept (it changes with a restart)."""

    def __init__(self) -> None:
        self.loaded: Sequence[NomenclatureRule] | None = None

    def get(self, session: Session) -> Sequence[NomenclatureRule]:
        from coop.catalog import scan as scanning

        if self.loaded is None:
            self.loaded = scanning.load_rules(session)
        return self.loaded


def set_member(session: Session, shop: Shop, query: str, basket: OpenBasket) -> Changed:
    """The member scanned or chosen: their desk check (once), account, the basket repriced."""
    from coop.accounts import service as accounts
    from coop.members.models import Member
    from coop.till import basket_service

    changed = basket_service.set_member(
        session, basket, query, settings=shop.settings, now=shop.now
    )
    assert changed.member is not None
    member = session.get(Member, changed.member.member_id)
    account = accounts.get_account(session, member) if member is not None else None
    return Changed(
        changed,
        balance_cents=account.balance_cents if account is not None else None,
        overdraft_cents=accounts.overdraft_of(account, shop.settings.accounts)
        if account is not None
        else 0,
        member_set=True,
    )


def said_for(basket: OpenBasket, gesture: int) -> str:
    line = basket.line_of(gesture)
    if line is None:
        return ""
    return _("{label}: {amount}").format(
        label=line.line.label, amount=format_money(line.line.amount_cents)
    )


def scan(
    session: Session,
    shop: Shop,
    text: str,
    basket: OpenBasket,
    rules: Rules,
    *,
    grams: int | None = None,
    touched: int = 0,
) -> Changed | MemberScanned | WeightNeeded | ScanRefused:
    """What a scan does to the basket: an item, a discount label, a member card, or why not."""
    from coop.errors import InvalidInput
    from coop.till import basket_service
    from coop.till.basket_service import Outcome

    try:
        done = basket_service.scan(
            session,
            basket,
            text,
            settings=shop.settings,
            rules_loaded=rules.get(session),
            grams=grams,
            touched=touched,
        )
    except InvalidInput as error:
        message = "; ".join(problem.message for problem in error.problems)
        words = text.strip()
        if (
            len(words) <= NAME_MAX
            and any(ch.isalpha() for ch in words)
            and not any(ch.isdigit() for ch in words)
        ):
            return ScanRefused(
                _("No item has the code “{text}”: looking it up by name.").format(text=words), words
            )
        return ScanRefused(message)
    if done.outcome is Outcome.MEMBER:
        current = basket.member
        if current is None or basket.empty or current.number == done.number:
            return set_member(session, shop, text, basket)
        return MemberScanned(text, done.number, done.name)
    basket_service.check_till(session, shop.settings)  # one query: said at the first item
    if done.outcome is Outcome.WEIGHT_NEEDED:
        return WeightNeeded(text, done.name)
    if done.outcome is Outcome.DISCOUNT:
        said = _("Discount label: -{percent} % on the item before it").format(percent=done.name)
        return Changed(done.basket, said, done.gesture)
    return Changed(done.basket, said_for(done.basket, done.gesture), done.gesture)


def add_return(
    session: Session, shop: Shop, basket: OpenBasket, code: str, count: int, rules: Rules
) -> Changed:
    from coop.till import basket_service

    changed = basket_service.add_return(
        session, basket, code, count, settings=shop.settings, rules_loaded=rules.get(session)
    )
    return Changed(
        changed,
        _("Containers brought back: {count}").format(count=count),
        changed.last_gesture,
    )


def add_refund(
    session: Session, shop: Shop, basket: OpenBasket, refund: RefundRequest, member: str | None
) -> Changed:
    """A refund; a basket without a member takes the original sale's member first."""
    from coop.till import basket_service

    result = None
    if basket.member is None and member:
        result = set_member(session, shop, member, basket)
        basket = result.basket
    changed = basket_service.add_refund(session, basket, refund, settings=shop.settings)
    line = changed.line_of(changed.last_gesture)
    said = _("Refund: {label} (sale {number})").format(
        label=line.line.label if line is not None else "", number=refund.sale_number
    )
    if result is not None:
        return Changed(
            changed,
            said,
            changed.last_gesture,
            result.balance_cents,
            result.overdraft_cents,
            member_set=True,
        )
    return Changed(changed, said, changed.last_gesture)


def change_refund(
    session: Session, shop: Shop, basket: OpenBasket, gesture: int, quantity: int
) -> Changed:
    from coop.till import basket_service

    changed = basket_service.change_refund(
        session, basket, gesture, quantity, settings=shop.settings
    )
    return Changed(changed, _("Quantity changed."), gesture)


def discount(
    session: Session,
    shop: Shop,
    basket: OpenBasket,
    gesture: int | None,
    given: Discount,
    authorised_by: int | None,
) -> Changed:
    from coop.till import basket_service

    changed = basket_service.discount(
        session, basket, gesture, given, authorised_by, settings=shop.settings, actor=shop.actor
    )
    said = _("Discount on the sale.") if gesture is None else _("Discount on the line.")
    return Changed(changed, said, gesture or 0)


@dataclass(frozen=True)
class TillState:
    """The till's state for the status line: its open session (None: closed)."""

    code: str
    session: SessionView | None

    @property
    def open(self) -> bool:
        return self.session is not None


def till_state(session: Session, code: str) -> TillState:
    """The till's state for the status line: open (since when, float) or closed."""
    from sqlalchemy import select

    from coop.till import registry
    from coop.till.models import Till

    till = session.scalar(select(Till).where(Till.code == code))
    current = registry.open_session_of(session, till) if till is not None else None
    if current is None or till is None:
        return TillState(code, None)
    return TillState(code, registry.session_view(current, till))


def open_till(session: Session, shop: Shop, count: Any) -> SessionView:
    from coop.till import registry, sessions

    row = sessions.open_session(
        session,
        till_code=None,
        count=count,
        settings=shop.settings.till,
        actor=shop.actor,
        now=shop.now,
    )
    return registry.session_view(row)


@dataclass(frozen=True)
class Closed:
    """The till closed: its session, the till and day of the report, the day's report (the Z's
    plain form, which the Z's layout reads) and the Z's automatic backup, when a Z was taken."""

    session: SessionView
    till: str
    day: date
    report: dict[str, Any]
    backup: ZBackup | None


def close_till(session: Session, shop: Shop, count: Any, take_z: bool) -> Closed:
    """Close the till's session (and take the day's Z when asked): the session, the day's report,
    the Z's automatic backup (written once this transaction commits, as from the CLI)."""
    from coop import paths
    from coop.clock import local_date
    from coop.till import closing, registry, sessions, z_backup
    from coop.till.models import Till

    settings, now = shop.settings, shop.now
    row = sessions.close_session(
        session, till_code=None, counted=count, settings=settings.till, actor=shop.actor, now=now
    )
    till = session.get(Till, row.till_id)
    assert till is not None
    data = registry.session_view(row, till)
    day = local_date(now)
    if take_z:
        closing.take_day_closure(
            session,
            till_code=till.code,
            day=day,
            settings=settings.till,
            actor=shop.actor,
            now=now,
        )
        saved = z_backup.after_commit(
            session, folder=paths.data_dir() / "backups", keep=settings.till.backups_kept, now=now
        )
    report = closing.report_day(session, day=day, till_code=till.code)[0]
    return Closed(data, till.code, day, report, saved if take_z else None)


@dataclass(frozen=True)
class Recorded:
    """A sale recorded: its till and number, the change to give, and the receipt's plain form
    (``Receipt.as_dict()``, which the receipt's layout reads, as for the PDF)."""

    till: str
    number: int
    change_cents: int
    receipt: dict[str, Any]


def commit(session: Session, shop: Shop, basket: OpenBasket, tenders: tuple[Any, ...]) -> Recorded:
    """Record the sale (one transaction; the basket's token refuses a second commit)."""
    from coop.till import basket_service

    receipt = basket_service.commit(
        session, basket, tenders, settings=shop.settings, actor=shop.actor, now=shop.now
    )
    return Recorded(
        receipt.till, receipt.number, receipt.settlement.change_cents, receipt.as_dict()
    )
