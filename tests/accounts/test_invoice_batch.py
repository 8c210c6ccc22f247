"""Many invoices at once (``invoice_batch.issue_invoices``, a grouped order's settlement) write
exactly the rows that the same ``issue_invoice`` calls one after the other write: invoices,
lines, VAT, outbox events, account movements and balances, audit entries. Both are run on the
same data (one rolled back), the rows dumped by their natural keys and compared, on SQLite and
PostgreSQL (issue 18, target 2)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text

from coop.accounts import invoice_batch, invoicing, service
from coop.accounts.verify import verify_accounts
from coop.config import AccountSettings
from coop.errors import NotFound
from coop.members import service as members

from .test_accounts import people, top_up  # noqa: F401  (the fixture)

SETTINGS = AccountSettings()
FIVE = Decimal("5.5")

DUMPS = {
    "invoices": "SELECT i.series, i.number, i.kind, m.number, i.issued_on, i.reference,"
    " i.prices_include_vat, i.excl_vat_cents, i.vat_cents, i.incl_vat_cents, i.charged,"
    " i.created_by FROM invoices i JOIN members m ON m.id = i.member_id ORDER BY i.number",
    "lines": "SELECT i.number, l.line_no, l.label, l.product_id, l.quantity, l.weighed,"
    " l.unit_price_cents, l.vat_rate_bp, l.excl_vat_cents, l.vat_cents, l.incl_vat_cents"
    " FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id ORDER BY i.number, l.line_no",
    "vat": "SELECT i.number, v.vat_rate_bp, v.excl_vat_cents, v.vat_cents FROM invoice_vat v"
    " JOIN invoices i ON i.id = v.invoice_id ORDER BY i.number, v.vat_rate_bp",
    "movements": "SELECT m.number, a.kind, a.amount_cents, a.balance_after_cents, a.reference,"
    " i.number, a.actor, a.seq FROM account_movements a"
    " JOIN member_accounts c ON c.id = a.account_id"
    " JOIN members m ON m.id = c.member_id LEFT JOIN invoices i ON i.id = a.invoice_id"
    " ORDER BY a.id",
    "balances": "SELECT m.number, c.balance_cents FROM member_accounts c"
    " JOIN members m ON m.id = c.member_id ORDER BY c.id",
    "outbox": "SELECT kind, key, event_date, snapshot, state, attempts FROM sync_outbox"
    " ORDER BY id",
    "audit": "SELECT actor, action, entity, member_id, after FROM audit_entries"
    " WHERE action = 'invoice.issue' ORDER BY id",
}


def _dump(session) -> dict[str, list[tuple]]:
    session.flush()
    return {name: [tuple(row) for row in session.execute(text(sql))] for name, sql in DUMPS.items()}


ORDERS = [
    (2, [invoicing.invoice_line("Savon", 3, 250, Decimal(20))]),
    (
        1,
        [
            invoicing.invoice_line("Spaghetti", 8, 160, FIVE),
            invoicing.invoice_line("Carottes", 2500, 240, FIVE, weighed=True),
            invoicing.invoice_line("Savon", 1, 250, Decimal(20)),
        ],
    ),
    (3, [invoicing.invoice_line("Spaghetti", 2, 160, FIVE)]),  # 1's household again
    (2, [invoicing.invoice_line("Offert", 1, 0, FIVE)]),  # nothing to debit
]


def test_a_batch_writes_what_one_invoice_at_a_time_wrote(people, actor, now):  # noqa: F811
    session = people
    top_up(session, actor, now, 1, 5000)  # 1's household has an account, 2 has none yet
    common = {
        "settings": SETTINGS,
        "actor": actor,
        "now": now,
        "prices_include_vat": False,
        "reference": "Commande groupée S47",
        "charge": True,
        "enforce_limit": False,
    }
    with session.begin_nested() as one_by_one:
        codes = [
            invoicing.issue_invoice(session, member_number=number, lines=lines, **common).code
            for number, lines in ORDERS
        ]
        before = _dump(session)
        one_by_one.rollback()
    issued = invoice_batch.issue_invoices(
        session, [invoice_batch.InvoiceOrder(n, lines) for n, lines in ORDERS], **common
    )
    after = _dump(session)
    assert [invoice.code for invoice in issued] == codes == [f"FA-00000{n}" for n in (1, 2, 3, 4)]
    assert after == before
    # by hand: 2's soap 7,50 + 1,50 VAT; 1's spaghetti 12,80 and carrots 6,00 at 5.5 %
    # (VAT 1,034 → 1,03) and soap 2,50 + 0,50: 22,83; 3 (1's household) 3,20 + 0,18: 3,38
    assert before["balances"] == [(1, 5000 - 2283 - 338), (2, -900)]
    assert [row[2] for row in before["movements"]] == [5000, -900, -2283, -338]
    account = service.get_account(session, members.get_by_number(session, 1))
    assert account is not None and account.balance_cents == 5000 - 2283 - 338
    # each batch movement is sealed and chained like one posted alone (the prepaid journal)
    assert [row[7] for row in after["movements"]] == [1, 1, 2, 3]
    session.flush()
    verdict = verify_accounts(session)
    assert verdict.ok, verdict.broken
    assert verdict.checked == 4


def test_an_unknown_member_refuses_the_whole_batch(people, actor, now):  # noqa: F811
    with pytest.raises(NotFound, match="99"):
        invoice_batch.issue_invoices(
            people,
            [invoice_batch.InvoiceOrder(1, ORDERS[0][1]), invoice_batch.InvoiceOrder(99, [])],
            settings=SETTINGS,
            actor=actor,
            now=now,
        )
