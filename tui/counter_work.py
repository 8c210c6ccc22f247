"""The counter's work, without the UI: the queue of basket operations and the jobs its workers
run (pricing, a scan, a member, the till, a sale).

``OperationQueue`` runs the cashier's operations one at a time, in order: a fast scanner never
overtakes itself and a second scan never reads a basket the first has not finished. Each job
takes a Session and plain values and returns plain values (``MemberFound``, ``Priced``,
``ScanRefused``…) that the screen shows; the calls into ``coop.till`` are the till's own API.
Nothing here imports Textual: ``tui.screens.counter`` runs these in thread workers.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from coop.audit import Actor
from coop.config import Settings
from coop.i18n import _
from coop.money import format_money
from tui.screens.counter_cart import Cart

if TYPE_CHECKING:
    from coop.shifts.desk import DeskCheck
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
class MemberFound:
    """The desk check of the member scanned, their account, and the basket priced for them."""

    cart: Cart
    check: DeskCheck
    balance_cents: int | None
    overdraft_cents: int
    preview: dict[str, Any] | None


@dataclass(frozen=True)
class Priced:
    """A cart the core accepted, its preview (``Receipt.as_dict()``) and what to say."""

    cart: Cart
    preview: dict[str, Any] | None
    said: str = ""


@dataclass(frozen=True)
class ScanRefused:
    message: str


@dataclass(frozen=True)
class Shop:
    """What every counter job needs: the settings, who works the till, and the time."""

    settings: Settings
    actor: Actor
    now: datetime


def price(session: Session, shop: Shop, cart: Cart, rules: Any = None) -> dict[str, Any] | None:
    """The core prices the cart (reads only; the worker rolls back)."""
    from coop.till import selling

    if cart.empty:
        return None
    receipt = selling.price_basket(
        session, cart.request(), settings=shop.settings, actor=shop.actor, now=shop.now, rules=rules
    )
    return receipt.as_dict()


def find_member(session: Session, shop: Shop, query: str, cart: Cart) -> MemberFound:
    """The member scanned or chosen: desk check, prepaid account, the basket priced for them."""
    from coop.accounts import service as accounts
    from coop.members import service as members
    from coop.shifts import desk

    check = desk.check(
        session,
        query,
        at=shop.now,
        settings=shop.settings.shifts,
        membership=shop.settings.membership,
    )
    found = members.find(session, query)
    account = accounts.get_account(session, found.members[0])
    candidate = cart.with_member(query)
    preview = None
    if check.can_shop and not candidate.empty:
        preview = price(session, shop, candidate)
    return MemberFound(
        cart=candidate,
        check=check,
        balance_cents=account.balance_cents if account is not None else None,
        overdraft_cents=accounts.overdraft_of(account, shop.settings.accounts)
        if account is not None
        else 0,
        preview=preview,
    )


def scan(session: Session, shop: Shop, text: str, cart: Cart) -> MemberFound | Priced | ScanRefused:
    """What a scan does to the basket: a member card, an item, a discount label, or why not."""
    from coop.catalog import scan as scanning
    from coop.catalog.scan import Found

    rules = scanning.load_rules(session)
    read = scanning.resolve(session, text, rules)
    if read.found is Found.MEMBER:
        return find_member(session, shop, text, cart)
    if read.found is Found.ERROR:
        return ScanRefused(read.message())
    candidate = cart.add_item(text, discount_label=read.found is Found.DISCOUNT)
    preview = price(session, shop, candidate, rules)
    assert preview is not None
    if read.found is Found.DISCOUNT:
        said = _("Discount label: -{percent} % on the item before it").format(
            percent=(read.discount_bp or 0) / 100
        )
    else:
        last = preview["lines"][len(preview["lines"]) - 1]
        for line in reversed(preview["lines"]):
            if line["kind"] == "product":
                last = line
                break
        said = _("{label}: {amount}").format(
            label=last["label"], amount=format_money(last["amount_cents"])
        )
    return Priced(candidate, preview, said)


def till_state(session: Session, code: str) -> dict[str, Any]:
    """The till's state for the status line: open (since when, float) or closed."""
    from sqlalchemy import select

    from coop.till import registry
    from coop.till.models import Till

    till = session.scalar(select(Till).where(Till.code == code))
    current = registry.open_session_of(session, till) if till is not None else None
    if current is None or till is None:
        return {"code": code, "open": False}
    data = registry.session_dict(current, till)
    return {
        "code": code,
        "open": True,
        "opened_at": (data["opened_at"] or "")[11:16],
        "opening_cents": data["opening_cents"],
        "sales": till.last_sale_number,
    }


def open_till(session: Session, shop: Shop, count: Any) -> dict[str, Any]:
    from coop.till import registry, sessions

    row = sessions.open_session(
        session,
        till_code=None,
        count=count,
        settings=shop.settings.till,
        actor=shop.actor,
        now=shop.now,
    )
    return registry.session_dict(row)


def close_till(
    session: Session, shop: Shop, count: Any, take_z: bool
) -> tuple[dict[str, Any], dict[str, Any], ZBackup | None]:
    """Close the till's session (and take the day's Z when asked): (session, the day's report,
    the Z's automatic backup, written once this transaction commits, as from the CLI)."""
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
    data = registry.session_dict(row, till)
    if take_z:
        closing.take_day_closure(
            session,
            till_code=till.code,
            day=local_date(now),
            settings=settings.till,
            actor=shop.actor,
            now=now,
        )
        saved = z_backup.after_commit(
            session, folder=paths.data_dir() / "backups", keep=settings.till.backups_kept, now=now
        )
    report = closing.report_day(session, day=local_date(now), till_code=till.code)[0]
    return data, report, saved if take_z else None


def commit(session: Session, shop: Shop, cart: Cart, tenders: tuple[Any, ...]) -> dict[str, Any]:
    """Record the sale (one transaction; the basket's token refuses a second commit)."""
    from coop.till import selling

    receipt = selling.commit_sale(
        session, cart.request(tenders), settings=shop.settings, actor=shop.actor, now=shop.now
    )
    return receipt.as_dict()
