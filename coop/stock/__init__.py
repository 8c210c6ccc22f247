"""The shop's stock: a ledger of moves, cached levels, receipts, inventories, reorder help."""
