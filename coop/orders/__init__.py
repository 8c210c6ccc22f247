"""Grouped orders (groupements d'achat): demand ledger, case rounding and allocation."""
