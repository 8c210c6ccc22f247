"""Accounting sync benchmark: the outbox row's cost, a year pushed to the real Odoo, the FEC.

Run from the repository root, with the real Odoo of ../shared/odoo started::

    eval "$(bash ../shared/odoo/start /tmp/odoo-bench)"
    .venv/bin/python bench/bench_sync.py                       # SQLite in a temp folder
    .venv/bin/python bench/bench_sync.py --closures 30 --invoices 200 --json   # quicker

Targets (issue 14): the outbox row adds ≤ 1 ms to a closure (median, with its ratio to the
closure without it); a year of one till's daily closures (≈ 300) plus 2,000 member invoices
pushed to the local Odoo in ≤ 5 minutes, the second run (nothing to do) in ≤ 10 s; the FEC of
that year in ≤ 2 s.

How: (1) 200 daily closures (``coop.till.closing.take_day_closure``, one transaction each,
commit included) alternate with 200 more where the outbox call is replaced by a no-op: the
median difference is the row's cost; the same for 200 member invoices (``issue_invoice``).
A sale writes no outbox row (its money is in the Z). (2) The year's rows are written to the
outbox as the Z and the invoices write them (snapshots of random days: 5.5 % and 20 %
turnover split with ``split_vat``, cash, card, cheque and prepaid-account payments, top-ups;
invoices of one or two rates, charged to the prepaid account, so two moves each), then
``coop.sync.push.push`` against Odoo; floor: 50 of the same moves created and posted with one
raw ``create`` and one ``action_post`` (no lookup, no comparison), per move. Then the figures
are read back from Odoo and compared with ours to the cent. (3) ``coop.sync.fec.export_fec``
of the year; floor: reading the outbox rows alone. This is a script, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from _common import log
from sqlalchemy import select
from sqlalchemy.orm import Session

from coop import migrate, outbox
from coop.accounts import invoicing
from coop.accounts.rules import InvoiceLineIn
from coop.audit import Actor
from coop.clock import SHOP_TIMEZONE
from coop.config import AccountSettings, MemberSettings, TillSettings
from coop.db import make_engine
from coop.members import service as members
from coop.money import split_vat
from coop.outbox import OutboxKind, OutboxRow
from coop.rights import Role
from coop.sync import fec, odoo_values
from coop.sync.check import check
from coop.sync.odoo import Odoo
from coop.sync.push import push, taxes_needed
from coop.sync.rules import MODULE, Chart, entries_of
from coop.sync.settings import OdooSettings, SyncSettings
from coop.till import closing, sessions
from coop.till.cash import declared_cash

ACTOR = Actor("bench", roles=frozenset({Role.ADMINISTRATOR}))


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def outbox_cost(url: str, count: int) -> dict[str, float]:
    """Closures and invoices with and without the outbox call, alternating."""
    engine = make_engine(url)
    settings = TillSettings(till="BENCH")
    start = datetime(2020, 1, 2, 22, 0, tzinfo=SHOP_TIMEZONE)
    with Session(engine) as session:
        members.create_member(
            session,
            actor=ACTOR,
            now=start,
            settings=MemberSettings(),
            first_name="Bench",
            last_name="Member",
            number=1,
            joined_on=date(2020, 1, 1),
        )
        # The till exists from its first opening; a day opened and closed without sales.
        opened = start - timedelta(hours=10)
        sessions.open_session(
            session,
            till_code=None,
            count=declared_cash(0),
            settings=settings,
            actor=ACTOR,
            now=opened,
        )
        sessions.close_session(
            session,
            till_code=None,
            counted=declared_cash(0),
            settings=settings,
            actor=ACTOR,
            now=opened + timedelta(hours=1),
            note=None,
        )
        session.commit()
    real = outbox.record
    timings: dict[str, list[float]] = {"z": [], "z_off": [], "inv": [], "inv_off": []}
    series = AccountSettings()
    lines = [InvoiceLineIn("Panier", 1, 1250, vat_rate=Decimal("5.5"))]
    for index in range(2 * count):
        off = index % 2 == 1
        outbox.record = (lambda *a, **k: None) if off else real  # type: ignore[assignment]
        now = start + timedelta(days=index)
        with Session(engine) as session:
            began = time.perf_counter()
            closing.take_day_closure(
                session, till_code="BENCH", day=now.date(), settings=settings, actor=ACTOR, now=now
            )
            session.commit()
            timings["z_off" if off else "z"].append(time.perf_counter() - began)
        with Session(engine) as session:
            began = time.perf_counter()
            invoicing.issue_invoice(
                session,
                member_number=1,
                lines=lines,
                settings=series,
                actor=ACTOR,
                now=now,
                enforce_limit=False,
            )
            session.commit()
            timings["inv_off" if off else "inv"].append(time.perf_counter() - began)
    outbox.record = real  # type: ignore[assignment]
    engine.dispose()
    return {name: _median_ms(values) for name, values in timings.items()}


def year_rows(url: str, closures: int, invoices: int, seed: int) -> None:
    """A year's outbox rows as the Z and the invoices write them."""
    rng = random.Random(seed)
    engine = make_engine(url)
    now = datetime(2025, 12, 31, 20, 0, tzinfo=SHOP_TIMEZONE)
    first = date(2025, 1, 2)
    with Session(engine) as session:
        for n in range(closures):
            day = first + timedelta(days=n + n // 6)  # six days a week
            vat = [
                split_vat(rng.randint(80_000, 400_000), Decimal("5.5")),
                split_vat(rng.randint(5_000, 60_000), Decimal(20)),
            ]
            top_ups = rng.choice([0, 0, 2000, 5000])
            total = sum(s.incl_vat for s in vat) + top_ups
            card = total * rng.randint(40, 60) // 100
            cheque = rng.randint(0, 5000)
            account = rng.randint(0, 20_000)
            payments = [
                ("cash", total - card - cheque - account),
                ("card", card),
                ("cheque", cheque),
                ("account", account),
            ]
            snapshot = {
                "till": "CAISSE-1",
                "number": n + 1,
                "start": day.isoformat(),
                "end": day.isoformat(),
                "vat": [
                    {
                        "rate": str(s.rate),
                        "excl_vat": s.excl_vat,
                        "vat": s.vat,
                        "incl_vat": s.incl_vat,
                    }
                    for s in vat
                ],
                "payments": [{"means": m, "amount": a} for m, a in payments],
                "top_ups": top_ups,
            }
            outbox.record(
                session, OutboxKind.TILL_DAY, f"CAISSE-1-{day}", snapshot, on=day, now=now
            )
        for n in range(invoices):
            day = first + timedelta(days=rng.randint(0, 360))
            parts = []
            for bp in rng.sample([550, 2000], rng.choice([1, 2])):
                split = split_vat(rng.randint(500, 12_000), Decimal(bp) / 100)
                parts.append([bp, split.excl_vat, split.vat])
            member = rng.randint(1, 300)
            snapshot = {
                "code": f"FA-{n + 1:06d}",
                "member": member,
                "name": f"Membre {member}",
                "email": None,
                "reference": None,
                "credits": None,
                "prices_include_vat": True,
                "charged": True,
                "vat": parts,
            }
            outbox.record(session, OutboxKind.INVOICE, f"FA-{n + 1:06d}", snapshot, on=day, now=now)
        session.commit()
    engine.dispose()


def raw_floor(settings: SyncSettings, url: str, context: dict[str, Any] | None = None) -> float:
    """Seconds per move for 50 of the year's moves created and posted with two raw calls."""
    engine = make_engine(url)
    chart = replace(settings.chart, namespace="floor" + settings.chart.namespace)
    with Session(engine) as session:
        rows = list(session.scalars(select(OutboxRow).order_by(OutboxRow.id).limit(60)))
        entries = [
            e for r in rows for e in entries_of(r.kind, r.key, r.snapshot, r.event_date, chart)
        ][:50]
    engine.dispose()
    odoo = Odoo(settings.odoo)
    setup = check(odoo, chart, taxes_needed(entries))
    partner = odoo.call("res.partner", "create", {"name": "Bench floor"})
    partners = {e.partner.key: partner for e in entries if e.partner}
    partners |= {ln.partner.key: partner for e in entries for ln in e.lines if ln.partner}
    values = [odoo_values.move_values(e, setup, chart, partners) for e in entries]
    began = time.perf_counter()
    ids = odoo.call("account.move", "create", values, context=context or {})
    odoo.call("account.move", "action_post", ids, context=context or {})
    elapsed = time.perf_counter() - began
    odoo.close()
    return elapsed / len(entries)


def compare_in_odoo(settings: SyncSettings, url: str) -> dict[str, Any]:
    """Our totals per kind against what Odoo's own database holds, to the cent."""
    engine = make_engine(url)
    ours_z = ours_inv = 0
    with Session(engine) as session:
        for row in session.scalars(select(OutboxRow)):
            for entry in entries_of(
                row.kind, row.key, row.snapshot, row.event_date, settings.chart
            ):
                if entry.move_type == "out_invoice":
                    ours_inv += entry.debit
                elif entry.journal == settings.chart.till_journal:
                    ours_z += entry.debit
    engine.dispose()
    odoo = Odoo(settings.odoo)
    marker = f"[{MODULE}.{settings.chart.namespace}"
    moves = odoo.search_read(
        "account.move", [("ref", "like", marker)], ["move_type", "ref", "amount_total", "state"]
    )
    odoo.close()
    theirs_inv = sum(
        odoo_values.cents(m["amount_total"]) for m in moves if m["move_type"] == "out_invoice"
    )
    theirs_z = sum(
        odoo_values.cents(m["amount_total"])
        for m in moves
        if m["move_type"] == "entry" and m["ref"].startswith("Z")
    )
    return {
        "moves_in_odoo": len(moves),
        "all_posted": all(m["state"] == "posted" for m in moves),
        "z_total_ours": ours_z,
        "z_total_odoo": theirs_z,
        "invoices_total_ours": ours_inv,
        "invoices_total_odoo": theirs_inv,
        "match": ours_z == theirs_z and ours_inv == theirs_inv,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: a fresh SQLite file)")
    parser.add_argument("--closures", type=int, default=300)
    parser.add_argument("--invoices", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("ODOO_URL"):
        log("ODOO_URL is not set: start ../shared/odoo/start first (see the docstring).")
        return 2
    folder = tempfile.mkdtemp(prefix="bench-sync-")
    url = args.database or f"sqlite:///{folder}/cost.sqlite3"
    url_year = args.database or f"sqlite:///{folder}/year.sqlite3"
    for target in {url, url_year}:
        engine = make_engine(target)
        migrate.upgrade(engine)
        engine.dispose()
    log(f"outbox cost: {args.samples} closures and invoices with and without the row…")
    cost = outbox_cost(url, args.samples)
    if args.database:  # one database: the cost rows must not be pushed
        with Session(make_engine(url)) as session:
            session.query(OutboxRow).delete()
            session.commit()
    log(f"writing {args.closures} closures and {args.invoices} invoices to the outbox…")
    year_rows(url_year, args.closures, args.invoices, args.seed)
    settings = SyncSettings(
        odoo=OdooSettings(
            url=os.environ["ODOO_URL"],
            database=os.environ["ODOO_DB"],
            login=os.environ["ODOO_LOGIN"],
            api_key=os.environ["ODOO_PASSWORD"],
        ),
        chart=Chart(namespace=f"bench{uuid.uuid4().hex[:6]}_"),
    )
    odoo = Odoo(settings.odoo)
    check(
        odoo,
        settings.chart,
        {("sale", 550, True), ("sale", 2000, True)},
        activate_taxes=True,
        create_journals=True,
    )
    odoo.close()
    log("floor: 50 moves created and posted raw…")
    floor = raw_floor(settings, url_year)
    engine = make_engine(url_year)
    log("pushing the year…")
    began = time.perf_counter()
    report = push(engine, settings, now=lambda: datetime.now(SHOP_TIMEZONE))
    first = time.perf_counter() - began
    began = time.perf_counter()
    again = push(engine, settings, now=lambda: datetime.now(SHOP_TIMEZONE))
    second = time.perf_counter() - began
    moves = report.created + report.found
    log("comparing with Odoo's own figures…")
    compared = compare_in_odoo(settings, url_year)
    log("FEC of the year…")
    out = Path(folder) / "FEC.txt"
    with Session(engine) as session:
        began = time.perf_counter()
        fec_report = fec.export_fec(
            session, start=date(2025, 1, 1), end=date(2025, 12, 31), chart=settings.chart, out=out
        )
        fec_seconds = time.perf_counter() - began
        began = time.perf_counter()
        list(
            session.execute(
                select(OutboxRow.kind, OutboxRow.key, OutboxRow.snapshot, OutboxRow.event_date)
            )
        )
        read_seconds = time.perf_counter() - began
    engine.dispose()
    figures = {
        "closure_ms_with_outbox": cost["z"],
        "closure_ms_without": cost["z_off"],
        "outbox_row_ms_on_closure": cost["z"] - cost["z_off"],
        "invoice_ms_with_outbox": cost["inv"],
        "invoice_ms_without": cost["inv_off"],
        "outbox_row_ms_on_invoice": cost["inv"] - cost["inv_off"],
        "rows": report.rows,
        "moves": moves,
        "posted": report.posted,
        "attention": report.attention,
        "push_s": first,
        "push_ms_per_move": first / max(moves, 1) * 1000,
        "floor_ms_per_move": floor * 1000,
        "ratio_to_floor": first / max(moves, 1) / floor,
        "second_run_s": second,
        "second_run_rows": again.rows,
        "fec_s": fec_seconds,
        "fec_lines": fec_report.lines,
        "fec_read_rows_s": read_seconds,
        **compared,
    }
    if args.json:
        json.dump(figures, sys.stdout, indent=2)
        print()
        return 0
    per_move = figures["push_ms_per_move"]
    table = [
        ("closure with its outbox row, median", f"{cost['z']:.2f} ms", "—"),
        ("closure without it (hook off), median", f"{cost['z_off']:.2f} ms", "—"),
        ("added by the outbox row", f"{cost['z'] - cost['z_off']:.3f} ms", "≤ 1 ms"),
        ("invoice with its outbox row, median", f"{cost['inv']:.2f} ms", "—"),
        ("added by the outbox row", f"{cost['inv'] - cost['inv_off']:.3f} ms", "≤ 1 ms"),
        (f"push {report.rows} rows = {moves} moves", f"{first:.1f} s", "≤ 300 s"),
        ("… a move / raw create+post floor", f"{per_move:.1f} / {floor * 1000:.1f} ms", "—"),
        ("… ratio to the floor", f"{figures['ratio_to_floor']:.2f}", "—"),
        ("second run (nothing to do)", f"{second:.2f} s", "≤ 10 s"),
        (f"FEC of the year, {fec_report.lines} lines", f"{fec_seconds:.2f} s", "≤ 2 s"),
        ("… reading the outbox rows alone (floor)", f"{read_seconds:.2f} s", "—"),
        ("Odoo's figures = ours to the cent", str(compared["match"]), "True"),
    ]
    for label, value, target in table:
        print(f"{label:<42} {value:>18}  {target}")
    print(json.dumps(compared))
    return 0


if __name__ == "__main__":
    sys.exit(main())
