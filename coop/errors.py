"""Errors a person can act on. The CLI prints them in one sentence and exits with code 2."""

from __future__ import annotations

from dataclasses import dataclass, field


class CoopError(Exception):
    """A refusal or problem explained to the user (already translated); never a traceback."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is (file, line, column, or a command-line option
    named by a column starting with ``--``) and what was expected."""

    message: str
    source: str | None = None
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        from coop.i18n import _

        where = []
        if self.source:
            where.append(self.source)
        if self.line is not None:
            where.append(_("line {line}").format(line=self.line))
        if self.column and self.column.startswith("--"):  # a command-line option
            where.append(_("option “{option}”").format(option=self.column))
        elif self.column:
            where.append(_("column “{column}”").format(column=self.column))
        if not where:
            return self.message
        return _("{where}: {message}").format(where=", ".join(where), message=self.message)


@dataclass
class InvalidInput(CoopError):
    """One or more problems found while validating an input; nothing was changed."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.summary())

    def summary(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


class NotFound(CoopError):
    """The thing asked for does not exist (member number, card, file...)."""


class DatabaseUnavailable(CoopError):
    """The database cannot be opened or reached; the message says which and why."""
