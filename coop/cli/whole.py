"""The command line's whole-number arguments, bounded: every ``type=int`` argument of `coop`
reads through ``whole`` (``CoopParser`` registers it in place of Python's ``int``, which takes
``1_000``, other scripts' digits and numbers of any size), so a member number, a count of seats
or a number of weeks is written with the digits 0–9 and stays within what both databases store
(``coop.csvio.INTEGER_LIMIT``); anything else is a usage error naming the argument (exit 2)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def whole(text: str) -> int:
    from coop.csvio import INTEGER_LIMIT, whole_number

    try:  # the sign is the command's business, as with ``int``
        return whole_number(text.strip(), minimum=-INTEGER_LIMIT)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


class CoopParser(argparse.ArgumentParser):
    """argparse with ``type=int`` read by ``whole`` (its sub-commands' parsers are of this class
    too: argparse builds them with the parent's class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register("type", int, whole)


class Unused:
    """Stands for the parser of a command (or a command's action) this run does not use: every
    call is ignored, so its arguments are never built (``coop.cli.main.build_parser``)."""

    def __getattr__(self, name: str) -> Callable[..., Unused]:
        return lambda *args, **kwargs: self
