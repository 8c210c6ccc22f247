"""Member prepaid accounts (compte adhérent) and member invoices."""
