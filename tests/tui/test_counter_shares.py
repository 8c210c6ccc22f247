"""Ctrl+T at the counter: capital shares and the yearly fee in the basket (issue 15 §2). The
dialog shows what the member owes with the amounts prefilled; Enter puts them in the basket as
lines in words without VAT; F9 Enter pays them; the members' ledger has them at once, with the
person at the terminal as actor and the till's sale as reference."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.clock import fixed_clock
from coop.config import MembershipSettings, Settings, TillSettings, demo_settings
from coop.db import make_session_factory
from coop.members import shares
from coop.members.models import Member, MemberCard
from coop.members.share_models import FeePayment, ShareMovement
from coop.till.models import Sale
from tests.tui.conftest import AT_TERMINAL, press, scan, settle
from tests.tui.test_counter import open_till, rows
from tui.app import make_app
from tui.screens.counter import CounterScreen
from tui.screens.membership_dialog import MembershipDialog

DUES = MembershipSettings(
    share_value_cents=1000,
    shares_required=(("standard", 10), ("solidarity", 1)),
    instalments=3,
    instalment_months=12,
    fees=(("standard", 1500), ("solidarity", 500)),
)


def _owing(engine, now) -> tuple[str, int, int, int]:
    """A main member of the standard category owing shares and the fee: card, number, cents."""
    with Session(engine) as session:
        for member in session.scalars(
            select(Member).where(Member.main_member_id.is_(None)).order_by(Member.number)
        ):
            if member.category.code != "standard" or member.left_on is not None:
                continue
            due = shares.dues(session, member, DUES, now.date())
            card = session.scalar(
                select(MemberCard.barcode).where(
                    MemberCard.member_id == member.id, MemberCard.ended_on.is_(None)
                )
            )
            if due.shares.due_cents and due.fee_cents and card:
                return card, member.number, due.shares.due_cents, due.fee_cents
    raise AssertionError("nobody owes shares and the fee in the demo")


def _app(demo_url, demo_engine, now):
    settings = replace(
        demo_settings(Settings()),
        database_url=demo_url,
        language="en",
        till=TillSettings(),
        membership=DUES,
    )
    return make_app(
        settings, make_session_factory(demo_engine), fixed_clock(now), "counter", AT_TERMINAL
    )


async def test_ctrl_t_shows_what_is_owed_and_the_basket_pays_it(demo_url, demo_engine, now):
    card, number, share_due, fee_due = _owing(demo_engine, now)
    app = _app(demo_url, demo_engine, now)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, card)
        await press(pilot, "ctrl+t")
        dialog = app.screen
        assert isinstance(dialog, MembershipDialog)
        owed = str(dialog.query_one("#membership-shares-owed").render())
        assert f"€{share_due // 100}.{share_due % 100:02d} still due" in owed
        fee_text = str(dialog.query_one("#membership-fee-owed").render())
        assert f"Fee {now.year}: €15.00 due." == fee_text
        assert dialog.query_one("#membership-fee").value == "15.00"
        await press(pilot, "enter")
        assert isinstance(app.screen, CounterScreen)
        shown = rows(app)
        assert shown[-1] == (f"Fee {now.year}", "", "", "€15.00")
        count = share_due // 1000
        assert shown[-2] == ("Capital shares", str(count), "€10.00", f"€{count * 10}.00")
        totals = str(app.screen.query_one("#totals").render())
        assert "outside VAT" in totals
        assert app.screen.basket.total_cents == share_due + fee_due
        assert app.screen.basket.sale.vat == ()
        await press(pilot, "f9")
        await press(pilot, "enter")
        assert isinstance(app.screen, CounterScreen)
    with Session(demo_engine) as session:
        sale = session.scalars(select(Sale).order_by(Sale.id.desc())).first()
        assert (sale.share_cents, sale.fee_cents) == (share_due, fee_due)
        member = session.scalar(select(Member).where(Member.number == number))
        movement = session.scalars(
            select(ShareMovement)
            .where(ShareMovement.member_id == member.id)
            .order_by(ShareMovement.id.desc())
        ).first()
        assert (movement.amount_cents, movement.actor) == (share_due, "Éric Dumont (n° 1)")
        assert movement.reference == f"CAISSE-1-{sale.number}"
        fee = session.scalar(
            select(FeePayment).where(FeePayment.member_id == member.id, FeePayment.year == 2026)
        )
        assert fee is not None and fee.means == "cash"


async def test_ctrl_t_without_a_member_says_so_and_adds_nothing(demo_url, demo_engine, now):
    app = _app(demo_url, demo_engine, now)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+t")
        said = str(app.screen.query_one("#membership-shares-owed").render())
        assert "member's card first" in said
        await press(pilot, "escape")
        assert isinstance(app.screen, CounterScreen)
        assert app.screen.basket.empty
