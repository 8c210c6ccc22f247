"""Comptoir core: domain rules, persistence, use cases and the command line.

This package never imports the terminal UI (``tui``) or the PDF renderer (``invoices``);
only ``coop.cli`` may start them (enforced by import-linter contracts in pyproject.toml).
"""

__version__ = "0.1.0"
