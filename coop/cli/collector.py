"""The cyclic garbage collector during a command's start-up (its imports).

Importing SQLAlchemy, the models and the use cases allocates a few hundred thousand objects
that live as long as the process; collections during those imports only walk them again.
``coop.cli.main.main``, when it runs the process's own command line, pauses the collector
(``pause``); once the handler's module is imported, ``collect_again`` freezes what start-up
loaded out of later collections and turns the collector on for the command itself (the
counter, a long verify). A handler that imports its own path inside the function (so that the
other subcommands of its module do not pay for it) wraps those imports in
``imports_paused()``, which does the same for them. A test's call of ``main([...])`` is left
alone: nothing here acts unless ``pause`` did.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_state = {"paused": False}


def pause() -> None:
    """Pause the collector for the start-up of the process's own command (if it runs)."""
    if gc.isenabled():
        gc.disable()
        _state["paused"] = True


def collect_again() -> None:
    """Freeze what start-up loaded out of later collections; the collector runs again."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


@contextmanager
def imports_paused() -> Iterator[None]:
    """A handler's own imports, made as start-up's are: the collector paused, then what they
    loaded frozen. Does nothing outside a process that ``pause`` started (a test's call)."""
    if not _state["paused"] or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        collect_again()
