"""Capital shares and the yearly fee paid at the till (issue 15 §2): alone or with goods, any
means; outside VAT and turnover on the Z; the members' ledger written in the same transaction
with the cashier as actor; the refusals; `coop till verify` and a forged amount; the accounting
entry of the Z; `coop till sell --shares/--fee`."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlalchemy import select, text

from coop import paths
from coop.clock import SHOP_TIMEZONE
from coop.config import MembershipSettings
from coop.members import service as members
from coop.members import shares
from coop.members.share_models import FeePayment, ShareMovement
from coop.outbox import OutboxRow
from coop.sync.rules import Chart, entries_of
from coop.till import closing, sessions, verify, verify_fast
from coop.till.models import Sale, SaleVat
from coop.till.refusals import SaleRefused, TillRefusal
from coop.till.requests import MembershipAsk, RefundRequest

from .conftest import JAM, card, cash, drop_triggers
from .test_till_cli import cli  # noqa: F401  (the fixture)
from .test_till_verify_sql import sale_texts

DUES = MembershipSettings(
    share_value_cents=1000,
    shares_required=(("standard", 10), ("solidarity", 1)),
    instalments=3,
    instalment_months=36,  # member 42 joined 2025-01-01: still within the delay, may shop
    fees=(("standard", 1500), ("solidarity", 500)),
)
SHARES_ONLY = replace(DUES, fees=())


def _with(shop, membership: MembershipSettings):
    shop.settings = replace(shop.settings, membership=membership)
    return shop


def _owed(shop, number: int) -> shares.Dues:
    member = members.get_by_number(shop.session, number)
    return shares.dues(shop.session, member, shop.settings.membership, shop.now.date())


def test_shares_and_fee_alone_go_to_the_ledger_with_the_cashier_and_the_sale(shop):
    _with(shop, DUES).open()
    before = _owed(shop, 42)
    assert (before.shares.due_cents, before.fee_cents) == (10000, 1500)
    receipt = shop.sell(membership=MembershipAsk(shares=True, fee=True), tenders=[card(11500)])
    sale = shop.session.scalar(select(Sale).where(Sale.number == receipt.number))
    assert (sale.goods_cents, sale.share_cents, sale.fee_cents, sale.fee_year) == (
        0,
        10000,
        1500,
        2026,
    )
    assert sale.total_cents == 11500
    assert shop.session.scalars(select(SaleVat).where(SaleVat.sale_id == sale.id)).all() == []
    [movement] = shop.session.scalars(select(ShareMovement)).all()
    assert (movement.kind, movement.amount_cents, movement.means) == ("payment", 10000, "card")
    assert (movement.actor, movement.reference) == (shop.actor.name, "CAISSE-1-1")
    [fee] = shop.session.scalars(select(FeePayment)).all()
    assert (fee.year, fee.amount_cents, fee.actor, fee.reference) == (
        2026,
        1500,
        shop.actor.name,
        "CAISSE-1-1",
    )
    # the Z books them: no second accounting event of the treasurer's kind
    kinds = shop.session.scalars(select(OutboxRow.kind)).all()
    assert "membership" not in kinds
    after = _owed(shop, 42)
    assert (after.shares.due_cents, after.fee_cents) == (0, 0)


def test_shares_with_goods_by_two_means_stay_out_of_turnover_and_vat_on_the_z(shop):
    _with(shop, SHARES_ONLY)
    opened = shop.open(10000)
    # jam 2,35 € (VAT 5.5) + 3 shares 30,00 € = 32,35 €: 20,00 € card, 12,35 € cash
    receipt = shop.sell(
        JAM,
        membership=MembershipAsk(shares=True, share_count=3),
        tenders=[card(2000), cash(1235)],
    )
    assert receipt.sale.total_cents == 3235 and receipt.sale.goods_cents == 235
    assert [split.incl_vat for split in receipt.sale.vat] == [235]
    assert sessions.expected_cash(shop.session, opened) == 10000 + 1235
    [movement] = shop.session.scalars(select(ShareMovement)).all()
    assert (movement.amount_cents, movement.means) == (3000, "till")
    shop.later(hours=2).close(10000 + 1235)
    shop.later(minutes=1).z()
    [report] = closing.report_day(shop.session, day=shop.now.date(), till_code="CAISSE-1")
    assert report["total"] == 235  # turnover: the jam only
    assert (report["shares"], report.get("fees", 0)) == (3000, 0)
    assert sum(p["amount"] for p in report["payments"]) == 3235
    assert report["perpetual"] == 235
    assert [split["incl_vat"] for split in report["vat"]] == [235]


def _refused(shop, **kw) -> SaleRefused:
    before = shop.counts()
    with pytest.raises(SaleRefused) as caught:
        shop.sell(**kw)
    assert shop.counts() == before
    assert shop.session.scalars(select(ShareMovement)).all() == []
    return caught.value


@pytest.mark.parametrize(
    ("kw", "words"),
    [
        ({"member": None, "membership": MembershipAsk(shares=True)}, "paid by a member"),
        ({"member": "46", "membership": MembershipAsk(shares=True)}, "has left"),
        (
            {"membership": MembershipAsk(shares=True, share_cents=12000)},
            "is more than member 42 owes: €100.00",
        ),
        ({"membership": MembershipAsk(fee=True, fee_cents=2000)}, "more than the fee of 2026"),
        ({"member": "43", "membership": MembershipAsk(shares=True, share_count=2)}, "more than"),
    ],
)
def test_the_till_refuses_shares_and_fees_it_cannot_take(shop, kw, words):
    _with(shop, DUES).configure(non_members=True).open()
    error = _refused(shop, tenders=[card(50000)], **kw)
    assert error.code is TillRefusal.MEMBERSHIP_REFUSED
    assert words in str(error)


def test_nothing_owed_is_refused_and_a_fee_is_paid_once(shop):
    _with(shop, DUES).open()
    shop.sell(membership=MembershipAsk(shares=True, fee=True), tenders=[card(11500)])
    for ask, words in (
        (MembershipAsk(shares=True), "owes no capital shares"),
        (MembershipAsk(fee=True), "No fee is due for 2026"),
    ):
        with pytest.raises(SaleRefused) as caught:
            shop.sell(membership=ask, tenders=[card(1500)])
        assert words in str(caught.value)


def test_shares_are_not_refunded_at_the_till(shop):
    _with(shop, SHARES_ONLY).open()
    shop.sell(membership=MembershipAsk(shares=True), tenders=[cash(10000)])
    with pytest.raises(SaleRefused) as caught:
        shop.sell(refunds=[RefundRequest(1, 1)], tenders=[cash(-10000)])
    assert caught.value.code is TillRefusal.MEMBERSHIP_REFUSED
    assert "treasurer" in str(caught.value)


def test_verify_holds_and_finds_forged_shares(shop):
    _with(shop, DUES).open()
    shop.sell(membership=MembershipAsk(shares=True, share_count=5), tenders=[cash(5000)])
    shop.later(minutes=1).sell(JAM, tenders=[cash(235)], override_reason="test")
    shop.later(hours=1).close(10000 + 5235)
    shop.later(minutes=1).z()  # the Z's payments hold the shares, its turnover does not
    shop.session.commit()
    [verdict] = verify.verify(shop.session)
    assert verdict.ok and verdict.checked == 3
    drop_triggers(shop.session)
    # the amount moved from goods-free shares to the fee: the total still adds up
    shop.session.execute(
        text(
            "UPDATE sales SET share_cents = 4000, fee_cents = 1000, fee_year = 2026"
            " WHERE number = 1"
        )
    )
    shop.session.commit()
    [verdict] = verify.verify(shop.session)
    assert not verdict.ok
    assert (verdict.broken["number"], verdict.broken["reason"]) == (1, "rows_mismatch")


def test_a_sale_without_shares_seals_what_it_sealed_before(shop):
    shop.open()
    receipt = shop.sell(JAM, tenders=[cash(235)])
    data = json.loads(shop.session.execute(text("SELECT data FROM till_journal")).scalar_one())
    assert "membership" not in data and receipt.sale.membership_cents == 0


def test_the_z_entry_credits_capital_and_fees_never_sales():
    snapshot = {
        "till": "CAISSE-1",
        "number": 4,
        "start": "2026-11-21",
        "vat": [{"rate": "5.5", "excl_vat": 223, "vat": 12, "incl_vat": 235}],
        "payments": [{"means": "cash", "amount": 5235}, {"means": "card", "amount": 1500}],
        "top_ups": 0,
        "shares": 5000,
        "fees": 1500,
    }
    chart = Chart(capital="101300", fees="756000")
    [entry] = entries_of("till_day", "CAISSE-1-4", snapshot, date(2026, 11, 21), chart)
    by_account: dict[str, int] = {}
    for line in entry.lines:
        by_account[line.account] = by_account.get(line.account, 0) + line.credit - line.debit
    assert by_account["101300"] == 5000
    assert by_account["756000"] == 1500
    assert by_account["707100"] == 223
    assert entry.balanced


def test_the_z_of_a_day_with_shares_goes_to_the_outbox_with_them(shop):
    _with(shop, DUES).open()
    shop.sell(membership=MembershipAsk(shares=True, fee=True), tenders=[cash(11500)])
    shop.later(hours=1).close(10000 + 11500)
    shop.later(minutes=1).z()
    [row] = shop.session.scalars(select(OutboxRow).where(OutboxRow.kind == "till_day")).all()
    assert (row.snapshot["shares"], row.snapshot["fees"], row.snapshot["total"]) == (10000, 1500, 0)
    [entry] = entries_of("till_day", row.key, row.snapshot, date(2026, 11, 21), Chart())
    accounts = {line.account for line in entry.lines}
    assert accounts == {"530001", "101300", "756000"}
    # the FEC has the same lines, with the French labels of the accounts
    from coop.sync.fec import fec_rows

    text = "\n".join("|".join(row) for row in fec_rows([entry], Chart()))
    assert "101300|Capital souscrit - appelé, versé" in text
    assert "756000|Cotisations" in text and "707100" not in text


CONFIG = """
[membership]
share_value = "10,00"
shares_required = {standard = 10, solidarity = 1}
instalments = 3
instalment_months = 36
fees = {standard = "15,00", solidarity = "5,00"}
"""


def test_the_command_line_takes_shares_and_fee_and_refuses_bad_words(cli, tmp_path):  # noqa: F811
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CONFIG, encoding="utf-8")
    assert cli("till", "open", "--coins", "20x5") == 0
    sale = cli.data("till", "sell", "--member", "42", "--shares", "3p", "--fee", "--pay", "card=45")
    assert (sale["share_cents"], sale["fee_cents"], sale["fee_year"]) == (3000, 1500, 2026)
    assert sale["total_cents"] == 4500 and sale["vat"] == []
    code, _out, err = cli.out(
        "till", "sell", "--member", "42", "--shares", "trois", "--pay", "cash=10"
    )
    assert code == 2 and "--shares" in err
    code, _out, err = cli.out(
        "till", "sell", "--member", "42", "--shares", "80,00", "--pay", "cash=80"
    )
    assert code == 2 and "€70.00" in err  # 100,00 € required, 30,00 € paid
    basket = tmp_path / "panier.json"
    basket.write_text(
        json.dumps(
            {"member": "42", "shares": True, "payments": [{"means": "cash", "amount": "70,00"}]}
        ),
        encoding="utf-8",
    )
    second = cli.data("till", "sell", "--file", str(basket))
    assert second["share_cents"] == 7000
    assert second["number"] == sale["number"] + 1  # the refused ones wrote nothing
    count = cli.data("members", "shares", "show", "42")
    assert "42" in json.dumps(count)
    assert cli("till", "verify") == 0


def _z_text(report) -> str:
    from coop.documents import Letterhead
    from coop.till.receipt_text import plain, z_lines
    from coop.till.z_documents import z_document

    printed_at = datetime(2026, 12, 6, 18, 0, tzinfo=SHOP_TIMEZONE)
    document = z_document(
        report, head=Letterhead("Coop"), local_currency=None, printed_at=printed_at
    )
    return plain(z_lines(document))


def test_the_z_says_which_means_paid_the_shares_and_fees(shop):
    _with(shop, DUES).open()
    # shares 30,00 € with a 50 € note; shares 35,00 € + fee 15,00 € by card 20,00 € + cash 30,00 €
    shop.sell(membership=MembershipAsk(shares=True, share_count=3), tenders=[cash(5000)])
    shop.later(minutes=1).sell(
        membership=MembershipAsk(shares=True, share_cents=3500, fee=True),
        tenders=[card(2000), cash(3000)],
    )
    [provisional] = closing.report_day(shop.session, day=shop.now.date(), till_code="CAISSE-1")
    # sale 2: the shares take the 30 € of cash then 5 € of card, the fee the card's 15 €
    expected = {
        "shares": [{"means": "cash", "amount": 6000}, {"means": "card", "amount": 500}],
        "fees": [{"means": "card", "amount": 1500}],
        "shares_offset": 0,
        "fees_offset": 0,
    }
    assert provisional["provisional"] and provisional["membership_by_means"] == expected
    shop.later(hours=1).close(10000 + 3000 + 3000)
    shop.later(minutes=1).z()
    [sealed] = closing.report_day(shop.session, day=shop.now.date(), till_code="CAISSE-1")
    assert sealed["number"] == 1 and sealed["membership_by_means"] == expected
    assert (sealed["shares"], sealed["fees"]) == (6500, 1500)
    # the split is shown, never sealed: the Z in the journal holds the totals only
    data = json.loads(
        shop.session.execute(
            text("SELECT data FROM till_journal WHERE kind = 'day_closure'")
        ).scalar_one()
    )
    assert "membership_by_means" not in data and data["shares"] == 6500
    [verdict] = verify.verify(shop.session)
    assert verdict.ok
    lines = _z_text(sealed).splitlines()
    at = lines.index("Capital shares and fees by means (shares, fees):")
    assert [line.split() for line in lines[at + 1 : at + 3]] == [
        ["cash", "€60.00", "€0.00"],
        ["card", "€5.00", "€15.00"],
    ]


def test_refunds_in_a_sale_with_shares_are_set_off_and_a_day_without_shows_nothing(shop):
    _with(shop, SHARES_ONLY).open()
    shop.sell(JAM, tenders=[cash(235)], override_reason="test")
    [plain_day] = closing.report_day(shop.session, day=shop.now.date(), till_code="CAISSE-1")
    assert "membership_by_means" not in plain_day
    assert "by means (shares" not in _z_text(plain_day)
    # jam refunded (−2,35 €) with 1 share 10,00 €: 7,65 € in cash, 2,35 € of shares set off
    shop.later(minutes=1).sell(
        refunds=[RefundRequest(1, 1)],
        membership=MembershipAsk(shares=True, share_count=1),
        tenders=[cash(765)],
    )
    [report] = closing.report_day(shop.session, day=shop.now.date(), till_code="CAISSE-1")
    split = report["membership_by_means"]
    assert split["shares"] == [{"means": "cash", "amount": 765}]
    assert (split["shares_offset"], split["fees_offset"]) == (235, 0)
    lines = _z_text(report).splitlines()
    assert ["set", "off", "against", "refunds", "€2.35", "€0.00"] in [
        line.split() for line in lines
    ]


def test_the_report_and_the_pdf_show_the_split(cli, tmp_path):  # noqa: F811
    from pypdf import PdfReader

    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CONFIG, encoding="utf-8")
    assert cli("till", "open", "--coins", "20x5") == 0
    cli.data("till", "sell", "--member", "42", "--shares", "3p", "--fee", "--pay", "card=45")
    cli.data("till", "sell", "--member", "42", "--shares", "2p", "--pay", "cash=20")
    report = cli.data("till", "report", "--till", "CAISSE-1")
    assert report["membership_by_means"]["shares"] == [
        {"means": "cash", "amount": 2000},
        {"means": "card", "amount": 3000},
    ]
    assert report["membership_by_means"]["fees"] == [{"means": "card", "amount": 1500}]
    code, out, _err = cli.out("till", "report")
    assert code == 0
    rows = [line.split() for line in out.splitlines()]
    assert ["cash", "€20.00", "€0.00"] in rows and ["card", "€30.00", "€15.00"] in rows
    target = tmp_path / "z.pdf"
    assert cli("print", "z", "--day", "21/11/2026", "--out", str(target)) == 0
    words = " ".join(page.extract_text() for page in PdfReader(target).pages).split()
    at = words.index("means")  # "Capital shares and fees by means", then its table
    table = "Means Capital shares Fees cash €20.00 €0.00 card €30.00 €15.00 Total €50.00 €15.00"
    assert words[at + 1 : at + 14] == table.split()


def test_the_archive_lists_shares_and_fee_and_old_archives_still_verify(shop, tmp_path):
    import csv
    import hashlib

    from coop.till import archive

    _with(shop, DUES).open()
    shop.sell(membership=MembershipAsk(shares=True, share_count=3, fee=True), tenders=[card(4500)])
    shop.later(minutes=1).sell(JAM, tenders=[cash(235)], override_reason="test")
    shop.later(hours=1).close(10000 + 235)
    shop.later(minutes=1).z()
    shop.session.commit()
    folder = tmp_path / "archive"
    day = shop.now.date()
    archive.export_archive(shop.session, first=day, last=day, out=folder, now=shop.now)
    sales_csv = folder / "sales.csv"
    rows = list(
        csv.DictReader(sales_csv.read_text(encoding="utf-8-sig").splitlines(), delimiter=";")
    )
    assert [(r["goods"], r["shares"], r["fee"], r["total"]) for r in rows] == [
        ("0,00", "30,00", "15,00", "45,00"),
        ("2,35", "0,00", "0,00", "2,35"),
    ]
    assert archive.verify_archive(folder).ok
    # an archive made before these columns (sales.csv without them, its sums to match) holds
    old = [{k: v for k, v in r.items() if k not in ("shares", "fee")} for r in rows]
    with sales_csv.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, list(old[0]), delimiter=";", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(old)
    digest = hashlib.sha256(sales_csv.read_bytes()).hexdigest()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for item in manifest["files"]:
        if item["name"] == "sales.csv":
            item["sha256"] = digest
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    sums = {
        name: hashlib.sha256((folder / name).read_bytes()).hexdigest()
        for name in ("sales.csv", "manifest.json")
    }
    lines = []
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        value, _sep, name = line.partition("  ")
        lines.append(f"{sums.get(name, value)}  {name}\n")
    (folder / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")
    check = archive.verify_archive(folder)
    assert check.ok, check.problems
    # and a changed amount in the new columns is caught by the sums
    archive.export_archive(shop.session, first=day, last=day, out=tmp_path / "new", now=shop.now)
    changed = (tmp_path / "new" / "sales.csv").read_bytes().replace(b"30,00", b"20,00")
    (tmp_path / "new" / "sales.csv").write_bytes(changed)
    assert not archive.verify_archive(tmp_path / "new").ok


def test_the_fast_verify_writes_a_sale_with_shares_and_a_fee_as_sealed(shop):
    """The database writes the optional ``membership`` key as the sale sealed it (SQLite and
    PostgreSQL), so the fast pass vouches for such a sale without replaying its day."""
    _with(shop, DUES).open()
    shop.sell(membership=MembershipAsk(shares=True, fee=True), tenders=[card(11500)])
    shop.later(minutes=1).sell(JAM, tenders=[cash(235)], override_reason="test")
    shop.session.commit()
    rows = sale_texts(shop.session)
    assert len(rows) == 2 and '"membership":' in rows[0][0]
    assert all(stored == built or verify_fast._same(built, stored) for stored, built in rows)
    found = verify_fast.run(shop.session, 1, 1, 2, verify_fast.Resume())
    assert found.suspect is None and found.end.checked == 2
