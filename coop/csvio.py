"""CSV files as French Excel writes them, read strictly and written so Excel opens them.

Reading: header row; ``;`` or ``,`` detected from the header; UTF-8 with or without BOM; header
names matched without regard to case, accents or spaces, with documented aliases; unknown
columns are an error. Every problem names the file, line and column. Writing: ``;``, UTF-8 with
BOM and CRLF, which French Excel opens without an import wizard.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any, TypeVar

from coop.dates import DateError, parse_date
from coop.errors import InvalidInput, Problem
from coop.i18n import _
from coop.text import fold

T = TypeVar("T")

DELIMITERS = (";", ",", "\t")


@dataclass(frozen=True)
class Column:
    """A column a file may hold: its canonical name, accepted aliases, whether it is required."""

    name: str
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass
class CsvRow:
    line: int
    values: dict[str, str]


@dataclass
class Table:
    """The rows of a CSV file keyed by canonical column names, with the file's name for messages."""

    source: str
    columns: list[str]
    headers: dict[str, str] = field(default_factory=dict)
    """Canonical column name → the header as written in the file (messages quote the file)."""
    rows: list[CsvRow] = field(default_factory=list)


def _header_key(name: str) -> str:
    return re.sub(r"[\s\-.']+", "_", fold(name)).strip("_")


def decode(data: bytes, source: str) -> str:
    """UTF-8 with or without BOM; anything else is refused with the way to fix it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidInput(
            [
                Problem(
                    _(
                        "the file is not UTF-8 text (in Excel: Save as → “CSV UTF-8 (delimited"
                        " by commas)”)"
                    ),
                    source=source,
                    line=line,
                )
            ]
        ) from error


def read_table(path: Path | str, columns: Sequence[Column], *, source: str | None = None) -> Table:
    """Read a CSV file into a Table, or raise InvalidInput listing every structural problem."""
    path = Path(path)
    name = source or str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(
            [Problem(_("cannot read the file: {reason}").format(reason=error.strerror), name)]
        ) from error
    return parse_table(decode(data, name), columns, source=name)


def parse_table(text: str, columns: Sequence[Column], *, source: str) -> Table:
    """Parse decoded CSV text (see read_table)."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise InvalidInput([Problem(_("the file is empty (expected a header row)"), source)])
    counts = {delimiter: first.count(delimiter) for delimiter in DELIMITERS}
    delimiter = max(DELIMITERS, key=lambda d: counts[d])
    if counts[delimiter] == 0 and len(columns) > 1 and _header_key(first) not in _lookup(columns):
        raise InvalidInput(
            [
                Problem(
                    _("cannot find the delimiter in the header row (expected “;” or “,”)"),
                    source,
                    line=1,
                )
            ]
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems: list[Problem] = []
    header: list[str] = []
    for raw_header in reader:
        if any(cell.strip() for cell in raw_header):
            header = raw_header
            break
    header_line = reader.line_num
    lookup = _lookup(columns)
    canonical: list[str] = []
    for cell in header:
        key = _header_key(cell)
        if key not in lookup:
            expected = ", ".join(column.name for column in columns)
            problems.append(
                Problem(
                    _("unknown column (expected some of: {expected})").format(expected=expected),
                    source,
                    line=header_line,
                    column=cell.strip(),
                )
            )
            canonical.append("")
            continue
        if lookup[key] in canonical:
            problems.append(
                Problem(_("column given twice"), source, line=header_line, column=cell.strip())
            )
        canonical.append(lookup[key])
    for column in columns:
        if column.required and column.name not in canonical:
            problems.append(
                Problem(_("required column missing"), source, line=header_line, column=column.name)
            )
    if problems:
        raise InvalidInput(problems)
    headers = {name: cell.strip() for name, cell in zip(canonical, header, strict=True) if name}
    table = Table(source=source, columns=canonical, headers=headers)
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        line = reader.line_num
        if len(cells) != len(canonical):
            problems.append(
                Problem(
                    _(
                        "{found} fields instead of {expected} (a “{delimiter}” inside a value must"
                        " be quoted)"
                    ).format(found=len(cells), expected=len(canonical), delimiter=delimiter),
                    source,
                    line=line,
                )
            )
            continue
        values = {k: v.strip() for k, v in zip(canonical, cells, strict=True)}
        problems.extend(_control_problems(values, table, line))
        table.rows.append(CsvRow(line, values))
    if problems:
        raise InvalidInput(problems)
    return table


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f]")

INTEGER_LIMIT = 2_147_483_647
"""The largest whole number a cell or an argument may give (PostgreSQL's INTEGER; SQLite holds
more, so both databases store the same values)."""


def control_character(value: str, *, multiline: bool = False) -> str | None:
    """The first control character in ``value`` (NUL, escape...; also tab and line breaks unless
    ``multiline``), or None: none belongs in a name or a code."""
    found = (_CONTROL if multiline else _CONTROL_OR_BREAK).search(value)
    return found.group() if found else None


def _control_message(character: str) -> str:
    return _("contains a control character (U+{code:04X}), which is not allowed").format(
        code=ord(character)
    )


def _control_problems(values: Mapping[str, str], table: Table, line: int) -> list[Problem]:
    """A NUL, an escape or another control character in any cell of a row (line breaks and
    tabs inside a quoted cell are left to the column's own reading)."""
    problems = []
    for name, value in values.items():
        bad = control_character(value, multiline=True)
        if bad is not None:
            column = table.headers.get(name)
            problems.append(Problem(_control_message(bad), table.source, line=line, column=column))
    return problems


