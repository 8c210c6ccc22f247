"""What the coordinator's panels share: the screen they sit in (its PIN, status line and busy
flag) and how they start database work (one worker at a time for changes)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, TypeVar, cast

from sqlalchemy.orm import Session
from textual.widget import Widget

from tui.messages import WorkResult
from tui.work import run_work

if TYPE_CHECKING:
    from tui.screens.coordinator.hub import CoordinatorScreen

T = TypeVar("T")


def hub(node: Widget) -> CoordinatorScreen:
    """The coordinator's screen a panel sits in."""
    return cast("CoordinatorScreen", node.screen)


def begin(
    node: Widget,
    *,
    done: Callable[[T], WorkResult[T]],
    job: Callable[[Session], T],
    read_only: bool = False,
) -> None:
    """Run ``job`` for a panel unless a change is already running (its result comes back to
    the panel as ``done``; a failure is said on the status line)."""
    screen = hub(node)
    if screen.busy:
        return
    screen.busy = not read_only
    run_work(node, job, done=done, read_only=read_only)


def parse_day(text: str, label: str) -> date:
    from coop.dates import DateError, parse_date

    try:
        return parse_date(text)
    except DateError as error:
        raise ValueError(f"{label}: {error}") from error


__all__ = ["begin", "hub", "parse_day"]
