"""The coordinator's screen (mode ``coordinator``): members, the shift calendar, stock.

``hub.CoordinatorScreen`` is the mode's screen (behind a PIN when ``[tui] coordinator_pin`` is
set); ``forms`` holds its dialogs (a small form, the PIN); ``jobs`` the database work each action
runs in a worker, calling the core services only.
"""