def whole_number(value: str, *, minimum: int = 0, maximum: int = INTEGER_LIMIT) -> int:
    """A whole number written with the digits 0–9 only (no sign unless ``minimum`` < 0, no
    exponent, no underscore, no other script's digits), within [minimum, maximum]; else
    ``ValueError`` with a sentence."""
    if not re.fullmatch(r"-?[0-9]{1,12}", value) or (value.startswith("-") and minimum >= 0):
        raise ValueError(_("“{value}” is not a whole number").format(value=value))
    number = int(value)
    if number < minimum:
        raise ValueError(_("must be at least {n}").format(n=minimum))
    if number > maximum:
        raise ValueError(_("must be at most {n}").format(n=maximum))
    return number


def _lookup(columns: Sequence[Column]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for column in columns:
        for name in (column.name, *column.aliases):
            lookup[_header_key(name)] = column.name
    return lookup


class RowReader:
    """Typed access to one row's cells; each bad cell becomes a Problem, reading goes on."""

    def __init__(self, table: Table, row: CsvRow, problems: list[Problem]) -> None:
        self.table = table
        self.row = row
        self.problems = problems

    def fail(self, column: str | None, message: str) -> None:
        where = self.table.headers.get(column, column) if column else None
        self.problems.append(Problem(message, self.table.source, self.row.line, where))

    def raw(self, column: str) -> str:
        return self.row.values.get(column, "")

    def _parse(self, column: str, required: bool, parse: Callable[[str], T]) -> T | None:
        value = self.raw(column)
        if not value:
            if required:
                self.fail(column, _("a value is required"))
            return None
        try:
            return parse(value)
        except ValueError as error:
            self.fail(column, str(error))
            return None
        except (ArithmeticError, OverflowError):  # a Decimal or float parser's own error
            self.fail(column, _("“{value}” is not a valid value").format(value=value))
            return None

    def text(
        self,
        column: str,
        *,
        required: bool = False,
        max_length: int = 200,
        multiline: bool | None = None,
    ) -> str | None:
        """A text cell; a name or a code (``multiline`` False, the default up to 200
        characters) may hold no tab nor line break either."""
        breaks = max_length > 200 if multiline is None else multiline

        def parse(value: str) -> str:
            if len(value) > max_length:
                raise ValueError(_("longer than {n} characters").format(n=max_length))
            bad = control_character(value, multiline=breaks)
            if bad is not None:
                raise ValueError(_control_message(bad))
            return value

        return self._parse(column, required, parse)

    def integer(
        self,
        column: str,
        *,
        required: bool = False,
        minimum: int = 0,
        maximum: int = INTEGER_LIMIT,
    ) -> int | None:
        def parse(value: str) -> int:
            return whole_number(value, minimum=minimum, maximum=maximum)

        return self._parse(column, required, parse)

    def date(self, column: str, *, required: bool = False) -> date | None:
        def parse(value: str) -> date:
            try:
                return parse_date(value)
            except DateError as error:
                raise ValueError(str(error)) from error

        return self._parse(column, required, parse)

    def boolean(self, column: str, *, default: bool = False) -> bool:
        value = self._parse(column, False, parse_boolean)
        return default if value is None else value

    def choice(self, column: str, options: Iterable[str], *, required: bool = False) -> str | None:
        allowed = list(options)
        folded = {fold(option): option for option in allowed}

        def parse(value: str) -> str:
            if fold(value) in folded:
                return folded[fold(value)]
            raise ValueError(
                _("“{value}” is not one of: {options}").format(
                    value=value, options=", ".join(allowed)
                )
            )

        return self._parse(column, required, parse)

    def custom(self, column: str, parse: Callable[[str], Any], *, required: bool = False) -> Any:
        return self._parse(column, required, parse)


_TRUE = {"oui", "o", "yes", "y", "1", "true", "vrai", "x"}
_FALSE = {"non", "n", "no", "0", "false", "faux"}


def parse_boolean(value: str) -> bool:
    key = fold(value)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(_("“{value}” is not yes/no (expected oui or non)").format(value=value))


def format_boolean(value: bool) -> str:
    return "oui" if value else "non"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")


def neutral(value: Any) -> Any:
    """A cell Excel or LibreOffice will not run as a formula (OWASP "CSV injection"): text
    starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    apostrophe; numbers (``-12,50`` too) and ``None`` (an empty cell) are kept as they are."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def writer(stream: IO[str]) -> Callable[[Iterable[Any]], None]:
    """The project's one CSV writer: French Excel (``;``, CRLF), every cell ``neutral``;
    returns the function that writes one row. The caller opens the stream ``utf-8-sig``."""
    out = csv.writer(stream, delimiter=";", lineterminator="\r\n")

    def write(row: Iterable[Any]) -> None:
        out.writerow([neutral(value) for value in row])

    return write


def write_table(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], stream: IO[str]) -> int:
    """Write French-Excel CSV (``;``, CRLF, cells ``neutral``) to a text stream; the caller
    opens it utf-8-sig."""
    write = writer(stream)
    write(columns)
    count = 0
    for row in rows:
        write([row.get(c) for c in columns])
        count += 1
    return count
