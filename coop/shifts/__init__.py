"""Member shifts: work-credit ledger, member status and the desk's "may this member shop?"."""
