"""Accounting sync: Odoo push through the outbox, and the FEC export (DESIGN §3.6)."""
