"""The counter driven with key presses: scans are their characters then Enter (also as a
US-configured scanner types them on a French AZERTY keyboard); each test checks what the
screen shows and what the database holds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from textual.events import Paste
from textual.widgets import DataTable

from coop import paths
from coop.till.models import Sale, SaleLineRow, SalePayment, TillSession
from tests.tui.conftest import (
    ACCOUNT_CARD,
    ALICE_CARD,
    APPLES_LABEL,
    BOTTLE,
    MESCLUN,
    MILK,
    SPAGHETTI,
    SUSPENDED_CARD,
    azerty,
    card_of,
    press,
    scan,
    settle,
    type_text,
)
from tui.screens.counter import CounterScreen
from tui.screens.dialogs import TextDialog
from tui.screens.till_dialogs import ReportDialog
from tui.widgets.member_banner import MemberBanner
from tui.widgets.scan_field import ScanField


def rows(app) -> list[tuple[str, ...]]:
    table = app.screen.query_one("#lines", DataTable)
    return [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


def info(app) -> str:
    return str(app.screen.query_one("#scan-info").render())


def banner(app) -> MemberBanner:
    return app.screen.query_one(MemberBanner)


def count_bells(app) -> list[int]:
    rings = [0]
    original = app.bell

    def bell() -> None:
        rings[0] += 1
        original()

    app.bell = bell
    return rings


async def open_till(pilot, amount: str = "150,00") -> None:
    await press(pilot, "f11")
    await type_text(pilot, amount)
    await press(pilot, "enter")


def sales(engine) -> list[Any]:
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        return list(session.scalars(select(Sale).order_by(Sale.id)))


def count(engine, model) -> int:
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


async def test_scanning_a_card_shows_the_member_in_green(counter_app):
    app = counter_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await scan(pilot, ALICE_CARD)
        assert banner(app).level == "ok"
        assert banner(app).has_class("-ok")
        text = str(banner(app).render())
        assert text.startswith("MAY SHOP — Member 1 Éric Dumont")
        assert info(app) == "Member 1 Éric Dumont: may shop."
        assert isinstance(app.focused, ScanField)
        assert app.focused.value == ""


async def test_a_suspended_member_is_red_with_the_reasons_and_an_alert_is_orange(
    counter_app, demo_engine, now
):
    alert = card_of(demo_engine, now, lambda check: check.can_shop and check.warnings)
    app = counter_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rings = count_bells(app)
        await scan(pilot, azerty(SUSPENDED_CARD))
        assert banner(app).level == "refused"
        text = str(banner(app).render())
        assert text.startswith("MAY NOT SHOP — Member 2 Océane Renaud · suspended")
        assert "\n✗ " in text
        assert rings[0] == 1
        await scan(pilot, alert)
        assert banner(app).level == "warn"
        assert "\n! " in str(banner(app).render())


async def test_unknown_and_bad_scans_ring_and_say_why_and_add_nothing(counter_app):
    app = counter_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rings = count_bells(app)
        await scan(pilot, "3017620422004")  # wrong check digit
        assert "check digit" in info(app)
        await scan(pilot, "9999999999994")  # valid EAN-13, no such product
        assert "9999999999994" in info(app)
        app.focused.post_message(Paste("x" * 500))  # a very long paste, then Enter
        await settle(pilot)
        await press(pilot, "enter")
        assert "too long" in info(app)
        assert rings[0] == 3
        await press(pilot, "enter", "enter")  # empty scans: ignored, no ring
        assert rings[0] == 3
        assert rows(app) == []
        assert isinstance(app.focused, ScanField)


# --- selling --------------------------------------------------------------------------------


TEN_ITEMS = [
    MESCLUN,
    SPAGHETTI,
    azerty(SPAGHETTI),
    MILK,
    APPLES_LABEL,
    azerty(MESCLUN),
    "3175439564076",  # Citrons filet 500 g, 2,95 €
    "3148190915777",  # Avocats Hass ×2, 3,40 €
    "3740254259249",  # Riz basmati 1 kg, 4,95 €
    azerty("3153600600945"),  # Quinoa blanc 500 g, 5,40 €
]


async def test_a_ten_item_cash_sale_needs_the_scans_and_two_keys(counter_app, demo_engine, shopper):
    app = counter_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_till(pilot)
        before = len(sales(demo_engine))
        await scan(pilot, shopper)
        for code in TEN_ITEMS:
            await scan(pilot, code)
        shown = rows(app)
        # identical items merge (mesclun ×2, spaghetti ×2): 8 lines and the milk's deposit
        assert len(shown) == 9
        assert shown[0] == ("Mesclun 150 g", "2", "€2.90", "€5.80")
        assert shown[1] == ("Spaghetti 500 g", "2", "€2.15", "€4.30")
        assert shown[4] == ("Pommes Golden", "1.234 kg", "€3.20/kg", "€3.95")
        total = app.screen.basket.total_cents
        # the two keys: F9 opens the payment on cash with the exact amount, Enter settles it
        await press(pilot, "f9")
        await press(pilot, "enter")
        assert isinstance(app.screen, CounterScreen)
        stored = sales(demo_engine)
        assert len(stored) == before + 1
        sale = stored[-1]
        assert sale.total_cents == total
        assert sale.cash_tendered_cents == total and sale.change_cents == 0
        assert count_lines(demo_engine, sale.id) == 9
        assert info(app) == f"Sale {sale.number} recorded."
        receipt = str(app.screen.query_one("#receipt").render())
        assert f"Sale {sale.number} on till CAISSE-1" in receipt
        assert "Member " in receipt
        assert rows(app) == [] and banner(app).level == "none"
        assert isinstance(app.focused, ScanField)
        await press(pilot, "f8")  # the receipt as a PDF in the data folder
        path = paths.data_dir() / "prints" / f"ticket-CAISSE-1-{sale.number}.pdf"
        assert info(app) == f"PDF written: {path}"
        text = pdf_text(path)
        assert f"€{total // 100}.{total % 100:02d}" in text and "Quinoa blanc 500 g" in text


def pdf_text(path) -> str:
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def count_lines(engine, sale_id: int) -> int:
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        return (
            session.scalar(
                select(func.count()).select_from(SaleLineRow).where(SaleLineRow.sale_id == sale_id)
            )
            or 0
        )


def payments(engine, sale_id: int) -> list[tuple[str, int]]:
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        return [
            (p.means, p.amount_cents)
            for p in session.scalars(
                select(SalePayment)
                .where(SalePayment.sale_id == sale_id)
                .order_by(SalePayment.position)
            )
        ]


async def test_quantity_weight_and_removing_lines(counter_app, shopper):
    app = counter_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, shopper)
        await scan(pilot, SPAGHETTI)
        await press(pilot, "f3")
        await press(pilot, "ctrl+u")  # the field holds the current quantity
        await type_text(pilot, "3")
        await press(pilot, "enter")
        assert rows(app) == [("Spaghetti 500 g", "3", "€2.15", "€6.45")]
        await scan(pilot, MILK)
        assert rows(app)[-1][0].startswith("  deposit: Consigne bouteille 75")
        await press(pilot, "f3")
        await press(pilot, "ctrl+u")
        await type_text(pilot, "2")
        await press(pilot, "enter")  # on the deposit line: the milk's quantity, deposit follows
        assert [r[1] for r in rows(app)] == ["3", "2", "2"]
        await press(pilot, "f4")  # removes the milk with its deposit
        assert [r[0] for r in rows(app)] == ["Spaghetti 500 g"]
        assert app.screen.basket.total_cents == 645
        await press(pilot, "f4")
        assert rows(app) == [] and app.screen.basket.empty


async def test_containers_brought_back_are_a_negative_line(counter_app, demo_engine, shopper):
    app = counter_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, shopper)
        await scan(pilot, SPAGHETTI)
        await press(pilot, "f5")
        await scan(pilot, BOTTLE)  # the code field, Enter goes on to the count
        await press(pilot, "ctrl+u")
        await type_text(pilot, "3")
        await press(pilot, "enter")
        assert rows(app)[-1][0].startswith("Returned: Consigne bouteille 75")
        assert rows(app)[-1][1:] == ("3", "€0.20", "-€0.60")
        assert app.screen.basket.total_cents == 215 - 60
        await press(pilot, "f9", "enter")
        sale = sales(demo_engine)[-1]
        assert sale.total_cents == 155


async def test_discounts_need_a_reason_and_beyond_the_limit_an_authorisation(
    counter_app, demo_engine, shopper
):
    from coop.rights import Actor, Role
    from tui.screens.login import LoginDialog

    app = counter_app()
    app.actor = Actor("Zoé Arnaud", member_number=7, roles=frozenset({Role.CASHIER}))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, shopper)
        await scan(pilot, "3740254259249")  # Riz basmati 1 kg, 4,95 €
        await press(pilot, "f6")  # on the selected line; first reason: damaged
        await type_text(pilot, "5%")
        await press(pilot, "enter")
        assert rows(app)[0][3] == "€4.70"  # 4,95 − 0,25 (5 % rounded half-up)
        rings = count_bells(app)
        await press(pilot, "f6", "f2")  # the whole sale this time
        await type_text(pilot, "50%")
        await press(pilot, "enter")
        assert isinstance(app.screen, LoginDialog) and rings[0] == 1  # a shift leader's card
        await press(pilot, "escape")  # nobody authorises
        assert "may not give a discount" in info(app)
        assert app.screen.basket.discount is None  # refused: the basket did not change
        await press(pilot, "f6", "f2", "down", "down", "down")  # goodwill
        await type_text(pilot, "50%")
        await press(pilot, "enter")
        await type_text(pilot, "4")  # Thérèse Lebrun, shift leader (the demo's staff)
        await press(pilot, "enter")
        await type_text(pilot, "5937")
        await press(pilot, "enter")
        assert app.screen.basket.discount is not None
        await press(pilot, "f9", "enter")
        sale = sales(demo_engine)[-1]
        assert sale.total_cents == 470 - 235  # half of 4,70 off
        assert "Zoé Arnaud" in sale.cashier and "Thérèse Lebrun" in sale.cashier
        assert sale.authorised_by_id is not None


async def test_card_then_cash_gives_change_and_both_payments_are_stored(
    counter_app, demo_engine, shopper
):
    app = counter_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, shopper)
        for code in (SPAGHETTI, MESCLUN, "3740254259249"):
            await scan(pilot, code)  # 2,15 + 2,90 + 4,95 = 10,00
        await press(pilot, "f9", "f2", "ctrl+u")
        await type_text(pilot, "4,00")
        await press(pilot, "enter")  # 4,00 by card, 6,00 left, back on the amount field
        await press(pilot, "f1", "ctrl+u")
        await type_text(pilot, "20")
        await press(pilot, "enter")
        sale = sales(demo_engine)[-1]
        assert payments(demo_engine, sale.id) == [("card", 400), ("cash", 600)]
        assert sale.change_cents == 1400
        assert info(app) == f"Sale {sale.number} recorded. Change to give: €14.00"


def balance_of(engine, number: int) -> int:
    from sqlalchemy.orm import Session

    from coop.accounts.models import MemberAccount
    from coop.members.models import Member

    with Session(engine) as session:
        return session.scalar(
            select(MemberAccount.balance_cents)
            .join(Member, Member.id == MemberAccount.member_id)
            .where(Member.number == number)
        )


async def test_paying_from_the_prepaid_account(counter_app, demo_engine):
    app = counter_app()
    before = balance_of(demo_engine, 43)
    assert before >= 215  # the demo puts money on member 43's account
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, ACCOUNT_CARD)
        shown = f"prepaid account €{before // 100:,}.{before % 100:02d}"
        assert shown in str(banner(app).render())
        await scan(pilot, SPAGHETTI)
        await press(pilot, "f9", "f5")
        assert "balance" in str(app.screen.query_one("#payment-means").render())
        await press(pilot, "enter")
        sale = sales(demo_engine)[-1]
        assert payments(demo_engine, sale.id) == [("account", 215)]
        assert balance_of(demo_engine, 43) == before - 215
        after = before - 215
        receipt = str(app.screen.query_one("#receipt").render())
        assert f"Prepaid account balance: €{after // 100:,}.{after % 100:02d}" in receipt


async def test_a_member_who_may_not_shop_needs_a_reason(counter_app, demo_engine, shopper):
    app = counter_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, SUSPENDED_CARD)
        await scan(pilot, SPAGHETTI)  # refused: the reason is asked
        assert isinstance(app.screen, TextDialog)
        await press(pilot, "escape")
        assert rows(app) == [] and "nothing was added" in info(app)
        await scan(pilot, SPAGHETTI)
        await press(pilot, "enter")  # an empty reason is refused
        assert isinstance(app.screen, TextDialog)
        await type_text(pilot, "a payé son rattrapage hier")
        await press(pilot, "enter")
        assert rows(app)[0][0] == "Spaghetti 500 g"
        assert "Let through by the cashier" in str(banner(app).render())
        await press(pilot, "f9", "enter")
        sale = sales(demo_engine)[-1]
        assert sale.override_reason == "a payé son rattrapage hier"


async def test_a_refund_references_the_original_sale(counter_app, demo_engine, shopper):
    app = counter_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_till(pilot)
        await scan(pilot, shopper)
        await scan(pilot, SPAGHETTI)
        await press(pilot, "f3", "ctrl+u")
        await type_text(pilot, "2")
        await press(pilot, "enter", "f9", "enter")
        original = sales(demo_engine)[-1]
        await scan(pilot, shopper)
        await press(pilot, "f7")
        await type_text(pilot, str(original.number))
        await press(pilot, "enter")  # the sale's lines; the quantity field
        await type_text(pilot, "1")
        await press(pilot, "enter")
        assert rows(app)[0][0] == f"↩ Spaghetti 500 g (sale {original.number})"
        assert app.screen.basket.total_cents == -215
        await press(pilot, "f9")
        assert "To give back to the customer: €2.15" in str(
            app.screen.query_one("#payment-total").render()
        )
        await press(pilot, "enter")
        refund = sales(demo_engine)[-1]
        assert refund.total_cents == -215
        assert payments(demo_engine, refund.id) == [("cash", -215)]
        from sqlalchemy.orm import Session

        with Session(demo_engine) as session:
            line = session.scalars(
                select(SaleLineRow).where(SaleLineRow.sale_id == refund.id)
            ).one()
            assert (line.refund_sale_number, line.refund_line_no) == (original.number, 1)


async def test_open_and_close_the_till_with_the_day_figures(counter_app, demo_engine, shopper):
    app = counter_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await scan(pilot, shopper)
        await scan(pilot, SPAGHETTI)
        assert "The till is closed: F11 opens it" in info(app)
        await press(pilot, "f11")
        await type_text(pilot, "20x2 10x4 5x6 2x10 1x15 0,50x10")  # 150,00
        await press(pilot, "enter")
        assert "open since 10:30 (float €150.00)" in str(
            app.screen.query_one("#till-status").render()
        )
        await scan(pilot, SPAGHETTI)
        await press(pilot, "f9", "enter")
        await press(pilot, "f12")
        await type_text(pilot, "152,15")
        await press(pilot, "enter")
        assert isinstance(app.screen, ReportDialog)
        report = str(app.screen.query_one("#report-text").render())
        assert "Z no." in report
        assert "Drawer: counted €152.15, expected €152.15: the drawer is right" in report
        assert "Turnover incl. VAT: €2.15" in report
        await press(pilot, "f8")  # the Z as a PDF
        path = paths.data_dir() / "prints" / "z-CAISSE-1-2026-11-21.pdf"
        assert "€2.15" in pdf_text(path) and "Z report no." in pdf_text(path)
        await press(pilot, "enter")
        assert isinstance(app.screen, CounterScreen)
        assert info(app) == f"PDF written: {path}"
        assert "closed — F11 opens it" in str(app.screen.query_one("#till-status").render())
    # the Z taken from the counter wrote its automatic backup, as `coop till z` does
    assert len(list((paths.data_dir() / "backups").glob("auto-comptoir-*"))) == 1
    from sqlalchemy.orm import Session

    from coop.till.closure_models import TillClosure

    with Session(demo_engine) as session:
        row = session.scalars(select(TillSession).order_by(TillSession.id.desc())).first()
        assert (row.opening_cents, row.counted_cents, row.difference_cents) == (15000, 15215, 0)
        assert row.opening_pieces is not None
        day = session.scalars(
            select(TillClosure).where(TillClosure.period == "day").order_by(TillClosure.id.desc())
        ).first()
        assert day.total_cents == 215
