"""The "Print" window (Ctrl+O or the palette): the documents of each mode as PDFs in
``<data folder>/prints/`` (the data folder is the test's own, see ``tests/conftest.py``), their
parameters in a small form with defaults, refusals as notifications without a file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from textual.widgets import Input, OptionList

from coop import paths
from tests.tui.conftest import press, settle, type_text
from tests.tui.test_app import footer_text
from tests.tui.test_counter import pdf_text
from tui.screens.print_menu import PrintMenu


def prints() -> Path:
    return paths.data_dir() / "prints"


def written() -> list[str]:
    folder = prints()
    if not folder.exists():
        return []
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def choices(app) -> list[str]:
    options = app.screen.query_one("#print-choices", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def field(app, name: str) -> Input:
    return app.screen.query_one(f"#field-{name}", Input)


def notes(app) -> list[str]:
    return [note.message for note in app._notifications]


async def choose(pilot, title: str) -> None:
    """Highlight the document whose entry starts with ``title`` and press Enter."""
    app = pilot.app
    index = next(i for i, text in enumerate(choices(app)) if text.startswith(title))
    options = app.screen.query_one("#print-choices", OptionList)
    while options.highlighted != index:
        await press(pilot, "down" if (options.highlighted or 0) < index else "up")
    await press(pilot, "enter")


async def replace(pilot, name: str, text: str) -> None:
    field(pilot.app, name).value = ""
    field(pilot.app, name).focus()
    await type_text(pilot, text)


async def open_by_palette(pilot, words: str) -> None:
    await press(pilot, "ctrl+p")
    await type_text(pilot, words)
    await press(pilot, "enter")


def scalar(engine, query) -> Any:
    with Session(engine) as session:
        return session.scalar(query)


def scalars(engine, query) -> list[Any]:
    with Session(engine) as session:
        return list(session.scalars(query))


async def test_counter_prints_a_receipt_and_the_z_from_the_menu(counter_app, demo_engine):
    from coop.till.models import Sale, SaleLineRow, Till

    app = counter_app(mode="counter")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # the key bar wraps: Ctrl+O is listed with the counter's F-keys (issue 16 §5)
        assert "Ctrl+O Print" in footer_text(app) and "F12 Close till" in footer_text(app)
        await press(pilot, "ctrl+o")
        assert isinstance(app.screen, PrintMenu)
        assert [text.split(" — ")[0] for text in choices(app)] == ["Receipt of a sale", "Z report"]
        await choose(pilot, "Receipt of a sale")
        last = scalar(demo_engine, select(Till.last_sale_number).where(Till.code == "CAISSE-1"))
        assert field(app, "till").value == "CAISSE-1"
        assert field(app, "number").value == str(last)  # the till's last sale by default
        await press(pilot, "enter")
        assert not isinstance(app.screen, PrintMenu)
        path = prints() / f"ticket-CAISSE-1-{last}.pdf"
        assert f"PDF written: {path}" in notes(app)
        sale = scalar(demo_engine, select(Sale).where(Sale.number == last))
        names = scalars(
            demo_engine, select(SaleLineRow.label).where(SaleLineRow.sale_id == sale.id)
        )
        text = pdf_text(path)
        assert f"{sale.total_cents // 100}.{sale.total_cents % 100:02d}" in text
        assert all(name in text for name in names)

        # another sale than the last one, then today's Z
        await press(pilot, "ctrl+o")
        await choose(pilot, "Receipt of a sale")
        await replace(pilot, "number", "3")
        await press(pilot, "enter")
        assert (prints() / "ticket-CAISSE-1-3.pdf").exists()
        await open_by_palette(pilot, "Print a document")
        await choose(pilot, "Z report")
        assert field(app, "day").value == "21/11/2026"
        await press(pilot, "enter")
        z = prints() / "z-CAISSE-1-2026-11-21.pdf"
        text = pdf_text(z)
        assert "provisional" in text and "Till CAISSE-1 Day Saturday, 21 November 2026" in text
        assert f"PDF written: {z}" in notes(app)


async def test_the_shift_desk_prints_the_sign_in_sheet_through_the_palette(
    counter_app, demo_engine, now
):
    from coop.members.models import Member
    from coop.shifts.models import Shift, ShiftAttendance

    app = counter_app(mode="shifts", language="fr")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_by_palette(pilot, "Imprimer")
        assert isinstance(app.screen, PrintMenu)
        assert [text.split(" — ")[0] for text in choices(app)] == ["Feuille d’émargement"]
        await press(pilot, "enter")
        assert field(app, "day").value == "21/11/2026"
        await press(pilot, "enter")
        path = prints() / "emargement-2026-11-21.pdf"
        assert f"PDF écrit\xa0: {path}" in notes(app)
        assert "Ctrl+O Imprimer" in footer_text(app)
        await press(pilot, "ctrl+o")  # the key opens it too
        assert isinstance(app.screen, PrintMenu)
        await press(pilot, "escape")
        assert not isinstance(app.screen, PrintMenu)
    shifts = scalars(
        demo_engine, select(Shift).where(Shift.day == now.date(), Shift.cancelled_at.is_(None))
    )
    booked = scalars(
        demo_engine,
        select(Member.last_name)
        .join(ShiftAttendance, ShiftAttendance.member_id == Member.id)
        .where(
            ShiftAttendance.shift_id.in_([shift.id for shift in shifts]),
            ShiftAttendance.state != "cancelled",  # e.g. the bookings of a member who left
        ),
    )
    text = pdf_text(path)
    assert shifts and booked
    assert all(shift.name in text for shift in shifts)
    assert all(name in text for name in booked)


async def test_the_desk_prints_the_status_list(counter_app):
    app = counter_app(mode="desk")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+o")
        assert [text.split(" — ")[0] for text in choices(app)] == ["Paper status list"]
        await press(pilot, "enter", "enter")
        path = prints() / "statuts-2026-11-21.pdf"
        assert f"PDF written: {path}" in notes(app)
        assert "Alice" in pdf_text(path)  # member 1, Alice, may shop


async def test_the_coordinator_prints_order_sheets_and_packing_lists(counter_app, demo_engine):
    from coop.orders.models import OrderCycle, OrderCycleSupplier

    app = counter_app(mode="coordinator")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_by_palette(pilot, "Print a doc")
        assert isinstance(app.screen, PrintMenu)
        assert len(choices(app)) == 15  # … the register of members and the five AMAP sheets
        await choose(pilot, "Order sheets of a cycle")
        assert field(app, "cycle").value == "DISTRI-2"  # the latest cycle no longer open
        await press(pilot, "enter")
        folder = prints() / "commandes-DISTRI-2"
        assert f"Order sheets (PDF and CSV) written in {folder}" in notes(app)
        for kind in ("article", "household", "matrix"):
            title = {
                "article": "Packing list by article",
                "household": "Packing list by household",
                "matrix": "Sorting grid",
            }[kind]
            await press(pilot, "ctrl+o")
            await choose(pilot, title)
            await press(pilot, "enter")
            assert (prints() / f"colisage-DISTRI-2-{kind}.pdf").exists()
    cycle = scalar(demo_engine, select(OrderCycle).where(OrderCycle.code == "DISTRI-2"))
    suppliers = scalars(
        demo_engine,
        select(OrderCycleSupplier).where(OrderCycleSupplier.cycle_id == cycle.id),
    )
    sheets = sorted(path.name for path in folder.glob("*.pdf"))
    assert sheets and len(sheets) <= len(suppliers)
    for sheet in sheets:
        assert (folder / sheet).with_suffix(".csv").exists()
        assert "DISTRI-2" in pdf_text(folder / sheet)
    assert "DISTRI-2" in pdf_text(prints() / "colisage-DISTRI-2-household.pdf")


async def test_the_coordinator_prints_invoices_cards_and_attestations(counter_app, demo_engine):
    from coop.accounts.models import Invoice
    from coop.members.models import Member
    from coop.shifts.models import Shift, ShiftAttendance

    app = counter_app(mode="coordinator")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+o")
        await choose(pilot, "Invoice or credit note")
        code = field(app, "code").value
        latest = scalar(demo_engine, select(Invoice).order_by(Invoice.number.desc()).limit(1))
        assert code == latest.code
        await press(pilot, "enter")
        invoice = prints() / f"{code}.pdf"
        assert code in pdf_text(invoice)

        await press(pilot, "ctrl+o")
        await choose(pilot, "Member cards")
        await type_text(pilot, "1, 43")
        await press(pilot, "enter")
        cards = prints() / "cartes-1-43.pdf"
        one, other = (
            scalar(demo_engine, select(Member).where(Member.number == number)) for number in (1, 43)
        )
        assert one.last_name in pdf_text(cards) and other.last_name in pdf_text(cards)

        attended = scalar(
            demo_engine,
            select(Member)
            .join(ShiftAttendance, ShiftAttendance.member_id == Member.id)
            .join(Shift, Shift.id == ShiftAttendance.shift_id)
            .where(ShiftAttendance.state == "attended", Shift.day >= date(2026, 1, 1))
            .order_by(Member.number)
            .limit(1),
        )
        await press(pilot, "ctrl+o")
        await choose(pilot, "Volunteer-hours attestation")
        assert (field(app, "first").value, field(app, "last").value) == ("01/01/2026", "21/11/2026")
        await type_text(pilot, str(attended.number))
        await press(pilot, "enter")
        path = prints() / f"attestation-{attended.number}-2026-01-01-2026-11-21.pdf"
        assert attended.last_name in pdf_text(path)


async def test_refusals_are_notifications_and_write_nothing(counter_app, demo_engine):
    from sqlalchemy import update

    from coop.accounts.models import Invoice
    from coop.members.models import Member

    with Session(demo_engine) as session, session.begin():
        invoice = session.scalar(select(Invoice).where(Invoice.number == 3))
        member = session.get(Member, invoice.member_id)
        session.execute(update(Member).where(Member.id == member.id).values(street=None))
        code, number = invoice.code, member.number
    app = counter_app(mode="coordinator")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+o")
        await choose(pilot, "Order sheets of a cycle")
        await replace(pilot, "cycle", "NOPE")
        await press(pilot, "enter")
        assert "No order cycle has the code NOPE." in notes(app)
        assert isinstance(app.screen, PrintMenu)  # the form stays, to correct the code
        assert app.focused is field(app, "cycle")
        await replace(pilot, "cycle", "VRAC-3")  # still open: quantities may change
        await press(pilot, "enter")
        assert any("VRAC-3 is not closed yet" in note for note in notes(app))
        await press(pilot, "escape")  # back to the list
        await choose(pilot, "Volunteer-hours attestation")
        await type_text(pilot, "abc")
        await press(pilot, "enter")
        assert "Member number: “abc” is not a number." in notes(app)
        await press(pilot, "escape")
        await choose(pilot, "Invoice or credit note")
        await replace(pilot, "code", code)
        await press(pilot, "enter")
        assert any(
            note.startswith(f"Member {number} (") and "no complete postal address" in note
            for note in notes(app)
        )
        await press(pilot, "escape", "escape")
        assert not isinstance(app.screen, PrintMenu)
        assert written() == []


async def test_an_unusable_prints_folder_is_a_notification(counter_app):
    paths.data_dir().mkdir(parents=True, exist_ok=True)
    prints().write_text("not a folder")
    app = counter_app(mode="coordinator")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+o")
        await choose(pilot, "Paper status list")
        await press(pilot, "enter")
        assert any(note.startswith(f"Cannot create the folder {prints()}: ") for note in notes(app))
        assert isinstance(app.screen, PrintMenu)
    assert prints().read_text() == "not a folder"


def test_order_sheets_report_their_progress_one_supplier_at_a_time(demo_engine, now):
    from coop.config import Settings
    from tui.printing import print_order_sheets

    steps: list[tuple[int, int]] = []
    with Session(demo_engine) as session:
        folder = print_order_sheets(
            session,
            cycle="distri-2",
            settings=Settings(),
            now=now,
            progress=lambda done, total: steps.append((done, total)),
        )
    sheets = sorted(folder.glob("*.pdf"))
    total = len(sheets)
    assert total >= 1
    assert steps == [(done, total) for done in range(total + 1)]
    assert sorted(folder.glob("*.csv")) == [sheet.with_suffix(".csv") for sheet in sheets]


async def test_one_supplier_s_order_sheet_with_anonymised_household_pages(counter_app, demo_engine):
    from sqlalchemy import func

    from coop.catalog.models import Producer
    from coop.members.models import Member
    from coop.orders.models import OrderAllocation, OrderArticle, OrderCycle

    with Session(demo_engine) as session:
        cycle_id = session.scalar(select(OrderCycle.id).where(OrderCycle.code == "DISTRI-2"))
        producer_id, households = session.execute(
            select(OrderArticle.producer_id, func.count(func.distinct(OrderAllocation.member_id)))
            .join(OrderAllocation, OrderAllocation.article_id == OrderArticle.id)
            .where(OrderArticle.cycle_id == cycle_id, OrderAllocation.quantity > 0)
            .group_by(OrderArticle.producer_id)
            .order_by(func.count(func.distinct(OrderAllocation.member_id)).desc())
        ).first()
        producer = session.get(Producer, producer_id)
        assert producer is not None
        code = producer.code
        names = session.execute(
            select(Member.first_name, Member.last_name)
            .join(OrderAllocation, OrderAllocation.member_id == Member.id)
            .join(OrderArticle, OrderArticle.id == OrderAllocation.article_id)
            .where(
                OrderArticle.producer_id == producer_id,
                OrderAllocation.cycle_id == cycle_id,
                OrderAllocation.quantity > 0,
            )
            .distinct()
        ).all()
    assert households >= 2

    app = counter_app(mode="coordinator")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+o")
        await choose(pilot, "Order sheets of a cycle")
        assert field(app, "cycle").value == "DISTRI-2"
        assert (field(app, "per_member").value, field(app, "anonymised").value) == ("no", "no")
        await press(pilot, "down")
        await type_text(pilot, "NOPE")
        await press(pilot, "down", "ctrl+u")
        await type_text(pilot, "maybe")
        await press(pilot, "enter")
        assert "Household pages: “maybe” is neither yes nor no." in notes(app)
        assert isinstance(app.screen, PrintMenu) and written() == []
        await press(pilot, "ctrl+u")
        await type_text(pilot, "yes")
        await press(pilot, "down", "ctrl+u")
        await type_text(pilot, "y")
        await press(pilot, "enter")
        assert "The supplier NOPE is not part of the order cycle DISTRI-2." in notes(app)
        assert isinstance(app.screen, PrintMenu) and written() == []
        await replace(pilot, "producer", code.lower())
        await press(pilot, "enter")
        assert not isinstance(app.screen, PrintMenu)
    folder = prints() / "commandes-DISTRI-2"
    sheets = list(folder.glob("*.pdf"))
    assert len(sheets) == 1 and code in sheets[0].name
    text = pdf_text(sheets[0])
    assert producer.name in text
    assert all(f"Household {index}" in text for index in range(1, households + 1))
    for first, last in names:
        assert last not in text and f"{first} {last}" not in text
