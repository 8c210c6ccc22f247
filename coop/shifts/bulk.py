"""Raw rows for the passes over a whole membership (the daily run): values read as the driver
returns them and converted once per distinct value, and rows written by the driver's
``executemany`` from tuples already in the database's form.

SQLAlchemy converts every value of every row (a date of each of 15,000 states, each of
15,000 ledger rows); here each column's own converters (``bind_processor`` and
``result_processor`` of its type for the connection's dialect) run once per distinct value,
so the same dates, codes and figures shared by thousands of members cost one conversion.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, Table
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

_Convert = Callable[[Any], Any] | None


class Codec:
    """One column's value between Python and the database's raw form, memoised by value."""

    def __init__(self, column: Column[Any], dialect: Dialect) -> None:
        impl = column.type.dialect_impl(dialect)
        self._to_db: _Convert = impl.bind_processor(dialect)
        self._from_db: _Convert = impl.result_processor(dialect, None)
        self._bound: dict[Any, Any] = {}
        self._read: dict[Any, Any] = {}

    def bind(self, value: Any) -> Any:
        """The value as the driver takes it (``None`` stays ``None``)."""
        if self._to_db is None or value is None:
            return value
        try:
            return self._bound[value]
        except KeyError:
            raw = self._bound[value] = self._to_db(value)
            return raw

    @property
    def binds(self) -> bool:
        """False when the driver takes the Python value as it is (``bind`` is a no-op)."""
        return self._to_db is not None

    @property
    def converts(self) -> bool:
        """False when the driver's raw value is already the Python value (``read`` is a no-op)."""
        return self._from_db is not None

    def read(self, raw: Any) -> Any:
        """The Python value of a raw value read by the driver."""
        if self._from_db is None or raw is None:
            return raw
        try:
            return self._read[raw]
        except KeyError:
            value = self._read[raw] = self._from_db(raw)
            return value


def codecs(session: Session, table: Table, names: Sequence[str]) -> list[Codec]:
    """The codecs of ``table``'s columns ``names``, for the session's database."""
    dialect = session.get_bind().dialect
    return [Codec(table.c[name], dialect) for name in names]


class RowCodec:
    """Several columns' codecs in one order: whole rows read or bound, the loop running only
    over the columns whose raw form differs (on SQLite the dates; a row of a member's state
    has thirty columns and three or four dates)."""

    def __init__(self, codecs: Sequence[Codec], names: Sequence[str] = ()) -> None:
        self.names = tuple(names)
        if names and len(names) != len(codecs):
            raise ValueError(f"{len(names)} names for {len(codecs)} columns")
        named = zip(names, codecs, strict=False)  # no names: a codec for binding only
        self._reads = [(name, c.read) for name, c in named if c.converts]
        self._binds = [(i, c.bind) for i, c in enumerate(codecs) if c.binds]
        self._width = len(codecs)

    def read(self, raw: Sequence[Any]) -> dict[str, Any]:
        """A raw row (in the order of ``names``) as a dict of Python values."""
        values = dict(zip(self.names, raw, strict=True))
        for name, read in self._reads:
            values[name] = read(values[name])
        return values

    def bind(self, values: Sequence[Any]) -> tuple[Any, ...]:
        """``values`` (in the codecs' order) as the driver takes them."""
        if len(values) != self._width:
            raise ValueError(f"{len(values)} values for {self._width} columns")
        if not self._binds:
            return tuple(values)
        out = list(values)
        for i, bind in self._binds:
            out[i] = bind(out[i])
        return tuple(out)


def read_row(names: Sequence[str], codecs: Sequence[Codec], raw: Sequence[Any]) -> dict[str, Any]:
    """A raw row (in the order of ``names``/``codecs``) as a dict of Python values."""
    return RowCodec(codecs, names).read(raw)


def bind_row(codecs: Sequence[Codec], values: Sequence[Any]) -> tuple[Any, ...]:
    """``values`` (in the codecs' order) as the driver takes them."""
    return RowCodec(codecs).bind(values)


def execute_many(
    session: Session,
    statement: ClauseElement,
    names: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    """Run ``statement`` (an insert or update whose bound parameters are ``names``) once per
    row through the driver's ``executemany``; ``rows`` hold values already bound
    (``bind_row``), in the order of ``names``. Nothing is converted here."""
    if not rows:
        return
    connection = session.connection()
    compiled = statement.compile(dialect=connection.dialect, column_keys=list(names))
    assert isinstance(compiled, SQLCompiler)
    if compiled.positional:
        wanted = list(compiled.positiontup or ())
        if missing := [name for name in wanted if name not in names]:
            raise ValueError(f"the statement's parameters {missing} are not among {list(names)}")
        order = [names.index(name) for name in wanted]
        if order == list(range(len(names))):
            params: Any = rows
        elif len(order) == 1:
            params = [(row[order[0]],) for row in rows]
        else:
            params = list(map(itemgetter(*order), rows))
    else:
        params = [dict(zip(names, row, strict=True)) for row in rows]
    connection.exec_driver_sql(str(compiled), params)
