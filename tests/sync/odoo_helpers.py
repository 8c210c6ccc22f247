"""Helpers for the tests against the real Odoo: outbox rows, a TCP proxy that loses answers,
and reading back what Odoo holds."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop.money import split_vat
from coop.outbox import OutboxKind, OutboxRow, record
from coop.sync.check import check
from coop.sync.odoo import Odoo
from coop.sync.rules import MODULE
from coop.sync.settings import SyncSettings

NOW = datetime(2026, 11, 21, 19, 0).astimezone()
DAY = date(2026, 11, 21)


def z_snapshot(
    vat: list[Any],
    payments: list[tuple[str, int]],
    top_ups: int = 0,
    *,
    till: str = "CAISSE-1",
    number: int = 7,
    day: date = DAY,
) -> dict[str, Any]:
    """What the Z writes to the outbox (``Closure.to_data()`` plus till and number), in short."""
    return {
        "till": till,
        "number": number,
        "start": day.isoformat(),
        "end": day.isoformat(),
        "vat": [
            {"rate": str(s.rate), "excl_vat": s.excl_vat, "vat": s.vat, "incl_vat": s.incl_vat}
            for s in vat
        ],
        "payments": [{"means": m, "amount": a} for m, a in payments],
        "top_ups": top_ups,
    }


def z_row(session: Session, till: str, day: date, number: int, *, local_currency: int = 0) -> None:
    """A Z of 105,50 € at 5.5 % and 12,00 € at 20 % (+ local currency), cash and card."""
    vat = [split_vat(10550, Decimal("5.5")), split_vat(1200 + local_currency, Decimal(20))]
    payments = [("cash", 5750), ("card", 6000)]
    if local_currency:
        payments.append(("local_currency", local_currency))
    snapshot = z_snapshot(vat, payments, till=till, number=number, day=day)
    record(session, OutboxKind.TILL_DAY, f"{till}-{day.isoformat()}", snapshot, on=day, now=NOW)


def invoice_row(session: Session, code: str, member: int, parts: list[list[int]]) -> None:
    snapshot = {
        "code": code,
        "member": member,
        "name": f"Membre {member}",
        "email": None,
        "reference": None,
        "credits": None,
        "prices_include_vat": True,
        "charged": False,
        "vat": parts,
    }
    record(session, OutboxKind.INVOICE, code, snapshot, on=DAY, now=NOW)


def fill(session: Session, zs: int, invoices: int, *, till: str = "C1") -> None:
    for n in range(zs):
        z_row(session, till, date.fromordinal(DAY.toordinal() - n), n + 1)
    for n in range(invoices):
        # 6,00 € incl. 5.5 % = 5,69 + 0,31; 1,20 € incl. 20 % = 1,00 + 0,20
        invoice_row(session, f"FA-{n + 1:06d}", 100 + n % 7, [[550, 569, 31], [2000, 100, 20]])
    session.commit()


def states(session: Session) -> dict[str, int]:
    counts: dict[str, int] = {}
    for state in session.scalars(select(OutboxRow.state)):
        counts[state] = counts.get(state, 0) + 1
    return counts


def ready(settings: SyncSettings) -> None:
    """What `coop sync odoo check --activate-taxes --create-journals` does once."""
    odoo = Odoo(settings.odoo)
    try:
        taxes = {("sale", 550, True), ("sale", 2000, True)}
        check(odoo, settings.chart, taxes, activate_taxes=True, create_journals=True)
    finally:
        odoo.close()


def our_moves(odoo: Odoo, settings: SyncSettings) -> list[dict[str, Any]]:
    """Every move of this test's namespace in Odoo."""
    marker = f"[{MODULE}.{settings.chart.namespace}"
    return odoo.search_read(
        "account.move",
        [("ref", "like", marker)],
        ["ref", "state", "name", "move_type", "amount_total", "amount_untaxed", "amount_tax"],
    )


def is_call(body: bytes, model: str, method: str) -> bool:
    """Is this JSON-RPC request ``model.method`` (execute_kw)?"""
    args = json.loads(body)["params"]["args"]
    return len(args) > 4 and args[3] == model and args[4] == method


class LosingProxy:
    """A TCP proxy on 127.0.0.1 in front of Odoo. Each request is forwarded whole; when
    ``drop(body)`` says so, Odoo's answer is read (Odoo has committed) and the connection to the
    client is closed without it. ``hold`` (an Event) makes matching answers wait for it."""

    def __init__(self, target_url: str, drop: Any = None, hold: Any = None) -> None:
        parts = urlsplit(target_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.drop = drop or (lambda body: False)
        self.hold = hold
        self.dropped = 0
        self.seen: list[bytes] = []
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        with client:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = client.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, body = data.split(b"\r\n\r\n", 1)
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            while len(body) < length:
                body += client.recv(65536)
            self.seen.append(body)
            upstream = http.client.HTTPConnection(self.host, self.port, timeout=120)
            upstream.request("POST", "/jsonrpc", body, {"Content-Type": "application/json"})
            answer = upstream.getresponse()
            payload = answer.read()
            upstream.close()
            if self.drop(body):
                self.dropped += 1
                if self.hold is not None:
                    self.hold.wait(60)
                return  # Odoo did the work; the client never hears of it
            client.sendall(
                b"HTTP/1.1 %d OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                b"Connection: close\r\n\r\n" % (answer.status, len(payload)) + payload
            )

    def close(self) -> None:
        self.server.close()
